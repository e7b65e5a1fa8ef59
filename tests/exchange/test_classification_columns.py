"""The classification inputs of rule set 2026.12 in the register file: exported, imported under their codes or their
French and English names, incoherent answers refused line by line, and the derived verdicts read-only."""

import csv
import io

import pytest
from django.utils import translation

from core.errors import ApplicationError
from exchange import export
from exchange import services as exchange_services
from exchange.columns import BY_CODE, COLUMNS, header_aliases, normalise
from registry import classification_inputs, rules
from registry.models import UseCase
from tests.api.coherence import INCOHERENT, form_messages
from tests.exchange.conftest import preview, register_state

BASE = "name;summary;purpose;service;technique;audience"
NEW_INPUTS = ("ai_act_role", "annex_i_product", "care_context", "systematic_monitoring", "cnil_list_types")


def _csv(*lines: str) -> bytes:
    return "\r\n".join(lines).encode()


def _rows(collectivite) -> dict[str, dict]:
    content = export.csv_bytes(UseCase.objects.filter(collectivite=collectivite), collectivite)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, *lines = rows
    return {line[0]: dict(zip(header, line, strict=True)) for line in lines}


def test_every_declared_input_is_an_editable_column_with_its_declared_label_and_codes():
    for item in classification_inputs.INPUTS:
        column = BY_CODE[item.name]
        assert column.editable, item.name
        assert column.label == item.label
        if item.choices is not None:
            assert column.choices is item.choices, item.name
    for name, choices in classification_inputs.MULTI_CODE_FIELDS.items():
        assert (BY_CODE[name].kind, BY_CODE[name].choices) == ("codes", choices)
    # What the engine derives is exported and never imported
    for name in ("ai_system", "classification_ruleset", "ai_act_risk"):
        assert not BY_CODE[name].editable
    codes = [column.code for column in COLUMNS]
    assert codes.index("ai_system") > codes.index("version") and codes[-2:] == ["classification_ruleset", "updated_at"]


def test_the_export_holds_the_new_inputs_and_the_derived_ai_system_and_rule_set(collectivite, register):
    rows = _rows(collectivite)
    full, running, minimal = (rows[register[key].reference] for key in ("full", "running", "minimal"))
    assert full["ai_act_role"] == "provider"
    assert full["care_context"] == "oui" and full["systematic_monitoring"] == "oui"
    assert full["cnil_list_types"] == "social_support | social_housing"
    assert full["annex_i_product"] == "non" and running["annex_i_product"] == "oui"
    assert full["ai_system"] == "oui"
    assert full["classification_ruleset"] == rules.RULESET_VERSION
    assert "provider_conformity" in full["required_checkpoints"]
    # Rules written by people: not an AI system, outside the AI Act
    assert (minimal["technique"], minimal["ai_system"], minimal["ai_act_risk"]) == ("rules", "non", "out_of_scope")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_new_columns_are_read_under_their_english_or_french_names(collectivite, users, services, language):
    # Given a file whose new columns are headed by their names in a language, with labels or codes as values
    with translation.override(language):
        names = [str(BY_CODE[code].label) for code in NEW_INPUTS]
        provider = str(dict(classification_inputs.BY_NAME["ai_act_role"].choices.choices)["provider"])
    content = _csv(
        f"{BASE};personal_data_categories;{';'.join(names)};hosting_qualification",
        f"U;R.;B.;CCAS;vision;public;health | ordinary;{provider};oui;oui;non;health_care_establishment;hds",
    )
    record = preview(collectivite, users["dpo"], content)
    assert record.counts["create"] == 1 and record.counts["error"] == 0, record.plan
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    use_case = UseCase.objects.get()
    assert use_case.ai_act_role == "provider"
    assert (use_case.annex_i_product, use_case.care_context, use_case.systematic_monitoring) == (True, True, False)
    assert use_case.cnil_list_types == ["health_care_establishment"]
    # Annex I product (AI Act art. 6(1)) built by the collectivité: high risk with the provider's obligations
    assert use_case.ai_act_risk == "high" and "provider_conformity" in use_case.required_checkpoints
    assert use_case.classification_ruleset == rules.RULESET_VERSION


def test_every_name_of_a_new_column_maps_to_it():
    aliases = header_aliases()
    for code in (*NEW_INPUTS, "ai_system", "classification_ruleset"):
        for language in ("en", "fr"):
            with translation.override(language):
                assert aliases[normalise(str(BY_CODE[code].label))] == code
        assert aliases[normalise(code)] == code


def test_the_expert_system_technique_is_read_by_code_and_label(collectivite, users, services):
    with translation.override("fr"):
        label = str(dict(classification_inputs.BY_NAME["technique"].choices.choices)["expert_system"])
    record = preview(
        collectivite,
        users["dpo"],
        _csv(BASE, "U1;R.;B.;CCAS;expert_system;agents", f"U2;R.;B.;CCAS;{label};agents"),
    )
    assert record.counts["create"] == 2, record.plan
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    assert set(UseCase.objects.values_list("technique", "ai_system")) == {("expert_system", True)}


# Incoherent answers: refused on their line and column, with the form's message; nothing imported ----------------
def _default(name: str):
    """What a coherent line answers: the input's default, or nothing."""
    default = classification_inputs.BY_NAME[name].default
    return "" if default is None else default


def _cell(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return " | ".join(value)
    return str(value)


@pytest.mark.parametrize(("case", "values", "field"), INCOHERENT, ids=[case for case, _v, _f in INCOHERENT])
def test_an_incoherent_line_is_refused_with_its_line_column_and_message(
    collectivite, users, services, case, values, field
):
    # Given a file whose third line answers incoherently (each value valid on its own)
    answers = {"technique": "genai_text", **values}
    extra = [name for name in answers if name != "technique"]
    header = f"name;summary;purpose;service;audience;technique;{';'.join(extra)}"
    good = f"Bon;R.;B.;CCAS;agents;genai_text;{';'.join(_cell(_default(name)) for name in extra)}"
    bad = f"Mauvais;R.;B.;CCAS;agents;{answers['technique']};{';'.join(_cell(answers[name]) for name in extra)}"
    before = register_state()
    # When it is previewed
    record = preview(collectivite, users["dpo"], _csv(header, good, bad))
    # Then line 3 is refused on the column of the incoherent answer, with the message the form gives
    assert [line["action"] for line in record.plan["lines"]] == ["create", "error"], record.plan
    errors = record.plan["lines"][1]["errors"]
    assert [(error["line"], error["column"]) for error in errors] == [(3, field)]
    assert [error["message"] for error in errors] == form_messages(values, field)
    columns = header.split(";")
    assert errors[0]["letter"] == (chr(ord("A") + columns.index(field)) if field in columns else "")
    # And the file cannot be applied: not even its good line
    with pytest.raises(ApplicationError):
        exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    assert register_state() == before


def test_an_update_that_makes_a_use_case_incoherent_is_refused(collectivite, users, register):
    # Given the export, where a use case processes health data in a care context
    full = register["full"]
    rows = _rows(collectivite)
    header = list(rows[full.reference])
    line = [rows[full.reference][code] for code in header]
    line[header.index("personal_data_categories")] = "ordinary"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, line])
    content = buffer.getvalue().encode()
    # When the health data is removed but the care context kept
    record = preview(collectivite, users["dpo"], content)
    # Then the line is refused on the care context
    [planned] = record.plan["lines"]
    assert planned["action"] == "error"
    assert [error["column"] for error in planned["errors"]] == ["care_context"]
    full.refresh_from_db()
    assert "health" in full.personal_data_categories


def test_the_derived_columns_of_a_file_are_ignored(collectivite, users, services):
    # A file claiming that a generative AI is no AI system, under an old rule set
    content = _csv(
        f"{BASE};ai_system;ai_act_risk;classification_ruleset",
        "U;R.;B.;CCAS;genai_text;agents;non;out_of_scope;2020.01",
    )
    record = preview(collectivite, users["dpo"], content)
    assert record.counts["create"] == 1 and record.counts["errors"] == 0
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    use_case = UseCase.objects.get()
    assert (use_case.ai_system, use_case.ai_act_risk) == (True, "minimal")
    assert use_case.classification_ruleset == rules.RULESET_VERSION


def test_rules_with_ai_act_answers_are_out_of_scope_and_may_be_submitted(collectivite, users, services):
    # Rules written by people are not an AI system: a prohibited practice ticked by mistake does not block them
    content = _csv(f"{BASE};status;art5_practices", "U;R.;B.;CCAS;rules;agents;submitted;c")
    record = preview(collectivite, users["dpo"], content)
    assert record.counts["create"] == 1 and record.counts["errors"] == 0, record.plan
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    use_case = UseCase.objects.get()
    assert (use_case.status, use_case.ai_act_risk, use_case.blocked) == ("submitted", "out_of_scope", False)
    assert "not_ai_answers_ignored" in {reason.code for reason in use_case.reasons}
