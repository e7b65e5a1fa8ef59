"""The isolation world, built once for the package inside a transaction rolled back at the end; every test runs in
its own savepoint (pytest-django's `db`), so a write that went through is undone before the next test."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import ensure_national_catalogue
from tests.security.matrix.conftest import api_client, sign_in, web_client  # noqa: F401 — the same fixtures

from .world import build_isolation_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("isolation-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        from config.celery import app

        ensure_national_catalogue()
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            built = build_isolation_world()
        finally:
            app.conf.task_always_eager = eager
        sign_in(built, built.roles)
        yield built
        transaction.set_rollback(True)
