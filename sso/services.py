"""A sign-in through the provider: find or create the account, keep its profile and its provider-given roles in line
with the claims, or refuse with a reason.

Roles: when OIDC_ROLES_CLAIM is set, the claim is authoritative for the roles it granted (marked by an
`OidcRoleGrant`): a sign-in adds what it maps to and removes what it no longer maps to, a claim that is missing or
empty included. Roles an administrator gave (no mark) are never removed by a sign-in. Agents and heads of service
need a known service (OIDC_SERVICE_CLAIM, matched to Service.code): without one their role waits for an
administrator (`OidcIdentity.pending_roles`). Without OIDC_ROLES_CLAIM, roles are an administrator's matter only.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.models import Collectivite, Membership, Service

from . import claims as claims_lib
from . import conf
from .errors import Reason, SignInRefused
from .models import OidcIdentity, OidcRoleGrant


def identity_sign_in(*, issuer: str, claims: dict):
    """The account for these verified claims (id token completed by userinfo), its roles synchronised.

    Returns (user, identity); raises SignInRefused. Two first sign-ins of one person at the same instant both try
    to create the identity: the second one's unique constraint fails, and it runs again and finds it.
    """
    subject = str(claims.get("sub") or "")
    if not subject or not issuer:
        raise SignInRefused(Reason.INVALID_CLAIMS, email=claims_lib.email(claims))
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _sign_in(issuer=issuer, subject=subject, claims=claims)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _sign_in(*, issuer: str, subject: str, claims: dict):
    address = claims_lib.email(claims)
    identity = (
        OidcIdentity.objects.select_for_update().select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    if identity is None:
        user = _account_for_email(address, claims)
        identity = OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    user = identity.user
    if not user.is_active:
        raise SignInRefused(Reason.INACTIVE, email=address or user.email, user=user)
    _update_profile(user, claims)
    update_fields = ["last_login_at"]
    if conf.setting("OIDC_ROLES_CLAIM", ""):
        identity.pending_roles = _sync_roles(identity, user, claims)
        update_fields.append("pending_roles")
    identity.last_login_at = timezone.now()
    identity.save(update_fields=update_fields)
    return user, identity


def _account_for_email(address: str, claims: dict):
    """First sign-in with this identity: the one account with this e-mail address, or a new one."""
    user_model = get_user_model()
    if not address:
        raise SignInRefused(Reason.NO_EMAIL)
    if claims_lib.email_unverified(claims):
        raise SignInRefused(Reason.EMAIL_NOT_VERIFIED, email=address)
    accounts = list(user_model._default_manager.select_for_update().filter(email__iexact=address).order_by("pk")[:2])
    if len(accounts) > 1:
        raise SignInRefused(Reason.SHARED_EMAIL, email=address)
    if accounts:
        return accounts[0]
    if not conf.setting("OIDC_CREATE_USER"):
        raise SignInRefused(Reason.NO_ACCOUNT, email=address)
    user = user_model(username=_free_username(address), email=address, **claims_lib.names(claims))
    user.set_unusable_password()  # signs in through the provider; LOCAL_PASSWORD_LOGIN decides for passwords
    user.save()
    return user


def _free_username(address: str) -> str:
    """The e-mail address as username (what an administrator recognises), numbered if an account already has it."""
    manager = get_user_model()._default_manager
    base = address.lower()[:140]
    candidate, number = base, 1
    while manager.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _update_profile(user, claims: dict) -> None:
    """Names from the claims; the e-mail address too when verified and no other account has it."""
    changes = {field: value for field, value in claims_lib.names(claims).items() if getattr(user, field) != value}
    address = claims_lib.email(claims)
    if (
        address
        and address.lower() != (user.email or "").lower()
        and not claims_lib.email_unverified(claims)
        and not type(user)._default_manager.filter(email__iexact=address).exclude(pk=user.pk).exists()
    ):
        changes["email"] = address
    if changes:
        for field, value in changes.items():
            setattr(user, field, value)
        user.save(update_fields=list(changes))


# Roles ------------------------------------------------------------------------------------------------------------


def _collectivite(claims: dict):
    """(what the claims or settings name, the Collectivite or None). The claim, when configured and sent, wins over
    OIDC_COLLECTIVITE: an installation serving several collectivités never puts a person in the default one because
    their own is unknown."""
    claim_name = conf.setting("OIDC_COLLECTIVITE_CLAIM", "")
    raw = claims_lib.claim(claims, claim_name) if claim_name else None
    if claims_lib.first(raw):
        key = claims_lib.collectivite_key(raw)
    else:
        key = claims_lib.CollectiviteKey(slug=str(conf.setting("OIDC_COLLECTIVITE", "")).strip().lower())
    if key.siren:
        return key, Collectivite.objects.filter(siren=key.siren).first()
    if key.slug:
        return key, Collectivite.objects.filter(slug__iexact=key.slug).first()
    return key, None


def _sync_roles(identity: OidcIdentity, user, claims: dict) -> list[dict]:
    """Make the provider-granted memberships match the claim; return the roles that wait for an administrator."""
    roles = claims_lib.mapped_roles(claims, roles_claim=conf.setting("OIDC_ROLES_CLAIM"), role_map=conf.role_map())
    key, collectivite = _collectivite(claims)
    service_claim = conf.setting("OIDC_SERVICE_CLAIM", "")
    service_code = claims_lib.first(claims_lib.claim(claims, service_claim)) if service_claim else ""
    service = None
    if collectivite is not None and service_code:
        service = Service.objects.filter(collectivite=collectivite, code__iexact=service_code).first()

    wanted: set[tuple[int, str, int | None]] = set()
    pending: list[dict] = []
    for role in sorted(roles):
        if collectivite is None:
            pending.append({"role": role, "missing": "collectivite", "collectivite": str(key), "service": service_code})
        elif role in claims_lib.SERVICE_ROLES and service is None:
            pending.append(
                {"role": role, "missing": "service", "collectivite": collectivite.slug, "service": service_code}
            )
        else:
            wanted.add((collectivite.pk, role, service.pk if role in claims_lib.SERVICE_ROLES else None))

    granted = {
        (grant.membership.collectivite_id, grant.membership.role, grant.membership.service_id): grant
        for grant in OidcRoleGrant.objects.select_related("membership").filter(identity__user=user)
    }
    for key_held, grant in granted.items():
        if key_held not in wanted:
            grant.membership.delete()  # the grant goes with it; the trail records the role revoked
    for collectivite_id, role, service_id in sorted(wanted - set(granted), key=str):
        held = Membership.objects.filter(
            user=user, collectivite_id=collectivite_id, role=role, service_id=service_id
        ).exists()
        if held:
            continue  # given by an administrator: stays theirs, never removed by a sign-in
        membership = Membership.objects.create(
            user=user, collectivite_id=collectivite_id, role=role, service_id=service_id
        )
        OidcRoleGrant.objects.create(identity=identity, membership=membership)
    return pending
