"""The embedded default (SQLite, no environment) shared by the requests of one machine: writes at the same moment
queue instead of failing with « database is locked » (a 500 with Django's debug page, issue 18).

Each test runs a process with the embedded settings on a SQLite file of its own: threads that read, then write,
in one transaction each, at the same moment, as two people saving at once do. With Django's SQLite defaults the
same work fails (the control below): a deferred transaction that has read cannot wait for the write lock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT

WORKLOAD = r"""
import json, sys, threading, time
import django
from django.conf import settings

if sys.argv[1] == "django-defaults":
    settings.DATABASES["default"]["OPTIONS"] = {}
django.setup()
from django.db import OperationalError, connection, connections, transaction
from django.contrib.sessions.models import Session
from django.utils import timezone

with connection.schema_editor() as editor:  # one table is enough (a full migrate takes a while)
    editor.create_model(Session)
connection.close()
THREADS, ROUNDS = 6, 4
barrier, errors = threading.Barrier(THREADS), []


def work(index):
    try:
        for round_ in range(ROUNDS):
            barrier.wait(timeout=30)
            try:
                with transaction.atomic():
                    Session.objects.filter(expire_date__gt=timezone.now()).count()  # a read first...
                    time.sleep(0.02)
                    Session.objects.create(  # ...then a write, as a request saving a form does
                        session_key=f"k{index}-{round_}", session_data="x", expire_date=timezone.now()
                    )
            except OperationalError as error:
                errors.append(str(error))
    finally:
        connections.close_all()


threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({"errors": errors, "saved": Session.objects.count(), "journal": journal}))
"""


def _run(tmp_path, mode: str) -> dict:
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'registre.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", WORKLOAD, mode],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_people_saving_at_the_same_moment_on_the_embedded_default_never_meet_database_is_locked(tmp_path):
    outcome = _run(tmp_path, "embedded")

    assert outcome["errors"] == []
    assert outcome["saved"] == 6 * 4
    assert outcome["journal"] == "wal"


def test_with_django_s_sqlite_defaults_the_same_work_meets_database_is_locked(tmp_path):
    # The control: the workload above does reproduce what people met.
    outcome = _run(tmp_path, "django-defaults")

    assert any("database is locked" in error for error in outcome["errors"])
