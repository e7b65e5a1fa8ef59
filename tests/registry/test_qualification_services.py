"""The guided qualification on a use case (issue 16): facts saved through the services derive the legal inputs,
doubts go to the DPO (task, no favourable opinion until confirmed), the DPO (the RSSI on the security axis) sets a
legal input directly with a justification, and what each person may do is checked in the service."""

import pytest

from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError
from registry import services as svc
from registry.models import UseCase, UseCaseEvent
from reporting.my_tasks import tasks_for
from tests.registry.factories import UseCaseFactory
from tests.registry.qualification_support import CV_RANKING
from tests.registry.reviews_support import opinion, submit


def _data(services, **facts):
    return {
        "name": "Pré-tri des candidatures",
        "summary": "Un outil classe les candidatures reçues pour un poste.",
        "purpose": "Gagner du temps au recrutement.",
        "service": services["ccas"],
        "personal_data_categories": ["ordinary"],
        "max_data_classification": "C2",
        "hosting_zone": "fr",
        "provider_reuse_disabled": True,
        **CV_RANKING,
        **facts,
    }


def create(services, users, **facts) -> UseCase:
    return svc.use_case_create(
        collectivite=services["ccas"].collectivite, acting_user=users["chef"], data=_data(services, **facts)
    )


@pytest.mark.django_db
def test_facts_saved_through_the_service_derive_the_legal_inputs(services, users):
    use_case = create(services, users)

    assert (use_case.technique, use_case.annex_iii_point, use_case.art6_3_ground) == ("ml_predictive", "4a", "")
    assert (use_case.automation_level, use_case.profiling, use_case.individual_decisions) == ("determining", True, True)
    assert use_case.ai_act_risk == "high" and use_case.fria_required
    assert not use_case.qualification_to_confirm and not use_case.facts_to_complete
    assert use_case.qualification_outcome().sources["annex_iii_point"] == "facts"


@pytest.mark.django_db
def test_when_an_agent_reexamines_each_file_without_assessing_candidates_the_6_3_derogation_holds(services, users):
    use_case = create(
        services,
        users,
        task_kind="prepares_file_for_agent",
        effect_on_people="agent_reexamines_whole_case",
        assesses_persons="no",
    )

    assert (use_case.annex_iii_point, use_case.art6_3_ground, use_case.automation_level) == ("4a", "d", "assist")
    assert use_case.ai_act_risk == "minimal"

    # With an assessment of the candidates, it is profiling: the derogation never holds (art. 6(3), last subparagraph)
    assessed = create(
        services,
        users,
        task_kind="prepares_file_for_agent",
        effect_on_people="agent_reexamines_whole_case",
        assesses_persons="yes",
    )
    assert assessed.ai_act_risk == "high"


@pytest.mark.django_db
def test_a_question_left_out_on_creation_is_i_dont_know_and_goes_to_the_dpo(services, users):
    data = _data(services)
    del data["origin"]
    use_case = svc.use_case_create(collectivite=services["ccas"].collectivite, acting_user=users["chef"], data=data)

    assert use_case.origin == "unknown"
    assert use_case.ai_act_role == "provider"  # most demanding plausible: high risk, origin unknown
    assert use_case.qualification_to_confirm
    assert [question["question"] for question in use_case.qualification_questions] == ["origin"]
    dpo_tasks = tasks_for(users["dpo"], get_access(users["dpo"], use_case.collectivite))
    assert use_case in list(dpo_tasks["qualifications"])


@pytest.mark.django_db
def test_the_dpo_cannot_approve_before_confirming_then_can(services, users):
    use_case = create(services, users, origin="unknown")
    review = submit(use_case, users["chef"])

    # Then a favourable opinion of the DPO is refused, naming the verdict
    with pytest.raises(ApplicationError) as refused:
        opinion(review, users["dpo"], "dpo")
    assert "verdict" in refused.value.errors
    # An unfavourable one is not
    # When the DPO confirms the qualification
    confirmed = svc.qualification_confirm(
        use_case=use_case, acting_user=users["dpo"], comment="Outil acheté, usage prévu."
    )
    assert not confirmed.qualification_to_confirm
    assert confirmed.events.filter(kind=UseCaseEvent.Kind.QUALIFICATION_CONFIRMED).exists()
    # Then the favourable opinion is accepted
    opinion(review, users["dpo"], "dpo")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["agent", "chef", "rssi", "dgs", "comite"])
def test_only_the_dpo_confirms(services, users, who):
    use_case = create(services, users, origin="unknown")

    with pytest.raises(ForbiddenError):
        svc.qualification_confirm(use_case=use_case, acting_user=users[who])
    assert UseCase.objects.get(pk=use_case.pk).qualification_to_confirm


@pytest.mark.django_db
def test_confirming_with_nothing_to_confirm_is_a_conflict(services, users):
    use_case = create(services, users)

    with pytest.raises(ConflictError):
        svc.qualification_confirm(use_case=use_case, acting_user=users["dpo"])


@pytest.mark.django_db
def test_a_changed_answer_asks_for_a_new_confirmation(services, users):
    use_case = create(services, users, origin="unknown", policy_areas=["internal_work"], task_kind="")
    use_case = svc.qualification_confirm(use_case=use_case, acting_user=users["dpo"])
    assert not use_case.qualification_to_confirm

    # When the owner says the tool is now used to rank applicants (high risk: the unknown origin makes a provider)
    updated = svc.use_case_update(
        use_case=use_case,
        acting_user=users["chef"],
        data={"policy_areas": ["recruitment"], "task_kind": "assesses_or_recommends"},
        expected_version=use_case.version,
    )

    assert updated.ai_act_role == "provider"
    assert updated.qualification_to_confirm


@pytest.mark.django_db
def test_the_dpo_sets_a_legal_input_with_a_justification_that_survives_edits_of_the_facts(services, users):
    use_case = create(services, users)

    with pytest.raises(ApplicationError) as missing:
        svc.qualification_override_set(
            use_case=use_case, acting_user=users["dpo"], input_name="annex_iii_point", value="4b", justification=" "
        )
    assert "justification" in missing.value.errors

    overridden = svc.qualification_override_set(
        use_case=use_case,
        acting_user=users["dpo"],
        input_name="annex_iii_point",
        value="4b",
        justification="L'outil sert aussi à répartir les tâches des agents recrutés.",
        expected_version=use_case.version,
    )
    assert overridden.annex_iii_point == "4b"
    override = overridden.qualification_overrides["annex_iii_point"]
    assert (override["value"], override["derived"]) == ("4b", "4a")
    assert override["by"] == users["dpo"].pk
    assert overridden.events.filter(kind=UseCaseEvent.Kind.QUALIFIED).exists()

    # A later edit of the facts keeps the override, and flags it when the facts now derive something else
    edited = svc.use_case_update(
        use_case=overridden,
        acting_user=users["chef"],
        data={"policy_areas": ["social_benefits"]},
        expected_version=overridden.version,
    )
    assert edited.annex_iii_point == "4b"
    assert edited.overrides_to_review == ["annex_iii_point"]
    assert edited.qualification_to_confirm

    # Lifting it gives the facts back the decision
    lifted = svc.qualification_override_lift(
        use_case=edited, acting_user=users["dpo"], input_name="annex_iii_point", expected_version=edited.version
    )
    assert lifted.annex_iii_point == "5a"
    assert lifted.overrides_to_review == []
    assert lifted.events.filter(kind=UseCaseEvent.Kind.UNQUALIFIED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "input_name", "value", "allowed"),
    [
        ("dpo", "cnil_list_types", ["hr_profiling"], True),
        ("dpo", "max_data_classification", "C3", False),
        ("rssi", "max_data_classification", "C3", True),
        ("rssi", "annex_iii_point", "4b", False),
        ("chef", "annex_iii_point", "4b", False),
        ("agent", "ai_act_role", "provider", False),
        ("admin", "annex_iii_point", "4b", False),
    ],
)
def test_who_may_set_a_legal_input_directly(services, users, who, input_name, value, allowed):
    use_case = create(services, users)

    def call():
        return svc.qualification_override_set(
            use_case=use_case, acting_user=users[who], input_name=input_name, value=value, justification="Motif."
        )

    if allowed:
        assert call().qualification_overrides[input_name]["value"] == value
    else:
        with pytest.raises(ForbiddenError):
            call()
        assert UseCase.objects.get(pk=use_case.pk).qualification_overrides == {}


@pytest.mark.django_db
def test_an_incoherent_override_is_refused_with_its_message(services, users):
    use_case = create(services, users, policy_areas=["internal_work"], task_kind="")

    with pytest.raises(ApplicationError) as refused:
        svc.qualification_override_set(
            use_case=use_case, acting_user=users["dpo"], input_name="art6_3_ground", value="a", justification="Motif."
        )
    assert "art6_3_ground" in refused.value.errors
    assert UseCase.objects.get(pk=use_case.pk).qualification_overrides == {}


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_nothing_is_written(services, users):
    use_case = create(services, users)

    with pytest.raises(ConflictError):
        svc.qualification_override_set(
            use_case=use_case,
            acting_user=users["dpo"],
            input_name="annex_iii_point",
            value="4b",
            justification="Motif.",
            expected_version=use_case.version - 1,
        )


@pytest.mark.django_db
def test_a_use_case_recorded_with_legal_inputs_keeps_them_and_its_owner_completes_the_facts(
    collectivite, services, users
):
    # Given a use case recorded before the questionnaire (legal inputs only)
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["chef"],
        technique="ml_predictive",
        annex_iii_point="5b",
        audience="public",
    )

    # Then its legal inputs stay, nothing goes to the DPO, and the owner has facts to complete
    assert use_case.annex_iii_point == "5b" and use_case.ai_act_risk == "high"
    assert use_case.facts_to_complete and not use_case.qualification_to_confirm
    tasks = tasks_for(users["chef"], get_access(users["chef"], collectivite))
    assert use_case in list(tasks["facts"])
