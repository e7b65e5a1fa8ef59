"""Writes on use cases: creation, edits with optimistic locking, transitions, events and history."""

import pytest

from core.errors import ApplicationError, ConflictError, TransitionError
from registry import services as svc
from registry.choices import AiActRisk, UseCaseStatus
from registry.models import UseCase, UseCaseEvent
from registry.selectors import use_case_history

pytestmark = pytest.mark.django_db


def _data(services_map, **overrides):
    data = {
        "name": "Assistant de rédaction des courriers",
        "summary": "L'IA propose un premier jet de courrier que l'agent relit et corrige.",
        "purpose": "Répondre plus vite aux administrés.",
        "service": services_map["ccas"],
        "technique": "genai_text",
        "audience": "agents",
        "max_data_classification": "C1",
        "hosting_zone": "fr",
    }
    data.update(overrides)
    return data


def test_create_classifies_records_event_and_grants_owner(collectivite, services, users):
    # When an agent creates a use case
    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))

    # Then it is a draft with a reference, owned by the agent, classified, with an event and a history row
    assert use_case.status == UseCaseStatus.DRAFT
    assert use_case.reference.startswith("IA-")
    assert use_case.owner == users["agent"]
    assert use_case.ai_act_risk == "minimal"
    assert use_case.required_checkpoints == ["output_review", "source_verification"]
    assert users["agent"].has_perm("registry.change_usecase", use_case)
    assert use_case.events.get().kind == UseCaseEvent.Kind.CREATED
    assert use_case.history.count() == 1


def test_references_are_sequential_per_collectivite(collectivite, services, users):
    first = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    second = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1


def test_invalid_input_saves_nothing_and_names_fields(collectivite, services, users):
    data = _data(services, art6_3_ground="a", personal_data_categories=["ordinary", "astrology"])
    with pytest.raises(ApplicationError) as raised:
        svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=data)
    assert set(raised.value.errors) >= {"art6_3_ground", "personal_data_categories"}
    assert "astrology" in raised.value.errors["personal_data_categories"][0]
    assert not UseCase.objects.exists()
    assert not UseCaseEvent.objects.exists()


def test_service_of_another_collectivite_is_refused(collectivite, services, users, other_collectivite):
    from tests.registry.factories import ServiceFactory

    foreign = ServiceFactory(collectivite=other_collectivite)
    with pytest.raises(ApplicationError) as raised:
        svc.use_case_create(
            collectivite=collectivite, acting_user=users["agent"], data=_data(services, service=foreign)
        )
    assert "service" in raised.value.errors


def test_update_bumps_version_and_records_history_diff(collectivite, services, users):
    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    updated = svc.use_case_update(
        use_case=use_case,
        acting_user=users["chef"],
        data={"annex_iii_point": "5a", "personal_data_categories": ["ordinary"]},
        expected_version=1,
    )
    assert updated.version == 2
    assert updated.ai_act_risk == "high"
    latest = use_case_history(updated)[0]
    assert latest["user"] == users["chef"]
    changes = {change["field"]: change for change in latest["changes"]}
    assert {"annex_iii_point", "personal_data_categories", "ai_act_risk"} <= set(changes)
    assert (changes["ai_act_risk"]["old"], changes["ai_act_risk"]["new"]) == (
        AiActRisk.MINIMAL.label,
        AiActRisk.HIGH.label,
    )


def test_second_editor_from_the_same_version_gets_a_conflict(collectivite, services, users):
    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    svc.use_case_update(use_case=use_case, acting_user=users["agent"], data={"name": "Premier"}, expected_version=1)

    with pytest.raises(ConflictError):
        svc.use_case_update(use_case=use_case, acting_user=users["chef"], data={"name": "Second"}, expected_version=1)

    use_case.refresh_from_db()
    assert use_case.name == "Premier"
    assert use_case.version == 2


def test_update_without_version_is_refused(collectivite, services, users):
    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    with pytest.raises(ApplicationError) as raised:
        svc.use_case_update(use_case=use_case, acting_user=users["agent"], data={"name": "X"}, expected_version=None)
    assert "version" in raised.value.errors


def test_changing_owner_moves_object_permissions(collectivite, services, users):
    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    svc.use_case_update(use_case=use_case, acting_user=users["chef"], data={"owner": users["chef"]}, expected_version=1)
    # Fresh user objects: guardian caches permissions per user instance.
    from registry.models import User

    assert not User.objects.get(pk=users["agent"].pk).has_perm("registry.view_usecase", use_case)
    assert User.objects.get(pk=users["chef"].pk).has_perm("registry.view_usecase", use_case)


def test_submit_and_withdraw_are_guarded_transitions(collectivite, services, users):
    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    submitted = svc.use_case_submit(use_case=use_case, acting_user=users["agent"])
    assert submitted.status == UseCaseStatus.SUBMITTED and submitted.submitted_at

    with pytest.raises(TransitionError):
        svc.use_case_submit(use_case=submitted, acting_user=users["agent"])

    back = svc.use_case_withdraw(use_case=submitted, acting_user=users["agent"])
    assert back.status == UseCaseStatus.DRAFT
    kinds = list(back.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "withdrawn"]


def test_blocked_use_case_cannot_be_submitted(collectivite, services, users):
    use_case = svc.use_case_create(
        collectivite=collectivite, acting_user=users["agent"], data=_data(services, max_data_classification="C4")
    )
    assert use_case.blocked
    with pytest.raises(TransitionError):
        svc.use_case_submit(use_case=use_case, acting_user=users["agent"])
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.DRAFT


def test_events_are_append_only(use_case):
    event = UseCaseEvent.objects.create(use_case=use_case, kind=UseCaseEvent.Kind.CREATED)
    event.comment = "réécrit"
    with pytest.raises(ValueError):
        event.save()


def test_reclassify_is_idempotent(collectivite, services, users):
    use_case = svc.use_case_create(
        collectivite=collectivite,
        acting_user=users["agent"],
        data=_data(
            services, individual_decisions=True, automation_level="assist", personal_data_categories=["ordinary"]
        ),
    )
    assert use_case.public_register_required  # 600 agents
    type(collectivite).objects.filter(pk=collectivite.pk).update(agents_count=30)

    assert svc.collectivite_reclassify(collectivite_id=collectivite.pk) == 1
    assert svc.collectivite_reclassify(collectivite_id=collectivite.pk) == 0
    use_case.refresh_from_db()
    assert not use_case.public_register_required
    assert use_case.events.filter(kind=UseCaseEvent.Kind.RECLASSIFIED).count() == 1


def test_reference_numbering_is_numeric_past_9999(collectivite, services, users):
    from django.utils import timezone

    from tests.registry.factories import UseCaseFactory

    year = timezone.localdate().year
    UseCaseFactory(collectivite=collectivite, service=services["ccas"], reference=f"IA-{year}-9999")
    UseCaseFactory(collectivite=collectivite, service=services["ccas"], reference=f"IA-{year}-10000")
    created = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    assert created.reference == f"IA-{year}-10001"


def test_changing_tool_takes_its_hosting_unless_given(collectivite, services, users):
    from tests.registry.factories import ToolFactory

    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    cloud = ToolFactory(collectivite=collectivite, hosting_zone="non_eu", provider_reuse_disabled=False)
    updated = svc.use_case_update(
        use_case=use_case, acting_user=users["agent"], data={"tool": cloud}, expected_version=1
    )
    assert (updated.hosting_zone, updated.provider_reuse_disabled) == ("non_eu", False)


def test_history_costs_a_fixed_number_of_queries(collectivite, services, users, django_assert_max_num_queries):
    from tests.registry.factories import ToolFactory

    use_case = svc.use_case_create(collectivite=collectivite, acting_user=users["agent"], data=_data(services))
    for version in range(1, 7):
        tool = ToolFactory(collectivite=collectivite)
        owner = users["chef"] if version % 2 else users["agent"]
        use_case = svc.use_case_update(
            use_case=use_case, acting_user=users["chef"], data={"tool": tool, "owner": owner}, expected_version=version
        )
    with django_assert_max_num_queries(4):
        entries = use_case_history(use_case)
    assert len(entries) == 7
    assert any(change["field"] == "tool" and change["new"].startswith("Outil IA") for change in entries[0]["changes"])
