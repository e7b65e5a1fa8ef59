"""The client's address behind reverse proxies: one setting, `TRUSTED_PROXY_COUNT`, decides it for the API's
throttles (DRF `NUM_PROXIES`), the login and public-register rate limits (django-ratelimit), the lockout
(django-axes) and the security trail alike.

With no proxy, an `X-Forwarded-For` header is ignored (anyone can send one); behind one, the client is the address
the proxy appended and whatever the client wrote to its left is ignored. Rotating the header therefore never gives
a new counter, and a list-valued, malformed or IPv6 header never answers 500.

Every defence is switched on here (the test settings turn axes off and raise the limits).
"""

from __future__ import annotations

import runpy
from datetime import timedelta
from itertools import count

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.checks import run_checks
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from core.security import client_ip, proxy_settings, ratelimit_ip
from registry.api.views import TokenRateThrottle
from security.models import SecurityEvent
from transparency.api import PublicRateThrottle

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-long-password-42"
TOKEN_URL = "/api/v1/auth/token/"
PUBLIC_API = "/api/v1/public/use-cases/"
PUBLIC_PAGE = "/algorithmes/"
PROXY = "10.0.0.2"  # REMOTE_ADDR: the reverse proxy (or, with no proxy, the client itself)
CLIENT = "198.51.100.7"  # the address the proxy appended to X-Forwarded-For
OTHER_CLIENT = "198.51.100.99"
LIST_VALUED = "1.2.3.4, 5.6.7.8"
_spoofs = count(1)


def spoofed() -> str:
    """A different made-up address at every call, as a script rotating X-Forwarded-For sends."""
    n = next(_spoofs)
    return f"203.0.{n // 250}.{n % 250 + 1}"


def forwarded(proxies: int, client: str = CLIENT) -> str:
    """X-Forwarded-For as the app receives it: a spoofed entry the client wrote itself, then, behind a proxy, the
    address that proxy appended."""
    return f"{spoofed()}, {client}" if proxies else spoofed()


@pytest.fixture(autouse=True)
def _defences_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    cache.clear()
    yield
    cache.clear()


def behind(settings, proxies: int) -> None:
    """Put the register behind `proxies` reverse proxies, as `TRUSTED_PROXY_COUNT=<proxies>` in the environment
    would at start-up (config.settings.base derives DRF's NUM_PROXIES from it; with none, the settings as they
    are)."""
    settings.TRUSTED_PROXY_COUNT = proxies
    if proxies:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}


@pytest.fixture(params=[0, 1], ids=["no-proxy", "one-proxy"])
def proxies(request, settings):
    """The register with no reverse proxy, then behind one."""
    behind(settings, request.param)
    return request.param


@pytest.fixture
def agent(users):
    user = users["agent"]
    user.set_password(PASSWORD)
    user.save()
    return user


# The address ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "header", "remote", "expected"),
    [
        (0, None, "10.0.0.2", "10.0.0.2"),
        (0, "203.0.113.9", "10.0.0.2", "10.0.0.2"),  # spoofed: ignored
        (0, LIST_VALUED, "10.0.0.2", "10.0.0.2"),
        (1, None, "10.0.0.2", "10.0.0.2"),  # straight to the app, no header
        (1, "198.51.100.7", "10.0.0.2", "198.51.100.7"),
        (1, "203.0.113.9, 198.51.100.7", "10.0.0.2", "198.51.100.7"),  # the spoofed left-most entry is ignored
        (1, " 203.0.113.9 ,198.51.100.7 ", "10.0.0.2", "198.51.100.7"),
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.1", "10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.2", "198.51.100.7"),  # fewer hops than proxies: the left-most one
        (1, "2001:db8::7", "::1", "2001:db8::7"),
        (1, "203.0.113.9, [2001:db8::7]:443", "10.0.0.2", "2001:db8::7"),
        (1, "198.51.100.7:51234", "10.0.0.2", "198.51.100.7"),
        (1, "::ffff:198.51.100.7", "10.0.0.2", "198.51.100.7"),
        (1, "fe80::1%eth0", "10.0.0.2", "fe80::1"),
        (1, "198.51.100.7, not an address", "10.0.0.2", "10.0.0.2"),  # garbage: REMOTE_ADDR
        (1, "198.51.100.7,", "10.0.0.2", "10.0.0.2"),
        (1, ",,,", "10.0.0.2", "10.0.0.2"),
        (1, "   ", "10.0.0.2", "10.0.0.2"),
        (1, "unknown", "10.0.0.2", "10.0.0.2"),
        (1, "1" * 10_000, "10.0.0.2", "10.0.0.2"),
        (1, "203.0.113.9, 999.1.1.1", "10.0.0.2", "10.0.0.2"),
        (1, "\x00198.51.100.7", "10.0.0.2", "10.0.0.2"),
        (0, None, "", None),  # no REMOTE_ADDR (a Unix socket): unknown
        (0, None, "garbage", None),
    ],
)
def test_the_client_address_takes_the_right_hop_and_never_fails(settings, trusted, header, remote, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    extra = {"REMOTE_ADDR": remote}
    if header is not None:
        extra["HTTP_X_FORWARDED_FOR"] = header
    request = RequestFactory().get("/", **extra)

    assert client_ip(request) == expected
    assert ratelimit_ip(request) == (expected or "0.0.0.0")


@pytest.mark.parametrize("trusted", [0, 1, 2])
@pytest.mark.parametrize(
    "header", [None, "198.51.100.7", "203.0.113.9, 198.51.100.7", "203.0.113.9, 198.51.100.7, 10.0.0.1"]
)
def test_the_api_throttles_count_the_same_address_as_the_other_limits(settings, trusted, header):
    behind(settings, trusted)
    extra = {"REMOTE_ADDR": PROXY}
    if header is not None:
        extra["HTTP_X_FORWARDED_FOR"] = header
    request = RequestFactory().get("/", **extra)

    assert SimpleRateThrottle.get_ident(None, request) == client_ip(request)
    assert TokenRateThrottle().get_ident(request) == PublicRateThrottle().get_ident(request) == client_ip(request)


@pytest.mark.parametrize("header", ["garbage-1", "unknown", "not an address, 198.51.100.7"])
def test_the_api_throttles_ignore_a_hop_that_is_not_an_address(settings, header):
    """DRF's own reading keys on such text (a client reaching the app around its proxy could rotate it); the
    register's throttles count the proxy's address, as the other defences do."""
    behind(settings, 2)
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)

    assert TokenRateThrottle().get_ident(request) == PublicRateThrottle().get_ident(request) == PROXY


# The API token endpoint: 10 a minute per address ----------------------------------------------------------


def test_rotating_x_forwarded_for_does_not_bypass_the_token_endpoint_limit(proxies, users, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "10/minute"})  # the production rate
    client = APIClient(REMOTE_ADDR=PROXY)

    statuses = [
        client.post(
            TOKEN_URL,
            {"username": f"sprayed-{n}", "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=forwarded(proxies),
        ).status_code
        for n in range(11)
    ]

    assert statuses == [400] * 10 + [429]
    if proxies:
        # Behind the proxy, another client (another address appended by the proxy) still gets an answer.
        other = client.post(
            TOKEN_URL,
            {"username": "dpo", "password": "guess"},
            format="json",
            HTTP_X_FORWARDED_FOR=forwarded(proxies, OTHER_CLIENT),
        )
        assert other.status_code == 400


# The login pages: LOGIN_RATE_LIMIT per address ----------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_rotating_x_forwarded_for_does_not_bypass_the_login_limit(proxies, settings, users, url_name):
    settings.LOGIN_RATE_LIMIT = "5/m"
    client = Client(REMOTE_ADDR=PROXY)

    statuses = [
        client.post(
            reverse(url_name),
            {"username": f"sprayed-{n}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=forwarded(proxies),
        ).status_code
        for n in range(6)
    ]

    assert statuses == [200] * 5 + [429]
    if proxies:
        other = Client(REMOTE_ADDR=PROXY).post(
            reverse(url_name),
            {"username": "dpo", "password": "guess"},
            HTTP_X_FORWARDED_FOR=forwarded(proxies, OTHER_CLIENT),
        )
        assert other.status_code == 200


# The public register: PUBLIC_RATE_LIMIT per address -------------------------------------------------------


@pytest.mark.parametrize("url", [PUBLIC_API, PUBLIC_PAGE], ids=["api", "pages"])
def test_rotating_x_forwarded_for_does_not_bypass_the_public_register_limit(proxies, settings, url):
    settings.PUBLIC_RATE_LIMIT = "3/m"
    client = Client(REMOTE_ADDR=PROXY)

    statuses = [client.get(url, HTTP_X_FORWARDED_FOR=forwarded(proxies)).status_code for _ in range(4)]

    assert statuses == [200] * 3 + [429]
    if proxies:
        other = Client(REMOTE_ADDR=PROXY).get(url, HTTP_X_FORWARDED_FOR=forwarded(proxies, OTHER_CLIENT))
        assert other.status_code == 200


# List-valued and malformed headers -----------------------------------------------------------------------

MALFORMED = [LIST_VALUED, "unknown", "1.2.3.4,, ,", "[2001:db8::1]:443, 2001:db8::2", "999.0.0.1", "x" * 5000]


@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")  # memcached's key limit
@pytest.mark.parametrize("header", MALFORMED)
@pytest.mark.parametrize("trusted", [0, 1, 2])
def test_a_list_valued_or_malformed_header_never_answers_500(settings, agent, trusted, header):
    behind(settings, trusted)
    extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": header}

    assert Client(**extra).post(reverse("login"), {"username": "agent", "password": "wrong"}).status_code == 200
    assert Client(**extra).post(reverse("login"), {"username": "agent", "password": PASSWORD}).status_code == 302
    assert Client(**extra).post(reverse("admin:login"), {"username": "x", "password": "y"}).status_code == 200
    token = APIClient(**extra).post(TOKEN_URL, {"username": "agent", "password": PASSWORD}, format="json")
    assert token.status_code == 200 and token.json()["token"]
    assert Client(**extra).get(PUBLIC_API).status_code == 200
    assert Client(**extra).get(PUBLIC_PAGE).status_code == 200


# The lockout (django-axes) -------------------------------------------------------------------------------


def test_the_lockout_holds_the_client_whatever_x_forwarded_for_says(proxies, agent):
    client = Client(REMOTE_ADDR=PROXY)

    statuses = [
        client.post(
            reverse("login"), {"username": "agent", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded(proxies)
        ).status_code
        for _ in range(3)
    ]
    locked = client.post(
        reverse("login"), {"username": "agent", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=forwarded(proxies)
    )

    assert statuses == [200, 200, 429]
    assert locked.status_code == 429
    expected = CLIENT if proxies else PROXY
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [expected]
    assert set(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).values_list("ip", flat=True)) == {
        expected
    }
    if proxies:
        # Another client behind the same proxy is not locked out of that account.
        other = Client(REMOTE_ADDR=PROXY).post(
            reverse("login"),
            {"username": "agent", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=forwarded(proxies, OTHER_CLIENT),
        )
        assert other.status_code == 302


# The security trail --------------------------------------------------------------------------------------


def test_the_security_trail_records_the_client_address(proxies, agent):
    SecurityEvent.objects.all().delete()
    header = forwarded(proxies)
    Client(REMOTE_ADDR=PROXY).post(
        reverse("login"), {"username": "agent", "password": "wrong"}, HTTP_X_FORWARDED_FOR=header
    )
    Client(REMOTE_ADDR=PROXY).post(
        reverse("login"), {"username": "agent", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=header
    )

    expected = CLIENT if proxies else PROXY
    recorded = SecurityEvent.objects.filter(
        kind__in=[SecurityEvent.Kind.LOGIN_FAILED, SecurityEvent.Kind.LOGIN_SUCCEEDED]
    ).values_list("kind", "ip")
    assert sorted(recorded) == sorted(
        [(SecurityEvent.Kind.LOGIN_FAILED, expected), (SecurityEvent.Kind.LOGIN_SUCCEEDED, expected)]
    )


# The settings --------------------------------------------------------------------------------------------


def test_the_settings_tie_every_defence_to_the_trusted_proxy_count(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert settings.RATELIMIT_IP_META_KEY == "core.security.ratelimit_ip"
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.security.client_ip"
    assert not [m for m in run_checks() if m.id.startswith("proxies.")]


def test_a_system_check_says_when_a_setting_disagrees_with_the_trusted_proxy_count(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1  # NUM_PROXIES left at 0
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    monkeypatch.setenv("RATELIMIT_IP_META_KEY", "HTTP_X_FORWARDED_FOR")

    ids = sorted(message.id for message in proxy_settings(None))

    assert ids == ["proxies.E002", "proxies.W001", "proxies.W002"]
    settings.TRUSTED_PROXY_COUNT = -1
    assert "proxies.E001" in {message.id for message in proxy_settings(None)}


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, 0),
        ({"TRUSTED_PROXY_COUNT": "2"}, 2),
        ({"RATELIMIT_IP_META_KEY": "HTTP_X_FORWARDED_FOR"}, 1),  # the old advice: one proxy
        ({"RATELIMIT_IP_META_KEY": "HTTP_X_FORWARDED_FOR", "TRUSTED_PROXY_COUNT": "0"}, 0),
    ],
)
def test_the_settings_read_the_trusted_proxy_count_from_the_environment(settings, monkeypatch, environment, expected):
    for name in ("TRUSTED_PROXY_COUNT", "RATELIMIT_IP_META_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    base = runpy.run_path(str(settings.BASE_DIR / "config" / "settings" / "base.py"))

    assert base["TRUSTED_PROXY_COUNT"] == expected
    assert base["REST_FRAMEWORK"]["NUM_PROXIES"] == expected
    assert base["RATELIMIT_IP_META_KEY"] == "core.security.ratelimit_ip"
    assert base["AXES_CLIENT_IP_CALLABLE"] == "core.security.client_ip"
