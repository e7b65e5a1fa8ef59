"""The embedded default needs no environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check(settings_module: str, **env) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": settings_module, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_embedded_default_starts_with_no_environment():
    result = _check("config.settings.base")
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = _check("config.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_database():
    result = _check(
        "config.settings.production", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="registre.example.org"
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_in_the_embedded_default_only_logos_are_public_media():
    script = (
        "import django; django.setup()\n"
        "from django.urls import resolve, Resolver404\n"
        "resolve('/media/logos/logo.png')\n"
        "try:\n    resolve('/media/evidence/1/preuve.pdf')\nexcept Resolver404:\n    print('private')\n"
    )
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "private"


def test_postgresql_connections_run_without_jit_unless_asked(monkeypatch):
    # The settings' own function, on the database settings django-environ makes from a URL.
    import environ

    from config.settings.base import tune_database

    postgresql = environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/registre")
    assert tune_database(postgresql)["OPTIONS"]["options"] == "-c jit=off"
    with_options = {**postgresql, "OPTIONS": {"options": "-c statement_timeout=5000"}}
    assert tune_database(with_options)["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
    sqlite = environ.Env.db_url_config("sqlite:///tmp/registre.sqlite3")
    assert "OPTIONS" not in tune_database(sqlite) or "options" not in tune_database(sqlite)["OPTIONS"]
    monkeypatch.setenv("DJANGO_DB_JIT", "on")
    assert "OPTIONS" not in tune_database(environ.Env.db_url_config("postgres://postgres@127.0.0.1:5432/registre"))


def test_the_database_in_use_runs_without_jit(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        import pytest

        pytest.skip("SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
