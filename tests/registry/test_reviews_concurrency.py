"""Two people acting on the same review at the same moment, on PostgreSQL's row locks: only one wins.

Each test releases two threads (each with its own database connection) together with a barrier; every service
waits a little once it holds its first lock, so the other thread really arrives while the first one holds them.
"""

import time
from unittest import mock

import pytest
from django.db import connection

from core.errors import ConflictError
from registry import services as svc
from registry.choices import ReviewDecision, ReviewStatus, UseCaseStatus
from registry.models import AgendaItem, Opinion, Review, UseCase, UseCaseEvent, User
from registry.services import reviews as review_services
from tests.concurrency import race
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import both_opinions, opinion, session, submit, to_agenda

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write to the whole database: row locks are only tested on PostgreSQL.",
    ),
]

Kind = UseCaseEvent.Kind
PUBLIC_CHATBOT = {"art50_features": ["chatbot"], "audience": "public"}


@pytest.fixture(autouse=True)
def _hold_locks_a_moment():
    """Once a service holds a use case's lock, it waits a moment: the other thread then meets the lock."""
    lock_use_case = review_services._lock_use_case

    def slow(pk):
        use_case = lock_use_case(pk)
        time.sleep(0.3)
        return use_case

    with mock.patch.object(review_services, "_lock_use_case", slow):
        yield


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_the_last_two_opinions_at_the_same_moment_decide_once(use_case, users):
    # Given a submitted use case
    review = submit(use_case)

    # When the DPO and the RSSI give their opinions at the same moment
    results = race(
        lambda: opinion(review, fresh(users["dpo"]), "dpo"),
        lambda: opinion(review, fresh(users["rssi"]), "rssi"),
    )

    # Then both opinions are recorded and the round is decided exactly once
    assert all(isinstance(result, Opinion) for result in results), results
    review.refresh_from_db()
    assert (review.status, review.decision) == (ReviewStatus.DECIDED, ReviewDecision.APPROVED)
    assert UseCase.objects.get(pk=use_case.pk).status == UseCaseStatus.APPROVED
    assert UseCaseEvent.objects.filter(use_case=use_case, kind=Kind.DECIDED).count() == 1
    assert UseCaseEvent.objects.filter(use_case=use_case, kind=Kind.OPINION).count() == 2


def test_the_same_opinion_twice_at_once_is_recorded_once(use_case, users):
    review = submit(use_case)

    results = race(
        lambda: opinion(review, fresh(users["dpo"]), "dpo"),
        lambda: opinion(review, fresh(users["dpo"]), "dpo", "unfavourable"),
    )

    assert sorted(type(result).__name__ for result in results) == ["ConflictError", "Opinion"], results
    assert Opinion.objects.filter(review=review).count() == 1
    assert UseCaseEvent.objects.filter(use_case=use_case, kind=Kind.OPINION).count() == 1


@pytest.fixture
def item(collectivite, services, users, committee):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["communication"], **PUBLIC_CHATBOT)
    return to_agenda(both_opinions(submit(use_case), users), users)


def test_the_committee_opinion_sent_twice_at_once_is_recorded_once(item, users):
    # When the chair's opinion is sent twice at the same moment (a double click, two tabs)
    results = race(
        lambda: svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable"),
        lambda: svc.committee_opinion_record(
            item=item, acting_user=fresh(users["comite"]), opinion="unfavourable", comment="Non."
        ),
    )

    # Then one is recorded and decides, the other is told it came too late
    winners = [result for result in results if isinstance(result, AgendaItem)]
    losers = [result for result in results if isinstance(result, ConflictError)]
    assert len(winners) == len(losers) == 1, results
    item.refresh_from_db()
    review = Review.objects.get(pk=item.review_id)
    assert review.status == ReviewStatus.DECIDED
    assert review.decision == {"favourable": "approved", "unfavourable": "rejected"}[item.opinion]
    events = UseCaseEvent.objects.filter(use_case=review.use_case)
    assert events.filter(kind=Kind.COMMITTEE_OPINION).count() == events.filter(kind=Kind.DECIDED).count() == 1


def test_closing_the_session_while_the_chair_records_an_opinion(item, users):
    # When the DPO closes the session as the chair records the committee's opinion on its case
    results = race(
        lambda: svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable"),
        lambda: svc.session_close(session=item.session, acting_user=fresh(users["dpo"])),
    )

    # Then neither waits for the other forever, and the case gets exactly one committee opinion
    recorded, closed = results
    assert not isinstance(closed, Exception), closed
    item.refresh_from_db()
    review = Review.objects.get(pk=item.review_id)
    if isinstance(recorded, ConflictError):
        # the session was closed first: the case was postponed, and the chair is told
        assert item.opinion == "postponed" and review.status == ReviewStatus.COMMITTEE
    else:
        # the chair was first: the closing left the examined case alone
        assert isinstance(recorded, AgendaItem), recorded
        assert item.opinion == "favourable" and review.decision == ReviewDecision.APPROVED
    assert UseCaseEvent.objects.filter(use_case=review.use_case, kind=Kind.COMMITTEE_OPINION).count() == 1


def test_two_members_voting_at_once_both_count(item, committee, users):
    results = race(
        lambda: svc.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="favourable"),
        lambda: svc.vote_cast(item=item, acting_user=fresh(users["comite"]), choice="abstain"),
    )
    assert not any(isinstance(result, Exception) for result in results), results
    assert item.votes.count() == 2


def test_scheduling_while_the_session_closes(collectivite, services, users, committee):
    # Given a case waiting for the committee and a planned session with another case on its agenda
    committee_session = session(collectivite, users)
    scheduled = UseCaseFactory(collectivite=collectivite, service=services["logement"], **PUBLIC_CHATBOT)
    to_agenda(both_opinions(submit(scheduled), users), users, committee_session)
    waiting = both_opinions(
        submit(UseCaseFactory(collectivite=collectivite, service=services["logement"], **PUBLIC_CHATBOT)), users
    )

    # When the DPO closes the session as the chair puts the other case on its agenda
    results = race(
        lambda: svc.session_close(session=committee_session, acting_user=fresh(users["dpo"])),
        lambda: svc.agenda_add(session=committee_session, review=waiting, acting_user=fresh(users["comite"])),
    )

    # Then no case is left on the closed session's agenda without an opinion
    closed, added = results
    assert not isinstance(closed, Exception), closed
    assert not AgendaItem.objects.filter(session=committee_session, opinion="").exists()
    if isinstance(added, AgendaItem):
        assert AgendaItem.objects.get(pk=added.pk).opinion == "postponed"
