"""Fixtures of the web pages' tests: a register with one use case per visibility situation."""

import datetime

import pytest
from django.utils import timezone

from registry.choices import UseCaseStatus
from tests.registry.factories import UseCaseFactory


@pytest.fixture
def register(collectivite, other_collectivite, services, users, use_case, outsider):
    """Use cases named by who should see them.

    - `ccas_draft`: a draft of a CCAS agent (the `use_case` fixture): chef, see-all roles.
    - `ccas_approved`: approved in the CCAS: also the CCAS agent.
    - `agent_own_draft`: the demo agent's own draft.
    - `logement_draft`: a draft of the Logement service, under the chef's direction.
    - `com_in_production`: in production in Communication: see-all roles only.
    - `ethics_submitted`: health data (ethics review), submitted, in Communication, on the agenda of a planned
      committee session chaired by `comite`: also the committee (its members see only the cases on their
      sessions' agendas).
    - `neighbour`: in the other collectivité: nobody here.
    """
    ccas, logement, com = services["ccas"], services["logement"], services["communication"]
    cases = {
        "ccas_draft": use_case,
        "ccas_approved": UseCaseFactory(
            collectivite=collectivite,
            service=ccas,
            owner=use_case.owner,
            status=UseCaseStatus.APPROVED,
            name="Tri du courrier du CCAS",
        ),
        "agent_own_draft": UseCaseFactory(
            collectivite=collectivite, service=ccas, owner=users["agent"], name="Brouillon de l'agent"
        ),
        "logement_draft": UseCaseFactory(
            collectivite=collectivite, service=logement, owner=users["chef"], name="Aide aux demandes de logement"
        ),
        "com_in_production": UseCaseFactory(
            collectivite=collectivite,
            service=com,
            owner=users["dpo"],
            status=UseCaseStatus.IN_PRODUCTION,
            name="Sous-titrage des vidéos",
        ),
        "ethics_submitted": UseCaseFactory(
            collectivite=collectivite,
            service=com,
            owner=users["dpo"],
            status=UseCaseStatus.SUBMITTED,
            personal_data_categories=["health"],
            name="Analyse des signalements de santé",
        ),
        "neighbour": UseCaseFactory(
            collectivite=other_collectivite,
            owner=outsider,
            status=UseCaseStatus.IN_PRODUCTION,
            name="Usage de la commune voisine",
        ),
    }
    _on_committee_agenda(cases["ethics_submitted"], users)
    return cases


def _on_committee_agenda(use_case, users):
    """Put a submitted use case on a planned session's agenda, its review round waiting for the committee (as
    after opinions asking for it), through the review services; `comite` chairs the committee."""
    from registry import services as svc
    from registry.choices import ReviewKind, ReviewStatus
    from registry.models import CommitteeMember, Review

    CommitteeMember.objects.create(collectivite=use_case.collectivite, user=users["comite"], is_chair=True)
    review = svc.review_open(use_case=use_case, acting_user=use_case.owner, kind=ReviewKind.INITIAL)
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.COMMITTEE)
    review.refresh_from_db()
    session = svc.session_create(
        collectivite=use_case.collectivite,
        acting_user=users["dpo"],
        data={"held_on": timezone.now() + datetime.timedelta(days=7)},
    )
    return svc.agenda_add(session=session, review=review, acting_user=users["dpo"])


@pytest.fixture
def user_for(users, outsider):
    def get(role):
        return outsider if role == "outsider" else users[role]

    return get
