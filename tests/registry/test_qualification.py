"""The guided qualification (DOMAIN.md section 3b): plain facts in, legal inputs out, with the answers and article
behind each, and the questions that go to the DPO. Pure functions: no database.

Each row is named after the mapping of section 3b (and the article it stands for) that it checks.
"""

import pytest

from registry import qualification
from registry.qualification import derive, facts_implied_by, left_out_as_unknown, missing_facts, qualify
from tests.registry.qualification_support import QUIET

ORDINARY = {"personal_data_categories": ["ordinary"]}


def run(facts, given=None):
    return derive({**QUIET, **facts}, given or {})


def value(result, name):
    return {**result.derived, **result.amended}[name].value


def row(mapping, facts, expect, *, given=None, dpo=(), no_dpo=()):
    return pytest.param(facts, given, expect, dpo, no_dpo, id=mapping)


ROWS = [
    # produces_by -> technique (AI Act art. 3(1) and recital 12)
    row(
        "3b produces_by written_rules alone -> rules (not an AI system)",
        {"produces_by": ["written_rules"]},
        {"technique": "rules"},
        no_dpo=["produces_by"],
    ),
    *(
        row(f"3b produces_by {answer} -> {technique}", {"produces_by": [answer]}, {"technique": technique})
        for answer, technique in qualification.TECHNIQUE_ORDER
    ),
    row(
        "3b produces_by: the first AI answer in the order (agentic before text)",
        {"produces_by": ["generates_text", "acts_autonomously", "written_rules"]},
        {"technique": "agentic"},
    ),
    row(
        "3b produces_by: written rules and learned from data -> an AI system (ml_predictive)",
        {"produces_by": ["written_rules", "learned_from_data"]},
        {"technique": "ml_predictive"},
    ),
    row(
        "3b produces_by unknown -> an AI system of unknown technique, the DPO confirms",
        {"produces_by": ["unknown"]},
        {"technique": None},
        dpo=["produces_by"],
    ),
    row("3b produces_by left out -> unknown", {"produces_by": None}, {"technique": None}, dpo=["produces_by"]),
    # keeps_learning_in_use -> self_learning
    row("3b keeps_learning yes -> self_learning", {"keeps_learning_in_use": "yes"}, {"self_learning": True}),
    row(
        "3b keeps_learning unknown -> yes, the DPO confirms",
        {"keeps_learning_in_use": "unknown"},
        {"self_learning": True},
        dpo=["keeps_learning_in_use"],
    ),
    row(
        "3b rules written by people do not learn: the question does not arise",
        {"produces_by": ["written_rules"], "keeps_learning_in_use": None},
        {"technique": "rules", "self_learning": False},
        no_dpo=["keeps_learning_in_use"],
    ),
    row(
        "3b contradiction: rules written by people that keep learning -> an AI system, the DPO confirms",
        {"produces_by": ["written_rules"], "keeps_learning_in_use": "yes"},
        {"technique": None, "self_learning": True},
        dpo=["keeps_learning_in_use"],
    ),
    # policy_areas -> annex_iii_point (AI Act art. 6(2) and Annex III)
    *(
        row(
            f"3b policy area {area} -> Annex III point {point}",
            {"policy_areas": [area], "task_kind": "assesses_or_recommends"},
            {"annex_iii_point": point},
        )
        for area, point in qualification.AREA_POINTS.items()
    ),
    *(
        row(
            f"3b policy area {area} -> no Annex III point",
            {"policy_areas": [area]},
            {"annex_iii_point": None},
            no_dpo=["policy_areas"],
        )
        for area in ("infrastructure_operations", "public_information", "public_communication", "internal_work")
    ),
    row(
        "3b law_enforcement -> 6a until the DPO names the letter",
        {"policy_areas": ["law_enforcement"], "task_kind": "assesses_or_recommends"},
        {"annex_iii_point": "6a"},
        dpo=["policy_areas"],
    ),
    row("3b other -> the DPO confirms", {"policy_areas": ["other"]}, {"annex_iii_point": None}, dpo=["policy_areas"]),
    row(
        "3b several Annex III areas -> the first point other than 2, the DPO confirms",
        {
            "policy_areas": ["critical_infrastructure_safety", "recruitment", "social_benefits"],
            "task_kind": "assesses_or_recommends",
        },
        {"annex_iii_point": "4a"},
        dpo=["policy_areas"],
    ),
    row(
        "3b point 2 with a non-Annex area -> point 2, nothing to confirm",
        {"policy_areas": ["critical_infrastructure_safety", "internal_work"], "task_kind": "assesses_or_recommends"},
        {"annex_iii_point": "2"},
        no_dpo=["policy_areas"],
    ),
    row(
        "3b a rules technique derives no Annex III point, without a DPO question for that alone",
        {"produces_by": ["written_rules"], "policy_areas": ["social_benefits", "recruitment"]},
        {"technique": "rules", "annex_iii_point": None, "art6_3_ground": None},
        no_dpo=["policy_areas", "task_kind"],
    ),
    # safety_component (extension: the follow-up of the infrastructure areas)
    row(
        "safety component yes -> point 2",
        {
            "policy_areas": ["infrastructure_operations"],
            "safety_component": "yes",
            "task_kind": "assesses_or_recommends",
        },
        {"annex_iii_point": "2"},
    ),
    row(
        "safety component no -> operations, no point",
        {"policy_areas": ["critical_infrastructure_safety"], "safety_component": "no"},
        {"annex_iii_point": None},
    ),
    row(
        "safety component unknown -> point 2, the DPO confirms",
        {
            "policy_areas": ["infrastructure_operations"],
            "safety_component": "unknown",
            "task_kind": "assesses_or_recommends",
        },
        {"annex_iii_point": "2"},
        dpo=["safety_component"],
    ),
    # task_kind -> art6_3_ground (AI Act art. 6(3)), only for an Annex III area
    *(
        row(
            f"3b task_kind {task} -> art. 6(3)({ground})",
            {"policy_areas": ["social_benefits"], "task_kind": task},
            {"art6_3_ground": ground},
        )
        for task, ground in qualification.TASK_GROUNDS.items()
    ),
    row(
        "3b task_kind assesses_or_recommends -> no ground",
        {"policy_areas": ["social_benefits"], "task_kind": "assesses_or_recommends"},
        {"art6_3_ground": None},
        no_dpo=["task_kind"],
    ),
    row(
        "3b task_kind unknown -> no ground, the DPO confirms",
        {"policy_areas": ["social_benefits"], "task_kind": "unknown"},
        {"art6_3_ground": None},
        dpo=["task_kind"],
    ),
    row(
        "3b task_kind left out in an Annex III area -> unknown",
        {"policy_areas": ["social_benefits"], "task_kind": None},
        {"art6_3_ground": None},
        dpo=["task_kind"],
    ),
    row(
        "3b task_kind is not read outside an Annex III area",
        {"policy_areas": ["internal_work"], "task_kind": "narrow_procedural"},
        {"art6_3_ground": None},
        no_dpo=["task_kind"],
    ),
    # effect_on_people -> automation_level (RGPD art. 22; CJEU C-634/21)
    *(
        row(
            f"3b effect {effect} -> {level}",
            {"effect_on_people": effect, "decides_on_individual_cases": "yes", "on_administrative_appeals": "no"},
            {"automation_level": level},
        )
        for effect, level in qualification.EFFECT_LEVELS.items()
        if level != "none"
    ),
    row(
        "3b effect no_decision_about_persons -> none",
        {"effect_on_people": "no_decision_about_persons"},
        {"automation_level": "none"},
    ),
    row(
        "3b effect unknown -> determining, the DPO confirms",
        {"effect_on_people": "unknown", "decides_on_individual_cases": "yes", "on_administrative_appeals": "no"},
        {"automation_level": "determining"},
        dpo=["effect_on_people"],
    ),
    row(
        "3b contradiction: decision about a named person, result used for no decision -> assist, the DPO confirms",
        {
            "effect_on_people": "no_decision_about_persons",
            "decides_on_individual_cases": "yes",
            "on_administrative_appeals": "no",
        },
        {"automation_level": "assist", "individual_decisions": True},
        dpo=["effect_on_people"],
    ),
    # yes / no / unknown facts (unknown -> yes)
    row(
        "3b decides_on_individual_cases yes -> individual decisions (CRPA L311-3-1)",
        {
            "decides_on_individual_cases": "yes",
            "effect_on_people": "agent_reexamines_whole_case",
            "on_administrative_appeals": "no",
        },
        {"individual_decisions": True},
    ),
    row(
        "3b decides_on_individual_cases unknown -> yes, the DPO confirms",
        {
            "decides_on_individual_cases": "unknown",
            "effect_on_people": "agent_reexamines_whole_case",
            "on_administrative_appeals": "no",
        },
        {"individual_decisions": True},
        dpo=["decides_on_individual_cases"],
    ),
    row(
        "3b on_administrative_appeals yes -> appeals (LIL art. 47)",
        {
            "decides_on_individual_cases": "yes",
            "effect_on_people": "agent_reexamines_whole_case",
            "on_administrative_appeals": "yes",
        },
        {"administrative_appeal": True},
    ),
    row(
        "3b on_administrative_appeals unknown -> yes, the DPO confirms",
        {
            "decides_on_individual_cases": "yes",
            "effect_on_people": "agent_reexamines_whole_case",
            "on_administrative_appeals": "unknown",
        },
        {"administrative_appeal": True},
        dpo=["on_administrative_appeals"],
    ),
    row(
        "3b on_administrative_appeals is not read without individual decisions",
        {"decides_on_individual_cases": "no", "on_administrative_appeals": "yes"},
        {"administrative_appeal": False},
        no_dpo=["on_administrative_appeals"],
    ),
    row("3b assesses_persons yes -> profiling", {"assesses_persons": "yes"}, {"profiling": True}, given=ORDINARY),
    row(
        "3b assesses_persons unknown -> profiling, the DPO confirms",
        {"assesses_persons": "unknown"},
        {"profiling": True},
        given=ORDINARY,
        dpo=["assesses_persons"],
    ),
    row(
        "3b watches_people yes -> systematic monitoring (WP248 criterion 3)",
        {"watches_people": "yes"},
        {"systematic_monitoring": True},
        given=ORDINARY,
    ),
    row(
        "3b watches_people unknown -> monitoring, the DPO confirms",
        {"watches_people": "unknown"},
        {"systematic_monitoring": True},
        given=ORDINARY,
        dpo=["watches_people"],
    ),
    row(
        "reading: without personal data nobody is assessed or watched -> the unknown does not arise",
        {"assesses_persons": "unknown", "watches_people": "unknown"},
        {"profiling": False, "systematic_monitoring": False},
        no_dpo=["assesses_persons", "watches_people"],
    ),
    row(
        "contradiction: assessing people with no personal data -> ordinary personal data, the DPO confirms",
        {"assesses_persons": "yes"},
        {"profiling": True, "personal_data_categories": ["ordinary"]},
        dpo=["assesses_persons"],
    ),
    # ce_marked_product -> annex_i_product (AI Act art. 6(1), Annex I)
    row(
        "3b ce_marked_product notified_body -> Annex I product",
        {"ce_marked_product": "notified_body"},
        {"annex_i_product": True},
    ),
    row(
        "3b ce_marked_product self_certified -> not Annex I",
        {"ce_marked_product": "self_certified"},
        {"annex_i_product": False},
    ),
    row(
        "3b ce_marked_product unknown -> false, the DPO confirms",
        {"ce_marked_product": "unknown"},
        {"annex_i_product": False},
        dpo=["ce_marked_product"],
    ),
    # origin -> ai_act_role (AI Act art. 3(3), 25(1))
    row("3b origin built_for_us -> provider", {"origin": "built_for_us"}, {"ai_act_role": "provider"}),
    row(
        "3b origin vendor_as_intended -> deployer",
        {"origin": "vendor_as_intended", "policy_areas": ["recruitment"], "task_kind": "assesses_or_recommends"},
        {"ai_act_role": "deployer"},
    ),
    *(
        row(
            f"3b origin {origin}, high risk -> provider (art. 25(1))",
            {"origin": origin, "policy_areas": ["recruitment"], "task_kind": "assesses_or_recommends"},
            {"ai_act_role": "provider"},
        )
        for origin in ("vendor_repurposed", "substantially_modified")
    ),
    *(
        row(f"3b origin {origin}, not high risk -> deployer", {"origin": origin}, {"ai_act_role": "deployer"})
        for origin in ("vendor_repurposed", "substantially_modified")
    ),
    row(
        "3b origin unknown, high risk -> provider, the DPO confirms",
        {"origin": "unknown", "policy_areas": ["recruitment"], "task_kind": "assesses_or_recommends"},
        {"ai_act_role": "provider"},
        dpo=["origin"],
    ),
    # sensitive_contexts -> care_context and the CNIL's list
    row(
        "3b sensitive care -> care context (CSP L1111-8)",
        {"sensitive_contexts": ["care"]},
        {"care_context": True, "cnil_list_types": []},
        given={"personal_data_categories": ["health"]},
    ),
    row(
        "contradiction: care without health data -> health data, the DPO confirms",
        {"sensitive_contexts": ["care"]},
        {"care_context": True, "personal_data_categories": ["health"]},
        dpo=["sensitive_contexts"],
    ),
    *(
        row(
            f"3b sensitive {context} -> CNIL {cnil}",
            {"sensitive_contexts": [context]},
            {"cnil_list_types": [cnil]},
            given=ORDINARY,
        )
        for context, cnil in qualification.CONTEXT_CNIL.items()
    ),
    row(
        "3b contract_exclusion with profiling -> CNIL profiling_contract_exclusion",
        {"sensitive_contexts": ["contract_exclusion"], "assesses_persons": "yes"},
        {"cnil_list_types": ["profiling_contract_exclusion"]},
        given=ORDINARY,
    ),
    row(
        "3b contract_exclusion without profiling -> the DPO decides",
        {"sensitive_contexts": ["contract_exclusion"]},
        {"cnil_list_types": []},
        given=ORDINARY,
        dpo=["sensitive_contexts"],
    ),
    row(
        "3b sensitive none -> no CNIL type",
        {"sensitive_contexts": ["none"]},
        {"cnil_list_types": [], "care_context": False},
        given=ORDINARY,
        no_dpo=["sensitive_contexts"],
    ),
    row(
        "3b sensitive_contexts left out -> the DPO confirms",
        {"sensitive_contexts": None},
        {"cnil_list_types": []},
        given=ORDINARY,
        dpo=["sensitive_contexts"],
    ),
    # affects -> audience
    *(
        row(f"3b affects {answer}", {"affects": answer}, {"audience": answer})
        for answer in ("agents", "public", "both")
    ),
    row("3b affects unknown -> both, the DPO confirms", {"affects": "unknown"}, {"audience": "both"}, dpo=["affects"]),
    # emotion recognition at work or in education (AI Act art. 5(1)(f))
    row(
        "3b emotion_recognition affecting agents -> art. 5(1)(f), the DPO asks for a medical or safety purpose",
        {"policy_areas": ["emotion_recognition"], "affects": "agents", "task_kind": "assesses_or_recommends"},
        {"art5_practices": ["f"]},
        dpo=["policy_areas"],
    ),
    row(
        "3b emotion_recognition in education -> art. 5(1)(f)",
        {
            "policy_areas": ["emotion_recognition", "education_assessment"],
            "affects": "public",
            "task_kind": "assesses_or_recommends",
        },
        {"art5_practices": ["f"]},
        dpo=["policy_areas"],
    ),
    row(
        "3b emotion_recognition of the public elsewhere -> Annex III 1(c), not prohibited",
        {"policy_areas": ["emotion_recognition"], "affects": "public", "task_kind": "assesses_or_recommends"},
        {"annex_iii_point": "1c"},
        no_dpo=["policy_areas"],
    ),
]


@pytest.mark.parametrize(("facts", "given", "expect", "dpo", "no_dpo"), ROWS)
def test_each_mapping_of_section_3b(facts, given, expect, dpo, no_dpo):
    result = run(facts, given)

    assert {name: value(result, name) for name in expect} == expect
    assert set(dpo) <= set(result.needs_dpo), result.needs_dpo
    assert not set(no_dpo) & set(result.needs_dpo), result.needs_dpo


def test_every_derived_value_names_the_answers_it_comes_from_and_an_article():
    result = run({"policy_areas": ["social_benefits"], "task_kind": "assesses_or_recommends"})

    point = result.derived["annex_iii_point"]
    assert point.value == "5a"
    assert [because.fact for because in point.because] == ["policy_areas"]
    assert point.because[0].text == qualification.FACTS_BY_NAME["policy_areas"].label_of("social_benefits")
    for name in qualification.DERIVED_INPUTS:
        assert qualification.INPUT_ARTICLES[name], name


def test_a_fully_unknown_questionnaire_never_gives_the_least_demanding_qualification():
    result = derive({}, {"personal_data_categories": ["ordinary"]})

    inputs = result.inputs()
    assert inputs["technique"] is None  # an AI system
    assert inputs["automation_level"] == "determining"
    assert inputs["individual_decisions"] is True
    assert inputs["administrative_appeal"] is True
    assert inputs["profiling"] is True and inputs["systematic_monitoring"] is True
    assert inputs["audience"] == "both"
    assert {"produces_by", "effect_on_people", "decides_on_individual_cases", "affects", "origin"} <= set(
        result.needs_dpo
    )


def test_left_out_answers_become_i_dont_know_and_closed_follow_ups_stay_closed():
    answers = left_out_as_unknown({"produces_by": ["written_rules"], "decides_on_individual_cases": "no"})

    assert answers["affects"] == "unknown"
    assert answers["policy_areas"] == ["other"]
    assert answers["sensitive_contexts"] == ["unknown"]
    assert "keeps_learning_in_use" not in answers  # rules written by people: not asked
    assert "on_administrative_appeals" not in answers  # no individual decision: not asked


def test_stored_inputs_are_kept_while_their_facts_are_missing():
    # Given a use case recorded before the questionnaire: an Annex III point and no answer about the area
    stored = {"technique": "ml_predictive", "annex_iii_point": "5b", "audience": "public", "automation_level": "assist"}
    facts = facts_implied_by(stored)

    outcome = qualify(facts, {}, stored=stored)

    # Then its recorded point stays (no fact gives 5b), and the facts to complete are listed; no DPO question
    assert "policy_areas" not in facts
    assert outcome.inputs["annex_iii_point"] == "5b"
    assert outcome.sources["annex_iii_point"] == qualification.STORED_SOURCE
    assert outcome.sources["technique"] == qualification.FACTS_SOURCE
    assert {"policy_areas", "origin", "sensitive_contexts"} <= set(outcome.missing)
    assert outcome.questions == []


def test_an_override_wins_and_is_flagged_when_the_facts_derive_something_else():
    facts = {**QUIET, "policy_areas": ["law_enforcement"], "task_kind": "assesses_or_recommends"}
    override = {"annex_iii_point": {"value": "6d", "justification": "Risque de récidive", "derived": "6a"}}

    outcome = qualify(facts, {}, overrides=override)
    assert outcome.inputs["annex_iii_point"] == "6d"
    assert outcome.sources["annex_iii_point"] == qualification.OVERRIDE_SOURCE
    assert "policy_areas" not in outcome.needs_dpo  # the override answers the question
    assert outcome.overrides_to_review == []

    changed = qualify({**facts, "policy_areas": ["social_benefits"]}, {}, overrides=override)
    assert changed.inputs["annex_iii_point"] == "6d"
    assert changed.overrides_to_review == ["annex_iii_point"]


def test_the_migration_mapping_fills_only_one_to_one_facts():
    implied = facts_implied_by(
        {
            "technique": "rules",
            "annex_iii_point": "5a",
            "art6_3_ground": "d",
            "automation_level": "determining",
            "individual_decisions": True,
            "administrative_appeal": False,
            "profiling": False,
            "systematic_monitoring": False,
            "annex_i_product": False,
            "audience": "public",
        }
    )

    assert implied == {
        "produces_by": ["written_rules"],
        "policy_areas": ["social_benefits"],
        "task_kind": "prepares_file_for_agent",
        "effect_on_people": "agent_usually_follows",
        "decides_on_individual_cases": "yes",
        "assesses_persons": "no",
        "watches_people": "no",
        "on_administrative_appeals": "no",
        "affects": "public",
    }
    # Not one-to-one: origin (deployer may be several answers), the CE marking (false: no or self-certified), the
    # sensitive contexts: left for the owner.
    assert {"origin", "ce_marked_product", "sensitive_contexts"} <= set(missing_facts(implied))
