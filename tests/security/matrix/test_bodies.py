"""The permission matrix with real bodies (`spec.WEB_WRITES`, `spec.API_WRITES`): an allowed role's valid body is
done and changes the database; a refused role's valid body, the valid body aimed at the neighbour's object, and a
body naming something out of the person's scope (another direction's service, a user of another collectivité, a
review of another collectivité...) are refused and change nothing.

A rule that only a form's choice list enforces is invisible to empty bodies: a head of service could move a use
case to a service outside their direction through the web form while the API refused it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from . import spec
from .database import changed, snapshot
from .forms import post_forms
from .test_matrix import _api_url
from .world import foreign_values

pytestmark = pytest.mark.django_db

_BODIES: dict = {}


def _cells(writes: dict, expected: dict):
    for name, write in writes.items():
        empty_in, empty_out = expected[name]
        for role, code in write.row(empty_in).items():
            yield pytest.param(name, "valid", "in", role, code, None, id=f"{name}-valid-{role}")
            if code != spec.OK or role == "outsider":
                continue
            if empty_out:
                yield pytest.param(name, "valid", "out", role, "refused", None, id=f"{name}-neighbour-{role}")
            for field in write.foreign:
                yield pytest.param(name, "foreign", "in", role, "refused", field, id=f"{name}-foreign-{field}-{role}")


def _web_url(name: str, objects: dict) -> str:
    kwargs = spec.ROUTES[name][1]
    return reverse(name, kwargs=kwargs(objects) if kwargs else None)


def _web_body(world, web_client, name: str) -> dict:
    """The form for `name` as its page shows it to the reader, filled as the spec says."""
    if name in _BODIES:
        return _BODIES[name]
    write = spec.WEB_WRITES[name]
    objects = world.objects["in"]
    target = _web_url(name, objects)
    body = write.filled(objects)
    if write.page or spec.ROUTES[name][0] == "GET":
        page_name, page_kwargs = write.page if isinstance(write.page, tuple) else (write.page or name, None)
        page = reverse(page_name, kwargs=page_kwargs(objects)) if page_kwargs else _web_url(page_name, objects)
        response = web_client(write.reader).get(page)
        assert response.status_code == 200, f"{page} as {write.reader}: {response.status_code}"
        forms = [
            form for form in post_forms(response.content.decode()) if (form.action or page).split("?")[0] == target
        ]
        assert forms, f"no form posting to {target} on {page} as {write.reader}"
        body = forms[0].body(body)
    _BODIES[name] = body
    return body


def _api_body(world, api_client, operation: str) -> dict:
    if operation in _BODIES:
        return _BODIES[operation]
    write = spec.API_WRITES[operation]
    objects = world.objects["in"]
    method = operation.split(" ", 1)[0]
    body = {}
    if method in ("PUT", "PATCH"):
        # The object's representation, kept to the fields the operation accepts.
        url = _api_url(operation, objects)
        response = api_client(write.reader).get(url)
        assert response.status_code == 200, f"{url} as {write.reader}: {response.status_code}"
        accepted = _accepted_fields(operation)
        for key, value in response.json().items():
            if key in accepted:
                body[key] = value["id"] if isinstance(value, dict) and "id" in value else value
        body = {key: value for key, value in body.items() if value is not None or method == "PUT"}
    body.update(write.filled(objects))
    _BODIES[operation] = body
    return body


def _accepted_fields(operation: str) -> set[str]:
    from drf_spectacular.generators import SchemaGenerator

    method, path = operation.split(" ", 1)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    request = schema["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][request["$ref"].rsplit("/", 1)[-1]]
    return {key for key, value in component["properties"].items() if not value.get("readOnly")}


def _foreign(world, write, body: dict, field: str, role: str) -> list[dict]:
    bodies = []
    for value in foreign_values(world, write.foreign[field], role):
        bodies.append({**body, field: [value] if field in write.many else value})
    return bodies


def _errors(response) -> str:
    """The errors of a re-rendered form, for the failure message."""
    form = response.context.get("form") if getattr(response, "context", None) else None
    return f"\n  form errors: {dict(form.errors)}" if form is not None and form.errors else ""


def _check(response, expected: str, before: dict, url: str, body: dict):
    after = snapshot()
    diff = changed(before, after)
    assert response.status_code < 500, f"{url}: {response.status_code}"
    if expected == spec.OK:
        assert 200 <= response.status_code < 400, f"{url} {body}: {response.status_code} {response.content[:600]!r}"
        if response.status_code == 302:
            assert not response["Location"].startswith("/connexion/"), response["Location"]
        assert diff, f"{url}: answered {response.status_code} but nothing changed ({body}){_errors(response)}"
        return
    assert not diff, f"{url}: refused ({response.status_code}) but changed {diff} ({body})"
    if expected == "refused":
        assert response.status_code in (200, 302, 400, 403, 404, 409), f"{url}: {response.status_code}"
        if response.status_code == 302:
            assert not response["Location"].startswith("/connexion/")
    elif expected == spec.L:
        assert response.status_code == 302 and response["Location"].startswith("/connexion/"), response.status_code
    else:
        assert response.status_code == int(expected), f"{url}: {response.status_code}, expected {expected}"


@pytest.mark.parametrize(
    ("name", "kind", "scope", "role", "expected", "field"), list(_cells(spec.WEB_WRITES, spec.WEB_EXPECTED))
)
def test_web_write_with_a_real_body(world, web_client, name, kind, scope, role, expected, field):
    body = _web_body(world, web_client, name)
    url = _web_url(name, world.objects[scope])
    bodies = [body] if kind == "valid" else _foreign(world, spec.WEB_WRITES[name], body, field, role)
    for posted in bodies:
        client = web_client(role)
        before = snapshot()
        response = client.post(url, posted)
        _check(response, expected, before, url, posted)


@pytest.mark.parametrize(
    ("operation", "kind", "scope", "role", "expected", "field"), list(_cells(spec.API_WRITES, spec.API_EXPECTED))
)
def test_api_write_with_a_real_body(world, api_client, operation, kind, scope, role, expected, field):
    body = _api_body(world, api_client, operation)
    method = operation.split(" ", 1)[0].lower()
    url = _api_url(operation, world.objects[scope])
    bodies = [body] if kind == "valid" else _foreign(world, spec.API_WRITES[operation], body, field, role)
    for posted in bodies:
        before = snapshot()
        response = getattr(api_client(role), method)(url, posted, format="json")
        _check(response, expected, before, url, posted)


def test_every_write_with_a_body_is_in_the_matrix():
    assert set(spec.WEB_WRITES) <= set(spec.WEB_EXPECTED)
    assert set(spec.API_WRITES) <= set(spec.API_EXPECTED)
