"""« Mes tâches »: what waits for a person in the current collectivité, by section, read across the apps (reviews
and the committee, checkpoints, the public register), at fixed query counts.

The page lists each section (`tasks_for`); the menu's badge and the dashboard count them (`task_counts`,
`pending_task_count`) with the same querysets, so a count always equals its list.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from audits.models import Checkpoint
from audits.selectors import incidents_with_open_clocks
from core.access import Access
from core.roles import Role
from explanations import permissions as explanation_permissions
from explanations import selectors as explanation_selectors
from fria import selectors as fria_selectors
from registry import permissions
from registry.choices import LIVE_STATUSES, OPEN_REVIEW_STATUSES, ReviewKind, ReviewStatus, UseCaseStatus
from registry.models import Collectivite, CommitteeMember, Opinion, Review, UseCase, Vote
from registry.selectors.reviews import committee_items_pending, items_to_preside, reviews_awaiting_committee
from transparency.permissions import can_publish
from transparency.selectors import publication_tasks

# A section shows its first items; the page says how many there are in all and links to the full lists.
TASKS_PER_SECTION = 50


class _Count(Subquery):
    """`(SELECT COUNT(*) FROM (<queryset>))`: a queryset's row count as a column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def task_querysets(user, access: Access) -> dict[str, QuerySet]:
    # The seat is cached per request (the page shows the committee's sections from it): no query for the others.
    seated = permissions.committee_seat(user, access.collectivite_id) is not None
    return _task_querysets(user, access, presiding=items_to_preside(user, access) if seated else [])


def _task_querysets(user, access: Access, *, presiding: list[int] | None) -> dict[str, QuerySet]:
    """The querysets of "Mes tâches". `presiding`: the cases the person presides over (`items_to_preside`); None
    lists instead every case in progress when they hold a seat, the candidates `task_counts` narrows only when there
    are some (so that counting costs one query to whoever has no such case)."""
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
    pending = committee_items_pending(collectivite_id)
    querysets["votes"] = pending.filter(Exists(seat)).exclude(
        Exists(Vote.objects.filter(item=OuterRef("pk"), member__in=seat.values("pk")))
    )
    # Who presides over a case is decided in Python, from the session's roster (`presiding_member`, one rule).
    querysets["committee_opinions"] = (
        pending.filter(Exists(seat)) if presiding is None else pending.filter(pk__in=presiding)
    )
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
    if can_publish(access):
        querysets["publications"] = publication_tasks(collectivite_id=collectivite_id)
    # Notification deadlines of serious incidents and breaches (AI Act 26(5), 73; RGPD 33, 34): the DPO and the
    # RSSI for the whole collectivité, an owner for their use cases.
    open_clocks = incidents_with_open_clocks(collectivite_ids=[collectivite_id])
    querysets["incidents"] = (
        open_clocks if access.roles & {Role.DPO, Role.RSSI} else open_clocks.filter(use_case__owner=user)
    )
    # The AIDF (AI Act art. 27): owners complete it and record its notification, the DPO reviews it.
    querysets["fria"] = fria_selectors.fria_tasks(user, access)
    # Requests for an explanation (CRPA R311-3-1-2): the DPO all, the heads of the owning service theirs.
    if explanation_permissions.can_see_queue(access):
        querysets["explanations"] = explanation_selectors.to_answer(access)
    return querysets


def task_counts(user, access: Access, *, cap: int | None = None) -> dict[str, int]:
    """The number of things waiting for the person, by section of "Mes tâches", in one query (the same querysets
    as the page), and four more for a committee member while a session is in progress (`items_to_preside`, whatever
    the number of cases). With `cap`, each section counts up to `cap` only: its subquery stops there, so the cost no
    longer grows with a large backlog (the menu's badge says "99+")."""
    if not access.is_member:
        return {}
    counts = {
        f"tasks_{name}": _Count(queryset.order_by().values("pk")[:cap] if cap else queryset.order_by().values("pk"))
        for name, queryset in _task_querysets(user, access, presiding=None).items()
    }
    row = Collectivite.objects.filter(pk=access.collectivite_id).values(**counts).first() or {}
    counts = {name.removeprefix("tasks_"): value for name, value in row.items()}
    # The query counted the cases in progress for a member of the committee: only then is it worth finding which of
    # them they preside over (a constant number of queries, as on the page).
    if counts.get("committee_opinions"):
        presiding = len(items_to_preside(user, access))
        counts["committee_opinions"] = min(presiding, cap) if cap else presiding
    return counts


def pending_task_count(user, access: Access, *, cap: int | None = None) -> int:
    """The number of things waiting for the person in the current collectivité (one query, five for a committee
    member while a session is in progress: the menu's badge), at most `cap` when given."""
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
        # Every member may come to preside over a case (the chair absent or with a conflict of interest).
        "committee_opinions": seat is not None,
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
        "incidents": lambda qs: (
            qs.select_related("use_case").prefetch_related("notifications").order_by("aware_at", "id")
        ),
        "publications": lambda qs: qs.select_related("service", "publication").order_by("reference", "id"),
        "fria": lambda qs: qs.select_related("service", "owner", "fria").order_by("reference", "id"),
        "explanations": lambda qs: qs,
    }
    return {
        name: _capped(items_of[name](queryset), limit) for name, queryset in querysets.items() if shown.get(name, True)
    }


def task_count(tasks: dict[str, TaskList]) -> int:
    return sum(items.total for items in tasks.values())
