"""Hostile inputs over every route (issue 18, items 8, 9 and 12): none answers a server error.

Every operation of the OpenAPI schema and every named web route, found afresh at each run (a new route is covered
the day it is added), with the objects of the permission matrix's world (tests/security/matrix), as the DPO:

- every JSON write (POST, PUT, PATCH) gets a document nested 1,000 levels (2 KB, a RecursionError once) and a
  document whose strings hold a NUL character (which PostgreSQL refuses): 400, or the refusal that comes before
  reading a body (401, 403, 404, 405, 409, 415), in the API's error shape;
- every id in an API path gets Unicode digits, « ² », « ① » (int() refuses them) and « ٣ » (int() reads 3): 404;
- every query parameter of an API operation gets them too, and a NUL: never a 5xx, a refusal in the error shape;
- every web page's id-like path segment gets them, and every field of every form a page shows (its filters, its
  actions) is sent back holding them, then a NUL: never a 5xx.

Each request is checked, the failures gathered, and each test fails naming all of them at once. The objects come
from the matrix's world, built once for this module inside a transaction rolled back at the end.
"""

from __future__ import annotations

import functools
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from tests.security.matrix import spec
from tests.security.matrix.conftest import rolled_back_world

UNICODE_DIGITS = ("²", "①", "٣")
NUL_TEXT = "a\x00b"
# 1,000 levels in 2 KB, as an array and as an object.
NESTED = ("[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000)
# What may answer a hostile body before it is read: not signed in, not allowed, no such object, no such method, a
# status that does not allow the action, a body type the operation does not take (multipart only).
REFUSALS_BEFORE_THE_BODY = {401, 403, 404, 405, 409, 415}
WRITES = ("post", "put", "patch")
ID_PARAMETER = re.compile(r"^(id|pk|.*_id)$")
ROLE = "dpo"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back_world(django_db_blocker, tmp_path_factory, "hostile-media") as built:
        yield built


@pytest.fixture
def api(world, db):
    def make(role=ROLE):
        client = APIClient(raise_request_exception=False)  # a server error is a failure to list, not to raise
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
        return client

    return make


@pytest.fixture
def web(world, db):
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[ROLE]
    return client


# --- The API, from its schema ---------------------------------------------------------------------------------


@functools.cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(methods=None):
    for path, operations in _schema()["paths"].items():
        for method, operation in operations.items():
            if methods is None or method in methods:
                yield path, method, operation


def _asker(path: str) -> str:
    """The token exchange and the public register are anonymous; the rest is asked by the DPO."""
    return "anonymous" if path.startswith(("/api/v1/auth/", "/api/v1/public/")) else ROLE


def _api_url(path: str, objects: dict, replace: str | None = None, value: str = "") -> str:
    """The path with its parameters naming the world's objects (spec.API_OBJECTS), the one named `replace` given
    `value` instead."""
    names = spec.API_OBJECTS.get(path)
    if names == "publication":
        values = {
            "collectivite": objects["publication"].collectivite.slug,
            "reference": objects["published_case"].reference,
        }
    else:
        params = re.findall(r"{(\w+)}", path)
        names = names if isinstance(names, tuple) else (names,) * bool(names)
        values = {}
        for index, param in enumerate(params):
            name = names[index] if index < len(names) else None
            values[param] = name[1:] if name and name.startswith("=") else objects[name].pk if name else 1
    if replace is not None:
        values[replace] = value
    for param, param_value in values.items():
        path = path.replace("{" + param + "}", str(param_value))
    return path


def _body_properties(operation: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = content.get("schema", {})
    if "$ref" in schema:
        schema = _schema()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(schema.get("properties", {})) or ["name"]


def _in_the_error_shape(response) -> bool:
    if not response["Content-Type"].startswith("application/json"):
        return False
    body = response.json()
    return isinstance(body, dict) and isinstance(body.get("message"), str) and isinstance(body.get("errors"), dict)


def _allowed(operation: dict) -> set[int]:
    """A write's answers to a hostile body: refused, or, for an action that takes no body (closing a session,
    starting an analysis), done without reading it."""
    done = {200, 201, 204} if "requestBody" not in operation else set()
    return {400} | REFUSALS_BEFORE_THE_BODY | done


def _check_refusal(failures: list, label: str, response, allowed: set[int]) -> None:
    if response.status_code not in allowed:
        failures.append(f"{label}: {response.status_code}")
    elif response.status_code >= 400 and not _in_the_error_shape(response):
        failures.append(f"{label}: {response.status_code} not in the API's error shape ({response['Content-Type']})")


def test_every_json_write_refuses_a_document_nested_1000_levels(world, api):
    failures, count = [], 0
    for path, method, operation in _operations(WRITES):
        url = _api_url(path, world.objects["in"])
        for body in NESTED:
            response = api(_asker(path)).generic(method.upper(), url, body, content_type="application/json")
            _check_refusal(failures, f"{method.upper()} {url}", response, _allowed(operation))
            count += 1
    assert count > 50, "the schema lists the API's writes"
    assert not failures, failures


def test_the_token_endpoint_refuses_a_document_nested_1000_levels_without_an_account():
    response = APIClient().post(reverse("api:token"), NESTED[0], content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"message": "Le document JSON est trop profondément imbriqué.", "errors": {}}


def test_every_json_write_refuses_nul_characters_in_its_fields(world, api):
    failures = []
    for path, method, operation in _operations(WRITES):
        url = _api_url(path, world.objects["in"])
        body = json.dumps(dict.fromkeys(_body_properties(operation), NUL_TEXT))
        response = api(_asker(path)).generic(method.upper(), url, body, content_type="application/json")
        _check_refusal(failures, f"{method.upper()} {url}", response, _allowed(operation))
    assert not failures, failures


def test_every_id_in_an_api_path_given_unicode_digits_is_not_found(world, api):
    failures, count = [], 0
    for path, method, _operation in _operations():
        for param in [p for p in re.findall(r"{(\w+)}", path) if ID_PARAMETER.match(p)]:
            for digits in UNICODE_DIGITS:
                url = _api_url(path, world.objects["in"], replace=param, value=digits)
                response = api(_asker(path)).generic(method.upper(), url, "{}", content_type="application/json")
                # 405: a method the route does not take, whatever the id.
                _check_refusal(failures, f"{method.upper()} {url}", response, {404, 405})
                count += 1
    assert count > 50, "the schema's paths name ids"
    assert not failures, failures


def test_every_query_parameter_of_the_api_given_unicode_digits_or_a_nul_is_no_server_error(world, api):
    failures, count = [], 0
    for path, _method, operation in _operations(("get",)):
        url = _api_url(path, world.objects["in"])
        names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        for name in names:
            for value in (*UNICODE_DIGITS, NUL_TEXT):
                response = api(_asker(path)).get(url, {name: value})
                count += 1
                label = f"GET {url}?{name}={value!r}"
                if response.status_code >= 500:
                    failures.append(f"{label}: {response.status_code}")
                elif response.status_code >= 400 and not _in_the_error_shape(response):
                    failures.append(f"{label}: {response.status_code} not in the API's error shape")
                elif value == NUL_TEXT and response.status_code != 400:
                    failures.append(f"{label}: {response.status_code}, not refused")
    assert count > 50, "the schema lists the API's query parameters"
    assert not failures, failures


def test_the_collectivite_header_given_unicode_digits_or_a_nul_is_refused_not_a_server_error(world, api):
    for value in (*UNICODE_DIGITS, NUL_TEXT):
        response = api().get("/api/v1/use-cases/", HTTP_X_COLLECTIVITE=value)
        assert response.status_code in (400, 403), (value, response.status_code)
        assert _in_the_error_shape(response)


# --- The web pages, from the URL resolver and the forms they show -------------------------------------------------


def _sent_back(attrs: dict) -> bool:
    """A field sent back with hostile values: files aside (tests/security/test_uploads.py), and the CSRF token
    (Django's test client does not check it)."""
    return bool(attrs.get("name")) and attrs.get("type") != "file" and attrs["name"] != "csrfmiddlewaretoken"


class _Forms(HTMLParser):
    """The forms of a page: (method, action, field names)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(((attrs.get("method") or "get").lower(), attrs.get("action") or "", []))
        elif self.forms and tag in ("input", "select", "textarea", "button") and _sent_back(attrs):
            self.forms[-1][2].append(attrs["name"])


# Forms that would end the DPO's session or change its language for the requests that follow.
LEFT_ALONE = ("/deconnexion/", "/i18n/")


def _web_urls(objects: dict):
    """Every web route of the matrix (the admin aside), with the world's objects: (method, url, kwargs)."""
    for name, (method, kwargs) in spec.ROUTES.items():
        if name.startswith(("api", "public_api:", "admin:")) or name in ("logout", "set_language"):
            continue
        values = kwargs(objects) if kwargs else {}
        yield method, reverse(name, kwargs=values or None), values


def _with_segment(url: str, value, replacement: str) -> str:
    return url.replace(f"/{value}/", f"/{replacement}/", 1)


def _hostile_segments(url: str, values: dict):
    """What each path parameter is given: Django's <int:> takes ASCII digits only, so for it « ٣ » (which \\d
    would match) is enough to prove it; a parameter taking any text gets every hostile value."""
    route = resolve(url).route
    for name, value in values.items():
        as_int = f"<int:{name}>" in route
        for hostile in ("٣",) if as_int else (*UNICODE_DIGITS, NUL_TEXT):
            yield _with_segment(url, value, hostile)


def test_every_web_page_given_unicode_digits_or_a_nul_in_its_path_or_forms_is_no_server_error(world, web):
    failures, forms, count = [], {}, 0

    def check(label, response):
        nonlocal count
        count += 1
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")

    for method, url, values in _web_urls(world.objects["in"]):
        # Each id-like segment of the path: « ٣ » and its kind go to the view when the route takes any text.
        for hostile in _hostile_segments(url, values):
            check(f"{method} {hostile!r}", getattr(web, method.lower())(hostile))
        page = web.get(url)
        check(f"GET {url}", page)
        check(f"GET {url}?page=²&q=…", web.get(url, {"page": "²", "q": NUL_TEXT, "id": "①"}))
        if page.status_code == 200 and page["Content-Type"].startswith("text/html"):
            parser = _Forms()
            parser.feed(page.content.decode())
            for form_method, action, fields in parser.forms:
                target = urlsplit(action).path or url
                if fields and not target.startswith(LEFT_ALONE):
                    forms.setdefault((form_method, target), set()).update(fields)
    for (form_method, target), fields in sorted(forms.items()):
        for value in (*UNICODE_DIGITS, NUL_TEXT):
            data = dict.fromkeys(sorted(fields), value)
            send = web.post if form_method == "post" else web.get
            response = send(target, data)
            check(f"{form_method.upper()} {target} {sorted(fields)} = {value!r}", response)
    assert len(forms) > 20 and count > 300, (len(forms), count)
    assert not failures, failures
