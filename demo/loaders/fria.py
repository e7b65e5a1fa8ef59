"""Loads the demo's fundamental rights impact assessments (AIDF, AI Act art. 27) through the fria services, on the
demo collectivité's high-risk Annex III use cases of the CCAS: the detection of non-take-up of social rights has its
AIDF approved by the DPO, notified to the market surveillance authority and linked to its AIPD; the priority score of
the optional social assistance requests has its AIDF being written. Each only while the use case has no AIDF, so a
second run changes nothing. (No demo use case that requires an AIDF is in production: the rule holds.)"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from fria import services
from fria.models import Fria
from registry.models import Collectivite, UseCase

if TYPE_CHECKING:
    from demo.loaders.bellerive import DemoLoader

NOTIFIED = "Repérage des situations de non-recours aux droits sociaux"
IN_PROGRESS = "Score d'aide à l'instruction des demandes d'aide sociale facultative"

# The authority as the demo collectivité names it (the register does not fix the national designation).
AUTHORITY = "Autorité de surveillance du marché désignée pour les systèmes d'IA (annexe III, point 5)"

NOTIFIED_PARTS = {
    "processes": (
        "Démarche d'« aller vers » du CCAS : chaque trimestre, le modèle repère dans les dossiers du CCAS et les "
        "données transmises par la CAF les foyers qui pourraient avoir droit à une aide sans l'avoir demandée "
        "(aides facultatives, tarification sociale, prime d'activité). Un travailleur social examine chaque foyer "
        "repéré et propose, s'il le juge utile, un rendez-vous. L'outil n'ouvre ni ne refuse aucun droit."
    ),
    "period": (
        "Utilisation à partir de la mise en production, pour une première période de deux ans, réexaminée chaque "
        "année. Un repérage par trimestre, environ 300 foyers examinés à chaque fois."
    ),
    "affected_persons": (
        "Les foyers connus du CCAS ou de la CAF sur la commune, dont des familles avec enfants, des personnes "
        "âgées isolées et des personnes en situation de précarité : des personnes vulnérables. Les travailleurs "
        "sociaux qui utilisent la liste."
    ),
    "risks": (
        "Oubli de foyers éligibles (faux négatifs) au détriment des plus éloignés du numérique ; sentiment de "
        "surveillance des foyers contactés ; biais du modèle sur la composition familiale ; stigmatisation si la "
        "liste circulait. La notice du fournisseur (art. 13) indique un taux de rappel de 80 % sur les données de "
        "test et l'absence de validation sur les foyers sans quotient familial."
    ),
    "human_oversight": (
        "Un travailleur social formé examine chaque foyer avant tout contact et peut l'écarter ; le foyer peut "
        "refuser d'être recontacté. Points de contrôle du registre : revue humaine des résultats, revue "
        "périodique des biais, conservation des journaux."
    ),
    "measures": (
        "Suspension du repérage par le DPO ou le RSSI en cas d'incident (RIA, art. 26, § 5) ; revue des biais "
        "chaque semestre avec le comité d'éthique ; information des foyers contactés et possibilité de demander "
        "une explication (RIA, art. 86) ; réclamations auprès du CCAS, puis de la CNIL."
    ),
    "aipd_reference": "AIPD-2025-CCAS-03 — Repérage du non-recours",
    "aipd_conclusion": (
        "Risques résiduels acceptables avec la minimisation des données CAF, la durée de conservation de six mois "
        "et la revue humaine systématique."
    ),
}

IN_PROGRESS_PARTS = {
    "risks": (
        "Le score pèse de façon déterminante sur l'attribution d'une aide (CJUE, C-634/21) : risque de refus "
        "injustifié pour les foyers atypiques. À compléter avec la notice du fournisseur (art. 13)."
    ),
}


def load(loader: DemoLoader, collectivite: Collectivite) -> int:
    """The demo's AIDFs, acting as the owners and the DPO; returns how many were started."""
    use_cases = {
        use_case.name: use_case
        for use_case in UseCase.objects.filter(
            collectivite=collectivite, name__in=(NOTIFIED, IN_PROGRESS), fria_required=True
        ).select_related("collectivite", "service", "owner", "tool")
    }
    started = 0
    if NOTIFIED in use_cases and not Fria.objects.filter(use_case=use_cases[NOTIFIED]).exists():
        _notified(use_cases[NOTIFIED], dpo=loader.users["dpo"])
        started += 1
    if IN_PROGRESS in use_cases and not Fria.objects.filter(use_case=use_cases[IN_PROGRESS]).exists():
        use_case = use_cases[IN_PROGRESS]
        fria = services.fria_start(use_case=use_case, acting_user=use_case.owner)
        services.fria_update(fria=fria, acting_user=use_case.owner, data=IN_PROGRESS_PARTS)
        started += 1
    return started


def _notified(use_case: UseCase, *, dpo) -> None:
    owner = use_case.owner
    fria = services.fria_start(use_case=use_case, acting_user=owner)
    fria = services.fria_update(fria=fria, acting_user=owner, data=NOTIFIED_PARTS)
    services.fria_submit(fria=fria, acting_user=owner)
    services.fria_review(
        fria=fria,
        acting_user=dpo,
        decision="approved",
        comment="Analyse complète ; la revue des biais est à présenter au comité d'éthique chaque semestre.",
    )
    services.fria_notify(
        fria=fria,
        acting_user=owner,
        notified_on=timezone.localdate() - timedelta(days=12),
        means="Formulaire en ligne de l'autorité",
        authority=AUTHORITY,
        reference="AIDF-BELLERIVE-2026-01",
    )
