"""Loads the demo's requests for an explanation (CRPA R311-3-1-2, AI Act art. 86) through the explanations services,
on the demo collectivité's published register entries: one answered (its signed letter made and stored), one due in
three days, one overdue. Only while the collectivité has no request, so a second run changes nothing. The requesters
are fictitious."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from core.access import get_access
from core.calendar import months_later
from explanations import notifications, services
from explanations.drafting import art86_applies
from explanations.models import ExplanationRequest, Letterhead
from registry.models import Collectivite, OutboxEntry, UseCase
from transparency.models import PublicationState

if TYPE_CHECKING:
    from demo.loaders.bellerive import DemoLoader

LETTERHEAD = {
    "postal_address": "Hôtel de ville\n1 place de la République\n99000 Bellerive",
    "contact_email": "algorithmes@bellerive.example.fr",
    "place": "Bellerive",
}

PEOPLE = (
    {
        "requester_name": "Camille Martin",
        "requester_email": "camille.martin@example.org",
        "requester_address": "12 rue des Tilleuls\n99000 Bellerive",
        "decision_reference": "CCAS-AF-2026-0412",
        "decision_service": "CCAS",
        "elements": ["contribution", "data", "parameters", "operations"],
        "message": "Ma demande d'aide facultative a été refusée. Je voudrais comprendre quel rôle a joué le score "
        "et quelles informations ont été prises en compte.",
    },
    {
        "requester_name": "Yanis Benali",
        "requester_email": "yanis.benali@example.org",
        "decision_reference": "",
        "decision_service": "",
        "elements": ["contribution", "parameters"],
        "message": "Pourquoi mon dossier a-t-il été classé ainsi ?",
    },
    {
        "requester_name": "Louise Moreau",
        "requester_email": "louise.moreau@example.org",
        "decision_reference": "",
        "decision_service": "",
        "elements": ["data"],
        "message": "Quelles données me concernant ont été utilisées ?",
    },
)

PARAMETERS = (
    "Pour votre demande du 3 novembre, le score a pris en compte le quotient familial de votre foyer (740 €, poids "
    "40 %), le nombre de personnes à charge (2, poids 25 %), l'existence d'une aide du CCAS dans les douze derniers "
    "mois (non, poids 20 %) et le reste à vivre déclaré (poids 15 %). Le score obtenu (58 sur 100) plaçait votre "
    "demande en priorité moyenne. L'instructrice a examiné l'ensemble de votre dossier ; la décision de refus est "
    "fondée sur le dépassement du plafond de ressources fixé par le règlement des aides facultatives, non sur le "
    "score."
)
MAIN_ELEMENTS = (
    "Refus de l'aide facultative demandée : les ressources du foyer dépassent le plafond du règlement des aides "
    "facultatives du CCAS (article 4). Le score n'a servi qu'à ordonner l'examen des demandes."
)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _received_for_deadline(deadline: datetime.date) -> datetime.date:
    """A day of receipt whose deadline (one month, French calendar) falls on `deadline` or just after it."""
    day = deadline - relativedelta(months=1)
    while months_later(day, 1) > deadline + datetime.timedelta(days=2):
        day -= datetime.timedelta(days=1)
    return day


def load(loader: DemoLoader, collectivite: Collectivite) -> int:
    if ExplanationRequest.objects.filter(collectivite=collectivite).exists():
        return 0
    Letterhead.objects.get_or_create(collectivite=collectivite, defaults=LETTERHEAD)
    entries = list(
        UseCase.objects.filter(collectivite=collectivite, publication__state=PublicationState.PUBLISHED)
        .select_related("service")
        .order_by("reference")
    )
    if not entries:
        return 0
    # Uses that found individual decisions first (the CRPA mention), and among them a high-risk Annex III one for the
    # answered request when there is one (its letter covers AI Act art. 86).
    entries.sort(key=lambda use_case: (not use_case.crpa_mention_required, not art86_applies(use_case)))
    today = timezone.localdate()
    dpo = loader.users["dpo"]
    access = get_access(dpo, collectivite)
    received = (
        today - datetime.timedelta(days=20),
        _received_for_deadline(today + datetime.timedelta(days=3)),
        today - datetime.timedelta(days=40),
    )
    created = []
    for index, (person, day) in enumerate(zip(PEOPLE, received, strict=True)):
        use_case = entries[index % len(entries)]
        data = {**person, "decision_date": day - datetime.timedelta(days=12)}
        created.append(
            services.request_create(
                collectivite=collectivite, data=data, use_case=use_case, received_at=_at(day)
            ).request
        )
    answered = created[0]
    answered = services.draft_save(
        request=answered,
        acting_user=dpo,
        access=access,
        data={"answer_parameters": PARAMETERS, "answer_main_elements": MAIN_ELEMENTS},
        expected_version=answered.version,
    )
    sent = services.request_send(
        request=answered,
        acting_user=dpo,
        access=access,
        signatory_title="Déléguée à la protection des données",
        expected_version=answered.version,
    )
    # The demo's e-mails (acknowledgments, alerts, the letter) count as sent: none goes out now.
    ids = [request.pk for request in created]
    OutboxEntry.objects.filter(
        task__in=(notifications.NOTIFY_RECEIVED, notifications.SEND_LETTER),
        kwargs__request_id__in=ids,
        done_at__isnull=True,
    ).update(done_at=timezone.now())
    ExplanationRequest.objects.filter(pk=sent.pk).update(letter_emailed_at=sent.closed_at)
    return len(created)
