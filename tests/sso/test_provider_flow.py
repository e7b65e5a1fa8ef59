"""End to end against the real test provider, without Chromium: the provider answers over HTTP from its own process
(login form, authorization, tokens, userinfo, keys, end of session); the register runs under Django's test client.
First sign-in, roles from the claim kept in line at each sign-in, refusals with their page and their trace, what
cannot be replayed, and the sign-out that ends the provider's session."""

from __future__ import annotations

from io import StringIO
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.html import escape

from core.roles import Role
from registry.models import Membership, User
from security.models import SecurityEvent
from sso.errors import MESSAGES, Reason
from sso.models import OidcIdentity, OidcRoleGrant
from tests.registry.factories import MembershipFactory, UserFactory

from .conftest import LABEL, free_port

LANDING = resolve_url(django_settings.LOGIN_REDIRECT_URL)


def refusal_text(reason: str, **params) -> str:
    return escape(str(MESSAGES[reason]) % {"label": LABEL, "email": "", "detail": "", **params})


def landed_on(page) -> str:
    return page.redirect_chain[-1][0] if page.redirect_chain else ""


def failed_sign_ins():
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED)


def test_first_sign_in_creates_the_account_with_its_role_and_lands_where_a_login_does(visitor, collectivite):
    browser = visitor()

    page = browser.sign_in("claire.dpo")

    assert page.status_code == 200 and landed_on(page) == LANDING
    claire = User.objects.get(email__iexact="claire.dupont@bellerive.test")
    assert (claire.first_name, claire.last_name, claire.username) == (
        "Claire",
        "Dupont",
        "claire.dupont@bellerive.test",
    )
    assert not claire.has_usable_password()
    membership = Membership.objects.get(user=claire)
    assert (membership.collectivite, membership.role, membership.service) == (collectivite, Role.DPO, None)
    identity = OidcIdentity.objects.get(user=claire)
    assert identity.issuer.endswith("/o") and identity.subject and identity.last_login_at is not None
    assert OidcRoleGrant.objects.get(identity=identity).membership == membership
    # The session is the register's own: the DPO's pages open.
    assert browser.register.get(reverse("registry:review_list")).status_code == 200
    login = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_SUCCEEDED)
    assert login.subject_user == claire and login.actor == claire
    assert login.details == {"backend": "sso.backends.OidcBackend"}  # told apart from a password sign-in


def test_the_page_asked_for_before_signing_in_opens_after(visitor, collectivite):
    page = visitor().sign_in("claire.dpo", next=reverse("registry:tool_list"))

    assert landed_on(page) == reverse("registry:tool_list")


def test_an_agent_gets_the_service_the_claim_names(visitor, services):
    visitor().sign_in("paul.agent")

    membership = Membership.objects.get(user__email="paul.martin@bellerive.test")
    assert (membership.role, membership.service) == (Role.AGENT, services["ccas"])


def test_an_existing_account_is_found_by_its_email_whatever_the_case(visitor, collectivite):
    existing = UserFactory(username="cdupont", email="claire.dupont@bellerive.test", first_name="C.")

    visitor().sign_in("claire.dpo")

    assert User.objects.filter(email__iexact="claire.dupont@bellerive.test").count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "Claire"
    assert OidcIdentity.objects.get().user == existing


def test_roles_follow_the_claim_but_those_an_administrator_gave_stay(visitor, provider_claims, collectivite, services):
    visitor().sign_in("claire.dpo")
    claire = User.objects.get(email__iexact="claire.dupont@bellerive.test")
    MembershipFactory(user=claire, collectivite=collectivite, role=Role.RSSI)  # given by an administrator

    provider_claims("claire.dpo", roles=["registre-chef"], service="DSOL")
    visitor().sign_in("claire.dpo")

    held = set(Membership.objects.filter(user=claire).values_list("role", "service__code"))
    assert held == {(Role.RSSI, None), (Role.HEAD_OF_SERVICE, "DSOL")}
    revoked = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ROLE_REVOKED)
    assert revoked.subject_user == claire and revoked.details["role"] == Role.DPO

    provider_claims("claire.dpo", roles=None)  # the claim is gone: no role from the provider any more
    visitor().sign_in("claire.dpo")

    assert set(Membership.objects.filter(user=claire).values_list("role", flat=True)) == {Role.RSSI}


def test_without_a_role_the_person_lands_on_a_page_that_says_whom_to_ask(visitor, collectivite):
    browser = visitor()

    page = browser.sign_in("nina.norole")

    assert page.status_code == 200 and landed_on(page) == reverse("sso:pending")
    assert 'id="waiting-roles"' not in page.content.decode()
    assert not Membership.objects.filter(user__email="nina.petit@bellerive.test").exists()
    # Elsewhere the register says the same (no role), and nothing of the collectivité shows.
    assert browser.register.get(reverse("registry:use_case_list")).status_code == 403


def test_an_agent_whose_service_is_unknown_waits_for_an_administrator(visitor, provider_claims, services):
    provider_claims("paul.agent", service="XYZ")

    page = visitor().sign_in("paul.agent")

    assert landed_on(page) == reverse("sso:pending")
    assert 'id="waiting-roles"' in page.content.decode() and "XYZ" in page.content.decode()
    identity = OidcIdentity.objects.get(user__email="paul.martin@bellerive.test")
    assert identity.pending_roles == [
        {"role": Role.AGENT, "missing": "service", "collectivite": "bellerive", "service": "XYZ"}
    ]
    assert not Membership.objects.filter(user=identity.user).exists()


def test_an_unverified_email_is_refused_clearly_and_recorded(visitor, collectivite):
    browser = visitor()

    page = browser.sign_in("ursula.unverified")

    assert page.status_code == 403
    assert refusal_text(Reason.EMAIL_NOT_VERIFIED, email="ursula@bellerive.test") in page.content.decode()
    assert not User.objects.filter(email="ursula@bellerive.test").exists()
    assert browser.register.get(reverse("registry:use_case_list")).status_code == 302  # not signed in
    failed = failed_sign_ins().get()
    assert failed.username_attempted == "ursula@bellerive.test"
    assert failed.details["method"] == "oidc" and failed.details["reason"] == Reason.EMAIL_NOT_VERIFIED
    assert failed.details["issuer"].endswith("/o")


def test_an_email_shared_by_two_accounts_is_refused(visitor, collectivite):
    UserFactory(username="sam1", email="partage@bellerive.test")
    UserFactory(username="sam2", email="Partage@Bellerive.test")

    page = visitor().sign_in("sam.shared")

    assert page.status_code == 403
    assert refusal_text(Reason.SHARED_EMAIL, email="partage@bellerive.test") in page.content.decode()
    assert not OidcIdentity.objects.exists()
    assert failed_sign_ins().get().details["reason"] == Reason.SHARED_EMAIL


def test_the_provider_answer_cannot_be_replayed(visitor, collectivite):
    browser = visitor()
    answer = browser.at_provider("claire.dpo")
    assert urlsplit(answer.headers["Location"]).path == reverse("sso:callback")

    assert browser.to_register(answer, follow=False).status_code == 302  # signed in
    replayed = browser.to_register(answer, follow=False)  # the same code and state again, in the same browser
    stranger = visitor().to_register(answer, follow=False)  # or in another one, without the state in its session

    assert replayed.status_code == stranger.status_code == 403
    assert refusal_text(Reason.SESSION_EXPIRED) in replayed.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_SUCCEEDED).count() == 1


def test_a_wrong_client_secret_signs_nobody_in(visitor, settings, collectivite):
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"

    page = visitor().sign_in("claire.dpo")

    assert page.status_code == 403
    assert refusal_text(Reason.INVALID_ANSWER) in page.content.decode()
    assert not User.objects.filter(email__iexact="claire.dupont@bellerive.test").exists()
    assert failed_sign_ins().get().details["reason"] == Reason.INVALID_ANSWER


def test_a_provider_gone_in_the_middle_of_a_sign_in_says_so(visitor, settings, collectivite):
    browser = visitor()
    answer = browser.at_provider("claire.dpo")
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/o/token/"  # nothing listens there

    page = browser.to_register(answer)

    assert page.status_code == 503
    assert refusal_text(Reason.UNAVAILABLE) in page.content.decode()
    assert failed_sign_ins().get().details["reason"] == Reason.UNAVAILABLE


def test_a_wrong_password_at_the_provider_leaves_the_person_there(visitor, collectivite):
    browser = visitor()

    answer = browser.sign_in("claire.dpo", password="wrong-password")

    assert "/accounts/login/" in answer.url and 'id="provider-error"' in answer.text
    assert browser.register.get(reverse("registry:use_case_list")).status_code == 302  # not signed in
    assert not User.objects.filter(email__iexact="claire.dupont@bellerive.test").exists()


def test_signing_out_ends_the_provider_session_too(visitor, provider, collectivite):
    browser = visitor()
    browser.sign_in("claire.dpo")
    # While the provider's session lasts, the button signs in again without the provider's login form.
    assert browser.sent_back(browser.to_provider(browser.register.get(reverse("sso:start"))))

    out = browser.register.post(reverse("logout"))

    assert out["Location"].startswith(f"{provider.issuer}/logout/?id_token_hint=")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGOUT).count() == 1
    back = browser.follow_provider(browser.http.get(out["Location"], timeout=15, allow_redirects=False))
    assert browser.sent_back(back) and urlsplit(back.headers["Location"]).path == reverse("login")
    assert browser.to_register(back).status_code == 200
    # The provider asks for the password again: its session is over.
    answer = browser.to_provider(browser.register.get(reverse("sso:start")))
    assert not browser.sent_back(answer) and "/accounts/login/" in answer.url


def test_sso_check_reads_the_provider_and_prints_the_addresses_to_register(sso, settings):
    settings.SITE_URL = "https://registre.bellerive.test"
    out = StringIO()

    call_command("sso_check", stdout=out)

    text = out.getvalue()
    assert f"OIDC_OP_TOKEN_ENDPOINT = {sso.issuer}/token/" in text
    assert "redirect URI: https://registre.bellerive.test/oidc/callback/" in text
    assert "post-logout redirect URI: https://registre.bellerive.test/connexion/" in text
    assert "Signing keys: 1 (RS256)." in text
