"""The French catalogue is complete: every message of the code and templates has a French translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
SOURCES = (
    "config",
    "registry",
    "charter",
    "audits",
    "exchange",
    "transparency",
    "security",
    "sso",
    "mutualisation",
    "templates",
    "manage.py",
    "pyproject.toml",
)


def test_every_french_entry_is_translated_and_not_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_catalogue_covers_every_message_in_the_sources(tmp_path):
    # Extract the messages from a copy of the sources, so the committed catalogue is left untouched.
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "static"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
        timeout=300,
    )
    extracted = {entry.msgid for entry in polib.pofile(str(tmp_path / CATALOGUE.relative_to(ROOT)))}
    translated = {entry.msgid for entry in polib.pofile(str(CATALOGUE)).translated_entries()}
    missing = sorted(extracted - translated)
    assert not missing, f"{len(missing)} messages have no French translation, e.g. {missing[:15]}"
