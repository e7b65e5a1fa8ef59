"""POST /api/v1/qualify/: plain facts in, legal qualification out (DOMAIN.md 3b), saving nothing.

Every mapping of section 3b is checked through the API, one row each, named after the fact, the answer and the
article the derived input stands for; then the journeys of issue 16 as a head of service would answer them.
"""

import pytest

from core.roles import Role
from registry import qualification
from registry.models import Tool, UseCase, UseCaseEvent
from tests.registry.factories import MembershipFactory, ToolFactory, UserFactory
from tests.registry.qualification_support import QUIET
from tests.web.helpers import fr

URL = "/api/v1/qualify/"

ORDINARY = {"personal_data_categories": ["ordinary"]}
# A decision about named persons, re-examined by an agent: the quiet answers of the decision questions.
DECIDES = {
    "decides_on_individual_cases": "yes",
    "on_administrative_appeals": "no",
    "effect_on_people": "agent_reexamines_whole_case",
}
ARTICLE = {
    "technique": "AI Act art. 3(1)",
    "self_learning": "CC 2018-765 DC",
    "annex_iii_point": "AI Act art. 6(2), Annex III",
    "art6_3_ground": "AI Act art. 6(3)",
    "automation_level": "RGPD art. 22, CJEU C-634/21",
    "individual_decisions": "CRPA L311-3-1",
    "administrative_appeal": "LIL art. 47",
    "profiling": "RGPD art. 4(4)",
    "systematic_monitoring": "WP248 criterion 3",
    "annex_i_product": "AI Act art. 6(1), Annex I",
    "ai_act_role": "AI Act art. 3(3), 25(1)",
    "care_context": "CSP L1111-8",
    "cnil_list_types": "CNIL 2018-327",
    "audience": "AI Act art. 26(7)",
    "art5_practices": "AI Act art. 5(1)(f)",
    "personal_data_categories": "RGPD art. 9",
}


@pytest.fixture
def client(collectivite, services, api_for):
    """A head of service of the collectivité (any member may qualify)."""
    user = UserFactory(username="chef-qualif")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.HEAD_OF_SERVICE, service=services["ccas"])
    return api_for(user)


def ask(client, facts, given=None, *, quiet=True):
    """The answer of /qualify/ to the quiet answers changed by `facts` (None: the question left out)."""
    payload = {**(QUIET if quiet else {}), **facts}
    payload = {name: value for name, value in payload.items() if value is not None}
    response = client.post(URL, {**payload, **(given or {})}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def row(fact, answer, expect, *, facts=None, given=None, dpo=(), label=None):
    """One mapping: `fact` answered `answer` (with `facts` around it) gives `expect`; `dpo`: exactly the questions
    that go to the DPO. Its id names the fact, the answer and the article of what it derives."""
    name = next(iter(expect))
    input_name = name.removeprefix("classification.")
    article = ARTICLE.get(input_name, "")
    ident = label or f"{fact}={answer} -> {name} {expect[name]} ({article})"
    if dpo:
        ident += " + DPO"
    answers = {fact: answer, **(facts or {})} if fact else dict(facts or {})
    return pytest.param(answers, given, expect, sorted(dpo), id=ident)


ROWS = [
    # produces_by -> technique (AI Act art. 3(1) and recital 12) ----------------------------------------------------
    row("produces_by", ["written_rules"], {"technique": "rules"}, facts={"keeps_learning_in_use": None}),
    *(row("produces_by", [answer], {"technique": technique}) for answer, technique in qualification.TECHNIQUE_ORDER),
    row(
        "produces_by",
        ["written_rules", "learned_from_data", "generates_text", "acts_autonomously"],
        {"technique": "agentic"},
        label="produces_by order: acts_autonomously first -> agentic (AI Act art. 3(1))",
    ),
    row(
        "produces_by",
        ["reasons_on_knowledge_base", "learned_from_data", "recognises_speech", "recognises_images"],
        {"technique": "vision"},
        label="produces_by order: recognises_images before speech, data, knowledge -> vision (AI Act art. 3(1))",
    ),
    row(
        "produces_by",
        ["generates_text", "generates_images_audio_video"],
        {"technique": "genai_media"},
        label="produces_by order: images before text -> genai_media (AI Act art. 3(1))",
    ),
    row(
        "produces_by",
        ["written_rules", "reasons_on_knowledge_base"],
        {"technique": "expert_system"},
        label="produces_by written_rules with an AI answer -> the AI answer (AI Act art. 3(1))",
    ),
    row("produces_by", ["unknown"], {"technique": None, "classification.ai_system": True}, dpo=["produces_by"]),
    row(
        "produces_by",
        None,
        {"technique": None},
        dpo=["produces_by"],
        label="produces_by left out -> technique null, an AI system (AI Act art. 3(1))",
    ),
    # keeps_learning_in_use -> self_learning (CC 2018-765 DC) -------------------------------------------------------
    row("keeps_learning_in_use", "yes", {"self_learning": True}),
    row("keeps_learning_in_use", "no", {"self_learning": False}),
    row("keeps_learning_in_use", "unknown", {"self_learning": True}, dpo=["keeps_learning_in_use"]),
    # policy_areas -> annex_iii_point (AI Act art. 6(2) and Annex III) ----------------------------------------------
    *(
        row(
            "policy_areas",
            [area],
            {"annex_iii_point": point},
            facts={"task_kind": "assesses_or_recommends", "affects": "public"},
            dpo=["policy_areas"] if area == "law_enforcement" else [],
        )
        for area, point in qualification.AREA_POINTS.items()
    ),
    *(
        row("policy_areas", [area], {"annex_iii_point": None})
        for area in ("infrastructure_operations", "public_information", "public_communication", "internal_work")
    ),
    row("policy_areas", ["other"], {"annex_iii_point": None}, dpo=["policy_areas"]),
    row(
        "policy_areas",
        ["critical_infrastructure_safety", "recruitment", "social_benefits"],
        {"annex_iii_point": "4a"},
        facts={"task_kind": "assesses_or_recommends", "safety_component": "yes"},
        dpo=["policy_areas"],
        label="policy_areas several -> the first point other than 2: 4a (AI Act art. 6(2), Annex III)",
    ),
    row(
        "policy_areas",
        ["social_benefits", "elections"],
        {"annex_iii_point": "5a"},
        facts={"task_kind": "assesses_or_recommends"},
        dpo=["policy_areas"],
        label="policy_areas several -> in Annex III order: 5a before 8b (AI Act art. 6(2), Annex III)",
    ),
    row(
        "policy_areas",
        ["critical_infrastructure_safety", "internal_work"],
        {"annex_iii_point": "2"},
        facts={"task_kind": "assesses_or_recommends", "safety_component": "yes"},
        label="policy_areas point 2 with an area outside Annex III -> 2 (AI Act art. 6(2), Annex III)",
    ),
    row(
        "policy_areas",
        ["social_benefits", "recruitment"],
        {"annex_iii_point": None, "art6_3_ground": None, "classification.ai_act_risk": "out_of_scope"},
        facts={"produces_by": ["written_rules"], "keeps_learning_in_use": None},
        label="policy_areas with rules written by agents -> no point, no DPO question (AI Act art. 3(1))",
    ),
    # safety_component: the follow-up of the infrastructure areas (point 2) -----------------------------------------
    row(
        "safety_component",
        "yes",
        {"annex_iii_point": "2"},
        facts={"policy_areas": ["infrastructure_operations"], "task_kind": "assesses_or_recommends"},
    ),
    row(
        "safety_component",
        "no",
        {"annex_iii_point": None},
        facts={"policy_areas": ["critical_infrastructure_safety"]},
    ),
    row(
        "safety_component",
        "unknown",
        {"annex_iii_point": "2"},
        facts={"policy_areas": ["infrastructure_operations"], "task_kind": "assesses_or_recommends"},
        dpo=["safety_component"],
    ),
    row(
        "safety_component",
        None,
        {"annex_iii_point": "2"},
        facts={"policy_areas": ["critical_infrastructure_safety"], "task_kind": "assesses_or_recommends"},
        label="safety_component left out, the area says safety component -> 2 (AI Act art. 6(2), Annex III)",
    ),
    row(
        "safety_component",
        "yes",
        {"annex_iii_point": None},
        facts={"policy_areas": ["internal_work"]},
        label="safety_component is not read outside infrastructure -> no point (AI Act art. 6(2), Annex III)",
    ),
    # task_kind -> art6_3_ground (AI Act art. 6(3)), only read for an Annex III area ---------------------------------
    *(
        row("task_kind", task, {"art6_3_ground": ground}, facts={"policy_areas": ["social_benefits"]})
        for task, ground in qualification.TASK_GROUNDS.items()
    ),
    row(
        "task_kind",
        "assesses_or_recommends",
        {"art6_3_ground": None},
        facts={"policy_areas": ["social_benefits"]},
    ),
    row(
        "task_kind",
        "unknown",
        {"art6_3_ground": None},
        facts={"policy_areas": ["social_benefits"]},
        dpo=["task_kind"],
    ),
    row(
        "task_kind",
        None,
        {"art6_3_ground": None},
        facts={"policy_areas": ["recruitment"]},
        dpo=["task_kind"],
        label="task_kind left out in an Annex III area -> no ground (AI Act art. 6(3))",
    ),
    row(
        "task_kind",
        "narrow_procedural",
        {"art6_3_ground": None},
        facts={"policy_areas": ["internal_work"]},
        label="task_kind is not read outside an Annex III area -> no ground (AI Act art. 6(3))",
    ),
    row(
        "task_kind",
        None,
        {"art6_3_ground": None},
        facts={"policy_areas": ["public_information"]},
        label="task_kind left out outside an Annex III area -> no question (AI Act art. 6(3))",
    ),
    # effect_on_people -> automation_level (RGPD art. 22; CJEU C-634/21) --------------------------------------------
    row("effect_on_people", "no_decision_about_persons", {"automation_level": "none"}),
    *(
        row("effect_on_people", effect, {"automation_level": level}, facts={**DECIDES, "effect_on_people": effect})
        for effect, level in qualification.EFFECT_LEVELS.items()
        if effect not in ("no_decision_about_persons", "unknown")
    ),
    row(
        "effect_on_people",
        "unknown",
        {"automation_level": "determining"},
        facts={**DECIDES, "effect_on_people": "unknown"},
        dpo=["effect_on_people"],
    ),
    # yes / no / unknown facts (unknown -> yes) ------------------------------------------------------------------------
    row("decides_on_individual_cases", "yes", {"individual_decisions": True}, facts=DECIDES),
    row("decides_on_individual_cases", "no", {"individual_decisions": False}),
    row(
        "decides_on_individual_cases",
        "unknown",
        {"individual_decisions": True},
        facts={**DECIDES, "decides_on_individual_cases": "unknown"},
        dpo=["decides_on_individual_cases"],
    ),
    row(
        "on_administrative_appeals",
        "yes",
        {"administrative_appeal": True},
        facts={**DECIDES, "on_administrative_appeals": "yes"},
    ),
    row("on_administrative_appeals", "no", {"administrative_appeal": False}, facts=DECIDES),
    row(
        "on_administrative_appeals",
        "unknown",
        {"administrative_appeal": True},
        facts={**DECIDES, "on_administrative_appeals": "unknown"},
        dpo=["on_administrative_appeals"],
    ),
    row(
        "on_administrative_appeals",
        "yes",
        {"administrative_appeal": False},
        label="on_administrative_appeals is not read without individual decisions (LIL art. 47)",
    ),
    row("assesses_persons", "yes", {"profiling": True}, given=ORDINARY),
    row("assesses_persons", "no", {"profiling": False}, given=ORDINARY),
    row("assesses_persons", "unknown", {"profiling": True}, given=ORDINARY, dpo=["assesses_persons"]),
    row("watches_people", "yes", {"systematic_monitoring": True}, given=ORDINARY),
    row("watches_people", "no", {"systematic_monitoring": False}, given=ORDINARY),
    row("watches_people", "unknown", {"systematic_monitoring": True}, given=ORDINARY, dpo=["watches_people"]),
    row(
        "assesses_persons",
        "yes",
        {"profiling": True, "personal_data_categories": ["ordinary"]},
        dpo=["assesses_persons"],
        label="assesses_persons=yes without personal data -> profiling of ordinary data (RGPD art. 4(4))",
    ),
    # ce_marked_product -> annex_i_product (AI Act art. 6(1) and Annex I) -------------------------------------------
    row("ce_marked_product", "notified_body", {"annex_i_product": True, "classification.ai_act_risk": "high"}),
    row("ce_marked_product", "self_certified", {"annex_i_product": False}),
    row("ce_marked_product", "no", {"annex_i_product": False}),
    row(
        "ce_marked_product",
        "unknown",
        {"annex_i_product": False, "classification.ai_act_risk": "minimal"},
        dpo=["ce_marked_product"],
    ),
    # origin -> ai_act_role (AI Act art. 3(3), 25(1)) ------------------------------------------------------------------
    row("origin", "built_for_us", {"ai_act_role": "provider"}),
    row(
        "origin",
        "vendor_as_intended",
        {"ai_act_role": "deployer", "classification.ai_act_risk": "high"},
        facts={"policy_areas": ["recruitment"], "task_kind": "assesses_or_recommends"},
        label="origin=vendor_as_intended, high risk -> deployer (AI Act art. 3(4))",
    ),
    *(
        row(
            "origin",
            origin,
            {"ai_act_role": "provider"},
            facts={"policy_areas": ["recruitment"], "task_kind": "assesses_or_recommends"},
            dpo=["origin"] if origin == "unknown" else [],
            label=f"origin={origin}, high risk -> provider (AI Act art. 25(1))",
        )
        for origin in ("vendor_repurposed", "substantially_modified", "unknown")
    ),
    *(
        row(
            "origin",
            origin,
            {"ai_act_role": "deployer"},
            dpo=["origin"] if origin == "unknown" else [],
            label=f"origin={origin}, not high risk -> deployer (AI Act art. 25(1))",
        )
        for origin in ("vendor_repurposed", "substantially_modified", "unknown")
    ),
    # sensitive_contexts -> care_context and the CNIL's list (délibération 2018-327) ---------------------------------
    row(
        "sensitive_contexts",
        ["care"],
        {"care_context": True, "classification.cnil_list_types": ["health_care_establishment"]},
        given={"personal_data_categories": ["health"], "hosting_zone": "fr", "hosting_qualification": "hds"},
    ),
    row(
        "sensitive_contexts",
        ["care"],
        {"care_context": True, "personal_data_categories": ["ordinary", "health"]},
        given=ORDINARY,
        dpo=["sensitive_contexts"],
        label="sensitive_contexts=care without health data -> health data added (CSP L1111-8)",
    ),
    *(
        row("sensitive_contexts", [context], {"cnil_list_types": [cnil]}, given=ORDINARY)
        for context, cnil in qualification.CONTEXT_CNIL.items()
    ),
    row(
        "sensitive_contexts",
        ["contract_exclusion"],
        {"cnil_list_types": ["profiling_contract_exclusion"]},
        facts={"assesses_persons": "yes"},
        given=ORDINARY,
    ),
    row(
        "sensitive_contexts",
        ["contract_exclusion"],
        {"cnil_list_types": []},
        given=ORDINARY,
        dpo=["sensitive_contexts"],
        label="sensitive_contexts=contract_exclusion without profiling -> no CNIL type (CNIL 2018-327)",
    ),
    row("sensitive_contexts", ["none"], {"cnil_list_types": [], "care_context": False}, given=ORDINARY),
    row("sensitive_contexts", ["unknown"], {"care_context": False}, given=ORDINARY, dpo=["sensitive_contexts"]),
    row(
        "sensitive_contexts",
        None,
        {"cnil_list_types": []},
        given=ORDINARY,
        dpo=["sensitive_contexts"],
        label="sensitive_contexts left out -> the DPO confirms (CNIL 2018-327)",
    ),
    # affects -> audience ---------------------------------------------------------------------------------------------
    *(row("affects", answer, {"audience": answer}) for answer in ("agents", "public", "both")),
    row("affects", "unknown", {"audience": "both"}, dpo=["affects"]),
    # emotion recognition at work or in education (AI Act art. 5(1)(f)) ----------------------------------------------
    *(
        row(
            "policy_areas",
            ["emotion_recognition"],
            {"art5_practices": ["f"], "classification.ai_act_risk": "prohibited"},
            facts={"affects": affects, "task_kind": "assesses_or_recommends"},
            dpo=["policy_areas"],
            label=f"policy_areas=emotion_recognition, affects={affects} -> art5 f (AI Act art. 5(1)(f))",
        )
        for affects in ("agents", "both")
    ),
    row(
        "policy_areas",
        ["emotion_recognition", "education_assessment"],
        {"art5_practices": ["f"], "classification.ai_act_risk": "prohibited"},
        facts={"affects": "public", "task_kind": "assesses_or_recommends"},
        dpo=["policy_areas"],
        label="policy_areas=emotion_recognition in education -> art5 f (AI Act art. 5(1)(f))",
    ),
    row(
        "policy_areas",
        ["emotion_recognition"],
        {"annex_iii_point": "1c", "classification.ai_act_risk": "high"},
        facts={"affects": "public", "task_kind": "assesses_or_recommends"},
        label="policy_areas=emotion_recognition of the public -> 1c, not prohibited (AI Act art. 6(2), Annex III)",
    ),
]


def _value(body, name):
    if name.startswith("classification."):
        return body["classification"][name.removeprefix("classification.")]
    return body["derived"][name]["value"]


@pytest.mark.parametrize(("facts", "given", "expect", "dpo"), ROWS)
def test_each_mapping_of_section_3b(client, facts, given, expect, dpo):
    body = ask(client, facts, given)

    assert {name: _value(body, name) for name in expect} == expect
    assert sorted(body["needs_dpo"]) == dpo
    for name in expect:
        if not name.startswith("classification."):
            # Each derived value carries the article it stands for
            assert body["derived"][name]["article"] == str(qualification.INPUT_ARTICLES[name])


def test_the_quiet_answers_need_no_confirmation(client):
    body = ask(client, {})
    assert body["needs_dpo"] == [] and body["needs_dpo_details"] == []
    assert set(body["derived"]) == set(qualification.DERIVED_INPUTS)
    assert body["classification"]["ai_act_risk"] == "minimal"


def test_each_derived_input_says_why_with_the_answers_in_plain_words(client):
    # Given an aid decided with a score: « Annexe III, point 5 a) — parce que : l'outil aide à décider... »
    body = ask(client, {"policy_areas": ["social_benefits"], "task_kind": "assesses_or_recommends"})

    point = body["derived"]["annex_iii_point"]
    assert point["value"] == "5a"
    assert point["article"] == str(qualification.INPUT_ARTICLES["annex_iii_point"])
    fact = qualification.FACTS_BY_NAME["policy_areas"]
    assert point["because"] == [
        {"fact": "policy_areas", "answer": ["social_benefits"], "text": fact.label_of("social_benefits")}
    ]
    assert body["derived"]["technique"]["because"][0]["fact"] == "produces_by"


def test_several_annex_iii_areas_are_all_named_and_the_dpo_confirms(client):
    areas = ["critical_infrastructure_safety", "recruitment", "social_benefits"]
    body = ask(client, {"policy_areas": areas, "safety_component": "yes", "task_kind": "assesses_or_recommends"})

    point = body["derived"]["annex_iii_point"]
    assert point["value"] == "4a"  # the first point other than 2, in the order of Annex III
    named = {code for because in point["because"] for code in because["answer"]}
    assert set(areas) <= named
    [detail] = body["needs_dpo_details"]
    assert detail["question"] == "policy_areas"
    assert detail["reason"] == qualification.REASON_CONFIRM
    assert detail["inputs"] == ["annex_iii_point"]
    assert detail["text"] == str(qualification.FACTS_BY_NAME["policy_areas"].question)


def test_a_fully_unknown_questionnaire_gives_the_most_demanding_plausible_qualification(client):
    # Nothing answered but personal data: every question left out counts as « Je ne sais pas »
    body = ask(client, {}, ORDINARY, quiet=False)

    derived = {name: item["value"] for name, item in body["derived"].items()}
    assert derived["technique"] is None  # an AI system whose technique the DPO confirms
    assert derived["automation_level"] == "determining"
    assert derived["individual_decisions"] is True and derived["administrative_appeal"] is True
    assert derived["profiling"] is True and derived["systematic_monitoring"] is True
    assert derived["self_learning"] is True
    assert derived["audience"] == "both"
    assert {
        "produces_by",
        "keeps_learning_in_use",
        "origin",
        "ce_marked_product",
        "affects",
        "policy_areas",
        "effect_on_people",
        "decides_on_individual_cases",
        "on_administrative_appeals",
        "assesses_persons",
        "watches_people",
        "sensitive_contexts",
    } <= set(body["needs_dpo"])
    assert [detail["question"] for detail in body["needs_dpo_details"]] == body["needs_dpo"]
    assert {detail["reason"] for detail in body["needs_dpo_details"]} <= {"unknown", "contradictory", "confirm"}
    # A determining automated decision on personal data: an impact assessment, the CRPA mention
    assert body["classification"]["dpia_required"] is True
    assert body["classification"]["crpa_mention_required"] is True


def test_the_classification_is_exactly_what_classify_answers_for_the_derived_inputs(client, collectivite):
    facts = {
        "produces_by": ["learned_from_data"],
        "policy_areas": ["social_benefits"],
        "task_kind": "prepares_file_for_agent",
        "affects": "public",
        **DECIDES,
        "assesses_persons": "unknown",
        "origin": "unknown",
    }
    given = {"personal_data_categories": ["financial"], "hosting_zone": "fr", "large_scale": True}
    body = ask(client, facts, given)

    legal = {name: item["value"] for name, item in body["derived"].items()}
    classified = client.post("/api/v1/classify/", {**given, **legal}, format="json")
    assert classified.status_code == 200, classified.json()
    assert body["classification"] == classified.json()


def test_a_section_2_answer_left_out_takes_its_default(client):
    body = ask(client, {"watches_people": "yes"}, {"personal_data_categories": ["location"]})
    classification = body["classification"]
    # hosting_zone "unknown" by default: the transfer warning on personal data
    assert "warn_transfer" in {reason["code"] for reason in classification["reasons"]}
    assert "employee_monitoring" in classification["cnil_list_types"]  # agents watched (CNIL 2018-327)


def test_the_tool_brings_its_hosting_and_its_limits(client, collectivite):
    tool = ToolFactory(collectivite=collectivite, hosting_zone="fr", max_data_classification="C1")

    hosted = ask(client, {}, {**ORDINARY, "tool": tool.pk})
    over = ask(client, {}, {**ORDINARY, "max_data_classification": "C2", "hosting_zone": "non_eu", "tool": tool.pk})

    # Hosted in France by the tool: no transfer warning (the default "unknown" hosting would give one)
    assert "warn_transfer" not in {reason["code"] for reason in hosted["classification"]["reasons"]}
    assert hosted["classification"]["blocked"] is False
    # The answers prevail over the tool's hosting; C2 data into a tool allowed up to C1 is blocked
    codes = {reason["code"] for reason in over["classification"]["reasons"]}
    assert {"warn_transfer", "block_tool_classification"} <= codes
    assert over["classification"]["blocked"] is True


# Who may ask, what is refused, nothing saved ----------------------------------------------------------------------
def counts():
    return UseCase.objects.count(), UseCaseEvent.objects.count(), UseCase.history.count(), Tool.objects.count()


@pytest.mark.parametrize("role", ["agent", "chef", "dpo", "rssi", "comite", "dgs", "admin"])
def test_every_member_may_qualify_and_nothing_is_saved(users, api_for, role):
    before = counts()
    response = api_for(users[role]).post(URL, QUIET, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"derived", "classification", "needs_dpo", "needs_dpo_details"}
    assert counts() == before


def test_signed_out_or_without_a_role_is_refused(anonymous, api_for, no_role_user):
    assert anonymous.post(URL, QUIET, format="json").status_code == 401
    assert api_for(no_role_user).post(URL, QUIET, format="json").status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("produces_by", ["guessing"], "written_rules, learned_from_data, generates_text"),
        ("policy_areas", ["social_benefits", "parking"], "social_benefits, recruitment"),
        ("effect_on_people", "sometimes", "no_decision_about_persons, agent_reexamines_whole_case"),
        ("decides_on_individual_cases", "maybe", "yes, no, unknown"),
        ("origin", "stolen", "vendor_as_intended, vendor_repurposed, built_for_us"),
        ("sensitive_contexts", ["prison"], "care, social_support, social_housing"),
        ("safety_component", "perhaps", "yes, no, unknown"),
        ("hosting_zone", "moon", "on_premise, fr, eu, non_eu, unknown"),
        ("personal_data_categories", ["gossip"], "ordinary, financial"),
    ],
)
def test_an_unknown_code_is_a_400_naming_the_field_and_the_allowed_values(client, field, value, allowed):
    before = counts()
    response = client.post(URL, {**QUIET, field: value}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Certains champs ne sont pas valides."
    assert list(body["errors"]) == [field]
    [message] = body["errors"][field]
    assert "n'est pas un code autorisé" in message and allowed in message
    assert counts() == before


def test_a_single_code_where_several_are_expected_is_refused(client):
    response = client.post(URL, {**QUIET, "produces_by": "generates_text"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["produces_by"]


def test_a_derived_legal_input_is_not_an_answer_of_qualify(client):
    # The facts derive the Annex III point: given directly it is ignored (the DPO sets it on a use case, justified)
    body = ask(client, {"annex_iii_point": "5a"})
    assert body["derived"]["annex_iii_point"]["value"] is None


def test_null_or_empty_answers_count_as_left_out(client):
    body = ask(client, {"affects": None, "origin": "", "produces_by": []})
    assert {"affects", "origin", "produces_by"} <= set(body["needs_dpo"])


def test_an_incoherent_direct_answer_is_refused_as_classify_refuses_it(client):
    # Large scale without personal data (DOMAIN.md 2)
    response = client.post(URL, {**QUIET, "large_scale": True}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["large_scale"]


def test_a_tool_of_another_collectivite_is_refused(client, other_collectivite):
    foreign = ToolFactory(collectivite=other_collectivite)
    response = client.post(URL, {**QUIET, "tool": foreign.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["tool"]


def test_qualify_only_accepts_post(client):
    assert client.get(URL).status_code == 405


def test_the_schema_documents_qualify(users, client_for):
    import yaml

    schema = yaml.safe_load(client_for(users["agent"]).get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/qualify/"]["post"]
    assert operation["tags"] == ["classify"]
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    request = components["QualifyRequestRequest"]["properties"]
    assert set(qualification.FACT_NAMES) <= set(request)
    assert {"personal_data_categories", "hosting_zone", "art50_features", "art5_practices", "tool"} <= set(request)
    assert "annex_iii_point" not in request  # derived from the facts
    assert components["ProducesByEnum"]["enum"][-1] == "unknown"
    result = components["QualifyResult"]["properties"]
    assert set(result) == {"derived", "classification", "needs_dpo", "needs_dpo_details"}


# The journeys of issue 16, as a head of service answers them -------------------------------------------------------
JOURNEY = {
    "keeps_learning_in_use": "no",
    "origin": "vendor_as_intended",
    "ce_marked_product": "no",
    "watches_people": "no",
    "sensitive_contexts": ["none"],
}
APPLICANTS = {"personal_data_categories": ["ordinary"], "hosting_zone": "fr", "max_data_classification": "C2"}
CV_SORTING = {
    **JOURNEY,
    "produces_by": ["learned_from_data"],
    "affects": "public",
    "policy_areas": ["recruitment"],
    "decides_on_individual_cases": "yes",
    "on_administrative_appeals": "no",
}


def test_journey_a_scale_written_by_agents(client):
    # An aid computed by a scale the agents wrote; an agent checks each file and decides
    body = ask(
        client,
        {
            **JOURNEY,
            "produces_by": ["written_rules"],
            "keeps_learning_in_use": None,
            "affects": "public",
            "policy_areas": ["social_benefits"],
            "decides_on_individual_cases": "yes",
            "on_administrative_appeals": "no",
            "effect_on_people": "agent_reexamines_whole_case",
            "assesses_persons": "no",
        },
        {"personal_data_categories": ["ordinary", "financial"], "hosting_zone": "fr"},
        quiet=False,
    )

    assert body["needs_dpo"] == []
    assert body["derived"]["technique"]["value"] == "rules"
    assert body["derived"]["annex_iii_point"]["value"] is None  # the AI Act does not apply
    classification = body["classification"]
    assert classification["ai_system"] is False and classification["ai_act_risk"] == "out_of_scope"
    # Still decisions founded on an algorithm: the CRPA mention and the public register (600 agents)
    assert classification["crpa_mention_required"] is True
    assert classification["public_register_required"] is True


def test_journey_a_chatbot_answering_the_public(client):
    body = ask(
        client,
        {
            **JOURNEY,
            "produces_by": ["generates_text"],
            "affects": "public",
            "policy_areas": ["public_information"],
            "effect_on_people": "no_decision_about_persons",
            "decides_on_individual_cases": "no",
            "assesses_persons": "no",
        },
        {"art50_features": ["chatbot"], "hosting_zone": "fr"},
        quiet=False,
    )

    assert body["needs_dpo"] == []
    assert body["derived"]["technique"]["value"] == "genai_text"
    assert body["derived"]["annex_iii_point"]["value"] is None
    classification = body["classification"]
    assert classification["ai_act_risk"] == "limited"  # art. 50(1): tell people they talk to an AI
    assert "transparency_notice" in classification["required_checkpoints"]
    assert classification["ethics_review_required"] is True  # a public-facing chatbot (the default policy)
    assert classification["fria_required"] is False


def test_journey_a_cv_pre_sorting_tool_whose_ranking_agents_follow(client):
    body = ask(
        client,
        {
            **CV_SORTING,
            "task_kind": "assesses_or_recommends",
            "effect_on_people": "agent_usually_follows",
            "assesses_persons": "yes",
        },
        APPLICANTS,
        quiet=False,
    )

    assert body["needs_dpo"] == []
    derived = {name: item["value"] for name, item in body["derived"].items()}
    assert (derived["annex_iii_point"], derived["art6_3_ground"]) == ("4a", None)
    assert (derived["automation_level"], derived["profiling"]) == ("determining", True)
    classification = body["classification"]
    assert classification["ai_act_risk"] == "high"  # Annex III 4(a), art. 6(2)
    assert classification["fria_required"] is True and classification["eu_registration_required"] is True


@pytest.mark.parametrize(
    ("assesses", "risk", "profiling"),
    [
        pytest.param("no", "minimal", False, id="without assessing candidates -> art. 6(3)(d) holds"),
        pytest.param("yes", "high", True, id="assessing candidates -> profiling, art. 6(3) never holds"),
    ],
)
def test_journey_the_same_tool_when_an_agent_reexamines_each_file(client, assesses, risk, profiling):
    body = ask(
        client,
        {
            **CV_SORTING,
            "task_kind": "prepares_file_for_agent",
            "effect_on_people": "agent_reexamines_whole_case",
            "assesses_persons": assesses,
        },
        APPLICANTS,
        quiet=False,
    )

    assert body["needs_dpo"] == []
    derived = {name: item["value"] for name, item in body["derived"].items()}
    assert (derived["annex_iii_point"], derived["art6_3_ground"]) == ("4a", "d")
    assert derived["automation_level"] == "assist"
    assert derived["profiling"] is profiling
    assert body["classification"]["ai_act_risk"] == risk


@pytest.mark.parametrize("url", [URL, "/api/v1/classify/", "/api/v1/use-cases/"])
def test_a_json_document_nested_too_deeply_is_bad_input_not_a_server_error(client, url):
    # Python's JSON decoder gives up on deep nesting with a RecursionError: it used to answer 500.
    body = '{"produces_by": ' + "[" * 100_000 + "]" * 100_000 + "}"

    response = client.post(url, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"message": fr("The JSON document is nested too deeply."), "errors": {}}
