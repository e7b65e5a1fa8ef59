"""Background reclassification, run by a real Celery worker on Redis in CI (eagerly on a newcomer's machine)."""

import time

import pytest

from declarations import services as declaration_services
from registry import services as svc
from registry.models import UseCase
from tests.registry.factories import UseCaseFactory


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_policy_change_reclassifies_through_the_worker(collectivite, services, users, celery_worker_or_eager):
    # Given a small collectivité whose algorithm-based decisions need no public register entry
    type(collectivite).objects.filter(pk=collectivite.pk).update(agents_count=40)
    collectivite.refresh_from_db()
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        individual_decisions=True,
        automation_level="assist",
        personal_data_categories=["ordinary"],
    )
    assert not use_case.public_register_required

    # When it grows to 50 agents or more
    svc.collectivite_update_policy(collectivite=collectivite, acting_user=users["admin"], data={"agents_count": 120})

    # Then the worker reclassifies its use cases: CRPA L312-1-3 now applies
    assert _wait_for(lambda: UseCase.objects.get(pk=use_case.pk).public_register_required)
    assert UseCase.objects.get(pk=use_case.pk).events.filter(kind="reclassified").count() == 1


@pytest.mark.django_db
def test_task_is_idempotent_when_run_directly(collectivite, services):
    from registry.tasks import reclassify_collectivite

    UseCaseFactory(collectivite=collectivite, service=services["ccas"])
    assert reclassify_collectivite.run(collectivite.pk) == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_possible_breach_alerts_the_dpo_through_the_worker(collectivite, users, celery_worker_or_eager, mailoutbox):
    import uuid

    type(collectivite).objects.filter(pk=collectivite.pk).update(dpo_email="dpo@bellerive.example.org")
    collectivite.refresh_from_db()
    declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=users["agent"],
        data={
            "tool_name": "ChatGPT",
            "category": "general_chatbot",
            "tasks": "Courriers aux usagers",
            "frequency": "weekly",
            "device": "personal_device",
            "account": "personal_free",
            "data_entered": ["ordinary"],
            "output_use": ["sent_to_users"],
            "human_review": "always",
        },
        anonymous=False,
        submission_key=uuid.uuid4(),
    )
    assert _wait_for(lambda: len(mailoutbox) == 1)
    assert "dpo@bellerive.example.org" in mailoutbox[0].to
    assert "72" in mailoutbox[0].subject
