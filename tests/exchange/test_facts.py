"""The facts of the guided qualification (DOMAIN.md 3b) in the register file: a column each, read by code or by
French or English label; an import giving the facts derives the legal inputs from them, one giving only legal inputs
still works (facts to complete); the DPO's overrides and what waits for the DPO or the owner are exported, read-only.
"""

import csv
import io

import pytest
from django.utils import translation

from exchange import export
from exchange import services as exchange_services
from exchange.columns import BY_CODE, COLUMNS, header_aliases, normalise
from registry import qualification
from registry import services as registry_services
from registry.models import UseCase
from tests.exchange.conftest import preview, register_state
from tests.registry.qualification_support import CV_RANKING

BASE = "name;summary;purpose;service"
DATA = {"personal_data_categories": ["ordinary"], "hosting_zone": "fr", "max_data_classification": "C2"}


def _csv(*lines: str) -> bytes:
    return "\r\n".join(lines).encode()


def _cell(value) -> str:
    return " | ".join(value) if isinstance(value, list) else str(value)


def _line(name, facts: dict) -> tuple[str, str]:
    """A header and a line giving the facts (and the personal data) of a CCAS use case."""
    columns = {**facts, **DATA}
    header = ";".join([BASE, *columns])
    line = ";".join([f"{name};Un outil classe les candidatures.;Gagner du temps.;CCAS", *map(_cell, columns.values())])
    return header, line


def _rows(collectivite) -> dict[str, dict]:
    content = export.csv_bytes(UseCase.objects.filter(collectivite=collectivite), collectivite)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, *lines = rows
    return {line[0]: dict(zip(header, line, strict=True)) for line in lines}


def _apply(collectivite, user, content):
    record = preview(collectivite, user, content)
    assert record.counts["error"] == 0, record.plan
    exchange_services.import_apply(import_=record, acting_user=user)
    return record


@pytest.fixture
def facts_register(collectivite, services, users, register):
    """The register of the other exchange tests, plus a use case declared through the questionnaire and overridden
    by the DPO, and one with a doubt waiting for the DPO."""
    create = registry_services.use_case_create
    cv = create(
        collectivite=collectivite,
        acting_user=users["chef"],
        data={
            "name": "Pré-tri des candidatures",
            "summary": "Un outil classe les candidatures.",
            "purpose": "Gagner du temps.",
            "service": services["ccas"],
            **DATA,
            **CV_RANKING,
        },
    )
    cv = registry_services.qualification_override_set(
        use_case=cv,
        acting_user=users["dpo"],
        input_name="annex_iii_point",
        value="4b",
        justification="Le tri sert aussi aux mobilités internes.",
    )
    doubtful = create(
        collectivite=collectivite,
        acting_user=users["chef"],
        data={
            "name": "Pré-tri, origine inconnue",
            "summary": "Le même outil.",
            "purpose": "Gagner du temps.",
            "service": services["ccas"],
            **DATA,
            **{**CV_RANKING, "origin": "unknown"},
        },
    )
    return {**register, "cv": cv, "doubtful": doubtful}


# Columns -------------------------------------------------------------------------------------------------------------
def test_every_fact_is_an_editable_column_named_by_its_question():
    for fact in qualification.FACTS:
        column = BY_CODE[fact.name]
        assert column.editable, fact.name
        assert column.kind == ("codes" if fact.multiple else "choice"), fact.name
        assert column.label == fact.question
    aliases = header_aliases()
    for language in ("en", "fr"):
        with translation.override(language):
            assert aliases[normalise(str(qualification.FACTS_BY_NAME["produces_by"].question))] == "produces_by"
    for name in ("qualification_to_confirm", "facts_to_complete", "qualification_overrides"):
        assert not BY_CODE[name].editable, name
    codes = [column.code for column in COLUMNS]
    assert codes[-2:] == ["classification_ruleset", "updated_at"]


def test_the_export_holds_the_facts_the_overrides_and_what_waits(collectivite, facts_register):
    rows = _rows(collectivite)
    cv = rows[facts_register["cv"].reference]
    assert cv["produces_by"] == "learned_from_data"
    assert cv["policy_areas"] == "recruitment" and cv["affects"] == "public"
    assert cv["safety_component"] == ""  # not asked
    assert cv["annex_iii_point"] == "4b"  # the DPO's value applies
    assert cv["qualification_overrides"] == "annex_iii_point = 4b (Le tri sert aussi aux mobilités internes.)"
    assert cv["qualification_to_confirm"] == "non" and cv["facts_to_complete"] == "non"
    doubtful = rows[facts_register["doubtful"].reference]
    assert doubtful["origin"] == "unknown" and doubtful["ai_act_role"] == "provider"
    assert doubtful["qualification_to_confirm"] == "oui"
    # A use case recorded through its legal inputs: its facts are to complete
    minimal = rows[facts_register["minimal"].reference]
    assert minimal["facts_to_complete"] == "oui" and minimal["produces_by"] == ""
    assert minimal["qualification_overrides"] == ""


def test_overrides_are_exported_readably_whatever_their_value():
    from exchange.columns import overrides_text

    assert overrides_text({}) == ""
    assert overrides_text(
        {
            "annex_iii_point": {"value": "", "justification": "Hors annexe III."},
            "cnil_list_types": {"value": ["social_support", "social_housing"], "justification": "Suivi."},
            "profiling": {"value": False, "justification": "Aucun score."},
        }
    ) == (
        "annex_iii_point = — (Hors annexe III.) | cnil_list_types = social_support, social_housing (Suivi.) | "
        "profiling = non (Aucun score.)"
    )


# Round trips ---------------------------------------------------------------------------------------------------------
def test_an_export_with_facts_imported_into_the_same_register_changes_nothing(collectivite, users, facts_register):
    content = export.csv_bytes(UseCase.objects.filter(collectivite=collectivite), collectivite)
    before = register_state()

    record = preview(collectivite, users["dpo"], content)

    assert record.counts["unchanged"] == 6 and record.counts["error"] == 0, record.plan
    assert all(line["notes"] == [] for line in record.plan["lines"])
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    assert register_state() == {**before, "applied": before["applied"] + 1}


def test_an_export_with_facts_imported_into_a_fresh_collectivite_gives_the_same_facts_and_inputs(
    collectivite,
    twin,
    users,
    facts_register,
):
    # Given the register without the DPO's override (an override is the DPO's, justified: it never comes from a file)
    content = export.csv_bytes(
        UseCase.objects.filter(collectivite=collectivite).exclude(pk=facts_register["cv"].pk), collectivite
    )

    _apply(twin, users["dpo"], content)

    original, again = _rows(collectivite), _rows(twin)
    del original[facts_register["cv"].reference]
    assert set(again) == set(original)
    for column in COLUMNS:
        if column.code in ("updated_at", "version"):
            continue
        assert {ref: row[column.code] for ref, row in again.items()} == {
            ref: row[column.code] for ref, row in original.items()
        }, column.code


def test_an_overridden_use_case_imported_elsewhere_follows_its_facts_and_the_line_says_so(
    collectivite,
    twin,
    users,
    facts_register,
):
    content = export.csv_bytes(UseCase.objects.filter(pk=facts_register["cv"].pk), collectivite)

    record = preview(twin, users["dpo"], content)

    [line] = record.plan["lines"]
    assert line["action"] == "create"
    [note] = line["notes"]
    assert "annex_iii_point" in note and "4b" in note and "4a" in note
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    imported = UseCase.objects.get(collectivite=twin)
    assert imported.annex_iii_point == "4a" and imported.qualification_overrides == {}


# Importing facts ---------------------------------------------------------------------------------------------------
def test_an_import_giving_the_facts_creates_use_cases_whose_legal_inputs_follow_them(collectivite, users, services):
    # Given only the facts and the personal data: no technique, no audience, no Annex III point
    header, line = _line("Pré-tri", CV_RANKING)

    _apply(collectivite, users["dpo"], _csv(header, line))

    use_case = UseCase.objects.get()
    assert use_case.policy_areas == ["recruitment"] and use_case.assesses_persons == "yes"
    assert (use_case.technique, use_case.audience, use_case.annex_iii_point) == ("ml_predictive", "public", "4a")
    assert (use_case.automation_level, use_case.profiling) == ("determining", True)
    assert use_case.ai_act_risk == "high"
    assert not use_case.qualification_to_confirm and not use_case.facts_to_complete


def test_a_fact_left_out_of_the_file_is_i_dont_know_and_goes_to_the_dpo(collectivite, users, services):
    facts = {name: value for name, value in CV_RANKING.items() if name != "origin"}
    header, line = _line("Pré-tri", facts)

    _apply(collectivite, users["dpo"], _csv(header, line))

    use_case = UseCase.objects.get()
    assert use_case.origin == "unknown" and use_case.ai_act_role == "provider"
    assert use_case.qualification_to_confirm
    assert [question["question"] for question in use_case.qualification_questions] == ["origin"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_facts_are_read_by_their_labels_too(collectivite, users, services, language):
    with translation.override(language):
        labels = {
            fact.name: (
                [fact.label_of(code) for code in CV_RANKING[fact.name]]
                if fact.multiple
                else fact.label_of(CV_RANKING[fact.name])
            )
            for fact in qualification.FACTS
            if fact.name in CV_RANKING
        }
    header, line = _line("Pré-tri", labels)

    _apply(collectivite, users["dpo"], _csv(header, line))

    use_case = UseCase.objects.get()
    assert {name: getattr(use_case, name) for name in CV_RANKING} == CV_RANKING


def test_yes_no_questions_take_oui_and_non(collectivite, users, services):
    header, line = _line("Pré-tri", {**CV_RANKING, "assesses_persons": "Oui", "watches_people": "non"})

    _apply(collectivite, users["dpo"], _csv(header, line))

    use_case = UseCase.objects.get()
    assert (use_case.assesses_persons, use_case.watches_people) == ("yes", "no")


def test_an_unknown_answer_is_an_error_on_its_line_and_column(collectivite, users, services):
    header, line = _line("Pré-tri", {**CV_RANKING, "policy_areas": ["recruitment", "parking"]})
    before = register_state()

    record = preview(collectivite, users["dpo"], _csv(header, line))

    [error] = record.plan["lines"][0]["errors"]
    assert error["column"] == "policy_areas"
    assert "parking" in error["message"] and "social_benefits" in error["message"]
    assert register_state() == before


def test_an_import_giving_only_legal_inputs_still_works_with_facts_to_complete(collectivite, users, services):
    content = _csv(f"{BASE};technique;audience;annex_iii_point", "U;R.;B.;CCAS;ml_predictive;public;5b")

    _apply(collectivite, users["dpo"], content)

    use_case = UseCase.objects.get()
    assert (use_case.technique, use_case.audience, use_case.annex_iii_point) == ("ml_predictive", "public", "5b")
    assert use_case.facts_to_complete
    assert all(getattr(use_case, name) in ("", None) for name in qualification.FACT_NAMES)


def test_a_file_without_technique_nor_facts_records_an_unknown_technique(collectivite, users, services):
    _apply(collectivite, users["dpo"], _csv(f"{BASE};audience", "U;R.;B.;CCAS;agents"))
    use_case = UseCase.objects.get()
    assert use_case.technique == "" and use_case.ai_system is True  # not known: treated as an AI system


def test_a_file_giving_facts_may_leave_out_the_legal_inputs_they_derive_but_not_the_others(
    collectivite, users, services
):
    # "audience" is derived from "affects": a file with the facts' columns does not need it
    record = preview(collectivite, users["dpo"], _csv(f"{BASE};affects", "A;B.;C.;CCAS;public"))
    assert record.status == "previewed", record.message
    assert record.counts["create"] == 1 and record.counts["error"] == 0, record.plan
    # Without facts it is still required
    refused = preview(collectivite, users["dpo"], _csv(BASE, "A;B.;C.;CCAS"))
    assert refused.status == "failed" and "audience" in refused.message


# Updating ------------------------------------------------------------------------------------------------------------
def _with_reference(use_case, **cells) -> bytes:
    """A file updating `use_case`: its required columns as they are, and `cells`."""
    columns = {
        "reference": use_case.reference,
        "name": use_case.name,
        "summary": use_case.summary,
        "purpose": use_case.purpose,
        "service": "CCAS",
        "audience": use_case.audience,
        **cells,
    }
    return _csv(";".join(columns), ";".join(map(_cell, columns.values())))


def test_changing_a_fact_in_the_file_updates_the_legal_inputs(collectivite, users, facts_register):
    doubtful = facts_register["doubtful"]

    record = preview(collectivite, users["dpo"], _with_reference(doubtful, origin="vendor_as_intended"))

    [plan] = record.plan["lines"]
    assert plan["action"] == "update"
    assert [change["field"] for change in plan["changes"]] == ["origin"]
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    doubtful.refresh_from_db()
    assert doubtful.ai_act_role == "deployer" and not doubtful.qualification_to_confirm


def test_a_legal_input_the_facts_decide_is_not_changed_by_the_file(collectivite, users, facts_register):
    doubtful = facts_register["doubtful"]
    before = register_state()

    record = preview(collectivite, users["dpo"], _with_reference(doubtful, technique="rules", audience="agents"))

    [line] = record.plan["lines"]
    assert line["action"] == "unchanged" and line["changes"] == []
    assert len(line["notes"]) == 2
    assert "technique" in line["notes"][0] and "ml_predictive" in line["notes"][0]
    exchange_services.import_apply(import_=record, acting_user=users["dpo"])
    assert register_state()["use_cases"] == before["use_cases"]


def test_the_overrides_column_is_never_imported(collectivite, users, facts_register):
    cv = facts_register["cv"]
    content = _with_reference(cv, qualification_overrides="annex_iii_point = 5a (Autre chose)", facts_to_complete="oui")

    record = preview(collectivite, users["dpo"], content)

    assert record.counts["unchanged"] == 1 and record.counts["error"] == 0, record.plan
    cv.refresh_from_db()
    assert cv.qualification_overrides["annex_iii_point"]["value"] == "4b"


def test_the_template_shows_a_use_answered_through_the_questionnaire(collectivite, users, services):
    from exchange.export import TEMPLATE_FACTS, template_bytes

    content = template_bytes(collectivite, users["dpo"])
    [example] = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert example["produces_by"] == "generates_text" and example["affects"] == "agents"
    assert (example["technique"], example["audience"]) == ("genai_text", "agents")  # derived from the facts
    _apply(collectivite, users["dpo"], content)
    use_case = UseCase.objects.get()
    assert {name: getattr(use_case, name) for name in TEMPLATE_FACTS} == TEMPLATE_FACTS
    assert not use_case.facts_to_complete and not use_case.qualification_to_confirm
