"""Reminders of the explanation requests still open: 7 days and 2 days before their deadline, and once it has
passed, to the DPO and the heads of the owning service. Idempotent: each reminder is logged under a unique key
(request, kind, deadline) claimed in the same transaction as its e-mail, so a second run sends nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import render_email

from .models import OPEN_STATUSES, ExplanationRequest, ReminderLog
from .notifications import site_url, staff_recipients

# Days before the deadline when a reminder goes, and its kind (the latest one due is sent, never an earlier one late).
BEFORE = ((2, ReminderLog.Kind.DAYS_2), (7, ReminderLog.Kind.DAYS_7))


@dataclass
class ReminderRun:
    due_soon: int = 0
    overdue: int = 0
    emails: int = 0


def _kind(request: ExplanationRequest, today: date) -> str | None:
    left = (request.deadline - today).days
    if left < 0:
        return ReminderLog.Kind.OVERDUE
    for days, kind in BEFORE:
        if left <= days:
            return kind
    return None


def send_reminders(today: date | None = None) -> ReminderRun:
    today = today or timezone.localdate()
    run = ReminderRun()
    horizon = today.toordinal() + max(days for days, _label in BEFORE)
    candidates = (
        ExplanationRequest.objects.filter(status__in=OPEN_STATUSES, deadline__lte=date.fromordinal(horizon))
        .select_related("collectivite", "use_case", "service")
        .order_by("deadline", "pk")
    )
    with get_connection() as connection:
        for request in candidates:
            kind = _kind(request, today)
            if (
                kind is None
                or ReminderLog.objects.filter(request=request, kind=kind, deadline=request.deadline).exists()
            ):
                continue
            recipients = staff_recipients(request)
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(request=request, kind=kind, deadline=request.deadline)
                    if recipients:
                        with translation.override(settings.LANGUAGE_CODE):
                            context = {
                                "req": request,
                                "overdue": kind == ReminderLog.Kind.OVERDUE,
                                "days_left": max((request.deadline - today).days, 0),
                                "url": site_url(reverse("explanations:detail", args=[request.pk])),
                            }
                            subject, body = render_email("explanations/emails/reminder", context)
                        run.emails += send_mail(
                            subject, body, settings.DEFAULT_FROM_EMAIL, recipients, connection=connection
                        )
            except IntegrityError:  # another run claimed it meanwhile
                continue
            if kind == ReminderLog.Kind.OVERDUE:
                run.overdue += 1
            else:
                run.due_soon += 1
    return run
