"""The guided qualification on a use case through the API (issue 16): the facts read and written as fields, what
the legal inputs come from, the old contract of legal inputs only, the DPO's endpoints (set a legal input directly,
lift it, confirm the qualification), no favourable opinion of the DPO until confirmed, and "Mes tâches"."""

import pytest

from registry import qualification
from registry.models import UseCase, UseCaseEvent
from registry.services import use_case_create
from tests.registry.factories import UseCaseFactory
from tests.registry.qualification_support import CV_RANKING
from tests.registry.reviews_support import submit

LIST_URL = "/api/v1/use-cases/"
TASKS_URL = "/api/v1/tasks/"

DESCRIPTION = {
    "name": "Pré-tri des candidatures",
    "summary": "Un outil classe les candidatures reçues pour un poste.",
    "purpose": "Gagner du temps au recrutement.",
}
DATA = {
    "personal_data_categories": ["ordinary"],
    "max_data_classification": "C2",
    "hosting_zone": "fr",
    "provider_reuse_disabled": True,
}


def detail_url(use_case):
    return f"/api/v1/use-cases/{use_case.pk}/"


def override_url(use_case):
    return f"/api/v1/use-cases/{use_case.pk}/qualification/overrides/"


def lift_url(use_case, name):
    return f"/api/v1/use-cases/{use_case.pk}/qualification/overrides/{name}/lift/"


def confirm_url(use_case):
    return f"/api/v1/use-cases/{use_case.pk}/qualification/confirm/"


def qualified(services, users, **facts) -> UseCase:
    """A CCAS use case declared by the head of service through the questionnaire."""
    return use_case_create(
        collectivite=services["ccas"].collectivite,
        acting_user=users["chef"],
        data={**DESCRIPTION, "service": services["ccas"], **DATA, **CV_RANKING, **facts},
    )


@pytest.fixture
def cv(services, users):
    return qualified(services, users)


@pytest.fixture
def doubtful(services, users):
    """The same tool when nobody knows where it comes from: the DPO confirms (provider meanwhile)."""
    return qualified(services, users, origin="unknown")


# Reading -----------------------------------------------------------------------------------------------------------
def test_the_facts_and_the_qualification_are_read_with_the_use_case(cv, users, api_for):
    body = api_for(users["dpo"]).get(detail_url(cv)).json()

    for name, answer in CV_RANKING.items():
        assert body[name] == answer, name
    assert body["safety_component"] is None  # a follow-up not asked
    assert (body["annex_iii_point"], body["art6_3_ground"], body["automation_level"]) == ("4a", None, "determining")
    assert body["ai_act_risk"] == "high"
    assert body["qualification_sources"] == dict.fromkeys(qualification.DERIVED_INPUTS, "facts")
    assert body["qualification_overrides"] == {}
    assert body["qualification_confirmation"] is None
    assert body["qualification_questions"] == []
    assert body["qualification_to_confirm"] is False
    assert body["facts_to_complete"] is False
    assert body["overrides_to_review"] == []


def test_the_full_list_carries_the_facts_too(cv, users, api_for):
    row = api_for(users["dpo"]).get(LIST_URL, {"view": "full"}).json()["results"][0]
    assert row["policy_areas"] == ["recruitment"]
    assert row["qualification_sources"]["annex_iii_point"] == "facts"


def test_the_register_is_filtered_by_what_waits_for_the_dpo_or_the_owner(cv, doubtful, services, users, api_for):
    old = UseCaseFactory(collectivite=services["ccas"].collectivite, service=services["ccas"], owner=users["chef"])
    client = api_for(users["dpo"])

    def ids(**params):
        return {row["id"] for row in client.get(LIST_URL, params).json()["results"]}

    assert ids(qualification_to_confirm="true") == {doubtful.pk}
    assert ids(facts_to_complete="true") == {old.pk}
    assert ids(qualification_to_confirm="false", facts_to_complete="false") == {cv.pk}


# Writing the facts -------------------------------------------------------------------------------------------------
def test_a_use_case_declared_with_its_facts_only_gets_the_legal_inputs_they_derive(users, services, api_for):
    # Given the questionnaire's answers, without any legal input (not even who is affected: `affects` says it)
    payload = {**DESCRIPTION, "service": services["ccas"].pk, **DATA, **CV_RANKING}
    response = api_for(users["chef"]).post(LIST_URL, payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["audience"] == "public"
    assert (body["technique"], body["annex_iii_point"], body["ai_act_risk"]) == ("ml_predictive", "4a", "high")
    assert body["profiling"] is True and body["individual_decisions"] is True
    assert body["facts_to_complete"] is False and body["qualification_to_confirm"] is False


def test_a_question_left_out_on_creation_is_i_dont_know_and_goes_to_the_dpo(users, services, api_for):
    facts = {name: value for name, value in CV_RANKING.items() if name != "origin"}
    payload = {**DESCRIPTION, "service": services["ccas"].pk, **DATA, **facts}
    body = api_for(users["chef"]).post(LIST_URL, payload, format="json").json()

    assert body["origin"] == "unknown"
    assert body["ai_act_role"] == "provider"  # the most demanding plausible: high risk, origin unknown
    assert body["qualification_to_confirm"] is True
    [question] = body["qualification_questions"]
    assert question["question"] == "origin" and question["reason"] == "unknown"
    assert question["inputs"] == ["ai_act_role"]
    assert question["text"] == str(qualification.FACTS_BY_NAME["origin"].question)


def test_the_old_contract_legal_inputs_only_still_works_with_facts_to_complete(users, services, api_for):
    payload = {
        **DESCRIPTION,
        "service": services["ccas"].pk,
        "technique": "ml_predictive",
        "audience": "public",
        "annex_iii_point": "5b",
        "automation_level": "assist",
        "individual_decisions": True,
        "personal_data_categories": ["financial"],
    }
    response = api_for(users["chef"]).post(LIST_URL, payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert all(body[name] is None for name in qualification.FACT_NAMES)
    assert (body["technique"], body["annex_iii_point"], body["automation_level"]) == ("ml_predictive", "5b", "assist")
    assert body["facts_to_complete"] is True
    assert body["qualification_sources"]["annex_iii_point"] == "stored"
    assert body["qualification_to_confirm"] is False
    # And it is updated the old way too
    changed = api_for(users["chef"]).patch(
        f"{LIST_URL}{body['id']}/", {"annex_iii_point": "5c", "version": body["version"]}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["annex_iii_point"] == "5c"


def test_answering_a_fact_of_an_old_use_case_derives_only_what_it_decides(users, services, api_for):
    use_case = UseCaseFactory(
        collectivite=services["ccas"].collectivite,
        service=services["ccas"],
        owner=users["chef"],
        technique="ml_predictive",
        annex_iii_point="5b",
        automation_level="assist",
        individual_decisions=True,
        personal_data_categories=["financial"],
    )
    client = api_for(users["chef"])

    body = client.patch(
        detail_url(use_case), {"produces_by": ["written_rules"], "version": use_case.version}, format="json"
    ).json()

    assert body["produces_by"] == ["written_rules"]
    assert body["technique"] == "rules"
    assert body["qualification_sources"]["technique"] == "facts"
    assert body["qualification_sources"]["annex_iii_point"] == "stored"  # its area is still to answer
    assert body["facts_to_complete"] is True


def test_facts_are_changed_and_cleared_like_any_field(cv, users, api_for):
    client = api_for(users["chef"])

    body = client.patch(
        detail_url(cv),
        {"task_kind": "prepares_file_for_agent", "effect_on_people": "agent_reexamines_whole_case", "version": 1},
        format="json",
    ).json()
    assert (body["art6_3_ground"], body["automation_level"]) == ("d", "assist")
    assert body["ai_act_risk"] == "high"  # the candidates are assessed: profiling, art. 6(3) never holds

    # null (or "", or []) is "not answered": the recorded value of what it decides is kept, a fact to complete
    body = client.patch(detail_url(cv), {"origin": None, "policy_areas": [], "version": 2}, format="json").json()
    assert body["origin"] is None and body["policy_areas"] is None
    assert body["facts_to_complete"] is True
    assert body["annex_iii_point"] == "4a"
    assert body["qualification_sources"]["annex_iii_point"] == "stored"


def test_a_legal_input_the_facts_decide_follows_the_facts(cv, users, api_for):
    body = api_for(users["chef"]).patch(detail_url(cv), {"annex_iii_point": "5a", "version": 1}, format="json").json()
    assert body["annex_iii_point"] == "4a"
    assert body["qualification_sources"]["annex_iii_point"] == "facts"


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("produces_by", ["magic"], "written_rules, learned_from_data"),
        ("affects", "aliens", "agents, public, both, unknown"),
        ("assesses_persons", "often", "yes, no, unknown"),
        ("sensitive_contexts", ["none", "casino"], "care, social_support"),
    ],
)
def test_an_unknown_fact_code_is_a_400_in_french(users, services, api_for, field, value, allowed):
    payload = {**DESCRIPTION, "service": services["ccas"].pk, **CV_RANKING, field: value}
    response = api_for(users["chef"]).post(LIST_URL, payload, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Certains champs ne sont pas valides."
    [message] = body["errors"][field]
    assert "n'est pas un code autorisé" in message and allowed in message
    assert not UseCase.objects.exists()


def test_a_single_answer_where_several_are_expected_is_refused(users, services, api_for):
    payload = {**DESCRIPTION, "service": services["ccas"].pk, **CV_RANKING, "policy_areas": "recruitment"}
    response = api_for(users["chef"]).post(LIST_URL, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["policy_areas"]


def test_without_facts_who_is_affected_is_still_required(users, services, api_for):
    response = api_for(users["chef"]).post(
        LIST_URL, {**DESCRIPTION, "service": services["ccas"].pk, "produces_by": None}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["audience"]


def test_the_qualification_fields_cannot_be_written(cv, users, api_for):
    body = (
        api_for(users["chef"])
        .patch(
            detail_url(cv),
            {
                "qualification_overrides": {"annex_iii_point": {"value": "5a", "justification": "Moi."}},
                "qualification_to_confirm": True,
                "facts_to_complete": True,
                "qualification_sources": {"annex_iii_point": "override"},
                "version": 1,
            },
            format="json",
        )
        .json()
    )
    assert body["qualification_overrides"] == {}
    assert body["qualification_to_confirm"] is False and body["facts_to_complete"] is False
    assert body["version"] == 1  # nothing changed


# The DPO sets a legal input directly -------------------------------------------------------------------------------
def test_the_dpo_sets_a_legal_input_with_a_justification(cv, users, api_for):
    response = api_for(users["dpo"]).post(
        override_url(cv),
        {"input": "annex_iii_point", "value": "4b", "justification": "Le tri sert aussi aux mobilités.", "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["annex_iii_point"] == "4b"
    assert body["qualification_sources"]["annex_iii_point"] == "override"
    override = body["qualification_overrides"]["annex_iii_point"]
    assert override["value"] == "4b" and override["derived"] == "4a"
    assert override["justification"] == "Le tri sert aussi aux mobilités."
    assert override["by"] == users["dpo"].pk and override["by_name"] and override["at"]
    assert body["version"] == 2
    assert cv.events.filter(kind=UseCaseEvent.Kind.QUALIFIED).exists()
    # The override survives an edit of the facts, which is flagged to the DPO when it would derive something else
    edited = (
        api_for(users["chef"])
        .patch(detail_url(cv), {"policy_areas": ["social_benefits"], "version": 2}, format="json")
        .json()
    )
    assert edited["annex_iii_point"] == "4b"
    assert edited["overrides_to_review"] == ["annex_iii_point"]
    assert edited["qualification_to_confirm"] is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("annex_iii_point", None),
        ("technique", None),
        ("cnil_list_types", ["social_support"]),
        ("profiling", False),
        ("art5_practices", ["f"]),
    ],
)
def test_the_dpo_sets_each_kind_of_legal_input(cv, users, api_for, name, value):
    response = api_for(users["dpo"]).post(
        override_url(cv), {"input": name, "value": value, "justification": "Vérifié."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()[name] == value


def test_the_rssi_sets_the_security_answers_only(cv, users, api_for):
    client = api_for(users["rssi"])
    allowed = client.post(
        override_url(cv), {"input": "hosting_zone", "value": "eu", "justification": "Contrat vérifié."}, format="json"
    )
    assert allowed.status_code == 200, allowed.json()
    assert allowed.json()["hosting_zone"] == "eu"

    refused = client.post(
        override_url(cv), {"input": "annex_iii_point", "value": "4b", "justification": "Non."}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["message"]


# Those who see the draft are refused (403); an agent of another service and the committee do not see it (404).
@pytest.mark.parametrize(
    ("role", "status"), [("chef", 403), ("dgs", 403), ("admin", 403), ("agent", 404), ("comite", 404)]
)
def test_others_may_not_set_a_legal_input(cv, users, api_for, role, status):
    response = api_for(users[role]).post(
        override_url(cv), {"input": "annex_iii_point", "value": "4b", "justification": "Non."}, format="json"
    )
    assert response.status_code == status
    cv.refresh_from_db()
    assert cv.annex_iii_point == "4a" and cv.qualification_overrides == {}


def test_another_collectivite_s_dpo_does_not_see_the_use_case(cv, outsider, api_for):
    response = api_for(outsider).post(
        override_url(cv), {"input": "annex_iii_point", "value": "4b", "justification": "Non."}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"input": "annex_iii_point", "value": "4b"}, "justification", "justification"),
        ({"input": "annex_iii_point", "value": "4b", "justification": "   "}, "justification", "justification"),
        ({"input": "annex_iii_point", "value": "9z", "justification": "J."}, "value", "1a, 1b, 1c, 2, 3a"),
        ({"input": "cnil_list_types", "value": "social_support", "justification": "J."}, "value", "liste"),
        ({"input": "profiling", "value": "peut-être", "justification": "J."}, "value", "booléen"),
        ({"input": "audience", "value": None, "justification": "J."}, "value", "nul"),
        ({"input": "large_scale", "value": True, "justification": "J."}, "input", "technique, self_learning"),
        ({"value": "4b", "justification": "J."}, "input", "obligatoire"),
        ({"input": "annex_iii_point", "justification": "J."}, "value", "obligatoire"),
    ],
)
def test_a_bad_override_is_a_400_in_french(cv, users, api_for, payload, field, words):
    response = api_for(users["dpo"]).post(override_url(cv), payload, format="json")

    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["message"]
    assert field in body["errors"]
    assert words in " ".join(body["errors"][field])
    cv.refresh_from_db()
    assert cv.qualification_overrides == {} and cv.version == 1


def test_an_override_that_contradicts_the_other_answers_is_refused(cv, users, api_for):
    client = api_for(users["dpo"])
    ground = client.post(
        override_url(cv), {"input": "art6_3_ground", "value": "a", "justification": "Tâche étroite."}, format="json"
    )
    assert ground.status_code == 200, ground.json()
    # An Art. 6(3) ground without an Annex III point contradicts it (as the form and the model refuse it)
    response = client.post(
        override_url(cv), {"input": "annex_iii_point", "value": None, "justification": "Hors annexe."}, format="json"
    )
    assert response.status_code == 400
    assert "art6_3_ground" in response.json()["errors"]
    cv.refresh_from_db()
    assert cv.annex_iii_point == "4a"


def test_a_stale_version_is_a_409(cv, users, api_for):
    response = api_for(users["dpo"]).post(
        override_url(cv),
        {"input": "annex_iii_point", "value": "4b", "justification": "J.", "version": 7},
        format="json",
    )
    assert response.status_code == 409
    assert "version" in response.json()["errors"]


# The DPO lifts it ----------------------------------------------------------------------------------------------------
@pytest.fixture
def overridden(cv, users, api_for):
    api_for(users["dpo"]).post(
        override_url(cv), {"input": "annex_iii_point", "value": "4b", "justification": "J."}, format="json"
    )
    cv.refresh_from_db()
    return cv


def test_the_dpo_lifts_a_legal_input_and_the_facts_decide_again(overridden, users, api_for):
    response = api_for(users["dpo"]).post(
        lift_url(overridden, "annex_iii_point"), {"comment": "Revu.", "version": 2}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["annex_iii_point"] == "4a"
    assert body["qualification_overrides"] == {}
    assert body["qualification_sources"]["annex_iii_point"] == "facts"
    event = overridden.events.get(kind=UseCaseEvent.Kind.UNQUALIFIED)
    assert event.comment == "Revu."


def test_lifting_what_is_not_set_is_a_409_and_an_unknown_input_a_404(overridden, users, api_for):
    client = api_for(users["dpo"])
    assert client.post(lift_url(overridden, "technique"), {}, format="json").status_code == 409
    assert client.post(lift_url(overridden, "nothing_such"), {}, format="json").status_code == 404
    stale = client.post(lift_url(overridden, "annex_iii_point"), {"version": 1}, format="json")
    assert stale.status_code == 409


@pytest.mark.parametrize("role", ["rssi", "chef"])
def test_only_the_dpo_lifts_a_legal_qualification(overridden, users, api_for, role):
    response = api_for(users[role]).post(lift_url(overridden, "annex_iii_point"), {}, format="json")
    assert response.status_code == 403
    overridden.refresh_from_db()
    assert overridden.annex_iii_point == "4b"


def test_another_collectivite_s_dpo_cannot_lift(overridden, outsider, api_for):
    assert api_for(outsider).post(lift_url(overridden, "annex_iii_point"), {}, format="json").status_code == 404


# The DPO confirms -----------------------------------------------------------------------------------------------------
def test_the_dpo_confirms_the_qualification(doubtful, users, api_for):
    assert doubtful.qualification_to_confirm

    response = api_for(users["dpo"]).post(
        confirm_url(doubtful), {"comment": "Outil acheté, usage prévu par l'éditeur.", "version": 1}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["qualification_to_confirm"] is False
    confirmation = body["qualification_confirmation"]
    assert confirmation["questions"] == ["origin"]
    assert confirmation["values"] == {"ai_act_role": "provider"}
    assert confirmation["comment"] == "Outil acheté, usage prévu par l'éditeur."
    assert confirmation["by"] == users["dpo"].pk
    assert doubtful.events.filter(kind=UseCaseEvent.Kind.QUALIFICATION_CONFIRMED).exists()


def test_confirming_a_use_case_without_any_question_is_a_409(cv, users, api_for):
    response = api_for(users["dpo"]).post(confirm_url(cv), {}, format="json")
    assert response.status_code == 409
    assert response.json()["message"]


@pytest.mark.parametrize(
    ("role", "status"), [("rssi", 403), ("chef", 403), ("dgs", 403), ("admin", 403), ("agent", 404)]
)
def test_only_the_dpo_confirms(doubtful, users, api_for, role, status):
    response = api_for(users[role]).post(confirm_url(doubtful), {}, format="json")
    assert response.status_code == status
    doubtful.refresh_from_db()
    assert doubtful.qualification_to_confirm


def test_confirming_a_stale_version_or_elsewhere(doubtful, users, outsider, api_for):
    assert api_for(users["dpo"]).post(confirm_url(doubtful), {"version": 9}, format="json").status_code == 409
    assert api_for(outsider).post(confirm_url(doubtful), {}, format="json").status_code == 404
    bad = api_for(users["dpo"]).post(confirm_url(doubtful), {"comment": "x" * 5000}, format="json")
    assert bad.status_code == 400 and "comment" in bad.json()["errors"]


def test_no_favourable_opinion_of_the_dpo_before_the_confirmation(doubtful, users, api_for):
    review = submit(doubtful, users["chef"])
    client = api_for(users["dpo"])
    url = f"/api/v1/reviews/{review.pk}/opinions/"

    refused = client.post(url, {"role": "dpo", "verdict": "favourable"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["verdict"]
    assert "qualification" in refused.json()["errors"]["verdict"][0]

    doubtful.refresh_from_db()
    confirmed = client.post(confirm_url(doubtful), {"version": doubtful.version}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    accepted = client.post(url, {"role": "dpo", "verdict": "favourable"}, format="json")
    assert accepted.status_code == 201, accepted.json()


# Mes tâches --------------------------------------------------------------------------------------------------------
def _sections(client):
    return {section["key"]: section for section in client.get(TASKS_URL).json()["sections"]}


def test_the_dpo_finds_the_qualifications_to_confirm(doubtful, cv, users, api_for):
    client = api_for(users["dpo"])
    section = _sections(client)["qualifications"]
    assert section["object"] == "use_case"
    assert section["items"] == [{"id": doubtful.pk, "use_case": doubtful.pk, "review": None, "session": None}]

    client.post(confirm_url(doubtful), {}, format="json")
    assert _sections(client)["qualifications"]["count"] == 0
    # Only the DPO has this section
    assert "qualifications" not in _sections(api_for(users["chef"]))


def test_the_owner_finds_the_use_cases_whose_facts_are_to_complete(services, users, api_for, cv):
    old = UseCaseFactory(collectivite=services["ccas"].collectivite, service=services["ccas"], owner=users["agent"])
    assert old.facts_to_complete

    owner = _sections(api_for(users["agent"]))["facts"]
    assert owner["object"] == "use_case"
    assert [item["use_case"] for item in owner["items"]] == [old.pk]
    # The head of service's use case has its facts answered: nothing to complete for them
    assert _sections(api_for(users["chef"]))["facts"]["count"] == 0


def test_the_schema_documents_the_new_sections_and_endpoints(users, client_for):
    import yaml

    schema = yaml.safe_load(client_for(users["agent"]).get("/api/schema/").content)
    components = schema["components"]["schemas"]
    assert {"qualifications", "facts"} <= set(components["TaskSectionEnum"]["enum"])
    paths = schema["paths"]
    for path in (
        "/api/v1/use-cases/{id}/qualification/overrides/",
        "/api/v1/use-cases/{id}/qualification/overrides/{input_name}/lift/",
        "/api/v1/use-cases/{id}/qualification/confirm/",
    ):
        assert set(paths[path]) - {"parameters"} == {"post"}, path
        assert {"200", "400", "403", "404", "409"} <= set(paths[path]["post"]["responses"]), path
    use_case = components["UseCase"]["properties"]
    assert set(qualification.FACT_NAMES) <= set(use_case)
    for name in ("qualification_sources", "qualification_overrides", "qualification_to_confirm", "facts_to_complete"):
        assert use_case[name]["readOnly"] is True, name
    assert "audience" not in components["UseCaseRequest"]["required"]
