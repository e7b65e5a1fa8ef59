"""Builders for transparency tests: a use case that founds individual decisions, submitted and published
through the real services."""

from __future__ import annotations

from registry import services
from transparency import services as publication_services

DECISION_FACTS = {
    "annex_iii_point": "5a",
    "automation_level": "assist",
    "individual_decisions": True,
    "personal_data_categories": ["ordinary", "financial"],
    "decisions_per_year": 1200,
    "human_oversight": "Mme Martine Dupont, instructrice, relit chaque proposition.",
    "data_sources": "Dossiers de demande d'aide, fichier CAF (agent: Jean Interne).",
    "lawful_basis": "Code de l'action sociale et des familles, art. L123-5.",
}


def decision_use_case(use_case, **changes):
    """Turn the `use_case` fixture into one that founds individual decisions (CRPA mention, L312-1-3)."""
    for name, value in {**DECISION_FACTS, **changes}.items():
        setattr(use_case, name, value)
    services.use_case_classify(use_case=use_case)
    use_case.save()
    return use_case


def submitted(use_case):
    return services.use_case_submit(use_case=use_case, acting_user=use_case.owner)


def published(use_case, dpo, **data):
    """Publish with the pre-filled wording, made public-safe (no agent's name)."""
    wording = {
        "human_intervention": "Un instructeur relit chaque proposition avant toute décision.",
        "data_sources": "Dossiers de demande d'aide et données de la CAF.",
        "contact": "algorithmes@bellerive.example.fr",
        **data,
    }
    return publication_services.publication_publish(use_case=use_case, acting_user=dpo, data=wording)
