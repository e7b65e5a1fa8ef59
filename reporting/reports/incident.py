"""The report of one incident, rendered on demand (never stored): the use case and its AI system, the facts, the
qualification with its legal basis (AI Act art. 3(49)), the timeline, each notification and whether it met its
deadline (`audits.incident_clocks`), the status of the initial and complete reports (art. 73(5)), the assessment of a
personal-data breach (RGPD art. 33 and 34), and the actions taken. For the DPO's file, the provider and the authority.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.incident_clocks import art73_applies, incident_clocks
from audits.models import Incident, IncidentNotification
from documents.pdf import PdfSpec, RenderedPdf, render_pdf

SECTIONS = (
    ("facts", gettext_lazy("The facts")),
    ("qualification", gettext_lazy("Qualification")),
    ("deadlines", gettext_lazy("Deadlines")),
    ("notifications", gettext_lazy("Notifications")),
    ("timeline", gettext_lazy("Timeline")),
)


def _timeline(incident: Incident, notifications: list[IncidentNotification]) -> list[dict]:
    events = [
        {"at": incident.occurred_at, "what": _("The incident occurred")},
        {"at": incident.aware_at or incident.created_at, "what": _("The collectivité became aware of it")},
        {"at": incident.created_at, "what": _("Recorded in the register by %(who)s") % {"who": incident.reported_by}},
    ]
    if incident.qualified_at:
        events.append(
            {
                "at": incident.qualified_at,
                "what": (
                    _("Qualified as a serious incident by %(who)s")
                    if incident.serious
                    else _("Qualified as not serious by %(who)s")
                )
                % {"who": incident.qualified_by},
            }
        )
    if incident.breach_assessed_at:
        events.append(
            {
                "at": incident.breach_assessed_at,
                "what": _("Breach assessed by %(who)s: %(risk)s")
                % {"who": incident.breach_assessed_by, "risk": incident.get_breach_risk_display()},
            }
        )
    for notification in notifications:
        events.append(
            {
                "at": notification.sent_at,
                "what": _("%(stage)s sent to: %(recipient)s")
                % {"stage": notification.get_stage_display(), "recipient": notification.get_recipient_display()},
            }
        )
    return sorted(events, key=lambda event: event["at"])


def context(incident: Incident) -> dict:
    notifications = sorted(incident.notifications.all(), key=lambda n: (n.sent_at, n.pk))
    clocks = incident_clocks(incident, notifications)
    deadline_of = {clock.code: clock for clock in clocks}
    rows = []
    for notification in notifications:
        clock = deadline_of.get(notification.recipient)
        in_time = None
        if (
            clock is not None
            and clock.due_at is not None
            and clock.notifications
            and clock.notifications[0] == notification
        ):
            in_time = notification.sent_at <= clock.due_at
        rows.append({"notification": notification, "clock": clock, "in_time": in_time})
    return {
        "incident": incident,
        "use_case": incident.use_case,
        "clocks": clocks,
        "rows": rows,
        "art73_applies": art73_applies(incident.use_case),
        "timeline": _timeline(incident, notifications),
        "sections": SECTIONS,
    }


def spec(incident: Incident) -> PdfSpec:
    with translation.override(settings.LANGUAGE_CODE):
        return PdfSpec(
            template="documents/incident_report.html",
            title=_("Incident report"),
            subtitle=f"{incident.use_case.reference} — {incident.use_case.name}",
            context=context(incident),
            toc=[(anchor, str(label)) for anchor, label in SECTIONS],
        )


def render(incident: Incident) -> RenderedPdf:
    """The report as of now (rendered on each download: the clocks run)."""
    return render_pdf(spec(incident), collectivite=incident.use_case.collectivite, generated_at=timezone.now())
