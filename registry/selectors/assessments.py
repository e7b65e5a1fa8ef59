"""Where a use case's impact assessments stand, as the register records them: one rule for every reader (the
non-conformities of the annual report, the use case's audit report, the first wording of its public record).

The DPIA's status is what the DPO says of it in their opinions (`Opinion.dpia_status`, a `ProgressStatus` code): the
latest opinion that states it, whatever the round (an opinion that leaves it blank changes nothing); "" when the DPO
gave opinions without ever stating it; None when the DPO never gave an opinion on the use case.
"""

from __future__ import annotations

from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When

from ..choices import ReviewerRole
from ..models import Opinion, UseCase

# The name of the annotation `with_dpia_status` puts on use cases (`dpia_status` reads it).
DPIA_STATUS = "dpia_status"


def dpia_statements(use_case) -> QuerySet[Opinion]:
    """The DPO's opinions on a use case (an instance, an id or an `OuterRef`), those stating the DPIA's status first,
    then the latest first: the first row carries the status."""
    return Opinion.objects.filter(review__use_case=use_case, role=ReviewerRole.DPO).order_by(
        Case(When(dpia_status="", then=Value(1)), default=Value(0)), "-created_at", "-pk"
    )


def latest_dpia_status() -> Subquery:
    """The DPIA's status as a column of a use-case query (no query of its own)."""
    return Subquery(dpia_statements(OuterRef("pk")).values("dpia_status")[:1])


def with_dpia_status(use_cases: QuerySet[UseCase]) -> QuerySet[UseCase]:
    """The use cases, each with its DPIA's status (`dpia_status`) read in the same query."""
    return use_cases.annotate(**{DPIA_STATUS: latest_dpia_status()})


def dpia_status(use_case: UseCase) -> str | None:
    """The DPIA's status of a use case (see the module): read from the annotation `with_dpia_status` left on it, else
    one query."""
    if hasattr(use_case, DPIA_STATUS):
        return getattr(use_case, DPIA_STATUS)
    return dpia_statements(use_case).values_list("dpia_status", flat=True).first()
