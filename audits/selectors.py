"""Reads of checkpoints: a use case's, a person's ("Mes contrôles"), and compliance at every level."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import Access
from registry.choices import LIVE_STATUSES, AiActRisk
from registry.selectors import use_cases_visible_to

from . import schedule
from .models import Attestation, BreachRisk, Checkpoint, CheckpointType, Incident, IncidentNotification
from .permissions import COMPLIANCE_ROLES

LIVE = LIVE_STATUSES


def checkpoint_types_for(collectivite_id: int) -> QuerySet[CheckpointType]:
    # The types made for the conditions of an approval belong to their use case only.
    return CheckpointType.objects.filter(Q(collectivite__isnull=True) | Q(collectivite_id=collectivite_id)).exclude(
        code__startswith="condition-"
    )


def checkpoints_visible_to(user, access: Access) -> QuerySet[Checkpoint]:
    """Checkpoints of the use cases the user may see."""
    return Checkpoint.objects.filter(use_case__in=use_cases_visible_to(user, access))


def use_case_checkpoints(use_case) -> QuerySet[Checkpoint]:
    return (
        use_case.checkpoints.select_related("type", "owner")
        .prefetch_related("attestations__attested_by")
        .order_by("-active", "type__code")
    )


def use_case_incidents(use_case) -> QuerySet[Incident]:
    return use_case.incidents.select_related("reported_by")


def my_checkpoints(user, access: Access) -> QuerySet[Checkpoint]:
    """The active checkpoints a person owns in the collectivité on its live use cases (the controls that run),
    soonest due first."""
    return (
        Checkpoint.objects.filter(
            owner=user, active=True, use_case__collectivite_id=access.collectivite_id, use_case__status__in=LIVE
        )
        .select_related("type", "use_case", "use_case__service")
        .order_by("next_due", "use_case__reference")
    )


def attestation_for_download(user, access: Access, pk: int) -> Attestation | None:
    """An attestation whose evidence the user may download: they may see its use case."""
    return (
        Attestation.objects.filter(pk=pk, checkpoint__use_case__in=use_cases_visible_to(user, access))
        .exclude(evidence="")
        .first()
    )


@dataclass
class Compliance:
    """Share of scheduled checkpoints attested on time (not overdue), with the overdue ones."""

    label: str
    total: int = 0
    on_time: int = 0
    overdue: list = field(default_factory=list)
    id: int | None = None  # the service's or the use case's, for links and the API

    @property
    def rate(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


# Long texts and JSON of a use case that lists of checkpoints never show.
HEAVY_USE_CASE_FIELDS = (
    "description",
    "purpose",
    "summary",
    "classification_reasons",
    "required_checkpoints",
    "data_sources",
)


def scheduled_checkpoints(*, collectivite_ids) -> QuerySet[Checkpoint]:
    """The active, scheduled checkpoints of the live use cases of these collectivités (what compliance counts)."""
    return Checkpoint.objects.filter(
        active=True, use_case__collectivite_id__in=collectivite_ids, use_case__status__in=LIVE
    ).exclude(next_due__isnull=True)


def compliance_scope(user, access: Access) -> QuerySet[Checkpoint]:
    """The checkpoints whose compliance the user may see: all for the DPO, RSSI, DGS and administrators, the
    services they head for a head of service, none otherwise. Live use cases only."""
    base = scheduled_checkpoints(collectivite_ids=[access.collectivite_id])
    if access.roles & COMPLIANCE_ROLES:
        return base
    if access.headed_service_paths:
        condition = Q()
        for path in access.headed_service_paths:
            condition |= Q(use_case__service__path__startswith=path)
        return base.filter(condition)
    return base.none()


def compliance_summary(user, access: Access, *, overdue_limit: int = 500, per_use_case: bool = True) -> dict:
    """Overall (with the number overdue), per service and per use case: on-time shares in three aggregate queries,
    plus the first `overdue_limit` overdue checkpoints, most overdue first. The dashboard asks for a few overdue
    ones and no per-use-case rows."""
    today = timezone.localdate()
    scope = compliance_scope(user, access)
    on_time = Count("pk", filter=Q(next_due__gte=today))
    overall = scope.aggregate(total=Count("pk"), on_time=on_time, overdue=Count("pk", filter=Q(next_due__lt=today)))
    per_service = scope.values("use_case__service_id", "use_case__service__name").annotate(
        total=Count("pk"), on_time=on_time
    )
    per_use_case_rows = (
        scope.values("use_case_id", "use_case__reference", "use_case__name").annotate(
            total=Count("pk"), on_time=on_time
        )
        if per_use_case
        else []
    )
    overdue = list(
        scope.filter(next_due__lt=today)
        .select_related("type", "owner", "use_case")
        .defer(*(f"use_case__{name}" for name in HEAVY_USE_CASE_FIELDS))
        .order_by("next_due", "pk")[:overdue_limit]
    )
    return {
        "today": today,
        "overall": Compliance("", overall["total"], overall["on_time"]),
        "overdue_total": overall["overdue"],
        "services": sorted(
            (
                Compliance(row["use_case__service__name"], row["total"], row["on_time"], id=row["use_case__service_id"])
                for row in per_service
            ),
            key=lambda c: (c.rate if c.rate is not None else 101, c.label),
        ),
        "use_cases": sorted(
            (
                Compliance(
                    f"{row['use_case__reference']} — {row['use_case__name']}",
                    row["total"],
                    row["on_time"],
                    id=row["use_case_id"],
                )
                for row in per_use_case_rows
            ),
            key=lambda c: (c.rate if c.rate is not None else 101, c.label),
        ),
        "overdue": overdue,
    }


def use_case_compliance(use_case) -> Compliance:
    """The on-time share of a use case's scheduled checkpoints; none before it is live (its controls do not run)."""
    if not schedule.controls_run(use_case):
        return Compliance(use_case.reference)
    today = timezone.localdate()
    scope = use_case.checkpoints.filter(active=True).exclude(next_due__isnull=True)
    row = scope.aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(next_due__gte=today)))
    return Compliance(use_case.reference, row["total"], row["on_time"], list(scope.filter(next_due__lt=today)))


# Incidents -----------------------------------------------------------------------------------------------------------


def incidents_visible_to(user, access: Access) -> QuerySet[Incident]:
    """The incidents of the use cases the user may see."""
    return Incident.objects.filter(use_case__in=use_cases_visible_to(user, access))


def incident_detail(user, access: Access) -> QuerySet[Incident]:
    """An incident's page: everything it prints, in a fixed number of queries."""
    return (
        incidents_visible_to(user, access)
        .select_related(
            "use_case",
            "use_case__service",
            "use_case__owner",
            "use_case__tool",
            "use_case__collectivite",
            "reported_by",
            "qualified_by",
            "breach_assessed_by",
        )
        .prefetch_related(
            Prefetch("notifications", queryset=IncidentNotification.objects.select_related("recorded_by"))
        )
    )


def notification_for_download(user, access: Access, pk: int) -> IncidentNotification | None:
    """A notification whose attached file the user may download: they may see its incident's use case."""
    return (
        IncidentNotification.objects.filter(pk=pk, incident__use_case__in=use_cases_visible_to(user, access))
        .exclude(attachment="")
        .select_related("incident__use_case")
        .first()
    )


def incidents_with_open_clocks(*, collectivite_ids) -> QuerySet[Incident]:
    """The incidents whose notification deadlines may still be running or missed (the clocks say which): serious
    incidents of high-risk AI systems without both the provider's and the authority's notification, and breaches not
    assessed as harmless without the CNIL's (or, for a high risk, the persons') notification."""
    sent = IncidentNotification.objects.filter(incident=OuterRef("pk"))
    art73 = Q(serious=True, use_case__ai_system=True, use_case__ai_act_risk=AiActRisk.HIGH) & (
        ~Exists(sent.filter(recipient=IncidentNotification.Recipient.PROVIDER))
        | ~Exists(sent.filter(recipient=IncidentNotification.Recipient.AUTHORITY))
    )
    cnil = (
        Q(personal_data_breach=True)
        & ~Q(breach_risk__in=[BreachRisk.NOT_A_BREACH, BreachRisk.UNLIKELY])
        & ~Exists(sent.filter(recipient=IncidentNotification.Recipient.CNIL))
    )
    persons = Q(personal_data_breach=True, breach_risk=BreachRisk.HIGH, persons_exemption="") & ~Exists(
        sent.filter(recipient=IncidentNotification.Recipient.PERSONS)
    )
    return Incident.objects.filter(use_case__collectivite_id__in=collectivite_ids).filter(art73 | cnil | persons)


def with_clocks(incidents) -> list:
    """The incidents with their clocks (`clocks`, the open ones `open_clocks`, the overdue ones `overdue_clocks`);
    their notifications must be prefetched."""
    from .incident_clocks import incident_clocks

    rows = []
    for incident in incidents:
        incident.clocks = incident_clocks(incident, list(incident.notifications.all()))
        incident.open_clocks = [clock for clock in incident.clocks if clock.open]
        incident.overdue_clocks = [clock for clock in incident.clocks if clock.overdue]
        rows.append(incident)
    return rows


def overdue_incident_clocks(*, collectivite_ids, service_paths=None, limit: int = 200) -> list:
    """The incidents with at least one overdue deadline, in the collectivités (and services) given, oldest first."""
    queryset = incidents_with_open_clocks(collectivite_ids=collectivite_ids)
    if service_paths is not None:
        condition = Q(pk__in=[])
        for path in service_paths:
            condition |= Q(use_case__service__path__startswith=path)
        queryset = queryset.filter(condition)
    queryset = (
        queryset.select_related("use_case", "use_case__service")
        .defer(*(f"use_case__{name}" for name in HEAVY_USE_CASE_FIELDS))
        .prefetch_related("notifications")
        .order_by("aware_at", "pk")
    )
    return [incident for incident in with_clocks(queryset[:limit]) if incident.overdue_clocks]


def overdue_incidents_for_compliance(user, access: Access, *, limit: int = 200) -> list:
    """The incidents with an overdue notification deadline whose compliance the user may see: all for the DPO, RSSI,
    DGS and administrators, their services' for a head of service, none otherwise."""
    if access.roles & COMPLIANCE_ROLES:
        return overdue_incident_clocks(collectivite_ids=[access.collectivite_id], limit=limit)
    if access.headed_service_paths:
        return overdue_incident_clocks(
            collectivite_ids=[access.collectivite_id], service_paths=access.headed_service_paths, limit=limit
        )
    return []
