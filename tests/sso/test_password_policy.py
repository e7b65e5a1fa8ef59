"""LOCAL_PASSWORD_LOGIN: passwords kept for administrators (Role.ADMIN or superuser), or for nobody. A refused password
sign-in says why on the login page (the username typed stays), on every way in that takes a password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from security.models import SecurityEvent
from sso.forms import POLICY_MESSAGES
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-test"  # tests.factories.UserFactory's
LABEL = "ProConnect"


@pytest.fixture
def admins_only(settings):
    settings.LOCAL_PASSWORD_LOGIN = "admins"
    settings.OIDC_LABEL = LABEL


def log_in(username, password=PASSWORD, url=None):
    return Client().post(url or reverse("login"), {"username": username, "password": password})


def policy_message(policy) -> str:
    return escape(str(POLICY_MESSAGES[policy]) % {"label": LABEL})


def test_by_default_everyone_signs_in_with_a_password(users):
    response = log_in("agent")

    assert response.status_code == 302


def test_an_administrator_still_signs_in_with_a_password(admins_only, users):
    response = log_in("admin")

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:home")


def test_a_superuser_without_role_still_signs_in_with_a_password(admins_only):
    UserFactory(username="root", is_superuser=True, is_staff=True)

    assert log_in("root").status_code == 302


def test_an_agent_is_refused_with_a_clear_message_and_keeps_the_username_typed(admins_only, users):
    response = log_in("agent")

    assert response.status_code == 200
    html = response.content.decode()
    assert policy_message("admins") in html
    assert 'value="agent"' in html
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_answer_does_not_tell_a_right_password_from_a_wrong_one_or_an_unknown_account(admins_only, users):
    answers = [log_in("agent"), log_in("agent", "wrong"), log_in("nobody"), log_in("admin", "wrong")]

    assert all(policy_message("admins") in answer.content.decode() for answer in answers)


def test_the_refusal_counts_as_a_failed_sign_in(admins_only, users):
    log_in("agent")

    failed = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert failed.username_attempted == "agent" and failed.subject_user == users["agent"]


def test_the_refusals_lock_like_wrong_passwords(admins_only, users, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    cache.clear()

    statuses = [log_in("agent").status_code for _ in range(4)]

    assert statuses == [200, 200, 429, 429]
    cache.clear()


def test_the_admin_login_and_the_api_token_endpoint_refuse_too(admins_only, users):
    users["agent"].is_staff = True
    users["agent"].save()

    assert log_in("agent", url=reverse("admin:login")).status_code == 200  # the form again, not signed in
    token = Client().post("/api/v1/auth/token/", {"username": "agent", "password": PASSWORD})
    assert token.status_code == 400
    admin_token = Client().post("/api/v1/auth/token/", {"username": "admin", "password": PASSWORD})
    assert admin_token.status_code == 200


def test_with_passwords_switched_off_nobody_signs_in_with_one_and_the_form_is_gone(settings, users):
    settings.LOCAL_PASSWORD_LOGIN = "none"
    settings.OIDC_LABEL = LABEL

    response = log_in("admin")

    assert response.status_code == 200
    assert policy_message("none") in response.content.decode()
    page = Client().get(reverse("login")).content.decode()
    assert 'name="password"' not in page


def test_a_value_the_register_does_not_know_keeps_passwords_for_administrators(settings, users):
    settings.LOCAL_PASSWORD_LOGIN = "admin"  # a typo of "admins"

    assert log_in("agent").status_code == 200
    assert log_in("admin").status_code == 302
