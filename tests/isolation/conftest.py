"""The isolation world, built once for the package inside a transaction rolled back at the end; every test runs in
its own savepoint (pytest-django's `db`), so a write that went through is undone before the next test."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .world import build_isolation_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("isolation-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        from config.celery import app

        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            built = build_isolation_world()
        finally:
            app.conf.task_always_eager = eager
        built.sessions, built.tokens = {}, {}
        for role, user in built.roles.items():
            client = Client()
            client.force_login(user)
            built.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            built.tokens[role] = Token.objects.create(user=user).key
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def web_client(world, db):
    def make(role):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        return client

    return make


@pytest.fixture
def api_client(world, db):
    def make(role):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
        return client

    return make
