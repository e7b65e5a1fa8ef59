"""The classification engine, rule by rule (DOMAIN.md section 3): AI Act risk, CRPA duties, blocks, warnings.

Each row is named after the article behind its expectation. RGPD and DPIA rows are in test_rules_rgpd.py,
ethics review and checkpoints in test_rules_ethics_checkpoints.py, reason rendering in test_rules_reasons.py.
"""

import pytest

from registry.choices import AnnexIIIPoint
from registry.rules import (
    ART9,
    BLOCKING,
    CLASSIFICATION,
    INFORMATION,
    OBLIGATION,
    WARNING,
    Policy,
    UseCaseFacts,
    classify,
)
from tests.registry.rules_support import check, codes, row, run

# --- AI Act: prohibited practices (art. 5) ------------------------------------------------------------------

ART5_PRACTICES = {
    "a": "subliminal or deceptive manipulation",
    "b": "exploiting vulnerabilities",
    "c": "social scoring",
    "d": "predicting crime from profiling",
    "e": "untargeted scraping of facial images",
    "f": "emotion recognition at work or school",
    "g": "biometric categorisation of sensitive traits",
    "h": "real-time remote biometric identification in public",
}

AI_ACT_ROWS = [
    *(
        row(
            f"AI Act art. 5(1)({code}) {name} -> prohibited, blocked",
            {"art5_practices": [code]},
            expect={"ai_act_risk": "prohibited", "blocked": True, "fria_required": False},
            reasons=[("art5_prohibited", BLOCKING, "AI Act, art. 5(1)")],
            absent=["minimal", "art50_limited", "annex_iii_high"],
        )
        for code, name in ART5_PRACTICES.items()
    ),
    row(
        "AI Act art. 5 prevails over Annex III and art. 50 -> prohibited, no FRIA nor registration",
        {"art5_practices": ["c", "d"], "annex_iii_point": "5a", "art50_features": ["chatbot"]},
        expect={
            "ai_act_risk": "prohibited",
            "blocked": True,
            "fria_required": False,
            "eu_registration_required": False,
        },
        reasons=[("art5_prohibited", BLOCKING, "art. 5(1)")],
        absent=["annex_iii_high", "fria", "eu_registration", "art50_limited"],
    ),
    # Art. 6(3): the exemption holds only without profiling.
    *(
        row(
            f"AI Act art. 6(3)({ground}) Annex III 5a without profiling -> not high-risk (minimal)",
            {"annex_iii_point": "5a", "art6_3_ground": ground},
            expect={"ai_act_risk": "minimal", "fria_required": False, "eu_registration_required": False},
            reasons=[
                ("art6_3_exempt", CLASSIFICATION, "AI Act, art. 6(3)"),
                ("art6_4_assessment", OBLIGATION, "AI Act, art. 6(4)"),
                ("minimal", CLASSIFICATION, "art. 95"),
            ],
            absent=["annex_iii_high", "art6_3_profiling", "fria", "eu_registration", "art26_instructions"],
        )
        for ground in "abcd"
    ),
    row(
        "AI Act art. 6(3)(d) exemption + art. 50 chatbot -> limited, exemption recorded",
        {"annex_iii_point": "4a", "art6_3_ground": "d", "art50_features": ["chatbot"]},
        expect={"ai_act_risk": "limited", "fria_required": False},
        reasons=[("art6_3_exempt", CLASSIFICATION, "art. 6(3)"), ("limited", CLASSIFICATION, "art. 50")],
        absent=["annex_iii_high"],
    ),
    *(
        row(
            f"AI Act art. 6(3) last subparagraph: ground {ground} + profiling -> high-risk",
            {
                "annex_iii_point": "5a",
                "art6_3_ground": ground,
                "profiling": True,
                "personal_data_categories": ["ordinary"],
            },
            expect={"ai_act_risk": "high", "fria_required": True, "eu_registration_required": True},
            reasons=[
                ("art6_3_profiling", CLASSIFICATION, "art. 6(3), last subparagraph"),
                ("annex_iii_high", CLASSIFICATION, "art. 6(2) and Annex III"),
                ("fria", OBLIGATION, "art. 27"),
                ("eu_registration", OBLIGATION, "art. 49(3)"),
            ],
            absent=["art6_3_exempt"],
        )
        for ground in "abcd"
    ),
    row(
        "AI Act art. 6(2): Annex III with profiling and no exemption claimed -> high, no exemption reason",
        {"annex_iii_point": "4a", "profiling": True, "personal_data_categories": ["ordinary"]},
        expect={"ai_act_risk": "high"},
        reasons=[("annex_iii_high", CLASSIFICATION, "Annex III")],
        absent=["art6_3_profiling", "art6_3_exempt"],
    ),
    row(
        "AI Act art. 6(3) + profiling on Annex III point 2 -> high, still no FRIA nor registration",
        {"annex_iii_point": "2", "art6_3_ground": "a", "profiling": True},
        expect={"ai_act_risk": "high", "fria_required": False, "eu_registration_required": False},
        reasons=[
            ("art6_3_profiling", CLASSIFICATION, "last subparagraph"),
            ("annex_iii_point_2", INFORMATION, "27(1)"),
        ],
        absent=["fria", "eu_registration"],
    ),
    row(
        "AI Act art. 6(3): a ground without an Annex III point changes nothing -> minimal",
        {"art6_3_ground": "a"},
        expect={"ai_act_risk": "minimal"},
        reasons=[("minimal", CLASSIFICATION, "art. 95")],
        absent=["art6_3_exempt", "annex_iii_high"],
    ),
    # Art. 26 and 86 for high-risk systems.
    row(
        "AI Act art. 26: deployer of a high-risk system -> deployer duties, each with its paragraph",
        {"annex_iii_point": "5d"},
        expect={"ai_act_risk": "high"},
        reasons=[
            ("art26_instructions", OBLIGATION, "AI Act, art. 26(1)"),
            ("art26_oversight", OBLIGATION, "AI Act, art. 26(2)"),
            ("art26_input_data", OBLIGATION, "AI Act, art. 26(4)"),
            ("art26_monitoring", OBLIGATION, "AI Act, art. 26(5)"),
            ("art26_logs", OBLIGATION, "AI Act, art. 26(6)"),
            ("art26_workers", OBLIGATION, "AI Act, art. 26(7)"),
            ("art26_registered_system", OBLIGATION, "AI Act, art. 26(8)"),
            ("art73_incidents", OBLIGATION, "73"),
        ],
        absent=["provider_obligations"],
    ),
    row(
        "AI Act art. 86: high-risk system founding individual decisions -> right to explanation",
        {"annex_iii_point": "5a", "individual_decisions": True, "automation_level": "assist"},
        expect={"ai_act_risk": "high"},
        reasons=[("art86_explanation", OBLIGATION, "AI Act, art. 86")],
    ),
    row(
        "AI Act art. 86: high-risk system without individual decisions -> no right to explanation",
        {"annex_iii_point": "5a", "automation_level": "assist"},
        expect={"ai_act_risk": "high"},
        absent=["art86_explanation"],
    ),
    row(
        "AI Act art. 86(1): Annex III point 2 is excluded -> no right to explanation",
        {"annex_iii_point": "2", "individual_decisions": True, "automation_level": "assist"},
        expect={"ai_act_risk": "high"},
        absent=["art86_explanation"],
    ),
    row(
        "AI Act art. 86: minimal-risk system founding decisions -> no right to explanation",
        {"individual_decisions": True, "automation_level": "assist"},
        expect={"ai_act_risk": "minimal"},
        absent=["art86_explanation"],
    ),
    # Art. 50 transparency features, and the residual minimal risk.
    *(
        row(
            f"AI Act art. 50: {feature} -> limited",
            {"art50_features": [feature]},
            expect={"ai_act_risk": "limited", "blocked": False, "fria_required": False},
            reasons=[("limited", CLASSIFICATION, "AI Act, art. 50")],
            absent=["minimal"],
        )
        for feature in ("chatbot", "synthetic_media", "deepfake", "public_interest_text")
    ),
    row(
        "AI Act Annex III point 1(b)/(c): emotion recognition or biometric categorisation -> high, not limited",
        {"art50_features": ["emotion_or_biometric"]},
        expect={"ai_act_risk": "high", "fria_required": True, "eu_registration_required": True},
        reasons=[
            ("biometric_high", CLASSIFICATION, "Annex III, point 1"),
            ("art50_emotion_biometric", OBLIGATION, "AI Act, art. 50(3)"),
        ],
        absent=["limited", "minimal"],
    ),
    row(
        "AI Act art. 6(2) prevails over art. 50: high-risk chatbot -> high",
        {"annex_iii_point": "5a", "art50_features": ["chatbot"]},
        expect={"ai_act_risk": "high"},
        reasons=[("art50_chatbot", OBLIGATION, "AI Act, art. 50(1)")],
        absent=["limited"],
    ),
    row(
        "AI Act art. 95: nothing of art. 5, Annex I or III, or art. 50 -> minimal (and art. 4 literacy)",
        {},
        expect={
            "ai_act_risk": "minimal",
            "blocked": False,
            "fria_required": False,
            "eu_registration_required": False,
            "dpia_required": False,
            "crpa_mention_required": False,
            "public_register_required": False,
            "ethics_review_required": False,
        },
        reasons=[("minimal", CLASSIFICATION, "AI Act, art. 95"), ("ai_literacy", OBLIGATION, "AI Act, art. 4")],
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), AI_ACT_ROWS)
def test_ai_act_risk(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


@pytest.mark.parametrize(
    "point",
    [
        pytest.param(
            point,
            id=f"AI Act art. 6(2) Annex III point {point} -> high"
            + (
                ", no FRIA (art. 27(1)) nor registration (art. 49(3))" if point == "2" else ", FRIA art. 27, art. 49(3)"
            ),
        )
        for point in AnnexIIIPoint.values
    ],
)
def test_annex_iii_point_without_exemption_is_high_risk(point):
    # Given a use within an Annex III point and no art. 6(3) ground
    # When it is classified
    result = run({"annex_iii_point": point})

    # Then it is high-risk; only point 2 (critical infrastructure) escapes the FRIA and the EU registration
    assert result.ai_act_risk == "high"
    assert not result.blocked
    high = next(item for item in result.reasons if item.code == "annex_iii_high")
    assert (high.kind, high.basis, high.params) == (
        CLASSIFICATION,
        "AI Act, art. 6(2) and Annex III",
        (("point", point),),
    )
    is_point_2 = point == "2"
    assert result.fria_required is not is_point_2
    assert result.eu_registration_required is not is_point_2
    assert ("fria" in codes(result)) is not is_point_2
    assert ("eu_registration" in codes(result)) is not is_point_2
    assert ("annex_iii_point_2" in codes(result)) is is_point_2
    assert "art26_instructions" in codes(result)


# --- CRPA: algorithm mention and public register ---------------------------------------------------------------

CRPA_ROWS = [
    *(
        row(
            f"CRPA L311-3-1: individual decisions, automation {level} -> mention required",
            {"individual_decisions": True, "automation_level": level},
            expect={"crpa_mention_required": True},
            reasons=[("crpa_mention", OBLIGATION, "CRPA, art. L311-3-1")],
        )
        for level in ("assist", "determining", "fully_automated")
    ),
    row(
        "CRPA L311-3-1: individual decisions but automation none -> no mention",
        {"individual_decisions": True, "automation_level": "none"},
        expect={"crpa_mention_required": False, "public_register_required": False},
        policy=Policy(agents_count=600),
        absent=["crpa_mention", "public_register", "public_register_small"],
    ),
    row(
        "CRPA L311-3-1: determining score but no individual decision founded on it -> no mention",
        {"individual_decisions": False, "automation_level": "determining"},
        expect={"crpa_mention_required": False, "public_register_required": False},
        policy=Policy(agents_count=600),
        absent=["crpa_mention", "public_register"],
    ),
    row(
        "CRPA L312-1-3: 600 agents -> rules published online",
        {"individual_decisions": True, "automation_level": "assist"},
        policy=Policy(agents_count=600),
        expect={"crpa_mention_required": True, "public_register_required": True},
        reasons=[("public_register", OBLIGATION, "CRPA, art. L312-1-3")],
        absent=["public_register_small"],
    ),
    row(
        "CRPA L312-1-3: 51 agents (more than 50) -> rules published online",
        {"individual_decisions": True, "automation_level": "assist"},
        policy=Policy(agents_count=51),
        expect={"public_register_required": True},
        reasons=[("public_register", OBLIGATION, "L312-1-3")],
    ),
    row(
        "CRPA L312-1-3 and its decree: exactly 50 agents (only those under 50 are exempt) -> rules published",
        {"individual_decisions": True, "automation_level": "assist"},
        policy=Policy(agents_count=50),
        expect={"crpa_mention_required": True, "public_register_required": True},
        reasons=[("public_register", OBLIGATION, "L312-1-3")],
        absent=["public_register_small"],
    ),
    row(
        "CRPA L312-1-3: 49 agents (under 50) -> publication not compulsory",
        {"individual_decisions": True, "automation_level": "assist"},
        policy=Policy(agents_count=49),
        expect={"crpa_mention_required": True, "public_register_required": False},
        reasons=[("public_register_small", INFORMATION, "L312-1-3")],
        absent=["public_register"],
    ),
    row(
        "CRPA L312-1-3: unknown number of agents -> not asserted, the threshold is recalled",
        {"individual_decisions": True, "automation_level": "determining"},
        policy=Policy(agents_count=None),
        expect={"public_register_required": False},
        reasons=[("public_register_unknown", INFORMATION, "L312-1-3")],
        absent=["public_register", "public_register_small"],
    ),
    row(
        "CRPA L312-1-3: no individual decision -> no publication even above 50 agents",
        {"automation_level": "assist"},
        policy=Policy(agents_count=600),
        expect={"public_register_required": False},
        absent=["public_register", "public_register_small"],
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), CRPA_ROWS)
def test_crpa_mention_and_public_register(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


def test_public_register_reason_names_the_threshold_and_the_headcount():
    result = run({"individual_decisions": True, "automation_level": "assist"}, Policy(agents_count=51))

    register = next(item for item in result.reasons if item.code == "public_register")
    assert dict(register.params) == {"threshold": 50, "agents": 51}


# --- Blocks: 2018-765 DC, LIL art. 47, C3/C4, the tool catalogue ---------------------------------------------

DECIDES_ALONE = {"individual_decisions": True, "automation_level": "fully_automated"}

BLOCK_ROWS = [
    row(
        "Conseil constitutionnel 2018-765 DC: fully automated + self-learning -> blocked",
        {**DECIDES_ALONE, "self_learning": True, "technique": "ml_predictive"},
        expect={"blocked": True},
        reasons=[("block_self_learning", BLOCKING, "2018-765 DC")],
    ),
    row(
        "2018-765 DC: fully automated, not self-learning -> not blocked",
        {**DECIDES_ALONE, "self_learning": False, "technique": "ml_predictive"},
        expect={"blocked": False},
        absent=["block_self_learning"],
    ),
    row(
        "2018-765 DC: self-learning that only weighs (determining), a human decides -> not blocked",
        {"individual_decisions": True, "automation_level": "determining", "self_learning": True},
        expect={"blocked": False},
        absent=["block_self_learning"],
    ),
    *(
        row(
            f"RGPD art. {'10' if category == 'criminal' else '9'} + 22(4), LIL art. 47: "
            f"fully automated on {category} data -> blocked",
            {**DECIDES_ALONE, "personal_data_categories": ["ordinary", category]},
            expect={"blocked": True, "rgpd_sensitivity": "special"},
            reasons=[
                ("block_automated_special", BLOCKING, "RGPD, art. 22(4) and Loi Informatique et Libertés, art. 47"),
                ("art22_safeguards", OBLIGATION, "RGPD, art. 22"),
            ],
            absent=["block_automated_criminal"],
        )
        for category in sorted(ART9)
    ),
    row(
        "RGPD art. 10, LIL art. 46: fully automated on criminal data -> blocked by the collectivité's default rule",
        {**DECIDES_ALONE, "personal_data_categories": ["ordinary", "criminal"]},
        expect={"blocked": True, "rgpd_sensitivity": "special"},
        reasons=[("block_automated_criminal", BLOCKING, "Rule of the collectivité (default policy)")],
        absent=["block_automated_special"],
    ),
    row(
        "RGPD art. 22(4): highly personal (financial) is not art. 9 -> fully automated not blocked, safeguards",
        {**DECIDES_ALONE, "personal_data_categories": ["financial"]},
        expect={"blocked": False},
        reasons=[("art22_safeguards", OBLIGATION, "Loi Informatique et Libertés, art. 47")],
        absent=["block_automated_special"],
    ),
    row(
        "RGPD art. 22: fully automated on ordinary data -> allowed with safeguards",
        {**DECIDES_ALONE, "personal_data_categories": ["ordinary"]},
        expect={"blocked": False},
        reasons=[("art22_safeguards", OBLIGATION, "RGPD, art. 22")],
    ),
    row(
        "RGPD art. 22: no personal data -> no art. 22 safeguards",
        DECIDES_ALONE,
        expect={"blocked": False},
        absent=["art22_safeguards"],
    ),
    row(
        "RGPD art. 22(4): health data with a human deciding (assist) -> not blocked",
        {"individual_decisions": True, "automation_level": "assist", "personal_data_categories": ["health"]},
        expect={"blocked": False, "rgpd_sensitivity": "special"},
        absent=["block_automated_special", "art22_safeguards"],
    ),
    row(
        "LIL art. 47: fully automated decision on an administrative appeal -> blocked",
        {**DECIDES_ALONE, "administrative_appeal": True},
        expect={"blocked": True},
        reasons=[("block_automated_appeal", BLOCKING, "Loi Informatique et Libertés, art. 47")],
    ),
    row(
        "LIL art. 47: administrative appeal prepared by the AI, decided by a human -> not blocked",
        {"individual_decisions": True, "automation_level": "assist", "administrative_appeal": True},
        expect={"blocked": False},
        absent=["block_automated_appeal"],
    ),
    row(
        "2018-765 DC + LIL art. 47: every block applies at once",
        {
            **DECIDES_ALONE,
            "self_learning": True,
            "administrative_appeal": True,
            "personal_data_categories": ["health"],
        },
        expect={"blocked": True},
        reasons=[
            ("block_self_learning", BLOCKING, "2018-765 DC"),
            ("block_automated_special", BLOCKING, "art. 47"),
            ("block_automated_appeal", BLOCKING, "art. 47"),
        ],
    ),
    *(
        row(
            f"IGI 1300: C4 classified data, hosting {zone} -> blocked",
            {"max_data_classification": "C4", "hosting_zone": zone},
            expect={"blocked": True},
            reasons=[("block_c4", BLOCKING, "IGI 1300")],
            absent=["block_c3_hosting"],
        )
        for zone in ("on_premise", "fr", "eu", "non_eu", "unknown")
    ),
    *(
        row(
            f"II 901: C3 Diffusion Restreinte hosted {zone} (not on premises) -> blocked",
            {"max_data_classification": "C3", "hosting_zone": zone},
            expect={"blocked": True},
            reasons=[("block_c3_hosting", BLOCKING, "II 901")],
        )
        for zone in ("fr", "eu", "non_eu", "unknown")
    ),
    row(
        "II 901: C3 Diffusion Restreinte on premises -> not blocked",
        {"max_data_classification": "C3", "hosting_zone": "on_premise"},
        expect={"blocked": False},
        absent=["block_c3_hosting", "block_c4"],
    ),
    row(
        "II 901 does not reach C2: sensitive data hosted outside the EU -> not blocked",
        {"max_data_classification": "C2", "hosting_zone": "non_eu"},
        expect={"blocked": False},
        absent=["block_c3_hosting", "block_c4"],
    ),
    row(
        "PSSI: tool prohibited by the collectivité -> blocked",
        {"tool_name": "ChatGPT (free)", "tool_status": "prohibited"},
        expect={"blocked": True},
        reasons=[("block_tool_prohibited", BLOCKING, "PSSI")],
    ),
    row(
        "PSSI: tool under review -> warning, not blocked",
        {"tool_name": "Copilot", "tool_status": "under_review"},
        expect={"blocked": False},
        reasons=[("warn_tool_under_review", WARNING, "PSSI")],
    ),
    *(
        row(
            f"PSSI: tool {status} -> neither blocked nor warned",
            {"tool_name": "Albert", "tool_status": status, "tool_max_classification": "C2"},
            expect={"blocked": False},
            absent=["block_tool_prohibited", "warn_tool_under_review", "block_tool_classification"],
        )
        for status in ("approved", "restricted")
    ),
    row(
        "PSSI: C2 data in a tool allowed up to C1 -> blocked",
        {
            "tool_name": "Albert",
            "tool_status": "approved",
            "tool_max_classification": "C1",
            "max_data_classification": "C2",
        },
        expect={"blocked": True},
        reasons=[("block_tool_classification", BLOCKING, "PSSI")],
    ),
    row(
        "PSSI: C2 data in a tool allowed up to C2 (equal) -> allowed",
        {
            "tool_name": "Albert",
            "tool_status": "approved",
            "tool_max_classification": "C2",
            "max_data_classification": "C2",
        },
        expect={"blocked": False},
        absent=["block_tool_classification"],
    ),
    row(
        "PSSI: C0 open data in a tool allowed up to C1 -> allowed",
        {
            "tool_name": "Albert",
            "tool_status": "approved",
            "tool_max_classification": "C1",
            "max_data_classification": "C0",
        },
        expect={"blocked": False},
        absent=["block_tool_classification"],
    ),
    row(
        "PSSI: no tool from the catalogue -> no tool reason",
        {"max_data_classification": "C2"},
        expect={"blocked": False},
        absent=["block_tool_prohibited", "warn_tool_under_review", "block_tool_classification"],
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), BLOCK_ROWS)
def test_blocks(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


def test_tool_classification_block_names_the_tool_and_both_levels():
    result = run(
        {"tool_name": "Albert", "tool_max_classification": "C1", "max_data_classification": "C2"},
    )

    block = next(item for item in result.reasons if item.code == "block_tool_classification")
    assert dict(block.params) == {"tool": "Albert", "allowed": "C1", "level": "C2"}


# --- Warnings: transfers outside the EU, vendor reuse -----------------------------------------------------------

WARNING_ROWS = [
    *(
        row(
            f"RGPD chapter V: personal data hosted {zone} -> transfer warning",
            {"personal_data_categories": ["ordinary"], "hosting_zone": zone},
            expect={"blocked": False},
            reasons=[("warn_transfer", WARNING, "RGPD, chapter V")],
        )
        for zone in ("non_eu", "unknown")
    ),
    *(
        row(
            f"RGPD chapter V: personal data hosted {zone} -> no transfer warning",
            {"personal_data_categories": ["ordinary"], "hosting_zone": zone},
            absent=["warn_transfer"],
        )
        for zone in ("on_premise", "fr", "eu")
    ),
    row(
        "RGPD chapter V: no personal data hosted outside the EU -> no transfer warning",
        {"hosting_zone": "non_eu"},
        absent=["warn_transfer"],
    ),
    *(
        row(
            f"CNIL generative-AI guidance: {level} data, vendor reuse not disabled -> warning",
            {"max_data_classification": level, "provider_reuse_disabled": False, "hosting_zone": "fr"},
            reasons=[("warn_provider_reuse", WARNING, "CNIL recommendations on generative AI")],
        )
        for level in ("C2", "C3", "C4")
    ),
    row(
        "CNIL generative-AI guidance: C2 data on premises -> no vendor, no reuse warning",
        {"max_data_classification": "C2", "provider_reuse_disabled": False, "hosting_zone": "on_premise"},
        absent=["warn_provider_reuse"],
    ),
    row(
        "CNIL generative-AI guidance: C2 data, vendor reuse disabled -> no warning",
        {"max_data_classification": "C2", "provider_reuse_disabled": True},
        expect={"blocked": False},
        absent=["warn_provider_reuse"],
    ),
    *(
        row(
            f"CNIL generative-AI guidance: {level} data, vendor reuse not disabled -> no warning (below C2)",
            {"max_data_classification": level, "provider_reuse_disabled": False},
            absent=["warn_provider_reuse"],
        )
        for level in ("C0", "C1")
    ),
    row(
        "Warnings never block: transfer + vendor reuse on C2 personal data",
        {
            "personal_data_categories": ["ordinary"],
            "hosting_zone": "unknown",
            "max_data_classification": "C2",
            "provider_reuse_disabled": False,
        },
        expect={"blocked": False},
        reasons=[("warn_transfer", WARNING, "chapter V"), ("warn_provider_reuse", WARNING, "CNIL")],
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), WARNING_ROWS)
def test_warnings(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


# --- The facts themselves ----------------------------------------------------------------------------------------


def test_build_normalises_loose_values_from_forms_and_json():
    # Given values as a form or a JSON body gives them: lists, empty strings for "none", None for empty lists
    facts = UseCaseFacts.build(
        art5_practices=None,
        annex_iii_point="",
        art6_3_ground="",
        art50_features=["chatbot", "chatbot"],
        personal_data_categories=("ordinary",),
    )

    # Then they are the frozen shape the engine compares with
    assert facts.art5_practices == frozenset()
    assert facts.annex_iii_point is None
    assert facts.art6_3_ground is None
    assert facts.art50_features == frozenset({"chatbot"})
    assert facts.personal_data_categories == frozenset({"ordinary"})
    # And an empty Annex III point is no Annex III point at all (AI Act art. 50 applies alone)
    assert classify(facts).ai_act_risk == "limited"


def test_classify_without_policy_applies_the_legal_minimum():
    facts = UseCaseFacts.build(individual_decisions=True, automation_level="assist")

    assert classify(facts) == classify(facts, Policy())
    assert classify(facts).public_register_required is False
