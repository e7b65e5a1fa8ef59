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
    "art5_prohibited": ({"art5_practices": ["c", "a"]}, None),
    "annex_iii_high": ({"annex_iii_point": "5a"}, None),
    "annex_iii_profiling": ({"annex_iii_point": "5a", "art6_3_ground": "d", "profiling": True}, None),
    "art6_3_exempt": ({"annex_iii_point": "5a", "art6_3_ground": "d"}, None),
    "art50_limited": ({"art50_features": ["deepfake", "chatbot"]}, None),
    "art50_high": ({"annex_iii_point": "5d", "art50_features": ["chatbot"]}, None),
    "public_register_unknown": (
        {"individual_decisions": True, "automation_level": "assist"},
        Policy(agents_count=None),
    ),
    "minimal": ({}, None),
    "deployer_duties": ({"annex_iii_point": "8a"}, None),
    "fria": ({"annex_iii_point": "3a"}, None),
    "eu_registration": ({"annex_iii_point": "4b"}, None),
    "annex_iii_point_2": ({"annex_iii_point": "2"}, None),
    "right_to_explanation": (
        {"annex_iii_point": "5a", "individual_decisions": True, "automation_level": "assist"},
        None,
    ),
    "rgpd_none": ({}, None),
    "rgpd_personal": ({"personal_data_categories": ORDINARY}, None),
    "rgpd_highly_personal": ({"personal_data_categories": ["nir", "minors_vulnerable"]}, None),
    "rgpd_special": ({"personal_data_categories": ["health", "criminal"]}, None),
    "dpia_edpb": ({"personal_data_categories": ORDINARY, "technique": "genai_text", "large_scale": True}, None),
    "dpia_edpb_below": ({"personal_data_categories": ORDINARY, "technique": "genai_text"}, None),
    "dpia_cnil_list": ({"personal_data_categories": ORDINARY, "annex_iii_point": "4b", "profiling": True}, None),
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
        {"personal_data_categories": ORDINARY, "technique": "vision", "audience": "public", "large_scale": True},
        None,
    ),
    "art22_safeguards": ({**DECIDES_ALONE, "personal_data_categories": ORDINARY}, None),
    "crpa_mention": ({"individual_decisions": True, "automation_level": "assist"}, None),
    "public_register": ({"individual_decisions": True, "automation_level": "assist"}, Policy(agents_count=600)),
    "public_register_small": ({"individual_decisions": True, "automation_level": "assist"}, Policy(agents_count=12)),
    "block_self_learning": ({**DECIDES_ALONE, "self_learning": True}, None),
    "block_automated_special": ({**DECIDES_ALONE, "personal_data_categories": ["religious_beliefs"]}, None),
    "block_automated_appeal": ({**DECIDES_ALONE, "administrative_appeal": True}, None),
    "block_c4": ({"max_data_classification": "C4"}, None),
    "block_c3_hosting": ({"max_data_classification": "C3", "hosting_zone": "eu"}, None),
    "block_tool_prohibited": ({"tool_name": "DeepSeek", "tool_status": "prohibited"}, None),
    "block_tool_classification": (
        {"tool_name": "Albert", "tool_max_classification": "C1", "max_data_classification": "C2"},
        None,
    ),
    "warn_transfer": ({"personal_data_categories": ORDINARY, "hosting_zone": "non_eu"}, None),
    "warn_provider_reuse": ({"max_data_classification": "C2", "provider_reuse_disabled": False}, None),
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
        template = str(REASONS[code][1])
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
            "point 5a. Eligibility for public assistance benefits and services,",
            id="AI Act Annex III: point named by its label",
        ),
        pytest.param(
            "art6_3_exempt",
            {"annex_iii_point": "4a", "art6_3_ground": "d"},
            "point 4a. Recruitment and selection, but it performs a task covered by Article 6(3)(d) without",
            id="AI Act art. 6(3): point label and ground letter",
        ),
        pytest.param(
            "art50_limited",
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
            "Only 1 criterion of the EDPB list is met (innovative technology (AI))",
            id="EDPB WP248: the single criterion met",
        ),
        pytest.param(
            "dpia_cnil_list",
            {"personal_data_categories": ORDINARY, "annex_iii_point": "5a"},
            "requiring a DPIA: social or medico-social support, social housing.",
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
        assert "more than 50 agents (600)" in reason(result, "public_register").explanation


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
