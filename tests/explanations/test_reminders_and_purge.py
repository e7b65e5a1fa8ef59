"""Reminders before the deadline and once late (never twice), and the purge of the requesters' data."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.access import get_access
from explanations import services
from explanations.models import ExplanationRequest, ReminderLog
from explanations.reminders import send_reminders
from explanations.selectors import annual_statistics
from security.models import SecurityEvent

from .factories import make_request

pytestmark = pytest.mark.django_db


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


@pytest.fixture
def request_ccas(collectivite, entry):
    request, _ = make_request(collectivite, entry, received_at=_at(datetime.date(2026, 3, 10)))
    assert request.deadline == datetime.date(2026, 4, 10)
    mail.outbox.clear()
    return request


def test_reminders_7_and_2_days_before_and_when_late_once_each(request_ccas, users, head_ccas):
    assert send_reminders(datetime.date(2026, 4, 1)).emails == 0  # 9 days before: nothing
    run = send_reminders(datetime.date(2026, 4, 3))
    assert run.due_soon == 1 and run.emails == 1
    [message] = mail.outbox
    assert set(message.to) >= {users["dpo"].email, head_ccas.email}
    assert users["agent"].email not in message.to
    assert send_reminders(datetime.date(2026, 4, 3)).emails == 0  # not twice
    assert send_reminders(datetime.date(2026, 4, 8)).due_soon == 1
    run = send_reminders(datetime.date(2026, 4, 11))
    assert run.overdue == 1
    assert "échéance dépassée" in mail.outbox[-1].subject
    assert send_reminders(datetime.date(2026, 4, 20)).emails == 0
    assert ReminderLog.objects.count() == 3


def test_no_reminder_for_a_closed_request(request_ccas, users, collectivite):
    ExplanationRequest.objects.filter(pk=request_ccas.pk).update(status="sent")
    assert send_reminders(datetime.date(2026, 4, 11)).emails == 0


def _send(request, user, collectivite):
    request = services.draft_save(
        request=request,
        acting_user=user,
        access=get_access(user, collectivite),
        data={"answer_parameters": "Quotient familial", "answer_main_elements": "Refus"},
        expected_version=request.version,
    )
    return services.request_send(request=request, acting_user=user, access=get_access(user, collectivite))


def test_the_purge_clears_the_person_but_keeps_the_statistics(
    request_ccas, users, collectivite, settings, django_capture_on_commit_callbacks
):
    settings.EXPLANATION_RETENTION_MONTHS = 24
    sent = _send(request_ccas, users["dpo"], collectivite)
    letter = sent.letter.name
    storage = sent.letter.storage
    assert storage.exists(letter)
    call_command("purge_explanation_requests")
    assert ExplanationRequest.objects.get().requester_name  # not yet: closed today
    ExplanationRequest.objects.filter(pk=sent.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=24 * 31 + 1)
    )
    before = annual_statistics(collectivite_ids=[collectivite.pk], year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_explanation_requests")
    purged = ExplanationRequest.objects.get()
    assert purged.anonymised_at is not None
    assert (purged.requester_name, purged.requester_email, purged.requester_address, purged.message) == ("", "", "", "")
    assert purged.answer_parameters == "" and not purged.letter and purged.letter_sha256
    assert not storage.exists(letter)
    assert SecurityEvent.objects.filter(kind="explanation_purged", object_id=str(purged.pk)).exists()
    after = annual_statistics(collectivite_ids=[collectivite.pk], year=2026)
    assert (after.received, after.answered_late) == (before.received, before.answered_late) == (1, 1)


def test_open_requests_are_never_purged(request_ccas, settings):
    settings.EXPLANATION_RETENTION_MONTHS = 0
    assert services.requests_purge() == 0


def test_annual_statistics(collectivite, entry, users, other_collectivite):
    on_time, _ = make_request(collectivite, entry, received_at=_at(datetime.date(2026, 3, 10)))
    _send(on_time, users["dpo"], collectivite)  # sent today: after 10 April 2026, so late
    late_open, _ = make_request(collectivite, None, received_at=_at(datetime.date(2026, 3, 11)))
    make_request(collectivite, entry, received_at=_at(datetime.date(2025, 6, 1)))
    make_request(other_collectivite, None, received_at=_at(datetime.date(2026, 3, 11)))
    ExplanationRequest.objects.filter(pk=on_time.pk).update(closed_on=datetime.date(2026, 4, 2))
    figures = annual_statistics(collectivite_ids=[collectivite.pk], year=2026, today=datetime.date(2026, 5, 1))
    assert (figures.received, figures.answered_in_time, figures.answered_late, figures.open_overdue) == (2, 1, 0, 1)
    rows = {row.use_case_id: row for row in figures.by_use_case}
    assert rows[entry.pk].received == 1 and rows[entry.pk].answered_in_time == 1
    assert rows[None].open_overdue == 1
    ExplanationRequest.objects.filter(pk=on_time.pk).update(closed_on=datetime.date(2026, 4, 20))
    figures = annual_statistics(collectivite_ids=[collectivite.pk], year=2026, today=datetime.date(2026, 5, 1))
    assert (figures.answered_in_time, figures.answered_late) == (0, 1)
