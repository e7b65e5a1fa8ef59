"""Searches and filters naming B (its texts, its ids) on A's lists, exports and API lists: no row of B, and a
clean answer (the list, empty or refused as a bad filter) rather than an error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from . import routes
from .canaries import text_of
from .world import ROLES_WRITING

pytestmark = pytest.mark.django_db

LISTS = sorted(
    name
    for name in routes.web_routes()
    if not routes.names_an_object(name)
    and routes.route_spec(name)[0] == "GET"
    and not routes.is_public_route(name)
    and name not in routes.SAME_FOR_EVERYONE
)
API_LISTS = sorted(
    op
    for op in routes.api_operations()
    if op.startswith("GET ") and "{" not in op and not op.split(" ", 1)[1].startswith(routes.PUBLIC_API_PREFIX)
)
# Roles whose lists differ most: everything of the collectivité, and a head of service's part of it.
ROLES = (*ROLES_WRITING, "chef")


def _filters(world):
    theirs = world.objects["out"]
    term = theirs["draft"].name
    ids = routes.poison(world)
    return {
        **{key: value for key, value in ids.items() if not isinstance(value, list)},
        "q": term,
        "search": term,
        "tool_name": theirs["declaration"].tool_name,
    }


def _leaks(world, response, params):
    """B's canaries in the answer, but for the searched texts themselves (a page echoes its query string)."""
    text = text_of(response)
    for value in params.values():
        if isinstance(value, str):
            text = text.replace(value, "").replace(value.upper(), "")
    return world.canaries.found_in(text)


@pytest.mark.parametrize("name", LISTS)
def test_lists_of_a_filtered_on_b_show_nothing_of_b(world, web_client, name):
    params = _filters(world)
    url = reverse(name)
    for role in ROLES:
        response = web_client(role).get(url, params)
        # 404: the single sign-on routes, absent when no provider is configured.
        assert response.status_code in {200, 302, 400, 403, 404}, (role, url, response.status_code)
        leaks = _leaks(world, response, params)
        assert not leaks, f"{url}?{params} as {role} shows B's {leaks}"


@pytest.mark.parametrize("operation", API_LISTS)
def test_api_lists_filtered_on_b_return_nothing_of_b(world, api_client, operation):
    params = _filters(world)
    url = operation.split(" ", 1)[1]
    for role in ROLES:
        response = api_client(role).get(url, params)
        assert response.status_code in {200, 400, 403}, (role, url, response.status_code)
        leaks = _leaks(world, response, params)
        assert not leaks, f"{url} filtered on B as {role} carries B's {leaks}"


def test_the_filters_do_filter(world, api_client, web_client):
    """Without this, an empty answer above could just mean the filter was ignored on an empty list."""
    ours = world.objects["in"]["draft"]
    listing = api_client("dpo").get(reverse("api:use-case-list"), {"search": ours.reference, "page_size": 500})
    everything = api_client("dpo").get(reverse("api:use-case-list"), {"page_size": 500}).json()["count"]
    found = [row["id"] for row in listing.json()["results"]]
    assert ours.pk in found and len(found) < everything, (found, everything)
    page = web_client("dpo").get(reverse("registry:use_case_list"), {"q": ours.name})
    assert ours.reference in page.content.decode()
    theirs = world.objects["out"]["draft"]
    assert api_client("dpo").get(reverse("api:use-case-list"), {"search": theirs.name}).json()["results"] == []
    filtered = api_client("dpo").get(reverse("api:use-case-list"), {"service": world.objects["out"]["service"].pk})
    assert filtered.status_code == 400 or filtered.json()["results"] == []
