"""E-mails of the register, in French first, each with a direct link. Called by Celery tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .choices import RiskLevel, Role
from .emails import render_email
from .models import CommitteeMember, DeclarationEvent, UseCaseEvent, User

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


@transaction.atomic
def declaration_event_notify(*, event_id: int) -> int:
    """Send the e-mails of one declaration event. Idempotent: the event is claimed by a conditional UPDATE,
    so a task run twice (retry, worker restart) sends nothing twice. Returns the number of e-mails sent.
    The claim commits with the sending: a mail server failure rolls it back, and the task's retry sends them."""
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


@transaction.atomic
def use_case_event_notify(*, event_id: int) -> int:
    """Send the e-mails of one step of a use case's review. Returns the number of e-mails sent.

    Idempotent: the event is claimed by a conditional UPDATE, so a task run twice sends nothing twice. The claim
    commits only once the e-mails are sent: if the mail server fails, it is rolled back and the task's retry
    sends them (a concurrent run waits on the claimed row, then finds it told)."""
    claimed = UseCaseEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return 0
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
        return sum(_send("registry/emails/use_case_event", context, [email]) for email in sorted(recipients))
