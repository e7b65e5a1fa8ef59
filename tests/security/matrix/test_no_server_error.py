"""No URL answers 500 to someone who is not signed in, whether a browser (Accept: text/html) or a program
(Accept: application/json) asks: the public register's pages, its exports and its JSON API (a browser following
the « API JSON » link once met an AssertionError with a traceback), the login page, the declaration follow-up by
code, and every page that needs an account (those answer a redirect to the login page, 401, 403, 404 or 405).

Every named route comes from Django's resolver, so a new URL is covered the day it is added: its parameters are
taken from the permission matrix's table (`spec.ROUTES`) when it knows the route, else from `PARAMETERS` below.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from . import spec

ACCEPTS = {"browser": "text/html", "program": "application/json"}
# What a page that needs an account may answer an anonymous visitor: never a 5xx. (Django's language switch
# answers 204 to a program.)
REFUSALS = {204, 301, 302, 401, 403, 404, 405}
# Documents that exist in one language only, and say 406 Not Acceptable to the other asker: the OpenAPI schema
# (YAML or JSON) and its viewer (an HTML page).
ONE_LANGUAGE = {"api-schema": "program", "api-docs": "browser"}


def _named_routes() -> dict[str, tuple[str, ...]]:
    """Every named URL pattern (namespaced name) -> the names of its parameters (its first pattern: the routers'
    `.json` variants of the same name are the same view)."""
    found: dict[str, tuple[str, ...]] = {}

    def parameters(pattern) -> tuple[str, ...]:
        if isinstance(pattern, RoutePattern):
            return tuple(pattern.converters)
        # A regex's unnamed groups (the admin's history pages) are positional: named by their position.
        unnamed = pattern.regex.groups - len(pattern.regex.groupindex)
        return tuple(pattern.regex.groupindex) or tuple(range(unnamed))

    def walk(resolver, namespace, inherited):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner, inherited + parameters(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, inherited + parameters(pattern.pattern))

    walk(get_resolver(), None, ())
    return found


ROUTES = _named_routes()

# A value for each parameter name the matrix's table does not give: real objects of the public register where a
# public page needs one, a plausible value elsewhere (an anonymous visitor is refused before any lookup).
PARAMETERS = {
    "slug": lambda o: o["publication"].collectivite.slug,
    "collectivite": lambda o: o["publication"].collectivite.slug,
    "reference": lambda o: o["published_case"].reference,
    "code": lambda o: o["declaration"].follow_up_code,
    "year": lambda o: o["charter_edition"].year,
    "key": lambda o: o["charter_section"].key,
    "app_label": lambda o: "registry",
    "format": lambda o: "json",
}


def _url(name: str, objects: dict) -> str:
    if name in spec.ROUTES and spec.ROUTES[name][1] is not None:
        return reverse(name, kwargs=spec.ROUTES[name][1](objects))
    if name.endswith("not-found"):
        # The API's catch-all (`^.*/$`): any unknown path under its prefix.
        return reverse(name.replace("not-found", "api-root") if name.startswith("api:") else "public_api:use-case-list")
    values = {param: PARAMETERS.get(param, lambda o: "1")(objects) for param in ROUTES[name]}
    if all(isinstance(param, int) for param in values):
        return reverse(name, args=list(values.values()))
    return reverse(name, kwargs=values)


def _must_be_public(name: str) -> bool:
    """Routes anyone may read: the matrix says an anonymous visitor gets 200 on a GET."""
    if name.startswith("public_api:") and not name.endswith("not-found"):
        return True
    if name not in spec.ROUTES or spec.ROUTES[name][0] != "GET":
        return False
    return spec.row(spec.WEB_EXPECTED[name][0])["anonymous"] == "200"


@pytest.mark.parametrize("asker", list(ACCEPTS))
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_url_answers_a_server_error_to_an_anonymous_visitor(world, db, client, name, asker):
    url = _url(name, world.objects["in"])
    if name.endswith("not-found"):
        url += "inconnu/"

    response = client.get(url, HTTP_ACCEPT=ACCEPTS[asker])

    assert response.status_code < 500, f"{url} ({ACCEPTS[asker]}): {response.status_code}"
    if ONE_LANGUAGE.get(name, asker) != asker:
        assert response.status_code == 406, f"{url} ({ACCEPTS[asker]}): {response.status_code}"
    elif _must_be_public(name):
        assert response.status_code == 200, f"{url} ({ACCEPTS[asker]}): {response.status_code}"
    else:
        assert response.status_code in REFUSALS | {200}, f"{url} ({ACCEPTS[asker]}): {response.status_code}"


def test_the_public_api_answers_json_to_a_browser(world, db, client):
    """The « API JSON » link of the public register, followed by a browser: the records, not a server error."""
    publication, published_case = world.objects["in"]["publication"], world.objects["in"]["published_case"]

    listing = client.get(reverse("public_api:use-case-list"), HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    detail = client.get(
        reverse(
            "public_api:use-case-detail",
            kwargs={"collectivite": publication.collectivite.slug, "reference": published_case.reference},
        ),
        HTTP_ACCEPT="text/html",
    )

    assert listing.status_code == 200 and listing["Content-Type"] == "application/json"
    assert published_case.reference in {record["reference"] for record in listing.json()["results"]}
    assert detail.status_code == 200 and detail.json()["reference"] == published_case.reference
