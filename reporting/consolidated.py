"""The consolidated overview of a person who sees the whole register in several collectivités (a shared DPO).

Figures only, one row per collectivité where the person holds a role that sees everything (DPO, RSSI, DGS,
administrator): never a use case, a declaration or a name. Each figure is computed only where the person's roles
in that collectivité show it on its own dashboard (declarations for those who triage them, the public register for
those who publish), and left out (None) elsewhere. Six queries whatever the number of collectivités: every count
is grouped by collectivité.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from audits.permissions import COMPLIANCE_ROLES
from audits.selectors import scheduled_checkpoints
from charter.models import CharterEdition
from core.access import SEE_ALL_ROLES, Access
from declarations.filters import breach_to_assess
from declarations.models import Declaration
from declarations.permissions import can_triage
from registry.choices import LIVE_STATUSES, AiActRisk, DeclarationStatus, UseCaseStatus
from registry.models import Collectivite, Membership, UseCase
from transparency.permissions import can_publish
from transparency.selectors import required_unpublished_in

LIVE = LIVE_STATUSES
IN_REVIEW = (UseCaseStatus.SUBMITTED, UseCaseStatus.IN_REVIEW)
WAITING = (DeclarationStatus.RECEIVED, DeclarationStatus.ANALYSING)


@dataclass
class OverviewRow:
    collectivite: Collectivite
    roles: frozenset[str]
    in_register: int = 0
    live: int = 0
    high_risk_live: int = 0
    in_review: int = 0
    blocked: int = 0
    overdue_checkpoints: int | None = None
    declarations_waiting: int | None = None
    breaches_to_assess: int | None = None
    public_entries_missing: int | None = None
    charter_published: bool = False

    @property
    def access(self) -> Access:
        return Access(collectivite_id=self.collectivite.pk, roles=self.roles)


def current_year() -> int:
    return timezone.localdate().year


def sees_all_collectivites(user) -> list[tuple[Collectivite, frozenset[str]]]:
    """The collectivités where the person holds a role that sees the whole register, with all their roles there
    (one query). A head of service, an agent or a committee member elsewhere adds nothing."""
    if not user.is_authenticated:
        return []
    roles: dict[int, set[str]] = {}
    collectivites: dict[int, Collectivite] = {}
    for membership in Membership.objects.filter(user=user).select_related("collectivite"):
        roles.setdefault(membership.collectivite_id, set()).add(membership.role)
        collectivites[membership.collectivite_id] = membership.collectivite
    chosen = [(collectivites[pk], frozenset(held)) for pk, held in roles.items() if held & SEE_ALL_ROLES]
    return sorted(chosen, key=lambda item: (item[0].name, item[0].pk))


def overview_rows(user) -> list[OverviewRow]:
    """One row of figures per collectivité where the person sees the whole register (at most six queries)."""
    rows = {collectivite.pk: OverviewRow(collectivite, roles) for collectivite, roles in sees_all_collectivites(user)}
    if not rows:
        return []
    _use_case_figures(rows)
    _overdue_checkpoints(rows)
    _declarations(rows)
    _public_entries(rows)
    _charters(rows)
    return list(rows.values())


def _ids_where(rows: dict[int, OverviewRow], allowed) -> list[int]:
    return [pk for pk, row in rows.items() if allowed(row.access)]


def _use_case_figures(rows: dict[int, OverviewRow]) -> None:
    """The same counts as the dashboard's (`reporting.statistics.register_figures`): retired uses left out of the
    register, live ones approved or in production."""
    current = ~Q(status=UseCaseStatus.RETIRED)
    figures = (
        UseCase.objects.filter(collectivite_id__in=list(rows))
        .order_by()
        .values("collectivite_id")
        .annotate(
            in_register=Count("pk", filter=current),
            live=Count("pk", filter=Q(status__in=LIVE)),
            high_risk_live=Count("pk", filter=Q(status__in=LIVE, ai_act_risk=AiActRisk.HIGH)),
            in_review=Count("pk", filter=Q(status__in=IN_REVIEW)),
            blocked=Count("pk", filter=current & Q(blocked=True)),
        )
    )
    for figure in figures:
        row = rows[figure.pop("collectivite_id")]
        for name, value in figure.items():
            setattr(row, name, value)


def _overdue_checkpoints(rows: dict[int, OverviewRow]) -> None:
    """Scheduled checkpoints of live use cases past their due date (`audits.selectors.compliance_scope`)."""
    ids = _ids_where(rows, lambda access: bool(access.roles & COMPLIANCE_ROLES))
    for pk in ids:
        rows[pk].overdue_checkpoints = 0
    if not ids:
        return
    counts = (
        scheduled_checkpoints(collectivite_ids=ids)
        .filter(next_due__lt=timezone.localdate())
        .order_by()
        .values("use_case__collectivite_id")
        .annotate(n=Count("pk"))
    )
    for count in counts:
        rows[count["use_case__collectivite_id"]].overdue_checkpoints = count["n"]


def _declarations(rows: dict[int, OverviewRow]) -> None:
    """Declarations waiting for triage and possible breaches not assessed (`reporting.statistics.declarations_waiting`),
    for those who triage them: the others do not see declarations, even counted."""
    ids = _ids_where(rows, can_triage)
    for pk in ids:
        rows[pk].declarations_waiting = rows[pk].breaches_to_assess = 0
    if not ids:
        return
    counts = (
        Declaration.objects.filter(collectivite_id__in=ids)
        .order_by()
        .values("collectivite_id")
        .annotate(
            waiting=Count("status", filter=Q(status__in=WAITING)),
            breaches=Count("status", filter=breach_to_assess()),
        )
    )
    for count in counts:
        row = rows[count["collectivite_id"]]
        row.declarations_waiting, row.breaches_to_assess = count["waiting"], count["breaches"]


def _public_entries(rows: dict[int, OverviewRow]) -> None:
    """Use cases whose rules CRPA L312-1-3 has published and that are not public
    (`transparency.selectors.required_unpublished`, grouped), for those who publish them."""
    ids = _ids_where(rows, can_publish)
    for pk in ids:
        rows[pk].public_entries_missing = 0
    if not ids:
        return
    counts = required_unpublished_in(collectivite_ids=ids).order_by().values("collectivite_id").annotate(n=Count("pk"))
    for count in counts:
        rows[count["collectivite_id"]].public_entries_missing = count["n"]


def _charters(rows: dict[int, OverviewRow]) -> None:
    """Whether this year's charter is published."""
    published = CharterEdition.objects.filter(
        collectivite_id__in=list(rows), year=current_year(), status=CharterEdition.Status.PUBLISHED
    ).values_list("collectivite_id", flat=True)
    for pk in published:
        rows[pk].charter_published = True
