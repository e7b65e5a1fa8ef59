"""Signing in to the API: tokens, sessions, and the 403 for anyone without a role in a collectivité."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.registry.factories import UserFactory

TOKEN_URL = "/api/v1/auth/token/"


def test_good_credentials_give_a_token_that_opens_the_api(users, anonymous):
    # Given the demo DPO's username and password
    # When they ask for a token
    response = anonymous.post(TOKEN_URL, {"username": "dpo", "password": "motdepasse-test"}, format="json")
    # Then they get one, and it authenticates API calls
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/use-cases/").status_code == 200


def test_asking_twice_gives_the_same_token(users, anonymous):
    payload = {"username": "agent", "password": "motdepasse-test"}
    first = anonymous.post(TOKEN_URL, payload, format="json").json()["token"]
    second = anonymous.post(TOKEN_URL, payload, format="json").json()["token"]
    assert first == second


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "dpo", "password": "mauvais"},
        {"username": "inconnu", "password": "motdepasse-test"},
    ],
)
def test_bad_credentials_are_refused_in_french(users, anonymous, payload):
    response = anonymous.post(TOKEN_URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "token" not in body
    assert body["message"].startswith("Impossible de se connecter avec les ")


def test_a_deactivated_account_gets_no_token(users, anonymous):
    users["agent"].is_active = False
    users["agent"].save()
    response = anonymous.post(TOKEN_URL, {"username": "agent", "password": "motdepasse-test"}, format="json")
    assert response.status_code == 400


def test_missing_fields_are_named(anonymous, db):
    response = anonymous.post(TOKEN_URL, {"username": "dpo"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"password"}


def test_the_token_endpoint_is_throttled(users, anonymous, monkeypatch):
    # Given a limit of 2 attempts a minute (the settings say 10; tests raise it)
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    payload = {"username": "dpo", "password": "mauvais"}
    # When a third attempt comes within the minute
    statuses = [anonymous.post(TOKEN_URL, payload, format="json").status_code for _ in range(3)]
    # Then it is refused
    assert statuses == [400, 400, 429]
    cache.clear()


def test_an_invalid_token_is_refused(anonymous, db):
    anonymous.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = anonymous.get("/api/v1/use-cases/")
    assert response.status_code == 401
    assert response.json()["message"]


def test_the_browser_session_works_too(users, client_for, use_case):
    client = client_for(users["dpo"])
    response = client.get("/api/v1/use-cases/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_writes_need_the_csrf_token(users, use_case, services):
    # A logged-in browser cannot be made to write by another site: the CSRF check applies.
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["dpo"])
    response = client.post("/api/v1/classify/", {"technique": "rules", "audience": "agents"}, format="json")
    assert response.status_code == 403


ENDPOINTS = [
    ("get", "/api/v1/use-cases/"),
    ("post", "/api/v1/use-cases/"),
    ("get", "/api/v1/tools/"),
    ("post", "/api/v1/tools/"),
    ("get", "/api/v1/services/"),
    ("post", "/api/v1/classify/"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_callers_are_refused(anonymous, db, method, url):
    response = getattr(anonymous, method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_a_user_without_any_role_gets_403_everywhere(api_for, db, method, url):
    # Given an account that holds no role in any collectivité
    stranger = UserFactory(username="sans-role")
    # When it calls any endpoint
    response = getattr(api_for(stranger), method)(url, {"technique": "rules", "audience": "agents"}, format="json")
    # Then it is forbidden, with a message saying why
    assert response.status_code == 403
    with translation.override("fr"):
        expected = translation.gettext("You hold no role in any collectivité: ask your administrator for access.")
    assert response.json()["message"] == expected


def test_a_user_without_any_role_cannot_read_a_use_case_either(api_for, use_case, db):
    stranger = UserFactory(username="sans-role")
    assert api_for(stranger).get(f"/api/v1/use-cases/{use_case.pk}/").status_code == 403
