"""The single sign-on journeys in Chromium, against the real test provider: the button, the provider's login form and
back signed in; a wrong password at the provider; a refusal page; signing out of the provider too."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.utils.translation import gettext

from core.roles import Role
from registry.models import Membership
from security.models import SecurityEvent
from sso.errors import MESSAGES, Reason
from sso.forms import POLICY_MESSAGES

from .conftest import LABEL, PROVIDER_PASSWORD

pytestmark = pytest.mark.browser


def _at_provider_login(page, provider):
    page.wait_for_url(re.compile(re.escape(f"{provider.url}/accounts/login/")))


def _sign_in_at_provider(page, provider, username, password=PROVIDER_PASSWORD):
    page.goto("/connexion/")
    page.locator("#sso-login").click()
    _at_provider_login(page, provider)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#provider-submit")
    page.wait_for_load_state()


def test_the_button_leads_through_the_provider_and_back_signed_in(
    page, browser_sso, live_server, collectivite, screenshot
):
    page.goto("/connexion/")
    button = page.locator("#sso-login")
    assert button.inner_text().strip() == gettext("Log in with %(label)s") % {"label": LABEL}
    screenshot("sso-login-page")

    button.click()
    _at_provider_login(page, browser_sso)
    page.fill("#id_username", "claire.dpo")
    page.fill("#id_password", PROVIDER_PASSWORD)
    page.click("#provider-submit")
    page.wait_for_url(f"{live_server.url}{resolve_url(django_settings.LOGIN_REDIRECT_URL)}")

    assert "Claire Dupont" in page.locator(".registre-topbar").inner_text()
    membership = Membership.objects.get(user__email__iexact="claire.dupont@bellerive.test")
    assert (membership.collectivite, membership.role) == (collectivite, Role.DPO)
    screenshot("sso-signed-in")


def test_a_wrong_password_at_the_provider_opens_no_session(page, browser_sso, live_server, collectivite):
    _sign_in_at_provider(page, browser_sso, "claire.dpo", "wrong-password")

    assert page.locator("#provider-error").is_visible()
    page.goto("/registre/")
    assert page.url.startswith(f"{live_server.url}/connexion/")
    assert not Membership.objects.exists()


def test_an_unverified_email_shows_the_refusal(page, browser_sso, collectivite, screenshot):
    _sign_in_at_provider(page, browser_sso, "ursula.unverified")

    refusal = page.locator("#sso-refusal")
    expected = str(MESSAGES[Reason.EMAIL_NOT_VERIFIED]) % {"label": LABEL, "email": "ursula@bellerive.test"}
    assert refusal.inner_text().strip() == expected
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).count() == 1
    screenshot("sso-refused")


def test_an_account_without_role_sees_whom_to_ask(page, browser_sso, collectivite, screenshot):
    _sign_in_at_provider(page, browser_sso, "nina.norole")

    assert page.url.endswith("/oidc/en-attente/")
    assert gettext(
        "Ask the administrator of the register in your collectivité to give you a role, then sign in again."
    ) in page.inner_text("main")
    screenshot("sso-pending")


def test_signing_out_ends_the_provider_session_too(page, browser_sso, live_server, collectivite):
    _sign_in_at_provider(page, browser_sso, "claire.dpo")
    assert page.url == f"{live_server.url}{resolve_url(django_settings.LOGIN_REDIRECT_URL)}"

    page.locator("form[action='/deconnexion/'] button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(f"{live_server.url}/connexion/")))
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGOUT).count() == 1

    # The provider asks for the password again: its session ended with the register's.
    page.locator("#sso-login").click()
    _at_provider_login(page, browser_sso)
    assert page.locator("#id_password").is_visible()


def test_passwords_kept_for_administrators_refuse_an_agent_with_the_reason(page, settings, users, screenshot):
    settings.LOCAL_PASSWORD_LOGIN = "admins"
    settings.OIDC_LABEL = LABEL
    page.goto("/connexion/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", "motdepasse-test")
    page.locator("form[action='/connexion/'] button[type=submit]").click()
    page.wait_for_load_state()

    assert page.locator("#login-error").inner_text().strip() == str(POLICY_MESSAGES["admins"]) % {"label": LABEL}
    assert page.input_value("#id_username") == "agent"
    screenshot("sso-password-reserved")
