"""E-mails of the register, in French first, each with a direct link. Called by Celery tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .choices import RiskLevel, Role
from .models import DeclarationEvent, User

TRIAGE_ALERT_LEVELS = frozenset({RiskLevel.HIGH, RiskLevel.CRITICAL})


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def triage_team(collectivite) -> list[str]:
    """The DPO and RSSI of the collectivité: the contact addresses and the people holding the roles."""
    emails = {collectivite.dpo_email, collectivite.rssi_email}
    emails.update(
        User.objects.filter(
            Q(memberships__collectivite=collectivite, memberships__role__in=(Role.DPO, Role.RSSI)), is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(e for e in emails if e)


def declaration_event_notify(*, event_id: int) -> int:
    """Send the e-mails of one declaration event. Idempotent: the event is claimed by a conditional UPDATE,
    so a task run twice (retry, worker restart) sends nothing twice. Returns the number of e-mails sent."""
    claimed = DeclarationEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return 0
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
                    sent += _send("registry/emails/declaration_alert", context, recipients)
        elif event.message and declaration.author_id and declaration.author.email:
            sent += _send("registry/emails/declaration_answer", context, [declaration.author.email])
    return sent


def _send(template: str, context: dict, recipients: list[str]) -> int:
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
