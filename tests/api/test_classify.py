"""POST /api/v1/classify/: the engine's verdict on a use case's fields, explained, and nothing saved."""

import pytest

from registry.models import Tool, UseCase, UseCaseEvent
from tests.factories import ToolFactory

URL = "/api/v1/classify/"
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
}


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
    assert body["public_register_required"] is True  # 600 agents > 50 (CRPA L312-1-3)
    assert body["ethics_review_required"] is True
    assert body["blocked"] is False
    assert {"decision_validation", "bias_review", "log_retention"} <= set(body["required_checkpoints"])
    for reason in body["reasons"]:
        assert set(reason) == {"code", "kind", "basis", "explanation"}
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
    # A collectivité of 40 agents publishes no algorithm register (CRPA L312-1-3 applies above 50)
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
        ("technique", "quantum", "rules, ml_predictive, genai_text, genai_media, vision, speech, agentic"),
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
    response = api_for(users["agent"]).post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"technique", "audience"}


def test_classify_only_accepts_post(users, api_for):
    assert api_for(users["agent"]).get(URL).status_code == 405
