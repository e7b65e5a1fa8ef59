"""HTTP hardening that Django and its security packages do not give as settings.

- `PermissionsPolicyMiddleware`: the `Permissions-Policy` header (the register never needs the camera, the
  microphone, the position... of its visitors), from `settings.PERMISSIONS_POLICY`.
- `LoginRateLimitMiddleware`: at most `LOGIN_RATE_LIMIT` login attempts (POST) per client address on the
  register's and the admin's login pages, whatever the usernames tried (django-axes, in front of it, locks one
  username + address after `AXES_FAILURE_LIMIT` failures; this limit stops password spraying over many usernames).
- `lockout_response`: what django-axes answers to a locked-out username + address (`AXES_LOCKOUT_CALLABLE`):
  the login page with the reason and the time it lasts, or the API's error shape on the API; 429 either way.
- `client_ip`: the client's address, the one every per-address defence and the security trail count with
  (django-ratelimit through `ratelimit_ip`, django-axes through `AXES_CLIENT_IP_CALLABLE`, the trail; DRF's
  throttles read the same `TRUSTED_PROXY_COUNT` as `NUM_PROXIES`). `proxy_settings` is the system check that
  keeps them tied to that one setting.
"""

from __future__ import annotations

import ipaddress
import math
import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

TOO_MANY_REQUESTS = 429


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` to every response that has none yet."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", {}) or {}
        self.header = ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in sorted(policy.items()))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def _period_seconds(rate: str) -> int:
    period = rate.split("/", 1)[1] if "/" in rate else "m"
    count = int(period[:-1] or 1)
    return count * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period[-1], 60)


def _locked_page(request, *, message: str, retry_after: int):
    response = render(
        request,
        "registration/locked_out.html",
        {"lockout_message": message, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=TOO_MANY_REQUESTS,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class LoginRateLimitMiddleware:
    """429 on the login pages (register and admin) past `LOGIN_RATE_LIMIT` POSTs per client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info in self._login_paths():
            rate = getattr(settings, "LOGIN_RATE_LIMIT", "60/m")
            if getattr(settings, "RATELIMIT_ENABLE", True) and is_ratelimited(
                request, group="login", key="ip", rate=rate, increment=True
            ):
                retry_after = _period_seconds(rate)
                return _locked_page(
                    request,
                    message=_("Too many login attempts from your address. Wait %(minutes)s minute(s) and try again.")
                    % {"minutes": _minutes(retry_after)},
                    retry_after=retry_after,
                )
        return self.get_response(request)

    @staticmethod
    def _login_paths() -> set[str]:
        return {reverse("login"), reverse("admin:login")}


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out username + address (AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    if seconds:
        message = _(
            "Too many failed login attempts for this account from your address: logging in is blocked for "
            "%(minutes)s minutes. Try again later, or ask the administrator of the register to unlock it."
        ) % {"minutes": _minutes(seconds)}
    else:
        message = _(
            "Too many failed login attempts for this account from your address: logging in is blocked. "
            "Ask the administrator of the register to unlock it."
        )
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"message": message, "errors": {}}, status=TOO_MANY_REQUESTS)
    else:
        return _locked_page(request, message=message, retry_after=seconds)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


# --------------------------------------------------------------------------------------------------------------
# The client's address behind reverse proxies

# Longer than any address with a port and brackets: anything longer is not read at all.
_ADDRESS_MAX = 64
# What django-ratelimit counts with when the address is unknown (no REMOTE_ADDR, as on some Unix sockets):
# those requests share one counter rather than answering 500.
UNKNOWN_ADDRESS = "0.0.0.0"  # nosec B104 — a rate-limit key, not a listening address
CLIENT_IP_CALLABLE = "core.security.client_ip"
RATELIMIT_IP_CALLABLE = "core.security.ratelimit_ip"
# The settings the proxy advice used to name; `TRUSTED_PROXY_COUNT` replaces them.
LEGACY_PROXY_SETTINGS = ("RATELIMIT_IP_META_KEY", "AXES_IPWARE_META_PRECEDENCE_ORDER")


def trusted_proxy_count() -> int:
    """`settings.TRUSTED_PROXY_COUNT`: the number of reverse proxies in front of the register (0: none)."""
    try:
        return max(0, int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0))
    except (TypeError, ValueError):
        return 0


def _address(value) -> str | None:
    """One hop, as an address in its canonical form (IPv4-mapped IPv6 as IPv4), or None. A port (`1.2.3.4:5678`,
    `[2001:db8::1]:443`) and an IPv6 zone (`%eth0`) are dropped."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > _ADDRESS_MAX:
        return None
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    value = value.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_ip(request) -> str | None:
    """The client's address, None when unknown.

    With no trusted proxy (`TRUSTED_PROXY_COUNT = 0`) it is REMOTE_ADDR, and `X-Forwarded-For`, which anyone can
    send, is ignored. Behind N proxies, each appends the address it received the request from to
    `X-Forwarded-For` and the last one is REMOTE_ADDR: the client is the N-th address from the right of the
    header, the one the outermost proxy appended; whatever the client put to its left is ignored. As DRF's
    `NUM_PROXIES`, a header with fewer hops gives its leftmost one (every hop in it was written by a proxy). A hop
    that is not an address (garbage, an empty item) gives REMOTE_ADDR: the answer never depends on what the
    client could write, and reading it never fails."""
    meta = getattr(request, "META", {})
    remote = _address(meta.get("REMOTE_ADDR"))
    count = trusted_proxy_count()
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if not count or not isinstance(forwarded, str) or not forwarded.strip():
        return remote
    hops = forwarded.split(",")
    return _address(hops[-min(count, len(hops))]) or remote


def ratelimit_ip(request) -> str:
    """`client_ip` for django-ratelimit (`RATELIMIT_IP_META_KEY`), which needs an address whatever happens."""
    return client_ip(request) or UNKNOWN_ADDRESS


class ClientAddressThrottleMixin:
    """For DRF throttles: count requests by `client_ip`, as every other defence does. DRF's own `get_ident` reads
    `NUM_PROXIES` too, but keys on the raw text of a hop that is not an address, where `client_ip` falls back to
    REMOTE_ADDR: a client reaching the app around its proxy could rotate such text."""

    def get_ident(self, request):
        return ratelimit_ip(request)


@register(Tags.security)
def proxy_settings(app_configs, **kwargs):
    """`TRUSTED_PROXY_COUNT` decides the client's address for every defence: say so when a setting disagrees."""
    messages = []
    raw = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        messages.append(
            Error(
                f"TRUSTED_PROXY_COUNT={raw!r}: expected the number of reverse proxies in front of the register "
                "(0 or more; read as 0 meanwhile).",
                id="proxies.E001",
            )
        )
    count = trusted_proxy_count()
    num_proxies = (getattr(settings, "REST_FRAMEWORK", {}) or {}).get("NUM_PROXIES")
    if num_proxies != count:
        messages.append(
            Error(
                f"REST_FRAMEWORK['NUM_PROXIES']={num_proxies!r} but TRUSTED_PROXY_COUNT={count}: the API's "
                "throttles would count other addresses than the login limits.",
                hint="Leave NUM_PROXIES to config.settings.base, which sets it from TRUSTED_PROXY_COUNT.",
                id="proxies.E002",
            )
        )
    for name, expected in (
        ("RATELIMIT_IP_META_KEY", RATELIMIT_IP_CALLABLE),
        ("AXES_CLIENT_IP_CALLABLE", CLIENT_IP_CALLABLE),
    ):
        if getattr(settings, name, None) != expected:
            messages.append(
                Warning(
                    f"{name}={getattr(settings, name, None)!r} reads the client's address otherwise than "
                    f"TRUSTED_PROXY_COUNT.",
                    hint=f"Set {name} = {expected!r} (config.settings.base does).",
                    id="proxies.W001",
                )
            )
    for name in LEGACY_PROXY_SETTINGS:
        if os.environ.get(name):
            messages.append(
                Warning(
                    f"The environment variable {name} is replaced by TRUSTED_PROXY_COUNT, which decides the "
                    f"client's address for every limit (currently {count}).",
                    hint="Set TRUSTED_PROXY_COUNT to the number of reverse proxies in front of the register "
                    f"(1 behind a single nginx, Apache or Traefik) and remove {name}.",
                    id="proxies.W002",
                )
            )
    return messages
