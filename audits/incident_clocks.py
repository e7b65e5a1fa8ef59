"""The notification deadlines of an incident, derived from its qualification and its notifications: pure functions of
the rows already read (no query), shared by the incident page, « Mes tâches », the reminders, the compliance page, the
API and the PDF report.

The clocks and the reading of the texts they follow:
- provider (AI Act art. 26(5)): « immédiatement ». Shown as due the day the collectivité became aware; late after it.
- market surveillance authority (AI Act art. 26(5) and 73): the outer limits of art. 73 — 15 days after awareness
  (73(2)), 10 days in case of death (73(4)), 2 days for a widespread infringement (art. 3(61)) or a serious and
  irreversible disruption of critical infrastructure (art. 3(49)(b), 73(3)). Art. 73 counts days, not working days:
  calendar days, the first being the day after awareness, the last ending at midnight (Europe/Paris), never extended
  for a weekend or a public holiday (the stricter reading of Regulation 1182/71, art. 3). An initial report meets the
  deadline; the complete one may follow (73(5)).
  Art. 26(5) and 73 are obligations of deployers of high-risk systems: for another AI system the two clocks are shown
  as advice (informing the provider and the authority remains good practice), never as late.
- CNIL (RGPD art. 33(1)): 72 hours after awareness, unless the DPO recorded that the breach is unlikely to result in
  a risk to the persons (then the reason is the record, art. 33(5)).
- persons concerned (RGPD art. 34): « dans les meilleurs délais » when the risk is high, unless one of the cases of
  art. 34(3) applies (recorded). No fixed date: due at once, never counted late by the register.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from registry.choices import AiActRisk

from .models import BreachRisk, Incident, IncidentNotification, SeriousCategory

PROVIDER = IncidentNotification.Recipient.PROVIDER
AUTHORITY = IncidentNotification.Recipient.AUTHORITY
CNIL = IncidentNotification.Recipient.CNIL
PERSONS = IncidentNotification.Recipient.PERSONS

AUTHORITY_DAYS_DEFAULT = 15  # art. 73(2)
AUTHORITY_DAYS_DEATH = 10  # art. 73(4)
AUTHORITY_DAYS_URGENT = 2  # art. 73(3)
CNIL_HOURS = 72  # RGPD art. 33(1)
# A reminder goes out this long before a deadline (the provider's is at once: no reminder before it).
DUE_SOON = {AUTHORITY: datetime.timedelta(days=2), CNIL: datetime.timedelta(hours=24)}


class Status:
    MET = "met"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"
    PENDING = "pending"  # no date: as soon as possible
    NOT_REQUIRED = "not_required"
    ADVISORY = "advisory"  # the AI Act's clock does not bind this system: advice only


STATUS_LABELS = {
    Status.MET: _("Done within the deadline"),
    Status.LATE: _("Done late"),
    Status.DUE: _("To do"),
    Status.OVERDUE: _("Overdue"),
    Status.PENDING: _("To do as soon as possible"),
    Status.NOT_REQUIRED: _("Not required"),
    Status.ADVISORY: _("Recommended (not a legal deadline for this system)"),
}

TITLES = {
    PROVIDER: _("Inform the provider"),
    AUTHORITY: _("Notify the market surveillance authority"),
    CNIL: _("Notify the CNIL"),
    PERSONS: _("Inform the persons concerned"),
}
BASES = {
    PROVIDER: _("AI Act art. 26(5)"),
    AUTHORITY: _("AI Act art. 26(5) and 73"),
    CNIL: _("RGPD art. 33"),
    PERSONS: _("RGPD art. 34"),
}


@dataclass
class Clock:
    code: str
    title: str
    basis: str
    rule: str
    due_at: datetime.datetime | None = None
    applies: bool = True
    not_required: str = ""
    notifications: list = field(default_factory=list)
    initial_only: bool = False

    @property
    def done_at(self) -> datetime.datetime | None:
        return self.notifications[0].sent_at if self.notifications else None

    def status_at(self, now: datetime.datetime) -> str:
        if self.not_required:
            return Status.NOT_REQUIRED
        if self.done_at is not None:
            return Status.MET if self.due_at is None or self.done_at <= self.due_at else Status.LATE
        if not self.applies:
            return Status.ADVISORY
        if self.due_at is None:
            return Status.PENDING
        return Status.OVERDUE if now > self.due_at else Status.DUE

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def open(self) -> bool:
        """Something remains to be done by a deadline of the law (what « Mes tâches » and the reminders follow)."""
        return self.status in (Status.DUE, Status.OVERDUE, Status.PENDING)

    @property
    def overdue(self) -> bool:
        return self.status == Status.OVERDUE

    @property
    def time_left(self) -> str:
        """« 3 jours et 4 heures restants », « en retard de 2 jours », in the reader's language."""
        if self.due_at is None or self.done_at is not None or self.not_required or not self.applies:
            return ""
        return time_left_text(self.due_at - timezone.now())


def time_left_text(delta: datetime.timedelta) -> str:
    late = delta < datetime.timedelta(0)
    seconds = abs(int(delta.total_seconds()))
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    parts = []
    if days:
        parts.append(npgettext("duration", "%(n)d day", "%(n)d days", days) % {"n": days})
    if hours and days < 3:
        parts.append(npgettext("duration", "%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and not hours:
        parts.append(npgettext("duration", "%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    amount = str(_(" and ")).join(parts)
    return str(_("overdue by %(time)s") % {"time": amount} if late else _("%(time)s left") % {"time": amount})


def end_of_day(moment: datetime.datetime, days: int = 0) -> datetime.datetime:
    """The last instant (Europe/Paris) of the calendar day `days` after the day of `moment`."""
    local = timezone.localtime(moment)
    day = local.date() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def authority_days(incident: Incident) -> int:
    """Art. 73(2)-(4): the shortest limit among those the qualification calls for."""
    if (
        incident.widespread_infringement
        or incident.critical_infrastructure_disruption
        or incident.serious_category == SeriousCategory.INFRASTRUCTURE
    ):
        return AUTHORITY_DAYS_URGENT
    if incident.death:
        return AUTHORITY_DAYS_DEATH
    return AUTHORITY_DAYS_DEFAULT


def authority_rule(days: int) -> str:
    if days == AUTHORITY_DAYS_URGENT:
        return str(
            _("2 calendar days after awareness: widespread infringement or critical infrastructure (art. 73(3))")
        )
    if days == AUTHORITY_DAYS_DEATH:
        return str(_("10 calendar days after awareness: death of a person (art. 73(4))"))
    return str(_("15 calendar days after awareness (art. 73(2))"))


def art73_applies(use_case) -> bool:
    """Art. 26(5) and 73 bind the deployers of high-risk AI systems."""
    return bool(use_case.ai_system) and use_case.ai_act_risk == AiActRisk.HIGH


def incident_clocks(incident: Incident, notifications=None) -> list[Clock]:
    """The incident's deadlines. `notifications`: its notifications (read once by the caller, e.g. prefetched)."""
    if notifications is None:
        notifications = list(incident.notifications.all())
    by_recipient: dict[str, list] = {}
    for notification in sorted(notifications, key=lambda n: (n.sent_at, n.pk or 0)):
        by_recipient.setdefault(notification.recipient, []).append(notification)
    aware_at = incident.aware_at or incident.created_at
    clocks = []
    if incident.serious and incident.use_case.ai_system:
        applies = art73_applies(incident.use_case)
        clocks.append(
            Clock(
                PROVIDER,
                str(TITLES[PROVIDER]),
                str(BASES[PROVIDER]),
                str(_("Immediately: by the end of the day of awareness")),
                due_at=end_of_day(aware_at),
                applies=applies,
                notifications=by_recipient.get(PROVIDER, []),
            )
        )
        days = authority_days(incident)
        sent = by_recipient.get(AUTHORITY, [])
        clocks.append(
            Clock(
                AUTHORITY,
                str(TITLES[AUTHORITY]),
                str(BASES[AUTHORITY]),
                authority_rule(days),
                due_at=end_of_day(aware_at, days),
                applies=applies,
                notifications=sent,
                initial_only=bool(sent) and not any(n.stage == IncidentNotification.Stage.COMPLETE for n in sent),
            )
        )
    if incident.personal_data_breach and incident.breach_risk != BreachRisk.NOT_A_BREACH:
        clocks.append(
            Clock(
                CNIL,
                str(TITLES[CNIL]),
                str(BASES[CNIL]),
                str(_("72 hours after awareness")),
                due_at=aware_at + datetime.timedelta(hours=CNIL_HOURS),
                not_required=incident.cnil_not_required_reason if incident.breach_risk == BreachRisk.UNLIKELY else "",
                notifications=by_recipient.get(CNIL, []),
            )
        )
        if incident.breach_risk == BreachRisk.HIGH:
            clocks.append(
                Clock(
                    PERSONS,
                    str(TITLES[PERSONS]),
                    str(BASES[PERSONS]),
                    str(_("As soon as possible (high risk to the persons)")),
                    not_required=incident.get_persons_exemption_display() if incident.persons_exemption else "",
                    notifications=by_recipient.get(PERSONS, []),
                )
            )
    return clocks
