"""Reads of the public register (anonymous visitors) and of the publications (the DPO's overview).

Public reads are bounded whatever the visitor sends: the search is cut to a few words of limited length, pages
are capped, and every filter is an equality on an indexed column or a short `contains` on published rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet

from registry.models import Collectivite, UseCase

from .fields import PUBLISHABLE_STATUSES, Lifecycle, normalise
from .models import Publication, PublicationState

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 6


@dataclass(frozen=True)
class PublicFilters:
    q: str = ""
    service: str = ""
    risk: str = ""
    automation: str = ""
    lifecycle: str = ""

    @classmethod
    def from_params(cls, params) -> PublicFilters:
        def get(name, limit=200):
            # NUL never reaches the database (PostgreSQL refuses it in text).
            return str(params.get(name, "") or "").replace("\x00", "")[:limit].strip()

        return cls(
            q=get("q", MAX_QUERY_LENGTH),
            service=get("service"),
            risk=get("risk", 20),
            automation=get("automation", 20),
            lifecycle=get("lifecycle", 20),
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.service, self.risk, self.automation, self.lifecycle))


def public_collectivites() -> QuerySet[Collectivite]:
    """Collectivités with at least one published record, for the public index."""
    return Collectivite.objects.filter(publications__state=PublicationState.PUBLISHED).distinct().order_by("name")


def public_entries(*, collectivite: Collectivite | None = None, filters: PublicFilters | None = None) -> QuerySet:
    """Published records, newest wording first by name; only the columns the public may read are loaded."""
    qs = (
        Publication.objects.filter(state=PublicationState.PUBLISHED)
        .select_related("collectivite")
        .annotate(use_case_status=F("use_case__status"))
        .only(
            "id",
            "content",
            "name",
            "service_name",
            "ai_act_risk",
            "automation_level",
            "first_published_at",
            "published_at",
            "collectivite__name",
            "collectivite__slug",
        )
        .order_by("name", "id")
    )
    if collectivite is not None:
        qs = qs.filter(collectivite=collectivite)
    filters = filters or PublicFilters()
    for word in normalise(filters.q).split()[:MAX_QUERY_WORDS]:
        qs = qs.filter(search_text__contains=word)
    if filters.service:
        qs = qs.filter(service_name=filters.service)
    if filters.risk:
        qs = qs.filter(ai_act_risk=filters.risk)
    if filters.automation:
        qs = qs.filter(automation_level=filters.automation)
    if filters.lifecycle:
        if filters.lifecycle == Lifecycle.IN_DEVELOPMENT:
            excluded = [status for statuses in Lifecycle.STATUSES.values() for status in statuses]
            qs = qs.exclude(use_case__status__in=excluded)
        else:
            qs = qs.filter(use_case__status__in=Lifecycle.STATUSES.get(filters.lifecycle, ()))
    return qs


def public_entry(*, collectivite: Collectivite, reference: str) -> Publication | None:
    """A published or withdrawn record by its reference (withdrawn ones answer 410 Gone), else None."""
    return (
        Publication.objects.filter(
            collectivite=collectivite,
            use_case__reference=reference,
            state__in=(PublicationState.PUBLISHED, PublicationState.WITHDRAWN),
        )
        .select_related("collectivite")
        .annotate(use_case_status=F("use_case__status"))
        .first()
    )


def public_services(*, collectivite: Collectivite) -> list[str]:
    """The service names present in the published records (the public filter's options)."""
    return list(
        Publication.objects.filter(collectivite=collectivite, state=PublicationState.PUBLISHED)
        .exclude(service_name="")
        .order_by("service_name")
        .values_list("service_name", flat=True)
        .distinct()
    )


def public_record(publication: Publication) -> dict:
    """The record a visitor reads: the frozen content, the collectivité, the lifecycle and the dates."""
    status = getattr(publication, "use_case_status", None)
    if status is None:
        status = publication.use_case.status
    return {
        **publication.content,
        "collectivite": {"name": publication.collectivite.name, "slug": publication.collectivite.slug},
        "lifecycle": Lifecycle.of(status),
        "first_published_at": publication.first_published_at,
        "published_at": publication.published_at,
    }


def required_unpublished(*, collectivite_id: int) -> QuerySet[UseCase]:
    """Use cases whose rules CRPA L312-1-3 has published and that are not public: never published, or only as a
    draft (a withdrawal is a decision recorded with its reason, and a retired use is no longer in use)."""
    return required_unpublished_in(collectivite_ids=[collectivite_id])


def required_unpublished_in(*, collectivite_ids) -> QuerySet[UseCase]:
    """`required_unpublished` over several collectivités (the shared DPO's overview counts them together)."""
    decided = Publication.objects.filter(
        use_case=OuterRef("pk"), state__in=(PublicationState.PUBLISHED, PublicationState.WITHDRAWN)
    )
    return UseCase.objects.filter(
        collectivite_id__in=collectivite_ids,
        public_register_required=True,
        blocked=False,
        status__in=PUBLISHABLE_STATUSES - {"retired"},
    ).exclude(Exists(decided))


def out_of_date_publications(*, collectivite_id: int) -> QuerySet[UseCase]:
    """Use cases changed since their public record was published, in a way the public record shows."""
    stale = Publication.objects.filter(use_case=OuterRef("pk"), state=PublicationState.PUBLISHED, out_of_date=True)
    return UseCase.objects.filter(collectivite_id=collectivite_id).filter(Exists(stale))


def publication_tasks(*, collectivite_id: int) -> QuerySet[UseCase]:
    """The DPO's publication chores ("Mes tâches"): records the law requires and records out of date."""
    return required_unpublished(collectivite_id=collectivite_id) | out_of_date_publications(
        collectivite_id=collectivite_id
    )


def publications_overview(*, collectivite: Collectivite) -> dict:
    """The DPO's overview: records to publish (required by L312-1-3 and not public), out-of-date public records,
    published ones, drafts and withdrawn ones."""
    publications = list(
        Publication.objects.filter(collectivite=collectivite)
        .select_related("use_case", "use_case__service")
        # What the overview shows: never the records' content nor the use cases' texts.
        .only(
            "id",
            "name",
            "state",
            "out_of_date",
            "published_at",
            "withdrawn_at",
            "updated_at",
            "use_case__id",
            "use_case__reference",
            "use_case__service__name",
        )
        .order_by("name", "id")
    )
    required_missing = list(
        required_unpublished(collectivite_id=collectivite.pk)
        .select_related("service")
        .only("id", "reference", "name", "status", "service__name")
        .order_by("reference")
    )
    return {
        "required_missing": required_missing,
        "out_of_date": [p for p in publications if p.out_of_date],
        "published": [p for p in publications if p.state == PublicationState.PUBLISHED],
        "drafts": [p for p in publications if p.state == PublicationState.DRAFT],
        "withdrawn": [p for p in publications if p.state == PublicationState.WITHDRAWN],
    }
