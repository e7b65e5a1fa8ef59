"""Every operation of the API (from its OpenAPI schema), as every role of collectivité A: A's answers carry nothing
of B; B's objects in the path are refused; no write, whatever B ids its body names, changes or links B's rows."""

from __future__ import annotations

import pytest

from . import routes
from .canaries import changed, cross_links, fingerprint, text_of
from .world import ROLES_OF_A, ROLES_WRITING, ROLES_WRITING_FEW

pytestmark = pytest.mark.django_db

OPERATIONS = sorted(routes.api_operations())
READS = [op for op in OPERATIONS if op.startswith("GET ")]
WRITES = [op for op in OPERATIONS if not op.startswith("GET ")]
WITH_OBJECTS = [op for op in OPERATIONS if "{" in op]
REFUSED = {403, 404, 405}


def _public(operation):
    return operation.split(" ", 1)[1].startswith(routes.PUBLIC_API_PREFIX)


def _leaks(world, response, operation):
    found = world.canaries.found_in(text_of(response))
    allowed = routes.allowed_canaries(found, _public(operation))
    return {value: origin for value, origin in found.items() if value not in allowed}


def _call(client, operation, url, data):
    method = operation.split(" ", 1)[0].lower()
    return getattr(client, method)(url, data, format="json")


def test_every_operation_is_known():
    for operation in OPERATIONS:
        if "{" not in operation:
            routes.api_url(operation, {})
    missing = [
        op
        for op in WITH_OBJECTS
        if op.split(" ", 1)[1] not in routes.spec.API_OBJECTS and op.split(" ", 1)[1] not in routes.EXTRA_API_OBJECTS
    ]
    assert not missing, [
        routes.HOW_TO_ADD.format(what=f"API operation `{op}`", table="API_OBJECTS", extra="EXTRA_API_OBJECTS")
        for op in missing
    ]
    assert len(OPERATIONS) > 60


@pytest.mark.parametrize("operation", READS)
def test_answers_of_a_carry_nothing_of_b(world, api_client, operation):
    url = routes.api_url(operation, world.objects["in"])
    for role in ROLES_OF_A:
        response = _call(api_client(role), operation, url, {})
        assert response.status_code < 500, (role, url, response.status_code)
        leaks = _leaks(world, response, operation)
        assert not leaks, f"{operation} as {role} carries B's {leaks}"


@pytest.mark.parametrize("operation", WITH_OBJECTS)
def test_objects_of_b_are_refused_on_every_operation(world, api_client, operation):
    here, there = world.collectivites["in"], world.collectivites["out"]
    url = routes.api_url(operation, world.objects["out"])
    before = fingerprint(there, here)
    # The matrix proves the status code of every role on B's objects; here, that none shows or changes anything.
    roles = ROLES_WRITING if operation.startswith("GET ") else ROLES_WRITING_FEW
    body = {} if operation.startswith("GET ") else routes.poison(world)
    for role in roles:
        response = _call(api_client(role), operation, url, body)
        leaks = _leaks(world, response, operation)
        assert not leaks, f"{operation} {url} as {role} carries B's {leaks}"
        if _public(operation):
            assert response.status_code == 200, (role, url, response.status_code)
        else:
            assert response.status_code in REFUSED, f"{operation} {url} as {role}: {response.status_code}"
    assert not changed(before, fingerprint(there, here)), f"{operation} changed B's rows"


@pytest.mark.parametrize("operation", WRITES)
def test_writes_naming_b_change_nothing_of_b(world, api_client, operation):
    here, there = world.collectivites["in"], world.collectivites["out"]
    url = routes.api_url(operation, world.objects["in"])
    before = fingerprint(there, here)
    for role in ROLES_WRITING:
        response = _call(api_client(role), operation, url, routes.poison(world))
        assert response.status_code < 500, (role, url, response.status_code)
        leaks = _leaks(world, response, operation)
        assert not leaks, f"{operation} as {role} with B's ids carries B's {leaks}"
    assert not changed(before, fingerprint(there, here)), f"{operation} changed B's rows"
    links = cross_links(here, there)
    assert not links, f"{operation} tied A's rows to B's: {links}"
