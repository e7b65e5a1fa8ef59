"""How a use case is reviewed and decided: review rounds, DPO and RSSI opinions, the ethics committee,
decisions and their conditions, stale approvals and periodic re-reviews, and the end of a use.

Every function locks the use case first, then its review, then the agenda item (always in this order, so
two reviewers acting at the same moment are serialised and cannot both win), checks the person's right and
the current state, writes append-only rows and one `UseCaseEvent`, and queues its e-mails after commit.
A committee session, when it is locked (to open it, record its attendance, change its agenda or close it), is
locked before all of these, and nothing else locks it: no two transactions wait on each other in opposite orders.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from guardian.shortcuts import assign_perm, remove_perm

from core import workflows
from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from core.roles import Role
from registry.choices import (
    NOT_CLOSED_SESSION_STATUSES,
    OPEN_REVIEW_STATUSES,
    CommitteeOpinion,
    MemberVote,
    OpinionVerdict,
    ReviewDecision,
    ReviewKind,
    ReviewStatus,
    SessionStatus,
    UseCaseStatus,
)

from .. import choices, permissions, titles
from ..models import (
    AgendaItem,
    Attendance,
    Collectivite,
    CommitteeMember,
    CommitteeSession,
    Membership,
    Opinion,
    Review,
    ReviewCondition,
    UseCase,
    UseCaseEvent,
    User,
    Vote,
)
from ..models.use_cases import CLASSIFICATION_INPUT_FIELDS, CLASSIFICATION_RESULT_FIELDS, FACT_FIELDS
from ..signals import review_approved

REVIEW_PERMISSION = "registry.review_usecase"
# A change to one of these fields changes what was approved: the approval is out of date.
# The plain facts count too: a changed answer changes what the DPO confirmed.
MATERIAL_FIELDS = frozenset({*CLASSIFICATION_INPUT_FIELDS, *FACT_FIELDS, "tool", "purpose"})
LIVE_STATUSES = frozenset(choices.LIVE_STATUSES)
DECIDED_STATUSES = LIVE_STATUSES | {UseCaseStatus.SUSPENDED}
# The DPO's and the RSSI's own fields on an opinion.
DPO_FIELDS = ("legal_basis", "dpia_status", "processing_record_ref", "retention")
RSSI_FIELDS = ("hosting_assessment", "data_classification", "vendor_reuse", "homologation_status")
MAX_CONDITIONS = 20


# Snapshot ------------------------------------------------------------------------------------------------
def snapshot_of(use_case: UseCase) -> dict:
    """What a review round looks at, as plain JSON: the use case's fields and its classification."""
    from .use_cases import EDITABLE_FIELDS

    fields = {}
    for name in EDITABLE_FIELDS:
        if name in ("service", "owner", "tool"):
            related = getattr(use_case, name) if getattr(use_case, f"{name}_id") else None
            fields[name] = {"id": related.pk, "label": str(related)} if related is not None else None
        else:
            value = getattr(use_case, name)
            fields[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return {
        "version": use_case.version,
        "status": use_case.status,
        "fields": fields,
        "classification": {name: getattr(use_case, name) for name in CLASSIFICATION_RESULT_FIELDS},
        "required_checkpoints": list(use_case.required_checkpoints),
        "reasons": list(use_case.classification_reasons),
        "qualification_overrides": dict(use_case.qualification_overrides),
    }


# Helpers -------------------------------------------------------------------------------------------------
def _lock_use_case(pk: int) -> UseCase:
    return (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("collectivite", "service", "owner", "tool")
        .get(pk=pk)
    )


def _lock_review(pk: int) -> Review:
    return Review.objects.select_for_update().get(pk=pk)


def _open_review(use_case: UseCase) -> Review | None:
    return Review.objects.select_for_update().filter(use_case=use_case, status__in=OPEN_REVIEW_STATUSES).first()


def _notify(event: UseCaseEvent) -> None:
    """E-mails are recorded in this transaction (the outbox) and go out after commit, through Celery, or later if the
    broker is out of reach (`registry.outbox`): never lost, and a failure to queue them never undoes the decision."""
    from ..notifications import NOTIFY_USE_CASE_EVENT
    from ..outbox import enqueue

    enqueue(NOTIFY_USE_CASE_EVENT, event_id=event.pk)


def _event(use_case, acting_user, kind, *, review=None, from_status=None, comment="", notify=True) -> UseCaseEvent:
    event = UseCaseEvent.objects.create(
        use_case=use_case,
        review=review,
        actor=acting_user,
        kind=kind,
        from_status=from_status if from_status is not None else use_case.status,
        to_status=use_case.status,
        comment=str(comment),
    )
    if notify:
        _notify(event)
    return event


def _set_status(use_case: UseCase, status: str, acting_user: User | None, *, allowed_from=None, refusal=None) -> str:
    """The use case's move (`core.workflows.move`), the one step of its workflow, on a locked use case: from one of
    `allowed_from` (None: the caller checked; else TransitionError with `refusal`, naming the status). The caller
    writes the event. Returns the status left."""
    changes = {"submitted_at": timezone.now()} if status == UseCaseStatus.SUBMITTED else {}
    return workflows.move(
        use_case, status, allowed_from=allowed_from, refusal=refusal, history_user=acting_user, **changes
    )[0]


def _required(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, errors={field: [_("This field is required.")]})
    return value


def _clean_conditions(conditions) -> list[str]:
    cleaned = [" ".join(str(c).split()) for c in (conditions or [])]
    cleaned = [c for c in cleaned if c]
    if len(cleaned) > MAX_CONDITIONS:
        raise ApplicationError(
            _("Give at most %(max)s conditions.") % {"max": MAX_CONDITIONS},
            errors={"conditions": [_("Too many conditions.")]},
        )
    too_long = [c for c in cleaned if len(c) > 500]
    if too_long:
        raise ApplicationError(
            _("A condition is limited to 500 characters: split it in two."),
            errors={"conditions": [_("Condition too long.")]},
        )
    return cleaned


def review_open(*, use_case: UseCase, acting_user: User | None, kind: str) -> Review:
    """Open a review round on a locked use case, freezing what is reviewed."""
    number = (Review.objects.filter(use_case=use_case).aggregate(last=Max("number"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            return Review.objects.create(
                collectivite_id=use_case.collectivite_id,
                use_case=use_case,
                number=number,
                kind=kind,
                snapshot=snapshot_of(use_case),
                snapshot_version=use_case.version,
                ethics_required=use_case.ethics_review_required,
                opened_by=acting_user,
            )
    except IntegrityError as error:
        raise ConflictError(_("A review of this use case was opened at the same time: reload the page.")) from error


def _close_review(review: Review, status: str, reason: str = "") -> None:
    review.status = status
    review.closed_reason = str(reason)
    review.save(update_fields=["status", "closed_reason"])


def _sync_review_permissions(use_case: UseCase) -> None:
    """Committee members may read a case while it is on one of their sessions' agendas (planned or past)."""
    on_agenda = AgendaItem.objects.filter(review__use_case=use_case).exists()
    members = list(
        CommitteeMember.objects.filter(collectivite_id=use_case.collectivite_id, active=True).select_related("user")
    )
    for member in members:
        if on_agenda:
            assign_perm(REVIEW_PERMISSION, member.user, use_case)
        else:
            remove_perm(REVIEW_PERMISSION, member.user, use_case)


# Submission, withdrawal, return for changes ------------------------------------------------------------------
def on_submit(*, use_case: UseCase, acting_user: User) -> Review:
    """Called by `use_case_submit` once the use case is `submitted`: open the round and tell the reviewers."""
    kind = ReviewKind.CHANGE if use_case.reviews.exists() else ReviewKind.INITIAL
    return review_open(use_case=use_case, acting_user=acting_user, kind=kind)


def on_withdraw(*, use_case: UseCase) -> None:
    review = _open_review(use_case)
    if review is not None:
        _close_review(review, ReviewStatus.WITHDRAWN, _("Withdrawn by its owner before any opinion."))


@transaction.atomic
def review_return_for_changes(*, review: Review, acting_user: User, comment: str) -> UseCase:
    """The DPO or the RSSI sends a submitted case back to its owner as a draft, saying what to complete."""
    comment = _required(comment, "comment", _("Say what the owner should complete or change."))
    use_case = _lock_use_case(review.use_case_id)
    review = _lock_review(review.pk)
    access = get_access(acting_user, use_case.collectivite)
    if not permissions.reviewer_roles(access) or review.collectivite_id != access.collectivite_id:
        raise ForbiddenError(_("Only the DPO or the RSSI may return a use case for changes."))
    if not permissions.can_return_for_changes(access, review):
        raise TransitionError(_("This review is no longer waiting for opinions: it cannot be returned."))
    _close_review(review, ReviewStatus.WITHDRAWN, comment)
    previous = _set_status(use_case, UseCaseStatus.DRAFT, acting_user)
    _event(use_case, acting_user, UseCaseEvent.Kind.RETURNED, review=review, from_status=previous, comment=comment)
    return use_case


# Opinions --------------------------------------------------------------------------------------------------
@transaction.atomic
def opinion_give(*, review: Review, acting_user: User, role: str, data: dict) -> Opinion:
    """Record the DPO's or the RSSI's opinion on a review round; the second one moves the case on."""
    use_case = _lock_use_case(review.use_case_id)
    review = _lock_review(review.pk)
    access = get_access(acting_user, use_case.collectivite)
    if role not in permissions.reviewer_roles(access) or review.collectivite_id != access.collectivite_id:
        raise ForbiddenError(
            _("Only the DPO gives the data-protection opinion, and only the RSSI the security opinion.")
        )
    if review.status != ReviewStatus.OPINIONS:
        raise TransitionError(
            _("The opinions of this review are closed: it is “%(status)s”.") % {"status": review.get_status_display()}
        )
    if review.opinions.filter(role=role).exists():
        raise ConflictError(_("The %(role)s opinion on this review was already given.") % {"role": role.upper()})

    verdict = data.get("verdict")
    if verdict not in OpinionVerdict.values:
        raise ApplicationError(_("Choose an opinion."), errors={"verdict": [_("Choose an opinion.")]})
    comment = (data.get("comment") or "").strip()
    conditions = _clean_conditions(data.get("conditions"))
    errors = {}
    if verdict == OpinionVerdict.FAVOURABLE_WITH_CONDITIONS and not conditions:
        errors["conditions"] = [_("A favourable opinion with conditions needs at least one condition.")]
    if verdict != OpinionVerdict.FAVOURABLE_WITH_CONDITIONS and conditions:
        errors["conditions"] = [_("Conditions go with a favourable opinion with conditions.")]
    if verdict == OpinionVerdict.UNFAVOURABLE and not comment:
        errors["comment"] = [_("Explain an unfavourable opinion: the owner needs to know why.")]
    if (
        role == Role.DPO
        and verdict in (OpinionVerdict.FAVOURABLE, OpinionVerdict.FAVOURABLE_WITH_CONDITIONS)
        and use_case.qualification_to_confirm
    ):
        # DOMAIN.md 3b: a doubt about the facts goes to the DPO, who confirms the qualification before approving.
        errors["verdict"] = [
            _(
                "The qualification of this use case is not confirmed yet: confirm it (or set the legal answers "
                "yourself) before giving a favourable opinion."
            )
        ]
    if errors:
        raise ApplicationError(_("The opinion is incomplete: correct the fields shown."), errors=errors)

    own_fields = DPO_FIELDS if role == Role.DPO else RSSI_FIELDS
    opinion = Opinion(
        review=review,
        role=role,
        author=acting_user,
        verdict=verdict,
        comment=comment,
        ask_committee=bool(data.get("ask_committee")),
        **{name: (data.get(name) or "") for name in own_fields},
    )
    try:
        opinion.full_clean(exclude=["review", "author"], validate_constraints=False)
    except Exception as error:  # ValidationError: a code outside the choices
        raise ApplicationError(
            _("The opinion is incomplete: correct the fields shown."), errors=getattr(error, "message_dict", {})
        ) from error
    try:
        with transaction.atomic():
            opinion.save()
    except IntegrityError as error:
        raise ConflictError(
            _("The %(role)s opinion on this review was already given.") % {"role": role.upper()}
        ) from error
    ReviewCondition.objects.bulk_create(
        [ReviewCondition(review=review, source=role, text=text, created_by=acting_user) for text in conditions]
    )

    previous = use_case.status
    if use_case.status == UseCaseStatus.SUBMITTED:
        _set_status(use_case, UseCaseStatus.IN_REVIEW, acting_user)
    _event(
        use_case,
        acting_user,
        UseCaseEvent.Kind.OPINION,
        review=review,
        from_status=previous,
        comment=f"{role.upper()} — {opinion.get_verdict_display()}" + (f" : {comment}" if comment else ""),
    )
    opinions = list(review.opinions.all())
    if {o.role for o in opinions} >= {Role.DPO, Role.RSSI}:
        _after_opinions(review, use_case, opinions, acting_user)
    return opinion


def _after_opinions(review: Review, use_case: UseCase, opinions: list[Opinion], acting_user: User) -> None:
    asked = [o for o in opinions if o.ask_committee]
    if review.ethics_required or asked:
        review.status = ReviewStatus.COMMITTEE
        review.save(update_fields=["status"])
        reason = (
            _("The classification requires the ethics committee's opinion.")
            if review.ethics_required
            else _("Asked by: %(roles)s.") % {"roles": ", ".join(o.role.upper() for o in asked)}
        )
        _event(use_case, acting_user, UseCaseEvent.Kind.TO_COMMITTEE, review=review, comment=reason)
        return
    if any(o.verdict == OpinionVerdict.UNFAVOURABLE for o in opinions):
        decision = ReviewDecision.REJECTED
    elif review.conditions.exists():
        decision = ReviewDecision.APPROVED_WITH_CONDITIONS
    else:
        decision = ReviewDecision.APPROVED
    _decide(review, use_case, decision, acting_user, _("Decision following the DPO and RSSI opinions."))


def _decide(review: Review, use_case: UseCase, decision: str, acting_user: User | None, comment) -> None:
    """Close the round with its decision and move the use case to what the decision means."""
    now = timezone.now()
    review.status = ReviewStatus.DECIDED
    review.decision = decision
    review.decided_at = now
    review.decided_by = acting_user
    review.decision_comment = str(comment)
    review.save(update_fields=["status", "decision", "decided_at", "decided_by", "decision_comment"])

    approved = decision != ReviewDecision.REJECTED
    if review.kind == ReviewKind.PERIODIC:
        # A periodic re-review keeps a live use running when it is confirmed, and suspends it otherwise.
        if not approved:
            target = UseCaseStatus.SUSPENDED if use_case.status in LIVE_STATUSES else UseCaseStatus.REJECTED
        elif use_case.status in (UseCaseStatus.IN_PRODUCTION, UseCaseStatus.SUSPENDED):
            target = use_case.status
        else:
            target = decision
    else:
        target = decision
    if approved:
        months = use_case.collectivite.review_months(use_case.ai_act_risk)
        use_case.next_review_on = timezone.localdate() + relativedelta(months=months)
    previous = _set_status(use_case, target, acting_user)
    if approved:
        # Audits turns the conditions of the approval into checkpoints (`audits.receivers`).
        review_approved.send(sender=Review, review=review, acting_user=acting_user)
    _event(
        use_case,
        acting_user,
        UseCaseEvent.Kind.DECIDED,
        review=review,
        from_status=previous,
        comment=f"{review.get_decision_display()} — {comment}",
    )


# Material changes ------------------------------------------------------------------------------------------
def on_change(*, use_case: UseCase, acting_user: User, changed: list[str]) -> None:
    """Called by `use_case_update` (use case locked) after a save: a material change after submission is reviewed.

    Before any opinion, the open round simply reviews the new version. Once opinions were given, or once
    the use is approved, the round is replaced by a new one and the use case goes back to `submitted`.
    """
    material = sorted(MATERIAL_FIELDS.intersection(changed))
    if not material:
        return
    review = _open_review(use_case)
    if review is not None and not review.opinions.exists() and not review.agenda_items.exists():
        review.snapshot = snapshot_of(use_case)
        review.snapshot_version = use_case.version
        review.ethics_required = use_case.ethics_review_required
        review.save(update_fields=["snapshot", "snapshot_version", "ethics_required"])
        if review.kind != ReviewKind.PERIODIC or use_case.status not in DECIDED_STATUSES:
            return
    labels = ", ".join(str(UseCase._meta.get_field(name).verbose_name) for name in material)
    if review is not None:
        _close_review(review, ReviewStatus.SUPERSEDED, _("Material change: %(fields)s.") % {"fields": labels})
    elif use_case.status not in DECIDED_STATUSES:
        return
    if use_case.status in DECIDED_STATUSES:
        Review.objects.filter(use_case=use_case, status=ReviewStatus.DECIDED, stale_at__isnull=True).exclude(
            decision=ReviewDecision.REJECTED
        ).update(stale_at=timezone.now())
    previous = _set_status(use_case, UseCaseStatus.SUBMITTED, acting_user)
    new_review = review_open(use_case=use_case, acting_user=acting_user, kind=ReviewKind.CHANGE)
    _event(
        use_case,
        acting_user,
        UseCaseEvent.Kind.STALE,
        review=new_review,
        from_status=previous,
        comment=_("Changed: %(fields)s.") % {"fields": labels},
    )


# Periodic re-reviews -----------------------------------------------------------------------------------------
def rereviews_open_due(*, today: datetime.date | None = None, limit: int = 500) -> int:
    """Open the re-reviews that are due (idempotent: a use case has at most one open round). Returns the count."""
    today = today or timezone.localdate()
    due = list(
        UseCase.objects.filter(status__in=LIVE_STATUSES, next_review_on__lte=today)
        .exclude(reviews__status__in=OPEN_REVIEW_STATUSES)
        .values_list("pk", flat=True)[:limit]
    )
    opened = 0
    for pk in due:
        with transaction.atomic():
            use_case = _lock_use_case(pk)
            if use_case.status not in LIVE_STATUSES or _open_review(use_case) is not None:
                continue
            review = review_open(use_case=use_case, acting_user=None, kind=ReviewKind.PERIODIC)
            _event(
                use_case,
                None,
                UseCaseEvent.Kind.REREVIEW,
                review=review,
                comment=_("Re-review due on %(date)s.") % {"date": use_case.next_review_on.strftime("%d/%m/%Y")},
            )
            opened += 1
    return opened


# The end of a use, and getting back to work -------------------------------------------------------------------
@transaction.atomic
def use_case_retire(*, use_case: UseCase, acting_user: User, comment: str) -> UseCase:
    """Stop a use for good (it stays in the register, with its history)."""
    comment = _required(comment, "comment", _("Say why the use stops: it stays in the register's history."))
    use_case = _lock_use_case(use_case.pk)
    access = get_access(acting_user, use_case.collectivite)
    if not permissions.can_view_use_case(acting_user, access, use_case):
        raise ForbiddenError(_("You may not take this action on this use case."))
    if use_case.status not in permissions.RETIRABLE_STATUSES:
        raise TransitionError(
            _("This use case cannot be retired: it is “%(status)s”.") % {"status": use_case.get_status_display()}
        )
    if not permissions.can_retire_use_case(acting_user, access, use_case):
        raise ForbiddenError(_("Only its owner, the head of its service, the DPO or the RSSI may retire a use."))
    review = _open_review(use_case)
    if review is not None:
        _close_review(review, ReviewStatus.WITHDRAWN, comment)
    previous = _set_status(use_case, UseCaseStatus.RETIRED, acting_user)
    use_case.next_review_on = None
    use_case.save(update_fields=["next_review_on"])
    _event(use_case, acting_user, UseCaseEvent.Kind.RETIRED, from_status=previous, comment=comment)
    return use_case


@transaction.atomic
def use_case_rework(*, use_case: UseCase, acting_user: User, comment: str = "") -> UseCase:
    """Take a rejected use case back as a draft, to change it and submit it again."""
    use_case = _lock_use_case(use_case.pk)
    access = get_access(acting_user, use_case.collectivite)
    if use_case.status != UseCaseStatus.REJECTED:
        raise TransitionError(
            _("Only a rejected use case can be reopened as a draft; this one is “%(status)s”.")
            % {"status": use_case.get_status_display()}
        )
    if not permissions.can_rework_use_case(acting_user, access, use_case):
        raise ForbiddenError(_("You may not take this action on this use case."))
    previous = _set_status(use_case, UseCaseStatus.DRAFT, acting_user)
    _event(use_case, acting_user, UseCaseEvent.Kind.REWORKED, from_status=previous, comment=comment, notify=False)
    return use_case


@transaction.atomic
def use_case_resume(*, use_case: UseCase, acting_user: User, comment: str) -> UseCase:
    """The DPO or the RSSI lifts a suspension once its cause is dealt with."""
    comment = _required(comment, "comment", _("Say what was done about the cause of the suspension."))
    use_case = _lock_use_case(use_case.pk)
    access = get_access(acting_user, use_case.collectivite)
    if not access.roles & {Role.DPO, Role.RSSI} or use_case.collectivite_id != access.collectivite_id:
        raise ForbiddenError(_("Only the DPO or the RSSI may lift a suspension."))
    if use_case.status != UseCaseStatus.SUSPENDED:
        raise TransitionError(
            _("Only a suspended use case can resume; this one is “%(status)s”.")
            % {"status": use_case.get_status_display()}
        )
    review = Review.objects.filter(use_case=use_case, status__in=OPEN_REVIEW_STATUSES).first()
    if review is not None:
        raise TransitionError(
            _("A review of this use case is under way: wait for its decision before lifting the suspension.")
        )
    today = timezone.localdate()
    if use_case.next_review_on is None or use_case.next_review_on <= today:
        # Resuming after a periodic rejection: the next re-review comes at the policy's interval, not at once.
        months = use_case.collectivite.review_months(use_case.ai_act_risk)
        use_case.next_review_on = today + relativedelta(months=months)
    previous = _set_status(use_case, UseCaseStatus.IN_PRODUCTION, acting_user)
    _event(use_case, acting_user, UseCaseEvent.Kind.RESUMED, from_status=previous, comment=comment)
    return use_case


# The ethics committee: members ------------------------------------------------------------------------------
def _require_secretariat(acting_user: User, collectivite: Collectivite):
    access = get_access(acting_user, collectivite)
    if not permissions.can_manage_committee(acting_user, access):
        raise ForbiddenError(_("Only the DPO, an administrator or the committee's chair manage the committee."))
    return access


@transaction.atomic
def committee_member_add(
    *,
    collectivite: Collectivite,
    acting_user: User,
    user: User,
    is_chair: bool = False,
    is_vice_chair: bool = False,
    external: bool = False,
    affiliation: str = "",
    birth_date: datetime.date | None = None,
) -> CommitteeMember:
    """Seat a person on the committee (with the committee role, so they can sign in and vote)."""
    _require_secretariat(acting_user, collectivite)
    _check_seat(is_chair=is_chair, is_vice_chair=is_vice_chair, birth_date=birth_date)
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    member = CommitteeMember.objects.filter(collectivite=collectivite, user=user).first()
    if member is not None and member.active:
        raise ConflictError(_("%(name)s already sits on the committee.") % {"name": member})
    if is_chair:
        CommitteeMember.objects.filter(collectivite=collectivite, is_chair=True, active=True).update(is_chair=False)
    if is_vice_chair:
        CommitteeMember.objects.filter(collectivite=collectivite, is_vice_chair=True, active=True).update(
            is_vice_chair=False
        )
    if member is None:
        member = CommitteeMember(collectivite=collectivite, user=user)
    member.is_chair, member.external, member.affiliation, member.active = is_chair, external, affiliation, True
    member.is_vice_chair, member.birth_date = is_vice_chair, birth_date
    member.save()
    Membership.objects.get_or_create(user=user, collectivite=collectivite, role=Role.ETHICS_COMMITTEE, service=None)
    user.__dict__.pop("_registry_seat", None)
    user.__dict__.pop("_registry_access", None)
    _grant_planned_cases(user, collectivite.pk)
    return member


def _grant_planned_cases(user: User, collectivite_id: int) -> None:
    """A member taking (or taking back) a seat reads the cases on the agendas of the sessions to come or sitting."""
    cases = UseCase.objects.filter(
        reviews__agenda_items__session__collectivite_id=collectivite_id,
        reviews__agenda_items__session__status__in=NOT_CLOSED_SESSION_STATUSES,
    ).distinct()
    # One by one, not guardian's bulk insert: each grant then goes through the model's signals, and so into the
    # security trail (a planned session's agenda holds a handful of cases).
    for case in cases:
        assign_perm(REVIEW_PERMISSION, user, case)


def _check_seat(*, is_chair: bool, is_vice_chair: bool, birth_date) -> None:
    errors = {}
    if is_chair and is_vice_chair:
        errors["is_vice_chair"] = [_("The chair cannot also be the vice-chair: the vice-chair stands in for them.")]
    if birth_date is not None and birth_date > timezone.localdate():
        errors["birth_date"] = [_("The date of birth cannot be in the future.")]
    if errors:
        raise ApplicationError(_("The seat is not valid: correct the fields shown."), errors=errors)


@transaction.atomic
def committee_member_update(*, member: CommitteeMember, acting_user: User, data: dict) -> CommitteeMember:
    """Change a member's seat: chair or vice-chair, quality, date of birth, or end of mandate (`active` false: they
    no longer see the cases). Naming a chair or a vice-chair makes the current one step down; a chair named from the
    vice-chair's seat leaves it."""
    _require_secretariat(acting_user, member.collectivite)
    Collectivite.objects.select_for_update().filter(pk=member.collectivite_id).first()
    member = CommitteeMember.objects.select_related("user").get(pk=member.pk)
    is_chair = data.get("is_chair", member.is_chair)
    is_vice_chair = data.get("is_vice_chair", member.is_vice_chair and not data.get("is_chair"))
    _check_seat(is_chair=is_chair, is_vice_chair=is_vice_chair, birth_date=data.get("birth_date"))
    if is_chair and not member.is_chair:
        CommitteeMember.objects.filter(collectivite_id=member.collectivite_id, is_chair=True, active=True).update(
            is_chair=False
        )
    if is_vice_chair and not member.is_vice_chair:
        CommitteeMember.objects.filter(collectivite_id=member.collectivite_id, is_vice_chair=True, active=True).update(
            is_vice_chair=False
        )
    was_active = member.active
    member.is_chair, member.is_vice_chair = is_chair, is_vice_chair
    for name in ("external", "affiliation", "active", "birth_date"):
        if name in data:
            setattr(member, name, data[name])
    if not member.active:
        member.is_chair = member.is_vice_chair = False
        remove_perm(REVIEW_PERMISSION, member.user, UseCase.objects.filter(collectivite_id=member.collectivite_id))
    member.save()
    if member.active and not was_active:
        _grant_planned_cases(member.user, member.collectivite_id)
    member.user.__dict__.pop("_registry_seat", None)
    return member


# The ethics committee: sessions and agendas --------------------------------------------------------------------
def _session_date(session: CommitteeSession) -> str:
    return timezone.localtime(session.held_on).strftime("%d/%m/%Y %H:%M")


@transaction.atomic
def session_create(*, collectivite: Collectivite, acting_user: User, data: dict) -> CommitteeSession:
    """Plan a session (or record one held earlier): it is held once the secretary opens it, with the attendance."""
    _require_secretariat(acting_user, collectivite)
    held_on = data.get("held_on")
    if not held_on:
        raise ApplicationError(_("Give the date of the session."), errors={"held_on": [_("This field is required.")]})
    return CommitteeSession.objects.create(
        collectivite=collectivite,
        held_on=held_on,
        place=(data.get("place") or "").strip(),
        notes=(data.get("notes") or "").strip(),
        created_by=acting_user,
    )


def _default_secretary(collectivite_id: int, acting_user: User) -> User:
    """The DPO keeps the minutes by default: the person opening the session if they are the DPO, else the
    collectivité's DPO, else the person opening it."""
    dpos = User.objects.filter(
        memberships__collectivite_id=collectivite_id, memberships__role=Role.DPO, is_active=True
    ).order_by("pk")
    if dpos.filter(pk=acting_user.pk).exists():
        return acting_user
    return dpos.first() or acting_user


def _secretary(collectivite_id: int, acting_user: User, secretary) -> User:
    if secretary is None or secretary == "":
        return _default_secretary(collectivite_id, acting_user)
    secretary_id = getattr(secretary, "pk", secretary)
    person = User.objects.filter(pk=secretary_id, memberships__collectivite_id=collectivite_id, is_active=True).first()
    if person is None:
        raise ApplicationError(
            _("The secretary of the session is a person of the collectivité."),
            errors={"secretary": [_("Choose a person of the collectivité.")]},
        )
    return person


def _record_attendance(session: CommitteeSession, present, acting_user: User) -> list[Attendance]:
    """Write the roster of a held session: every member in office, present or not (the quorum's basis)."""
    in_office = {
        member.pk: member
        for member in CommitteeMember.objects.filter(collectivite_id=session.collectivite_id, active=True)
    }
    rows = {row.member_id: row for row in Attendance.objects.select_for_update().filter(session=session)}
    present_ids = set()
    for value in present or ():
        member_id = getattr(value, "pk", value)
        try:
            member_id = int(member_id)
        except (TypeError, ValueError):
            member_id = None
        if member_id not in in_office and member_id not in rows:
            raise ApplicationError(
                _("The attendance lists the committee's members in office only."),
                errors={"present": [_("Tick the members present among the committee's members.")]},
            )
        present_ids.add(member_id)
    for member_id in in_office.keys() | rows.keys():
        row = rows.get(member_id)
        if row is None:
            Attendance.objects.create(
                session=session, member_id=member_id, present=member_id in present_ids, recorded_by=acting_user
            )
        elif row.present != (member_id in present_ids):
            row.present = member_id in present_ids
            row.recorded_by = acting_user
            row.save(update_fields=["present", "recorded_by", "recorded_at"])
    return list(Attendance.objects.filter(session=session))


@transaction.atomic
def session_open(*, session: CommitteeSession, acting_user: User, present, secretary=None) -> CommitteeSession:
    """The secretary opens the session on its date and records who is present: the committee then sits, and its
    chair may record its opinions (when the quorum is met). A session cannot be opened before its date."""
    session = CommitteeSession.objects.select_for_update().select_related("collectivite").get(pk=session.pk)
    _require_secretariat(acting_user, session.collectivite)
    if session.status != SessionStatus.PLANNED:
        raise TransitionError(_("This session is already open or closed."))
    if session.held_on > timezone.now():
        raise TransitionError(
            _("This session is planned on %(date)s: it can be opened on that date, not before.")
            % {"date": _session_date(session)}
        )
    members = list(CommitteeMember.objects.filter(collectivite_id=session.collectivite_id, active=True))
    if not members:
        raise TransitionError(_("Nobody sits on the committee: seat its members before opening a session."))
    chair = next((member for member in members if member.is_chair), None)
    session.secretary = _secretary(session.collectivite_id, acting_user, secretary)
    session.chair_id = chair.user_id if chair else None
    session.status = SessionStatus.OPEN
    session.opened_at = timezone.now()
    session.opened_by = acting_user
    session.quorum_percent = session.collectivite.committee_quorum_percent
    session.save(update_fields=["secretary", "chair", "status", "opened_at", "opened_by", "quorum_percent"])
    _record_attendance(session, present, acting_user)
    return session


@transaction.atomic
def attendance_record(*, session: CommitteeSession, acting_user: User, present) -> CommitteeSession:
    """Correct the attendance of a session in progress (a member arrives late or leaves): the opinions already
    recorded keep the attendance they were given with."""
    session = CommitteeSession.objects.select_for_update().select_related("collectivite").get(pk=session.pk)
    _require_secretariat(acting_user, session.collectivite)
    if session.status != SessionStatus.OPEN:
        raise TransitionError(_("The attendance is recorded while the session is in progress."))
    _record_attendance(session, present, acting_user)
    return session


@transaction.atomic
def agenda_add(*, session: CommitteeSession, review: Review, acting_user: User) -> AgendaItem:
    """Put a case awaiting the committee on the agenda of a session to come or in progress; its members may then
    read it."""
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    use_case = _lock_use_case(review.use_case_id)
    review = _lock_review(review.pk)
    _require_secretariat(acting_user, session.collectivite)
    if review.collectivite_id != session.collectivite_id:
        raise ForbiddenError(_("This case belongs to another collectivité."))
    if session.status not in NOT_CLOSED_SESSION_STATUSES:
        raise TransitionError(_("This session is closed: put the case on a planned session."))
    if review.status != ReviewStatus.COMMITTEE:
        raise TransitionError(_("This case is not waiting for the ethics committee."))
    pending = AgendaItem.objects.filter(review=review, opinion="", session__status__in=NOT_CLOSED_SESSION_STATUSES)
    if pending.exists():
        raise ConflictError(_("This case is already on the agenda of a planned session."))
    position = (session.items.aggregate(last=Max("position"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(session=session, review=review, position=position, added_by=acting_user)
    except IntegrityError as error:
        raise ConflictError(_("This case is already on this session's agenda.")) from error
    _sync_review_permissions(use_case)
    _event(
        use_case,
        acting_user,
        UseCaseEvent.Kind.SCHEDULED,
        review=review,
        comment=_("Session of %(date)s.") % {"date": _session_date(session)},
    )
    return item


@transaction.atomic
def agenda_remove(*, item: AgendaItem, acting_user: User) -> None:
    """Take a case off an agenda, as long as no member has given an opinion on it."""
    use_case = _lock_use_case(item.review.use_case_id)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("session", "review").get(pk=item.pk)
    _require_secretariat(acting_user, item.session.collectivite)
    if item.opinion or item.votes.exists():
        raise TransitionError(_("Members already gave opinions on this case: it stays on the agenda."))
    review = item.review
    item.delete()
    _sync_review_permissions(use_case)
    _event(use_case, acting_user, UseCaseEvent.Kind.UNSCHEDULED, review=review, notify=False)


@transaction.atomic
def session_close(*, session: CommitteeSession, acting_user: User) -> CommitteeSession:
    """Close a session: the cases it did not give an opinion on are postponed to a later session. A session closed
    without being opened was not held (it gave no opinion, and the annual report does not count it)."""
    session = CommitteeSession.objects.select_for_update().get(pk=session.pk)
    _require_secretariat(acting_user, session.collectivite)
    if session.status not in NOT_CLOSED_SESSION_STATUSES:
        raise TransitionError(_("This session is already closed."))
    pending = session.items.filter(opinion="").values_list("pk", "review__use_case_id", "review_id")
    reason = _("Not examined during the session.") if session.was_held else _("The session was not held.")
    for item_id, use_case_id, review_id in list(pending.order_by("position", "pk")):
        use_case = _lock_use_case(use_case_id)
        _lock_review(review_id)
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("session", "review").get(pk=item_id)
        # Read again under the locks: the chair may have recorded the committee's opinion in the meantime.
        if item.opinion or item.review.status != ReviewStatus.COMMITTEE:
            continue
        _record_item_opinion(item, acting_user, CommitteeOpinion.POSTPONED, reason, use_case=use_case)
    session.status = SessionStatus.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    return session


# The ethics committee: members' opinions and the committee's opinion --------------------------------------------
def _lock_item(item: AgendaItem) -> tuple[UseCase, AgendaItem]:
    use_case = _lock_use_case(item.review.use_case_id)
    _lock_review(item.review_id)
    # Only the item's row: its session is locked only by the agenda's changes and its closing (see the docstring).
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("session", "review").get(pk=item.pk)
    return use_case, item


def _present(session: CommitteeSession, seat: CommitteeMember) -> bool:
    return Attendance.objects.filter(session=session, member=seat, present=True).exists()


@transaction.atomic
def vote_cast(*, item: AgendaItem, acting_user: User, choice: str, comment: str = "") -> Vote:
    """A member present at the session gives their opinion on a case; refused to a member with a conflict of
    interest (they declare it instead)."""
    use_case, item = _lock_item(item)
    access = get_access(acting_user, use_case.collectivite)
    seat = permissions.committee_seat(acting_user, access.collectivite_id)
    if seat is None or item.session.collectivite_id != access.collectivite_id:
        raise ForbiddenError(_("Only the members of the ethics committee vote on its cases."))
    if permissions.has_conflict_of_interest(acting_user, access, use_case):
        raise ForbiddenError(
            _("You own this use case or belong to its service: declare your conflict of interest, you cannot vote.")
        )
    if item.opinion or item.review.status != ReviewStatus.COMMITTEE or item.session.status == SessionStatus.CLOSED:
        raise TransitionError(_("The committee's opinion on this case is recorded or the session is closed."))
    if item.session.status != SessionStatus.OPEN:
        raise TransitionError(
            _("The members vote in session: the secretary opens the session on its date, with the attendance.")
        )
    if not _present(item.session, seat):
        raise TransitionError(
            _("Your presence at this session is not recorded: ask the secretary to record it before you vote.")
        )
    if choice not in MemberVote.values:
        raise ApplicationError(_("Choose your opinion."), errors={"choice": [_("Choose your opinion.")]})
    comment = (comment or "").strip()
    if choice == MemberVote.UNFAVOURABLE and not comment:
        raise ApplicationError(
            _("Explain an unfavourable opinion."), errors={"comment": [_("Explain an unfavourable opinion.")]}
        )
    return _save_vote(Vote(item=item, member=seat, choice=choice, comment=comment))


@transaction.atomic
def conflict_declare(*, item: AgendaItem, acting_user: User, comment: str = "") -> Vote:
    """A member declares a conflict of interest on a case, before or during the session: recorded, and they are
    counted out of its quorum and its votes."""
    use_case, item = _lock_item(item)
    access = get_access(acting_user, use_case.collectivite)
    seat = permissions.committee_seat(acting_user, access.collectivite_id)
    if seat is None or item.session.collectivite_id != access.collectivite_id:
        raise ForbiddenError(_("Only the members of the ethics committee vote on its cases."))
    if not permissions.can_declare_conflict(acting_user, access, item):
        raise TransitionError(_("The committee's opinion on this case is recorded or the session is closed."))
    return _save_vote(Vote(item=item, member=seat, conflict_of_interest=True, comment=(comment or "").strip()))


def _save_vote(vote: Vote) -> Vote:
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError as error:
        raise ConflictError(_("You already gave your opinion on this case.")) from error
    return vote


def _sitting_now(item: AgendaItem):
    """The quorum and the votes on the case as they stand, and who presides over it (read under the item's lock)."""
    from ..selectors import item_quorum, presiding_member, session_roster

    session = CommitteeSession.objects.select_related("collectivite").get(pk=item.session_id)
    item = (
        AgendaItem.objects.select_related("review__use_case__service")
        .prefetch_related(Prefetch("votes", queryset=Vote.objects.select_related("member__user")))
        .get(pk=item.pk)
    )
    roster = session_roster(session)
    return item_quorum(item, roster), presiding_member(item, roster), roster


def _quorum_now(item: AgendaItem):
    return _sitting_now(item)[0]


def _require_presiding(item: AgendaItem, acting_user: User, access, seat, presiding, roster) -> None:
    """Only whoever presides over the case records the committee's opinion on it (`selectors.presiding_member`);
    anyone else is told who does, and a member with a conflict of interest why it is not them."""
    if presiding is not None and presiding.member.user_id == acting_user.pk:
        return
    if presiding is None:
        raise TransitionError(
            _(
                "No member present is free of a conflict of interest on this case: nobody may preside over it. It "
                "will be postponed when the session closes."
            )
        )
    who = titles.presided_by(presiding.role, presiding.user)
    declared = item.votes.filter(member=seat, conflict_of_interest=True).exists()
    if declared:
        message = _(
            "You declared a conflict of interest on this case: the committee's opinion on it is recorded by %(who)s."
        )
    elif permissions.has_conflict_of_interest(acting_user, access, item.review.use_case):
        message = _(
            "You own this use case or belong to its service, a conflict of interest: the committee's opinion on it is "
            "recorded by %(who)s."
        )
    elif seat.is_chair and seat.pk not in {member.pk for member in roster.present}:
        message = _("Your presence at this session is not recorded: the committee's opinion is recorded by %(who)s.")
    else:
        message = _("The committee's opinion on this case is recorded by whoever presides over it: %(who)s.")
    raise ForbiddenError(message % {"who": who})


@transaction.atomic
def committee_opinion_record(
    *, item: AgendaItem, acting_user: User, opinion: str, comment: str = "", conditions=None
) -> AgendaItem:
    """Whoever presides over the case records the committee's opinion, in session, on its date and with the quorum:
    the chair, or when the chair is absent or has a conflict of interest on it the vice-chair, then the eldest member
    present (the rules of procedure: `selectors.presiding_member`). The opinion keeps the attendance, the members'
    votes and who presided, and the decision on the use case follows from it."""
    use_case, item = _lock_item(item)
    access = get_access(acting_user, use_case.collectivite)
    seat = permissions.committee_seat(acting_user, access.collectivite_id)
    if seat is None or item.session.collectivite_id != access.collectivite_id:
        raise ForbiddenError(_("Only the member presiding over the committee records its opinion."))
    quorum, presiding, roster = _sitting_now(item)
    if roster.attendance:
        _require_presiding(item, acting_user, access, seat, presiding, roster)
    elif not seat.is_chair:
        # Before the session is held nobody presides yet: the chair is told when the opinion may be recorded.
        raise ForbiddenError(_("Only the member presiding over the committee records its opinion."))
    if item.opinion or item.review.status != ReviewStatus.COMMITTEE:
        raise ConflictError(_("The committee's opinion on this case is already recorded."))
    session = item.session
    if session.status == SessionStatus.CLOSED:
        raise TransitionError(_("This session is closed: put the case on the agenda of a later session."))
    if session.held_on > timezone.now():
        raise TransitionError(
            _(
                "The session of %(date)s has not taken place yet: the committee gives its opinion in session, on "
                "that date."
            )
            % {"date": _session_date(session)}
        )
    if session.status != SessionStatus.OPEN:
        raise TransitionError(
            _(
                "The session is not open: the committee gives its opinion in session, once the secretary has "
                "opened it with the attendance."
            )
        )
    _require_presiding(item, acting_user, access, seat, presiding, roster)
    if opinion not in CommitteeOpinion.values:
        raise ApplicationError(_("Choose the committee's opinion."), errors={"opinion": [_("Choose an opinion.")]})
    comment = (comment or "").strip()
    conditions = _clean_conditions(conditions)
    errors = {}
    if opinion == CommitteeOpinion.FAVOURABLE_WITH_CONDITIONS and not conditions:
        errors["conditions"] = [_("A favourable opinion with conditions needs at least one condition.")]
    if opinion != CommitteeOpinion.FAVOURABLE_WITH_CONDITIONS and conditions:
        errors["conditions"] = [_("Conditions go with a favourable opinion with conditions.")]
    if opinion in (CommitteeOpinion.UNFAVOURABLE, CommitteeOpinion.POSTPONED) and not comment:
        errors["comment"] = [_("Give the committee's reasons.")]
    if errors:
        raise ApplicationError(_("The committee's opinion is incomplete: correct the fields shown."), errors=errors)
    # Postponing needs no quorum: it is what a session without one does with its cases.
    if opinion != CommitteeOpinion.POSTPONED and not quorum.met:
        raise TransitionError(
            ngettext(
                "The quorum is not met: %(present)s member present without a conflict of interest, %(required)s "
                "required.",
                "The quorum is not met: %(present)s members present without a conflict of interest, %(required)s "
                "required.",
                quorum.present,
            )
            % {"present": quorum.present, "required": quorum.required}
        )
    ReviewCondition.objects.bulk_create(
        [
            ReviewCondition(review=item.review, source="committee", text=text, created_by=acting_user)
            for text in conditions
        ]
    )
    return _record_item_opinion(
        item, acting_user, opinion, comment, use_case=use_case, quorum=quorum, presiding=presiding
    )


def _record_item_opinion(
    item: AgendaItem, acting_user, opinion: str, comment, use_case=None, quorum=None, presiding=None
) -> AgendaItem:
    use_case = use_case or _lock_use_case(item.review.use_case_id)
    if quorum is None and item.session.was_held:
        quorum = _quorum_now(item)
    item.opinion = opinion
    item.opinion_comment = str(comment)
    item.decided_by = acting_user
    item.decided_at = timezone.now()
    fields = ["opinion", "opinion_comment", "decided_by", "decided_at"]
    if presiding is not None:
        # Frozen with the opinion: who presided over the case, and in what capacity.
        item.presided_by = presiding.user
        item.presiding_role = presiding.role
        fields += ["presided_by", "presiding_role"]
    if quorum is not None:
        # Frozen with the opinion: a later change of the attendance or of the rules does not rewrite the record.
        item.members_in_office = quorum.members_in_office
        item.quorum_required = quorum.required
        item.present_count = quorum.present
        item.conflict_count = quorum.conflicts
        item.votes_favourable = quorum.favourable
        item.votes_with_conditions = quorum.with_conditions
        item.votes_unfavourable = quorum.unfavourable
        item.votes_abstain = quorum.abstain
        fields += [
            "members_in_office",
            "quorum_required",
            "present_count",
            "conflict_count",
            "votes_favourable",
            "votes_with_conditions",
            "votes_unfavourable",
            "votes_abstain",
        ]
    item.save(update_fields=fields)
    review = item.review
    label = CommitteeOpinion(opinion).label
    tally = (
        ""
        if quorum is None or opinion == CommitteeOpinion.POSTPONED
        else " ("
        + _("for %(for)s, for with conditions %(with)s, against %(against)s, abstentions %(abstain)s")
        % {
            "for": quorum.favourable,
            "with": quorum.with_conditions,
            "against": quorum.unfavourable,
            "abstain": quorum.abstain,
        }
        + ")"
    )
    chaired = (
        ""
        if presiding is None
        else " — " + _("presided by %(who)s") % {"who": titles.presided_by(presiding.role, presiding.user)}
    )
    _event(
        use_case,
        acting_user,
        UseCaseEvent.Kind.COMMITTEE_OPINION,
        review=review,
        comment=f"{label}{tally}{chaired}" + (f" : {comment}" if comment else ""),
        notify=opinion == CommitteeOpinion.POSTPONED,
    )
    if opinion == CommitteeOpinion.POSTPONED:
        return item
    if opinion == CommitteeOpinion.UNFAVOURABLE:
        decision = ReviewDecision.REJECTED
    elif opinion == CommitteeOpinion.FAVOURABLE_WITH_CONDITIONS or review.conditions.exists():
        decision = ReviewDecision.APPROVED_WITH_CONDITIONS
    else:
        decision = ReviewDecision.APPROVED
    _decide(review, use_case, decision, acting_user, _("Decision following the ethics committee's opinion."))
    return item


__all__ = [
    "MATERIAL_FIELDS",
    "agenda_add",
    "agenda_remove",
    "attendance_record",
    "committee_member_add",
    "committee_member_update",
    "committee_opinion_record",
    "conflict_declare",
    "opinion_give",
    "rereviews_open_due",
    "review_open",
    "review_return_for_changes",
    "session_close",
    "session_create",
    "session_open",
    "snapshot_of",
    "use_case_resume",
    "use_case_retire",
    "use_case_rework",
    "vote_cast",
]
