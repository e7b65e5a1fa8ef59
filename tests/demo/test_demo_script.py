"""`bin/demo` serves the app at the address its e-mails link to: the server gets SITE_URL, not only the demo loader."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_demo(tmp_path, *args, env=None):
    """Run a copy of bin/demo whose install step and Python only log how manage.py was called, and with what
    SITE_URL."""
    (tmp_path / "bin").mkdir()
    shutil.copy(ROOT / "bin/demo", tmp_path / "bin/demo")
    (tmp_path / "bin/install").write_text("#!/usr/bin/env bash\n")
    (tmp_path / ".venv/bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    (tmp_path / ".venv/bin/python").write_text(f'#!/usr/bin/env bash\necho "${{SITE_URL:-unset}} $*" >> {log}\n')
    for script in ("bin/demo", "bin/install", ".venv/bin/python"):
        (tmp_path / script).chmod(0o755)
    subprocess.run(
        ["bash", str(tmp_path / "bin/demo"), *args],
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )
    return log.read_text().splitlines()


def test_the_demo_server_knows_the_address_its_emails_link_to(tmp_path):
    calls = _run_demo(tmp_path, "8123")

    assert calls == [
        "http://127.0.0.1:8123 manage.py migrate --no-input -v0",
        "http://127.0.0.1:8123 manage.py seed_demo",
        "http://127.0.0.1:8123 manage.py collectstatic --no-input -v0",
        "http://127.0.0.1:8123 manage.py runserver 127.0.0.1:8123",
    ]


def test_an_address_given_to_the_demo_is_kept(tmp_path):
    calls = _run_demo(tmp_path, env={"SITE_URL": "https://demo.bellerive.example"})

    assert calls[-1] == "https://demo.bellerive.example manage.py runserver 127.0.0.1:8000"
