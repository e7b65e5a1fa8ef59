"""E-mails about the notification deadlines of incidents, to the DPO and the RSSI of the collectivité: when an incident
is qualified as serious (through the outbox, once), and reminders before each deadline and while it is overdue (the
Celery beat task `send_incident_reminders`, every hour: the shortest deadlines are hours away).

Idempotent: each reminder is logged under a unique key (incident, deadline, kind, week of lateness) in the same
transaction as its e-mail, so running the task twice sends nothing twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import render_email
from registry import outbox
from registry.notifications import triage_team

from .incident_clocks import DUE_SOON, Status, incident_clocks
from .models import BreachRisk, Incident, IncidentReminderLog

DUE_SOON_KIND = "due_soon"
OVERDUE_KIND = "overdue"


@dataclass
class IncidentReminderRun:
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0


def incident_url(incident: Incident) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("audits:incident_detail", args=[incident.pk])


def incident_qualified_notify(*, incident_id: int, outbox_id: int | None = None) -> int:
    """Tell the DPO and the RSSI that an incident was qualified as serious, with its deadlines (at most once)."""
    with outbox.claimed("audits.tasks.notify_incident_qualified", {"incident_id": incident_id}, outbox_id) as claim:
        if claim is None:
            return 0
        incident = (
            Incident.objects.select_related("use_case__collectivite", "qualified_by")
            .prefetch_related("notifications")
            .filter(pk=incident_id, serious=True)
            .first()
        )
        if incident is None:
            return 0
        recipients = triage_team(incident.use_case.collectivite)
        if not recipients:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "incident": incident,
                "use_case": incident.use_case,
                "clocks": incident_clocks(incident),
                "url": incident_url(incident),
            }
            subject, body = render_email("audits/emails/incident_serious", context)
        return claim.once("qualified", lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


def open_clock_incidents():
    """The incidents that may have a deadline running: qualified serious, or a breach not assessed as harmless."""
    return (
        Incident.objects.filter(
            Q(serious=True, use_case__ai_system=True)
            | (Q(personal_data_breach=True) & ~Q(breach_risk__in=[BreachRisk.NOT_A_BREACH, BreachRisk.UNLIKELY]))
        )
        .select_related("use_case", "use_case__collectivite", "use_case__service", "use_case__owner")
        .prefetch_related("notifications")
    )


def _wanted(incident: Incident, now: datetime.datetime) -> list[tuple]:
    """(clock, kind, sequence) of the reminders the incident calls for now."""
    wanted = []
    for clock in incident_clocks(incident, list(incident.notifications.all())):
        status = clock.status_at(now)
        if status == Status.OVERDUE:
            weeks = (now - clock.due_at).days // 7
            wanted.append((clock, OVERDUE_KIND, weeks))
        elif status == Status.DUE and clock.code in DUE_SOON and clock.due_at - now <= DUE_SOON[clock.code]:
            wanted.append((clock, DUE_SOON_KIND, 0))
    return wanted


def send_incident_reminders(now: datetime.datetime | None = None) -> IncidentReminderRun:
    now = now or timezone.now()
    run = IncidentReminderRun()
    # Only the last year's incidents: an older clock is long past, and the compliance page keeps showing it.
    candidates = open_clock_incidents().filter(aware_at__gte=now - datetime.timedelta(days=366))
    with get_connection() as connection:
        for incident in candidates.iterator(chunk_size=200):
            for clock, kind, sequence in _wanted(incident, now):
                try:
                    with transaction.atomic():
                        IncidentReminderLog.objects.create(
                            incident=incident, clock=clock.code, kind=kind, due_at=clock.due_at, sequence=sequence
                        )
                        run.emails += _send(incident, clock, kind == OVERDUE_KIND, connection)
                except IntegrityError:
                    continue  # already sent
                if kind == OVERDUE_KIND:
                    run.overdue += 1
                else:
                    run.due_soon += 1
    return run


def _send(incident: Incident, clock, overdue: bool, connection) -> int:
    recipients = triage_team(incident.use_case.collectivite)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "incident": incident,
            "use_case": incident.use_case,
            "clock": clock,
            "overdue": overdue,
            "url": incident_url(incident),
        }
        subject, body = render_email("audits/emails/incident_clock", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, connection=connection)
