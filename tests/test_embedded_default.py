"""The embedded default (config.settings.base with no environment, what bin/demo runs): DEBUG off unless asked for,
so that an error shows the site's own French page and never Django's debug page with its settings and code; the
machine's own names served; SQLite tuned for the requests of one machine writing at once (the concurrency itself:
tests/reliability/test_embedded_sqlite.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(raise_request_exception=False)
pages = {}
for host in ("localhost", "127.0.0.1"):
    response = client.get("/nulle-part/", HTTP_HOST=host)
    pages[host] = [response.status_code, response.content.decode()]
api = client.get("/api/nulle-part/", HTTP_HOST="localhost")
print(json.dumps({
    "debug": settings.DEBUG,
    "options": settings.DATABASES["default"].get("OPTIONS", {}),
    "pages": pages,
    "api": [api.status_code, api["Content-Type"]],
}))
"""


def _embedded(tmp_path, **env) -> dict:
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'registre.sqlite3'}",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_default_runs_without_debug_and_shows_its_own_page_for_an_unknown_address(tmp_path):
    outcome = _embedded(tmp_path)

    assert outcome["debug"] is False
    for status, page in outcome["pages"].values():
        assert status == 404
        assert "Page introuvable" in page and 'lang="fr"' in page
        assert "DEBUG = True" not in page and "URLconf" not in page
    assert outcome["api"] == [404, "application/json"]


def test_debug_is_there_when_asked_for(tmp_path):
    assert _embedded(tmp_path, DJANGO_DEBUG="on")["debug"] is True


def test_the_embedded_sqlite_database_queues_writes_instead_of_failing(tmp_path):
    options = _embedded(tmp_path)["options"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
