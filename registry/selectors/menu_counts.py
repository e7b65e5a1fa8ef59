"""How many things wait for a person ("Mes tâches"), in one query, for the count shown in the main menu.

The same sections as `reviews.tasks_for`, as counts instead of lists, so that every page can show the count for
one query. `tests/web/test_reviews_tasks.py` checks that both always agree.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .. import permissions
from ..choices import OPEN_REVIEW_STATUSES, ReviewKind, ReviewStatus, SessionStatus, UseCaseStatus
from ..models import AgendaItem, Collectivite, CommitteeMember, Opinion, Review, UseCase, Vote
from ..permissions import Access
from .reviews import reviews_awaiting_committee


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
        session__status=SessionStatus.PLANNED,
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
    querysets["checkpoints"] = Checkpoint.objects.filter(
        use_case__collectivite_id=collectivite_id,
        owner=user,
        active=True,
        next_due__lte=timezone.localdate() + datetime.timedelta(days=7),
    )
    return querysets


def pending_task_count(user, access: Access) -> int:
    """The number of things waiting for the person in the current collectivité (one query)."""
    if not access.is_member:
        return 0
    counts = {
        f"tasks_{name}": _Count(queryset.order_by().values("pk"))
        for name, queryset in task_querysets(user, access).items()
    }
    row = Collectivite.objects.filter(pk=access.collectivite_id).values(**counts).first()
    return sum(row.values()) if row else 0
