"""Factories and helpers of the fria app: a high-risk use case of Annex III (5a, eligibility for public assistance)
whose classification requires an AIDF, and AIDFs taken along their workflow through the services."""

import datetime

from django.utils import timezone

from fria import services
from fria.models import PART_FIELDS
from tests.registry.factories import UseCaseFactory

PART_TEXTS = {name: f"Texte de la partie {name}." for name in PART_FIELDS}


def high_risk_use_case(**kwargs):
    """A use case of the CCAS scoring requests for social assistance: high risk, Annex III point 5(a), AIDF required."""
    values = {
        "name": "Score d'éligibilité au RSA",
        "purpose": "Aider l'instruction des demandes d'aide sociale.",
        "description": "Un score classe les demandes à instruire en priorité.",
        "technique": "ml_predictive",
        "audience": "public",
        "automation_level": "determining",
        "individual_decisions": True,
        "annex_iii_point": "5a",
        "personal_data_categories": ["ordinary", "financial"],
        "profiling": True,
        "decisions_per_year": 1200,
        "start_date": datetime.date(2027, 1, 4),
        "human_oversight": "Chaque score est relu par un travailleur social avant décision.",
        "max_data_classification": "C2",
    }
    values.update(kwargs)
    use_case = UseCaseFactory(**values)
    assert use_case.fria_required, use_case.classification_reasons
    return use_case


def written_fria(use_case, user):
    fria = services.fria_start(use_case=use_case, acting_user=user)
    return services.fria_update(
        fria=fria,
        acting_user=user,
        data={**PART_TEXTS, "aipd_reference": "AIPD-2026-04"},
        expected_version=fria.version,
    )


def submitted_fria(use_case, user):
    fria = written_fria(use_case, user)
    services.fria_submit(fria=fria, acting_user=user)
    fria.refresh_from_db()
    return fria


def approved_fria(use_case, user, dpo):
    fria = submitted_fria(use_case, user)
    services.fria_review(fria=fria, acting_user=dpo, decision="approved", comment="Complet.")
    fria.refresh_from_db()
    return fria


def notified_fria(use_case, user, dpo, *, notified_on=None):
    fria = approved_fria(use_case, user, dpo)
    services.fria_notify(
        fria=fria,
        acting_user=user,
        notified_on=notified_on or timezone.localdate(),
        means="Formulaire en ligne",
        authority="Autorité de surveillance du marché",
        reference="ASM-2026-118",
    )
    fria.refresh_from_db()
    return fria
