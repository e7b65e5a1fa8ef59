"""Checkpoint reminders: owners are told before a control is due and while it is overdue; the DPO gets a
daily digest. Idempotent: every reminder sent is logged under a unique key (checkpoint, kind, due date,
week of lateness), claimed in the same transaction as the owner's e-mail, so running the task twice, or
again after a worker restart, sends nothing twice.

Owners are taken OWNERS_PER_TRANSACTION at a time in one transaction, each in a savepoint: an e-mail that
fails takes back its owner's claims only (the owners e-mailed before it are committed, then the error
propagates and the task retries). A worker killed in the middle of a batch re-sends at most that batch's
e-mails: the price of not paying one commit (one disk flush) per owner, which made 100,000 checkpoints
take minutes on SQLite. All e-mails of a run go through one connection to the mail server."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import render_email
from registry.models import Collectivite, User
from registry.notifications import triage_team

from . import schedule
from .models import BreachRisk, Checkpoint, DigestLog, Incident, IncidentNotification, ReminderLog
from .selectors import LIVE

LOCK_KEY = "registre-ia:checkpoint-reminders:lock"
CHUNK = 2000
OWNERS_PER_TRANSACTION = 100


@dataclass
class ReminderRun:
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0
    digests: int = 0
    skipped_locked: bool = False


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _candidates(today: date):
    soon = today + timedelta(days=schedule.DUE_SOON_DAYS)
    return (
        Checkpoint.objects.filter(active=True, owner__isnull=False, next_due__isnull=False, next_due__lte=soon)
        .filter(use_case__status__in=LIVE)
        .values_list("pk", "owner_id", "next_due", "use_case_id", "use_case__reference", "use_case__name", "type_id")
        .order_by("owner_id", "next_due")
    )


def _pending(today: date) -> dict[int, list[tuple]]:
    """Per owner, the (checkpoint row, kind, sequence) reminders not sent yet."""
    rows = list(_candidates(today))
    pending: dict[int, list[tuple]] = defaultdict(list)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        wanted = {}
        for row in chunk:
            pk, _owner, due = row[0], row[1], row[2]
            if due < today:
                wanted[pk] = (ReminderLog.Kind.OVERDUE, due, schedule.weeks_overdue(due, today))
            else:
                wanted[pk] = (ReminderLog.Kind.DUE_SOON, due, 0)
        sent = set(
            ReminderLog.objects.filter(checkpoint_id__in=list(wanted)).values_list(
                "checkpoint_id", "kind", "due_date", "sequence"
            )
        )
        for row in chunk:
            kind, due, sequence = wanted[row[0]]
            if (row[0], kind, due, sequence) not in sent:
                pending[row[1]].append((row, kind, sequence))
    return pending


def send_checkpoint_reminders(today: date | None = None) -> ReminderRun:
    """Send every reminder due today (Europe/Paris calendar). Safe to run as often as one likes."""
    today = today or timezone.localdate()
    run = ReminderRun()
    if not cache.add(LOCK_KEY, "1", timeout=30 * 60):
        run.skipped_locked = True
        return run
    try:
        pending = _pending(today)
        with get_connection() as connection:
            if pending:
                _send_owner_reminders(pending, today, run, connection)
            run.digests = _send_digests(today, connection)
    finally:
        cache.delete(LOCK_KEY)
    return run


def _send_owner_reminders(pending: dict[int, list[tuple]], today: date, run: ReminderRun, connection) -> None:
    from .models import CheckpointType

    owners = User.objects.in_bulk(list(pending))
    types = CheckpointType.objects.in_bulk()
    detail_url = _detail_url()
    owner_ids = [owner_id for owner_id in pending if owner_id in owners]
    for start in range(0, len(owner_ids), OWNERS_PER_TRANSACTION):
        failure = None
        with transaction.atomic():
            for owner_id in owner_ids[start : start + OWNERS_PER_TRANSACTION]:
                owner, items = owners[owner_id], pending[owner_id]
                try:
                    with transaction.atomic():
                        ReminderLog.objects.bulk_create(
                            [
                                ReminderLog(checkpoint_id=row[0], kind=kind, due_date=row[2], sequence=sequence)
                                for row, kind, sequence in items
                            ],
                            ignore_conflicts=True,
                        )
                        if owner.email:
                            run.emails += _send_owner_email(owner, items, types, today, detail_url, connection)
                except Exception as error:  # noqa: BLE001 - re-raised once the owners before it are committed
                    failure = error
                    break
                run.due_soon += sum(1 for _row, kind, _s in items if kind == ReminderLog.Kind.DUE_SOON)
                run.overdue += sum(1 for _row, kind, _s in items if kind == ReminderLog.Kind.OVERDUE)
        if failure is not None:
            raise failure


def _detail_url():
    """The link to a use case, built once: reversing the URL for each of thousands of lines costs seconds."""
    marker = 987654321
    template = _url("registry:use_case_detail", marker)
    head, tail = template.split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _send_owner_email(owner: User, items: list[tuple], types: dict, today: date, detail_url, connection=None) -> int:
    lines = [
        {
            "reference": row[4],
            "name": row[5],
            "checkpoint": types[row[6]].display_title if row[6] in types else "",
            "due": row[2],
            "overdue": kind == ReminderLog.Kind.OVERDUE,
            "days_late": (today - row[2]).days,
            "url": detail_url(row[3]),
        }
        for row, kind, _sequence in items
    ]
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "owner": owner,
            "lines": lines,
            "overdue_count": sum(1 for line in lines if line["overdue"]),
            "mine_url": _url("audits:my_checkpoints"),
        }
        subject, body = render_email("audits/emails/reminder", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email], connection=connection)


def _send_digests(today: date, connection=None) -> int:
    """One digest a day per collectivité for its DPO (and RSSI): overdue controls and open breach clocks."""
    sent = 0
    overdue = dict(
        Checkpoint.objects.filter(active=True, next_due__lt=today, use_case__status__in=LIVE)
        .values_list("use_case__collectivite_id")
        .annotate(n=Count("pk"))
    )
    breaches = dict(
        Incident.objects.filter(personal_data_breach=True, breach_deadline__gte=timezone.now())
        # Assessed as harmless, or already notified to the CNIL: the clock has stopped.
        .exclude(breach_risk__in=[BreachRisk.NOT_A_BREACH, BreachRisk.UNLIKELY])
        .exclude(notifications__recipient=IncidentNotification.Recipient.CNIL)
        .values_list("use_case__collectivite_id")
        .annotate(n=Count("pk"))
    )
    unowned = dict(
        Checkpoint.objects.filter(active=True, owner__isnull=True, use_case__status__in=LIVE)
        .values_list("use_case__collectivite_id")
        .annotate(n=Count("pk"))
    )
    for collectivite in Collectivite.objects.filter(
        Q(pk__in=list(overdue)) | Q(pk__in=list(breaches)) | Q(pk__in=list(unowned))
    ):
        with transaction.atomic():
            _log, created = DigestLog.objects.get_or_create(collectivite=collectivite, day=today)
            if not created:
                continue
            recipients = triage_team(collectivite)
            if not recipients:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "collectivite": collectivite,
                    "today": today,
                    "overdue": overdue.get(collectivite.pk, 0),
                    "breaches": breaches.get(collectivite.pk, 0),
                    "unowned": unowned.get(collectivite.pk, 0),
                    "compliance_url": _url("audits:compliance"),
                }
                subject, body = render_email("audits/emails/digest", context)
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, connection=connection)
    return sent
