"""HTTP hardening that Django and its security packages do not give as settings.

- `PermissionsPolicyMiddleware`: the `Permissions-Policy` header (the register never needs the camera, the
  microphone, the position... of its visitors), from `settings.PERMISSIONS_POLICY`.
- `LoginRateLimitMiddleware`: at most `LOGIN_RATE_LIMIT` login attempts (POST) per client address on the
  register's and the admin's login pages, whatever the usernames tried (django-axes, in front of it, locks one
  username + address after `AXES_FAILURE_LIMIT` failures; this limit stops password spraying over many usernames).
- `lockout_response`: what django-axes answers to a locked-out username + address (`AXES_LOCKOUT_CALLABLE`):
  the login page with the reason and the time it lasts, or the API's error shape on the API; 429 either way.
"""

from __future__ import annotations

import math

from django.conf import settings
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
