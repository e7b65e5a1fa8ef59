"""Each write on a use case checks its permission in its service: called directly (as a task, a command or an import
would), a service refuses whoever may not act, with the project's forbidden error, and changes nothing. And the
classification is an explicit service call: a change of status leaves it as it was."""

import pytest

from core.errors import ForbiddenError
from registry import services as svc
from registry.choices import AiActRisk, UseCaseStatus
from registry.models import UseCase, UseCaseEvent
from tests.registry.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def _data(services, **overrides):
    return {
        "name": "Assistant de rédaction des courriers",
        "summary": "L'IA propose un premier jet de courrier que l'agent relit et corrige.",
        "purpose": "Répondre plus vite aux administrés.",
        "service": services["ccas"],
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
        "hosting_zone": "fr",
        **overrides,
    }


def _unchanged(use_case: UseCase) -> None:
    fresh = UseCase.objects.get(pk=use_case.pk)
    assert (fresh.status, fresh.version) == (use_case.status, use_case.version)
    assert not fresh.events.exclude(kind=UseCaseEvent.Kind.CREATED).exists()


def _live(collectivite, services, owner) -> UseCase:
    return UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=owner, status=UseCaseStatus.IN_PRODUCTION
    )


def test_creation_is_refused_to_a_member_who_may_not_declare(collectivite, services, users):
    # Given the DGS, who sees the whole register but belongs to no service and edits nothing
    # When the creation service is called directly in her name
    with pytest.raises(ForbiddenError) as refused:
        svc.use_case_create(collectivite=collectivite, acting_user=users["dgs"], data=_data(services))

    # Then it is refused, in French, and nothing is created
    assert str(refused.value.message) == "Vous ne pouvez pas déclarer d'usage dans cette collectivité."
    assert not UseCase.objects.exists()


def test_creation_is_refused_to_someone_of_another_collectivite(collectivite, services, outsider):
    with pytest.raises(ForbiddenError):
        svc.use_case_create(collectivite=collectivite, acting_user=outsider, data=_data(services))
    assert not UseCase.objects.exists()


def test_an_edit_is_refused_to_whoever_may_not_change_the_use_case(use_case, users):
    # Given a draft of the CCAS, and the DGS (who sees it but changes nothing) then an agent of the same service
    for person in (users["dgs"], users["agent"]):
        # When the edit service is called directly
        with pytest.raises(ForbiddenError) as refused:
            svc.use_case_update(
                use_case=use_case, acting_user=person, data={"name": "Renommé"}, expected_version=use_case.version
            )

        # Then it is refused and the use case keeps its name and version
        assert str(refused.value.message) == "Vous ne pouvez pas modifier cet usage."
        assert UseCase.objects.get(pk=use_case.pk).name == use_case.name
        _unchanged(use_case)


def test_submitting_is_refused_to_an_agent_who_does_not_answer_for_the_use_case(use_case, users):
    with pytest.raises(ForbiddenError) as refused:
        svc.use_case_submit(use_case=use_case, acting_user=users["agent"])
    assert str(refused.value.message) == "Vous n'êtes pas autorisé à effectuer cette action sur cet usage."
    _unchanged(use_case)


def test_withdrawing_is_refused_to_an_agent_who_does_not_answer_for_the_use_case(use_case, users):
    # Given a use case its owner submitted
    submitted = svc.use_case_submit(use_case=use_case, acting_user=use_case.owner)
    events = submitted.events.count()

    # When another agent of the service withdraws it through the service
    with pytest.raises(ForbiddenError):
        svc.use_case_withdraw(use_case=submitted, acting_user=users["agent"])

    # Then it stays submitted
    fresh = UseCase.objects.get(pk=use_case.pk)
    assert (fresh.status, fresh.version, fresh.events.count()) == (UseCaseStatus.SUBMITTED, submitted.version, events)


def test_going_into_production_is_refused_to_whoever_does_not_answer_for_the_use_case(collectivite, services, users):
    # Given an approved use case of the CCAS, nothing holding it back, and the DGS (who sees it, answers for nothing)
    approved = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=users["agent"], status=UseCaseStatus.APPROVED
    )
    approved.checkpoints.update(active=False)

    # When she puts it into production through the service: refused before anything is checked or changed
    with pytest.raises(ForbiddenError):
        svc.use_case_put_into_production(use_case=approved, acting_user=users["dgs"])
    _unchanged(approved)


def test_a_suspension_is_refused_to_anyone_but_the_dpo_and_the_rssi(collectivite, services, users):
    # Given a live use case, its owner and the head of its direction
    live = _live(collectivite, services, users["agent"])
    for person in (users["agent"], users["chef"], users["admin"]):
        # When they suspend it through the service
        with pytest.raises(ForbiddenError) as refused:
            svc.use_case_suspend(use_case=live, acting_user=person, reason="Incident grave")

        # Then it is refused, and the use case stays live
        assert str(refused.value.message) == "Seuls le DPO et le RSSI peuvent suspendre un usage."
        _unchanged(live)
    # The DPO may
    assert svc.use_case_suspend(use_case=live, acting_user=users["dpo"], reason="Incident grave").status == (
        UseCaseStatus.SUSPENDED
    )


def test_a_suspension_is_refused_to_the_dpo_of_another_collectivite(collectivite, services, users, outsider):
    live = _live(collectivite, services, users["agent"])
    with pytest.raises(ForbiddenError):
        svc.use_case_suspend(use_case=live, acting_user=outsider, reason="Incident grave")
    _unchanged(live)


# Classification: an explicit service call, not a side effect of saving --------------------------------------------


def test_saving_a_use_case_does_not_classify_it(use_case):
    # Given a use case whose stored verdict differs from what the engine would say
    UseCase.objects.filter(pk=use_case.pk).update(ai_act_risk=AiActRisk.HIGH)
    stale = UseCase.objects.get(pk=use_case.pk)

    # When it is saved through the model: nothing is derived
    stale.name = "Renommé"
    stale.save()
    assert UseCase.objects.get(pk=use_case.pk).ai_act_risk == AiActRisk.HIGH

    # And `use_case_classify` is what classifies it, in memory, for its caller to save
    svc.use_case_classify(use_case=stale)
    assert stale.ai_act_risk == AiActRisk.MINIMAL
    assert UseCase.objects.get(pk=use_case.pk).ai_act_risk == AiActRisk.HIGH


def test_a_change_of_status_does_not_reclassify(use_case):
    # Given a use case whose stored classification is not what the rules give today (an older rule set)
    UseCase.objects.filter(pk=use_case.pk).update(ai_act_risk=AiActRisk.LIMITED, classification_ruleset="old")

    # When its owner submits it
    submitted = svc.use_case_submit(use_case=use_case, acting_user=use_case.owner)

    # Then only its status changed: the reclassification is the rule set's own, recorded as such
    fresh = UseCase.objects.get(pk=submitted.pk)
    assert fresh.status == UseCaseStatus.SUBMITTED
    assert (fresh.ai_act_risk, fresh.classification_ruleset) == (AiActRisk.LIMITED, "old")


def test_an_edit_of_the_classification_inputs_classifies_and_the_checkpoints_follow(use_case):
    # When the owner says the use concerns access to social aid (Annex III point 5a), with personal data
    updated = svc.use_case_update(
        use_case=use_case,
        acting_user=use_case.owner,
        data={"annex_iii_point": "5a", "personal_data_categories": ["ordinary"]},
        expected_version=use_case.version,
    )

    # Then the stored classification follows, and audits (through the register's signal) attaches its checkpoints
    fresh = UseCase.objects.get(pk=updated.pk)
    assert fresh.ai_act_risk == AiActRisk.HIGH
    active = set(fresh.checkpoints.filter(active=True, origin="required").values_list("type__code", flat=True))
    assert active == set(fresh.required_checkpoints)
