"""What the reliability suite shares: PostgreSQL-only and Redis-only guards, and the environment that points a
subprocess (a Celery worker, gunicorn, bin/backup) at the test database."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL (DATABASE_URL=postgres://...): other processes share the test database, "
    "and pg_dump/pg_restore are PostgreSQL's.",
)
needs_redis = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")),
    reason="Needs a Redis broker (CELERY_BROKER_URL=redis://...): the embedded default runs tasks in-process.",
)


def database_url(name: str | None = None) -> str:
    """A libpq URL of the (test) database this process uses, or of another database on the same server."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{name or db['NAME']}"


def subprocess_env(**overrides: str) -> dict[str, str]:
    """The environment of a process that must see the same database and settings as the tests."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


def wait_for(predicate, timeout: float, interval: float = 0.05):
    """Poll until the predicate returns something true; return it (or the last falsy value at the deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
