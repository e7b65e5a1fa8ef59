"""The outbox and the sweep, piece by piece (issue 18, item 7), in-process (SQLite or PostgreSQL, tasks run eagerly):
an e-mail handed to the mail backend is never sent again, one not sent is never lost, a worker's lease keeps a second
one off what it holds and, once expired, lets another take over; documents have the same guarantees; the sweep is
run by celery beat and by `manage.py dispatch_pending`."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from documents import services as documents
from documents.models import Document
from documents.services import document_request
from registry import outbox
from registry import services as svc
from registry.models import OutboxEntry, UseCaseEvent
from registry.notifications import NOTIFY_USE_CASE_EVENT, use_case_event_notify
from tests.documents import pdf_builder_stub
from tests.registry import reviews_support as rs

Kind = UseCaseEvent.Kind
Status = Document.Status
YEAR = 2026
REFUSED = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _an_empty_outbox():
    """These tests count what the sweep hands over: they start from an empty outbox. (On PostgreSQL with a real
    worker, a test of another file run earlier in the same process can leave entries committed behind it; they are
    removed inside this test's transaction, so only this test sees them gone.)"""
    OutboxEntry.objects.all().delete()


def broker_down():
    return mock.patch("celery.app.task.Task.apply_async", side_effect=REFUSED)


def later(**delta) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)


def decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks) -> UseCaseEvent:
    """The RSSI's opinion decides the case; its e-mails (owner and DPO) wait in the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        review = rs.submit(use_case)
        rs.opinion(review, users["dpo"], "dpo")
    mail.outbox.clear()
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        rs.opinion(review, users["rssi"], "rssi")
    assert mail.outbox == []
    decided = use_case.events.get(kind=Kind.DECIDED)
    # (only the decision's e-mails wait: the RSSI's opinion, told to the owner, is left out of these tests)
    opinion = use_case.events.get(kind=Kind.OPINION, actor=users["rssi"])
    OutboxEntry.objects.filter(kwargs={"event_id": opinion.pk}).update(done_at=timezone.now())
    return decided


def entry_of(event) -> OutboxEntry:
    return OutboxEntry.objects.get(task=NOTIFY_USE_CASE_EVENT, kwargs={"event_id": event.pk})


# E-mails -----------------------------------------------------------------------------------------------------------
def test_a_decision_taken_while_the_broker_is_down_is_told_by_the_sweep_once(
    use_case, users, django_capture_on_commit_callbacks
):
    decided = decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    entry = entry_of(decided)
    assert entry.done_at is None and entry.dispatched_at is None

    # The sweep leaves it, during the grace period, to the dispatch after commit
    assert outbox.sweep()["handed"] == 0
    # then hands it: the owner and the DPO are told, once
    assert outbox.sweep(now=later(minutes=2))["handed"] >= 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([use_case.owner.email, users["dpo"].email])
    assert UseCaseEvent.objects.get(pk=decided.pk).notified_at is not None
    # and nothing more, however often it runs
    OutboxEntry.objects.update(next_attempt_at=timezone.now())
    outbox.sweep(now=later(minutes=3))
    assert len(mail.outbox) == 2


def test_a_mail_server_failing_halfway_sends_the_others_only_on_the_retry(
    use_case, users, django_capture_on_commit_callbacks
):
    decided = decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    from registry import notifications

    real_send = notifications._send
    calls = []

    def second_fails(template, context, recipients):
        calls.append(recipients)
        if len(calls) == 2:
            raise OSError("SMTP down")
        return real_send(template, context, recipients)

    # When the mail server fails on the second of the two e-mails
    with mock.patch.object(notifications, "_send", side_effect=second_fails), pytest.raises(OSError):
        use_case_event_notify(event_id=decided.pk, outbox_id=entry_of(decided).pk)
    first = [m.to[0] for m in mail.outbox]
    assert len(first) == 1
    entry = entry_of(decided)
    assert entry.done_keys == first and entry.claimed_until is None and "SMTP down" in entry.last_error

    # Then the retry sends the other one only
    assert use_case_event_notify(event_id=decided.pk) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([use_case.owner.email, users["dpo"].email])
    assert entry_of(decided).done_at is not None


def test_an_entry_held_by_a_worker_is_left_to_it_until_its_lease_expires(
    use_case, users, django_capture_on_commit_callbacks
):
    decided = decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    entry = entry_of(decided)
    # Given a worker that took the entry (its lease runs five minutes), then was killed before sending anything
    OutboxEntry.objects.filter(pk=entry.pk).update(claimed_until=later(minutes=5), attempts=1)

    # A second delivery of the same message does nothing while the lease runs, nor does the sweep
    assert use_case_event_notify(event_id=decided.pk, outbox_id=entry.pk) == 0
    assert outbox.sweep(now=later(minutes=2))["handed"] == 0 and mail.outbox == []
    # Once the lease expired, the sweep hands it to another worker, which sends the e-mails
    OutboxEntry.objects.filter(pk=entry.pk).update(claimed_until=later(seconds=-1))
    assert outbox.sweep(now=later(minutes=2))["handed"] == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([use_case.owner.email, users["dpo"].email])
    assert entry_of(decided).attempts == 2


def test_a_worker_whose_lease_expired_stops_before_sending_again(use_case, users, django_capture_on_commit_callbacks):
    decided = decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    entry = entry_of(decided)
    claiming = outbox.claimed(NOTIFY_USE_CASE_EVENT, {"event_id": decided.pk}, entry.pk)
    with pytest.raises(outbox.LeaseLost), claiming as claim:
        # another worker took it over after this one's lease expired
        OutboxEntry.objects.filter(pk=entry.pk).update(claimed_until=later(minutes=5))
        claim.once("dpo@example.org", lambda: 1)
        claim.once("owner@example.org", lambda: pytest.fail("sent after the lease was lost"))


def test_a_message_lost_by_the_broker_is_handed_again_later(use_case, users, django_capture_on_commit_callbacks):
    decided = decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    entry = entry_of(decided)
    # Given the entry handed to the broker, and its message lost (a Redis flushed, a queue purged)
    OutboxEntry.objects.filter(pk=entry.pk).update(dispatched_at=timezone.now(), next_attempt_at=later(minutes=15))

    assert outbox.sweep(now=later(minutes=10))["handed"] == 0
    assert outbox.sweep(now=later(minutes=16))["handed"] == 1
    assert len(mail.outbox) == 2


def test_the_sweep_stops_at_the_first_refusal_of_a_real_broker(use_case, users, django_capture_on_commit_callbacks):
    from config.celery import app

    decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    waiting = OutboxEntry.objects.filter(done_at__isnull=True).count()
    assert waiting >= 1
    app.conf.task_always_eager = False
    try:
        with broker_down():
            assert outbox.sweep(now=later(minutes=2)) == {"handed": 0, "failed": 1, "forgotten": 0}
    finally:
        app.conf.task_always_eager = True
    assert OutboxEntry.objects.filter(done_at__isnull=True).count() == waiting


def test_what_was_done_a_month_ago_is_forgotten(use_case, users, django_capture_on_commit_callbacks):
    decided = decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    outbox.sweep(now=later(minutes=2))
    assert entry_of(decided).done_at is not None
    assert outbox.sweep(now=later(days=29))["forgotten"] == 0
    assert outbox.sweep(now=later(days=31))["forgotten"] >= 1


def test_a_policy_change_reclassifies_even_when_the_broker_was_down(
    collectivite, users, django_capture_on_commit_callbacks
):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        svc.collectivite_update_policy(
            collectivite=collectivite, acting_user=users["admin"], data={"agents_count": 120}
        )
    entry = OutboxEntry.objects.get(task="registry.tasks.reclassify_collectivite")
    assert entry.kwargs == {"collectivite_id": collectivite.pk} and entry.done_at is None

    outbox.sweep(now=later(minutes=2))
    entry.refresh_from_db()
    assert entry.done_at is not None and entry.attempts == 1


# Documents ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def stub_builders(monkeypatch, settings, tmp_path):
    pdf_builder_stub.use_stub_builders(monkeypatch, settings, tmp_path)


def ask(collectivite, user, django_capture_on_commit_callbacks, *, run=True) -> Document:
    with django_capture_on_commit_callbacks(execute=run) as queued:
        document = document_request(
            collectivite=collectivite, acting_user=user, kind=Document.Kind.ANNUAL_REPORT, year=YEAR
        )
    document.refresh_from_db()
    document.queued = queued
    return document


def killed_while_running(document: Document, *, lease_left: dt.timedelta) -> None:
    """As a worker leaves it when it is killed mid-rendering: running, one attempt, its lease not renewed again."""
    Document.objects.filter(pk=document.pk).update(
        status=Status.RUNNING, attempts=1, started_at=timezone.now(), lease_expires_at=timezone.now() + lease_left
    )


def test_a_document_whose_worker_was_killed_is_generated_again_once_its_lease_expired(
    collectivite, users, stub_builders, django_capture_on_commit_callbacks
):
    document = ask(collectivite, users["dpo"], django_capture_on_commit_callbacks, run=False)
    killed_while_running(document, lease_left=dt.timedelta(minutes=10))

    # While the lease runs, neither the sweep nor asking again touches it
    assert documents.documents_sweep()["queued"] == 0
    again = ask(collectivite, users["dgs"], django_capture_on_commit_callbacks)
    assert again.status == Status.RUNNING and again.queued == []

    # Once it expired, the sweep takes it back and has it generated
    swept = documents.documents_sweep(now=later(minutes=11))
    assert swept == {"queued": 1, "reset": 1, "failed": 0}
    document.refresh_from_db()
    assert document.status == Status.READY and document.attempts == 2 and document.lease_expires_at is None


def test_asking_again_for_a_document_whose_worker_was_killed_generates_it(
    collectivite, users, stub_builders, django_capture_on_commit_callbacks
):
    document = ask(collectivite, users["dpo"], django_capture_on_commit_callbacks, run=False)
    killed_while_running(document, lease_left=-dt.timedelta(seconds=1))

    again = ask(collectivite, users["dpo"], django_capture_on_commit_callbacks)

    assert again.pk == document.pk and again.status == Status.READY and len(again.queued) == 1


def test_a_document_asked_while_the_broker_is_down_is_queued_when_asked_again_or_by_the_sweep(
    collectivite, users, stub_builders, django_capture_on_commit_callbacks
):
    # Asked while the broker is down: pending, nothing queued
    with broker_down():
        document = ask(collectivite, users["dpo"], django_capture_on_commit_callbacks)
        assert document.status == Status.PENDING and document.dispatched_at is None
        # asked again at once: left to the sweep (the first request's queueing may still be under way)
        assert ask(collectivite, users["dpo"], django_capture_on_commit_callbacks).queued == []
    # asked again a little later (the broker back): queued, and generated
    Document.objects.filter(pk=document.pk).update(requested_at=later(minutes=-2))
    again = ask(collectivite, users["dpo"], django_capture_on_commit_callbacks)
    assert len(again.queued) == 1 and again.status == Status.READY

    # The same through the sweep
    Document.objects.filter(pk=document.pk).update(
        status=Status.PENDING, dispatched_at=None, requested_at=timezone.now()
    )
    assert documents.documents_sweep()["queued"] == 0  # within the grace period
    assert documents.documents_sweep(now=later(minutes=2))["queued"] == 1
    assert Document.objects.get(pk=document.pk).status == Status.READY


def test_a_second_delivery_leaves_a_document_held_by_its_worker(
    collectivite, users, stub_builders, django_capture_on_commit_callbacks
):
    from documents.tasks import generate_document

    document = ask(collectivite, users["dpo"], django_capture_on_commit_callbacks, run=False)
    killed_while_running(document, lease_left=dt.timedelta(minutes=5))

    assert generate_document.delay(document.pk).get() == Status.RUNNING
    assert pdf_builder_stub.state["builds"] == 0


def test_a_document_whose_worker_keeps_vanishing_is_reported_failed(
    collectivite, users, stub_builders, django_capture_on_commit_callbacks
):
    document = ask(collectivite, users["dpo"], django_capture_on_commit_callbacks, run=False)
    killed_while_running(document, lease_left=-dt.timedelta(seconds=1))
    Document.objects.filter(pk=document.pk).update(attempts=documents.MAX_RUNS)

    assert documents.documents_sweep()["failed"] == 1
    document.refresh_from_db()
    assert document.status == Status.FAILED and document.error and document.lease_expires_at is None


# How the sweep runs ------------------------------------------------------------------------------------------------
def test_the_command_hands_what_waits_and_says_so_in_french(
    use_case, users, collectivite, stub_builders, django_capture_on_commit_callbacks
):
    decided = decide_while_the_broker_is_down(use_case, users, django_capture_on_commit_callbacks)
    with broker_down():
        ask(collectivite, users["dpo"], django_capture_on_commit_callbacks)
    OutboxEntry.objects.update(next_attempt_at=later(minutes=-1))
    Document.objects.update(requested_at=later(minutes=-2))

    out = io.StringIO()
    call_command("dispatch_pending", stdout=out)

    assert "Envois en attente\u202f: 1 confiés" in out.getvalue() and "Documents\u202f: 1 mis en file" in out.getvalue()
    assert UseCaseEvent.objects.get(pk=decided.pk).notified_at is not None
    assert Document.objects.get().status == Status.READY
    # run again: nothing to do, nothing sent twice
    sent = len(mail.outbox)
    call_command("dispatch_pending", stdout=io.StringIO())
    assert len(mail.outbox) == sent


def test_celery_beat_runs_the_sweep_every_minute():
    from config.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    app.loader.import_default_modules()
    for task in ("registry.tasks.dispatch_pending", "documents.tasks.sweep_documents"):
        assert schedule[task] == 60.0 and task in app.tasks
