"""Every bad file is refused with a message, and nothing is written: no use case, no event, no import applied."""

import io
import zipfile

import openpyxl
import pytest
from django.utils.translation import gettext

from exchange import export, reader
from exchange.models import RegisterImport
from registry.models import UseCase
from tests.exchange.conftest import preview, register_state

HEADER = "name;summary;purpose;service;technique;audience"
GOOD = "Assistant;Résumé clair.;Un besoin.;CCAS;genai_text;agents"


@pytest.fixture
def state(collectivite, users, services, tools):
    return register_state()


def _refused(collectivite, users, content: bytes, code: str, name: str = "registre.csv") -> RegisterImport:
    record = preview(collectivite, users["dpo"], content, name)
    assert record.status == RegisterImport.Status.FAILED, record.plan
    assert record.plan == {"code": code}
    assert record.message
    assert record.content == b""
    return record


def _nothing_written(state):
    assert register_state() == state
    assert not UseCase.objects.exists()


def _csv(*lines: str, encoding="utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def test_malformed_csv(collectivite, users, state):
    content = _csv(HEADER, 'Assistant;"Résumé "mal" cité;Un besoin.;CCAS;genai_text;agents')
    record = _refused(collectivite, users, content, "malformed")
    assert "2" in record.message
    _nothing_written(state)


def test_unterminated_quote(collectivite, users, state):
    _refused(collectivite, users, _csv(HEADER, 'Assistant;"Résumé;Un besoin.;CCAS;genai_text;agents'), "malformed")
    _nothing_written(state)


def test_ragged_line(collectivite, users, state):
    record = _refused(collectivite, users, _csv(HEADER, GOOD, "Assistant;Résumé;Besoin;CCAS"), "ragged")
    assert (
        gettext(
            "Line %(line)s has %(cells)s cells but the header has %(columns)s: check the separators "
            "and the quotes on that line."
        )
        % {"line": 3, "cells": 4, "columns": 6}
        == record.message
    )
    _nothing_written(state)


def test_too_big(collectivite, users, state, settings):
    settings.IMPORT_MAX_BYTES = 1000
    record = _refused(collectivite, users, _csv(HEADER, *[GOOD] * 40), "too_big")
    assert record.size > 1000
    _nothing_written(state)


def test_too_many_lines(collectivite, users, state, settings):
    settings.IMPORT_MAX_ROWS = 10
    record = _refused(collectivite, users, _csv(HEADER, *[GOOD] * 11), "too_many_rows")
    assert record.message == gettext("The file has more than %(limit)s lines: split it in several files.") % {
        "limit": 10
    }
    _nothing_written(state)


def test_empty_file(collectivite, users, state):
    _refused(collectivite, users, b"", "empty")
    _refused(collectivite, users, b"\r\n  \r\n", "empty")
    _nothing_written(state)


def test_header_only(collectivite, users, state):
    _refused(collectivite, users, _csv(HEADER), "no_rows")
    _nothing_written(state)


def test_no_header(collectivite, users, state):
    _refused(collectivite, users, _csv(GOOD, GOOD), "no_header")
    _nothing_written(state)


def test_missing_required_column(collectivite, users, state):
    record = _refused(collectivite, users, _csv("name;summary;service", "A;B;CCAS"), "missing_columns")
    for code in ("purpose", "audience"):
        assert code in record.message
    # The technique may be unknown (an AI system whose technique the DPO confirms, DOMAIN.md 3b)
    assert "technique" not in record.message
    _nothing_written(state)


def test_duplicated_header(collectivite, users, state):
    # The code and the French name of the same column.
    record = _refused(collectivite, users, _csv(HEADER + ";Nom", GOOD + ";Autre"), "duplicate_header")
    assert "name" in record.message
    _nothing_written(state)


def test_utf8_with_bom_and_french_headers_are_read(collectivite, users, state):
    content = "\ufeffNom;Résumé en langage clair;FINALITÉ;Service;Technique;Personnes concernées\r\n".encode()
    content += "Assistant é;Résumé clair.;Un besoin.;ccas;IA générative : texte;Agents\r\n".encode()
    record = preview(collectivite, users["dpo"], content)
    assert record.counts["create"] == 1, record.plan
    _nothing_written(state)  # a preview writes nothing


def test_windows_1252_is_read_with_its_accents(collectivite, users, state):
    content = _csv(
        HEADER, "Tri œuvré à l’accueil;Résumé « clair » — 5 €.;Un besoin.;CCAS;genai_text;agents", encoding="cp1252"
    )
    record = preview(collectivite, users["dpo"], content)
    assert record.status == RegisterImport.Status.PREVIEWED
    assert record.plan["lines"][0]["name"] == "Tri œuvré à l’accueil"


@pytest.mark.parametrize(
    "content",
    [
        HEADER.encode() + b"\r\nCaf\xe9\x81;R;P;CCAS;genai_text;agents",  # Latin-1 byte 0x81, undefined in cp1252
        (HEADER + "\r\n" + GOOD).encode("utf-16"),
    ],
    ids=["undefined-in-cp1252", "utf-16"],
)
def test_other_encodings_are_refused(collectivite, users, state, content):
    record = _refused(collectivite, users, content, "encoding")
    assert reader.ACCEPTED_ENCODINGS in record.message
    _nothing_written(state)


@pytest.mark.parametrize(
    "content,name",
    [
        (bytes(range(256)) * 8, "registre.csv"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), "registre.csv"),  # a renamed .exe
    ],
    ids=["garbage", "exe"],
)
def test_binary_files_are_refused(collectivite, users, state, content, name):
    _refused(collectivite, users, content, "binary", name)
    _nothing_written(state)


def test_an_xlsx_that_is_not_a_zip(collectivite, users, state):
    _refused(collectivite, users, _csv(HEADER, GOOD), "not_xlsx", "registre.xlsx")
    _nothing_written(state)


def test_a_zip_that_is_not_a_workbook(collectivite, users, state):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "bonjour")
    _refused(collectivite, users, buffer.getvalue(), "not_xlsx", "registre.xlsx")
    _nothing_written(state)


def test_a_zip_bomb(collectivite, users, state):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    _refused(collectivite, users, buffer.getvalue(), "zip_bomb", "registre.xlsx")
    _nothing_written(state)


def _workbook(rows, extra_sheet=False) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    if extra_sheet:
        workbook.create_sheet("Notes").append(["ignorée"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_formula_is_refused_with_its_line_and_column(collectivite, users, state):
    content = _workbook([HEADER.split(";"), GOOD.split(";"), ["B", "=1+1", "P", "CCAS", "rules", "agents"]])
    record = preview(collectivite, users["dpo"], content, "registre.xlsx")
    assert record.counts["error"] == 1 and record.counts["create"] == 1
    [error] = record.plan["lines"][1]["errors"]
    assert (error["line"], error["column"], error["letter"]) == (3, "summary", "B")
    assert not record.can_apply
    _nothing_written(state)


def test_several_sheets_take_the_first_and_say_so(collectivite, users, state):
    record = preview(collectivite, users["dpo"], _workbook([HEADER.split(";"), GOOD.split(";")], True), "r.xlsx")
    assert record.counts["create"] == 1
    assert any("Notes" not in warning and "2" in warning for warning in record.plan["warnings"])


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://evil.example","clic")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3"]
)
def test_csv_formula_is_refused_with_its_line_and_column(collectivite, users, state, cell):
    line = f'Assistant;"{cell.replace(chr(34), chr(34) * 2)}";Un besoin.;CCAS;genai_text;agents'
    record = preview(collectivite, users["dpo"], _csv(HEADER, line))
    [error] = record.plan["lines"][0]["errors"]
    assert (error["line"], error["column"], error["letter"]) == (2, "summary", "B")
    assert record.counts["error"] == 1
    _nothing_written(state)


def test_a_bullet_and_an_escaped_formula_stay_text(collectivite, users, state):
    record = preview(collectivite, users["dpo"], _csv(HEADER, "Assistant;- une puce;'=1+1;CCAS;genai_text;agents"))
    assert record.counts == {"error": 0, "create": 1, "update": 0, "unchanged": 0, "errors": 0}


def test_unknown_service_owner_tool_and_code_are_errors_with_line_and_column(collectivite, users, state):
    content = _csv(
        HEADER + ";owner;tool;art50_features;hosting_zone",
        GOOD + ";chef;Albert;chatbot;fr",
        "B;R;P;Service inconnu;genai_text;agents;personne;Outil inconnu;chatbot | robot;mars",
    )
    record = preview(collectivite, users["dpo"], content)
    errors = {error["column"]: error for error in record.plan["lines"][1]["errors"]}
    assert set(errors) == {"service", "owner", "tool", "art50_features", "hosting_zone"}
    assert {error["line"] for error in errors.values()} == {3}
    assert errors["service"]["letter"] == "D" and errors["art50_features"]["letter"] == "I"
    assert "robot" in errors["art50_features"]["message"]
    assert record.counts["create"] == 1 and record.counts["error"] == 1
    _nothing_written(state)


def test_the_models_rules_are_errors_with_line_and_column(collectivite, users, state):
    content = _csv(HEADER + ";art6_3_ground;profiling", "A;R;P;CCAS;genai_text;agents;a;oui")
    record = preview(collectivite, users["dpo"], content)
    errors = {error["column"]: error for error in record.plan["lines"][0]["errors"]}
    assert set(errors) == {"art6_3_ground", "profiling"}
    assert errors["art6_3_ground"]["message"] == gettext(
        "An Article 6(3) exemption only applies to an Annex III domain: choose the domain first."
    )
    assert errors["profiling"]["letter"] == "H"


def test_one_bad_line_among_a_hundred_good_ones_imports_nothing(collectivite, users, state):
    from core.errors import ApplicationError
    from exchange import services as exchange_services

    lines = [f"Usage {n};Résumé {n}.;Besoin.;CCAS;genai_text;agents" for n in range(100)]
    lines.insert(57, "Usage mauvais;Résumé.;Besoin.;CCAS;genai_text;martiens")
    record = preview(collectivite, users["dpo"], _csv(HEADER, *lines))
    assert record.counts["create"] == 100 and record.counts["error"] == 1
    [bad] = [line for line in record.plan["lines"] if line["errors"]]
    assert bad["line"] == 59 and bad["errors"][0]["column"] == "audience"

    with pytest.raises(ApplicationError):
        exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    _nothing_written(state)
    record.refresh_from_db()
    assert record.status == RegisterImport.Status.PREVIEWED


def test_an_xlsx_export_renamed_csv_is_read_as_xlsx(collectivite, users, state):
    """The format is decided by the content, not the name."""
    content = export.xlsx_bytes(UseCase.objects.none(), collectivite)
    record = preview(collectivite, users["dpo"], content, "registre.csv")
    assert record.plan == {"code": "no_rows"}
