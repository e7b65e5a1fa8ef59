"""Reads of reviews, opinions and the ethics committee, filtered by what the user may see, at fixed query counts."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from .. import permissions
from ..choices import (
    LIVE_STATUSES,
    NOT_CLOSED_SESSION_STATUSES,
    OPEN_REVIEW_STATUSES,
    MemberVote,
    ReviewKind,
    ReviewStatus,
    Role,
    SessionStatus,
    UseCaseStatus,
)
from ..models import (
    AgendaItem,
    Attendance,
    Collectivite,
    CommitteeMember,
    CommitteeSession,
    Membership,
    Opinion,
    Review,
    UseCase,
    Vote,
)
from ..models.use_cases import CLASSIFICATION_RESULT_FIELDS
from ..permissions import Access
from .use_cases import use_cases_visible_to


def reviews_visible_to(user, access: Access) -> QuerySet[Review]:
    """The review rounds of the use cases the user may see."""
    if not access.is_member:
        return Review.objects.none()
    queryset = Review.objects.filter(collectivite_id=access.collectivite_id)
    if not access.sees_all:
        queryset = queryset.filter(use_case__in=use_cases_visible_to(user, access).values("pk"))
    return queryset


def review_list(user, access: Access) -> QuerySet[Review]:
    return (
        reviews_visible_to(user, access)
        .select_related("use_case__service", "use_case__owner")
        .prefetch_related(Prefetch("opinions", queryset=Opinion.objects.select_related("author")))
        .order_by("-opened_at", "-id")
    )


def _items_queryset():
    return AgendaItem.objects.select_related("session", "decided_by").prefetch_related(
        Prefetch("votes", queryset=Vote.objects.select_related("member__user"))
    )


def review_detail(user, access: Access) -> QuerySet[Review]:
    return (
        reviews_visible_to(user, access)
        .select_related("use_case__service", "use_case__owner", "use_case__collectivite", "opened_by", "decided_by")
        .prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.select_related("author")),
            "conditions",
            Prefetch("agenda_items", queryset=_items_queryset()),
        )
    )


def use_case_reviews(use_case: UseCase) -> list[Review]:
    """Every review round of a use case, newest first, with opinions, conditions and committee work."""
    return list(
        use_case.reviews.select_related("opened_by", "decided_by")
        .prefetch_related(
            Prefetch("opinions", queryset=Opinion.objects.select_related("author")),
            "conditions",
            Prefetch("agenda_items", queryset=_items_queryset()),
        )
        .order_by("-number")
    )


# What changed since a round was opened ---------------------------------------------------------------------------
def snapshot_display(name: str, raw) -> str:
    """A value of a frozen snapshot as a reader sees it (labels for codes, yes/no, dates)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from ..models.use_cases import MULTI_CODE_FIELDS

    if raw in (None, "", []):
        return "—"
    if isinstance(raw, dict):
        return raw.get("label", "")
    if isinstance(raw, bool):
        return _("Yes") if raw else _("No")
    if name in MULTI_CODE_FIELDS:
        labels = dict(MULTI_CODE_FIELDS[name].choices)
        return ", ".join(str(labels.get(code, code)) for code in raw)
    choices = dict(UseCase._meta.get_field(name).choices or [])
    if choices:
        return str(choices.get(raw, raw))
    if name in ("start_date", "end_date"):
        try:
            return date_format(datetime.date.fromisoformat(raw), "DATE_FORMAT")
        except ValueError:
            return str(raw)
    return str(raw)


def review_changes(review: Review, use_case: UseCase) -> list[dict]:
    """The fields and verdicts that differ between what the round reviewed and the use case today."""
    from ..services.reviews import MATERIAL_FIELDS, snapshot_of

    current = snapshot_of(use_case)
    changes = []
    before_fields, after_fields = review.snapshot.get("fields", {}), current["fields"]
    for name, after in after_fields.items():
        before = before_fields.get(name)
        same = (
            (before or {}).get("id") == (after or {}).get("id")
            if name in ("service", "owner", "tool")
            else (before == after)
        )
        if not same:
            changes.append(
                {
                    "field": name,
                    "label": UseCase._meta.get_field(name).verbose_name,
                    "before": snapshot_display(name, before),
                    "after": snapshot_display(name, after),
                    "material": name in MATERIAL_FIELDS,
                }
            )
    before_cls, after_cls = review.snapshot.get("classification", {}), current["classification"]
    for name in CLASSIFICATION_RESULT_FIELDS:
        if before_cls.get(name) != after_cls.get(name):
            changes.append(
                {
                    "field": name,
                    "label": UseCase._meta.get_field(name).verbose_name,
                    "before": snapshot_display(name, before_cls.get(name)),
                    "after": snapshot_display(name, after_cls.get(name)),
                    "material": True,
                }
            )
    return changes


# The ethics committee ----------------------------------------------------------------------------------------------
def committee_members(access: Access, *, include_former: bool = False) -> QuerySet[CommitteeMember]:
    queryset = CommitteeMember.objects.filter(collectivite_id=access.collectivite_id).select_related("user")
    return queryset if include_former else queryset.filter(active=True)


def sessions_visible_to(user, access: Access) -> QuerySet[CommitteeSession]:
    if not permissions.can_view_committee(user, access):
        return CommitteeSession.objects.none()
    return CommitteeSession.objects.filter(collectivite_id=access.collectivite_id).annotate(item_count=Count("items"))


def session_items(session: CommitteeSession) -> list[AgendaItem]:
    return list(
        session.items.select_related(
            "review__use_case__service", "review__use_case__owner", "decided_by"
        ).prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("member__user")),
            Prefetch("review__opinions", queryset=Opinion.objects.select_related("author")),
            "review__conditions",
        )
    )


# The committee's quorum ---------------------------------------------------------------------------------------------
def quorum_required(members_in_office: int, percent: int) -> int:
    """How many members must sit, without a conflict of interest, for the committee to give an opinion: the share
    `percent` of the members in office, rounded up (50 % of 5 is 3, of 4 is 2), and never fewer than one."""
    return max(1, math.ceil(members_in_office * percent / 100))


@dataclass(frozen=True)
class SessionRoster:
    """The attendance of a held session (empty before it is opened) and the services its members belong to."""

    attendance: list = field(default_factory=list)
    # user id -> [(role, service id, service path)]: what a conflict of interest is computed from.
    links: dict = field(default_factory=dict)
    percent: int = 50

    @property
    def present_user_ids(self) -> set[int]:
        return {row.member.user_id for row in self.attendance if row.present}

    @property
    def present(self) -> list:
        return [row.member for row in self.attendance if row.present]

    @property
    def absent(self) -> list:
        return [row.member for row in self.attendance if not row.present]


@dataclass(frozen=True)
class ItemQuorum:
    """Where one case of a held session stands: members in office, quorum, members present without a conflict of
    interest, conflicts, and the votes of those members (for, for with conditions, against, abstentions)."""

    members_in_office: int
    required: int
    present: int
    conflicts: int
    favourable: int = 0
    with_conditions: int = 0
    unfavourable: int = 0
    abstain: int = 0

    @property
    def met(self) -> bool:
        return self.present >= self.required

    @property
    def votes(self) -> int:
        return self.favourable + self.with_conditions + self.unfavourable + self.abstain


def session_roster(session: CommitteeSession) -> SessionRoster:
    """The session's attendance and its members' services: two queries (none before the session is opened)."""
    if not session.was_held:
        return SessionRoster()
    attendance = list(
        Attendance.objects.filter(session=session)
        .select_related("member__user")
        .order_by("-member__is_chair", "member__user__last_name", "member__user__first_name", "id")
    )
    links: dict[int, list] = {}
    memberships = Membership.objects.filter(
        collectivite_id=session.collectivite_id,
        user_id__in=[row.member.user_id for row in attendance],
        service__isnull=False,
    ).values_list("user_id", "role", "service_id", "service__path")
    for user_id, role, service_id, path in memberships:
        links.setdefault(user_id, []).append((role, service_id, path))
    percent = session.quorum_percent or session.collectivite.committee_quorum_percent
    return SessionRoster(attendance=attendance, links=links, percent=percent)


def conflicted_user_ids(use_case: UseCase, user_ids, links: dict) -> set[int]:
    """Among `user_ids`, who has a conflict of interest on the use case without declaring it: its owner, the agents of
    its service, the heads of its service or of a direction above it (as `permissions.has_conflict_of_interest`)."""
    path = use_case.service.path
    conflicted = set()
    for user_id in user_ids:
        if user_id == use_case.owner_id:
            conflicted.add(user_id)
            continue
        for role, service_id, service_path in links.get(user_id, ()):
            if service_id == use_case.service_id or (role == Role.HEAD_OF_SERVICE and path.startswith(service_path)):
                conflicted.add(user_id)
                break
    return conflicted


def item_quorum(item: AgendaItem, roster: SessionRoster) -> ItemQuorum:
    """The quorum and the votes on one case, from the roster and the item's prefetched votes. The members with a
    conflict of interest (declared, or found from their service) are counted out of both."""
    votes = list(item.votes.all())
    present_ids = roster.present_user_ids
    declared = {vote.member.user_id for vote in votes if vote.conflict_of_interest}
    conflicted = declared | conflicted_user_ids(item.review.use_case, present_ids, roster.links)
    sitting = present_ids - conflicted
    counts = Counter(vote.choice for vote in votes if not vote.conflict_of_interest and vote.member.user_id in sitting)
    in_office = len(roster.attendance)
    return ItemQuorum(
        members_in_office=in_office,
        required=quorum_required(in_office, roster.percent),
        present=len(sitting),
        conflicts=len(conflicted),
        favourable=counts[MemberVote.FAVOURABLE],
        with_conditions=counts[MemberVote.FAVOURABLE_WITH_CONDITIONS],
        unfavourable=counts[MemberVote.UNFAVOURABLE],
        abstain=counts[MemberVote.ABSTAIN],
    )


def recorded_quorum(item: AgendaItem) -> ItemQuorum | None:
    """The quorum and votes frozen with the committee's opinion (None for an opinion recorded before the rules)."""
    if not item.has_record:
        return None
    return ItemQuorum(
        members_in_office=item.members_in_office,
        required=item.quorum_required,
        present=item.present_count,
        conflicts=item.conflict_count,
        favourable=item.votes_favourable,
        with_conditions=item.votes_with_conditions,
        unfavourable=item.votes_unfavourable,
        abstain=item.votes_abstain,
    )


def reviews_awaiting_committee(access: Access) -> QuerySet[Review]:
    """Cases the committee must examine that are not on the agenda of a session to come (planned or in session)."""
    scheduled = AgendaItem.objects.filter(
        review=OuterRef("pk"), opinion="", session__status__in=NOT_CLOSED_SESSION_STATUSES
    )
    return (
        Review.objects.filter(collectivite_id=access.collectivite_id, status=ReviewStatus.COMMITTEE)
        .exclude(Exists(scheduled))
        .select_related("use_case__service", "use_case__owner")
        .order_by("opened_at", "id")
    )


# "Mes tâches" ------------------------------------------------------------------------------------------------------
# A section shows its first items; the page says how many there are in all and links to the full lists.
TASKS_PER_SECTION = 50


class _Count(Subquery):
    """`(SELECT COUNT(*) FROM (<queryset>))`: a queryset's row count as a column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def task_querysets(user, access: Access) -> dict[str, QuerySet]:
    from audits.models import Checkpoint

    collectivite_id = access.collectivite_id
    querysets: dict[str, QuerySet] = {}
    roles = permissions.reviewer_roles(access)
    if roles:
        missing = Q()
        for role in roles:
            missing |= ~Exists(Opinion.objects.filter(review=OuterRef("pk"), role=role))
        querysets["opinions"] = Review.objects.filter(
            collectivite_id=collectivite_id, status=ReviewStatus.OPINIONS
        ).filter(missing)
    # The committee's sections depend on the person's seat: looked up inside the same query (no query of its own).
    seat = CommitteeMember.objects.filter(user=user, collectivite_id=collectivite_id, active=True)
    chair = Exists(seat.filter(is_chair=True))
    awaiting = reviews_awaiting_committee(access)
    querysets["to_schedule"] = (
        awaiting if access.roles & permissions.COMMITTEE_SECRETARIAT_ROLES else awaiting.filter(chair)
    )
    pending = AgendaItem.objects.filter(
        session__collectivite_id=collectivite_id,
        session__status=SessionStatus.OPEN,
        opinion="",
        review__status=ReviewStatus.COMMITTEE,
    )
    querysets["votes"] = pending.filter(Exists(seat)).exclude(
        Exists(Vote.objects.filter(item=OuterRef("pk"), member__in=seat.values("pk")))
    )
    querysets["committee_opinions"] = pending.filter(chair)
    querysets["conditions"] = Checkpoint.objects.filter(
        use_case__collectivite_id=collectivite_id,
        use_case__owner=user,
        origin=Checkpoint.Origin.CONDITION,
        active=True,
        owner__isnull=True,
    )
    querysets["rereviews"] = Review.objects.filter(
        collectivite_id=collectivite_id,
        use_case__owner=user,
        kind=ReviewKind.PERIODIC,
        status__in=OPEN_REVIEW_STATUSES,
    )
    querysets["rework"] = UseCase.objects.filter(
        collectivite_id=collectivite_id, owner=user, status=UseCaseStatus.REJECTED
    )
    # The guided qualification (DOMAIN.md 3b): the DPO confirms what was not known; owners complete the facts of use
    # cases recorded before the questionnaire (or through legal answers), except those retired or rejected.
    if access.has(Role.DPO):
        querysets["qualifications"] = UseCase.objects.filter(
            collectivite_id=collectivite_id, qualification_to_confirm=True
        ).exclude(status=UseCaseStatus.RETIRED)
    querysets["facts"] = UseCase.objects.filter(
        collectivite_id=collectivite_id, owner=user, facts_to_complete=True
    ).exclude(status__in=(UseCaseStatus.RETIRED, UseCaseStatus.REJECTED))
    # The controls that run (live use cases), as "My checkpoints" lists them (audits.selectors.my_checkpoints).
    querysets["checkpoints"] = Checkpoint.objects.filter(
        use_case__collectivite_id=collectivite_id,
        use_case__status__in=LIVE_STATUSES,
        owner=user,
        active=True,
        next_due__lte=timezone.localdate() + datetime.timedelta(days=7),
    )
    from transparency.permissions import can_publish

    if can_publish(access):
        from transparency.selectors import publication_tasks

        querysets["publications"] = publication_tasks(collectivite_id=collectivite_id)
    return querysets


def task_counts(user, access: Access, *, cap: int | None = None) -> dict[str, int]:
    """The number of things waiting for the person, by section of "Mes tâches", in one query (the same querysets
    as the page). With `cap`, each section counts up to `cap` only: its subquery stops there, so the cost no longer
    grows with a large backlog (the menu's badge says "99+")."""
    if not access.is_member:
        return {}
    counts = {
        f"tasks_{name}": _Count(queryset.order_by().values("pk")[:cap] if cap else queryset.order_by().values("pk"))
        for name, queryset in task_querysets(user, access).items()
    }
    row = Collectivite.objects.filter(pk=access.collectivite_id).values(**counts).first() or {}
    return {name.removeprefix("tasks_"): value for name, value in row.items()}


def pending_task_count(user, access: Access, *, cap: int | None = None) -> int:
    """The number of things waiting for the person in the current collectivité (one query: the menu's badge), at
    most `cap` when given."""
    total = sum(task_counts(user, access, cap=cap).values())
    return min(total, cap) if cap else total


class TaskList(list):
    """The first items of a section of "Mes tâches", and how many there are in all (`total`)."""

    def __init__(self, items, total: int):
        super().__init__(items)
        self.total = total


def _capped(queryset, limit: int) -> TaskList:
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return TaskList(items, len(items))
    return TaskList(items[:limit], queryset.order_by().count())


def tasks_for(user, access: Access, *, limit: int = TASKS_PER_SECTION) -> dict[str, TaskList]:
    """What waits for this person, by section (only the sections their roles have): one query per section, plus a
    count where a section holds more than `limit` items."""
    querysets = task_querysets(user, access)
    seat = permissions.committee_seat(user, access.collectivite_id)
    shown = {
        "opinions": bool(permissions.reviewer_roles(access)),
        "to_schedule": permissions.can_manage_committee(user, access),
        "votes": seat is not None,
        "committee_opinions": bool(seat and seat.is_chair),
    }
    items_of = {
        "opinions": lambda qs: (
            qs.select_related("use_case__service", "use_case__owner")
            .prefetch_related("opinions")
            .order_by("opened_at", "id")
        ),
        "to_schedule": lambda qs: qs,
        "votes": lambda qs: qs.select_related(
            "session", "review__use_case__service", "review__use_case__owner"
        ).order_by("session__held_on", "position", "id"),
        "committee_opinions": lambda qs: qs.select_related(
            "session", "review__use_case__service", "review__use_case__owner"
        ).order_by("session__held_on", "position", "id"),
        "conditions": lambda qs: qs.select_related("use_case", "type", "condition").order_by("use_case_id", "id"),
        "rereviews": lambda qs: qs.select_related("use_case").order_by("opened_at", "id"),
        "rework": lambda qs: qs.select_related("service").order_by("-updated_at", "-id"),
        "qualifications": lambda qs: qs.select_related("service", "owner").order_by("-updated_at", "-id"),
        "facts": lambda qs: qs.select_related("service").order_by("-updated_at", "-id"),
        "checkpoints": lambda qs: qs.select_related("use_case", "type").order_by("next_due", "id"),
        "publications": lambda qs: qs.select_related("service", "publication").order_by("reference", "id"),
    }
    return {
        name: _capped(items_of[name](queryset), limit) for name, queryset in querysets.items() if shown.get(name, True)
    }


def task_count(tasks: dict[str, TaskList]) -> int:
    return sum(items.total for items in tasks.values())


__all__ = [
    "snapshot_display",
    "committee_members",
    "conflicted_user_ids",
    "item_quorum",
    "ItemQuorum",
    "quorum_required",
    "recorded_quorum",
    "session_roster",
    "SessionRoster",
    "review_changes",
    "review_detail",
    "review_list",
    "reviews_awaiting_committee",
    "reviews_visible_to",
    "session_items",
    "sessions_visible_to",
    "task_count",
    "tasks_for",
    "task_querysets",
    "pending_task_count",
    "task_counts",
    "TaskList",
    "TASKS_PER_SECTION",
    "use_case_reviews",
]
