"""The backend's token checks that mozilla-django-oidc leaves out (audience, issuer), and its manners with Django's
`authenticate()`: a password sign-in is none of its business."""

from __future__ import annotations

import time

import jwt
import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from sso.backends import OidcBackend

pytestmark = pytest.mark.django_db

SECRET = "a-client-secret-long-enough-for-hs256-0123456789"  # nosec B105
ISSUER = "https://idp.bellerive.test/realms/agents"


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID = "registre"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_DISCOVERY_URL = ""
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    found = OidcBackend()
    found.configure()
    return found


def token(**claims) -> str:
    payload = {"iss": ISSUER, "aud": "registre", "sub": "s-1", "nonce": "n-1", "exp": int(time.time()) + 60}
    payload.update(claims)
    return jwt.encode({key: value for key, value in payload.items() if value is not None}, SECRET, algorithm="HS256")


def test_a_token_for_us_from_our_provider_is_accepted(backend):
    assert backend.verify_token(token(), nonce="n-1")["sub"] == "s-1"
    assert backend.verify_token(token(aud=["other", "registre"]), nonce="n-1")["sub"] == "s-1"


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-client"},  # a token issued to another application of the same provider
        {"aud": None},
        {"iss": "https://evil.test"},
        {"nonce": "replayed"},
    ],
)
def test_a_token_not_for_us_or_not_from_them_is_refused(backend, claims):
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(**claims), nonce="n-1")


def test_a_signed_userinfo_answer_is_checked_on_what_it_carries(backend):
    # Verified without a nonce: ProConnect's userinfo JWT. `aud` and `iss` are checked when present only.
    assert backend.verify_token(token(aud=None, iss=None, nonce=None))["sub"] == "s-1"
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(aud="another-client", nonce=None))
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(iss="https://evil.test", nonce=None))


def test_an_expired_or_unsigned_token_is_refused(backend):
    with pytest.raises(jwt.ExpiredSignatureError):
        backend.verify_token(token(exp=int(time.time()) - 3600), nonce="n-1")
    unsigned = jwt.encode({"iss": ISSUER, "aud": "registre", "sub": "s", "nonce": "n-1"}, key=None, algorithm="none")
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(unsigned, nonce="n-1")


def test_a_password_sign_in_never_reaches_the_provider(backend, users, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the provider was called")

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", no_network)
    request = RequestFactory().post("/connexion/?code=x&state=y")

    assert authenticate(request, username="agent", password="motdepasse-test") == users["agent"]
    assert OidcBackend().authenticate(request, username="agent", password="x", nonce="n") is None
