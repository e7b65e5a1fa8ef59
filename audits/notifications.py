"""E-mails about incidents, in French first, with a direct link."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation

from registry.emails import render_email
from registry.notifications import triage_team

from .models import Incident


def incident_notify(*, incident_id: int) -> int:
    """Sends once: the incident is claimed by a conditional UPDATE of `notified_at`."""
    if not Incident.objects.filter(pk=incident_id, notified_at__isnull=True).update(notified_at=timezone.now()):
        return 0
    incident = Incident.objects.select_related("use_case__collectivite", "reported_by").get(pk=incident_id)
    recipients = triage_team(incident.use_case.collectivite)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "incident": incident,
            "use_case": incident.use_case,
            "url": settings.SITE_URL.rstrip("/") + reverse("registry:use_case_detail", args=[incident.use_case_id]),
        }
        subject, body = render_email("audits/emails/incident", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
