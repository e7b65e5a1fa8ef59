"""E-mails of the explanation requests: the acknowledgment to the person (with the follow-up link), the alert to the
DPO and the owning service, the letter (PDF attached) once signed. Sent after commit through the outbox
(`registry.outbox`): at most once per recipient, and never lost."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import render_email
from core.roles import Role
from registry import outbox
from registry.models import User

from .models import ExplanationRequest

NOTIFY_RECEIVED = "explanations.tasks.notify_request_received"
SEND_LETTER = "explanations.tasks.send_letter"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def follow_up_url(token: str) -> str:
    return site_url(reverse("explanations_public:follow_up", args=[token]))


def staff_recipients(request: ExplanationRequest) -> list[str]:
    """The DPO (role holders and the collectivité's contact address) and the heads of the owning service."""
    collectivite = request.collectivite
    emails = {collectivite.dpo_email}
    condition = Q(memberships__collectivite=collectivite, memberships__role=Role.DPO)
    if request.service_id:
        paths = [request.service.path[:end] for end in range(1, len(request.service.path) + 1)]
        condition |= Q(
            memberships__collectivite=collectivite,
            memberships__role=Role.HEAD_OF_SERVICE,
            memberships__service__path__in=paths,
        )
    emails.update(User.objects.filter(condition, is_active=True).exclude(email="").values_list("email", flat=True))
    return sorted(email for email in emails if email)


def _context(request: ExplanationRequest, **extra) -> dict:
    return {
        "req": request,
        "collectivite": request.collectivite,
        "settings_retention": settings.EXPLANATION_RETENTION_MONTHS,
        **extra,
    }


def request_received_notify(*, request_id: int, token: str, outbox_id: int | None = None) -> int:
    """The acknowledgment to the person, and the alert to the DPO and the service."""
    kwargs = {"request_id": request_id, "token": token}
    with outbox.claimed(NOTIFY_RECEIVED, kwargs, outbox_id) as claim:
        if claim is None:
            return 0
        request = (
            ExplanationRequest.objects.select_related("collectivite", "use_case", "service")
            .filter(pk=request_id, anonymised_at__isnull=True)
            .first()
        )
        if request is None:
            return 0
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            if request.requester_email:
                subject, body = render_email(
                    "explanations/emails/acknowledgment", _context(request, url=follow_up_url(token))
                )
                sent += claim.once(
                    "requester",
                    lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [request.requester_email]),
                )
            recipients = staff_recipients(request)
            if recipients:
                url = site_url(reverse("explanations:detail", args=[request.pk]))
                subject2, body2 = render_email("explanations/emails/new_request", _context(request, url=url))
                sent += claim.once("staff", lambda: send_mail(subject2, body2, settings.DEFAULT_FROM_EMAIL, recipients))
    return sent


def letter_send(*, request_id: int, token: str = "", outbox_id: int | None = None) -> int:
    """The signed letter to the person, PDF attached (the follow-up page keeps it too)."""
    kwargs = {"request_id": request_id}
    with outbox.claimed(SEND_LETTER, kwargs, outbox_id) as claim:
        if claim is None:
            return 0
        request = (
            ExplanationRequest.objects.select_related("collectivite")
            .filter(pk=request_id, anonymised_at__isnull=True)
            .exclude(letter="")
            .first()
        )
        if request is None or not request.requester_email:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = render_email("explanations/emails/letter", _context(request))
        with request.letter.open("rb") as handle:
            content = handle.read()

        def send() -> int:
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [request.requester_email])
            message.attach(request.letter_filename, content, "application/pdf")
            return message.send()

        sent = claim.once("letter", send)
        ExplanationRequest.objects.filter(pk=request_id).update(letter_emailed_at=timezone.now())
    return sent


def enqueue_received(request: ExplanationRequest, token: str) -> None:
    # The token travels in the outbox row until the acknowledgment is sent (the database keeps its hash only);
    # done entries are deleted by the sweep after their retention (`registry.outbox.DONE_RETENTION`).
    outbox.enqueue(NOTIFY_RECEIVED, request_id=request.pk, token=token)


def enqueue_letter(request: ExplanationRequest) -> None:
    outbox.enqueue(SEND_LETTER, request_id=request.pk)
