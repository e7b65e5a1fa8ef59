"""Login brute force: django-axes locks a username + address after AXES_FAILURE_LIMIT failures for
AXES_COOLOFF_TIME (429, a clear message), on the register's login page, the admin's and the API token endpoint;
a success resets the count; and a rate limit per address stops spraying over many usernames."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-long-password-42"
LOCKED_MESSAGE = (
    "Too many failed login attempts for this account from your address: logging in is blocked for "
    "%(minutes)s minutes. Try again later, or ask the administrator of the register to unlock it."
)


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.LOGIN_RATE_LIMIT = "1000/m"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agent(users):
    user = users["agent"]
    user.set_password(PASSWORD)
    user.save()
    return user


def login(client, username, password, url=None, **extra):
    return client.post(url or reverse("login"), {"username": username, "password": password}, **extra)


def fail(client, user, times, url=None, **extra):
    return [login(client, user.username, "wrong-password", url, **extra).status_code for _ in range(times)]


def locked_message(minutes=15):
    return gettext(LOCKED_MESSAGE) % {"minutes": minutes}


def test_four_failures_leave_the_account_usable(agent):
    client = Client()

    assert fail(client, agent, 4) == [200, 200, 200, 200]
    assert login(client, agent.username, PASSWORD).status_code == 302


def test_the_fifth_failure_locks_the_account_with_a_clear_message(agent):
    client = Client()

    statuses = fail(client, agent, 5)
    response = login(client, agent.username, PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert escape(locked_message()) in response.content.decode()
    assert b'id="lockout-message"' in response.content
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_this_address_only(agent):
    fail(Client(), agent, 5)

    elsewhere = Client(REMOTE_ADDR="10.1.2.3")

    assert login(elsewhere, agent.username, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(agent):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, agent, 5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert login(client, agent.username, PASSWORD).status_code == 429

    # a failure during the lockout restarts the cool-off from that attempt (at minute 14)
    with time_machine.travel(start + timedelta(minutes=14 + 15, seconds=1), tick=False):
        assert login(client, agent.username, PASSWORD).status_code == 302


def test_a_success_resets_the_count(agent):
    client = Client()

    fail(client, agent, 4)
    assert login(client, agent.username, PASSWORD).status_code == 302
    client.logout()

    assert fail(client, agent, 4) == [200, 200, 200, 200]
    assert login(client, agent.username, PASSWORD).status_code == 302


def test_limit_and_cool_off_come_from_the_settings(agent, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    client = Client()

    assert fail(client, agent, 2) == [200, 429]
    response = login(client, agent.username, PASSWORD)
    assert response.status_code == 429
    assert escape(locked_message(3)) in response.content.decode()


def test_the_admin_login_is_covered(users):
    admin = users["admin"]
    admin.set_password(PASSWORD)
    admin.save()
    client = Client()
    url = reverse("admin:login")

    statuses = fail(client, admin, 5, url)
    response = login(client, admin.username, PASSWORD, url)

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert escape(locked_message()) in response.content.decode()


def test_failures_on_the_web_and_the_admin_add_up(agent):
    client = Client()

    fail(client, agent, 3)
    fail(client, agent, 2, reverse("admin:login"))

    assert login(client, agent.username, PASSWORD).status_code == 429


def test_the_api_token_endpoint_counts_failures_and_answers_in_json(agent):
    client = Client()
    url = "/api/v1/auth/token/"

    statuses = [
        client.post(url, {"username": agent.username, "password": "wrong"}, content_type="application/json").status_code
        for _ in range(5)
    ]
    response = client.post(url, {"username": agent.username, "password": PASSWORD}, content_type="application/json")

    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert response.json() == {"message": locked_message(), "errors": {}}
    # and the web login of that account from that address is locked too
    assert login(client, agent.username, PASSWORD).status_code == 429


def test_a_locked_out_api_client_gets_its_token_after_the_cool_off(agent):
    client = Client()
    url = "/api/v1/auth/token/"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            client.post(url, {"username": agent.username, "password": "wrong"}, content_type="application/json")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.post(url, {"username": agent.username, "password": PASSWORD}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["token"]


def test_the_lockout_is_off_when_disabled(agent, settings):
    settings.AXES_ENABLED = False
    client = Client()

    fail(client, agent, 8)

    assert login(client, agent.username, PASSWORD).status_code == 302


# --- Rate limit per address (password spraying) ----------------------------------------------------------------


def test_login_posts_are_rate_limited_per_address_whatever_the_username(agent, settings):
    settings.LOGIN_RATE_LIMIT = "3/m"
    client = Client()

    statuses = [login(client, f"someone-{n}", "guess").status_code for n in range(3)]
    response = login(client, agent.username, PASSWORD)

    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert b'id="lockout-message"' in response.content
    # another address is not affected, and reading the login page is never limited
    assert login(Client(REMOTE_ADDR="10.9.8.7"), agent.username, PASSWORD).status_code == 302
    assert client.get(reverse("login")).status_code == 200


def test_the_admin_login_shares_the_rate_limit(agent, settings):
    settings.LOGIN_RATE_LIMIT = "2/m"
    client = Client()

    login(client, "x", "y")
    login(client, "z", "t", reverse("admin:login"))

    assert login(client, agent.username, PASSWORD, reverse("admin:login")).status_code == 429
