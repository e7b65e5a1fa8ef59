"""Shared builders of the serious-incident tests: a high-risk AI use case with an incident, dated by the test."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from audits import services as audits
from audits.models import Incident
from core.roles import Role
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.registry.factories import MembershipFactory, ToolFactory, UseCaseFactory, UserFactory

HIGH_RISK = {
    "technique": "ml_predictive",
    "audience": "public",
    "annex_iii_point": "5a",
    "automation_level": "assist",
    "individual_decisions": True,
    "personal_data_categories": ["ordinary", "financial"],
}


def member(collectivite, username, role, service=None):
    user = UserFactory(username=username, email=f"{username}@example.org")
    MembershipFactory(user=user, collectivite=collectivite, role=role, service=service)
    return user


def make_owner(collectivite, services):
    return member(collectivite, "porteuse", Role.AGENT, services["ccas"])


def make_high_risk(collectivite, services, owner):
    tool = ToolFactory(collectivite=collectivite, name="Prédicteur d'aides", vendor="Éditeur SAS")
    use_case = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=owner, tool=tool, name="Pré-instruction", **HIGH_RISK
    )
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    use_case.refresh_from_db()
    assert use_case.ai_act_risk == "high" and use_case.ai_system
    return use_case


def make_limited(collectivite, services, owner):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=owner, audience="public")
    UseCase.objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    use_case.refresh_from_db()
    assert use_case.ai_act_risk != "high" and use_case.ai_system
    return use_case


def record(use_case, user, *, hours_ago: float = 2, breach: bool = False, severity: str = "major") -> Incident:
    return audits.incident_record(
        use_case=use_case,
        acting_user=user,
        data={
            "occurred_at": timezone.now() - dt.timedelta(hours=hours_ago),
            "description": "Une proposition erronée a conduit à refuser une aide à une famille.",
            "severity": severity,
            "persons_affected": 3,
            "personal_data_breach": breach,
            "actions_taken": "Outil arrêté.",
        },
    )
