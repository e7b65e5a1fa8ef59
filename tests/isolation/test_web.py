"""Every web route, as every role of collectivité A (roles in A only): A's pages show nothing of B; B's objects in
the URL are refused and show nothing; nothing posted to any route changes B's rows or ties an A row to B's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from . import routes
from .canaries import changed, cross_links, fingerprint, text_of
from .world import ROLES_OF_A, ROLES_WRITING, ROLES_WRITING_FEW

pytestmark = pytest.mark.django_db

ROUTES = sorted(routes.web_routes())
# What refuses an object out of scope: not found, forbidden, or a method the route does not take.
REFUSED = {403, 404, 405}


def _url(world, name, scope):
    method, kwargs = routes.route_spec(name)
    return method, reverse(name, kwargs=kwargs(world.objects[scope]) if kwargs else None)


def _leaks(world, response, name):
    found = world.canaries.found_in(text_of(response))
    allowed = routes.allowed_canaries(found, routes.is_public_route(name))
    return {value: origin for value, origin in found.items() if value not in allowed}


def test_every_route_is_known():
    """Fails on a route the suite cannot exercise, with how to add it."""
    for name in ROUTES:
        routes.route_spec(name)
    assert len(ROUTES) > 80


def _reads():
    """Routes read with GET (unknown routes included: their test then fails, saying why)."""
    for name in ROUTES:
        try:
            if routes.route_spec(name)[0] != "GET":
                continue
        except AssertionError:
            pass
        yield name


@pytest.mark.parametrize("name", list(_reads()))
def test_pages_of_a_show_nothing_of_b(world, web_client, name):
    _method, url = _url(world, name, "in")
    answered = set()
    for role in ROLES_OF_A if name not in routes.SAME_FOR_EVERYONE else ROLES_OF_A[:1]:
        response = web_client(role).get(url)
        assert response.status_code < 500, (role, url, response.status_code)
        answered.add(response.status_code)
        leaks = _leaks(world, response, name)
        assert not leaks, f"{url} as {role} shows B's {leaks}"
    assert answered & {200, 302, 403, 404, 405, 409}, answered


@pytest.mark.parametrize("name", [n for n in ROUTES if routes.names_an_object(n)])
def test_objects_of_b_are_refused_on_every_route(world, web_client, name):
    here, there = world.collectivites["in"], world.collectivites["out"]
    _method, url = _url(world, name, "out")
    before = fingerprint(there, here)
    # The matrix proves the status code of every role on B's objects; here, that none shows or changes anything.
    for role in ROLES_WRITING:
        for method in ("get", "post"):
            if method == "post" and (name in routes.NOT_POSTED or role not in ROLES_WRITING_FEW):
                continue
            response = getattr(web_client(role), method)(url, routes.poison(world) if method == "post" else {})
            leaks = _leaks(world, response, name)
            assert not leaks, f"{method.upper()} {url} as {role} shows B's {leaks}"
            if routes.is_public_route(name):
                assert response.status_code == 200 or method == "post", (role, url, response.status_code)
            else:
                assert response.status_code in REFUSED, f"{method.upper()} {url} as {role}: {response.status_code}"
    assert not changed(before, fingerprint(there, here)), f"{url} changed B's rows"
    assert not cross_links(here, there)


@pytest.mark.parametrize("name", [n for n in ROUTES if n not in routes.NOT_POSTED])
def test_posting_b_references_to_a_routes_changes_nothing_of_b(world, web_client, name):
    """Every route, with A's objects in the URL (when it names one) and B's ids in every field of the body."""
    here, there = world.collectivites["in"], world.collectivites["out"]
    _method, url = _url(world, name, "in")
    before = fingerprint(there, here)
    for role in ROLES_WRITING:
        response = web_client(role).post(url, routes.poison(world))
        assert response.status_code < 500, (role, url, response.status_code)
        leaks = _leaks(world, response, name)
        assert not leaks, f"POST {url} as {role} with B's ids shows B's {leaks}"
    assert not changed(before, fingerprint(there, here)), f"POST {url} changed B's rows"
    links = cross_links(here, there)
    assert not links, f"POST {url} tied A's rows to B's: {links}"
