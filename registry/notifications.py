"""E-mails of the register, in French first, each with a direct link. Called by Celery tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.emails import render_email
from core.roles import Role

from . import outbox
from .models import CommitteeMember, UseCaseEvent, User

# The task that sends them (`registry.tasks`), as the outbox names it.
NOTIFY_USE_CASE_EVENT = "registry.tasks.notify_use_case_event"


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


def _send(template: str, context: dict, recipients: list[str]) -> int:
    subject, body = render_email(template, context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


# Review workflow ----------------------------------------------------------------------------------------------
_K = UseCaseEvent.Kind
# Who hears of each step: the reviewers (DPO, RSSI), the use case's owner, the committee's secretariat
# (chair and DPO), the committee's members.
EVENT_AUDIENCES = {
    _K.SUBMITTED: ("reviewers",),
    _K.RECORDED: ("reviewers",),
    _K.OPINION: ("owner",),
    _K.RETURNED: ("owner",),
    _K.TO_COMMITTEE: ("owner", "secretariat"),
    _K.SCHEDULED: ("owner", "members"),
    _K.COMMITTEE_OPINION: ("owner", "reviewers"),
    _K.DECIDED: ("owner", "reviewers"),
    _K.STALE: ("owner", "reviewers"),
    _K.REREVIEW: ("owner", "reviewers"),
    _K.RETIRED: ("owner", "reviewers"),
    _K.RESUMED: ("owner", "reviewers"),
}
NEXT_STEPS = {
    _K.SUBMITTED: _("The DPO and the RSSI each give their opinion, in parallel."),
    _K.RECORDED: _("The DPO and the RSSI each give their opinion, in parallel."),
    _K.RETURNED: _("Complete the use case as asked, then submit it again."),
    _K.TO_COMMITTEE: _("The case is waiting to be put on the agenda of an ethics committee session."),
    _K.SCHEDULED: _("Committee members: read the case and give your opinion before or during the session."),
    _K.STALE: _("A change to what was approved must be reviewed: the DPO and the RSSI give their opinions again."),
    _K.REREVIEW: _(
        "The approval comes up for its periodic review: owner, check the use case is up to date; "
        "DPO and RSSI, give your opinions."
    ),
}


def _owner_emails(use_case) -> list[str]:
    return [use_case.owner.email] if use_case.owner.email and use_case.owner.is_active else []


def _secretariat_emails(collectivite) -> list[str]:
    emails = set(
        CommitteeMember.objects.filter(collectivite=collectivite, active=True, is_chair=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    emails.update(
        User.objects.filter(memberships__collectivite=collectivite, memberships__role=Role.DPO, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(emails)


def _member_emails(collectivite) -> list[str]:
    return sorted(
        CommitteeMember.objects.filter(collectivite=collectivite, active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def use_case_event_notify(*, event_id: int, outbox_id: int | None = None) -> int:
    """Send the e-mails of one step of a use case's review. Returns the number of e-mails sent.

    One e-mail per person, each at most once and none lost (`registry.outbox`): the task holds the event's outbox
    entry, records each e-mail sent before the next, and a failure halfway is retried for the others only. Once
    told, the event is marked `notified_at`, and a run again sends nothing."""
    pending = UseCaseEvent.objects.filter(pk=event_id, notified_at__isnull=True)
    with outbox.claimed(NOTIFY_USE_CASE_EVENT, {"event_id": event_id}, outbox_id) as claim:
        if claim is None or not pending.exists():
            return 0
        sent = _use_case_event_send(event_id, claim)
        pending.update(notified_at=timezone.now())
    return sent


def _use_case_event_send(event_id: int, claim: outbox.Claim) -> int:
    event = UseCaseEvent.objects.select_related(
        "use_case__collectivite", "use_case__owner", "use_case__service", "actor"
    ).get(pk=event_id)
    use_case = event.use_case
    collectivite = use_case.collectivite
    recipients: set[str] = set()
    for audience in EVENT_AUDIENCES.get(event.kind, ()):
        if audience == "owner":
            recipients.update(_owner_emails(use_case))
        elif audience == "reviewers":
            recipients.update(triage_team(collectivite))
        elif audience == "secretariat":
            recipients.update(_secretariat_emails(collectivite))
        elif audience == "members":
            recipients.update(_member_emails(collectivite))
    if event.actor_id and event.actor.email:
        recipients.discard(event.actor.email)
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "event": event,
            "use_case": use_case,
            "collectivite": collectivite,
            "headline": event.get_kind_display(),
            "status_label": use_case.get_status_display(),
            "next_step": NEXT_STEPS.get(event.kind, ""),
            "use_case_url": _absolute(reverse("registry:use_case_detail", args=[use_case.pk])),
            "tasks_url": _absolute(reverse("registry:my_tasks")),
        }
        # One e-mail per person: nobody sees who else was told.
        return sum(
            claim.once(email, lambda email=email: _send("registry/emails/use_case_event", context, [email]))
            for email in sorted(recipients)
        )
