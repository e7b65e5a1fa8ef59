"""The review workflow's background work through the real broker and a Celery worker in CI (eagerly in-process on
a newcomer's machine): the daily re-review task, and the e-mails of each step queued after commit."""

import datetime as dt
import time

import pytest
from django.utils import timezone, translation

from registry import services as svc
from registry.choices import ReviewKind, ReviewStatus, UseCaseStatus
from registry.models import Review, UseCase, UseCaseEvent
from tests.registry.reviews_support import both_opinions, submit

Kind = UseCaseEvent.Kind


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def _all_told(use_case) -> bool:
    return not UseCaseEvent.objects.filter(
        use_case=use_case, kind__in=(Kind.SUBMITTED, Kind.OPINION, Kind.DECIDED, Kind.REREVIEW), notified_at=None
    ).exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_due_rereviews_open_and_are_told_through_the_worker(use_case, users, celery_worker_or_eager, mailoutbox):
    # Given a use in production whose review date has come
    both_opinions(submit(use_case), users)
    svc.use_case_put_into_production(use_case=UseCase.objects.get(pk=use_case.pk), acting_user=use_case.owner)
    UseCase.objects.filter(pk=use_case.pk).update(next_review_on=timezone.localdate() - dt.timedelta(days=1))
    # (the e-mails of the approval went through the worker too)
    assert _wait_for(lambda: _all_told(use_case))

    # When the daily task runs through the broker
    from registry.tasks import open_due_rereviews

    open_due_rereviews.delay()

    # Then the worker opens the periodic re-review, the use keeps running
    assert _wait_for(lambda: Review.objects.filter(use_case=use_case, kind=ReviewKind.PERIODIC).exists())
    periodic = Review.objects.get(use_case=use_case, kind=ReviewKind.PERIODIC)
    assert periodic.status == ReviewStatus.OPINIONS
    assert UseCase.objects.get(pk=use_case.pk).status == UseCaseStatus.IN_PRODUCTION

    # And the owner, the DPO and the RSSI are told of it, once, by the notification task queued after commit
    with translation.override("fr"):
        headline = str(Kind.REREVIEW.label)

    def rereview_mails():
        return sorted(m.to[0] for m in mailoutbox if headline in m.subject)

    expected = sorted([use_case.owner.email, users["dpo"].email, users["rssi"].email])
    assert _wait_for(lambda: rereview_mails() == expected), rereview_mails()
    # A second run opens nothing more and tells nobody again
    open_due_rereviews.delay()
    time.sleep(1)
    assert Review.objects.filter(use_case=use_case, kind=ReviewKind.PERIODIC).count() == 1
    assert rereview_mails() == expected


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_decision_is_told_through_the_worker_once(use_case, users, celery_worker_or_eager, mailoutbox):
    # When the DPO and the RSSI approve a use case
    review = both_opinions(submit(use_case), users)
    decided = UseCaseEvent.objects.get(review=review, kind=Kind.DECIDED)

    # Then the worker tells the owner and the DPO (the RSSI decided)
    assert _wait_for(lambda: UseCaseEvent.objects.get(pk=decided.pk).notified_at is not None)
    with translation.override("fr"):
        headline = str(Kind.DECIDED.label)

    def decision_mails():
        return sorted(m.to[0] for m in mailoutbox if headline in m.subject)

    assert _wait_for(lambda: decision_mails() == sorted([use_case.owner.email, users["dpo"].email]))

    # And the notification queued again (a retried task) sends nothing more
    from registry.tasks import notify_use_case_event

    notify_use_case_event.delay(decided.pk)
    time.sleep(1)
    assert decision_mails() == sorted([use_case.owner.email, users["dpo"].email])
