"""System checks of the single sign-on settings (`manage.py check`): what would fail at the first sign-in, said at
start-up. Nothing is fetched from the provider here: `manage.py sso_check` does that."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from core.roles import Role

from . import conf

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@register(Tags.security)
def sso_settings(app_configs, **kwargs):
    messages = []
    backends = list(getattr(settings, "AUTHENTICATION_BACKENDS", []))
    raw_policy = str(getattr(settings, "LOCAL_PASSWORD_LOGIN", "") or conf.POLICY_ALL).strip().lower()
    if raw_policy not in conf.POLICIES:
        messages.append(
            Error(
                f"LOCAL_PASSWORD_LOGIN={raw_policy!r}: expected one of {', '.join(conf.POLICIES)} "
                "(read as admins meanwhile).",
                id="sso.E001",
            )
        )
    elif raw_policy != conf.POLICY_ALL:
        gate_first = conf.GATE in backends and (
            MODEL_BACKEND not in backends or backends.index(conf.GATE) < backends.index(MODEL_BACKEND)
        )
        if not gate_first:
            messages.append(
                Error(
                    f"LOCAL_PASSWORD_LOGIN={raw_policy} needs {conf.GATE} in AUTHENTICATION_BACKENDS, "
                    f"before {MODEL_BACKEND}.",
                    id="sso.E002",
                )
            )
        if not conf.enabled():
            messages.append(
                Warning(
                    f"LOCAL_PASSWORD_LOGIN={raw_policy} while single sign-on is off (OIDC_RP_CLIENT_ID unset): "
                    "people other than administrators cannot sign in at all.",
                    id="sso.W001",
                )
            )
    if not conf.enabled():
        return messages

    if conf.BACKEND not in backends:
        messages.append(Error(f"Single sign-on needs {conf.BACKEND} in AUTHENTICATION_BACKENDS.", id="sso.E003"))
    discovered = bool(conf.discovery_url())
    explicit = all(getattr(settings, name, "") for name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"))
    if not discovered and not explicit:
        messages.append(
            Error(
                "Single sign-on needs OIDC_OP_DISCOVERY_URL, or OIDC_OP_AUTHORIZATION_ENDPOINT and "
                "OIDC_OP_TOKEN_ENDPOINT.",
                id="sso.E004",
            )
        )
    algorithm = str(conf.setting("OIDC_RP_SIGN_ALGO"))
    if (
        algorithm.startswith(("RS", "ES", "PS"))
        and not discovered
        and not getattr(settings, "OIDC_OP_JWKS_ENDPOINT", "")
        and not getattr(settings, "OIDC_RP_IDP_SIGN_KEY", None)
    ):
        messages.append(
            Error(
                f"OIDC_RP_SIGN_ALGO={algorithm} needs OIDC_OP_JWKS_ENDPOINT (or OIDC_OP_DISCOVERY_URL).", id="sso.E005"
            )
        )
    if not getattr(settings, "OIDC_RP_CLIENT_SECRET", ""):
        messages.append(Error("Single sign-on needs OIDC_RP_CLIENT_SECRET (the client's secret).", id="sso.E006"))
    unknown = sorted({role for role in conf.role_map().values() if role not in Role.values})
    if unknown:
        messages.append(
            Error(
                f"OIDC_ROLE_MAP maps to unknown roles: {', '.join(unknown)} (roles: {', '.join(Role.values)}).",
                id="sso.E007",
            )
        )
    roles_claim = getattr(settings, "OIDC_ROLES_CLAIM", "")
    if roles_claim and not conf.role_map():
        messages.append(
            Warning(
                "OIDC_ROLES_CLAIM is set but OIDC_ROLE_MAP is empty: no value of the claim maps to a role.",
                id="sso.W002",
            )
        )
    if roles_claim and not (
        getattr(settings, "OIDC_COLLECTIVITE", "") or getattr(settings, "OIDC_COLLECTIVITE_CLAIM", "")
    ):
        messages.append(
            Warning(
                "OIDC_ROLES_CLAIM is set but neither OIDC_COLLECTIVITE nor OIDC_COLLECTIVITE_CLAIM: roles from the "
                "claim will always wait for an administrator.",
                id="sso.W003",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def sso_https(app_configs, **kwargs):
    if not conf.enabled():
        return []
    plain = [
        name
        for name in ("OIDC_OP_DISCOVERY_URL", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT")
        if str(getattr(settings, name, "")).startswith("http://")
    ]
    if plain:
        return [Warning(f"{', '.join(plain)} not in https: tokens would travel in clear.", id="sso.W004")]
    return []
