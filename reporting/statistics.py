"""The figures of a collectivité's AI register, for the dashboard and the annual audit report.

Every figure is aggregated in the database and costs a small fixed number of queries whatever the size of the
register. The stock (the register, the checkpoints) is read as it stands today; the flows (incidents, declarations,
decisions, committee sessions) over a year or the last twelve months. `charts_for` turns the figures into the charts
the dashboard and the report share.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audits.incident_clocks import Status as ClockStatus
from audits.models import Checkpoint, Incident
from audits.selectors import LIVE, compliance_scope, compliance_summary, with_clocks
from charter.models import CharterEdition
from charter.selectors import acknowledgement_rates
from core.access import Access
from core.roles import Role
from declarations.filters import WAITING_STATUSES, breach_to_assess
from declarations.models import Declaration
from fria.models import FriaStatus
from registry import rules
from registry.choices import (
    AiActRisk,
    CommitteeOpinion,
    DeclarationStatus,
    ProgressStatus,
    ReviewDecision,
    ReviewStatus,
    UseCaseStatus,
)
from registry.filters import REREVIEW_HORIZON_DAYS, rereview_due, services_condition, use_case_condition
from registry.models import ApplicationDate, Collectivite, CommitteeSession, Review, UseCase
from registry.selectors.assessments import dpia_status, with_dpia_status
from reporting import charts
from transparency.selectors import required_unpublished

# Every level of `ai_act_risk`, "not an AI system" (`out_of_scope`: rules written solely by people) counted apart,
# last: the register holds such algorithms too (the RGPD and the CRPA apply to them), but never as AI uses.
RISK_ORDER = [AiActRisk.PROHIBITED, AiActRisk.HIGH, AiActRisk.LIMITED, AiActRisk.MINIMAL, AiActRisk.OUT_OF_SCOPE]
# Chart colours: at least 3:1 against white (WCAG 1.4.11), close to the badges of the web pages (the grey of the
# dashed "not an AI system" badge); every bar and segment also carries its label or a legend, never colour alone.
RISK_COLOURS = {
    AiActRisk.PROHIBITED: "#1b1b1b",
    AiActRisk.HIGH: "#a4161a",
    AiActRisk.LIMITED: "#a87b00",
    AiActRisk.MINIMAL: "#2d6a4f",
    AiActRisk.OUT_OF_SCOPE: "#6c757d",
}


def risk_labels() -> dict[str, str]:
    """The risk levels as the figures name them: the choices' labels, "Not an AI system" short enough for a chart."""
    return {**dict(AiActRisk.choices), AiActRisk.OUT_OF_SCOPE: _("Not an AI system")}


STATUS_COLOUR = "#1d4e89"
DECLARATION_COLOURS = {
    DeclarationStatus.RECEIVED: "#2f5f98",
    DeclarationStatus.ANALYSING: "#a87b00",
    DeclarationStatus.REGULARISED: "#146c43",
    DeclarationStatus.ALTERNATIVE_OFFERED: "#5a189a",
    DeclarationStatus.TO_STOP: "#a4161a",
    DeclarationStatus.CLOSED: "#5c636a",
}
SEVERITY_COLOURS = {
    Incident.Severity.MINOR: "#5c636a",
    Incident.Severity.MAJOR: "#a87b00",
    Incident.Severity.SERIOUS: "#a4161a",
}
ON_TIME_COLOUR, OVERDUE_COLOUR = "#146c43", "#a4161a"


def compliance_access(collectivite_id: int) -> Access:
    """The access of someone who sees every checkpoint of the collectivité (the report is the DPO's view)."""
    return Access(collectivite_id=collectivite_id, roles=frozenset({Role.DPO}))


def use_case_scope(collectivite_id: int, *, service_paths: Iterable[str] | None = None) -> QuerySet[UseCase]:
    """The collectivité's use cases, or those of some services and the services below them."""
    queryset = UseCase.objects.filter(collectivite_id=collectivite_id)
    if service_paths is not None:
        queryset = queryset.filter(services_condition(service_paths))
    return queryset


# The register -----------------------------------------------------------------------------------------------------
@dataclass
class Figure:
    code: str
    label: str
    value: int


@dataclass
class ServiceRow:
    service_id: int
    label: str
    by_risk: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_risk.values())


# Each key figure of the register is a filter of the register's list (registry.filters): the figure counts the rows
# `use_case_condition` of these values selects, and links to the list filtered by the same values.
REGISTER_FIGURES = {
    "in_register": {"status": "current"},
    "live": {"status": "live"},
    "in_review": {"status": "review"},
    "high_risk_live": {"status": "live", "ai_act_risk": AiActRisk.HIGH},
    "blocked": {"status": "current", "flag": "blocked"},
}
REREVIEW_FILTER = {"flag": "rereview"}


@dataclass
class RegisterFigures:
    """Use cases by AI Act risk (retired uses left out), by status (all), and by service stacked by risk.

    `in_register` counts every algorithmic use of the register, AI systems or not: it is the register's size (the
    dashboard's figure opens the whole list), and its pages say "use cases", never "AI uses"; `ai_systems` and
    `not_ai_systems` split it. `high_risk_live` is AI by definition (a rules-based algorithm is `out_of_scope`).
    """

    by_risk: list[Figure]
    by_status: list[Figure]
    by_service: list[ServiceRow]
    total: int
    in_register: int
    live: int
    in_review: int
    high_risk_live: int
    blocked: int

    def status_count(self, *statuses: str) -> int:
        return sum(f.value for f in self.by_status if f.code in statuses)

    @property
    def not_ai_systems(self) -> int:
        return sum(f.value for f in self.by_risk if f.code == AiActRisk.OUT_OF_SCOPE)

    @property
    def ai_systems(self) -> int:
        return self.in_register - self.not_ai_systems


def register_figures(use_cases: QuerySet[UseCase]) -> RegisterFigures:
    """Two grouped queries. The key figures are the counts of their list's filters (REGISTER_FIGURES)."""
    rows = list(
        use_cases.order_by()
        .values("status", "ai_act_risk")
        .annotate(
            n=Count("pk"),
            **{
                f"figure_{name}": Count("pk", filter=use_case_condition(values))
                for name, values in REGISTER_FIGURES.items()
            },
        )
    )
    per_service = (
        use_cases.exclude(status=UseCaseStatus.RETIRED)
        .order_by()
        .values("service_id", "service__name", "service__path", "ai_act_risk")
        .annotate(n=Count("pk"))
    )
    risk_counts = dict.fromkeys(RISK_ORDER, 0)
    status_counts = dict.fromkeys(UseCaseStatus.values, 0)
    figures = {name: sum(row[f"figure_{name}"] for row in rows) for name in REGISTER_FIGURES}
    for row in rows:
        status_counts[row["status"]] = status_counts.get(row["status"], 0) + row["n"]
        if row["status"] != UseCaseStatus.RETIRED:
            risk_counts[row["ai_act_risk"]] = risk_counts.get(row["ai_act_risk"], 0) + row["n"]
    services: dict[int, ServiceRow] = {}
    paths: dict[int, str] = {}
    for row in per_service:
        service = services.setdefault(
            row["service_id"], ServiceRow(row["service_id"], row["service__name"], dict.fromkeys(RISK_ORDER, 0))
        )
        paths[row["service_id"]] = row["service__path"]
        service.by_risk[row["ai_act_risk"]] = service.by_risk.get(row["ai_act_risk"], 0) + row["n"]
    labels, status_labels = risk_labels(), dict(UseCaseStatus.choices)
    return RegisterFigures(
        by_risk=[Figure(code, str(labels[code]), risk_counts[code]) for code in RISK_ORDER],
        by_status=[Figure(code, str(status_labels[code]), status_counts[code]) for code in UseCaseStatus.values],
        # Most use cases first; the service tree's order between equals.
        by_service=sorted(services.values(), key=lambda s: (-s.total, paths[s.service_id])),
        total=sum(status_counts.values()),
        **figures,
    )


def upcoming_rereviews(use_cases: QuerySet[UseCase], *, today=None, days: int = REREVIEW_HORIZON_DAYS, limit=10):
    """Live use cases due for their periodic re-review within `days` (those already late first), at most `limit`,
    and how many there are: one query, two when there are more than `limit`. The register's list shows them all with
    its `flag=rereview` filter (REREVIEW_FILTER), the same condition."""
    today = today or timezone.localdate()
    queryset = use_cases.filter(rereview_due(today, days))
    items = list(queryset.select_related("service", "owner").order_by("next_review_on", "reference")[: limit + 1])
    total = len(items) if len(items) <= limit else queryset.count()
    return {"items": items[:limit], "total": total, "today": today, "days": days}


# The AI Act's dates of application -----------------------------------------------------------------------------------
@dataclass
class ApplicationRow:
    """One stage of the AI Act (an `ApplicationDate` row), whether it applies on the day, and the use cases it
    concerns (retired ones left out)."""

    key: str
    label: str
    applies_from: datetime.date
    source: str
    applies: bool
    use_cases: int


def application_scopes() -> dict[str, Q]:
    """The use cases whose classification states an obligation of each stage (DOMAIN.md section 3), read from what
    the engine stored: the AI Act concerns AI systems only, and a prohibited practice ends the analysis (no other
    duty is derived for it). Annex III counts the uses of an Annex III area, high-risk or exempted by art. 6(3) (the
    exemption is documented under art. 6(4) from the same date), and every emotion recognition or biometric
    categorisation system (Annex III, point 1)."""
    ai = Q(ai_system=True)
    assessed = ai & ~Q(ai_act_risk=AiActRisk.PROHIBITED)
    return {
        rules.PROHIBITED_PRACTICES: ai & Q(ai_act_risk=AiActRisk.PROHIBITED),
        rules.AI_LITERACY: ai,
        rules.TRANSPARENCY: assessed & ~Q(art50_features=[]),
        # A code in a JSON list: its quoted text, which no other code contains (SQLite has no JSON containment).
        rules.HIGH_RISK_ANNEX_III: assessed
        & (~Q(annex_iii_point="") | Q(art50_features__icontains='"emotion_or_biometric"')),
        rules.HIGH_RISK_ANNEX_I: assessed & Q(annex_i_product=True),
    }


def ai_act_application(use_cases: QuerySet[UseCase], *, today=None) -> list[ApplicationRow]:
    """The AI Act's stages in the order they apply, each with its date and source (data an administrator keeps up to
    date), whether it applies `today`, and how many use cases of the register it concerns: two queries."""
    today = today or timezone.localdate()
    scopes = application_scopes()
    dates = list(ApplicationDate.objects.order_by("applies_from", "key"))
    counts = (
        use_cases.exclude(status=UseCaseStatus.RETIRED)
        .order_by()
        .aggregate(**{row.key: Count("pk", filter=scopes[row.key]) for row in dates if row.key in scopes})
        if dates
        else {}
    )
    return [
        ApplicationRow(
            key=row.key,
            label=str(row.get_key_display()),
            applies_from=row.applies_from,
            source=row.source,
            applies=row.applies_from <= today,
            use_cases=counts.get(row.key) or 0,
        )
        for row in dates
    ]


# Checkpoints ------------------------------------------------------------------------------------------------------
def mandatory_without_owner(use_cases: QuerySet[UseCase]) -> list[Checkpoint]:
    """Active mandatory checkpoints (required by the classification or a condition of the approval) of live use
    cases that nobody is in charge of: one query."""
    return list(
        Checkpoint.objects.filter(
            use_case__in=use_cases.filter(status__in=LIVE).values("pk"),
            active=True,
            owner__isnull=True,
            origin__in=(Checkpoint.Origin.REQUIRED, Checkpoint.Origin.CONDITION),
        )
        .select_related("type", "use_case__owner", "use_case__service")
        .order_by("use_case__reference", "type__code")
    )


# Incidents --------------------------------------------------------------------------------------------------------
@dataclass
class IncidentFigures:
    by_severity: list[Figure]
    total: int
    breaches: int
    persons_affected: int
    items: list[Incident] = field(default_factory=list)


def incident_figures(use_cases: QuerySet[UseCase], start: datetime.date, end: datetime.date, *, with_items=False):
    """Incidents that occurred in [start, end): one grouped query, plus the list when asked."""
    incidents = Incident.objects.filter(
        use_case__in=use_cases.values("pk"), occurred_at__date__gte=start, occurred_at__date__lt=end
    )
    rows = {
        row["severity"]: row
        for row in incidents.order_by()
        .values("severity")
        .annotate(
            n=Count("pk"), breaches=Count("pk", filter=Q(personal_data_breach=True)), persons=Sum("persons_affected")
        )
    }
    labels = dict(Incident.Severity.choices)
    order = [Incident.Severity.SERIOUS, Incident.Severity.MAJOR, Incident.Severity.MINOR]
    items = []
    if with_items:
        items = list(incidents.select_related("use_case__service", "use_case__owner").order_by("occurred_at", "pk"))
    return IncidentFigures(
        by_severity=[Figure(code, str(labels[code]), rows[code]["n"] if code in rows else 0) for code in order],
        total=sum(row["n"] for row in rows.values()),
        breaches=sum(row["breaches"] for row in rows.values()),
        persons_affected=sum(row["persons"] or 0 for row in rows.values()),
        items=items,
    )


@dataclass
class IncidentNotificationFigures:
    """The serious incidents and breaches of a period, and whether their notifications met their deadlines."""

    serious: int = 0
    breaches: int = 0
    met: int = 0
    late: int = 0
    overdue: int = 0
    items: list[Incident] = field(default_factory=list)  # each with `clocks` (audits.incident_clocks)


def incident_notification_figures(use_cases: QuerySet[UseCase], start: datetime.date, end: datetime.date):
    """The incidents of [start, end) qualified serious or breaches, with their deadlines: two queries."""
    incidents = (
        Incident.objects.filter(
            use_case__in=use_cases.values("pk"), occurred_at__date__gte=start, occurred_at__date__lt=end
        )
        .filter(Q(serious=True) | Q(personal_data_breach=True))
        .select_related("use_case")
        .prefetch_related("notifications")
        .order_by("occurred_at", "pk")
    )
    figures = IncidentNotificationFigures(items=with_clocks(incidents))
    for incident in figures.items:
        figures.serious += bool(incident.serious)
        figures.breaches += bool(incident.personal_data_breach)
        for clock in incident.clocks:
            if not clock.applies:
                continue
            status = clock.status
            figures.met += status == ClockStatus.MET
            figures.late += status == ClockStatus.LATE
            figures.overdue += status == ClockStatus.OVERDUE
    return figures


# Shadow-AI declarations -------------------------------------------------------------------------------------------
@dataclass
class DeclarationFigures:
    months: list[datetime.date]
    # status code → one count per month
    by_month: dict[str, list[int]]
    by_status: list[Figure]
    total: int
    possible_breaches: int
    breaches_unassessed: int


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from `start`'s to the one before `end`."""
    months, month = [], start.replace(day=1)
    while month < end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def last_twelve_months(today=None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    end = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    start = end.replace(year=end.year - 1)
    return start, end


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def declaration_figures(collectivite_id: int, start: datetime.date, end: datetime.date) -> DeclarationFigures:
    """Declarations made in [start, end) by month and by status (where they stand today): one grouped query, which
    reads only the columns of the `declaration_counts` index (a count of `status`, never null, not of the id)."""
    rows = (
        Declaration.objects.filter(
            collectivite_id=collectivite_id, created_at__gte=_start_of(start), created_at__lt=_start_of(end)
        )
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month", "status")
        .annotate(
            n=Count("status"),
            breaches=Count("status", filter=Q(possible_breach=True)),
            unassessed=Count("status", filter=Q(possible_breach=True, breach_outcome="")),
        )
    )
    months = months_between(start, end)
    index = {month: i for i, month in enumerate(months)}
    by_month = {code: [0] * len(months) for code in DeclarationStatus.values}
    possible = unassessed = 0
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        if month in index:
            by_month[row["status"]][index[month]] += row["n"]
        possible += row["breaches"]
        unassessed += row["unassessed"]
    labels = dict(DeclarationStatus.choices)
    by_status = [Figure(code, str(labels[code]), sum(by_month[code])) for code in DeclarationStatus.values]
    return DeclarationFigures(
        months=months,
        by_month=by_month,
        by_status=by_status,
        total=sum(f.value for f in by_status),
        possible_breaches=possible,
        breaches_unassessed=unassessed,
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the current time zone: a range on the column itself, which its index serves (the
    `__date` lookup converts every row first)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def declarations_waiting(collectivite_id: int) -> dict:
    """Declarations waiting for triage (received or being analysed), and possible breaches not assessed whatever
    the declaration's status: one query, on the `declaration_counts` index alone."""
    return Declaration.objects.filter(collectivite_id=collectivite_id).aggregate(
        total=Count("status", filter=Q(status__in=WAITING_STATUSES)),
        breaches_unassessed=Count("status", filter=breach_to_assess()),
    )


def recent_declarations(collectivite_id: int, limit: int = 5) -> list[Declaration]:
    """The latest declarations, for those who triage them: one query. Anonymous declarations of a day share one
    instant (midnight): among them, by their random references, which say nothing of the order they were made in."""
    return list(
        Declaration.objects.filter(collectivite_id=collectivite_id)
        .select_related("tool", "service")
        .order_by("-created_at", "-reference")[:limit]
    )


# Reviews and the ethics committee -----------------------------------------------------------------------------------
def decisions_of_year(collectivite_id: int, year: int) -> dict:
    """The review rounds decided in the year, by decision and listed, and the committee sessions held: two queries."""
    start, end = year_bounds(year)
    decided = list(
        Review.objects.filter(collectivite_id=collectivite_id, decided_at__date__gte=start, decided_at__date__lt=end)
        .exclude(decision="")
        .select_related("use_case__service")
        .order_by("decided_at", "pk")
    )
    # Only the sessions actually held (opened on their date, with the attendance): a planned session, or one closed
    # without being opened, sat for nobody. "Examined" counts the opinions given, not the cases postponed.
    sessions = list(
        CommitteeSession.objects.filter(
            collectivite_id=collectivite_id,
            held_on__date__gte=start,
            held_on__date__lt=end,
            held_on__lte=timezone.now(),
            opened_at__isnull=False,
        )
        .annotate(
            item_count=Count("items"),
            examined=Count("items", filter=~Q(items__opinion__in=["", CommitteeOpinion.POSTPONED])),
        )
        .order_by("held_on")
    )
    labels = dict(ReviewDecision.choices)
    counts = dict.fromkeys(ReviewDecision.values, 0)
    services: dict[int, dict] = {}
    for review in decided:
        counts[review.decision] = counts.get(review.decision, 0) + 1
        service = review.use_case.service
        row = services.setdefault(service.pk, {"label": service.name, "path": service.path, "counts": {}})
        row["counts"][review.decision] = row["counts"].get(review.decision, 0) + 1
    by_service = [
        {"label": row["label"], "values": [row["counts"].get(code, 0) for code in ReviewDecision.values]}
        for row in sorted(services.values(), key=lambda row: row["path"])
    ]
    return {
        "reviews": decided,
        "by_decision": [Figure(code, str(labels[code]), counts[code]) for code in ReviewDecision.values],
        "by_service": by_service,
        "sessions": sessions,
    }


# Charter acknowledgements -----------------------------------------------------------------------------------------
def charter_acknowledgements(collectivite, year: int):
    """The acknowledgements of the charter in force in `year`: the latest edition published for that year or an
    earlier one (`charter.selectors.acknowledgement_rates`); its `edition` is None when none was published."""
    in_force = (
        CharterEdition.objects.filter(collectivite=collectivite, status=CharterEdition.Status.PUBLISHED, year__lte=year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return acknowledgement_rates(collectivite, in_force or year)


# Non-conformities and the action list -------------------------------------------------------------------------------
@dataclass
class NonConformity:
    kind: str
    title: str
    subject: str
    detail: str
    action: str
    owner: str
    target: datetime.date
    use_case: UseCase | None = None


NON_CONFORMITY_KINDS = (
    "blocked",
    "breach",
    "overdue",
    "without_owner",
    "dpia",
    "fria",
    "stale",
    "suspended",
    "rereview",
    "public_register",
)


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _dpo(collectivite) -> str:
    return collectivite.dpo_name or str(dict(Role.choices)[Role.DPO])


@dataclass(frozen=True)
class ConformityScope:
    """What every kind of non-conformity reads: the collectivité, the year of the breaches, the day."""

    collectivite: Collectivite
    year: int
    today: datetime.date

    @property
    def use_cases(self) -> QuerySet[UseCase]:
        return UseCase.objects.filter(collectivite=self.collectivite)

    @property
    def current(self) -> QuerySet[UseCase]:
        """The use cases still in the register's life (neither retired nor rejected)."""
        return self.use_cases.exclude(status__in=(UseCaseStatus.RETIRED, UseCaseStatus.REJECTED))

    @property
    def dpo(self) -> str:
        return _dpo(self.collectivite)

    def target(self, days: int) -> datetime.date:
        return self.today + datetime.timedelta(days=days)

    def about(self, kind, title, use_case, detail, action, owner, days) -> NonConformity:
        """A non-conformity of a use case, to correct within `days`."""
        subject = f"{use_case.reference} — {use_case.name}" if use_case is not None else ""
        return NonConformity(kind, title, subject, detail, action, owner, self.target(days), use_case)


def _short_date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def blocked_uses(scope: ConformityScope) -> list[NonConformity]:
    """Use cases the rules block (prohibited practice, tool or data not allowed): one query."""
    blocked = scope.current.filter(blocked=True).select_related("owner", "service").order_by("reference")
    return [
        scope.about(
            "blocked",
            _("Blocked use case"),
            use_case,
            use_case.get_status_display(),
            _("Stop the use, or remove what blocks it (prohibited practice, tool or data not allowed)."),
            _person(use_case.owner),
            7,
        )
        for use_case in blocked
    ]


def personal_data_breaches(scope: ConformityScope) -> list[NonConformity]:
    """The personal-data breaches of the year's incidents, then the possible breaches of declarations not assessed
    (whenever declared): two queries."""
    start, end = year_bounds(scope.year)
    incidents = (
        Incident.objects.filter(
            use_case__collectivite=scope.collectivite,
            personal_data_breach=True,
            occurred_at__date__gte=start,
            occurred_at__date__lt=end,
        )
        .select_related("use_case")
        .order_by("occurred_at", "pk")
    )
    found = [
        scope.about(
            "breach",
            _("Personal-data breach"),
            incident.use_case,
            _("Occurred on %(date)s, %(count)s person(s) affected")
            % {"date": _short_date(timezone.localtime(incident.occurred_at)), "count": incident.persons_affected},
            _("Check the breach file: notification to the CNIL within 72 hours, persons informed, measures taken."),
            scope.dpo,
            7,
        )
        for incident in incidents
    ]
    unassessed = (
        Declaration.objects.filter(breach_to_assess(), collectivite=scope.collectivite)
        .select_related("tool")
        .order_by("created_at", "reference")  # not the id: anonymous ones of a day share midnight
    )
    found += [
        NonConformity(
            "breach",
            _("Possible breach not assessed"),
            f"{declaration.reference} — {declaration.tool_display}",
            _("Declaration of %(date)s") % {"date": _short_date(timezone.localtime(declaration.created_at))},
            _("Assess the possible breach and record the outcome (RGPD art. 33)."),
            scope.dpo,
            scope.target(3),
        )
        for declaration in unassessed
    ]
    return found


def overdue_controls(scope: ConformityScope) -> list[NonConformity]:
    """Scheduled checkpoints of live use cases past their due date (the compliance page's overdue ones): one
    query."""
    overdue = (
        compliance_scope(None, compliance_access(scope.collectivite.pk))
        .filter(next_due__lt=scope.today)
        .select_related("type", "owner", "use_case__owner")
        .order_by("next_due", "pk")
    )
    return [
        scope.about(
            "overdue",
            _("Overdue control"),
            checkpoint.use_case,
            _("%(checkpoint)s: due on %(date)s (%(days)s days late)")
            % {
                "checkpoint": checkpoint.type.display_title,
                "date": _short_date(checkpoint.next_due),
                "days": (scope.today - checkpoint.next_due).days,
            },
            _("Carry out the control and attest it."),
            _person(checkpoint.owner) or _person(checkpoint.use_case.owner),
            15,
        )
        for checkpoint in overdue
    ]


def checkpoints_without_owner(scope: ConformityScope) -> list[NonConformity]:
    """Mandatory checkpoints of live use cases nobody is in charge of (`mandatory_without_owner`): one query."""
    return [
        scope.about(
            "without_owner",
            _("Mandatory checkpoint without an owner"),
            checkpoint.use_case,
            str(checkpoint.type.display_title),
            _("Name the person in charge of the checkpoint."),
            _person(checkpoint.use_case.owner),
            15,
        )
        for checkpoint in mandatory_without_owner(scope.use_cases)
    ]


def dpia_not_done(scope: ConformityScope) -> list[NonConformity]:
    """Live or suspended use cases that require a DPIA the DPO's opinions do not say done
    (`registry.selectors.assessments`; one the DPO never gave an opinion on is left to its review): one query."""
    labels = dict(ProgressStatus.choices)
    missing = (
        with_dpia_status(scope.current.filter(dpia_required=True, status__in=(*LIVE, UseCaseStatus.SUSPENDED)))
        .filter(dpia_status__isnull=False)
        .exclude(dpia_status=ProgressStatus.DONE)
        .select_related("owner")
        .order_by("reference")
    )
    found = []
    for use_case in missing:
        status = dpia_status(use_case)
        found.append(
            scope.about(
                "dpia",
                _("DPIA required, not done"),
                use_case,
                _("DPIA according to the DPO's opinion: %(status)s")
                % {"status": labels.get(status) if status else _("not stated")},
                _("Complete the DPIA (RGPD art. 35) and record it in the DPO's opinion."),
                f"{scope.dpo} / {_person(use_case.owner)}",
                90,
            )
        )
    return found


def fria_to_evidence(scope: ConformityScope) -> list[NonConformity]:
    """Live high-risk use cases that require a FRIA, once the AI Act applies it: one query."""
    required = (
        scope.current.filter(ai_act_risk=AiActRisk.HIGH, fria_required=True, status__in=LIVE)
        # An AIDF approved by the DPO and notified (fria) is the evidence.
        .exclude(fria__status=FriaStatus.NOTIFIED)
        .select_related("owner")
        .order_by("reference")
    )
    found = []
    for use_case in required:
        # Not a non-conformity before the AIDF applies (AI Act art. 113, the dates the engine stamped on the reasons):
        # the report's AI Act section counts the uses to prepare by then.
        stated = [
            reason for reason in use_case.reasons if rules.FRIA in reason.supports and reason.kind == rules.OBLIGATION
        ]
        if stated and all(reason.applies_from and reason.applies_from > scope.today for reason in stated):
            continue
        found.append(
            scope.about(
                "fria",
                _("High-risk use: FRIA to evidence"),
                use_case,
                use_case.get_status_display(),
                _("Carry out the fundamental rights impact assessment (AI Act art. 27) and keep it in the file."),
                _person(use_case.owner),
                60,
            )
        )
    return found


def stale_approvals(scope: ConformityScope) -> list[NonConformity]:
    """Approvals a material change made out of date, with no later decision: one query."""
    later_decision = Review.objects.filter(
        use_case=OuterRef("use_case"), status=ReviewStatus.DECIDED, number__gt=OuterRef("number")
    )
    stale = (
        Review.objects.filter(collectivite=scope.collectivite, status=ReviewStatus.DECIDED, stale_at__isnull=False)
        .exclude(decision=ReviewDecision.REJECTED)
        .exclude(use_case__status__in=(UseCaseStatus.RETIRED, UseCaseStatus.REJECTED))
        .exclude(Exists(later_decision))
        .select_related("use_case")
        .order_by("stale_at", "pk")
    )
    return [
        scope.about(
            "stale",
            _("Approval out of date"),
            review.use_case,
            _("Material change on %(date)s") % {"date": _short_date(timezone.localtime(review.stale_at))},
            _("Review the changed use case again (DPO and RSSI opinions, committee if required)."),
            _("DPO and RSSI"),
            30,
        )
        for review in stale
    ]


def suspended_uses(scope: ConformityScope) -> list[NonConformity]:
    """Suspended use cases, waiting for a decision: one query."""
    suspended = scope.current.filter(status=UseCaseStatus.SUSPENDED).select_related("owner").order_by("reference")
    return [
        scope.about(
            "suspended",
            _("Suspended use"),
            use_case,
            use_case.get_ai_act_risk_display(),
            _("Decide: resume after corrective measures, or retire the use."),
            _person(use_case.owner),
            30,
        )
        for use_case in suspended
    ]


def overdue_rereviews(scope: ConformityScope) -> list[NonConformity]:
    """Live use cases past the date of their periodic re-review: one query."""
    late = (
        scope.current.filter(status__in=LIVE, next_review_on__lt=scope.today)
        .select_related("owner")
        .order_by("next_review_on", "reference")
    )
    return [
        scope.about(
            "rereview",
            _("Periodic re-review overdue"),
            use_case,
            _("Re-review due on %(date)s") % {"date": _short_date(use_case.next_review_on)},
            _("Open the periodic re-review of the use case."),
            _person(use_case.owner),
            30,
        )
        for use_case in late
    ]


def rules_unpublished(scope: ConformityScope) -> list[NonConformity]:
    """Use cases whose rules the CRPA (L312-1-3) requires to publish and that are not public
    (`transparency.selectors.required_unpublished`): one query."""
    unpublished = (
        required_unpublished(collectivite_id=scope.collectivite.pk).select_related("service").order_by("reference")
    )
    return [
        scope.about(
            "public_register",
            _("Rules not published"),
            use_case,
            _("Founds individual decisions (%(service)s)") % {"service": use_case.service.name},
            _("Publish the rules of the processing in the public register of algorithms."),
            scope.dpo,
            30,
        )
        for use_case in unpublished
    ]


# Each kind of NON_CONFORMITY_KINDS and the selector that finds it.
NON_CONFORMITY_FINDERS = {
    "blocked": blocked_uses,
    "breach": personal_data_breaches,
    "overdue": overdue_controls,
    "without_owner": checkpoints_without_owner,
    "dpia": dpia_not_done,
    "fria": fria_to_evidence,
    "stale": stale_approvals,
    "suspended": suspended_uses,
    "rereview": overdue_rereviews,
    "public_register": rules_unpublished,
}


def non_conformities(collectivite, year: int, *, today=None) -> dict[str, list[NonConformity]]:
    """What falls short of the rules today (and the breaches of the year), by kind (NON_CONFORMITY_KINDS), each with
    the action that corrects it, who carries it and by when: one query per kind (two for the breaches), whatever the
    size of the register."""
    scope = ConformityScope(collectivite, year, today or timezone.localdate())
    return {kind: NON_CONFORMITY_FINDERS[kind](scope) for kind in NON_CONFORMITY_KINDS}


def action_list(found: dict[str, list[NonConformity]]) -> list[NonConformity]:
    """Every non-conformity as an action, soonest target first."""
    return sorted((item for items in found.values() for item in items), key=lambda item: (item.target, item.kind))


# Everything for a collectivité (the annual report, the DPO's dashboard) --------------------------------------------
@dataclass
class CollectiviteFigures:
    collectivite: object
    year: int | None
    start: datetime.date
    end: datetime.date
    today: datetime.date
    register: RegisterFigures
    compliance: dict
    without_owner: list[Checkpoint]
    incidents: IncidentFigures
    declarations: DeclarationFigures
    rereviews: dict
    acknowledgements: object = None


def collectivite_figures(collectivite, year: int | None = None, *, today=None, with_items=False) -> CollectiviteFigures:
    """The register as it stands today, and the flows of `year` (or of the last twelve months)."""
    today = today or timezone.localdate()
    start, end = year_bounds(year) if year else last_twelve_months(today)
    use_cases = use_case_scope(collectivite.pk)
    return CollectiviteFigures(
        collectivite=collectivite,
        year=year,
        start=start,
        end=end,
        today=today,
        register=register_figures(use_cases),
        compliance=compliance_summary(None, compliance_access(collectivite.pk)),
        without_owner=mandatory_without_owner(use_cases),
        incidents=incident_figures(use_cases, start, end, with_items=with_items),
        declarations=declaration_figures(collectivite.pk, start, end),
        rereviews=upcoming_rereviews(use_cases, today=today),
        acknowledgements=charter_acknowledgements(collectivite, year or today.year),
    )


# Charts of the figures ---------------------------------------------------------------------------------------------
def risk_chart(register: RegisterFigures, *, prefix: str = "", width: float = charts.WIDTH) -> charts.Chart:
    return charts.bar_chart(
        [charts.Datum(f.label, f.value, RISK_COLOURS[f.code], f.code) for f in register.by_risk],
        width=width,
        chart_id=f"{prefix}risk",
        title=_("Use cases by AI Act risk level"),
        description=_(
            "Use cases of the register, retired ones left out. Not an AI system: rules written solely by people, "
            "to which the AI Act does not apply."
        ),
        label_header=_("AI Act risk"),
        value_header=_("Use cases"),
        empty_message=_("No use case in the register."),
    )


def status_chart(register: RegisterFigures, *, prefix: str = "", width: float = charts.WIDTH) -> charts.Chart:
    return charts.bar_chart(
        [charts.Datum(f.label, f.value, STATUS_COLOUR, f.code) for f in register.by_status if f.value],
        width=width,
        chart_id=f"{prefix}status",
        title=_("Use cases by status"),
        label_header=_("Status"),
        value_header=_("Use cases"),
        empty_message=_("No use case in the register."),
    )


def service_chart(register: RegisterFigures, *, prefix: str = "", width: float = charts.WIDTH) -> charts.Chart:
    labels = risk_labels()
    rows = register.by_service
    return charts.stacked_bar_chart(
        [row.label for row in rows],
        [
            charts.Series(str(labels[code]), [row.by_risk.get(code, 0) for row in rows], RISK_COLOURS[code], code)
            for code in reversed(RISK_ORDER)
            if any(row.by_risk.get(code) for row in rows)
        ],
        width=width,
        chart_id=f"{prefix}service",
        title=_("Use cases by service and AI Act risk level"),
        category_header=_("Service"),
        empty_message=_("No use case in the register."),
    )


def compliance_chart(compliance: dict, *, prefix: str = "") -> charts.Chart:
    overall = compliance["overall"]
    return charts.gauge_chart(
        overall.on_time,
        overall.total,
        chart_id=f"{prefix}compliance",
        title=_("Checkpoints attested on time"),
        done_label=_("On time"),
        rest_label=_("Overdue"),
        caption=_("on time"),
        description=_("Scheduled checkpoints of live use cases."),
        empty_message=_("No scheduled checkpoint on a live use case."),
        done_colour=ON_TIME_COLOUR,
        rest_colour=OVERDUE_COLOUR,
    )


def compliance_by_service_chart(compliance: dict, *, prefix: str = "", width: float = charts.WIDTH) -> charts.Chart:
    return charts.bar_chart(
        [
            charts.Datum(item.label, item.rate, ON_TIME_COLOUR)
            for item in compliance["services"]
            if item.rate is not None
        ],
        width=width,
        chart_id=f"{prefix}compliance-services",
        title=_("Checkpoints on time by service"),
        max_value=100,
        value_format=charts.percent,
        label_header=_("Service"),
        value_header=_("On time"),
        empty_message=_("No scheduled checkpoint on a live use case."),
    )


def month_labels(months: list[datetime.date]) -> tuple[list[str], list[str]]:
    """Full ("janvier 2025") and short ("janv.") month names in the active language."""
    return [formats.date_format(m, "F Y") for m in months], [formats.date_format(m, "N") for m in months]


def declarations_chart(
    declarations: DeclarationFigures, *, prefix: str = "", width: float = charts.WIDTH
) -> charts.Chart:
    full, short = month_labels(declarations.months)
    labels = dict(DeclarationStatus.choices)
    return charts.column_chart(
        full,
        [
            charts.Series(str(labels[code]), declarations.by_month[code], DECLARATION_COLOURS[code], code)
            for code in DeclarationStatus.values
            if any(declarations.by_month[code])
        ],
        category_labels=short,
        width=width,
        chart_id=f"{prefix}declarations",
        title=_("Shadow-AI declarations by month and outcome"),
        description=_("Declarations made each month, by where they stand today."),
        category_header=_("Month"),
        empty_message=_("No declaration over the period."),
    )


def incidents_chart(incidents: IncidentFigures, *, prefix: str = "", width: float = charts.WIDTH) -> charts.Chart:
    items = [charts.Datum(f.label, f.value, SEVERITY_COLOURS[f.code], f.code) for f in incidents.by_severity]
    return charts.bar_chart(
        items if incidents.total else [],
        width=width,
        chart_id=f"{prefix}incidents",
        title=_("Incidents by severity"),
        label_header=_("Severity"),
        value_header=_("Incidents"),
        empty_message=_("No incident over the period."),
    )


def acknowledgement_charts(rates, *, prefix: str = "") -> dict[str, charts.Chart]:
    if rates is None:
        return {}
    overall = rates.overall
    title = _("Charter %(year)s acknowledged") % {"year": rates.year}
    return {
        "acknowledgements": charts.gauge_chart(
            overall.acknowledged,
            overall.agents,
            chart_id=f"{prefix}acknowledgements",
            title=title,
            done_label=_("Acknowledged"),
            rest_label=_("Not yet"),
            caption=_("of the members"),
            empty_message=_("No member to acknowledge the charter."),
            done_colour=ON_TIME_COLOUR,
            rest_colour="#5c636a",
        ),
        "acknowledgements_services": charts.bar_chart(
            [
                charts.Datum(item.label, item.percent, ON_TIME_COLOUR)
                for item in rates.services
                if item.percent is not None
            ],
            chart_id=f"{prefix}acknowledgements-services",
            title=_("Charter acknowledgements by service"),
            max_value=100,
            value_format=charts.percent,
            label_header=_("Service"),
            value_header=_("Acknowledged"),
            empty_message=_("No service to show."),
        ),
    }


def charts_for(figures: CollectiviteFigures, *, prefix: str = "") -> dict[str, charts.Chart]:
    return {
        "risk": risk_chart(figures.register, prefix=prefix),
        "status": status_chart(figures.register, prefix=prefix),
        "service": service_chart(figures.register, prefix=prefix),
        "compliance": compliance_chart(figures.compliance, prefix=prefix),
        "compliance_services": compliance_by_service_chart(figures.compliance, prefix=prefix),
        "declarations": declarations_chart(figures.declarations, prefix=prefix),
        "incidents": incidents_chart(figures.incidents, prefix=prefix),
        **acknowledgement_charts(figures.acknowledgements, prefix=prefix),
    }
