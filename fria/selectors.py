"""Reads of AIDFs filtered by what the person may see (the use case's visibility), and the AIDFs due: for
« Mes tâches », the compliance page and the annual report, at fixed query counts."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import Access
from core.roles import Role
from registry.models import UseCase
from registry.selectors import use_cases_visible_to

from . import services
from .models import Fria, FriaStatus
from .services import due_filter

# Who sees the AIDFs due of the whole collectivité on the compliance page (as for the checkpoints).
COMPLIANCE_ROLES = frozenset({Role.DPO, Role.RSSI, Role.DGS, Role.ADMIN})


def frias_visible_to(user, access: Access) -> QuerySet[Fria]:
    """The AIDFs of the use cases the person may see."""
    return Fria.objects.filter(use_case__in=use_cases_visible_to(user, access).values("pk")).select_related(
        "use_case", "use_case__service", "use_case__owner", "use_case__collectivite"
    )


# What is due ---------------------------------------------------------------------------------------------------


def use_cases_with_fria_due(collectivite_id: int) -> QuerySet[UseCase]:
    """The collectivité's use cases whose AIDF is required and not completed yet (not started, being written,
    waiting for the DPO, approved but not notified)."""
    return UseCase.objects.filter(collectivite_id=collectivite_id).filter(due_filter())


def fria_tasks(user, access: Access) -> QuerySet[UseCase]:
    """« Mes tâches »: the use cases whose AIDF waits for this person, in one query. Their owner completes it (not
    started, or being written) and records its notification once approved; the DPO reviews the submitted ones and
    follows those approved until they are notified."""
    mine = Q(owner=user) & (Q(fria__isnull=True) | Q(fria__status__in=(FriaStatus.DRAFT, FriaStatus.APPROVED)))
    if access.has(Role.DPO):
        mine |= Q(fria__status__in=(FriaStatus.SUBMITTED, FriaStatus.APPROVED))
    return use_cases_with_fria_due(access.collectivite_id).filter(mine)


def fria_due_scope(user, access: Access) -> QuerySet[UseCase]:
    """The AIDFs due the compliance page shows: the whole collectivité for the DPO, the RSSI, the DGS and the
    administrators, the services they head for a head of service, none otherwise."""
    base = use_cases_with_fria_due(access.collectivite_id)
    if access.roles & COMPLIANCE_ROLES:
        return base
    if access.headed_service_paths:
        condition = Q()
        for path in access.headed_service_paths:
            condition |= Q(service__path__startswith=path)
        return base.filter(condition)
    return base.none()


def fria_due_rows(queryset: QuerySet[UseCase], *, limit: int = 500) -> list[UseCase]:
    """The use cases of `queryset` with their service, owner and AIDF, oldest first (one query)."""
    return list(
        queryset.select_related("service", "owner", "fria")
        .only(
            "id",
            "reference",
            "name",
            "status",
            "collectivite_id",
            "service__name",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "fria__status",
            "fria__number",
            "fria__use_case_id",
        )
        .order_by("reference", "pk")[:limit]
    )


def fria_applies_from(use_case, today):
    """The date from which the AIDF obligation applies to the use case when it is still to come (the dates the
    engine stamped on the reasons that found it, AI Act art. 113), None when it applies already."""
    from registry import rules

    stated = [
        reason for reason in use_case.reasons if rules.FRIA in reason.supports and reason.kind == rules.OBLIGATION
    ]
    if stated and all(reason.applies_from and reason.applies_from > today for reason in stated):
        return min(reason.applies_from for reason in stated)
    return None


def fria_overview(collectivite_id: int, *, today=None) -> dict:
    """The annual report's AIDF section: the use cases that require an AIDF (retired and rejected ones left out),
    split into those completed (approved and notified, with the date of the notification), those due (the obligation
    applies) and those to prepare (it applies later: counted, not named, as the report's AI Act section does). One
    query."""
    from django.utils import timezone

    from registry.choices import UseCaseStatus

    today = today or timezone.localdate()
    rows = list(
        UseCase.objects.filter(collectivite_id=collectivite_id, fria_required=True)
        .exclude(status__in=(UseCaseStatus.RETIRED, UseCaseStatus.REJECTED))
        .select_related("service", "owner", "fria")
        .order_by("reference", "pk")
    )
    completed, due, to_prepare = [], [], []
    for use_case in rows:
        fria = services.fria_of(use_case)
        use_case.fria_row = fria
        if fria is not None and fria.status == FriaStatus.NOTIFIED:
            completed.append(use_case)
        elif fria_applies_from(use_case, today) is None:
            due.append(use_case)
        else:
            to_prepare.append(use_case)
    return {"completed": completed, "due": due, "to_prepare": to_prepare}
