"""POST /api/v1/classify/: the engine's verdict on a use case's fields, explained, and nothing saved."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from registry import rules
from registry.forms import UseCaseForm
from registry.models import Tool, UseCase, UseCaseEvent
from tests.api.coherence import INCOHERENT, PERSONAL, form_messages
from tests.registry.factories import ToolFactory

URL = "/api/v1/classify/"
PARIS = ZoneInfo("Europe/Paris")
MINIMAL = {"technique": "genai_text", "audience": "agents"}
CLASSIFICATION_KEYS = {
    "ai_act_risk",
    "rgpd_sensitivity",
    "dpia_required",
    "fria_required",
    "eu_registration_required",
    "crpa_mention_required",
    "public_register_required",
    "ethics_review_required",
    "blocked",
    "required_checkpoints",
    "reasons",
    "ai_system",
    "edpb_criteria",
    "cnil_list_types",
    "ruleset",
}
REASON_KEYS = {"code", "kind", "basis", "explanation", "supports", "is_policy", "applies_from", "pending"}


def counts():
    return UseCase.objects.count(), UseCaseEvent.objects.count(), UseCase.history.count(), Tool.objects.count()


@pytest.mark.parametrize("role", ["agent", "chef", "dpo", "rssi", "comite", "dgs", "admin"])
def test_every_member_may_classify(users, api_for, role):
    response = api_for(users[role]).post(URL, MINIMAL, format="json")
    assert response.status_code == 200
    assert set(response.json()) == CLASSIFICATION_KEYS
    assert response.json()["ai_act_risk"] == "minimal"


def test_a_high_risk_use_is_classified_with_its_reasons_and_articles(users, api_for, use_case):
    # Given the fields of a scoring of RSA applicants (Annex III 5a, profiling, financial data)
    payload = {
        "technique": "ml_predictive",
        "audience": "public",
        "annex_iii_point": "5a",
        "automation_level": "determining",
        "individual_decisions": True,
        "personal_data_categories": ["financial", "ordinary"],
        "profiling": True,
        "large_scale": True,
        "hosting_zone": "fr",
    }
    before = counts()
    # When an agent asks for its classification
    response = api_for(users["agent"]).post(URL, payload, format="json")
    # Then it is high risk with every obligation explained, and nothing was saved
    assert response.status_code == 200
    body = response.json()
    assert body["ai_act_risk"] == "high"
    assert body["rgpd_sensitivity"] == "highly_personal"
    assert body["dpia_required"] is True
    assert body["fria_required"] is True
    assert body["eu_registration_required"] is True
    assert body["crpa_mention_required"] is True
    assert body["public_register_required"] is True  # 600 agents >= 50 (CRPA L312-1-3)
    assert body["ethics_review_required"] is True
    assert body["blocked"] is False
    assert {"decision_validation", "bias_review", "log_retention"} <= set(body["required_checkpoints"])
    for reason in body["reasons"]:
        assert set(reason) == REASON_KEYS
        assert reason["kind"] in {"blocking", "classification", "obligation", "warning", "information"}
    bases = " ".join(reason["basis"] for reason in body["reasons"])
    assert "art. 27" in bases and "L311-3-1" in bases
    assert counts() == before


def test_a_prohibited_practice_is_blocked(users, api_for):
    body = api_for(users["agent"]).post(URL, {**MINIMAL, "art5_practices": ["c"]}, format="json").json()
    assert body["ai_act_risk"] == "prohibited"
    assert body["blocked"] is True
    assert body["reasons"][0]["kind"] == "blocking"


def test_the_collectivite_policy_counts(users, api_for, collectivite):
    # A collectivité of 40 agents publishes no algorithm register (CRPA L312-1-3 applies from 50 agents)
    payload = {
        **MINIMAL,
        "automation_level": "assist",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary"],
    }
    assert api_for(users["dpo"]).post(URL, payload, format="json").json()["public_register_required"] is True
    collectivite.agents_count = 40
    collectivite.save()
    assert api_for(users["rssi"]).post(URL, payload, format="json").json()["public_register_required"] is False


def test_the_tool_status_and_allowed_classification_apply(users, api_for, collectivite):
    # Given a tool allowed up to C1 only, and a prohibited one
    c1_tool = ToolFactory(collectivite=collectivite, max_data_classification="C1", hosting_zone="eu")
    banned = ToolFactory(collectivite=collectivite, status="prohibited")
    client = api_for(users["agent"])
    before = counts()
    # When C2 data would go into the first, or anything into the second
    over = client.post(URL, {**MINIMAL, "max_data_classification": "C2", "tool": c1_tool.pk}, format="json").json()
    fine = client.post(URL, {**MINIMAL, "max_data_classification": "C1", "tool": c1_tool.pk}, format="json").json()
    prohibited = client.post(URL, {**MINIMAL, "tool": banned.pk}, format="json").json()
    # Then both are blocked with the tool's reason
    assert over["blocked"] is True
    assert "block_tool_classification" in {reason["code"] for reason in over["reasons"]}
    assert fine["blocked"] is False
    assert "block_tool_prohibited" in {reason["code"] for reason in prohibited["reasons"]}
    assert counts() == before


def test_the_tool_hosting_applies_unless_the_fields_say_otherwise(users, api_for, collectivite):
    # Given a tool hosted outside the EU, and personal data
    tool = ToolFactory(collectivite=collectivite, hosting_zone="non_eu")
    payload = {**MINIMAL, "personal_data_categories": ["ordinary"], "tool": tool.pk}
    client = api_for(users["agent"])
    # Then the transfer warning comes from the tool's hosting, unless the use case says where it is hosted
    default = client.post(URL, payload, format="json").json()
    on_premise = client.post(URL, {**payload, "hosting_zone": "on_premise"}, format="json").json()
    assert "warn_transfer" in {reason["code"] for reason in default["reasons"]}
    assert "warn_transfer" not in {reason["code"] for reason in on_premise["reasons"]}


def test_a_tool_of_another_collectivite_is_refused(users, api_for, other_collectivite):
    foreign = ToolFactory(collectivite=other_collectivite)
    response = api_for(users["agent"]).post(URL, {**MINIMAL, "tool": foreign.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["tool"]


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        (
            "technique",
            "quantum",
            "rules, expert_system, ml_predictive, genai_text, genai_media, vision, speech, agentic",
        ),
        ("automation_level", "total", "none, assist, determining, fully_automated"),
        ("art6_3_ground", "e", "a, b, c, d"),
        ("hosting_zone", "moon", "on_premise, fr, eu, non_eu, unknown"),
        ("hosting_qualification", "iso", "secnumcloud, hds, none"),
        ("personal_data_categories", ["criminal", "gossip"], "ordinary, financial"),
    ],
)
def test_an_invalid_code_is_a_400_naming_the_field_and_the_allowed_values(users, api_for, field, value, allowed):
    response = api_for(users["agent"]).post(URL, {**MINIMAL, field: value}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert allowed in errors[field][0]


def test_absent_codes_may_be_null(users, api_for):
    response = api_for(users["agent"]).post(
        URL, {**MINIMAL, "annex_iii_point": None, "art6_3_ground": ""}, format="json"
    )
    assert response.status_code == 200


def test_the_required_fields_are_named(users, api_for):
    # The technique may be left out: not known yet, an AI system whose technique the DPO confirms (DOMAIN.md 3b)
    response = api_for(users["agent"]).post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"audience"}


def test_classify_only_accepts_post(users, api_for):
    assert api_for(users["agent"]).get(URL).status_code == 405


# Incoherent answers: refused exactly as the form and the model refuse them (`rules.incoherences`) ----------------
@pytest.mark.parametrize(("case", "values", "field"), INCOHERENT, ids=[case for case, _v, _f in INCOHERENT])
def test_incoherent_answers_are_refused_as_the_form_refuses_them(
    users, api_for, collectivite, services, case, values, field
):
    before = counts()
    response = api_for(users["agent"]).post(URL, {**MINIMAL, **values}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert body["message"] == "Certains champs ne sont pas valides."
    assert body["errors"] == {field: form_messages(values, field)}
    assert counts() == before
    # The model (behind every way in: form, API, import) says the same of the same answers
    use_case = UseCase(
        collectivite=collectivite,
        service=services["ccas"],
        name="U",
        summary="R.",
        purpose="B.",
        **{**MINIMAL, **values},
    )
    with pytest.raises(ValidationError) as refused:
        use_case.clean()
    assert refused.value.message_dict[field] == body["errors"][field]
    # And so does the use-case form where it asks the answer directly (it asks the facts that derive the others)
    form = UseCaseForm(
        data={"name": "U", "summary": "R.", "purpose": "B.", "service": services["ccas"].pk, **MINIMAL, **values},
        collectivite=collectivite,
        user=users["agent"],
    )
    if field in form.fields:
        assert not form.is_valid()
        assert form.errors[field] == body["errors"][field]


@pytest.mark.parametrize(
    "values",
    [
        {"individual_decisions": True, "automation_level": "assist"},
        {"individual_decisions": True, "administrative_appeal": True, "automation_level": "assist"},
        {"annex_iii_point": "5a", "art6_3_ground": "a"},
        {"personal_data_categories": ["ordinary"], "profiling": True, "large_scale": True},
        {
            "personal_data_categories": ["ordinary"],
            "systematic_monitoring": True,
            "cnil_list_types": ["social_support"],
        },
        {"personal_data_categories": ["health"], "care_context": True, "hosting_qualification": "hds"},
        {"technique": "ml_predictive", "self_learning": True},
    ],
)
def test_the_same_answers_made_coherent_are_classified(users, api_for, values):
    response = api_for(users["agent"]).post(URL, {**MINIMAL, **values}, format="json")
    assert response.status_code == 200, response.json()


# A rules-based algorithm: outside the AI Act, still under the RGPD and the CRPA ---------------------------------
def test_rules_written_by_people_are_out_of_the_ai_act_but_keep_the_crpa_duties(users, api_for):
    # Given a scale written by the agents that grants an aid, on personal data
    payload = {
        "technique": "rules",
        "audience": "public",
        "automation_level": "assist",
        "individual_decisions": True,
        "personal_data_categories": ["ordinary", "financial"],
        "hosting_zone": "fr",
    }
    # When it is classified
    body = api_for(users["agent"]).post(URL, payload, format="json").json()
    # Then it is no AI system: no AI Act risk level, obligation nor AI checkpoint (AI Act art. 3(1), recital 12)
    assert body["ai_system"] is False
    assert body["ai_act_risk"] == "out_of_scope"
    assert body["fria_required"] is False and body["eu_registration_required"] is False
    codes = {reason["code"]: reason for reason in body["reasons"]}
    assert codes["not_ai_system"]["supports"] == ["ai_act_risk"]
    assert "ai_literacy" not in codes
    assert "innovative_technology" not in body["edpb_criteria"]
    assert not {"bias_review", "log_retention", "transparency_notice"} & set(body["required_checkpoints"])
    # But the decisions it founds carry the L311-3-1 mention and its rules are published (L312-1-3, 600 agents)
    assert body["crpa_mention_required"] is True
    assert body["public_register_required"] is True
    assert {"decision_validation", "crpa_mention", "data_minimisation"} <= set(body["required_checkpoints"])
    assert codes["crpa_mention"]["supports"] == ["crpa_mention_required"]
    assert "L311-3-1" in codes["crpa_mention"]["basis"]
    assert body["ruleset"] == rules.RULESET_VERSION


def test_ai_act_answers_given_for_rules_are_ignored_with_a_warning(users, api_for):
    body = (
        api_for(users["agent"])
        .post(URL, {**MINIMAL, "technique": "rules", "art5_practices": ["c"], "annex_iii_point": "5a"}, format="json")
        .json()
    )
    assert body["ai_act_risk"] == "out_of_scope"
    assert body["blocked"] is False
    warning = next(reason for reason in body["reasons"] if reason["code"] == "not_ai_answers_ignored")
    assert warning["kind"] == "warning"


def test_an_expert_system_is_an_ai_system(users, api_for):
    body = api_for(users["agent"]).post(URL, {**MINIMAL, "technique": "expert_system"}, format="json").json()
    assert body["ai_system"] is True
    assert body["ai_act_risk"] == "minimal"
    assert "ai_literacy" in {reason["code"] for reason in body["reasons"]}


# The new inputs -------------------------------------------------------------------------------------------------
def test_an_annex_i_product_is_high_risk_without_fria(users, api_for):
    # A fall-detection device certified by a notified body (AI Act art. 6(1), Annex I)
    body = (
        api_for(users["agent"])
        .post(URL, {**MINIMAL, "technique": "vision", "annex_i_product": True}, format="json")
        .json()
    )
    assert body["ai_act_risk"] == "high"
    assert body["fria_required"] is False and body["eu_registration_required"] is False  # art. 27(1), 49(3)
    assert "annex_i_high" in {reason["code"] for reason in body["reasons"]}


def test_a_provider_of_a_high_risk_system_has_the_provider_obligations(users, api_for):
    payload = {**MINIMAL, "technique": "ml_predictive", "annex_iii_point": "4a", "ai_act_role": "provider"}
    body = api_for(users["agent"]).post(URL, payload, format="json").json()
    assert body["ai_act_risk"] == "high"
    assert "provider_conformity" in body["required_checkpoints"]
    assert "provider_obligations" in {reason["code"] for reason in body["reasons"]}
    deployer = api_for(users["agent"]).post(URL, {**payload, "ai_act_role": "deployer"}, format="json").json()
    assert "provider_conformity" not in deployer["required_checkpoints"]


def test_an_unknown_role_is_refused_with_the_allowed_values(users, api_for):
    response = api_for(users["agent"]).post(URL, {**MINIMAL, "ai_act_role": "owner"}, format="json")
    assert response.status_code == 400
    assert "deployer, provider" in response.json()["errors"]["ai_act_role"][0]


def test_monitoring_care_and_the_cnil_list_count_for_the_dpia(users, api_for):
    # Care records of an EHPAD, hosted by a certified health data host
    payload = {
        **MINIMAL,
        "personal_data_categories": ["health"],
        "care_context": True,
        "hosting_zone": "fr",
        "hosting_qualification": "hds",
    }
    body = api_for(users["agent"]).post(URL, payload, format="json").json()
    assert body["dpia_required"] is True
    assert body["cnil_list_types"] == ["health_care_establishment"]
    assert body["blocked"] is False
    # Without HDS the hosting of care data is refused (CSP L1111-8)
    unhosted = api_for(users["agent"]).post(URL, {**payload, "hosting_qualification": "none"}, format="json").json()
    assert unhosted["blocked"] is True
    assert "block_health_hosting" in {reason["code"] for reason in unhosted["reasons"]}
    # Systematic monitoring of agents is a criterion of the EDPB guidelines and a type of the CNIL's list
    watched = (
        api_for(users["agent"])
        .post(URL, {**MINIMAL, "personal_data_categories": ["location"], "systematic_monitoring": True}, format="json")
        .json()
    )
    assert "systematic_monitoring" in watched["edpb_criteria"]
    assert "employee_monitoring" in watched["cnil_list_types"]
    # A type of the CNIL's list given as an answer
    listed = (
        api_for(users["agent"])
        .post(URL, {**MINIMAL, **PERSONAL, "cnil_list_types": ["professional_alerts"]}, format="json")
        .json()
    )
    assert listed["cnil_list_types"] == ["professional_alerts"]
    assert listed["dpia_required"] is True


# Reasons: what they support, whether they are policy, and when an AI Act obligation applies ----------------------
HIGH_RISK_5A = {
    "technique": "ml_predictive",
    "audience": "public",
    "annex_iii_point": "5a",
    "automation_level": "determining",
    "individual_decisions": True,
    "personal_data_categories": ["ordinary"],
    "hosting_zone": "fr",
}


def test_annex_iii_obligations_are_pending_until_their_date_of_application(users, api_for, application_dates):
    client = api_for(users["agent"])
    # On 7 December 2026 the Annex III obligations (applicable from 2 December 2027) are not applicable yet
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)):
        body = client.post(URL, HIGH_RISK_5A, format="json").json()
    reasons = {reason["code"]: reason for reason in body["reasons"]}
    assert reasons["annex_iii_high"]["supports"] == ["ai_act_risk"]
    for code in ("annex_iii_high", "fria", "art26_oversight"):
        assert reasons[code]["applies_from"] == "2027-12-02", code
        assert reasons[code]["pending"] is True, code
        assert "2 décembre 2027" in reasons[code]["explanation"], code
    assert "fria_required" in reasons["fria"]["supports"]
    # Art. 4 (AI literacy) applies since 2 February 2025
    assert reasons["ai_literacy"]["applies_from"] == "2025-02-02"
    assert reasons["ai_literacy"]["pending"] is False
    # The CRPA and the RGPD carry no AI Act date; the ethics review is the collectivité's policy, said so
    assert reasons["crpa_mention"]["applies_from"] is None and reasons["crpa_mention"]["pending"] is False
    assert reasons["crpa_mention"]["is_policy"] is False
    assert reasons["ethics_high"]["is_policy"] is True
    assert reasons["ethics_high"]["supports"] == ["ethics_review_required"]
    # Once the date has come, the same obligations apply
    with time_machine.travel(dt.datetime(2027, 12, 2, 10, 0, tzinfo=PARIS)):
        later = client.post(URL, HIGH_RISK_5A, format="json").json()
    assert not any(reason["pending"] for reason in later["reasons"])
