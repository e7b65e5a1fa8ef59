"""An import round-trips an export exactly: the same file changes nothing, and imported elsewhere it rebuilds
the same register (except what belongs to the collectivité: dates of change, versions)."""

import csv
import io

import openpyxl
import pytest

from exchange import export
from exchange import services as exchange_services
from exchange.columns import COLUMNS
from exchange.models import RegisterImport
from registry.models import UseCase
from tests.exchange.conftest import preview, register_state


def _export(collectivite, fmt):
    queryset = UseCase.objects.filter(collectivite=collectivite)
    if fmt == "csv":
        return export.csv_bytes(queryset, collectivite), "registre.csv"
    return export.xlsx_bytes(queryset, collectivite), "registre.xlsx"


def _table(content: bytes, fmt: str) -> list[dict]:
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]
    header, *lines = rows
    return [dict(zip(header, line, strict=True)) for line in lines]


def test_the_export_holds_every_column_and_escapes_formulas(collectivite, register):
    content, _name = _export(collectivite, "csv")
    assert content.startswith("\ufeff".encode())
    rows = {row["reference"]: row for row in _table(content, "csv")}
    assert list(next(iter(rows.values()))) == [column.code for column in COLUMNS]
    full = rows[register["full"].reference]
    assert full["summary"].startswith("'=HYPERLINK")
    assert full["description"] == "'- une puce\n- une autre puce"
    assert full["purpose"] == "'+ gagner du temps"
    assert full["data_sources"] == "'@fichier des usagers"
    assert full["human_oversight"] == "''Relecture' par un agent"
    assert full["service"] == "Direction des solidarités / CCAS"
    assert full["owner"] == "chef"
    assert full["personal_data_categories"] == "ordinary | health | minors_vulnerable"
    assert full["individual_decisions"] == "oui" and full["self_learning"] == "non"
    assert full["start_date"] == "2025-01-15"
    assert full["ai_act_risk"] == register["full"].ai_act_risk
    assert full["required_checkpoints"] == " | ".join(register["full"].required_checkpoints)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_an_export_into_the_same_register_changes_nothing(fmt, collectivite, users, register):
    content, name = _export(collectivite, fmt)
    before = register_state()

    record = preview(collectivite, users["dpo"], content, name)

    assert record.status == RegisterImport.Status.PREVIEWED and record.format == fmt
    assert record.counts == {"error": 0, "create": 0, "update": 0, "unchanged": 4, "errors": 0}
    assert [line["changes"] for line in record.plan["lines"]] == [[], [], [], []]

    exchange_services.import_apply(import_=record, acting_user=users["dpo"])

    after = register_state()
    assert after["use_cases"] == before["use_cases"]  # same versions, same dates of change
    assert (after["events"], after["history"]) == (before["events"], before["history"])
    record.refresh_from_db()
    assert record.status == RegisterImport.Status.APPLIED and record.result == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_into_a_fresh_collectivite_exports_back_identical(fmt, collectivite, twin, users, register):
    content, name = _export(collectivite, fmt)

    record = preview(twin, users["dpo"], content, name)
    assert record.counts["create"] == 4 and record.counts["error"] == 0, record.plan
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])

    original = {row["reference"]: row for row in _table(content, fmt)}
    again = {row["reference"]: row for row in _table(_export(twin, fmt)[0], fmt)}
    assert set(again) == set(original)  # the references were kept
    # Column by column: everything is identical except the collectivité's own history of the use case.
    own_history = {"updated_at", "version"}
    for column in COLUMNS:
        values_then = {ref: row[column.code] for ref, row in original.items()}
        values_now = {ref: row[column.code] for ref, row in again.items()}
        if column.code in own_history:
            continue
        assert values_now == values_then, column.code
    assert {ref: row["version"] for ref, row in again.items()} == dict.fromkeys(again, 1 if fmt == "xlsx" else "1")
    statuses = dict(UseCase.objects.filter(collectivite=twin).values_list("reference", "status"))
    assert statuses[register["running"].reference] == "in_production"


def test_reimporting_the_same_file_after_apply_changes_nothing(collectivite, twin, users, register):
    content, name = _export(collectivite, "csv")
    first = preview(twin, users["dpo"], content, name)
    exchange_services.import_apply(import_=first, acting_user=users["dpo"])
    before = register_state(twin)

    second = preview(twin, users["dpo"], content, name)

    assert second.counts["unchanged"] == 4 and second.changes_count == 0
    exchange_services.import_apply(import_=second, acting_user=users["dpo"])
    assert register_state(twin)["use_cases"] == before["use_cases"]
    assert register_state(twin)["events"] == before["events"]
