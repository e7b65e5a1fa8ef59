"""The permission matrix: every web route and every API operation × every role × an object in scope and out of
scope, against the expected answers of `spec.py`. A route or operation missing from the matrix fails."""

from __future__ import annotations

import functools

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import spec

pytestmark = pytest.mark.django_db


def _routes() -> dict[str, str]:
    """Every named URL pattern: its full name (with namespaces) -> its full pattern."""
    found = {}

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.setdefault(name, prefix + str(pattern.pattern))

    walk(get_resolver(), "", None)
    return {
        name: path
        for name, path in found.items()
        if name == "api:api-root"
        or not any(name == key or (key.endswith(":") and name.startswith(key)) for key in spec.OUT_OF_SCOPE)
    }


@functools.cache
def _operations() -> tuple[str, ...]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple(f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops)


def _web_cells():
    for name, (ins, outs) in spec.WEB_EXPECTED.items():
        for role, code in spec.row(ins).items():
            yield pytest.param(name, "in", role, code, id=f"{name}-in-{role}")
        for role, code in (spec.row(outs, spec.ROLES[:-1]) if outs else {}).items():
            yield pytest.param(name, "out", role, code, id=f"{name}-out-{role}")


def _api_cells():
    for operation, (ins, outs) in spec.API_EXPECTED.items():
        for role, code in spec.row(ins).items():
            yield pytest.param(operation, "in", role, code, id=f"{operation}-in-{role}")
        for role, code in (spec.row(outs, spec.ROLES[:-1]) if outs else {}).items():
            yield pytest.param(operation, "out", role, code, id=f"{operation}-out-{role}")


def _assert_answer(response, expected: str, url: str):
    assert response.status_code < 500, f"{url}: {response.status_code}"
    if expected == spec.L:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/connexion/"), response["Location"]
    elif expected == spec.R:
        assert response.status_code == 302, response.status_code
        assert not response["Location"].startswith("/connexion/"), response["Location"]
    else:
        assert response.status_code == int(expected), f"{url}: {response.status_code}, expected {expected}"


@pytest.mark.parametrize(("name", "scope", "role", "expected"), list(_web_cells()))
def test_web_route(world, web_client, name, scope, role, expected):
    method, kwargs = spec.ROUTES[name]
    url = reverse(name, kwargs=kwargs(world.objects[scope]) if kwargs else None)
    response = getattr(web_client(role), method.lower())(url, {})
    _assert_answer(response, expected, url)
    if expected == spec.L and name not in ("logout", "registry:home"):
        assert "next=" in response["Location"], response["Location"]


def _api_url(operation: str, objects: dict) -> str:
    path = operation.split(" ", 1)[1]
    names = spec.API_OBJECTS.get(path)
    if names is None:
        return path
    if names == "publication":
        return path.replace("{collectivite}", objects["publication"].collectivite.slug).replace(
            "{reference}", objects["published_case"].reference
        )
    params = [segment for segment in path.split("/") if segment.startswith("{")]
    for param, name in zip(params, names if isinstance(names, tuple) else (names,), strict=True):
        value = name[1:] if name.startswith("=") else objects[name].pk
        path = path.replace(param, str(value), 1)
    return path


@pytest.mark.parametrize(("operation", "scope", "role", "expected"), list(_api_cells()))
def test_api_operation(world, api_client, operation, scope, role, expected):
    method = operation.split(" ", 1)[0]
    url = _api_url(operation, world.objects[scope])
    response = getattr(api_client(role), method.lower())(url, {}, format="json")
    _assert_answer(response, expected, url)


# Completeness --------------------------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix():
    routes = _routes()
    missing = sorted(set(routes) - set(spec.WEB_EXPECTED))
    assert not missing, [
        f"new route `{name}` is not in the security matrix: add its expected answers in tests/security/matrix/spec.py"
        for name in missing
    ]
    gone = sorted(set(spec.WEB_EXPECTED) - set(routes))
    assert not gone, f"the matrix names routes that no longer exist: {gone}"
    assert set(spec.ROUTES) == set(spec.WEB_EXPECTED)


def test_every_api_operation_is_in_the_matrix():
    operations = set(_operations())
    missing = sorted(operations - set(spec.API_EXPECTED))
    assert not missing, [
        f"new API operation `{op}` is not in the security matrix: add its expected answers in "
        "tests/security/matrix/spec.py"
        for op in missing
    ]
    gone = sorted(set(spec.API_EXPECTED) - operations)
    assert not gone, f"the matrix names API operations that no longer exist: {gone}"


@pytest.mark.parametrize("role", ["agent", "chef", "dpo", "rssi", "comite", "dgs", "admin", "outsider"])
def test_the_admin_sends_non_staff_users_to_its_login(world, web_client, role):
    response = web_client(role).get("/admin/registry/usecase/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
