"""The classification engine on personal data: RGPD sensitivity and the DPIA (AIPD) rule of DOMAIN.md section 3.

The RGPD applies whatever the technique: these tables run on a rules-based system (`RGPD_BASE`, not an AI
system), so the EDPB criterion "innovative technology" only counts where a row asks for an AI technique.
"""

import pytest

from registry.choices import PersonalDataCategory
from registry.rules import CLASSIFICATION, HIGHLY_PERSONAL, INFORMATION, OBLIGATION, SPECIAL
from tests.registry.rules_support import check, codes, on_base, reason, row, run

RGPD_BASE = {"technique": "rules"}

DPIA_CODES = ["dpia_edpb", "dpia_edpb_below", "dpia_cnil_list", "dpia_art35_3a", "dpia_art35_3b", "dpia_art35_3c"]

# --- RGPD sensitivity: every category, by family -----------------------------------------------------------------

SENSITIVITY_BY_CATEGORY = {
    "ordinary": ("personal", "RGPD art. 4(1)"),
    "financial": ("highly_personal", "EDPB WP248 criterion 4"),
    "location": ("highly_personal", "EDPB WP248 criterion 4"),
    "communications": ("highly_personal", "EDPB WP248 criterion 4"),
    "nir": ("highly_personal", "EDPB WP248 criterion 4"),
    "minors_vulnerable": ("highly_personal", "EDPB WP248 criterion 7 (DOMAIN.md: highly personal)"),
    "racial_ethnic_origin": ("special", "RGPD art. 9(1)"),
    "political_opinions": ("special", "RGPD art. 9(1)"),
    "religious_beliefs": ("special", "RGPD art. 9(1)"),
    "trade_union": ("special", "RGPD art. 9(1)"),
    "genetic": ("special", "RGPD art. 9(1)"),
    "biometric": ("special", "RGPD art. 9(1)"),
    "health": ("special", "RGPD art. 9(1)"),
    "sex_life_orientation": ("special", "RGPD art. 9(1)"),
    "criminal": ("special", "RGPD art. 10"),
}
SENSITIVITY_REASONS = {
    "personal": ("rgpd_personal", "RGPD, art. 4(1)"),
    "highly_personal": ("rgpd_highly_personal", "EDPB guidelines WP248"),
    "special": ("rgpd_special", "RGPD, art. 9 and 10"),
}


def test_every_personal_data_category_has_a_sensitivity_family():
    # A category added to the vocabulary must be placed in a family, or it silently counts as ordinary.
    assert set(PersonalDataCategory.values) == set(SENSITIVITY_BY_CATEGORY)
    assert set(PersonalDataCategory.values) == HIGHLY_PERSONAL | SPECIAL | {"ordinary"}


@pytest.mark.parametrize(
    ("category", "sensitivity"),
    [
        pytest.param(category, sensitivity, id=f"{article}: {category} -> {sensitivity}")
        for category, (sensitivity, article) in SENSITIVITY_BY_CATEGORY.items()
    ],
)
def test_rgpd_sensitivity_of_each_category(category, sensitivity):
    result = run({**RGPD_BASE, "personal_data_categories": [category]})

    assert result.rgpd_sensitivity == sensitivity
    code, basis = SENSITIVITY_REASONS[sensitivity]
    found = reason(result, code)
    assert found.kind == CLASSIFICATION
    assert basis in found.basis
    if sensitivity != "personal":
        # The reason names the categories that make the data sensitive.
        assert dict(found.params) == {"categories": (category,)}


SENSITIVITY_ROWS = [
    row(
        "RGPD art. 4(1): no personal data -> none",
        {"personal_data_categories": []},
        expect={"rgpd_sensitivity": "none"},
        reasons=[("rgpd_none", CLASSIFICATION, "RGPD, art. 4(1)")],
    ),
    row(
        "RGPD art. 9 prevails: ordinary + financial + health -> special",
        {"personal_data_categories": ["ordinary", "financial", "health"]},
        expect={"rgpd_sensitivity": "special"},
        reasons=[("rgpd_special", CLASSIFICATION, "art. 9")],
        absent=["rgpd_highly_personal", "rgpd_personal"],
    ),
    row(
        "RGPD art. 10 prevails: location + criminal -> special",
        {"personal_data_categories": ["location", "criminal"]},
        expect={"rgpd_sensitivity": "special"},
        reasons=[("rgpd_special", CLASSIFICATION, "9 and 10")],
    ),
    row(
        "EDPB WP248: ordinary + minors or vulnerable persons -> highly personal",
        {"personal_data_categories": ["ordinary", "minors_vulnerable"]},
        expect={"rgpd_sensitivity": "highly_personal"},
        reasons=[("rgpd_highly_personal", CLASSIFICATION, "WP248")],
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), on_base(SENSITIVITY_ROWS, RGPD_BASE))
def test_rgpd_sensitivity_of_mixed_categories(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


def test_special_reason_lists_only_the_special_categories():
    result = run({"personal_data_categories": ["ordinary", "financial", "health", "criminal"]})

    assert dict(reason(result, "rgpd_special").params) == {"categories": ("criminal", "health")}


# --- DPIA (AIPD): EDPB criteria, CNIL list, art. 35(3) ---------------------------------------------------------

ORDINARY = {"personal_data_categories": ["ordinary"]}

DPIA_ROWS = [
    # EDPB guidelines WP248: two criteria or more.
    row(
        "RGPD art. 35(1), EDPB WP248: no criterion met -> no DPIA",
        ORDINARY,
        expect={"dpia_required": False, "edpb_criteria": []},
        absent=DPIA_CODES,
    ),
    row(
        "EDPB WP248: 1 criterion (innovative technology: AI) -> no DPIA, noted",
        {**ORDINARY, "technique": "genai_text"},
        expect={"dpia_required": False, "edpb_criteria": ["innovative_technology"]},
        reasons=[("dpia_edpb_below", INFORMATION, "EDPB guidelines WP248")],
        absent=["dpia_edpb"],
    ),
    row(
        "EDPB WP248: 1 criterion (highly personal data) -> no DPIA, noted",
        {"personal_data_categories": ["financial"]},
        expect={"dpia_required": False, "edpb_criteria": ["sensitive_data"]},
        reasons=[("dpia_edpb_below", INFORMATION, "art. 35(1)")],
    ),
    row(
        "EDPB WP248: 1 criterion (health data, small scale, no AI) -> no DPIA; art. 35(3)(b) needs large scale",
        {"personal_data_categories": ["health"]},
        expect={"dpia_required": False, "edpb_criteria": ["sensitive_data"]},
        reasons=[("dpia_edpb_below", INFORMATION, "WP248")],
        absent=["dpia_art35_3b", "dpia_edpb"],
    ),
    row(
        "EDPB WP248: 1 criterion (matching datasets) -> no DPIA",
        {**ORDINARY, "dataset_matching": True},
        expect={"dpia_required": False, "edpb_criteria": ["dataset_matching"]},
        reasons=[("dpia_edpb_below", INFORMATION, "WP248")],
    ),
    row(
        "EDPB WP248: exactly 2 criteria (AI + large scale) -> DPIA",
        {**ORDINARY, "technique": "genai_text", "large_scale": True},
        expect={"dpia_required": True, "edpb_criteria": ["large_scale", "innovative_technology"]},
        reasons=[("dpia_edpb", OBLIGATION, "RGPD, art. 35(1) and EDPB guidelines WP248")],
        absent=["dpia_edpb_below"],
    ),
    row(
        "EDPB WP248: exactly 2 criteria (AI + highly personal data) -> DPIA",
        {"personal_data_categories": ["nir"], "technique": "ml_predictive"},
        expect={"dpia_required": True, "edpb_criteria": ["sensitive_data", "innovative_technology"]},
        reasons=[("dpia_edpb", OBLIGATION, "WP248")],
    ),
    # DOMAIN.md puts minors in the "highly personal" family, and WP248 lists vulnerable persons as a criterion
    # of its own: data about minors meets both, hence a DPIA even without AI. We follow DOMAIN.md literally.
    row(
        "EDPB WP248: minors or vulnerable persons -> sensitive data + vulnerable persons -> DPIA",
        {"personal_data_categories": ["minors_vulnerable"]},
        expect={"dpia_required": True, "edpb_criteria": ["sensitive_data", "vulnerable_persons"]},
        reasons=[("dpia_edpb", OBLIGATION, "WP248")],
    ),
    row(
        "EDPB WP248: evaluation + automated decision + decision that may deny a benefit (scale of the public) -> DPIA",
        {**ORDINARY, "audience": "public", "individual_decisions": True, "automation_level": "determining"},
        expect={
            "dpia_required": True,
            "edpb_criteria": ["evaluation_scoring", "automated_decision", "blocks_right"],
        },
        reasons=[("dpia_edpb", OBLIGATION, "WP248")],
        absent=["dpia_cnil_list"],
    ),
    row(
        "EDPB WP248 criterion 7: agents are vulnerable when the use decides about them -> DPIA",
        {**ORDINARY, "audience": "agents", "individual_decisions": True, "automation_level": "assist"},
        expect={"dpia_required": True, "edpb_criteria": ["vulnerable_persons", "blocks_right"]},
        reasons=[("dpia_edpb", OBLIGATION, "WP248")],
    ),
    row(
        "EDPB WP248 criterion 7: agents merely using a tool are not vulnerable data subjects -> no criterion",
        {**ORDINARY, "audience": "agents"},
        expect={"dpia_required": False, "edpb_criteria": []},
        absent=DPIA_CODES,
    ),
    # CNIL list (délibération 2018-327).
    row(
        "CNIL 2018-327 (HR profiling): a rules-based score of agents' punctuality -> DPIA, AI or not",
        {**ORDINARY, "audience": "agents", "profiling": True},
        expect={
            "dpia_required": True,
            "ai_system": False,
            "edpb_criteria": ["evaluation_scoring", "vulnerable_persons"],
            "cnil_list_types": ["hr_profiling"],
        },
        reasons=[
            ("dpia_cnil_list", OBLIGATION, "RGPD, art. 35(4) and CNIL délibération 2018-327"),
            ("dpia_edpb", OBLIGATION, "WP248"),
        ],
    ),
    row(
        "CNIL 2018-327: profiling of the public only is not HR profiling -> one criterion, no DPIA",
        {**ORDINARY, "audience": "public", "profiling": True},
        expect={"dpia_required": False, "edpb_criteria": ["evaluation_scoring"], "cnil_list_types": []},
        reasons=[("dpia_edpb_below", INFORMATION, "WP248")],
        absent=["dpia_cnil_list"],
    ),
    row(
        "CNIL 2018-327: recruitment (4a) without profiling is not on the list -> no DPIA",
        {**ORDINARY, "audience": "public", "annex_iii_point": "4a"},
        expect={"dpia_required": False, "edpb_criteria": []},
        absent=DPIA_CODES,
    ),
    row(
        "CNIL 2018-327 (employee monitoring): systematic monitoring of agents -> DPIA",
        {**ORDINARY, "audience": "agents", "systematic_monitoring": True},
        expect={
            "dpia_required": True,
            "edpb_criteria": ["systematic_monitoring", "vulnerable_persons"],
            "cnil_list_types": ["employee_monitoring"],
        },
        reasons=[("dpia_cnil_list", OBLIGATION, "2018-327")],
    ),
    row(
        "CNIL 2018-327: HR profiling and monitoring of agents -> DPIA",
        {**ORDINARY, "audience": "agents", "profiling": True, "systematic_monitoring": True},
        expect={
            "dpia_required": True,
            "edpb_criteria": ["evaluation_scoring", "systematic_monitoring", "vulnerable_persons"],
            "cnil_list_types": ["hr_profiling", "employee_monitoring"],
        },
        reasons=[("dpia_cnil_list", OBLIGATION, "2018-327"), ("dpia_edpb", OBLIGATION, "WP248")],
    ),
    row(
        "CNIL 2018-327 (social support), an answer: with a valid Art. 6(3) derogation -> DPIA, minimal risk",
        {
            **ORDINARY,
            "technique": "ml_predictive",
            "audience": "public",
            "annex_iii_point": "5a",
            "art6_3_ground": "d",
            "cnil_list_types": ["social_support"],
        },
        expect={"dpia_required": True, "edpb_criteria": ["innovative_technology"], "ai_act_risk": "minimal"},
        reasons=[("dpia_cnil_list", OBLIGATION, "2018-327")],
    ),
    row(
        "CNIL 2018-327 (profiling with external sources): profiling + matched datasets -> DPIA",
        {**ORDINARY, "audience": "public", "profiling": True, "dataset_matching": True},
        expect={"dpia_required": True, "cnil_list_types": ["profiling_external_sources"]},
        reasons=[("dpia_cnil_list", OBLIGATION, "2018-327")],
    ),
    row(
        "CNIL 2018-327 (biometric data of vulnerable persons) -> DPIA",
        {"personal_data_categories": ["biometric", "minors_vulnerable"]},
        expect={"dpia_required": True, "cnil_list_types": ["biometric_vulnerable"]},
        reasons=[("dpia_cnil_list", OBLIGATION, "2018-327")],
    ),
    row(
        "CNIL 2018-327 (health care establishment): health data collected for care -> DPIA",
        {"personal_data_categories": ["health"], "care_context": True, "hosting_zone": "on_premise"},
        expect={"dpia_required": True, "cnil_list_types": ["health_care_establishment"]},
        reasons=[("dpia_cnil_list", OBLIGATION, "2018-327")],
    ),
    row(
        "CNIL 2018-327: large-scale location data -> DPIA",
        {"personal_data_categories": ["location"], "large_scale": True},
        expect={"dpia_required": True, "edpb_criteria": ["sensitive_data", "large_scale"]},
        reasons=[("dpia_cnil_list", OBLIGATION, "2018-327"), ("dpia_edpb", OBLIGATION, "WP248")],
    ),
    row(
        "CNIL 2018-327: location data on a small scale is not on the list -> no DPIA",
        {"personal_data_categories": ["location"]},
        expect={"dpia_required": False},
        absent=["dpia_cnil_list", "dpia_edpb"],
    ),
    # Art. 35(3).
    row(
        "RGPD art. 35(3)(a): profiling founding determining individual decisions -> DPIA",
        {**ORDINARY, "profiling": True, "individual_decisions": True, "automation_level": "determining"},
        expect={"dpia_required": True},
        reasons=[("dpia_art35_3a", OBLIGATION, "RGPD, art. 35(3)(a)")],
    ),
    row(
        "RGPD art. 35(3)(a): profiling founding fully automated individual decisions -> DPIA",
        {**ORDINARY, "profiling": True, "individual_decisions": True, "automation_level": "fully_automated"},
        expect={"dpia_required": True},
        reasons=[("dpia_art35_3a", OBLIGATION, "35(3)(a)")],
    ),
    row(
        "RGPD art. 35(3)(a) needs a decisive output; WP248 criteria 1 + 9: profiling assisting decisions -> DPIA",
        {
            **ORDINARY,
            "audience": "public",
            "profiling": True,
            "individual_decisions": True,
            "automation_level": "assist",
        },
        expect={"dpia_required": True, "edpb_criteria": ["evaluation_scoring", "blocks_right"]},
        reasons=[("dpia_edpb", OBLIGATION, "WP248")],
        absent=["dpia_art35_3a"],
    ),
    *(
        row(
            f"RGPD art. 35(3)(b): large-scale {category} data -> DPIA",
            {"personal_data_categories": [category], "large_scale": True},
            expect={"dpia_required": True},
            reasons=[("dpia_art35_3b", OBLIGATION, "RGPD, art. 35(3)(b)")],
        )
        for category in ("health", "criminal")
    ),
    row(
        "RGPD art. 35(3)(b): large-scale highly personal (not special) data -> not 35(3)(b)",
        {"personal_data_categories": ["financial"], "large_scale": True},
        expect={"dpia_required": True},
        reasons=[("dpia_edpb", OBLIGATION, "WP248")],
        absent=["dpia_art35_3b"],
    ),
    *(
        row(
            f"RGPD art. 35(3)(c): large-scale monitoring of a public area (audience {audience}) -> DPIA",
            {**ORDINARY, "systematic_monitoring": True, "audience": audience, "large_scale": True},
            expect={"dpia_required": True},
            reasons=[("dpia_art35_3c", OBLIGATION, "RGPD, art. 35(3)(c)")],
        )
        for audience in ("public", "both")
    ),
    row(
        "RGPD art. 35(3)(c): large-scale monitoring of agents only -> not a publicly accessible area",
        {**ORDINARY, "systematic_monitoring": True, "audience": "agents", "large_scale": True},
        absent=["dpia_art35_3c"],
    ),
    row(
        "RGPD art. 35(3)(c): monitoring of the public, not on a large scale -> not 35(3)(c)",
        {**ORDINARY, "systematic_monitoring": True, "audience": "public"},
        absent=["dpia_art35_3c"],
    ),
    row(
        "EDPB WP248 criterion 3 is never inferred from the technique: OCR of forms (vision) -> no monitoring",
        {**ORDINARY, "technique": "vision", "audience": "public", "large_scale": True},
        expect={"edpb_criteria": ["large_scale", "innovative_technology"], "dpia_required": True},
        absent=["dpia_art35_3c", "dpia_cnil_list"],
    ),
    # No personal data: the RGPD does not apply, whatever the criteria.
    row(
        "RGPD art. 2 and 4(1): no personal data -> never a DPIA, even with every criterion and listed type",
        {
            "personal_data_categories": [],
            "technique": "vision",
            "audience": "public",
            "large_scale": True,
            "profiling": True,
            "dataset_matching": True,
            "annex_iii_point": "4b",
            "individual_decisions": True,
            "automation_level": "determining",
        },
        expect={"dpia_required": False, "edpb_criteria": [], "rgpd_sensitivity": "none"},
        reasons=[("rgpd_none", CLASSIFICATION, "art. 4(1)")],
        absent=DPIA_CODES,
    ),
    row(
        "RGPD art. 4(1): no personal data in social support (5a) -> no CNIL-list DPIA",
        {"personal_data_categories": [], "annex_iii_point": "5a"},
        expect={"dpia_required": False},
        absent=DPIA_CODES,
    ),
]


@pytest.mark.parametrize(("facts", "policy", "expect", "reasons", "absent"), on_base(DPIA_ROWS, RGPD_BASE))
def test_dpia(facts, policy, expect, reasons, absent):
    check(facts, policy, expect, reasons, absent)


def test_dpia_reason_counts_and_names_the_edpb_criteria():
    result = run({**ORDINARY, "technique": "genai_text", "large_scale": True})

    assert dict(reason(result, "dpia_edpb").params) == {
        "count": 2,
        "criteria": ("large_scale", "innovative_technology"),
    }


def test_cnil_list_reason_names_every_listed_type():
    result = run(
        {
            "personal_data_categories": ["location"],
            "large_scale": True,
            "audience": "agents",
            "systematic_monitoring": True,
            "profiling": True,
        }
    )

    assert dict(reason(result, "dpia_cnil_list").params) == {
        "types": ("hr_profiling", "employee_monitoring", "large_scale_location"),
    }
    assert {"dpia_edpb", "dpia_cnil_list"} <= set(codes(result))
