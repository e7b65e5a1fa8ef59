"""Reads of explanation requests, filtered by what the user may see, and their yearly statistics."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from core.access import Access
from transparency.models import Publication, PublicationState

from .models import CLOSED_STATUSES, OPEN_STATUSES, ExplanationRequest
from .permissions import ALL_REQUESTS_ROLES

# What a row of the queue shows: never the free texts nor the draft.
QUEUE_COLUMNS = (
    "id",
    "collectivite_id",
    "reference",
    "status",
    "requester_name",
    "decision_date",
    "received_on",
    "deadline",
    "closed_on",
    "anonymised_at",
    "use_case__id",
    "use_case__reference",
    "use_case__name",
    "service__id",
    "service__name",
    "service__path",
)


def requests_visible_to(access: Access) -> QuerySet[ExplanationRequest]:
    """All of the collectivité's for the DPO and the administrators; those of the services one heads otherwise."""
    if not access.is_member:
        return ExplanationRequest.objects.none()
    queryset = ExplanationRequest.objects.filter(collectivite_id=access.collectivite_id)
    if access.roles & ALL_REQUESTS_ROLES:
        return queryset
    if not access.headed_service_paths:
        return queryset.none()
    condition = Q()
    for path in access.headed_service_paths:
        condition |= Q(service__path__startswith=path)
    return queryset.filter(condition)


@dataclass
class QueueFilters:
    status: str = ""
    overdue: bool = False
    use_case: int | None = None


def queue(access: Access, filters: QueueFilters | None = None, *, today=None) -> QuerySet[ExplanationRequest]:
    """The queue, soonest deadline first among the open ones, then the closed ones, most recent first."""
    today = today or timezone.localdate()
    filters = filters or QueueFilters()
    queryset = requests_visible_to(access).select_related("use_case", "service").only(*QUEUE_COLUMNS)
    if filters.status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.overdue:
        queryset = queryset.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    if filters.use_case:
        queryset = queryset.filter(use_case_id=filters.use_case)
    return queryset.order_by(F("closed_at").desc(nulls_first=True), "deadline", "id")


def request_detail(access: Access, pk) -> ExplanationRequest | None:
    return (
        requests_visible_to(access)
        .select_related(
            "use_case", "use_case__service", "use_case__collectivite", "service", "collectivite", "signed_by"
        )
        .filter(pk=pk)
        .first()
    )


def request_by_token(token_hash: str) -> ExplanationRequest | None:
    return ExplanationRequest.objects.select_related("collectivite", "use_case").filter(token_hash=token_hash).first()


def open_counts(access: Access, *, today=None) -> dict:
    """Open and overdue requests the user may answer (dashboard, « Mes tâches »)."""
    today = today or timezone.localdate()
    return requests_visible_to(access).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
    )


def to_answer(access: Access) -> QuerySet[ExplanationRequest]:
    """The open requests the user may answer, soonest deadline first (« Mes tâches »)."""
    return (
        requests_visible_to(access)
        .filter(status__in=OPEN_STATUSES)
        .select_related("use_case", "service")
        .only(*QUEUE_COLUMNS)
        .order_by("deadline", "id")
    )


def published_use_cases(collectivite) -> QuerySet:
    """The published entries a person may pick on the collectivité's form: (use case id, public name, reference)."""
    return (
        Publication.objects.filter(collectivite=collectivite, state=PublicationState.PUBLISHED)
        .values_list("use_case_id", "name", "use_case__reference")
        .order_by("name", "use_case_id")
    )


def published_use_case(collectivite, reference: str):
    publication = (
        Publication.objects.filter(
            collectivite=collectivite, state=PublicationState.PUBLISHED, use_case__reference=reference
        )
        .select_related("use_case")
        .first()
    )
    return publication


# Statistics ---------------------------------------------------------------------------------------------------
@dataclass
class UseCaseFigures:
    use_case_id: int | None
    label: str
    received: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    open_overdue: int = 0


@dataclass
class YearFigures:
    """Requests received in a year, and how they were answered (by the deadline or after), or are late."""

    year: int
    received: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    open_overdue: int = 0
    open_in_time: int = 0
    rejected: int = 0
    by_use_case: list[UseCaseFigures] = field(default_factory=list)

    @property
    def on_time_rate(self) -> int | None:
        answered = self.answered_in_time + self.answered_late
        return round(100 * self.answered_in_time / answered) if answered else None


def annual_statistics(*, collectivite_ids, year: int, today=None) -> YearFigures:
    """Per year of receipt: received, answered by the deadline, answered late, still open past the deadline, per
    use case (the unattributed requests in one row). Reads no personal data: it outlives the purge."""
    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    scope = ExplanationRequest.objects.filter(
        collectivite_id__in=list(collectivite_ids), received_on__gte=start, received_on__lte=end
    )
    closed = Q(status__in=CLOSED_STATUSES)
    aggregates = {
        "received": Count("pk"),
        "answered_in_time": Count("pk", filter=closed & Q(closed_on__lte=F("deadline"))),
        "answered_late": Count("pk", filter=closed & Q(closed_on__gt=F("deadline"))),
        "open_overdue": Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        "open_in_time": Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__gte=today)),
        "rejected": Count("pk", filter=Q(status="rejected")),
    }
    figures = YearFigures(year=year, **scope.aggregate(**aggregates))
    rows = (
        scope.values("use_case_id", "use_case__reference", "use_case__name")
        .annotate(
            **{name: aggregates[name] for name in ("received", "answered_in_time", "answered_late", "open_overdue")}
        )
        .order_by("use_case__reference")
    )
    figures.by_use_case = [
        UseCaseFigures(
            row["use_case_id"],
            f"{row['use_case__reference']} — {row['use_case__name']}" if row["use_case_id"] else "",
            row["received"],
            row["answered_in_time"],
            row["answered_late"],
            row["open_overdue"],
        )
        for row in rows
    ]
    return figures
