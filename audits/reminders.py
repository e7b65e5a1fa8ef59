"""Checkpoint reminders: owners are told before a control is due and while it is overdue; the DPO gets a
daily digest. Idempotent: every reminder sent is logged under a unique key (checkpoint, kind, due date,
week of lateness), claimed in the same transaction as the owner's e-mail, so running the task twice, or
again after a worker restart, sends nothing twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from registry.models import Collectivite, User
from registry.notifications import triage_team

from . import schedule
from .models import Checkpoint, DigestLog, Incident, ReminderLog
from .selectors import LIVE

LOCK_KEY = "registre-ia:checkpoint-reminders:lock"
CHUNK = 2000


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
        owners = User.objects.in_bulk(list(pending))
        from .models import CheckpointType

        types = CheckpointType.objects.in_bulk()
        for owner_id, items in pending.items():
            owner = owners.get(owner_id)
            if owner is None:
                continue
            with transaction.atomic():
                created = ReminderLog.objects.bulk_create(
                    [
                        ReminderLog(checkpoint_id=row[0], kind=kind, due_date=row[2], sequence=sequence)
                        for row, kind, sequence in items
                    ],
                    ignore_conflicts=True,
                )
                run.due_soon += sum(1 for _row, kind, _s in items if kind == ReminderLog.Kind.DUE_SOON)
                run.overdue += sum(1 for _row, kind, _s in items if kind == ReminderLog.Kind.OVERDUE)
                if owner.email and created:
                    run.emails += _send_owner_email(owner, items, types, today)
        run.digests = _send_digests(today)
    finally:
        cache.delete(LOCK_KEY)
    return run


def _send_owner_email(owner: User, items: list[tuple], types: dict, today: date) -> int:
    lines = [
        {
            "reference": row[4],
            "name": row[5],
            "checkpoint": types[row[6]].display_title if row[6] in types else "",
            "due": row[2],
            "overdue": kind == ReminderLog.Kind.OVERDUE,
            "days_late": (today - row[2]).days,
            "url": _url("registry:use_case_detail", row[3]),
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
        subject = " ".join(render_to_string("audits/emails/reminder_subject.txt", context).split())
        body = render_to_string("audits/emails/reminder.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])


def _send_digests(today: date) -> int:
    """One digest a day per collectivité for its DPO (and RSSI): overdue controls and open breach clocks."""
    sent = 0
    overdue = dict(
        Checkpoint.objects.filter(active=True, next_due__lt=today, use_case__status__in=LIVE)
        .values_list("use_case__collectivite_id")
        .annotate(n=Count("pk"))
    )
    breaches = dict(
        Incident.objects.filter(personal_data_breach=True, breach_deadline__gte=timezone.now())
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
                subject = " ".join(render_to_string("audits/emails/digest_subject.txt", context).split())
                body = render_to_string("audits/emails/digest.txt", context)
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return sent
