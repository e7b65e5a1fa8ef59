"""E-mails of the shadow-AI declarations, in French first, each with a direct link. Called by Celery tasks
(`declarations.tasks`) and by `manage.py send_declaration_alerts`.

The DPO and the RSSI are alerted of a risky declaration (or a possible breach); a named agent reads the answers
given to them. Each e-mail is sent at most once and none is lost (`registry.outbox`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import render_email
from registry import outbox
from registry.choices import RiskLevel
from registry.notifications import triage_team

from .models import DeclarationEvent
from .services import NOTIFY_DECLARATION_EVENT, start_of_day

__all__ = ["NOTIFY_DECLARATION_EVENT", "anonymous_declaration_alerts_send", "declaration_event_notify"]

TRIAGE_ALERT_LEVELS = frozenset({RiskLevel.HIGH, RiskLevel.CRITICAL})


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def declaration_event_notify(*, event_id: int, outbox_id: int | None = None) -> int:
    """Send the e-mails of one declaration event, each at most once and none lost (`registry.outbox`: the task
    holds the event's outbox entry, each e-mail sent is recorded before the next, a failure is retried).
    Idempotent: once told, the event is marked `notified_at`. Returns the number of e-mails sent.
    The alert of an anonymous declaration waits until the day after it was made (whoever asks for it earlier gets 0
    and it stays to send): an e-mail's time would tell the time of day the declaration was made."""
    pending = DeclarationEvent.objects.filter(pk=event_id, notified_at__isnull=True)
    if _anonymous_submissions().filter(pk=event_id, created_at__gte=start_of_day()).exists():
        if outbox_id is not None:
            outbox.retry_at(outbox_id, start_of_day() + timedelta(days=1))
        return 0
    with outbox.claimed(NOTIFY_DECLARATION_EVENT, {"event_id": event_id}, outbox_id) as claim:
        if claim is None or not pending.exists():
            return 0
        sent = _declaration_event_send(event_id, claim)
        pending.update(notified_at=timezone.now())
    return sent


def _declaration_event_send(event_id: int, claim: outbox.Claim) -> int:
    event = DeclarationEvent.objects.select_related(
        "declaration__collectivite", "declaration__author", "declaration__tool"
    ).get(pk=event_id)
    declaration = event.declaration
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "declaration": declaration,
            "event": event,
            "collectivite": declaration.collectivite,
            "mine_url": _absolute(reverse("registry:my_declarations")),
            "follow_up_url": _absolute(reverse("registry:declaration_follow_up", args=[declaration.follow_up_code])),
            "triage_url": _absolute(reverse("registry:declaration_triage", args=[declaration.pk])),
        }
        if event.kind == DeclarationEvent.Kind.SUBMITTED:
            if declaration.risk_level in TRIAGE_ALERT_LEVELS or declaration.possible_breach:
                recipients = triage_team(declaration.collectivite)
                if recipients:
                    template = "registry/emails/declaration_alert"
                    sent += claim.once(template, lambda: _send(template, context, recipients))
        elif event.message and declaration.author_id and declaration.author.email:
            template, to = "registry/emails/declaration_answer", [declaration.author.email]
            sent += claim.once(template, lambda: _send(template, context, to))
    return sent


def _anonymous_submissions():
    return DeclarationEvent.objects.filter(kind=DeclarationEvent.Kind.SUBMITTED, declaration__author__isnull=True)


def anonymous_declaration_alerts_send() -> int:
    """The daily batch of the alerts of anonymous declarations made before today (celery beat every morning, or
    `manage.py send_declaration_alerts`): sent together, the day after, they carry no time of day. Idempotent.
    Returns the number of e-mails sent."""
    waiting = _anonymous_submissions().filter(notified_at__isnull=True, created_at__lt=start_of_day())
    return sum(declaration_event_notify(event_id=pk) for pk in waiting.order_by("pk").values_list("pk", flat=True))


def _send(template: str, context: dict, recipients: list[str]) -> int:
    subject, body = render_email(template, context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
