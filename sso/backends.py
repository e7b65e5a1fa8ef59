"""Authentication backends: the provider's sign-in (OpenID Connect), and the gate of password sign-ins.

AUTHENTICATION_BACKENDS, in this order: axes (lockout) → LocalPasswordGate → ModelBackend → OidcBackend → guardian.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.roles import Role

from . import conf, services

logger = logging.getLogger(__name__)


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with the endpoints discovered, the id token's audience and issuer checked, and
    the account found or created by `services.identity_sign_in` (refusals raise `SignInRefused`).

    Django builds a backend for every `authenticate()` and every request of a signed-in person: nothing is read
    from the provider until a callback actually comes in.
    """

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self.id_token = None
        self.issuer = ""

    @staticmethod
    def get_settings(attr, *args):
        return conf.setting(attr, *args)

    def authenticate(self, request, **kwargs):
        # Only the callback's call (nonce, code verifier) is ours; a password sign-in is none of our business.
        if request is None or "nonce" not in kwargs or "password" in kwargs or not conf.enabled():
            return None
        self.configure()
        return super().authenticate(request, **kwargs)

    def configure(self) -> None:
        """Read the provider's endpoints and the client's settings (may raise ProviderUnavailable)."""
        self.OIDC_OP_TOKEN_ENDPOINT = conf.setting("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = conf.setting("OIDC_OP_USER_ENDPOINT", "")
        self.OIDC_OP_JWKS_ENDPOINT = conf.setting("OIDC_OP_JWKS_ENDPOINT", None)
        self.OIDC_RP_CLIENT_ID = conf.setting("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = conf.setting("OIDC_RP_CLIENT_SECRET", "")
        self.OIDC_RP_SIGN_ALGO = conf.setting("OIDC_RP_SIGN_ALGO")
        self.OIDC_RP_IDP_SIGN_KEY = conf.setting("OIDC_RP_IDP_SIGN_KEY", None)
        self.expected_issuer = conf.setting("OIDC_OP_ISSUER", "")

    def verify_token(self, token, **kwargs):
        """The signature and nonce (mozilla-django-oidc), then what it leaves out: the token is for us, from them.

        The id token (verified with its nonce) must name us in `aud`; a signed userinfo answer (ProConnect) SHOULD
        carry `aud` and `iss` (OpenID Connect Core 5.3.2), so they are checked when present."""
        payload = super().verify_token(token, **kwargs)
        id_token = "nonce" in kwargs
        audience = payload.get("aud")
        if id_token or audience is not None:
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("The token is not meant for this client (aud).")
        if self.expected_issuer and (id_token or "iss" in payload) and payload.get("iss") != self.expected_issuer:
            raise SuspiciousOperation("The token does not come from the configured issuer (iss).")
        return payload

    def store_tokens(self, access_token, id_token):
        # Kept for the callback view, which puts it in the session after login (login may flush the session).
        self.id_token = id_token

    def get_or_create_user(self, access_token, id_token, payload):
        """The id token's claims completed by the userinfo endpoint's (Entra ID sends its roles in the id token
        only; ProConnect its siret in userinfo only). Both must speak of the same person."""
        userinfo = {}
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload) or {}
            if userinfo.get("sub") and userinfo["sub"] != payload.get("sub"):
                raise SuspiciousOperation("The userinfo subject differs from the id token's.")
        self.issuer = str(payload.get("iss") or self.expected_issuer or "")
        user, _identity = services.identity_sign_in(issuer=self.issuer, claims={**payload, **userinfo})
        return user

    def get_user(self, user_id):
        # mozilla-django-oidc's would keep a deactivated account signed in.
        return ModelBackend.get_user(self, user_id)

    def user_can_authenticate(self, user):
        return ModelBackend.user_can_authenticate(self, user)


def may_use_password(user) -> bool:
    """Whether LOCAL_PASSWORD_LOGIN lets this account sign in with a password."""
    policy = conf.password_policy()
    if policy == conf.POLICY_ALL:
        return True
    if policy == conf.POLICY_NONE:
        return False
    return bool(user.is_superuser or user.memberships.filter(role=Role.ADMIN).exists())


class LocalPasswordGate:
    """Before ModelBackend: refuses the password sign-in of an account LOCAL_PASSWORD_LOGIN does not allow, whatever
    the password (the answer tells nothing of it). Covers the login page, the admin's and the API token endpoint,
    which all go through `authenticate()`; the refusal counts as a failed sign-in (django-axes, security trail)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is None or conf.password_policy() == conf.POLICY_ALL:
            return None
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is not None and may_use_password(user):
            return None  # ModelBackend checks the password
        user_model().set_password(password)  # the time a password check takes, whether the account exists or not
        raise PermissionDenied
