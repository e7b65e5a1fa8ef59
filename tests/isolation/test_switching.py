"""Choosing the collectivité one acts in: a user of A cannot switch to B, in the session or with the API's
`X-Collectivite` header."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .canaries import changed, fingerprint, text_of
from .world import ROLES_OF_A

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_switching_to_b_is_refused(world, web_client, role):
    client = web_client(role)
    there = world.collectivites["out"]
    response = client.post(reverse("registry:collectivite_switch"), {"collectivite": there.pk})
    assert response.status_code == 403
    assert not world.canaries.found_in(text_of(response))
    page = client.get(reverse("registry:use_case_list"))
    assert page.status_code == 200
    assert not world.canaries.found_in(text_of(page))
    assert world.collectivites["in"].name in page.content.decode()


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_the_header_naming_b_gives_nothing_of_b(world, api_client, role):
    here, there = world.collectivites["in"], world.collectivites["out"]
    before = fingerprint(there, here)
    client = api_client(role)
    for value in (there.slug, str(there.pk)):
        for url in ("/api/v1/use-cases/", "/api/v1/declarations/", "/api/v1/tools/", "/api/v1/services/"):
            response = client.get(url, HTTP_X_COLLECTIVITE=value)
            assert response.status_code in {200, 403}, (url, response.status_code)
            assert not world.canaries.found_in(text_of(response)), (url, value)
        created = client.post(
            "/api/v1/tools/", {"name": "Outil via en-tete", "vendor": "X"}, format="json", HTTP_X_COLLECTIVITE=value
        )
        assert created.status_code < 500
    assert not changed(before, fingerprint(there, here))


def test_the_header_naming_a_collectivite_without_role_is_refused(world, api_client):
    there = world.collectivites["out"]
    response = api_client("dpo").get("/api/v1/use-cases/", HTTP_X_COLLECTIVITE=there.slug)
    assert response.status_code == 403
