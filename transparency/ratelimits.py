"""Rate limit of the public register's pages and downloads (per client address), with django-ratelimit.

Over the limit a visitor gets 429 Too Many Requests with a Retry-After header, never a 403: they did nothing
forbidden. The API has its own DRF throttle with the same rate (`transparency.api.PublicRateThrottle`).
Behind reverse proxies, set TRUSTED_PROXY_COUNT so the client's address counts (config.security.client_ip).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited


def public_rate() -> str:
    return getattr(settings, "PUBLIC_RATE_LIMIT", "120/m")


def retry_after_seconds(rate: str) -> int:
    period = rate.split("/", 1)[1] if "/" in rate else "m"
    unit = period[-1]
    count = int(period[:-1] or 1)
    return count * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(unit, 60)


def too_many_requests(rate: str) -> HttpResponse:
    response = HttpResponse(
        _("Too many requests from your address: wait a minute and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after_seconds(rate))
    return response


def public_rate_limit(view):
    """Limit a public view to PUBLIC_RATE_LIMIT requests per client address (group: the public register)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        rate = public_rate()
        if getattr(settings, "RATELIMIT_ENABLE", True) and is_ratelimited(
            request, group="public-register", key="ip", rate=rate, increment=True
        ):
            return too_many_requests(rate)
        return view(request, *args, **kwargs)

    return wrapper
