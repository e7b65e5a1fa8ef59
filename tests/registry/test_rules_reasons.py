"""Every reason the engine can give: triggered by some facts, rendered, sorted, stored and read back."""

import json
import re

import pytest
from django.utils import translation

from registry.rules import BLOCKING, KIND_ORDER, REASONS, Policy, Reason, reasons_from_stored
from tests.registry.rules_support import codes, reason, run

DECIDES_ALONE = {"individual_decisions": True, "automation_level": "fully_automated"}
ORDINARY = ["ordinary"]

# One case per reason code: the facts (and policy) that make the engine give it.
TRIGGERS = {
    "not_ai_system": ({"technique": "rules"}, None),
    "not_ai_answers_ignored": ({"technique": "rules", "annex_iii_point": "5a", "art5_practices": ["c"]}, None),
    "ai_literacy": ({}, None),
    "art5_prohibited": ({"art5_practices": ["c", "a"]}, None),
    "annex_i_high": ({"annex_i_product": True}, None),
    "annex_iii_high": ({"annex_iii_point": "5a"}, None),
    "biometric_high": ({"art50_features": ["emotion_or_biometric"]}, None),
    "art6_3_profiling": (
        {"annex_iii_point": "5a", "art6_3_ground": "d", "profiling": True, "personal_data_categories": ORDINARY},
        None,
    ),
    "art6_3_influence": (
        {
            "annex_iii_point": "5a",
            "art6_3_ground": "a",
            "individual_decisions": True,
            "automation_level": "determining",
        },
        None,
    ),
    "art6_3_exempt": ({"annex_iii_point": "5a", "art6_3_ground": "d"}, None),
    "art6_4_assessment": ({"annex_iii_point": "5a", "art6_3_ground": "d"}, None),
    "art6_4_assessment_provider": ({"annex_iii_point": "5a", "art6_3_ground": "d", "ai_act_role": "provider"}, None),
    "limited": ({"art50_features": ["deepfake", "chatbot"]}, None),
    "minimal": ({}, None),
    "art50_chatbot": ({"art50_features": ["chatbot"]}, None),
    "art50_synthetic": ({"art50_features": ["synthetic_media"]}, None),
    "art50_emotion_biometric": ({"art50_features": ["emotion_or_biometric"]}, None),
    "art50_deepfake": ({"art50_features": ["deepfake"]}, None),
    "art50_public_text": ({"art50_features": ["public_interest_text"]}, None),
    "fria": ({"annex_iii_point": "3a"}, None),
    "eu_registration": ({"annex_iii_point": "4b"}, None),
    "eu_registration_provider": ({"annex_iii_point": "4b", "ai_act_role": "provider"}, None),
    "annex_iii_point_2": ({"annex_iii_point": "2"}, None),
    "annex_i_no_fria": ({"annex_i_product": True}, None),
    "art26_instructions": ({"annex_iii_point": "8a"}, None),
    "art26_oversight": ({"annex_iii_point": "8a"}, None),
    "art26_input_data": ({"annex_iii_point": "8a"}, None),
    "art26_monitoring": ({"annex_iii_point": "8a"}, None),
    "art26_logs": ({"annex_iii_point": "8a"}, None),
    "art26_workers": ({"annex_iii_point": "4b", "audience": "agents"}, None),
    "art26_registered_system": ({"annex_iii_point": "5d"}, None),
    "art26_inform_persons": ({"annex_iii_point": "5a", "automation_level": "assist"}, None),
    "art73_incidents": ({"annex_i_product": True}, None),
    "art86_explanation": (
        {"annex_iii_point": "5a", "individual_decisions": True, "automation_level": "assist"},
        None,
    ),
    "provider_obligations": ({"annex_iii_point": "5a", "ai_act_role": "provider"}, None),
    "rgpd_none": ({}, None),
    "rgpd_personal": ({"personal_data_categories": ORDINARY}, None),
    "rgpd_highly_personal": ({"personal_data_categories": ["nir", "minors_vulnerable"]}, None),
    "rgpd_special": ({"personal_data_categories": ["health", "criminal"]}, None),
    "dpia_edpb": ({"personal_data_categories": ORDINARY, "technique": "genai_text", "large_scale": True}, None),
    "dpia_edpb_below": ({"personal_data_categories": ORDINARY, "technique": "genai_text"}, None),
    "dpia_cnil_list": ({"personal_data_categories": ORDINARY, "audience": "agents", "profiling": True}, None),
    "dpia_art35_3a": (
        {
            "personal_data_categories": ORDINARY,
            "profiling": True,
            "individual_decisions": True,
            "automation_level": "determining",
        },
        None,
    ),
    "dpia_art35_3b": ({"personal_data_categories": ["criminal"], "large_scale": True}, None),
    "dpia_art35_3c": (
        {
            "personal_data_categories": ORDINARY,
            "systematic_monitoring": True,
            "audience": "public",
            "large_scale": True,
        },
        None,
    ),
    "art22_safeguards": ({**DECIDES_ALONE, "personal_data_categories": ORDINARY}, None),
    "crpa_mention": ({"individual_decisions": True, "automation_level": "assist"}, None),
    "public_register": ({"individual_decisions": True, "automation_level": "assist"}, Policy(agents_count=600)),
    "public_register_small": ({"individual_decisions": True, "automation_level": "assist"}, Policy(agents_count=12)),
    "public_register_unknown": (
        {"individual_decisions": True, "automation_level": "assist"},
        Policy(agents_count=None),
    ),
    "block_self_learning": ({**DECIDES_ALONE, "self_learning": True}, None),
    "block_automated_special": ({**DECIDES_ALONE, "personal_data_categories": ["religious_beliefs"]}, None),
    "block_automated_appeal": ({**DECIDES_ALONE, "administrative_appeal": True}, None),
    "block_automated_criminal": ({**DECIDES_ALONE, "personal_data_categories": ["criminal"]}, None),
    "block_c4": ({"max_data_classification": "C4"}, None),
    "block_c3_hosting": ({"max_data_classification": "C3", "hosting_zone": "eu"}, None),
    "block_health_hosting": (
        {"personal_data_categories": ["health"], "care_context": True, "hosting_zone": "fr"},
        None,
    ),
    "block_tool_prohibited": ({"tool_name": "DeepSeek", "tool_status": "prohibited"}, None),
    "block_tool_classification": (
        {"tool_name": "Albert", "tool_max_classification": "C1", "max_data_classification": "C2"},
        None,
    ),
    "warn_determining": (
        {"individual_decisions": True, "automation_level": "determining", "personal_data_categories": ["health"]},
        None,
    ),
    "warn_transfer": ({"personal_data_categories": ORDINARY, "hosting_zone": "non_eu"}, None),
    "warn_provider_reuse": ({"max_data_classification": "C2", "provider_reuse_disabled": False}, None),
    "warn_c3_approval": ({"max_data_classification": "C3", "hosting_zone": "on_premise"}, None),
    "warn_tool_under_review": ({"tool_name": "Copilot", "tool_status": "under_review"}, None),
    "ethics_high": ({"annex_iii_point": "5b"}, None),
    "ethics_special": ({"personal_data_categories": ["genetic"]}, None),
    "ethics_automation": ({"automation_level": "determining"}, None),
    "ethics_public_chatbot": ({"art50_features": ["chatbot"], "audience": "public"}, None),
    "ethics_policy_personal_data": (
        {"personal_data_categories": ORDINARY},
        Policy(ethics_review_personal_data=True),
    ),
    "ethics_policy_public": ({"audience": "both"}, Policy(ethics_review_public_audience=True)),
}
TRIGGER_PARAMS = [pytest.param(code, facts, policy, id=code) for code, (facts, policy) in TRIGGERS.items()]
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def test_every_reason_code_has_a_triggering_case():
    assert set(TRIGGERS) == set(REASONS)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("code", "facts", "policy"), TRIGGER_PARAMS)
def test_every_reason_is_given_and_renders(code, facts, policy, language):
    # Given the facts that trigger the reason
    result = run(facts, policy)
    given = reason(result, code)

    with translation.override(language):
        # Then its text has exactly the placeholders the engine fills, in this language too
        template = str(REASONS[code].text) + str(REASONS[code].basis)
        assert set(PLACEHOLDER.findall(template)) == {name for name, _ in given.params}
        # And it renders without a KeyError or a leftover placeholder
        explanation = given.explanation
    assert explanation
    assert "%(" not in explanation
    assert given.basis.strip()
    assert given.kind in KIND_ORDER


@pytest.mark.parametrize(("code", "facts", "policy"), TRIGGER_PARAMS)
def test_reasons_are_sorted_blocking_first_and_blocked_follows_them(code, facts, policy):
    result = run(facts, policy)

    kinds = [item.kind for item in result.reasons]
    assert kinds == sorted(kinds, key=KIND_ORDER.index)
    assert result.blocked is (BLOCKING in kinds)


def test_reasons_of_every_kind_are_ordered_blocking_classification_obligation_warning_information():
    # Given a use that is blocked twice, classified, obliged, warned and informed
    result = run(
        {
            **DECIDES_ALONE,
            "self_learning": True,
            "technique": "genai_text",
            "annex_iii_point": "5a",
            "art6_3_ground": "a",
            "personal_data_categories": ORDINARY,
            "max_data_classification": "C3",
            "hosting_zone": "non_eu",
            "provider_reuse_disabled": False,
        },
        Policy(agents_count=12),
    )

    # Then blocking reasons come first, in the order the rules were applied, and information last
    kinds = [item.kind for item in result.reasons]
    assert list(dict.fromkeys(kinds)) == list(KIND_ORDER)
    assert [item.code for item in result.reasons if item.kind == BLOCKING] == [
        "block_self_learning",
        "block_c3_hosting",
    ]
    assert result.blocked is True


@pytest.mark.parametrize(
    ("code", "facts", "expected"),
    [
        pytest.param(
            "art5_prohibited",
            {"art5_practices": ["c", "a"]},
            "(a. Subliminal or deceptive manipulation, c. Social scoring)",
            id="AI Act art. 5(1): practices named by their label, in order",
        ),
        pytest.param(
            "annex_iii_high",
            {"annex_iii_point": "5a"},
            "point 5a. Eligibility for public assistance benefits and services:",
            id="AI Act Annex III: point named by its label",
        ),
        pytest.param(
            "art6_3_exempt",
            {"annex_iii_point": "4a", "art6_3_ground": "d"},
            "point 4a. Recruitment and selection, but the system only performs a task of Article 6(3)(d), without",
            id="AI Act art. 6(3): point label and ground letter",
        ),
        pytest.param(
            "art6_3_influence",
            {
                "annex_iii_point": "5a",
                "art6_3_ground": "a",
                "individual_decisions": True,
                "automation_level": "fully_automated",
            },
            "but the system's output takes the decision: it materially influences",
            id="AI Act art. 6(3) and recital 53: the influence named",
        ),
        pytest.param(
            "not_ai_answers_ignored",
            {"technique": "rules", "annex_iii_point": "5a", "art50_features": ["chatbot"]},
            "Answers about the AI Act were given (Annex III domain, transparency features (AI Act art. 50))",
            id="AI Act art. 3(1): the ignored answers named by their field label",
        ),
        pytest.param(
            "warn_determining",
            {
                "individual_decisions": True,
                "automation_level": "determining",
                "administrative_appeal": True,
                "self_learning": True,
            },
            "with administrative appeals, a self-learning system, the limits",
            id="CJEU C-634/21: the factors named",
        ),
        pytest.param(
            "limited",
            {"art50_features": ["deepfake", "chatbot"]},
            "(Interacts directly with people (chatbot), Produces deepfakes)",
            id="AI Act art. 50: features named by their label",
        ),
        pytest.param(
            "rgpd_special",
            {"personal_data_categories": ["ordinary", "health", "criminal"]},
            "(Criminal convictions and offences, Health data)",
            id="RGPD art. 9/10: only the special categories, by label",
        ),
        pytest.param(
            "dpia_edpb",
            {"personal_data_categories": ORDINARY, "technique": "genai_text", "large_scale": True},
            "2 criteria of the EDPB list are met (large scale, innovative technology (AI))",
            id="EDPB WP248: count and criteria labels",
        ),
        pytest.param(
            "dpia_edpb_below",
            {"personal_data_categories": ORDINARY, "technique": "genai_text"},
            "Only one criterion of the EDPB list is met (innovative technology (AI))",
            id="EDPB WP248: the single criterion met",
        ),
        pytest.param(
            "dpia_cnil_list",
            {"personal_data_categories": ORDINARY, "cnil_list_types": ["social_support"]},
            "requiring an AIPD: Social or medico-social support of persons.",
            id="CNIL 2018-327: listed type by its label",
        ),
        pytest.param(
            "block_c3_hosting",
            {"max_data_classification": "C3", "hosting_zone": "eu"},
            "here the hosting is European Union.",
            id="II 901: the hosting zone by its label",
        ),
        pytest.param(
            "block_tool_classification",
            {"tool_name": "Albert", "tool_max_classification": "C1", "max_data_classification": "C2"},
            "The tool Albert may receive data up to C1 — internal only, but this use handles C2 — sensitive data.",
            id="PSSI: tool name and both classification labels",
        ),
        pytest.param(
            "warn_transfer",
            {"personal_data_categories": ORDINARY, "hosting_zone": "unknown"},
            "in an unknown place (Unknown)",
            id="RGPD chapter V: the hosting zone by its label",
        ),
    ],
)
def test_explanations_show_labels_not_codes(code, facts, expected):
    with translation.override("en"):
        explanation = reason(run(facts), code).explanation

    assert expected in explanation


def test_public_register_explanation_names_threshold_and_headcount():
    result = run({"individual_decisions": True, "automation_level": "assist"}, Policy(agents_count=600))

    with translation.override("en"):
        assert "50 agents or more (600)" in reason(result, "public_register").explanation


def test_an_obligation_not_yet_applicable_says_from_when(settings):
    # Given the dates of application as the collectivité's policy carries them (AI Act art. 113 as amended)
    import datetime

    import time_machine

    policy = Policy(
        application_dates=(
            ("high_risk_annex_iii", datetime.date(2027, 12, 2)),
            ("ai_literacy", datetime.date(2025, 2, 2)),
        )
    )
    result = run({"annex_iii_point": "5a"}, policy)
    fria, literacy = reason(result, "fria"), reason(result, "ai_literacy")

    with translation.override("en"), time_machine.travel(datetime.date(2026, 12, 7)):
        # Then the FRIA, due from 2 December 2027, says so; AI literacy, already applicable, says nothing
        assert fria.pending and fria.applies_from == datetime.date(2027, 12, 2)
        assert "Applicable from" in fria.explanation
        assert not literacy.pending and "Applicable from" not in literacy.explanation
    with translation.override("fr"), time_machine.travel(datetime.date(2026, 12, 7)):
        assert "2 décembre 2027" in fria.explanation
    with time_machine.travel(datetime.date(2027, 12, 2)):
        # And from that day on, the obligation applies: the mention disappears without reclassifying
        assert not fria.pending
        assert "2027" not in fria.explanation


def test_policy_reasons_say_they_are_the_collectivites_rules_and_never_law():
    policy_codes = {code for code, rule in REASONS.items() if rule.policy}

    assert {code for code in REASONS if code.startswith("ethics_")} <= policy_codes
    assert "block_automated_criminal" in policy_codes
    with translation.override("fr"):
        for code in policy_codes:
            rule = REASONS[code]
            assert "collectivité" in str(rule.basis), code
            # No ethics reason presents the committee as a legal requirement: none cites an article as its basis.
            if code.startswith("ethics_"):
                assert "art." not in str(rule.basis), code


def test_every_reason_declares_the_verdicts_it_supports_or_is_a_note():
    verdicts = {
        "ai_act_risk",
        "rgpd_sensitivity",
        "dpia_required",
        "fria_required",
        "eu_registration_required",
        "crpa_mention_required",
        "public_register_required",
        "ethics_review_required",
        "blocked",
    }
    for code, rule in REASONS.items():
        assert set(rule.supports) <= verdicts, code
    # Each verdict is explained by at least one reason
    assert verdicts == {verdict for rule in REASONS.values() for verdict in rule.supports}
    # Every blocking reason supports the block
    for facts, policy in TRIGGERS.values():
        for item in run(facts, policy).reasons:
            if item.kind == BLOCKING:
                assert "blocked" in item.supports, item.code


@pytest.mark.parametrize(("code", "facts", "policy"), TRIGGER_PARAMS)
def test_stored_reasons_read_back_identical(code, facts, policy):
    # Given the reasons of a classification, stored as the model stores them (JSON)
    reasons = run(facts, policy).reasons
    stored = json.loads(json.dumps([item.as_dict() for item in reasons]))

    # When they are read back
    restored = reasons_from_stored(stored)

    # Then they are the same reasons, with the same basis and explanation
    assert restored == reasons
    assert [(item.basis, item.explanation) for item in restored] == [(item.basis, item.explanation) for item in reasons]
    assert code in codes(run(facts, policy))


def test_stored_reasons_skip_codes_the_engine_no_longer_knows():
    stored = [
        {"code": "withdrawn_rule", "kind": "warning", "params": {}},
        {"code": "minimal", "kind": "classification"},
    ]

    assert reasons_from_stored(stored) == [Reason("minimal", "classification")]
