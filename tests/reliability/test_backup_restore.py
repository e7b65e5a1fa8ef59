"""bin/backup then bin/restore, on PostgreSQL: the demo collectivité loaded into a scratch database, backed up, restored
into an empty database, and compared table by table (row counts and a checksum of every row, ordered by primary
key), sequence by sequence, file by file (SHA-256), then read through the ORM and a password check.

The scratch database is a copy of the (migrated, empty) test database, so the test pays for the demo load
(`seed_demo`, with its real services) but not for the migrations.
"""

from __future__ import annotations

import hashlib
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from registry.models import UseCase, User

from .conftest import ROOT, VENV_BIN, database_url, needs_postgresql, subprocess_env

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]

PASSWORD = "Sauvegarde-restauree-2025"


def admin_execute(*statements: str) -> None:
    """Statements that cannot run in a transaction (CREATE/DROP DATABASE), on the server's maintenance database."""
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=subprocess_env(**env), capture_output=True, text=True, timeout=240)


def table_fingerprints(name: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: (row count, md5 of its rows as text, ordered by primary key)."""
    fingerprints = {}
    with psycopg.connect(database_url(name)) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        for table in sorted(tables):
            keys = [
                row[0]
                for row in conn.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                    [f'"{table}"'],
                )
            ]
            order = ", ".join(f't."{key}"' for key in keys) or "t::text"
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {order}), '')) FROM \"{table}\" t"
            ).fetchone()
            fingerprints[table] = (count, digest)
        for (sequence,) in conn.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"):
            position = conn.execute(f'SELECT last_value, is_called FROM "{sequence}"').fetchone()
            fingerprints[f"sequence {sequence}"] = position
    return fingerprints


def media_fingerprints(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def register_through_the_orm(alias: str) -> list[tuple]:
    return list(
        UseCase.objects.using(alias)
        .select_related("service", "owner", "tool")
        .order_by("reference")
        .values_list("reference", "name", "status", "service__name", "owner__username", "tool__name")
    )


@pytest.fixture
def scratch_databases(transactional_db):
    """A scratch database (a copy of the migrated, empty test database) and an empty one to restore into."""
    suffix = uuid.uuid4().hex[:8]
    scratch, restored = f"{connection.settings_dict['NAME']}_scratch_{suffix}", f"restored_{suffix}"
    connections.close_all()  # CREATE DATABASE … TEMPLATE needs no session on the template
    admin_execute(
        f'CREATE DATABASE "{scratch}" TEMPLATE "{connection.settings_dict["NAME"]}"', f'CREATE DATABASE "{restored}"'
    )
    # Two more connections of this process, as a second DATABASES alias would give, created directly: Django's test
    # case refuses aliases of settings.DATABASES it was not told about, and allows connections made at run time.
    for alias, name in (("scratch", scratch), ("restored", restored)):
        settings_dict = {**connections.settings["default"], "NAME": name}
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    yield scratch, restored
    for alias in ("scratch", "restored"):
        connections[alias].close()
        del connections[alias]
    admin_execute(f'DROP DATABASE "{scratch}" WITH (FORCE)', f'DROP DATABASE "{restored}" WITH (FORCE)')


def test_the_demo_backed_up_and_restored_into_an_empty_database_is_identical(scratch_databases, tmp_path):
    scratch, restored = scratch_databases
    media, restored_media, backup = tmp_path / "media", tmp_path / "restored-media", tmp_path / "backup"
    # Given the demo collectivité loaded into the scratch database (its charter PDF and evidence in the media)
    on_scratch = {"DATABASE_URL": database_url(scratch), "DJANGO_MEDIA_ROOT": str(media), "CELERY_BROKER_URL": ""}
    seeded = run([str(VENV_BIN / "python"), "manage.py", "seed_demo", "--password", PASSWORD], **on_scratch)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    assert UseCase.objects.using("scratch").count() > 20 and media_fingerprints(media)

    # When it is backed up, then restored into the empty database and an empty media root
    done = run(["bin/backup", str(backup)], **on_scratch)
    assert done.returncode == 0, done.stderr[-3000:]
    assert {path.name for path in backup.iterdir()} == {"database.dump", "media.tar", "manifest.json"}
    on_restored = {"DATABASE_URL": database_url(restored), "DJANGO_MEDIA_ROOT": str(restored_media)}
    done = run(["bin/restore", str(backup)], **on_restored)
    assert done.returncode == 0, done.stderr[-3000:]

    # Then every table holds the same rows, every sequence stands where it stood, every file is the same
    original = table_fingerprints(scratch)
    assert len(original) > 50 and original["registry_usecase"][0] > 20
    assert table_fingerprints(restored) == original
    assert media_fingerprints(restored_media) == media_fingerprints(media)

    # And the application reads the same register from the restored database, and its people can still sign in
    assert register_through_the_orm("restored") == register_through_the_orm("scratch")
    assert User.objects.using("restored").get(username="dpo").check_password(PASSWORD)

    # And restoring over a database that is no longer empty is refused, without touching it
    again = run(["bin/restore", str(backup)], **on_restored)
    assert again.returncode != 0 and "--force" in again.stderr
    assert table_fingerprints(restored) == original
