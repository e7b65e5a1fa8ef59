"""The single sign-on pages without a provider behind them: off unless configured, the callback's refusals, the page
of an account waiting for a role, the sign-in button, the provider out of reach, and where signing out goes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from core.roles import Role
from security.models import SecurityEvent
from sso import conf
from sso.errors import MESSAGES, Reason
from sso.models import OidcIdentity
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

LABEL = "Keycloak"
DISCOVERY = "https://idp.bellerive.test/realms/agents/.well-known/openid-configuration"
DOCUMENT = {
    "issuer": "https://idp.bellerive.test/realms/agents",
    "authorization_endpoint": "https://idp.bellerive.test/realms/agents/protocol/openid-connect/auth",
    "token_endpoint": "https://idp.bellerive.test/realms/agents/protocol/openid-connect/token",
    "userinfo_endpoint": "https://idp.bellerive.test/realms/agents/protocol/openid-connect/userinfo",
    "jwks_uri": "https://idp.bellerive.test/realms/agents/protocol/openid-connect/certs",
    "end_session_endpoint": "https://idp.bellerive.test/realms/agents/protocol/openid-connect/logout",
}


class FakeResponse:
    def __init__(self, document, status=200):
        self.document, self.status_code = document, status

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}")

    def json(self):
        return self.document


@pytest.fixture
def discovery(monkeypatch):
    """The provider's discovery document, as `requests` would read it; `calls` counts the fetches."""
    calls = []

    def fake_get(url, **kwargs):
        calls.append(url)
        if isinstance(fake_get.answer, Exception):
            raise fake_get.answer
        return fake_get.answer

    fake_get.answer = FakeResponse(DOCUMENT)
    fake_get.calls = calls
    monkeypatch.setattr(conf.requests, "get", fake_get)
    conf.clear_discovery_cache()
    yield fake_get
    conf.clear_discovery_cache()


@pytest.fixture
def sso_on(settings, discovery):
    settings.OIDC_RP_CLIENT_ID = "registre"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_DISCOVERY_URL = DISCOVERY
    settings.OIDC_LABEL = LABEL
    return discovery


def refusal(reason, **params) -> str:
    return escape(str(MESSAGES[reason]) % {"label": LABEL, "email": "", "detail": "", **params})


# Off unless configured ------------------------------------------------------------------------------------------


def test_without_a_client_id_the_provider_routes_do_not_exist_and_no_button_shows(client):
    assert client.get(reverse("sso:start")).status_code == 404
    assert client.get(reverse("sso:callback"), {"code": "x", "state": "y"}).status_code == 404
    assert 'id="sso-login"' not in client.get(reverse("login")).content.decode()


def test_the_login_page_shows_the_button_with_the_provider_name_and_the_next_page(sso_on, client):
    html = client.get(reverse("login"), {"next": "/registre/?q=a b"}).content.decode()

    assert 'id="sso-login"' in html
    assert escape(gettext("Log in with %(label)s") % {"label": LABEL}) in html
    assert f'href="{reverse("sso:start")}?next=/registre/%3Fq%3Da%20b"' in html


# Start ------------------------------------------------------------------------------------------------------------


def test_start_sends_to_the_discovered_authorization_endpoint(sso_on, settings, client):
    settings.OIDC_ACR_VALUES = "eidas1"

    response = client.get(reverse("sso:start"), {"next": "/registre/"})

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == DOCUMENT["authorization_endpoint"]
    query = parse_qs(target.query)
    assert query["client_id"] == ["registre"] and query["acr_values"] == ["eidas1"]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert query["state"][0] in client.session["oidc_states"]
    assert "prompt" not in query


def test_the_discovery_document_is_read_once(sso_on, client):
    client.get(reverse("sso:start"))
    client.get(reverse("sso:start"))

    assert sso_on.calls == [DISCOVERY]


def test_a_provider_out_of_reach_gives_a_clear_page_and_a_trace(sso_on, client):
    sso_on.answer = requests.ConnectionError("connection refused")

    response = client.get(reverse("sso:start"))

    assert response.status_code == 503
    assert refusal(Reason.UNAVAILABLE) in response.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.details == {"method": "oidc", "reason": Reason.UNAVAILABLE}


def test_a_document_that_is_not_a_discovery_document_is_refused(sso_on):
    sso_on.answer = FakeResponse({"issuer": "https://idp"})

    with pytest.raises(conf.ProviderUnavailable, match="authorization_endpoint, token_endpoint, jwks_uri missing"):
        conf.setting("OIDC_OP_TOKEN_ENDPOINT")


def test_a_provider_gone_after_a_first_read_keeps_its_last_document(sso_on, settings):
    settings.OIDC_DISCOVERY_TTL = -1  # always stale
    assert conf.setting("OIDC_OP_TOKEN_ENDPOINT") == DOCUMENT["token_endpoint"]
    sso_on.answer = requests.ConnectionError("down")

    assert conf.setting("OIDC_OP_TOKEN_ENDPOINT") == DOCUMENT["token_endpoint"]


def test_explicit_endpoints_need_no_discovery(settings, discovery):
    settings.OIDC_OP_DISCOVERY_URL = ""
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp/token"

    assert conf.setting("OIDC_OP_TOKEN_ENDPOINT") == "https://idp/token"
    assert conf.setting("OIDC_OP_LOGOUT_ENDPOINT", "") == ""
    assert discovery.calls == []


# Callback without a provider behind it ----------------------------------------------------------------------------


def test_a_callback_without_a_sign_in_under_way_is_refused(sso_on, client):
    response = client.get(reverse("sso:callback"), {"code": "forged", "state": "forged"})

    assert response.status_code == 403
    assert refusal(Reason.SESSION_EXPIRED) in response.content.decode()
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED).details["reason"] == Reason.SESSION_EXPIRED


def test_the_provider_error_is_shown_and_the_state_used_up(sso_on, client):
    client.get(reverse("sso:start"))
    state = next(iter(client.session["oidc_states"]))

    response = client.get(
        reverse("sso:callback"), {"error": "access_denied", "error_description": "cancelled", "state": state}
    )

    assert response.status_code == 403
    assert refusal(Reason.PROVIDER_ERROR, detail="cancelled") in response.content.decode()
    assert client.session["oidc_states"] == {}


def test_a_forged_error_link_puts_none_of_its_words_on_the_page(sso_on, client):
    response = client.get(
        reverse("sso:callback"), {"error": "access_denied", "error_description": "Call 01 23 45 67 89 now"}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert refusal(Reason.SESSION_EXPIRED) in html and "01 23 45" not in html


def test_a_refused_callback_does_not_sign_out_whoever_is_signed_in(sso_on, client, users):
    client.force_login(users["dpo"])

    client.get(reverse("sso:callback"), {"error": "access_denied"})

    assert client.get(reverse("registry:use_case_list")).status_code == 200


# The page of an account waiting for its roles ---------------------------------------------------------------------


def test_an_account_without_role_sees_the_waiting_page_with_the_roles_pending(client):
    user = UserFactory(username="nina", email="nina@bellerive.test")
    OidcIdentity.objects.create(
        user=user,
        issuer="https://idp",
        subject="s",
        pending_roles=[{"role": Role.AGENT, "missing": "service", "collectivite": "bellerive", "service": "XYZ"}],
    )
    client.force_login(user)

    response = client.get(reverse("sso:pending"))

    assert response.status_code == 200
    html = response.content.decode()
    assert escape(str(Role.AGENT.label)) in html and "XYZ" in html


def test_someone_with_a_role_goes_to_the_home_page_and_a_visitor_to_the_login(client, users):
    assert client.get(reverse("sso:pending"))["Location"].startswith(reverse("login"))
    client.force_login(users["agent"])

    assert client.get(reverse("sso:pending"))["Location"] == reverse("registry:home")


# Signing out ------------------------------------------------------------------------------------------------------


def test_a_password_session_signs_out_of_the_register_only(sso_on, client, users):
    client.force_login(users["agent"])

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGOUT).count() == 1


def test_a_provider_session_signs_out_at_the_provider_too(sso_on, client, users):
    client.force_login(users["agent"], backend=conf.BACKEND)
    session = client.session
    session["oidc_id_token"] = "the.id.token"
    session.save()

    response = client.post(reverse("logout"))

    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == DOCUMENT["end_session_endpoint"]
    query = parse_qs(target.query)
    assert query["id_token_hint"] == ["the.id.token"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/connexion/"]
    assert len(query["state"][0]) >= 32
    assert "_auth_user_id" not in client.session


def test_signing_out_is_a_post(client, users):
    client.force_login(users["agent"])

    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("registry:use_case_list")).status_code == 200


def test_a_deactivated_account_loses_its_provider_session(sso_on, client):
    user = UserFactory(username="nina")
    client.force_login(user, backend=conf.BACKEND)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)

    assert client.get(reverse("sso:pending"))["Location"].startswith(reverse("login"))
