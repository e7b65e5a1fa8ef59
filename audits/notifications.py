"""E-mails about incidents, in French first, with a direct link."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation

from core.emails import render_email
from registry import outbox
from registry.notifications import triage_team

from .models import Incident

NOTIFY_INCIDENT = "audits.tasks.notify_incident"


def incident_notify(*, incident_id: int, outbox_id: int | None = None) -> int:
    """Tell the DPO and the RSSI of an incident: at most once, and not lost (`registry.outbox`: the task holds the
    incident's outbox entry and records the e-mail as sent once the mail backend took it; a failure is retried).
    Once told, the incident is marked `notified_at`. Returns the number of e-mails sent."""
    pending = Incident.objects.filter(pk=incident_id, notified_at__isnull=True)
    with outbox.claimed(NOTIFY_INCIDENT, {"incident_id": incident_id}, outbox_id) as claim:
        if claim is None or not pending.exists():
            return 0
        incident = Incident.objects.select_related("use_case__collectivite", "reported_by").get(pk=incident_id)
        recipients = triage_team(incident.use_case.collectivite)
        sent = 0
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "incident": incident,
                    "use_case": incident.use_case,
                    "url": settings.SITE_URL.rstrip("/")
                    + reverse("registry:use_case_detail", args=[incident.use_case_id]),
                }
                subject, body = render_email("audits/emails/incident", context)
            sent = claim.once("incident", lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
        pending.update(notified_at=timezone.now())
    return sent
