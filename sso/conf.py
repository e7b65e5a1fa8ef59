"""The single sign-on settings and the provider's endpoints.

Every setting is read from Django's settings (config/settings/base.py fills them from the environment); an unset
one ("" or absent) takes the default below. The provider's endpoints come from explicit settings or, when
OIDC_OP_DISCOVERY_URL is set, from its discovery document, fetched on first use and kept OIDC_DISCOVERY_TTL
seconds (a stale document is used while the provider cannot be reached, rather than refusing everyone).
"""

from __future__ import annotations

import logging
import threading
import time

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Who may still sign in with a password (LOCAL_PASSWORD_LOGIN).
POLICY_ALL = "all"
POLICY_ADMINS = "admins"
POLICY_NONE = "none"
POLICIES = (POLICY_ALL, POLICY_ADMINS, POLICY_NONE)

BACKEND = "sso.backends.OidcBackend"
GATE = "sso.backends.LocalPasswordGate"

DEFAULTS = {
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_USE_PKCE": True,
    "OIDC_TIMEOUT": 10,
    "OIDC_CREATE_USER": True,
    "OIDC_DISCOVERY_TTL": 3600,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:callback",
    "OIDC_OP_LOGOUT_URL_METHOD": "sso.views.provider_logout_url",
    "LOCAL_PASSWORD_LOGIN": POLICY_ALL,
}

# Our setting -> the discovery document's key (OpenID Connect Discovery 1.0, RP-Initiated Logout 1.0).
ENDPOINTS = {
    "OIDC_OP_ISSUER": "issuer",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",  # nosec B105 — names of settings and discovery keys, no secret
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
REQUIRED_IN_DISCOVERY = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")

_UNSET = object()


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read (network, HTTP error, not a discovery document)."""


def _is_unset(value) -> bool:
    return value is None or value == ""


def setting(name: str, default=_UNSET):
    """A single sign-on setting: Django's, else the discovered endpoint, else our default, else `default`.

    Same signature as mozilla-django-oidc's `get_settings(attr, *args)`, which our views and backend route here.
    Raises ProviderUnavailable when an endpoint must be discovered and the provider cannot be reached.
    """
    value = getattr(settings, name, None)
    if not _is_unset(value):
        return value
    if name in ENDPOINTS and discovery_url():
        found = discovery().get(ENDPOINTS[name])
        if found:
            return found
    if name in DEFAULTS:
        return DEFAULTS[name]
    if default is not _UNSET:
        return default
    raise ImproperlyConfigured(f"Setting {name} not found")


def enabled() -> bool:
    """Single sign-on is on when a client id is configured."""
    return not _is_unset(getattr(settings, "OIDC_RP_CLIENT_ID", None))


def label() -> str:
    """The provider's name on the sign-in button and in messages ("ProConnect", "Keycloak"...)."""
    return getattr(settings, "OIDC_LABEL", "") or str(_("your identity provider"))


def password_policy() -> str:
    """LOCAL_PASSWORD_LOGIN; a value it does not know keeps passwords for administrators (the stricter reading of a
    typo: `manage.py check` reports it as sso.E001, and migrate runs the checks)."""
    policy = str(setting("LOCAL_PASSWORD_LOGIN")).strip().lower()
    return policy if policy in POLICIES else POLICY_ADMINS


def role_map() -> dict[str, str]:
    """The provider's role values (lower-cased) -> the register's roles. A string "a=b,c=d" is accepted too."""
    raw = getattr(settings, "OIDC_ROLE_MAP", None) or {}
    if isinstance(raw, str):
        raw = dict(item.split("=", 1) for item in raw.split(",") if "=" in item)
    return {str(key).strip().lower(): str(value).strip() for key, value in raw.items() if str(key).strip()}


def discovery_url() -> str:
    return getattr(settings, "OIDC_OP_DISCOVERY_URL", "") or ""


# Discovery ------------------------------------------------------------------------------------------------------

_documents: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


def discovery() -> dict:
    """The provider's discovery document ({} without OIDC_OP_DISCOVERY_URL), cached OIDC_DISCOVERY_TTL seconds."""
    url = discovery_url()
    if not url:
        return {}
    cached = _documents.get(url)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    with _lock:
        cached = _documents.get(url)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        try:
            document = fetch_discovery(url)
        except ProviderUnavailable:
            if cached is None:
                raise
            logger.warning("Single sign-on: %s unreachable, using the discovery document read before", url)
            document = cached[1]
        _documents[url] = (time.monotonic() + int(setting("OIDC_DISCOVERY_TTL")), document)
        return document


def fetch_discovery(url: str) -> dict:
    """Read and check a discovery document; ProviderUnavailable says why it cannot be used."""
    try:
        response = requests.get(  # nosec B113 — timeout=OIDC_TIMEOUT (10 s by default)
            url,
            timeout=setting("OIDC_TIMEOUT"),
            verify=setting("OIDC_VERIFY_SSL", True),
            proxies=setting("OIDC_PROXY", None),
        )
        response.raise_for_status()
        document = response.json()
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"The discovery document {url} could not be fetched: {exc}") from exc
    except ValueError as exc:
        raise ProviderUnavailable(f"The discovery document {url} is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"The discovery document {url} is not a JSON object")
    missing = [key for key in REQUIRED_IN_DISCOVERY if not document.get(key)]
    if missing:
        raise ProviderUnavailable(f"{url} is not an OpenID Connect discovery document: {', '.join(missing)} missing")
    return document


def clear_discovery_cache() -> None:
    """Forget the discovery documents read (tests; a provider that moved its endpoints)."""
    with _lock:
        _documents.clear()
