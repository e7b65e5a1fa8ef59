"""The sign-in service (sso.services.identity_sign_in) from verified claims: which account, which profile, which
roles, and the refusals. The end-to-end tests (test_provider_flow, test_browser) go through a real provider."""

from __future__ import annotations

import pytest

from core.roles import Role
from registry.models import Membership, User
from security.models import SecurityEvent
from sso.errors import Reason, SignInRefused
from sso.models import OidcIdentity, OidcRoleGrant
from sso.services import identity_sign_in
from tests.registry.factories import CollectiviteFactory, MembershipFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.bellerive.test/realms/agents"


@pytest.fixture
def roles_from_claims(settings, collectivite, services):
    settings.OIDC_ROLES_CLAIM = "roles"
    settings.OIDC_ROLE_MAP = {"registre-dpo": "dpo", "registre-agent": "agent", "registre-chef": "head_of_service"}
    settings.OIDC_COLLECTIVITE = "bellerive"
    settings.OIDC_SERVICE_CLAIM = "service"
    settings.OIDC_COLLECTIVITE_CLAIM = ""


def person(sub="sub-1", email="claire.dupont@bellerive.test", **more):
    return {"sub": sub, "email": email, "given_name": "Claire", "family_name": "Dupont", **more}


def refused(claims, issuer=ISSUER) -> SignInRefused:
    with pytest.raises(SignInRefused) as caught:
        identity_sign_in(issuer=issuer, claims=claims)
    return caught.value


def roles_of(user) -> set[tuple[str, str | None]]:
    return set(Membership.objects.filter(user=user).values_list("role", "service__code"))


# Which account ------------------------------------------------------------------------------------------------------


def test_a_first_sign_in_creates_an_account_named_after_the_email():
    user, identity = identity_sign_in(issuer=ISSUER, claims=person(email="Claire.Dupont@Bellerive.test"))

    assert (user.username, user.email, user.get_full_name()) == (
        "claire.dupont@bellerive.test",
        "Claire.Dupont@Bellerive.test",
        "Claire Dupont",
    )
    assert not user.has_usable_password()
    assert (identity.issuer, identity.subject, identity.user) == (ISSUER, "sub-1", user)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.USER_CREATED, subject_user=user).exists()


def test_a_username_already_taken_gets_a_number():
    UserFactory(username="claire.dupont@bellerive.test", email="autre@bellerive.test")

    user, _identity = identity_sign_in(issuer=ISSUER, claims=person())

    assert user.username == "claire.dupont@bellerive.test-2"


def test_the_subject_wins_over_the_email_and_the_email_follows_the_provider():
    user, _identity = identity_sign_in(issuer=ISSUER, claims=person())

    again, _identity = identity_sign_in(issuer=ISSUER, claims=person(email="claire.martin@bellerive.test"))

    assert again == user
    user.refresh_from_db()
    assert user.email == "claire.martin@bellerive.test"
    assert User.objects.count() == 1


def test_an_email_another_account_holds_is_not_taken_over():
    user, _identity = identity_sign_in(issuer=ISSUER, claims=person())
    UserFactory(username="other", email="taken@bellerive.test")

    identity_sign_in(issuer=ISSUER, claims=person(email="TAKEN@bellerive.test"))

    user.refresh_from_db()
    assert user.email == "claire.dupont@bellerive.test"


def test_another_subject_with_the_same_email_links_to_the_same_account():
    # ProConnect gives one subject per identity provider behind it: the e-mail address reconciles them.
    user, _identity = identity_sign_in(issuer=ISSUER, claims=person(sub="via-idp-a"))

    again, identity = identity_sign_in(issuer=ISSUER, claims=person(sub="via-idp-b"))

    assert again == user and identity.subject == "via-idp-b"
    assert OidcIdentity.objects.filter(user=user).count() == 2


def test_a_linked_identity_signs_in_even_if_the_provider_no_longer_verifies_the_email():
    user, _identity = identity_sign_in(issuer=ISSUER, claims=person())

    again, _identity = identity_sign_in(issuer=ISSUER, claims=person(email="new@bellerive.test", email_verified=False))

    assert again == user
    user.refresh_from_db()
    assert user.email == "claire.dupont@bellerive.test"  # an unverified address is not taken


# Refusals -----------------------------------------------------------------------------------------------------------


def test_an_unverified_email_is_refused_at_the_first_sign_in():
    UserFactory(username="claire", email="claire.dupont@bellerive.test")

    refusal = refused(person(email_verified=False))

    assert (refusal.reason, refusal.email) == (Reason.EMAIL_NOT_VERIFIED, "claire.dupont@bellerive.test")
    assert not OidcIdentity.objects.exists()


def test_two_accounts_with_the_email_are_refused():
    UserFactory(username="c1", email="claire.dupont@bellerive.test")
    UserFactory(username="c2", email="CLAIRE.DUPONT@bellerive.test")

    assert refused(person()).reason == Reason.SHARED_EMAIL
    assert not OidcIdentity.objects.exists()


def test_no_email_no_subject_are_refused():
    assert refused(person(email="")).reason == Reason.NO_EMAIL
    assert refused(person(sub="")).reason == Reason.INVALID_CLAIMS
    assert refused(person(), issuer="").reason == Reason.INVALID_CLAIMS


def test_without_account_creation_an_unknown_email_is_refused(settings):
    settings.OIDC_CREATE_USER = False

    assert refused(person()).reason == Reason.NO_ACCOUNT
    assert not User.objects.exists()


def test_a_deactivated_account_is_refused_and_not_linked():
    user = UserFactory(username="claire", email="claire.dupont@bellerive.test", is_active=False)

    refusal = refused(person())

    assert (refusal.reason, refusal.user) == (Reason.INACTIVE, user)
    assert not OidcIdentity.objects.exists()


# Roles --------------------------------------------------------------------------------------------------------------


def test_roles_from_the_claim_are_granted_and_marked(roles_from_claims, collectivite, services):
    user, identity = identity_sign_in(
        issuer=ISSUER, claims=person(roles=["registre-dpo", "registre-agent"], service="ccas")
    )

    assert roles_of(user) == {(Role.DPO, None), (Role.AGENT, "CCAS")}  # the service code, whatever its case
    assert OidcRoleGrant.objects.filter(identity=identity).count() == 2
    assert identity.pending_roles == []


def test_the_claim_is_authoritative_for_its_own_roles_only(roles_from_claims, collectivite):
    user, _identity = identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-dpo"]))
    MembershipFactory(user=user, collectivite=collectivite, role=Role.RSSI)  # an administrator's

    identity_sign_in(issuer=ISSUER, claims=person(roles=[]))

    assert roles_of(user) == {(Role.RSSI, None)}
    assert not OidcRoleGrant.objects.exists()


def test_a_role_an_administrator_gave_is_not_taken_over_by_the_claim(roles_from_claims, collectivite):
    user = UserFactory(username="claire", email="claire.dupont@bellerive.test")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.DPO)

    identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-dpo"]))
    identity_sign_in(issuer=ISSUER, claims=person(roles=None))

    assert roles_of(user) == {(Role.DPO, None)}
    assert not OidcRoleGrant.objects.exists()


def test_a_role_whose_service_is_unknown_waits_then_is_granted_once_known(roles_from_claims, collectivite):
    user, identity = identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-chef"], service="NUM"))

    assert roles_of(user) == set()
    assert identity.pending_roles == [
        {"role": Role.HEAD_OF_SERVICE, "missing": "service", "collectivite": "bellerive", "service": "NUM"}
    ]

    ServiceFactory(collectivite=collectivite, code="NUM", name="Numérique")
    _user, identity = identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-chef"], service="NUM"))

    assert roles_of(user) == {(Role.HEAD_OF_SERVICE, "NUM")}
    assert identity.pending_roles == []


def test_the_collectivite_from_a_siret_claim(roles_from_claims, settings, collectivite):
    settings.OIDC_COLLECTIVITE_CLAIM = "siret"
    neighbour = CollectiviteFactory(slug="voisine", siren="213700149")

    user, _identity = identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-dpo"], siret="21370014900015"))

    assert list(Membership.objects.filter(user=user).values_list("collectivite", flat=True)) == [neighbour.pk]


def test_an_unknown_collectivite_claim_never_falls_back_to_the_default_one(roles_from_claims, settings):
    settings.OIDC_COLLECTIVITE_CLAIM = "siret"

    user, identity = identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-dpo"], siret="99999999900011"))

    assert roles_of(user) == set()
    assert identity.pending_roles == [
        {"role": Role.DPO, "missing": "collectivite", "collectivite": "999999999", "service": ""}
    ]


def test_without_a_roles_claim_roles_are_left_to_administrators(settings, collectivite):
    settings.OIDC_ROLES_CLAIM = ""
    user = UserFactory(username="claire", email="claire.dupont@bellerive.test")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.DGS)

    identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-dpo"]))

    assert roles_of(user) == {(Role.DGS, None)}


def test_a_returning_sign_in_costs_a_fixed_number_of_queries(roles_from_claims, django_assert_max_num_queries):
    identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-dpo", "registre-agent"], service="CCAS"))

    with django_assert_max_num_queries(8):
        identity_sign_in(issuer=ISSUER, claims=person(roles=["registre-dpo", "registre-agent"], service="CCAS"))
