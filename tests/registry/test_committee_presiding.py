"""Who presides over a case, and so records the committee's opinion on it (issue 18, item 2).

The rules of procedure: the chair, when present without a conflict of interest on the case; otherwise the vice-chair,
on the same terms; otherwise the eldest member present without a conflict (the longest-serving one when the ages are
not known or equal). Today a chair who declared a conflict of interest on a case could still record the committee's
opinion on it, which decides the case. The service refuses, the session's page shows the form to the member presiding
only, and the record and the history say who presided."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from core.errors import ApplicationError, ForbiddenError
from registry import selectors
from registry import services as svc
from registry.models import AgendaItem, CommitteeMember, UseCaseEvent
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import both_opinions, session, submit, to_agenda
from tests.reporting.reports_support import normalise

pytestmark = pytest.mark.django_db

Role = AgendaItem.PresidingRole


def fresh(user):
    user.__dict__.pop("_registry_access", None)
    user.__dict__.pop("_registry_seat", None)
    return user


def fr(error) -> str:
    with translation.override("fr"):
        return normalise(str(error.message))


def name(user, first, last, civility):
    user.first_name, user.last_name, user.civility = first, last, civility
    user.save(update_fields=["first_name", "last_name", "civility"])
    return user


@pytest.fixture
def people(committee):
    """The chair is Claire Martin (Madame), the external member Paul Durand (Monsieur), the CCAS agent Lina Roche
    (Madame)."""
    return SimpleNamespace(
        chair=name(committee["chair"].user, "Claire", "Martin", "madame"),
        external=name(committee["external"].user, "Paul", "Durand", "monsieur"),
        ccas=name(committee["ccas"].user, "Lina", "Roche", "madame"),
    )


def vice_chair(users, seat):
    return svc.committee_member_update(member=seat, acting_user=fresh(users["dpo"]), data={"is_vice_chair": True})


def case_in_session(collectivite, services, users, *, owner=None, present=None):
    """A Logement case (nobody of the committee belongs to Logement) on the agenda of a session held now."""
    use_case = UseCaseFactory(collectivite=collectivite, service=services["logement"], owner=owner or users["chef"])
    review = both_opinions(submit(use_case), users, ask_committee=True)
    return to_agenda(review, users, session(collectivite, users, present=present))


def votes(item, *members):
    for user in members:
        svc.vote_cast(item=item, acting_user=fresh(user), choice="favourable")


def presiding(item):
    item = selectors.session_items(item.session)[0]
    return selectors.presiding_member(item, selectors.session_roster(item.session))


# The chair with a conflict of interest --------------------------------------------------------------------------------
def test_a_chair_who_declared_a_conflict_cannot_record_the_opinion_and_is_told_the_vice_chair_does(
    collectivite, services, users, committee, people
):
    # given a vice-chair, and the chair declaring a conflict of interest on a case of the session
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users)
    svc.conflict_declare(item=item, acting_user=fresh(people.chair), comment="Je connais le porteur du projet.")
    votes(item, people.external, people.ccas)

    # when the chair records the committee's opinion
    with pytest.raises(ForbiddenError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(people.chair), opinion="favourable")

    # then it is refused, she is told who records it, and nothing is decided
    assert fr(refused.value) == normalise(
        "Vous avez déclaré un conflit d'intérêts sur ce dossier : l'avis du comité est recueilli par Paul Durand, "
        "vice-président."
    )
    item.refresh_from_db()
    assert item.opinion == "" and item.review.status == "committee"


def test_the_vice_chair_records_the_opinion_and_the_record_and_history_say_who_presided(
    collectivite, services, users, committee, people
):
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users)
    svc.conflict_declare(item=item, acting_user=fresh(people.chair))
    votes(item, people.external, people.ccas)

    svc.committee_opinion_record(item=item, acting_user=fresh(people.external), opinion="favourable")

    item.refresh_from_db()
    assert (item.opinion, item.presided_by, item.presiding_role) == ("favourable", people.external, Role.VICE_CHAIR)
    assert item.review.decision == "approved"
    event = UseCaseEvent.objects.get(use_case=item.review.use_case, kind=UseCaseEvent.Kind.COMMITTEE_OPINION)
    with translation.override("fr"):
        assert "sous la présidence de Paul Durand, vice-président" in normalise(event.comment)


def test_a_chair_who_owns_the_case_is_replaced_without_declaring_anything(
    collectivite, services, users, committee, people
):
    # the chair owns the use case: a conflict of interest found from the register, not declared
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users, owner=people.chair)
    votes(item, people.external, people.ccas)

    with pytest.raises(ForbiddenError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(people.chair), opinion="favourable")
    assert "Paul Durand, vice-président" in fr(refused.value)
    assert "conflit d'intérêts" in fr(refused.value)

    svc.committee_opinion_record(item=item, acting_user=fresh(people.external), opinion="favourable")
    item.refresh_from_db()
    assert (item.presided_by, item.presiding_role) == (people.external, Role.VICE_CHAIR)


def test_an_absent_chair_is_replaced_by_the_vice_chair(collectivite, services, users, committee, people):
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users, present=[committee["external"], committee["ccas"]])
    votes(item, people.external, people.ccas)

    with pytest.raises(ForbiddenError):
        svc.committee_opinion_record(item=item, acting_user=fresh(people.chair), opinion="favourable")
    svc.committee_opinion_record(item=item, acting_user=fresh(people.external), opinion="favourable")
    item.refresh_from_db()
    assert item.presiding_role == Role.VICE_CHAIR


def test_the_chair_without_a_conflict_still_records_and_the_vice_chair_may_not(
    collectivite, services, users, committee, people
):
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users)
    votes(item, people.external, people.ccas)

    with pytest.raises(ForbiddenError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(people.external), opinion="favourable")
    assert "Claire Martin, présidente" in fr(refused.value)
    svc.committee_opinion_record(item=item, acting_user=fresh(people.chair), opinion="favourable")
    item.refresh_from_db()
    assert (item.presided_by, item.presiding_role) == (people.chair, Role.CHAIR)


# Without a vice-chair: the eldest member present ---------------------------------------------------------------------
def test_without_a_vice_chair_the_eldest_member_present_records_the_opinion(
    collectivite, services, users, committee, people
):
    CommitteeMember.objects.filter(pk=committee["external"].pk).update(birth_date=datetime.date(1980, 4, 2))
    CommitteeMember.objects.filter(pk=committee["ccas"].pk).update(birth_date=datetime.date(1961, 9, 14))
    item = case_in_session(collectivite, services, users)
    svc.conflict_declare(item=item, acting_user=fresh(people.chair))
    votes(item, people.external, people.ccas)

    with pytest.raises(ForbiddenError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(people.external), opinion="favourable")
    assert "Lina Roche, doyenne d'âge" in fr(refused.value)

    svc.committee_opinion_record(item=item, acting_user=fresh(people.ccas), opinion="favourable")
    item.refresh_from_db()
    assert (item.presided_by, item.presiding_role) == (people.ccas, Role.ELDEST)


def test_a_vice_chair_with_a_conflict_gives_way_to_the_eldest_member_present(
    collectivite, services, users, committee, people
):
    vice_chair(users, committee["ccas"])
    CommitteeMember.objects.filter(pk=committee["external"].pk).update(birth_date=datetime.date(1950, 1, 1))
    # a CCAS case: the vice-chair, agent of the CCAS, has a conflict of interest on it
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"])
    item = to_agenda(both_opinions(submit(use_case), users, ask_committee=True), users, session(collectivite, users))
    svc.conflict_declare(item=item, acting_user=fresh(people.chair))

    assert (presiding(item).user, presiding(item).role) == (people.external, Role.ELDEST)


def test_when_ages_are_unknown_or_equal_the_longest_serving_member_presides_and_the_record_says_so(
    collectivite, services, users, committee, people
):
    # no date of birth: the member seated first presides, whatever the order of the names
    CommitteeMember.objects.filter(pk=committee["ccas"].pk).update(joined_on=datetime.date(2020, 1, 6))
    CommitteeMember.objects.filter(pk=committee["external"].pk).update(joined_on=datetime.date(2023, 3, 1))
    item = case_in_session(collectivite, services, users)
    svc.conflict_declare(item=item, acting_user=fresh(people.chair))
    assert (presiding(item).user, presiding(item).role) == (people.ccas, Role.LONGEST_SERVING)

    # born the same day: the same rule decides between them
    CommitteeMember.objects.filter(pk__in=[committee["ccas"].pk, committee["external"].pk]).update(
        birth_date=datetime.date(1970, 5, 5)
    )
    assert (presiding(item).user, presiding(item).role) == (people.ccas, Role.LONGEST_SERVING)

    votes(item, people.external, people.ccas)
    svc.committee_opinion_record(item=item, acting_user=fresh(people.ccas), opinion="favourable")
    item.refresh_from_db()
    assert item.presiding_role == Role.LONGEST_SERVING
    with translation.override("fr"):
        assert item.get_presiding_role_display() == "membre présent ayant la plus grande ancienneté au comité"


# The seats -----------------------------------------------------------------------------------------------------------
def test_one_vice_chair_at_a_time_and_never_the_chair(users, committee):
    vice_chair(users, committee["external"])
    vice_chair(users, committee["ccas"])
    assert list(CommitteeMember.objects.filter(is_vice_chair=True)) == [committee["ccas"]]

    with pytest.raises(ApplicationError) as refused:
        vice_chair(users, committee["chair"])
    assert set(refused.value.errors) == {"is_vice_chair"}

    # the chair named from the vice-chair's seat leaves it
    svc.committee_member_update(member=committee["ccas"], acting_user=fresh(users["dpo"]), data={"is_chair": True})
    seat = CommitteeMember.objects.get(pk=committee["ccas"].pk)
    assert (seat.is_chair, seat.is_vice_chair) == (True, False)

    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.filter(pk__in=[committee["external"].pk, committee["chair"].pk]).update(
            is_vice_chair=True, is_chair=False
        )


def test_a_date_of_birth_in_the_future_is_refused(users, committee):
    with pytest.raises(ApplicationError) as refused:
        svc.committee_member_update(
            member=committee["external"],
            acting_user=fresh(users["dpo"]),
            data={"birth_date": datetime.date.today() + datetime.timedelta(days=2)},
        )
    assert set(refused.value.errors) == {"birth_date"}


# The session's page --------------------------------------------------------------------------------------------------
def test_the_page_shows_the_opinion_form_to_the_vice_chair_not_to_the_conflicted_chair(
    collectivite, services, users, committee, people, client_for
):
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users)
    svc.conflict_declare(item=item, acting_user=fresh(people.chair))
    votes(item, people.external, people.ccas)
    page = reverse("registry:committee_session", args=[item.session.pk])
    form_id = f'id="item-{item.pk}-opinion"'

    as_chair = client_for(people.chair).get(page, HTTP_ACCEPT_LANGUAGE="fr")
    assert as_chair.status_code == 200 and form_id not in as_chair.content.decode()
    assert 'data-presiding="vice_chair"' in as_chair.content.decode()
    assert "Paul Durand, vice-président" in normalise(as_chair.content.decode())
    as_vice_chair = client_for(people.external).get(page)
    assert form_id in as_vice_chair.content.decode()

    # the chair posting anyway is refused; the vice-chair's opinion is recorded
    url = reverse("registry:committee_opinion", args=[item.pk])
    refused = client_for(people.chair).post(url, {"opinion": "favourable", "comment": "", "conditions": ""})
    assert refused.status_code == 403
    item.refresh_from_db()
    assert item.opinion == ""
    recorded = client_for(people.external).post(url, {"opinion": "favourable", "comment": "", "conditions": ""})
    assert recorded.status_code == 302
    item.refresh_from_db()
    assert (item.opinion, item.presided_by, item.presiding_role) == ("favourable", people.external, Role.VICE_CHAIR)
    shown = client_for(people.chair).get(page).content.decode()
    assert 'data-presided-by="vice_chair"' in shown


def test_the_vice_chair_and_a_date_of_birth_are_set_on_the_committee_page(users, committee, client_for):
    url = reverse("registry:committee_member_update", args=[committee["external"].pk])
    response = client_for(users["dpo"]).post(
        url, {"affiliation": "Chercheuse", "is_vice_chair": "on", "birth_date": "1968-02-29"}
    )
    assert response.status_code == 302
    seat = CommitteeMember.objects.get(pk=committee["external"].pk)
    assert (seat.is_vice_chair, seat.birth_date) == (True, datetime.date(1968, 2, 29))
    page = client_for(users["dpo"]).get(reverse("registry:committee")).content.decode()
    assert "data-vice-chair" in page
