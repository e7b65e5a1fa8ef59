"""The classification engine against DOMAIN.md sections 1 to 4 only, written independently of the engine's code.

Each row is `row(article, facts, ...)`: its id names the article behind the expectation; `facts` are the
DOMAIN.md section 2 codes given to `UseCaseFacts.build` (always with an explicit `technique`; a code left out takes
its section 2 default); `expect` the exact result fields (a set compares a list field as a set, a list compares it in
order); `has` / `lacks` what a list field must or must not contain (`checkpoints`, `criteria`, `cnil`); `reasons`
the reason codes (or `(code, kind)`) that must be given and `absent` those that must not.

Below the tables, the cross-cutting rules of sections 3 and 4 are checked on every row's facts: a row written for
one rule also shows that the others still hold.
"""

from dataclasses import dataclass, field

import pytest
from django.utils import translation

from registry.rules import Policy, UseCaseFacts, classify

# --- Vocabulary (DOMAIN.md section 2) ---------------------------------------------------------------------------

# DOMAIN 3b: "section 2 defaults" taken by a code left out.
SECTION_2_DEFAULTS = {
    "art5_practices": [],
    "annex_iii_point": None,
    "art6_3_ground": None,
    "art50_features": [],
    "self_learning": False,
    "annex_i_product": False,
    "ai_act_role": "deployer",
    "audience": "public",
    "automation_level": "none",
    "individual_decisions": False,
    "administrative_appeal": False,
    "personal_data_categories": [],
    "large_scale": False,
    "profiling": False,
    "dataset_matching": False,
    "care_context": False,
    "systematic_monitoring": False,
    "cnil_list_types": [],
    "max_data_classification": "C1",
    "hosting_zone": "unknown",
    "hosting_qualification": "none",
    "provider_reuse_disabled": False,
}

AI_TECHNIQUES = ("expert_system", "ml_predictive", "genai_text", "genai_media", "vision", "speech", "agentic")
ANNEX_III_POINTS = (
    *("1a", "1b", "1c", "2", "3a", "3b", "3c", "3d", "4a", "4b", "5a", "5b", "5c", "5d"),
    *("6a", "6b", "6c", "6d", "6e", "7a", "7b", "7c", "7d", "8a", "8b"),
)
ART5_PRACTICES = {
    "a": "manipulation",
    "b": "exploiting vulnerabilities",
    "c": "social scoring",
    "d": "predicting crime from profiling",
    "e": "untargeted facial scraping",
    "f": "emotion recognition at work or school",
    "g": "biometric categorisation of sensitive traits",
    "h": "real-time remote biometric identification in public spaces",
}
HIGHLY_PERSONAL = ("financial", "location", "communications", "nir")
ART9 = (
    *("racial_ethnic_origin", "political_opinions", "religious_beliefs", "trade_union"),
    *("genetic", "biometric", "health", "sex_life_orientation"),
)
SPECIAL = (*ART9, "criminal")
EDPB_ORDER = (
    *("evaluation_scoring", "automated_decision", "systematic_monitoring", "sensitive_data", "large_scale"),
    *("dataset_matching", "vulnerable_persons", "innovative_technology", "blocks_right"),
)
CHECKPOINTS = (
    *("output_review", "decision_validation", "source_verification", "bias_review", "log_retention"),
    *("oversight_training", "transparency_notice", "crpa_mention", "data_minimisation", "incident_monitoring"),
    *("workers_informed", "provider_conformity"),
)
# Section 4: every checkpoint but these three is for AI systems only.
RGPD_CRPA_CHECKPOINTS = frozenset({"crpa_mention", "decision_validation", "data_minimisation"})
AI_ONLY_CHECKPOINTS = frozenset(CHECKPOINTS) - RGPD_CRPA_CHECKPOINTS
HIGH_CHECKPOINTS = {"log_retention", "incident_monitoring", "oversight_training"}
KINDS = frozenset({"blocking", "classification", "obligation", "warning", "information"})
# Reasons that only the AI Act gives: none of them for a `rules` technique (section 3, AI Act chapeau).
AI_ACT_REASONS = frozenset(
    {
        *("ai_literacy", "art5_prohibited", "annex_i_high", "annex_iii_high", "biometric_high"),
        *("art6_3_profiling", "art6_3_influence", "art6_3_exempt", "art6_4_assessment", "limited", "minimal"),
        *("art50_chatbot", "art50_synthetic", "art50_emotion_biometric", "art50_deepfake", "art50_public_text"),
        *("fria", "eu_registration", "annex_iii_point_2", "art73_incidents", "art86_explanation"),
        *("art26_instructions", "art26_oversight", "art26_input_data", "art26_monitoring", "art26_logs"),
        *("art26_workers", "art26_registered_system", "art26_inform_persons", "provider_obligations"),
    }
)
ART26_ALWAYS = ("art26_instructions", "art26_oversight", "art26_input_data", "art26_monitoring", "art26_logs")
ETHICS_REASONS = (
    *("ethics_high", "ethics_special", "ethics_automation", "ethics_public_chatbot"),
    *("ethics_policy_personal_data", "ethics_policy_public"),
)
BLOCK_REASONS = (
    *("art5_prohibited", "block_self_learning", "block_automated_special", "block_automated_appeal"),
    *("block_automated_criminal", "block_c4", "block_c3_hosting", "block_health_hosting"),
)

# --- Row helpers ----------------------------------------------------------------------------------------------

LISTS = {"checkpoints": "required_checkpoints", "criteria": "edpb_criteria", "cnil": "cnil_list_types"}
DEFAULT_POLICY = {"agents_count": 600}


@dataclass(frozen=True)
class Expected:
    fields: dict = field(default_factory=dict)
    has: dict = field(default_factory=dict)
    lacks: dict = field(default_factory=dict)
    reasons: tuple = ()
    absent: tuple = ()


def row(article, facts, *, policy=None, expect=None, has=None, lacks=None, reasons=(), absent=()):
    assert "technique" in facts, f"{article}: every row states its technique"
    assert set(facts) <= set(SECTION_2_DEFAULTS) | {"technique"}, f"{article}: {set(facts) - set(SECTION_2_DEFAULTS)}"
    assert set(has or {}) | set(lacks or {}) <= set(LISTS), article
    expected = Expected(expect or {}, has or {}, lacks or {}, tuple(reasons), tuple(absent))
    return pytest.param(facts, policy, expected, id=article)


def policy_of(policy: dict | None) -> Policy:
    return Policy(**{**DEFAULT_POLICY, **(policy or {})})


def run(facts: dict, policy: dict | None = None):
    return classify(UseCaseFacts.build(**facts), policy_of(policy))


def codes(result) -> list[str]:
    return [item.code for item in result.reasons]


def find(result, code: str):
    found = [item for item in result.reasons if item.code == code]
    assert found, f"no {code!r} reason among {codes(result)}"
    return found[0]


def check(facts: dict, policy: dict | None, expected: Expected):
    """Classify the row's facts and report every difference at once."""
    result = run(facts, policy)
    problems = []
    for name, wanted in expected.fields.items():
        actual = getattr(result, name)
        if isinstance(wanted, set | frozenset):
            actual = set(actual)
        elif isinstance(wanted, list):
            actual = list(actual)
        if actual != wanted:
            problems.append(f"{name} is {actual!r}, expected {wanted!r}")
    for alias, items in expected.has.items():
        missing = set(items) - set(getattr(result, LISTS[alias]))
        if missing:
            problems.append(f"{LISTS[alias]} lacks {sorted(missing)}: {list(getattr(result, LISTS[alias]))}")
    for alias, items in expected.lacks.items():
        extra = set(items) & set(getattr(result, LISTS[alias]))
        if extra:
            problems.append(f"{LISTS[alias]} has {sorted(extra)}: {list(getattr(result, LISTS[alias]))}")
    given = codes(result)
    for item in expected.reasons:
        code, kind = item if isinstance(item, tuple) else (item, None)
        found = [reason for reason in result.reasons if reason.code == code]
        if not found:
            problems.append(f"reason {code!r} missing")
        elif kind and found[0].kind != kind:
            problems.append(f"reason {code!r} is of kind {found[0].kind!r}, expected {kind!r}")
    unexpected = sorted(set(expected.absent) & set(given))
    if unexpected:
        problems.append(f"unexpected reasons {unexpected}")
    assert not problems, "\n".join([*problems, f"reasons given: {given}"])
    return result


# Fact fragments.
FR = {"hosting_zone": "fr", "provider_reuse_disabled": True}
ORDINARY = {"personal_data_categories": ["ordinary"], **FR}
ASSISTS = {"individual_decisions": True, "automation_level": "assist"}
WEIGHS = {"individual_decisions": True, "automation_level": "determining"}
DECIDES_ALONE = {"individual_decisions": True, "automation_level": "fully_automated"}
RULES_ORDINARY = {"technique": "rules", **ORDINARY}
ML = {"technique": "ml_predictive"}
ML_ORDINARY = {"technique": "ml_predictive", **ORDINARY}

# --- AI Act: is it an AI system (art. 3(1)) ------------------------------------------------------------------

TECHNIQUE_ROWS = [
    row(
        "RIA art. 3(1), recital 12: rules written solely by people -> not an AI system, out_of_scope",
        {"technique": "rules"},
        expect={
            "ai_system": False,
            "ai_act_risk": "out_of_scope",
            "blocked": False,
            "fria_required": False,
            "eu_registration_required": False,
            "required_checkpoints": set(),
        },
        reasons=["not_ai_system"],
        absent=["ai_literacy", "minimal", "not_ai_answers_ignored"],
    ),
    *(
        row(
            f"RIA art. 3(1): technique {technique} -> AI system, minimal, staff literacy (art. 4)",
            {"technique": technique},
            expect={"ai_system": True, "ai_act_risk": "minimal", "blocked": False},
            reasons=["ai_literacy", "minimal"],
            absent=["not_ai_system", "limited"],
        )
        for technique in AI_TECHNIQUES
    ),
    row(
        "RIA art. 3(1): technique unknown (null) is treated as an AI system -> minimal, art. 4",
        {"technique": None},
        expect={"ai_system": True, "ai_act_risk": "minimal"},
        reasons=["ai_literacy", "minimal"],
        absent=["not_ai_system"],
    ),
]

# --- AI Act art. 5: prohibited practices ---------------------------------------------------------------------

ART5_ROWS = [
    *(
        row(
            f"RIA art. 5(1)({letter}) {name} -> prohibited, blocked",
            {**ML, "art5_practices": [letter]},
            expect={
                "ai_act_risk": "prohibited",
                "blocked": True,
                "fria_required": False,
                "eu_registration_required": False,
            },
            reasons=[("art5_prohibited", "blocking")],
            absent=["minimal", "limited", "annex_iii_high"],
        )
        for letter, name in ART5_PRACTICES.items()
    ),
    row(
        "RIA art. 5 prevails over art. 6(2) Annex III and art. 50 -> prohibited, no AIDF nor registration",
        {**ML, "art5_practices": ["c", "d"], "annex_iii_point": "5a", "art50_features": ["chatbot"]},
        expect={
            "ai_act_risk": "prohibited",
            "blocked": True,
            "fria_required": False,
            "eu_registration_required": False,
        },
        reasons=[("art5_prohibited", "blocking")],
        absent=["annex_iii_high", "fria", "eu_registration", "limited"],
    ),
    row(
        "RIA art. 5 prevails over the art. 6(1) product route -> prohibited",
        {"technique": "vision", "art5_practices": ["h"], "annex_i_product": True},
        expect={"ai_act_risk": "prohibited", "blocked": True},
        reasons=[("art5_prohibited", "blocking")],
        absent=["annex_i_high"],
    ),
    row(
        "RIA art. 5(1)(f) emotion recognition at work prevails over Annex III 1(c) -> prohibited",
        {
            "technique": "vision",
            "art5_practices": ["f"],
            "art50_features": ["emotion_or_biometric"],
            "audience": "agents",
        },
        expect={"ai_act_risk": "prohibited", "blocked": True, "fria_required": False},
        reasons=[("art5_prohibited", "blocking")],
        absent=["biometric_high"],
    ),
    row(
        "RIA art. 3(1): art. 5 answer on a rules technique -> out_of_scope, not blocked, warning",
        {"technique": "rules", "art5_practices": ["c"]},
        expect={"ai_act_risk": "out_of_scope", "ai_system": False, "blocked": False},
        reasons=["not_ai_system", ("not_ai_answers_ignored", "warning")],
        absent=["art5_prohibited"],
    ),
]

# --- AI Act art. 6(1): product route (Annex I section A) ------------------------------------------------------

EHPAD_FALL_DETECTION = {
    "technique": "vision",
    "annex_i_product": True,
    "audience": "public",
    "personal_data_categories": ["health"],
    "care_context": True,
    "systematic_monitoring": True,
    "cnil_list_types": ["health_care_establishment"],
    "max_data_classification": "C2",
    "hosting_zone": "on_premise",
    "provider_reuse_disabled": True,
}

ANNEX_I_ROWS = [
    row(
        "RIA art. 6(1): CE-marked fall detection in an EHPAD -> high, no AIDF (27(1)) nor registration (49(3))",
        EHPAD_FALL_DETECTION,
        expect={
            "ai_act_risk": "high",
            "ai_system": True,
            "fria_required": False,
            "eu_registration_required": False,
            "blocked": False,
            "dpia_required": True,
            "rgpd_sensitivity": "special",
        },
        has={"checkpoints": HIGH_CHECKPOINTS, "criteria": {"systematic_monitoring", "sensitive_data"}},
        lacks={"checkpoints": {"provider_conformity", "output_review"}},
        reasons=["annex_i_high", *ART26_ALWAYS, "art73_incidents", "ai_literacy"],
        absent=["fria", "eu_registration", "annex_iii_high", "art86_explanation", "art26_registered_system"],
    ),
    row(
        "RIA art. 6(1), 26: Annex I product -> deployer duties, not the Annex III ones (26(8), 26(11), art. 86)",
        {**ML, "annex_i_product": True, **ASSISTS},
        expect={"ai_act_risk": "high", "fria_required": False, "eu_registration_required": False},
        reasons=["annex_i_high", *ART26_ALWAYS, "art73_incidents"],
        absent=["art26_registered_system", "art26_inform_persons", "art86_explanation", "annex_iii_high"],
    ),
    row(
        "RIA art. 6(1) + 6(2): Annex I product also in Annex III 5a -> high, AIDF art. 27, registration 49(3)",
        {**ML, "annex_i_product": True, "annex_iii_point": "5a"},
        expect={"ai_act_risk": "high", "fria_required": True, "eu_registration_required": True},
        reasons=["fria", "eu_registration"],
    ),
    row(
        "RIA art. 6(3) derogates from 6(2) only: Annex I product stays high, no AIDF nor registration",
        {**ML, "annex_i_product": True, "annex_iii_point": "5a", "art6_3_ground": "a"},
        expect={"ai_act_risk": "high", "fria_required": False, "eu_registration_required": False},
        reasons=["annex_i_high"],
        absent=["fria", "eu_registration"],
    ),
    row(
        "RIA art. 16, 43: provider of an Annex I product -> provider_conformity, no EU registration (49(1))",
        {**ML, "annex_i_product": True, "ai_act_role": "provider"},
        expect={"ai_act_risk": "high", "fria_required": False, "eu_registration_required": False},
        has={"checkpoints": {"provider_conformity", *HIGH_CHECKPOINTS}},
        reasons=["annex_i_high", "provider_obligations"],
    ),
    row(
        "RIA art. 3(1): Annex I answer on a rules technique -> out_of_scope, no art. 26 duty",
        {"technique": "rules", "annex_i_product": True},
        expect={"ai_act_risk": "out_of_scope", "ai_system": False, "required_checkpoints": set()},
        absent=["annex_i_high", "art26_logs"],
    ),
]

# --- AI Act art. 6(2): each Annex III point -------------------------------------------------------------------

ANNEX_III_ROWS = [
    row(
        f"RIA art. 6(2) Annex III point {point} -> high, "
        + ("no AIDF nor registration (27(1), 49(3) exclude point 2)" if point == "2" else "AIDF art. 27, 49(3)"),
        {**ML, "annex_iii_point": point},
        expect={
            "ai_act_risk": "high",
            "blocked": False,
            "fria_required": point != "2",
            "eu_registration_required": point != "2",
        },
        has={"checkpoints": HIGH_CHECKPOINTS},
        reasons=["annex_iii_high", *(["annex_iii_point_2"] if point == "2" else ["fria", "eu_registration"])],
        absent=(["fria", "eu_registration"] if point == "2" else ["annex_iii_point_2"]),
    )
    for point in ANNEX_III_POINTS
]

# --- AI Act art. 6(3): the derogation -------------------------------------------------------------------------

NOT_HIGH = {"fria_required": False, "eu_registration_required": False}
HIGH = {"ai_act_risk": "high", "fria_required": True, "eu_registration_required": True}

ART6_3_ROWS = [
    *(
        row(
            f"RIA art. 6(3) ground {ground}, no profiling, automation none -> not high (minimal), art. 6(4)",
            {**ML, "annex_iii_point": "5a", "art6_3_ground": ground},
            expect={"ai_act_risk": "minimal", **NOT_HIGH},
            lacks={"checkpoints": HIGH_CHECKPOINTS},
            reasons=["art6_3_exempt", "art6_4_assessment", "minimal"],
            absent=["annex_iii_high", "fria", "eu_registration", "art26_logs", "art6_3_influence", "ethics_high"],
        )
        for ground in "abcd"
    ),
    *(
        row(
            f"RIA art. 6(3) ground {ground}, no profiling, automation assist -> not high (minimal)",
            {**ML_ORDINARY, "annex_iii_point": "4a", "art6_3_ground": ground, **ASSISTS},
            expect={"ai_act_risk": "minimal", **NOT_HIGH},
            reasons=["art6_3_exempt", "art6_4_assessment"],
            absent=["annex_iii_high", "fria", "eu_registration", "art6_3_influence"],
        )
        for ground in "abcd"
    ),
    row(
        "RIA art. 6(3)(d) holds + art. 50(1) chatbot -> limited, derogation recorded",
        {**ML, "annex_iii_point": "5a", "art6_3_ground": "d", "art50_features": ["chatbot"]},
        expect={"ai_act_risk": "limited", **NOT_HIGH},
        has={"checkpoints": {"transparency_notice"}},
        reasons=["art6_3_exempt", "limited", "art50_chatbot"],
        absent=["annex_iii_high"],
    ),
    *(
        row(
            f"RIA art. 6(3) ground {ground} + automation {level} -> derogation fails, high (recital 53)",
            {
                **ML_ORDINARY,
                "annex_iii_point": "5a",
                "art6_3_ground": ground,
                "individual_decisions": True,
                "automation_level": level,
            },
            expect=HIGH,
            has={"checkpoints": HIGH_CHECKPOINTS},
            reasons=["annex_iii_high", "art6_3_influence", "fria", "eu_registration"],
            absent=["art6_3_exempt"],
        )
        for level in ("determining", "fully_automated")
        for ground in "abcd"
    ),
    *(
        row(
            f"RIA art. 6(3) last subparagraph: ground {ground} + profiling -> high",
            {**ML_ORDINARY, "annex_iii_point": "5a", "art6_3_ground": ground, "profiling": True},
            expect=HIGH,
            reasons=["annex_iii_high", "art6_3_profiling", "fria", "eu_registration"],
            absent=["art6_3_exempt"],
        )
        for ground in "abcd"
    ),
    row(
        "RIA art. 6(2): Annex III 4a, profiling, no ground claimed -> high, no derogation",
        {**ML_ORDINARY, "annex_iii_point": "4a", "profiling": True},
        expect=HIGH,
        reasons=["annex_iii_high"],
        absent=["art6_3_exempt", "art6_4_assessment"],
    ),
    row(
        "RIA art. 6(3): a ground without an Annex III point changes nothing -> minimal",
        {**ML, "art6_3_ground": "a"},
        expect={"ai_act_risk": "minimal", **NOT_HIGH},
        reasons=["minimal"],
        absent=["art6_3_exempt", "art6_4_assessment", "annex_iii_high"],
    ),
    row(
        "RIA art. 6(3) applies to Annex III point 2 too: ground a, automation none -> minimal",
        {**ML, "annex_iii_point": "2", "art6_3_ground": "a"},
        expect={"ai_act_risk": "minimal", **NOT_HIGH},
        reasons=["art6_3_exempt"],
        absent=["annex_iii_high"],
    ),
    row(
        "RIA art. 6(3) + profiling on Annex III point 2 -> high, still no AIDF nor registration (27(1), 49(3))",
        {**ML_ORDINARY, "annex_iii_point": "2", "art6_3_ground": "a", "profiling": True},
        expect={"ai_act_risk": "high", **NOT_HIGH},
        reasons=["annex_iii_high", "art6_3_profiling", "annex_iii_point_2"],
        absent=["fria", "eu_registration"],
    ),
    row(
        "RIA art. 6(4), 49(2): provider whose derogation holds -> assessment documented, not high",
        {**ML, "annex_iii_point": "5d", "art6_3_ground": "a", "ai_act_role": "provider"},
        expect={"ai_act_risk": "minimal", "fria_required": False},
        lacks={"checkpoints": {"provider_conformity"}},
        reasons=["art6_3_exempt"],
        absent=["provider_obligations"],
    ),
]

# --- AI Act art. 26, 73, 86: deployer of a high-risk system -----------------------------------------------------

ART26_ROWS = [
    row(
        "RIA art. 26(1)-(11), 73, 86: Annex III 4b used on agents with decisions -> every deployer duty",
        {**ML_ORDINARY, "annex_iii_point": "4b", "audience": "agents", **ASSISTS},
        expect={"ai_act_risk": "high", "fria_required": True, "eu_registration_required": True},
        has={"checkpoints": {*HIGH_CHECKPOINTS, "workers_informed", "decision_validation", "bias_review"}},
        lacks={"checkpoints": {"provider_conformity"}},
        reasons=[
            *ART26_ALWAYS,
            *("art26_workers", "art26_registered_system", "art26_inform_persons"),
            *("art73_incidents", "art86_explanation"),
        ],
        absent=["provider_obligations"],
    ),
    row(
        "RIA art. 26(7): high-risk used on the public only -> no workers_informed checkpoint",
        {**ML_ORDINARY, "annex_iii_point": "5a", "audience": "public", **ASSISTS},
        expect={"ai_act_risk": "high"},
        has={"checkpoints": HIGH_CHECKPOINTS},
        lacks={"checkpoints": {"workers_informed"}},
        reasons=["art26_inform_persons", "art86_explanation", "art26_registered_system"],
    ),
    row(
        "RIA art. 26(7): high-risk used on agents and public (both) -> workers_informed",
        {**ML, "annex_iii_point": "5d", "audience": "both"},
        expect={"ai_act_risk": "high"},
        has={"checkpoints": {"workers_informed", *HIGH_CHECKPOINTS}},
    ),
    row(
        "RIA art. 86(1): Annex III point 2 is excluded from the right to an explanation",
        {**ML_ORDINARY, "annex_iii_point": "2", **ASSISTS},
        expect={"ai_act_risk": "high", **NOT_HIGH},
        has={"checkpoints": HIGH_CHECKPOINTS},
        reasons=["annex_iii_point_2", *ART26_ALWAYS, "art73_incidents"],
        absent=["art86_explanation", "fria", "eu_registration"],
    ),
    row(
        "RIA art. 26: minimal-risk AI founding decisions -> no deployer duty, no art. 86",
        {**ML_ORDINARY, **ASSISTS},
        expect={"ai_act_risk": "minimal"},
        lacks={"checkpoints": {*HIGH_CHECKPOINTS, "workers_informed"}},
        absent=[*ART26_ALWAYS, "art73_incidents", "art86_explanation", "art26_inform_persons"],
    ),
]

# --- AI Act Annex III point 1: emotion recognition and biometric categorisation ----------------------------------

BIOMETRIC_ROWS = [
    row(
        "RIA Annex III 1(b)/1(c): emotion_or_biometric with no Annex III point -> high, AIDF, registration",
        {"technique": "vision", "art50_features": ["emotion_or_biometric"]},
        expect=HIGH,
        has={"checkpoints": {"transparency_notice", *HIGH_CHECKPOINTS}},
        reasons=["biometric_high", "fria", "eu_registration", "art50_emotion_biometric"],
        absent=["limited"],
    ),
    row(
        "RIA art. 5(1)(f) exception recorded by the DPO: emotion at work (medical) -> high 1(c), 26(7)",
        {"technique": "vision", "art50_features": ["emotion_or_biometric"], "audience": "agents"},
        expect=HIGH,
        has={"checkpoints": {"workers_informed", "transparency_notice"}},
        reasons=["biometric_high", "art50_emotion_biometric"],
        absent=["art5_prohibited"],
    ),
    row(
        "RIA Annex III 1(c) given explicitly with emotion_or_biometric -> high, art. 50(3)",
        {"technique": "vision", "annex_iii_point": "1c", "art50_features": ["emotion_or_biometric"]},
        expect=HIGH,
        has={"checkpoints": {"transparency_notice"}},
        reasons=["annex_iii_high", "art50_emotion_biometric"],
    ),
    row(
        "RIA art. 6(2): emotion_or_biometric within Annex III 4a -> high through 4a",
        {"technique": "vision", "annex_iii_point": "4a", "art50_features": ["emotion_or_biometric"]},
        expect=HIGH,
        reasons=["annex_iii_high", "art50_emotion_biometric"],
    ),
    row(
        "RIA art. 3(1): emotion_or_biometric on a rules technique -> out_of_scope, no art. 50(3)",
        {"technique": "rules", "art50_features": ["emotion_or_biometric"]},
        expect={"ai_act_risk": "out_of_scope", **NOT_HIGH, "required_checkpoints": set()},
        absent=["biometric_high", "art50_emotion_biometric"],
    ),
]

# --- AI Act art. 50: transparency, limited and minimal risk -----------------------------------------------------

ART50_CODES = {
    "chatbot": "art50_chatbot",
    "synthetic_media": "art50_synthetic",
    "deepfake": "art50_deepfake",
    "public_interest_text": "art50_public_text",
}
ART50_TECHNIQUE = {"chatbot": "genai_text", "synthetic_media": "genai_media", "deepfake": "genai_media"}

ART50_ROWS = [
    *(
        row(
            f"RIA art. 50: {feature} -> limited, transparency_notice",
            {"technique": ART50_TECHNIQUE.get(feature, "genai_text"), "art50_features": [feature]},
            expect={"ai_act_risk": "limited", "blocked": False, **NOT_HIGH},
            has={"checkpoints": {"transparency_notice"}},
            reasons=["limited", code],
            absent=["minimal"],
        )
        for feature, code in ART50_CODES.items()
    ),
    row(
        "RIA art. 50(1) + 50(4): chatbot publishing public-interest text -> limited, both duties",
        {"technique": "genai_text", "art50_features": ["chatbot", "public_interest_text"]},
        expect={"ai_act_risk": "limited"},
        has={"checkpoints": {"transparency_notice", "output_review", "source_verification"}},
        reasons=["limited", "art50_chatbot", "art50_public_text"],
    ),
    row(
        "RIA art. 50(6): high-risk chatbot -> high, art. 50(1) duty and transparency_notice kept",
        {"technique": "genai_text", "annex_iii_point": "5a", "art50_features": ["chatbot"]},
        expect={"ai_act_risk": "high"},
        has={"checkpoints": {"transparency_notice", *HIGH_CHECKPOINTS}},
        reasons=["annex_iii_high", "art50_chatbot"],
        absent=["limited"],
    ),
    row(
        "RIA art. 50(6): Annex I product producing deepfakes -> high, art. 50(4) kept",
        {"technique": "genai_media", "annex_i_product": True, "art50_features": ["deepfake"]},
        expect={"ai_act_risk": "high"},
        has={"checkpoints": {"transparency_notice"}},
        reasons=["annex_i_high", "art50_deepfake"],
        absent=["limited"],
    ),
    row(
        "RIA art. 4, 95: AI with nothing of art. 5, 6 or 50 -> minimal, no checkpoint",
        {**ML, "max_data_classification": "C0"},
        expect={
            "ai_act_risk": "minimal",
            "blocked": False,
            **NOT_HIGH,
            "dpia_required": False,
            "crpa_mention_required": False,
            "public_register_required": False,
            "ethics_review_required": False,
            "required_checkpoints": set(),
        },
        reasons=["minimal", "ai_literacy"],
        absent=["limited", *ART50_CODES.values()],
    ),
]

# --- AI Act art. 16: the collectivité as provider --------------------------------------------------------------

PROVIDER_ROWS = [
    row(
        "RIA art. 16, 43, 49(1), 3(4): provider of an Annex III 5a system -> conformity, AIDF, registration",
        {**ML, "annex_iii_point": "5a", "ai_act_role": "provider"},
        expect=HIGH,
        has={"checkpoints": {"provider_conformity", *HIGH_CHECKPOINTS}},
        reasons=["provider_obligations", "fria", *ART26_ALWAYS],
    ),
    row(
        "RIA art. 49(5): provider of an Annex III point 2 system -> national registration, not EU; no AIDF",
        {**ML, "annex_iii_point": "2", "ai_act_role": "provider"},
        expect={"ai_act_risk": "high", **NOT_HIGH},
        has={"checkpoints": {"provider_conformity"}},
        reasons=["provider_obligations"],
        absent=["fria"],
    ),
    row(
        "RIA art. 16: provider of a minimal-risk system -> no provider_conformity",
        {**ML, "ai_act_role": "provider"},
        expect={"ai_act_risk": "minimal"},
        lacks={"checkpoints": {"provider_conformity"}},
        absent=["provider_obligations"],
    ),
    row(
        "RIA art. 16: provider of a limited-risk chatbot -> no provider_conformity",
        {"technique": "genai_text", "ai_act_role": "provider", "art50_features": ["chatbot"]},
        expect={"ai_act_risk": "limited"},
        lacks={"checkpoints": {"provider_conformity"}},
        absent=["provider_obligations"],
    ),
    row(
        "RIA art. 26: deployer of a high-risk system -> no provider_conformity",
        {**ML, "annex_iii_point": "5b"},
        expect={"ai_act_risk": "high"},
        lacks={"checkpoints": {"provider_conformity"}},
        absent=["provider_obligations"],
    ),
    row(
        "RIA art. 3(1): provider of a rules scale -> out_of_scope, no provider duty",
        {"technique": "rules", "ai_act_role": "provider", "annex_iii_point": "5a"},
        expect={"ai_act_risk": "out_of_scope", "ai_system": False},
        lacks={"checkpoints": {"provider_conformity"}},
        reasons=[("not_ai_answers_ignored", "warning")],
        absent=["provider_obligations"],
    ),
]

# --- Not an AI system: the AI Act does not apply, the RGPD, the LIL and the CRPA do -----------------------------

CCAS_RESTE_A_VIVRE = {
    "technique": "rules",
    "annex_iii_point": "5a",
    "audience": "public",
    "individual_decisions": True,
    "personal_data_categories": ["ordinary", "financial"],
    "max_data_classification": "C2",
    **FR,
}
NO_AI_ACT = {
    "ai_act_risk": "out_of_scope",
    "ai_system": False,
    "fria_required": False,
    "eu_registration_required": False,
}

NOT_AI_ROWS = [
    *(
        row(
            f"RIA art. 3(1), recital 12: CCAS reste-a-vivre scale, automation {level} -> out_of_scope; "
            "CRPA L311-3-1 applies",
            {**CCAS_RESTE_A_VIVRE, "automation_level": level},
            expect={
                **NO_AI_ACT,
                "blocked": False,
                "crpa_mention_required": True,
                "public_register_required": True,
                "rgpd_sensitivity": "highly_personal",
                "dpia_required": True,
                "ethics_review_required": level == "determining",
                "required_checkpoints": {"decision_validation", "crpa_mention", "data_minimisation"},
            },
            has={"criteria": {"sensitive_data", "blocks_right"}},
            lacks={"criteria": {"innovative_technology"}},
            reasons=["not_ai_system", ("not_ai_answers_ignored", "warning"), "crpa_mention", "public_register"],
            absent=sorted(AI_ACT_REASONS | {"ethics_high"}),
        )
        for level in ("assist", "determining")
    ),
    row(
        "RIA art. 3(1): button-driven website chatbot (rules) -> out_of_scope, no art. 50(1), no ethics review",
        {"technique": "rules", "art50_features": ["chatbot"], "audience": "public"},
        expect={**NO_AI_ACT, "ethics_review_required": False, "required_checkpoints": set()},
        reasons=["not_ai_system"],
        absent=["art50_chatbot", "limited", "ethics_public_chatbot"],
    ),
    row(
        "RIA art. 3(1): rules scale with Annex III 4a and an art. 6(3) ground -> out_of_scope, warning",
        {"technique": "rules", "annex_iii_point": "4a", "art6_3_ground": "d", "audience": "agents"},
        expect=NO_AI_ACT,
        reasons=[("not_ai_answers_ignored", "warning")],
        absent=["art6_3_exempt", "art6_4_assessment", "annex_iii_high"],
    ),
]

# --- RGPD: sensitivity (art. 9, 10) ---------------------------------------------------------------------------

SENSITIVITY_ROWS = [
    row(
        "RGPD art. 4(1): no personal data -> sensitivity none",
        {**ML},
        expect={"rgpd_sensitivity": "none", "dpia_required": False},
        reasons=["rgpd_none"],
    ),
    row(
        "RGPD art. 4(1): ordinary personal data -> personal",
        {**RULES_ORDINARY},
        expect={"rgpd_sensitivity": "personal"},
        reasons=["rgpd_personal"],
    ),
    *(
        row(
            f"WP248 criterion 4: {category} data -> highly_personal",
            {"technique": "rules", "personal_data_categories": [category], **FR},
            expect={"rgpd_sensitivity": "highly_personal", "edpb_criteria": ["sensitive_data"]},
            reasons=["rgpd_highly_personal"],
        )
        for category in HIGHLY_PERSONAL
    ),
    row(
        "WP248 criterion 7: minors or vulnerable persons -> highly_personal",
        {"technique": "rules", "personal_data_categories": ["minors_vulnerable"], **FR},
        expect={"rgpd_sensitivity": "highly_personal"},
        has={"criteria": {"vulnerable_persons"}},
        reasons=["rgpd_highly_personal"],
    ),
    *(
        row(
            f"RGPD art. {'10' if category == 'criminal' else '9'}: {category} data -> special",
            {"technique": "rules", "personal_data_categories": ["ordinary", category], **FR},
            expect={"rgpd_sensitivity": "special", "edpb_criteria": ["sensitive_data"], "dpia_required": False},
            reasons=["rgpd_special"],
        )
        for category in SPECIAL
    ),
    row(
        "RGPD art. 9 prevails over highly personal: financial + health -> special",
        {"technique": "rules", "personal_data_categories": ["financial", "health"], **FR},
        expect={"rgpd_sensitivity": "special"},
        reasons=["rgpd_special"],
        absent=["rgpd_highly_personal"],
    ),
]

# --- RGPD art. 35: the nine WP248 criteria and the 2-criteria threshold ----------------------------------------

DPIA_ROWS = [
    row(
        "WP248: ordinary data, rules, nothing else -> no criterion, no AIPD",
        {**RULES_ORDINARY},
        expect={"edpb_criteria": [], "dpia_required": False, "cnil_list_types": set()},
    ),
    row(
        "WP248 criterion 1: profiling (evaluation or scoring) alone -> 1 criterion, no AIPD",
        {**RULES_ORDINARY, "profiling": True},
        expect={"edpb_criteria": ["evaluation_scoring"], "dpia_required": False},
        reasons=["dpia_edpb_below"],
        absent=["dpia_edpb"],
    ),
    *(
        row(
            f"WP248 criterion 2: automation {level} founding decisions -> automated decision (C-634/21)",
            {**RULES_ORDINARY, "individual_decisions": True, "automation_level": level},
            expect={"dpia_required": True},
            has={"criteria": {"automated_decision", "blocks_right"}},
            reasons=["dpia_edpb"],
        )
        for level in ("determining", "fully_automated")
    ),
    row(
        "WP248 criterion 2: automation assist (a human decides) -> not an automated decision",
        {**RULES_ORDINARY, **ASSISTS},
        has={"criteria": {"blocks_right"}},
        lacks={"criteria": {"automated_decision"}},
    ),
    row(
        "WP248 criteria 2 and 9: determining score founding no individual decision -> neither",
        {**RULES_ORDINARY, "automation_level": "determining"},
        lacks={"criteria": {"automated_decision", "blocks_right"}},
    ),
    row(
        "WP248 criterion 3: systematic monitoring of the public -> 1 criterion, no AIPD",
        {**RULES_ORDINARY, "systematic_monitoring": True},
        expect={"edpb_criteria": ["systematic_monitoring"], "dpia_required": False},
    ),
    row(
        "WP248 criterion 3 is never inferred from the technique: vision OCR of forms -> only criterion 8",
        {"technique": "vision", **ORDINARY},
        expect={"edpb_criteria": ["innovative_technology"], "dpia_required": False, "ai_act_risk": "minimal"},
        lacks={"criteria": {"systematic_monitoring"}},
        reasons=["dpia_edpb_below"],
    ),
    row(
        "WP248: vision OCR of forms on a large scale -> criteria 5 and 8, AIPD (still no monitoring)",
        {"technique": "vision", **ORDINARY, "large_scale": True},
        expect={"edpb_criteria": ["large_scale", "innovative_technology"], "dpia_required": True},
        reasons=["dpia_edpb"],
    ),
    row(
        "WP248 criterion 5: large scale alone -> 1 criterion, no AIPD",
        {**RULES_ORDINARY, "large_scale": True},
        expect={"edpb_criteria": ["large_scale"], "dpia_required": False},
    ),
    row(
        "WP248 criterion 6: dataset matching alone -> 1 criterion, no AIPD",
        {**RULES_ORDINARY, "dataset_matching": True},
        expect={"edpb_criteria": ["dataset_matching"], "dpia_required": False},
    ),
    row(
        "WP248 criteria 3 and 7: systematic monitoring of agents -> AIPD, CNIL employee_monitoring",
        {**RULES_ORDINARY, "audience": "agents", "systematic_monitoring": True},
        expect={"edpb_criteria": ["systematic_monitoring", "vulnerable_persons"], "dpia_required": True},
        has={"cnil": {"employee_monitoring"}},
    ),
    row(
        "WP248 criterion 7: rules-based punctuality score of agents (profiling) -> AIPD, CNIL hr_profiling",
        {**RULES_ORDINARY, "audience": "agents", "profiling": True},
        expect={**NO_AI_ACT, "dpia_required": True},
        has={"criteria": {"evaluation_scoring", "vulnerable_persons"}, "cnil": {"hr_profiling"}},
        lacks={"criteria": {"innovative_technology"}},
        reasons=["dpia_cnil_list", "not_ai_system"],
    ),
    row(
        "WP248 criterion 7: decisions about agents (both audiences) -> vulnerable persons",
        {**RULES_ORDINARY, "audience": "both", **ASSISTS},
        has={"criteria": {"vulnerable_persons", "blocks_right"}},
    ),
    row(
        "WP248 criterion 7: profiling of agents and public (both) -> vulnerable persons",
        {**RULES_ORDINARY, "audience": "both", "profiling": True},
        has={"criteria": {"evaluation_scoring", "vulnerable_persons"}},
    ),
    row(
        "WP248 criterion 7: agents neither evaluated, monitored nor decided about -> not vulnerable",
        {**RULES_ORDINARY, "audience": "agents"},
        expect={"edpb_criteria": [], "dpia_required": False},
    ),
    row(
        "WP248 criterion 8: an AI system is innovative technology -> 1 criterion, no AIPD",
        {**ML_ORDINARY},
        expect={"edpb_criteria": ["innovative_technology"], "dpia_required": False},
    ),
    row(
        "WP248 criterion 8: unknown technique (null) counts as AI -> innovative technology",
        {"technique": None, **ORDINARY},
        expect={"edpb_criteria": ["innovative_technology"]},
    ),
    row(
        "WP248 criterion 9: individual decisions with automation none -> cannot deny a right",
        {**RULES_ORDINARY, "individual_decisions": True},
        expect={"edpb_criteria": [], "dpia_required": False, "crpa_mention_required": False},
    ),
    row(
        "WP248 threshold: 2 criteria (profiling + large scale) without AI -> AIPD",
        {**RULES_ORDINARY, "profiling": True, "large_scale": True},
        expect={"edpb_criteria": ["evaluation_scoring", "large_scale"], "dpia_required": True},
        reasons=["dpia_edpb"],
        absent=["dpia_edpb_below"],
    ),
    row(
        "WP248 threshold: AI (criterion 8) + dataset matching -> AIPD",
        {**ML_ORDINARY, "dataset_matching": True},
        expect={"edpb_criteria": ["dataset_matching", "innovative_technology"], "dpia_required": True},
        reasons=["dpia_edpb"],
    ),
    row(
        "WP248: all nine criteria, listed in WP248 order",
        {
            **ML,
            "personal_data_categories": ["minors_vulnerable", "financial"],
            "audience": "agents",
            "profiling": True,
            **WEIGHS,
            "systematic_monitoring": True,
            "large_scale": True,
            "dataset_matching": True,
            **FR,
        },
        expect={"edpb_criteria": list(EDPB_ORDER), "dpia_required": True},
    ),
    row(
        "RGPD art. 35(1): no personal data -> no AIPD whatever the criteria or the CNIL list",
        {
            **ML,
            "profiling": True,
            **WEIGHS,
            "systematic_monitoring": True,
            "large_scale": True,
            "dataset_matching": True,
            "cnil_list_types": ["social_support"],
            **FR,
        },
        expect={"edpb_criteria": [], "dpia_required": False, "rgpd_sensitivity": "none"},
        absent=["dpia_edpb", "dpia_cnil_list", "dpia_art35_3a", "dpia_art35_3b", "dpia_art35_3c"],
    ),
]

# --- RGPD art. 35(4): CNIL list (deliberation 2018-327), input and derived ---------------------------------------

CNIL_ROWS = [
    row(
        "CNIL deliberation 2018-327: social_support listed, no WP248 criterion -> AIPD",
        {**RULES_ORDINARY, "cnil_list_types": ["social_support"]},
        expect={"edpb_criteria": [], "dpia_required": True},
        has={"cnil": {"social_support"}},
        reasons=["dpia_cnil_list"],
    ),
    row(
        "CNIL deliberation 2018-327: health_care_establishment given, EHPAD on premises -> AIPD",
        {
            **RULES_ORDINARY,
            "personal_data_categories": ["health"],
            "care_context": True,
            "hosting_zone": "on_premise",
            "cnil_list_types": ["health_care_establishment"],
        },
        expect={"dpia_required": True, "blocked": False},
        has={"cnil": {"health_care_establishment"}},
        reasons=["dpia_cnil_list"],
    ),
    row(
        "CNIL deliberation 2018-327 derived hr_profiling needs agents: profiling of the public -> not listed",
        {**RULES_ORDINARY, "audience": "public", "profiling": True},
        lacks={"cnil": {"hr_profiling", "employee_monitoring"}},
    ),
    row(
        "CNIL deliberation 2018-327 derived employee_monitoring needs agents: public monitored -> not listed",
        {**RULES_ORDINARY, "audience": "public", "systematic_monitoring": True},
        lacks={"cnil": {"employee_monitoring", "hr_profiling"}},
    ),
    row(
        "CNIL deliberation 2018-327 derived profiling_external_sources: profiling + matching -> AIPD",
        {**RULES_ORDINARY, "profiling": True, "dataset_matching": True},
        expect={"dpia_required": True},
        has={"cnil": {"profiling_external_sources"}},
        reasons=["dpia_cnil_list"],
    ),
    row(
        "CNIL deliberation 2018-327: dataset matching without profiling -> not profiling_external_sources",
        {**RULES_ORDINARY, "dataset_matching": True},
        expect={"dpia_required": False},
        lacks={"cnil": {"profiling_external_sources"}},
    ),
    row(
        "CNIL deliberation 2018-327 derived biometric_vulnerable: biometric data of minors -> AIPD",
        {"technique": "rules", "personal_data_categories": ["biometric", "minors_vulnerable"], **FR},
        expect={"dpia_required": True},
        has={"cnil": {"biometric_vulnerable"}},
        reasons=["dpia_cnil_list"],
    ),
    row(
        "CNIL deliberation 2018-327: biometric data of adults -> not biometric_vulnerable",
        {"technique": "rules", "personal_data_categories": ["biometric"], **FR},
        expect={"dpia_required": False},
        lacks={"cnil": {"biometric_vulnerable"}},
    ),
    row(
        "CNIL deliberation 2018-327 derived large_scale_location: location data on a large scale -> AIPD",
        {"technique": "rules", "personal_data_categories": ["location"], "large_scale": True, **FR},
        expect={"dpia_required": True},
        has={"cnil": {"large_scale_location"}},
        reasons=["dpia_cnil_list"],
    ),
    row(
        "CNIL deliberation 2018-327: location data not on a large scale -> not large_scale_location",
        {"technique": "rules", "personal_data_categories": ["location"], **FR},
        expect={"dpia_required": False},
        lacks={"cnil": {"large_scale_location"}},
    ),
]

# --- RGPD art. 35(3) ------------------------------------------------------------------------------------------

ART35_3_ROWS = [
    row(
        "RGPD art. 35(3)(a): systematic and extensive evaluation with legal effects -> AIPD",
        {**RULES_ORDINARY, "profiling": True, "large_scale": True, **DECIDES_ALONE},
        expect={"dpia_required": True},
        reasons=["dpia_art35_3a"],
    ),
    row(
        "RGPD art. 35(3)(a): profiling founding no decision -> not 35(3)(a)",
        {**RULES_ORDINARY, "profiling": True},
        absent=["dpia_art35_3a"],
    ),
    *(
        row(
            f"RGPD art. 35(3)(b): {category} data on a large scale -> AIPD",
            {"technique": "rules", "personal_data_categories": [category], "large_scale": True, **FR},
            expect={"dpia_required": True},
            reasons=["dpia_art35_3b"],
        )
        for category in ("health", "criminal")
    ),
    row(
        "RGPD art. 35(3)(b): highly personal (financial) on a large scale is not art. 9/10 -> not 35(3)(b)",
        {"technique": "rules", "personal_data_categories": ["financial"], "large_scale": True, **FR},
        absent=["dpia_art35_3b"],
    ),
    row(
        "RGPD art. 35(3)(b): health data not on a large scale -> not 35(3)(b)",
        {"technique": "rules", "personal_data_categories": ["health"], **FR},
        absent=["dpia_art35_3b"],
    ),
    row(
        "RGPD art. 35(3)(c): large-scale monitoring of a public area -> AIPD",
        {"technique": "vision", **ORDINARY, "audience": "public", "systematic_monitoring": True, "large_scale": True},
        expect={"dpia_required": True},
        reasons=["dpia_art35_3c"],
    ),
    row(
        "RGPD art. 35(3)(c): monitoring not on a large scale -> not 35(3)(c)",
        {"technique": "vision", **ORDINARY, "audience": "public", "systematic_monitoring": True},
        absent=["dpia_art35_3c"],
    ),
    row(
        "RGPD art. 22, LIL art. 47: fully automated decision on ordinary data -> safeguards, not blocked",
        {**ML_ORDINARY, **DECIDES_ALONE},
        expect={"blocked": False},
        reasons=["art22_safeguards"],
    ),
    row(
        "RGPD art. 22: a human decides (assist) -> no art. 22 safeguards",
        {**ML_ORDINARY, **ASSISTS},
        absent=["art22_safeguards"],
    ),
]

# --- CRPA: algorithm mention (L311-3-1) and public register (L312-1-3) -------------------------------------------

CRPA_ROWS = [
    *(
        row(
            f"CRPA L311-3-1: individual decisions, automation {level} -> mention",
            {**ML_ORDINARY, "individual_decisions": True, "automation_level": level},
            expect={"crpa_mention_required": True},
            has={"checkpoints": {"crpa_mention", "decision_validation"}},
            reasons=["crpa_mention"],
        )
        for level in ("assist", "determining", "fully_automated")
    ),
    row(
        "CRPA L311-3-1 applies AI or not: rules scale founding decisions -> mention",
        {**RULES_ORDINARY, **ASSISTS},
        expect={"crpa_mention_required": True, "ai_system": False},
        has={"checkpoints": {"crpa_mention", "decision_validation"}},
        reasons=["crpa_mention"],
    ),
    row(
        "CRPA L311-3-1: individual decisions, automation none -> no mention, no publication",
        {**ML_ORDINARY, "individual_decisions": True},
        expect={"crpa_mention_required": False, "public_register_required": False},
        lacks={"checkpoints": {"crpa_mention", "decision_validation"}},
        absent=["crpa_mention", "public_register"],
    ),
    row(
        "CRPA L311-3-1: determining score but no individual decision -> no mention, no publication",
        {**ML_ORDINARY, "automation_level": "determining"},
        expect={"crpa_mention_required": False, "public_register_required": False},
        lacks={"checkpoints": {"crpa_mention", "decision_validation"}},
        absent=["crpa_mention", "public_register"],
    ),
    row(
        "CRPA L312-1-3: exactly 50 agents -> rules published online",
        {**ML_ORDINARY, **ASSISTS},
        policy={"agents_count": 50},
        expect={"crpa_mention_required": True, "public_register_required": True},
        reasons=["public_register"],
        absent=["public_register_small", "public_register_unknown"],
    ),
    row(
        "CRPA L312-1-3: 49 agents (under 50, exempt) -> publication not required",
        {**ML_ORDINARY, **ASSISTS},
        policy={"agents_count": 49},
        expect={"crpa_mention_required": True, "public_register_required": False},
        reasons=["public_register_small"],
        absent=["public_register", "public_register_unknown"],
    ),
    row(
        "CRPA L312-1-3: number of agents unknown -> not asserted",
        {**ML_ORDINARY, **WEIGHS},
        policy={"agents_count": None},
        expect={"crpa_mention_required": True, "public_register_required": False},
        reasons=["public_register_unknown"],
        absent=["public_register", "public_register_small"],
    ),
    row(
        "CRPA L312-1-3: 600 agents, rules scale founding decisions -> published (AI or not)",
        {**RULES_ORDINARY, **WEIGHS},
        policy={"agents_count": 600},
        expect={"public_register_required": True},
        reasons=["public_register"],
    ),
]

# --- Blocks: CC 2018-765 DC, RGPD 22(4), LIL 47, C3/C4, CSP L1111-8 -----------------------------------------------

BLOCK_ROWS = [
    row(
        "CC 2018-765 DC: fully automated self-learning algorithm founding decisions -> blocked",
        {**ML_ORDINARY, **DECIDES_ALONE, "self_learning": True},
        expect={"blocked": True},
        reasons=[("block_self_learning", "blocking")],
    ),
    row(
        "CC 2018-765 DC: fully automated self-learning WITHOUT individual decisions -> not blocked by it",
        {**ML_ORDINARY, "automation_level": "fully_automated", "self_learning": True},
        expect={"blocked": False},
        absent=["block_self_learning"],
    ),
    row(
        "CC 2018-765 DC: fully automated, not self-learning -> not blocked",
        {**ML_ORDINARY, **DECIDES_ALONE},
        expect={"blocked": False},
        absent=["block_self_learning"],
    ),
    *(
        row(
            f"RGPD art. 22(4), LIL art. 47: fully automated on art. 9 {category} data -> blocked",
            {**ML, **DECIDES_ALONE, "personal_data_categories": ["ordinary", category], **FR},
            expect={"blocked": True, "rgpd_sensitivity": "special"},
            reasons=[("block_automated_special", "blocking")],
            absent=["warn_determining"],
        )
        for category in ART9
    ),
    row(
        "RGPD art. 22(4) whatever the technique: rules deciding alone on health data -> blocked",
        {"technique": "rules", **DECIDES_ALONE, "personal_data_categories": ["health"], **FR},
        expect={"blocked": True, "ai_system": False},
        reasons=[("block_automated_special", "blocking")],
    ),
    row(
        "RGPD art. 10, LIL 46 (policy of the collectivite): fully automated on criminal data -> blocked",
        {**ML, **DECIDES_ALONE, "personal_data_categories": ["criminal"], **FR},
        expect={"blocked": True, "rgpd_sensitivity": "special"},
        reasons=[("block_automated_criminal", "blocking")],
        absent=["block_automated_special"],
    ),
    row(
        "RGPD art. 22(4): highly personal (financial) is not art. 9 -> fully automated not blocked",
        {**ML, **DECIDES_ALONE, "personal_data_categories": ["financial"], **FR},
        expect={"blocked": False},
        reasons=["art22_safeguards"],
        absent=["block_automated_special"],
    ),
    row(
        "RGPD art. 22(4): health data, a human decides (assist) -> not blocked",
        {**ML, **ASSISTS, "personal_data_categories": ["health"], "self_learning": True, **FR},
        expect={"blocked": False},
        absent=["block_automated_special", "block_self_learning", "warn_determining"],
    ),
    row(
        "LIL art. 47: fully automated decisions on administrative appeals -> blocked",
        {**ML_ORDINARY, **DECIDES_ALONE, "administrative_appeal": True},
        expect={"blocked": True},
        reasons=[("block_automated_appeal", "blocking")],
    ),
    *(
        row(
            f"II 901 / IGI 1300: C4 classified data hosted {zone} -> blocked",
            {**ML, "max_data_classification": "C4", "hosting_zone": zone, "provider_reuse_disabled": True},
            expect={"blocked": True},
            reasons=[("block_c4", "blocking")],
        )
        for zone in ("on_premise", "fr")
    ),
    row(
        "IGI 1300: C4 data in a rules tool on premises -> blocked whatever the technique",
        {"technique": "rules", "max_data_classification": "C4", "hosting_zone": "on_premise"},
        expect={"blocked": True},
        reasons=[("block_c4", "blocking")],
    ),
    *(
        row(
            f"II 901: C3 Diffusion Restreinte hosted {zone} -> blocked",
            {**ML, "max_data_classification": "C3", "hosting_zone": zone, "provider_reuse_disabled": True},
            expect={"blocked": True},
            reasons=[("block_c3_hosting", "blocking")],
            absent=["warn_c3_approval"],
        )
        for zone in ("fr", "eu", "non_eu", "unknown")
    ),
    row(
        "II 901: C3 hosted in France under SecNumCloud is still outside on_premise -> blocked",
        {**ML, "max_data_classification": "C3", "hosting_zone": "fr", "hosting_qualification": "secnumcloud"},
        expect={"blocked": True},
        reasons=[("block_c3_hosting", "blocking")],
    ),
    row(
        "II 901: C3 on premises -> not blocked, warning that the system must be approved for DR",
        {**ML, "max_data_classification": "C3", "hosting_zone": "on_premise", "provider_reuse_disabled": True},
        expect={"blocked": False},
        reasons=[("warn_c3_approval", "warning")],
        absent=["block_c3_hosting"],
    ),
    row(
        "II 901: C2 data hosted in the EU -> not blocked",
        {**ML, "max_data_classification": "C2", "hosting_zone": "eu", "provider_reuse_disabled": True},
        expect={"blocked": False},
        absent=["block_c3_hosting", "block_c4", "warn_c3_approval"],
    ),
    *(
        row(
            f"CSP L1111-8: health data in a care context hosted {zone} without HDS -> blocked",
            {**ML, "personal_data_categories": ["health"], "care_context": True, "hosting_zone": zone},
            expect={"blocked": True},
            reasons=[("block_health_hosting", "blocking")],
        )
        for zone in ("fr", "eu", "non_eu", "unknown")
    ),
    row(
        "CSP L1111-8: SecNumCloud is not HDS -> health data of care hosted in France still blocked",
        {
            **ML,
            "personal_data_categories": ["health"],
            "care_context": True,
            "hosting_zone": "fr",
            "hosting_qualification": "secnumcloud",
        },
        expect={"blocked": True},
        reasons=[("block_health_hosting", "blocking")],
    ),
    row(
        "CSP L1111-8 whatever the technique: rules tool with care health data hosted in the EU -> blocked",
        {"technique": "rules", "personal_data_categories": ["health"], "care_context": True, "hosting_zone": "eu"},
        expect={"blocked": True, "ai_system": False},
        reasons=[("block_health_hosting", "blocking")],
    ),
    *(
        row(
            f"CSP L1111-8: health data of care hosted {zone} with HDS -> not blocked",
            {
                **ML,
                "personal_data_categories": ["health"],
                "care_context": True,
                "hosting_zone": zone,
                "hosting_qualification": "hds",
            },
            expect={"blocked": False},
            absent=["block_health_hosting"],
        )
        for zone in ("fr", "eu")
    ),
    row(
        "CSP L1111-8: health data of care on premises, no HDS -> not blocked",
        {**ML, "personal_data_categories": ["health"], "care_context": True, "hosting_zone": "on_premise"},
        expect={"blocked": False},
        absent=["block_health_hosting"],
    ),
    row(
        "CSP L1111-8: health data outside a care context, hosted in France -> not blocked",
        {**ML, "personal_data_categories": ["health"], "hosting_zone": "fr"},
        expect={"blocked": False},
        absent=["block_health_hosting"],
    ),
    row(
        "CSP L1111-8: care context without health data -> not blocked",
        {**ML_ORDINARY, "care_context": True},
        expect={"blocked": False},
        absent=["block_health_hosting"],
    ),
]

# --- Warnings ---------------------------------------------------------------------------------------------------

WARNING_ROWS = [
    row(
        "CJEU C-634/21, RGPD 22(4): determining score on health data -> warning, not blocked",
        {**ML, **WEIGHS, "personal_data_categories": ["health"], **FR},
        expect={"blocked": False},
        reasons=[("warn_determining", "warning")],
        absent=["block_automated_special"],
    ),
    row(
        "CJEU C-634/21, LIL 47: determining score on administrative appeals -> warning, not blocked",
        {**ML_ORDINARY, **WEIGHS, "administrative_appeal": True},
        expect={"blocked": False},
        reasons=[("warn_determining", "warning")],
        absent=["block_automated_appeal"],
    ),
    row(
        "CJEU C-634/21, CC 2018-765 DC: determining self-learning score -> warning, not blocked",
        {**ML_ORDINARY, **WEIGHS, "self_learning": True},
        expect={"blocked": False},
        reasons=[("warn_determining", "warning")],
        absent=["block_self_learning"],
    ),
    row(
        "CJEU C-634/21: determining score, ordinary data, no appeal, not self-learning -> no warning",
        {**ML_ORDINARY, **WEIGHS},
        expect={"blocked": False},
        absent=["warn_determining"],
    ),
    *(
        row(
            f"RGPD chapter V: personal data hosted {zone} -> transfer warning",
            {**ML, "personal_data_categories": ["ordinary"], "hosting_zone": zone, "provider_reuse_disabled": True},
            expect={"blocked": False},
            reasons=[("warn_transfer", "warning")],
        )
        for zone in ("non_eu", "unknown")
    ),
    *(
        row(
            f"RGPD chapter V: personal data hosted {zone} -> no transfer warning",
            {**ML, "personal_data_categories": ["ordinary"], "hosting_zone": zone, "provider_reuse_disabled": True},
            absent=["warn_transfer"],
        )
        for zone in ("on_premise", "fr", "eu")
    ),
    row(
        "RGPD chapter V: no personal data hosted outside the EU -> no transfer warning",
        {**ML, "hosting_zone": "non_eu", "provider_reuse_disabled": True},
        absent=["warn_transfer"],
    ),
    *(
        row(
            f"Data classification {level} hosted by a vendor, reuse not disabled -> reuse warning",
            {**ML, "max_data_classification": level, "hosting_zone": "fr", "provider_reuse_disabled": False},
            reasons=[("warn_provider_reuse", "warning")],
        )
        for level in ("C2", "C3", "C4")
    ),
    row(
        "Data classification C2 with vendor reuse disabled -> no reuse warning",
        {**ML, "max_data_classification": "C2", "hosting_zone": "fr", "provider_reuse_disabled": True},
        absent=["warn_provider_reuse"],
    ),
    *(
        row(
            f"Data classification {level} with vendor reuse not disabled -> no reuse warning (below C2)",
            {**ML, "max_data_classification": level, "hosting_zone": "fr", "provider_reuse_disabled": False},
            absent=["warn_provider_reuse"],
        )
        for level in ("C0", "C1")
    ),
]

# --- Ethics review: the collectivité's policy, never the law -------------------------------------------------------

ETHICS_ROWS = [
    row(
        "Policy of the collectivite (default): high-risk use -> ethics review",
        {**ML, "annex_iii_point": "5a"},
        expect={"ethics_review_required": True},
        reasons=[("ethics_high", "obligation")],
    ),
    row(
        "Policy of the collectivite (default): art. 9 data -> ethics review",
        {**ML, "personal_data_categories": ["health"], **FR},
        expect={"ethics_review_required": True, "ai_act_risk": "minimal"},
        reasons=[("ethics_special", "obligation")],
    ),
    row(
        "Policy of the collectivite (default): art. 10 data in a rules tool -> ethics review",
        {"technique": "rules", "personal_data_categories": ["criminal"], **FR},
        expect={"ethics_review_required": True, "ai_system": False},
        reasons=[("ethics_special", "obligation")],
    ),
    *(
        row(
            f"Policy of the collectivite (default): automation {level} -> ethics review",
            {**ML_ORDINARY, "individual_decisions": True, "automation_level": level},
            expect={"ethics_review_required": True},
            reasons=[("ethics_automation", "obligation")],
        )
        for level in ("determining", "fully_automated")
    ),
    row(
        "Policy of the collectivite (default): a human decides (assist) -> no ethics review",
        {**ML_ORDINARY, **ASSISTS},
        expect={"ethics_review_required": False},
        absent=ETHICS_REASONS,
    ),
    *(
        row(
            f"Policy of the collectivite (default): AI chatbot facing {audience} -> ethics review",
            {"technique": "genai_text", "art50_features": ["chatbot"], "audience": audience},
            expect={"ethics_review_required": True},
            reasons=[("ethics_public_chatbot", "obligation")],
        )
        for audience in ("public", "both")
    ),
    row(
        "Policy of the collectivite (default): AI chatbot for agents only -> no ethics review",
        {"technique": "genai_text", "art50_features": ["chatbot"], "audience": "agents"},
        expect={"ethics_review_required": False},
        absent=ETHICS_REASONS,
    ),
    row(
        "Policy of the collectivite tightened: personal data -> ethics review",
        {**ML_ORDINARY},
        policy={"ethics_review_personal_data": True},
        expect={"ethics_review_required": True},
        reasons=[("ethics_policy_personal_data", "obligation")],
    ),
    row(
        "Policy of the collectivite tightened on personal data: none processed -> no ethics review",
        {**ML},
        policy={"ethics_review_personal_data": True},
        expect={"ethics_review_required": False},
        absent=ETHICS_REASONS,
    ),
    row(
        "Policy of the collectivite tightened on personal data: applies to a rules tool too",
        {**RULES_ORDINARY},
        policy={"ethics_review_personal_data": True},
        expect={"ethics_review_required": True},
        reasons=[("ethics_policy_personal_data", "obligation")],
    ),
    *(
        row(
            f"Policy of the collectivite tightened: audience {audience} -> ethics review",
            {**ML, "audience": audience},
            policy={"ethics_review_public_audience": True},
            expect={"ethics_review_required": True},
            reasons=[("ethics_policy_public", "obligation")],
        )
        for audience in ("public", "both")
    ),
    row(
        "Policy of the collectivite tightened on public audience: agents only -> no ethics review",
        {**ML, "audience": "agents"},
        policy={"ethics_review_public_audience": True},
        expect={"ethics_review_required": False},
        absent=ETHICS_REASONS,
    ),
    row(
        "Policy of the collectivite: untightened flags never loosen the default (high-risk)",
        {**ML, "annex_iii_point": "4a"},
        policy={"ethics_review_personal_data": False, "ethics_review_public_audience": False},
        expect={"ethics_review_required": True},
        reasons=[("ethics_high", "obligation")],
    ),
]

# --- Section 4: checkpoints -------------------------------------------------------------------------------------

CHECKPOINT_ROWS = [
    row(
        "Section 4: genai_text -> output_review and source_verification",
        {"technique": "genai_text"},
        has={"checkpoints": {"output_review", "source_verification"}},
    ),
    row(
        "Section 4: genai_media -> output_review, no source_verification",
        {"technique": "genai_media"},
        has={"checkpoints": {"output_review"}},
        lacks={"checkpoints": {"source_verification"}},
    ),
    *(
        row(
            f"Section 4: {technique} generates nothing for the public -> no output_review",
            {"technique": technique},
            lacks={"checkpoints": {"output_review", "source_verification"}},
        )
        for technique in ("agentic", "vision", "ml_predictive", "speech", "expert_system")
    ),
    row(
        "Section 4 (CRPA): rules founding decisions, no personal data -> decision_validation, crpa_mention",
        {"technique": "rules", **ASSISTS},
        expect={"required_checkpoints": {"decision_validation", "crpa_mention"}},
    ),
    row(
        "Section 4 (RGPD): rules with personal data -> data_minimisation only",
        {**RULES_ORDINARY},
        expect={"required_checkpoints": {"data_minimisation"}},
    ),
    row(
        "Section 4: rules with C2 data and no personal data -> data_minimisation only",
        {"technique": "rules", "max_data_classification": "C2", **FR},
        expect={"required_checkpoints": {"data_minimisation"}},
    ),
    row(
        "Section 4: C1 data, no personal data -> no data_minimisation",
        {**ML, "max_data_classification": "C1"},
        lacks={"checkpoints": {"data_minimisation"}},
    ),
    row(
        "Section 4: AI profiling persons -> bias_review",
        {**ML_ORDINARY, "profiling": True},
        has={"checkpoints": {"bias_review"}},
    ),
    row(
        "Section 4: AI founding individual decisions -> bias_review, decision_validation",
        {**ML_ORDINARY, **ASSISTS},
        has={"checkpoints": {"bias_review", "decision_validation"}},
    ),
    row(
        "Section 4: rules profiling persons -> no bias_review (AI systems only)",
        {**RULES_ORDINARY, "profiling": True},
        expect={"required_checkpoints": {"data_minimisation"}},
    ),
    row(
        "Section 4: AI without profiling or decisions -> no bias_review",
        {**ML_ORDINARY},
        expect={"required_checkpoints": {"data_minimisation"}},
    ),
    row(
        "Section 4: limited-risk AI -> none of the high-risk checkpoints",
        {"technique": "speech", "art50_features": ["chatbot"], "audience": "agents"},
        expect={"required_checkpoints": {"transparency_notice"}},
    ),
]

TABLES = {
    "technique": TECHNIQUE_ROWS,
    "art5": ART5_ROWS,
    "annex_i": ANNEX_I_ROWS,
    "annex_iii": ANNEX_III_ROWS,
    "art6_3": ART6_3_ROWS,
    "art26": ART26_ROWS,
    "biometric": BIOMETRIC_ROWS,
    "art50": ART50_ROWS,
    "provider": PROVIDER_ROWS,
    "not_ai": NOT_AI_ROWS,
    "sensitivity": SENSITIVITY_ROWS,
    "dpia": DPIA_ROWS,
    "cnil": CNIL_ROWS,
    "art35_3": ART35_3_ROWS,
    "crpa": CRPA_ROWS,
    "blocks": BLOCK_ROWS,
    "warnings": WARNING_ROWS,
    "ethics": ETHICS_ROWS,
    "checkpoints": CHECKPOINT_ROWS,
}
ALL_ROWS = [item for rows in TABLES.values() for item in rows]
ROW_ARGS = ("facts", "policy", "expected")


def test_row_ids_are_unique():
    ids = [item.id for item in ALL_ROWS]
    assert len(ids) == len(set(ids)), sorted({name for name in ids if ids.count(name) > 1})


@pytest.mark.parametrize(ROW_ARGS, TECHNIQUE_ROWS + ART5_ROWS + ANNEX_I_ROWS + ANNEX_III_ROWS)
def test_ai_system_prohibited_and_product_route(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, ART6_3_ROWS)
def test_art6_3_derogation(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, ART26_ROWS + BIOMETRIC_ROWS + ART50_ROWS + PROVIDER_ROWS)
def test_deployer_biometric_transparency_provider(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, NOT_AI_ROWS)
def test_not_an_ai_system(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, SENSITIVITY_ROWS + DPIA_ROWS + CNIL_ROWS + ART35_3_ROWS)
def test_rgpd_sensitivity_and_dpia(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, CRPA_ROWS)
def test_crpa(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, BLOCK_ROWS + WARNING_ROWS)
def test_blocks_and_warnings(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, ETHICS_ROWS)
def test_ethics_review(facts, policy, expected):
    check(facts, policy, expected)


@pytest.mark.parametrize(ROW_ARGS, CHECKPOINT_ROWS)
def test_checkpoints(facts, policy, expected):
    check(facts, policy, expected)


# --- The ethics review and the criminal-data block are the collectivité's rules, said so (section 3) --------------

ETHICS_BASIS_CASES = [
    pytest.param({**ML, "annex_iii_point": "5a"}, None, "ethics_high", id="ethics_high"),
    pytest.param({**ML, "personal_data_categories": ["health"], **FR}, None, "ethics_special", id="ethics_special"),
    pytest.param({**ML_ORDINARY, **WEIGHS}, None, "ethics_automation", id="ethics_automation"),
    pytest.param(
        {"technique": "genai_text", "art50_features": ["chatbot"], "audience": "public"},
        None,
        "ethics_public_chatbot",
        id="ethics_public_chatbot",
    ),
    pytest.param(
        {**ML_ORDINARY},
        {"ethics_review_personal_data": True},
        "ethics_policy_personal_data",
        id="ethics_policy_personal_data",
    ),
    pytest.param(
        {**ML, "audience": "public"},
        {"ethics_review_public_audience": True},
        "ethics_policy_public",
        id="ethics_policy_public",
    ),
]


@pytest.mark.parametrize(("facts", "policy", "code"), ETHICS_BASIS_CASES)
def test_ethics_review_basis_is_the_collectivites_policy_not_the_law(facts, policy, code):
    # Given a use that the default (or tightened) review policy sends to the ethics committee
    # When it is classified by a French user (the rules tables otherwise run in English, tests/registry/conftest.py)
    with translation.override("fr"):
        result = run(facts, policy)
        found = find(result, code)
        basis, explanation = str(found.basis), str(found.explanation)

    # Then the reason is an obligation whose basis names the collectivité's own rule, not a legal requirement
    assert result.ethics_review_required is True
    assert found.kind == "obligation"
    assert "collectivité" in basis, basis
    assert explanation


def test_criminal_data_block_is_said_to_be_a_rule_of_the_policy():
    # Given a fully automated decision on criminal data (RGPD 10 and LIL 46 do not forbid it as such)
    with translation.override("fr"):
        result = run({**ML, **DECIDES_ALONE, "personal_data_categories": ["criminal"], **FR})
        basis = str(find(result, "block_automated_criminal").basis)

    # Then the block is the default policy's, and says so
    assert result.blocked is True
    assert any(word in basis.lower() for word in ("collectivité", "politique")), basis


# --- Cross-cutting rules of sections 3 and 4, checked on every row's facts --------------------------------------


def facts_of(facts: dict) -> dict:
    return {**SECTION_2_DEFAULTS, **facts}


def derogation_holds(f: dict) -> bool:
    """Art. 6(3): a ground, no profiling, automation none or assist."""
    return bool(f["art6_3_ground"]) and not f["profiling"] and f["automation_level"] in ("none", "assist")


def annex_iii_route(f: dict) -> bool:
    """High risk by Art. 6(2): an Annex III point whose derogation fails, or emotion/biometric with no point."""
    if f["annex_iii_point"]:
        return not derogation_holds(f)
    return "emotion_or_biometric" in f["art50_features"]


def expected_risk(f: dict) -> str:
    if f["technique"] == "rules":
        return "out_of_scope"
    if f["art5_practices"]:
        return "prohibited"
    if f["annex_i_product"] or annex_iii_route(f):
        return "high"
    return "limited" if f["art50_features"] else "minimal"


@pytest.mark.parametrize(ROW_ARGS, ALL_ROWS)
def test_every_row_ai_act_verdict_follows_section_3(facts, policy, expected):
    result = run(facts, policy)
    f = facts_of(facts)
    ai = f["technique"] != "rules"
    given = codes(result)
    problems = []
    if result.ai_system is not ai:
        problems.append(f"ai_system {result.ai_system}, technique {f['technique']!r}")
    if result.ai_act_risk != expected_risk(f):
        problems.append(f"ai_act_risk {result.ai_act_risk!r}, expected {expected_risk(f)!r}")
    fria = ai and not f["art5_practices"] and annex_iii_route(f) and f["annex_iii_point"] != "2"
    if result.fria_required is not fria:
        problems.append(f"fria_required {result.fria_required}, expected {fria}")
    if f["ai_act_role"] == "deployer" and result.eu_registration_required is not fria:
        problems.append(f"eu_registration_required {result.eu_registration_required}, expected {fria}")
    if not ai:
        leaked = sorted(set(given) & (AI_ACT_REASONS | {"ethics_high", "ethics_public_chatbot"}))
        if leaked:
            problems.append(f"AI Act reasons for a rules technique: {leaked}")
        if "not_ai_system" not in given:
            problems.append("not_ai_system missing")
        answered = bool(f["art5_practices"] or f["annex_iii_point"])
        if answered and "not_ai_answers_ignored" not in given:
            problems.append("not_ai_answers_ignored missing (art. 5 or Annex III answered)")
    else:
        if {"not_ai_system", "not_ai_answers_ignored"} & set(given):
            problems.append("not-an-AI-system reason for an AI system")
        if not f["art5_practices"] and "ai_literacy" not in given:
            problems.append("ai_literacy (art. 4) missing")
    assert not problems, "\n".join([*problems, f"reasons given: {given}"])


@pytest.mark.parametrize(ROW_ARGS, ALL_ROWS)
def test_every_row_rgpd_verdict_follows_section_3(facts, policy, expected):
    result = run(facts, policy)
    f = facts_of(facts)
    categories = set(f["personal_data_categories"])
    personal = bool(categories)
    criteria = list(result.edpb_criteria)
    cnil = set(result.cnil_list_types)
    problems = []

    if categories & set(SPECIAL):
        sensitivity = "special"
    elif categories & {*HIGHLY_PERSONAL, "minors_vulnerable"}:
        sensitivity = "highly_personal"
    else:
        sensitivity = "personal" if personal else "none"
    if result.rgpd_sensitivity != sensitivity:
        problems.append(f"rgpd_sensitivity {result.rgpd_sensitivity!r}, expected {sensitivity!r}")

    if [code for code in EDPB_ORDER if code in criteria] != criteria:
        problems.append(f"edpb_criteria {criteria} not unique codes in WP248 order")
    if not personal:
        if criteria or result.dpia_required:
            problems.append(f"no personal data yet criteria {criteria}, dpia {result.dpia_required}")
    else:
        decides = f["individual_decisions"] and f["automation_level"] != "none"
        certain = {
            "automated_decision": f["individual_decisions"]
            and f["automation_level"] in ("determining", "fully_automated"),
            "systematic_monitoring": f["systematic_monitoring"],
            "large_scale": f["large_scale"],
            "dataset_matching": f["dataset_matching"],
            "innovative_technology": f["technique"] != "rules",
            "blocks_right": decides,
        }
        if f["profiling"]:
            certain["evaluation_scoring"] = True
        elif f["automation_level"] == "none":
            certain["evaluation_scoring"] = False
        if categories & {*HIGHLY_PERSONAL, *SPECIAL}:
            certain["sensitive_data"] = True
        elif categories <= {"ordinary"}:
            certain["sensitive_data"] = False
        at_work = f["audience"] in ("agents", "both")
        if "minors_vulnerable" in categories or (at_work and (f["profiling"] or f["systematic_monitoring"] or decides)):
            certain["vulnerable_persons"] = True
        elif f["audience"] == "public" or not (
            f["profiling"] or f["systematic_monitoring"] or f["individual_decisions"]
        ):
            certain["vulnerable_persons"] = False
        for code, wanted in certain.items():
            if (code in criteria) is not bool(wanted):
                problems.append(f"WP248 {code}: {'missing' if wanted else 'unexpected'} in {criteria}")

        derived = {
            "hr_profiling": f["profiling"] and f["audience"] == "agents",
            "employee_monitoring": f["systematic_monitoring"] and f["audience"] == "agents",
            "profiling_external_sources": f["profiling"] and f["dataset_matching"],
            "biometric_vulnerable": {"biometric", "minors_vulnerable"} <= categories,
            "large_scale_location": "location" in categories and f["large_scale"],
        }
        for code, wanted in derived.items():
            if wanted and code not in cnil:
                problems.append(f"CNIL {code} not derived: {sorted(cnil)}")
        unsure = {"hr_profiling": f["profiling"], "employee_monitoring": f["systematic_monitoring"]}
        for code, wanted in derived.items():
            if not wanted and not unsure.get(code) and code not in f["cnil_list_types"] and code in cnil:
                problems.append(f"CNIL {code} derived without its facts")
        missing_inputs = set(f["cnil_list_types"]) - cnil
        if missing_inputs:
            problems.append(f"CNIL types given but not kept: {sorted(missing_inputs)}")
        if (len(criteria) >= 2 or cnil) and not result.dpia_required:
            problems.append(f"dpia_required False with criteria {criteria} and CNIL {sorted(cnil)}")
        if result.dpia_required and len(criteria) < 2 and not cnil:
            art35_3 = {"dpia_art35_3a", "dpia_art35_3b", "dpia_art35_3c"}
            if not art35_3 & set(codes(result)):
                problems.append("dpia_required True without 2 criteria, a CNIL type or an art. 35(3) reason")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(ROW_ARGS, ALL_ROWS)
def test_every_row_crpa_blocks_and_warnings_follow_section_3(facts, policy, expected):
    result = run(facts, policy)
    f = facts_of(facts)
    agents = policy_of_count(policy)
    categories = set(f["personal_data_categories"])
    given = set(codes(result))
    ai = f["technique"] != "rules"
    alone = f["automation_level"] == "fully_automated"
    weighs = f["automation_level"] == "determining"
    problems = []

    decides = f["individual_decisions"] and f["automation_level"] != "none"
    if result.crpa_mention_required is not decides:
        problems.append(f"crpa_mention_required {result.crpa_mention_required}, expected {decides}")
    register = decides and agents is not None and agents >= 50
    if result.public_register_required is not register:
        problems.append(f"public_register_required {result.public_register_required}, expected {register}")

    zone, level = f["hosting_zone"], f["max_data_classification"]
    blocks = {  # code: (certainly given, possibly given)
        "art5_prohibited": (ai and bool(f["art5_practices"]),) * 2,
        "block_self_learning": (alone and f["self_learning"] and f["individual_decisions"],) * 2,
        "block_automated_special": (
            alone and f["individual_decisions"] and bool(categories & set(ART9)),
            alone and bool(categories & set(ART9)),
        ),
        "block_automated_appeal": (
            alone and f["individual_decisions"] and f["administrative_appeal"],
            alone and f["administrative_appeal"],
        ),
        "block_automated_criminal": (
            alone and f["individual_decisions"] and "criminal" in categories,
            alone and "criminal" in categories,
        ),
        "block_c4": (level == "C4",) * 2,
        "block_c3_hosting": (level == "C3" and zone != "on_premise", level in ("C3", "C4") and zone != "on_premise"),
        "block_health_hosting": (
            "health" in categories
            and f["care_context"]
            and zone != "on_premise"
            and f["hosting_qualification"] != "hds",
        )
        * 2,
    }
    for code, (certain, possible) in blocks.items():
        if certain and code not in given:
            problems.append(f"{code} missing")
        if not possible and code in given:
            problems.append(f"{code} unexpected")
    if any(certain for certain, _ in blocks.values()) and not result.blocked:
        problems.append("blocked False despite a block")
    if not any(possible for _, possible in blocks.values()) and result.blocked:
        problems.append("blocked True without any block")
    blocking = {item.code for item in result.reasons if item.kind == "blocking"}
    if result.blocked is not bool(blocking):
        problems.append(f"blocked {result.blocked} but blocking reasons {sorted(blocking)}")

    warnings = {  # code: (certainly given, possibly given)
        "warn_determining": (
            weighs
            and f["individual_decisions"]
            and bool(categories & set(ART9) or f["administrative_appeal"] or f["self_learning"]),
            weighs and bool(categories & set(SPECIAL) or f["administrative_appeal"] or f["self_learning"]),
        ),
        "warn_transfer": (bool(categories) and zone in ("non_eu", "unknown"),) * 2,
        "warn_provider_reuse": (  # on premises there may be no vendor to reuse anything: not asserted there
            level in ("C2", "C3", "C4") and not f["provider_reuse_disabled"] and zone != "on_premise",
            level in ("C2", "C3", "C4") and not f["provider_reuse_disabled"],
        ),
        "warn_c3_approval": (level == "C3" and zone == "on_premise", level in ("C3", "C4") and zone == "on_premise"),
    }
    for code, (certain, possible) in warnings.items():
        if certain and code not in given:
            problems.append(f"{code} missing")
        if not possible and code in given:
            problems.append(f"{code} unexpected")
    for item in result.reasons:
        if item.code.startswith("warn_") and item.kind != "warning":
            problems.append(f"{item.code} is of kind {item.kind!r}")
        if item.code in BLOCK_REASONS and item.kind != "blocking":
            problems.append(f"{item.code} is of kind {item.kind!r}")
    assert not problems, "\n".join([*problems, f"reasons given: {sorted(given)}"])


def policy_of_count(policy: dict | None):
    return {**DEFAULT_POLICY, **(policy or {})}["agents_count"]


@pytest.mark.parametrize(ROW_ARGS, ALL_ROWS)
def test_every_row_ethics_review_follows_the_policy(facts, policy, expected):
    result = run(facts, policy)
    f = facts_of(facts)
    settings = {"ethics_review_personal_data": False, "ethics_review_public_audience": False, **(policy or {})}
    categories = set(f["personal_data_categories"])
    ai = f["technique"] != "rules"
    weighs = f["automation_level"] in ("determining", "fully_automated")
    chatbot = ai and "chatbot" in f["art50_features"]
    certain = {
        "ethics_high": result.ai_act_risk == "high",
        "ethics_special": bool(categories & set(SPECIAL)),
        "ethics_automation": weighs and f["individual_decisions"],
        "ethics_public_chatbot": chatbot and f["audience"] in ("public", "both"),
        "ethics_policy_personal_data": settings["ethics_review_personal_data"] and bool(categories),
        "ethics_policy_public": settings["ethics_review_public_audience"] and f["audience"] in ("public", "both"),
    }
    possible = {**certain, "ethics_automation": weighs}
    given = {item.code: item for item in result.reasons}
    problems = []
    for code in ETHICS_REASONS:
        if certain[code] and code not in given:
            problems.append(f"{code} missing")
        if not possible[code] and code in given:
            problems.append(f"{code} unexpected")
        if code in given and given[code].kind != "obligation":
            problems.append(f"{code} is of kind {given[code].kind!r}")
    required = any(certain.values())
    if required and not result.ethics_review_required:
        problems.append("ethics_review_required False despite a trigger")
    if not any(possible.values()) and result.ethics_review_required and result.ai_act_risk != "prohibited":
        problems.append("ethics_review_required True without any trigger")
    assert not problems, "\n".join([*problems, f"reasons given: {sorted(given)}"])


@pytest.mark.parametrize(ROW_ARGS, ALL_ROWS)
def test_every_row_checkpoints_follow_section_4(facts, policy, expected):
    result = run(facts, policy)
    f = facts_of(facts)
    ai = f["technique"] != "rules"
    high = result.ai_act_risk == "high"
    decides = f["individual_decisions"] and f["automation_level"] != "none"
    wanted = {
        "output_review": ai and f["technique"] in ("genai_text", "genai_media"),
        "source_verification": ai and f["technique"] == "genai_text",
        "decision_validation": decides,
        "crpa_mention": result.crpa_mention_required,
        "log_retention": high,
        "incident_monitoring": high,
        "oversight_training": high,
        "workers_informed": high and f["audience"] in ("agents", "both"),
        "transparency_notice": ai and bool(f["art50_features"]),
        "data_minimisation": bool(f["personal_data_categories"]) or f["max_data_classification"] in ("C2", "C3", "C4"),
        "bias_review": ai and (f["profiling"] or decides),
        "provider_conformity": f["ai_act_role"] == "provider" and high,
    }
    unsure = set()
    if ai and f["individual_decisions"] and not decides and not f["profiling"]:
        unsure.add("bias_review")  # "individual decisions on persons" with automation none
    if result.ai_act_risk == "prohibited":
        unsure.add("transparency_notice")  # art. 50(6) "whatever the risk level" for a use that is never allowed
    actual = list(result.required_checkpoints)
    problems = []
    if len(actual) != len(set(actual)) or not set(actual) <= set(CHECKPOINTS):
        problems.append(f"checkpoints {actual} are not unique section 4 codes")
    for code, should in wanted.items():
        if code not in unsure and (code in actual) is not bool(should):
            problems.append(f"{code} {'missing' if should else 'unexpected'}")
    if not ai and set(actual) & AI_ONLY_CHECKPOINTS:
        problems.append(f"AI-only checkpoints for a rules technique: {sorted(set(actual) & AI_ONLY_CHECKPOINTS)}")
    assert not problems, "\n".join([*problems, f"checkpoints: {actual}"])


@pytest.mark.parametrize(ROW_ARGS, ALL_ROWS)
def test_every_row_reasons_are_well_formed(facts, policy, expected):
    result = run(facts, policy)
    for item in result.reasons:
        assert item.kind in KINDS, (item.code, item.kind)
        assert str(item.basis).strip(), item.code
        assert str(item.explanation).strip(), item.code
