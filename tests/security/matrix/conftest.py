"""The matrix's world, built once per module inside a transaction rolled back at the end; every request runs
in its own savepoint (pytest-django's `db`), so an allowed POST changes nothing for the next cell."""

import contextlib

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import ensure_national_catalogue

from .world import build_world


def sign_in(built, users: dict) -> None:
    """A session cookie and an API token for each role, kept on the world (`sessions`, `tokens`)."""
    built.sessions, built.tokens = {}, {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        built.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        built.tokens[role] = Token.objects.create(user=user).key


@contextlib.contextmanager
def rolled_back_world(django_db_blocker, tmp_path_factory, name: str = "matrix-media"):
    """The matrix's world with a session and a token per role, inside a transaction rolled back at the end (the
    module fixtures of the matrix and of tests/security/test_hostile_inputs.py)."""
    media = tmp_path_factory.mktemp(name)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        ensure_national_catalogue()
        built = build_world()
        sign_in(built, built.users)
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back_world(django_db_blocker, tmp_path_factory) as built:
        yield built


@pytest.fixture
def web_client(world, db):
    def make(role):
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        return client

    return make


@pytest.fixture
def api_client(world, db):
    def make(role):
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
        return client

    return make
