"""Builders for the figures' tests (statistics, annual report, dashboard): use cases of each risk level and status,
checkpoints, incidents, declarations, decisions and charter acknowledgements, written straight to the database."""

from __future__ import annotations

import datetime

from django.utils import timezone

from audits.models import Checkpoint, Incident
from registry.choices import UseCaseStatus
from registry.models import Opinion, Review
from tests.audits.factories import CheckpointFactory, IncidentFactory
from tests.declarations.factories import DeclarationFactory
from tests.registry.factories import UseCaseFactory

# Answers that give each AI Act risk level (the classification engine runs on save).
RISK_FACTS = {
    "minimal": {},
    "limited": {"art50_features": ["chatbot"], "audience": "public"},
    "high": {"annex_iii_point": "4a", "personal_data_categories": ["ordinary"]},
    "prohibited": {"art5_practices": ["c"]},
    # Rules written solely by people: not an AI system (AI Act art. 3(1)), whatever else is answered.
    "out_of_scope": {"technique": "rules"},
}


def use_case(collectivite, service, owner, *, risk="minimal", status=UseCaseStatus.IN_PRODUCTION, **fields):
    return UseCaseFactory(
        collectivite=collectivite, service=service, owner=owner, status=status, **{**RISK_FACTS[risk], **fields}
    )


def checkpoint(use_case, code="output_review", *, owner=None, due_in_days=30, origin=Checkpoint.Origin.REQUIRED):
    return CheckpointFactory(use_case=use_case, code=code, owner=owner, due_in_days=due_in_days, origin=origin)


def incident(use_case, reporter, *, when=None, severity=Incident.Severity.MINOR, breach=False, persons=0):
    return IncidentFactory(
        use_case=use_case,
        occurred_at=when or timezone.now(),
        severity=severity,
        personal_data_breach=breach,
        persons_affected=persons,
        reported_by=reporter,
    )


def declaration(collectivite, *, when=None, status="received", possible_breach=False, breach_outcome="", **fields):
    return DeclarationFactory(
        collectivite=collectivite,
        status=status,
        possible_breach=possible_breach,
        breach_outcome=breach_outcome,
        when=when,
        **fields,
    )


def decided_review(use_case, *, decision="approved", when=None, number=1, stale=False):
    when = when or timezone.now()
    return Review.objects.create(
        collectivite=use_case.collectivite,
        use_case=use_case,
        number=number,
        kind="initial",
        status="decided",
        snapshot={},
        snapshot_version=1,
        decision=decision,
        decided_at=when,
        stale_at=when + datetime.timedelta(days=1) if stale else None,
    )


def dpo_opinion(review, author, dpia_status):
    return Opinion.objects.create(
        review=review, role="dpo", author=author, verdict="favourable", dpia_status=dpia_status
    )


def published_charter(collectivite, year, acknowledged_by=()):
    from charter.models import CharterAcknowledgement, CharterEdition

    edition = CharterEdition.objects.create(
        collectivite=collectivite, year=year, status=CharterEdition.Status.PUBLISHED, published_at=timezone.now()
    )
    for user in acknowledged_by:
        CharterAcknowledgement.objects.create(edition=edition, user=user)
    return edition


def at(year, month, day=15, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))
