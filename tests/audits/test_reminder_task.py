"""The checkpoint reminders as they run in production: the celery beat entry, the task through the real broker
and worker (Redis in CI; eagerly in the embedded default), and the management command of the embedded
default. Each sends once: running it again sends nothing."""

import datetime as dt
import time
from io import StringIO

import pytest
from celery.schedules import crontab
from celery.signals import task_postrun
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audits.models import Checkpoint, DigestLog, ReminderLog
from audits.reminders import LOCK_KEY
from audits.tasks import send_checkpoint_reminders
from registry import services as registry
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.web.helpers import fr

TASK = "audits.tasks.send_checkpoint_reminders"


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def _overdue_use_case(collectivite, services, users):
    """A use case in production whose two checkpoints (output review, source verification), owned by the
    agent who declared it, were due three days ago."""
    use_case = registry.use_case_create(
        collectivite=collectivite,
        acting_user=users["agent"],
        data={
            "name": "Assistant de rédaction",
            "summary": "Premier jet de courriers relu par l'agent.",
            "purpose": "Gagner du temps.",
            "service": services["ccas"],
            "technique": "genai_text",
            "audience": "agents",
            "max_data_classification": "C1",
        },
    )
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    Checkpoint.objects.filter(use_case=use_case).update(next_due=timezone.localdate() - dt.timedelta(days=3))
    assert Checkpoint.objects.filter(use_case=use_case).count() == 2
    return use_case


@pytest.fixture
def finished_tasks():
    """The ids of the tasks that finished, in the worker or eagerly."""
    finished = []

    def record(sender=None, task_id=None, **kwargs):
        finished.append(task_id)

    task_postrun.connect(record, weak=False)
    yield finished
    task_postrun.disconnect(record)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_reminders_once(
    collectivite, services, users, celery_worker_or_eager, mailoutbox, finished_tasks
):
    # Given a live use case whose checkpoints are overdue
    use_case = _overdue_use_case(collectivite, services, users)

    # When the periodic task is queued
    first = send_checkpoint_reminders.delay()

    # Then the worker e-mails the owner, in French, with a direct link, and the DPO gets the digest
    assert _wait_for(lambda: any(users["agent"].email in message.to for message in mailoutbox))
    assert _wait_for(lambda: first.id in finished_tasks)
    [reminder] = [message for message in mailoutbox if message.to == [users["agent"].email]]
    assert use_case.reference in reminder.body
    assert reverse("registry:use_case_detail", args=[use_case.pk]) in reminder.body
    assert reverse("audits:my_checkpoints") in reminder.body
    [digest] = [message for message in mailoutbox if users["dpo"].email in message.to]
    assert ReminderLog.objects.filter(kind=ReminderLog.Kind.OVERDUE).count() == 2
    sent = len(mailoutbox)

    # When it is queued again (the next run, a retry, a redelivery after a worker restart)
    second = send_checkpoint_reminders.delay()

    # Then it runs and sends nothing more
    assert _wait_for(lambda: second.id in finished_tasks)
    assert len(mailoutbox) == sent
    assert ReminderLog.objects.count() == 2 and DigestLog.objects.count() == 1


def test_celery_beat_runs_the_reminders_every_morning_paris_time(settings):
    from config.celery import app

    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == TASK]

    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == 1 and schedule.minute == {0}
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert app.conf.timezone == "Europe/Paris"
    assert TASK in app.tasks


def _summary(soon, overdue, emails, digests) -> str:
    return fr("Reminders: %(soon)d due soon, %(overdue)d overdue; %(emails)d e-mails and %(digests)d digests sent.") % {
        "soon": soon,
        "overdue": overdue,
        "emails": emails,
        "digests": digests,
    }


@pytest.mark.django_db
def test_the_command_sends_the_reminders_once(collectivite, services, users, mailoutbox):
    # Given a live use case whose checkpoints are overdue
    _overdue_use_case(collectivite, services, users)

    # When the command runs twice (the embedded default has no celery beat)
    first, again = StringIO(), StringIO()
    call_command("send_checkpoint_reminders", stdout=first)
    call_command("send_checkpoint_reminders", stdout=again)

    # Then the owner got one e-mail and the DPO one digest, and the second run says it sent nothing
    assert first.getvalue().strip() == _summary(0, 2, 1, 1)
    assert again.getvalue().strip() == _summary(0, 0, 0, 0)
    assert [message.to for message in mailoutbox if message.to == [users["agent"].email]] == [[users["agent"].email]]
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_the_command_sends_nothing_while_another_run_holds_the_lock(collectivite, services, users, mailoutbox):
    _overdue_use_case(collectivite, services, users)
    cache.add(LOCK_KEY, "1")
    try:
        out = StringIO()
        call_command("send_checkpoint_reminders", stdout=out)
    finally:
        cache.delete(LOCK_KEY)

    assert out.getvalue().strip() == fr("Another run is in progress: nothing sent.")
    assert mailoutbox == [] and not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_a_failed_email_takes_back_its_owner_reminders_only(collectivite, services, users, mailoutbox, monkeypatch):
    import smtplib

    from audits import reminders

    # Given two owners with overdue checkpoints
    mine = _overdue_use_case(collectivite, services, users)
    Checkpoint.objects.filter(use_case=mine, type__code="source_verification").update(owner=users["chef"])
    first_owner, second_owner = sorted((users["agent"], users["chef"]), key=lambda user: user.pk)
    send = reminders._send_owner_email

    def failing_for_the_second(owner, *args, **kwargs):
        if owner == second_owner:
            raise smtplib.SMTPServerDisconnected("the mail server went away")
        return send(owner, *args, **kwargs)

    # When the mail server fails on the second owner's e-mail
    monkeypatch.setattr(reminders, "_send_owner_email", failing_for_the_second)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        reminders.send_checkpoint_reminders()

    # Then the first owner's reminder stays sent, the second's is not counted as sent...
    assert [message.to for message in mailoutbox] == [[first_owner.email]]
    assert set(ReminderLog.objects.values_list("checkpoint__owner", flat=True)) == {first_owner.pk}

    # ...and the retry sends it, without sending the first one twice
    monkeypatch.setattr(reminders, "_send_owner_email", send)
    retry = reminders.send_checkpoint_reminders()
    assert retry.emails == 1
    assert [message.to for message in mailoutbox][:2] == [[first_owner.email], [second_owner.email]]
    assert ReminderLog.objects.count() == 2
