"""The classification engine: ethics-committee review (DOMAIN.md section 3) and checkpoints (section 4)."""

import itertools

import pytest

from registry.rules import CHECKPOINT_ORDER, OBLIGATION, Policy
from tests.registry.rules_support import check, codes, row, run

ETHICS_CODES = [
    "ethics_high",
    "ethics_special",
    "ethics_automation",
    "ethics_public_chatbot",
    "ethics_policy_personal_data",
    "ethics_policy_public",
]

# --- Ethics review: the legal minimum, and what a collectivité's policy adds ------------------------------------

ETHICS_ROWS = [
    row(
        "Review policy (default rule), not the law: high-risk system -> ethics review",
        {"annex_iii_point": "5a"},
        expect={"ethics_review_required": True},
        reasons=[("ethics_high", OBLIGATION, "Rule of the collectivité")],
    ),
    *(
        row(
            f"Review policy (default rule): {category} data (RGPD art. {article}) -> ethics review",
            {"personal_data_categories": [category]},
            expect={"ethics_review_required": True, "ai_act_risk": "minimal"},
            reasons=[("ethics_special", OBLIGATION, "Rule of the collectivité")],
        )
        for category, article in (("health", "9"), ("criminal", "10"))
    ),
    *(
        row(
            f"Review policy (default rule): automation {level} (CJEU C-634/21) -> ethics review",
            {"automation_level": level, "individual_decisions": True},
            expect={"ethics_review_required": True},
            reasons=[("ethics_automation", OBLIGATION, "Rule of the collectivité")],
        )
        for level in ("determining", "fully_automated")
    ),
    row(
        "CJEU C-634/21: AI that assists, a human decides -> no review by default",
        {"automation_level": "assist", "individual_decisions": True},
        expect={"ethics_review_required": False},
        absent=ETHICS_CODES,
    ),
    *(
        row(
            f"Review policy (default rule): AI chatbot talking to {audience} -> ethics review",
            {"art50_features": ["chatbot"], "audience": audience},
            expect={"ethics_review_required": True},
            reasons=[("ethics_public_chatbot", OBLIGATION, "Rule of the collectivité")],
        )
        for audience in ("public", "both")
    ),
    row(
        "AI Act art. 50(1): chatbot for agents only -> no review by default",
        {"art50_features": ["chatbot"], "audience": "agents"},
        expect={"ethics_review_required": False},
        absent=ETHICS_CODES,
    ),
    row(
        "AI Act art. 50: public-facing synthetic media, not a chatbot -> no review by default",
        {"art50_features": ["synthetic_media"], "audience": "public"},
        expect={"ethics_review_required": False},
        absent=ETHICS_CODES,
    ),
    row(
        "EDPB WP248: highly personal data (not art. 9/10) -> no review by default",
        {"personal_data_categories": ["financial", "minors_vulnerable"]},
        expect={"ethics_review_required": False},
        absent=ETHICS_CODES,
    ),
    row(
        "Nothing of DOMAIN.md section 3 -> no review",
        {},
        expect={"ethics_review_required": False},
        absent=ETHICS_CODES,
    ),
    row(
        "All legal triggers at once -> review, each trigger named",
        {
            "annex_iii_point": "5a",
            "personal_data_categories": ["health"],
            "automation_level": "determining",
            "individual_decisions": True,
            "art50_features": ["chatbot"],
            "audience": "both",
        },
        expect={"ethics_review_required": True},
        reasons=[
            ("ethics_high", OBLIGATION, "Rule of the collectivité"),
            ("ethics_special", OBLIGATION, "Rule of the collectivité"),
            ("ethics_automation", OBLIGATION, "Rule of the collectivité"),
            ("ethics_public_chatbot", OBLIGATION, "Rule of the collectivité"),
        ],
    ),
    # The collectivité's ethics charter tightens the policy.
    row(
        "Ethics charter: review every use with personal data -> ordinary data reviewed",
        {"personal_data_categories": ["ordinary"]},
        policy=Policy(ethics_review_personal_data=True),
        expect={"ethics_review_required": True},
        reasons=[("ethics_policy_personal_data", OBLIGATION, "Rule of the collectivité")],
    ),
    row(
        "Ethics charter: review every use with personal data -> no personal data, no review",
        {"personal_data_categories": []},
        policy=Policy(ethics_review_personal_data=True),
        expect={"ethics_review_required": False},
        absent=ETHICS_CODES,
    ),
    *(
        row(
            f"Ethics charter: review every use affecting the public -> audience {audience} reviewed",
            {"audience": audience},
            policy=Policy(ethics_review_public_audience=True),
            expect={"ethics_review_required": True},
            reasons=[("ethics_policy_public", OBLIGATION, "Rule of the collectivité")],
        )
        for audience in ("public", "both")
    ),
    row(
        "Ethics charter: review every use affecting the public -> agents only, no review",
        {"audience": "agents"},
        policy=Policy(ethics_review_public_audience=True),
        expect={"ethics_review_required": False},
        absent=ETHICS_CODES,
    ),
    # Never loosened: a policy has nothing that switches a legal trigger off.
    row(
        "Review policy never loosened: high-risk with the default policy -> still reviewed",
        {"annex_iii_point": "4a"},
        policy=Policy(),
        expect={"ethics_review_required": True},
        reasons=[("ethics_high", OBLIGATION, "Rule of the collectivité")],
    ),
    row(
        "Review policy never loosened: high-risk with every option off and no agents -> still reviewed",
        {"annex_iii_point": "4a", "audience": "public"},
        policy=Policy(agents_count=0, ethics_review_personal_data=False, ethics_review_public_audience=False),
        expect={"ethics_review_required": True},
        reasons=[("ethics_high", OBLIGATION, "Rule of the collectivité")],
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), ETHICS_ROWS)
def test_ethics_review(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


SAMPLE_FACTS = [
    {},
    {"personal_data_categories": ["ordinary"], "audience": "public"},
    {"annex_iii_point": "5a", "personal_data_categories": ["financial"]},
    {"personal_data_categories": ["health"], "automation_level": "determining", "individual_decisions": True},
    {"art50_features": ["chatbot"], "audience": "both", "technique": "genai_text"},
    {"art5_practices": ["c"], "audience": "public"},
]
POLICIES = [
    Policy(agents_count=agents, ethics_review_personal_data=personal, ethics_review_public_audience=public)
    for agents, personal, public in itertools.product((None, 10, 600), (False, True), (False, True))
]


@pytest.mark.parametrize("facts", SAMPLE_FACTS, ids=[f"facts{index}" for index in range(len(SAMPLE_FACTS))])
def test_a_policy_only_adds_to_the_legal_minimum(facts):
    # Given the legal minimum (no policy)
    legal = run(facts)
    legal_triggers = {code for code in codes(legal) if code in ETHICS_CODES}

    for policy in POLICIES:
        # When a collectivité applies its policy
        tightened = run(facts, policy)

        # Then every legal trigger is still there, and only ethics and the public register may differ
        assert legal_triggers <= set(codes(tightened)), policy
        assert tightened.ethics_review_required >= legal.ethics_review_required, policy
        assert (tightened.ai_act_risk, tightened.rgpd_sensitivity, tightened.blocked, tightened.dpia_required) == (
            legal.ai_act_risk,
            legal.rgpd_sensitivity,
            legal.blocked,
            legal.dpia_required,
        )


# --- Required checkpoints (section 4), in CHECKPOINT_ORDER ------------------------------------------------------

CHECKPOINT_ROWS = [
    row(
        "CNIL generative AI + AI Act art. 4: drafting with a text generator, no personal data",
        {"technique": "genai_text"},
        expect={"required_checkpoints": ["output_review", "source_verification"]},
    ),
    row(
        "AI Act art. 50(1), RGPD art. 5(1)(c): public chatbot with personal data",
        {
            "technique": "genai_text",
            "art50_features": ["chatbot"],
            "audience": "public",
            "personal_data_categories": ["ordinary"],
        },
        expect={
            "required_checkpoints": ["output_review", "source_verification", "transparency_notice", "data_minimisation"]
        },
    ),
    row(
        "AI Act art. 50(2)-(4): deepfake video for a campaign",
        {"technique": "genai_media", "art50_features": ["deepfake"], "audience": "public"},
        expect={"required_checkpoints": ["output_review", "transparency_notice"]},
    ),
    row(
        "AI Act art. 26, CRPA L311-3-1: determining eligibility score for social aid (Annex III 5a)",
        {
            "technique": "ml_predictive",
            "annex_iii_point": "5a",
            "audience": "public",
            "individual_decisions": True,
            "automation_level": "determining",
            "profiling": True,
            "personal_data_categories": ["ordinary", "financial"],
        },
        policy=Policy(agents_count=600),
        expect={
            "ai_act_risk": "high",
            "required_checkpoints": [
                "decision_validation",
                "bias_review",
                "log_retention",
                "oversight_training",
                "crpa_mention",
                "data_minimisation",
                "incident_monitoring",
            ],
        },
    ),
    row(
        "AI Act art. 26(7) concerns use at work: CV screening of candidates (public) -> no workers' information",
        {
            "technique": "ml_predictive",
            "annex_iii_point": "4a",
            "audience": "public",
            "individual_decisions": True,
            "automation_level": "assist",
            "personal_data_categories": ["ordinary"],
        },
        expect={
            "required_checkpoints": [
                "decision_validation",
                "bias_review",
                "log_retention",
                "oversight_training",
                "crpa_mention",
                "data_minimisation",
                "incident_monitoring",
            ]
        },
    ),
    row(
        "AI Act art. 26(7): high-risk monitoring of agents' tasks (Annex III 4b) -> workers' representatives informed",
        {
            "technique": "ml_predictive",
            "annex_iii_point": "4b",
            "audience": "agents",
            "systematic_monitoring": True,
            "personal_data_categories": ["ordinary"],
        },
        expect={
            "required_checkpoints": [
                "log_retention",
                "oversight_training",
                "data_minimisation",
                "incident_monitoring",
                "workers_informed",
            ]
        },
    ),
    row(
        "AI Act art. 26 and 50(6): high-risk chatbot for agents and public -> transparency kept",
        {"technique": "genai_text", "annex_iii_point": "5a", "art50_features": ["chatbot"], "audience": "both"},
        expect={
            "ai_act_risk": "high",
            "required_checkpoints": [
                "output_review",
                "source_verification",
                "log_retention",
                "oversight_training",
                "transparency_notice",
                "incident_monitoring",
                "workers_informed",
            ],
        },
    ),
    row(
        "AI Act art. 26: road traffic control (Annex III point 2) for the public, no personal data",
        {"technique": "ml_predictive", "annex_iii_point": "2", "audience": "public"},
        expect={"required_checkpoints": ["log_retention", "oversight_training", "incident_monitoring"]},
    ),
    row(
        "DOMAIN.md section 4: output review follows generated content only -> an agent acting on systems, none",
        {"technique": "agentic"},
        expect={"required_checkpoints": []},
    ),
    row(
        "AI Act art. 16, 43, 49: the collectivité as provider of a high-risk system -> provider conformity",
        {"technique": "ml_predictive", "annex_iii_point": "5a", "ai_act_role": "provider", "audience": "public"},
        expect={
            "required_checkpoints": [
                "log_retention",
                "oversight_training",
                "incident_monitoring",
                "provider_conformity",
            ]
        },
        reasons=[("provider_obligations", OBLIGATION, "AI Act, art. 16, 43, 49, 72 and 73")],
    ),
    row(
        "AI Act art. 3(1): a scale written by agents founding decisions -> only the RGPD and CRPA checkpoints",
        {
            "technique": "rules",
            "annex_iii_point": "5a",
            "audience": "public",
            "individual_decisions": True,
            "automation_level": "determining",
            "profiling": True,
            "personal_data_categories": ["ordinary", "financial"],
        },
        policy=Policy(agents_count=600),
        expect={
            "ai_act_risk": "out_of_scope",
            "required_checkpoints": ["decision_validation", "crpa_mention", "data_minimisation"],
        },
    ),
    row(
        "RGPD art. 5(1)(a): profiling for targeted information, minimal risk",
        {"technique": "ml_predictive", "profiling": True, "personal_data_categories": ["ordinary"]},
        expect={"required_checkpoints": ["bias_review", "data_minimisation"]},
    ),
    row(
        "RGPD art. 5(1)(c) and 25: C2 data without personal data -> minimisation only",
        {"technique": "speech", "max_data_classification": "C2"},
        expect={"required_checkpoints": ["data_minimisation"]},
    ),
    row(
        "An AI system of minimal risk, no data -> no checkpoint",
        {},
        expect={"required_checkpoints": []},
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), CHECKPOINT_ROWS)
def test_required_checkpoints(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


@pytest.mark.parametrize(
    "facts",
    [pytest.param(row.values[0], id=row.id) for row in CHECKPOINT_ROWS + ETHICS_ROWS],
)
def test_checkpoints_follow_checkpoint_order_without_duplicates(facts):
    checkpoints = run(facts).required_checkpoints

    assert checkpoints == [code for code in CHECKPOINT_ORDER if code in checkpoints]
