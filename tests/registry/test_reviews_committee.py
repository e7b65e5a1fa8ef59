"""The ethics committee through its services: when a case goes to it, agendas, who may read the cases,
members' votes and conflicts of interest, the chair's opinion and the decision it leads to, closing a session."""

import datetime

import pytest
from django.utils import timezone

from audits.models import Checkpoint
from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from registry import permissions
from registry import services as svc
from registry.choices import ReviewDecision, ReviewStatus, SessionStatus, UseCaseStatus
from registry.models import AgendaItem, CommitteeMember, UseCaseEvent, User, Vote
from registry.selectors import use_case_list
from registry.selectors.reviews import reviews_awaiting_committee
from tests.registry.factories import UseCaseFactory, UserFactory
from tests.registry.reviews_support import both_opinions, opinion, session, submit, to_agenda

pytestmark = pytest.mark.django_db

Kind = UseCaseEvent.Kind
# A chatbot talking to the public: the ethics committee reviews it (DOMAIN.md section 3).
PUBLIC_CHATBOT = {"art50_features": ["chatbot"], "audience": "public"}
# Eligibility for social aid (AI Act Annex III point 5a): high risk, hence the committee.
HIGH_RISK = {"annex_iii_point": "5a", "personal_data_categories": ["ordinary"]}


def fresh(user):
    """The user as a new request sees them (roles and committee seat are cached per request on the object)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def person(users, outsider, committee):
    def get(role):
        if role == "outsider":
            return outsider
        if role == "external":
            return committee["external"].user
        return users[role]

    return get


@pytest.fixture
def ethics_case(collectivite, services):
    """A public chatbot of the Communication service, owned by one of its agents (no committee member)."""
    from core.roles import Role
    from tests.registry.factories import MembershipFactory

    owner = UserFactory(username="redactrice")
    MembershipFactory(user=owner, collectivite=collectivite, role=Role.AGENT, service=services["communication"])
    return UseCaseFactory(collectivite=collectivite, service=services["communication"], owner=owner, **PUBLIC_CHATBOT)


@pytest.fixture
def awaiting(ethics_case, users, committee):
    """The public chatbot after both favourable opinions: its review waits for the committee."""
    review = both_opinions(submit(ethics_case), users)
    assert review.status == ReviewStatus.COMMITTEE
    return review


@pytest.fixture
def item(awaiting, users):
    """The public chatbot on the agenda of a planned session."""
    return to_agenda(awaiting, users)


def high_risk_awaiting(collectivite, services, users):
    """A new high-risk use case of the Logement service whose review waits for the committee."""
    use_case = UseCaseFactory(collectivite=collectivite, service=services["logement"], **HIGH_RISK)
    return both_opinions(submit(use_case), users)


def sees(user, use_case) -> bool:
    user = fresh(user)
    access = get_access(user, use_case.collectivite)
    listed = use_case in set(use_case_list(user, access))
    assert listed == permissions.can_view_use_case(user, access, use_case)
    return listed


# To the committee ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("inputs", [PUBLIC_CHATBOT, HIGH_RISK], ids=["public_chatbot", "high_risk"])
def test_a_case_the_classification_sends_to_the_committee_waits_for_it(inputs, collectivite, services, users):
    # Given a use case whose classification requires the ethics committee
    use_case = UseCaseFactory(collectivite=collectivite, service=services["communication"], **inputs)
    assert use_case.ethics_review_required
    review = submit(use_case)
    assert review.ethics_required

    # When the DPO and the RSSI both give a favourable opinion
    review = both_opinions(review, users)

    # Then nothing is decided: the round waits for the committee and the use case stays in review
    use_case.refresh_from_db()
    assert review.status == ReviewStatus.COMMITTEE and not review.decision
    assert use_case.status == UseCaseStatus.IN_REVIEW
    assert use_case.events.filter(kind=Kind.TO_COMMITTEE, review=review).count() == 1
    assert not use_case.events.filter(kind=Kind.DECIDED).exists()
    assert review in reviews_awaiting_committee(get_access(users["dpo"], collectivite))


@pytest.mark.parametrize("asker", ["dpo", "rssi"])
def test_the_dpo_or_the_rssi_may_ask_for_the_committee(asker, use_case, users):
    # Given a use case the classification does not send to the committee
    review = submit(use_case)
    assert not review.ethics_required

    # When one reviewer asks for the committee, even with a favourable opinion
    for role in ("dpo", "rssi"):
        opinion(review, users[role], role, ask_committee=role == asker)

    # Then the committee examines it
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMMITTEE
    assert asker.upper() in use_case.events.get(kind=Kind.TO_COMMITTEE).comment


def test_an_unfavourable_opinion_still_goes_to_the_committee_when_it_is_required(ethics_case, users):
    review = both_opinions(submit(ethics_case), users, dpo="unfavourable")
    assert review.status == ReviewStatus.COMMITTEE and not review.decision


# Agendas ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role, allowed",
    [
        ("agent", False),
        ("chef", False),
        ("dpo", True),  # the committee's secretariat
        ("rssi", False),
        ("comite", True),  # the chair
        ("external", False),  # a member who does not chair
        ("dgs", False),
        ("admin", True),
        ("outsider", False),
    ],
)
def test_who_may_put_a_case_on_an_agenda_and_take_it_off(role, allowed, person, awaiting, users, collectivite):
    # Given a planned session and a case waiting for the committee
    committee_session = session(collectivite, users)
    user = person(role)

    if not allowed:
        with pytest.raises(ForbiddenError):
            svc.agenda_add(session=committee_session, review=awaiting, acting_user=user)
        assert not AgendaItem.objects.exists()
        # (nor take off a case the secretariat scheduled)
        item = svc.agenda_add(session=committee_session, review=awaiting, acting_user=users["dpo"])
        with pytest.raises(ForbiddenError):
            svc.agenda_remove(item=item, acting_user=user)
        assert AgendaItem.objects.filter(pk=item.pk).exists()
        return
    item = svc.agenda_add(session=committee_session, review=awaiting, acting_user=user)
    assert (item.session, item.review, item.position, item.added_by) == (committee_session, awaiting, 1, user)
    scheduled = awaiting.use_case.events.get(kind=Kind.SCHEDULED)
    assert (scheduled.actor, scheduled.review) == (user, awaiting)
    svc.agenda_remove(item=item, acting_user=user)
    assert not AgendaItem.objects.exists()
    assert awaiting.use_case.events.filter(kind=Kind.UNSCHEDULED).count() == 1


def test_only_the_secretariat_creates_a_session(collectivite, users, committee):
    held_on = timezone.now() + datetime.timedelta(days=3)
    for role in ("agent", "chef", "rssi", "dgs"):
        with pytest.raises(ForbiddenError):
            svc.session_create(collectivite=collectivite, acting_user=users[role], data={"held_on": held_on})
    with pytest.raises(ApplicationError) as raised:
        svc.session_create(collectivite=collectivite, acting_user=users["dpo"], data={})
    assert set(raised.value.errors) == {"held_on"}
    created = svc.session_create(collectivite=collectivite, acting_user=users["comite"], data={"held_on": held_on})
    assert created.status == SessionStatus.PLANNED


def test_positions_follow_the_order_cases_are_added(collectivite, services, users, committee):
    committee_session = session(collectivite, users)
    reviews = [high_risk_awaiting(collectivite, services, users) for _ in range(3)]
    positions = [to_agenda(r, users, committee_session).position for r in reviews]
    assert positions == [1, 2, 3]


def test_agenda_states(awaiting, use_case, users, collectivite, other_collectivite, outsider):
    planned = session(collectivite, users)
    # A case still waiting for opinions cannot go on an agenda
    waiting = submit(use_case)
    with pytest.raises(TransitionError):
        svc.agenda_add(session=planned, review=waiting, acting_user=users["dpo"])
    # Nor on a closed session
    closed = session(collectivite, users)
    svc.session_close(session=closed, acting_user=users["dpo"])
    with pytest.raises(TransitionError):
        svc.agenda_add(session=closed, review=awaiting, acting_user=users["dpo"])
    # Nor on another collectivité's session (whoever asks)
    foreign = svc.session_create(
        collectivite=other_collectivite, acting_user=outsider, data={"held_on": timezone.now()}
    )
    with pytest.raises(ForbiddenError):
        svc.agenda_add(session=foreign, review=awaiting, acting_user=outsider)
    # Once on a planned session's agenda, it is not put on another one, nor twice on the same
    svc.agenda_add(session=planned, review=awaiting, acting_user=users["dpo"])
    with pytest.raises(ConflictError):
        svc.agenda_add(session=session(collectivite, users), review=awaiting, acting_user=users["dpo"])
    with pytest.raises(ConflictError):
        svc.agenda_add(session=planned, review=awaiting, acting_user=users["dpo"])
    assert AgendaItem.objects.filter(review=awaiting).count() == 1
    assert awaiting not in reviews_awaiting_committee(get_access(users["dpo"], collectivite))


def test_a_case_members_voted_on_stays_on_the_agenda(item, committee, users):
    svc.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")
    with pytest.raises(TransitionError):
        svc.agenda_remove(item=item, acting_user=users["dpo"])
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# Who reads the committee's cases -------------------------------------------------------------------------------------
def test_members_read_a_case_only_while_it_is_on_an_agenda(awaiting, committee, users, collectivite, services):
    use_case = awaiting.use_case
    members = [committee[key].user for key in ("chair", "external", "ccas")]
    other_ethics = UseCaseFactory(collectivite=collectivite, service=services["communication"], **PUBLIC_CHATBOT)
    # Given a case that waits for the committee: no member reads it yet (not even the chair)
    assert not any(sees(member, use_case) for member in members)

    # When it is put on a session's agenda
    item = to_agenda(awaiting, users)

    # Then every active member holds the review permission and reads it, and nothing else that is not on an agenda
    for member in members:
        assert fresh(member).has_perm("registry.review_usecase", use_case)
        assert sees(member, use_case)
        assert not sees(member, other_ethics)
        assert set(use_case_list(fresh(member), get_access(member, collectivite))) == {use_case}

    # And once it is taken off the agenda, they no longer read it
    svc.agenda_remove(item=item, acting_user=users["dpo"])
    assert not any(sees(member, use_case) for member in members)


def test_the_committee_role_alone_reads_nothing(item, collectivite, services):
    # Given a person with the committee role who holds no seat on the committee
    from core.roles import Role
    from tests.registry.factories import MembershipFactory

    seatless = UserFactory(username="ancien-membre")
    MembershipFactory(user=seatless, collectivite=collectivite, role=Role.ETHICS_COMMITTEE)
    other_ethics = UseCaseFactory(collectivite=collectivite, service=services["communication"], **PUBLIC_CHATBOT)
    # Then neither the scheduled case nor any other ethics case is visible to them
    assert not sees(seatless, item.review.use_case)
    assert not sees(seatless, other_ethics)


def test_a_deactivated_member_loses_the_cases_and_a_reactivated_one_gets_them_back(item, committee, users):
    use_case = item.review.use_case
    external = committee["external"]
    assert sees(external.user, use_case)

    # When the DPO ends the external member's mandate
    svc.committee_member_update(member=external, acting_user=users["dpo"], data={"active": False})

    # Then they no longer read the case nor vote on it
    assert not sees(external.user, use_case)
    with pytest.raises(ForbiddenError):
        svc.vote_cast(item=item, acting_user=fresh(external.user), choice="favourable")

    # And when they come back, they read the cases of the planned sessions again
    svc.committee_member_update(member=external, acting_user=users["dpo"], data={"active": True})
    assert sees(external.user, use_case)


def test_a_new_member_reads_the_cases_of_planned_sessions(item, users, collectivite):
    newcomer = UserFactory(username="elue")
    svc.committee_member_add(collectivite=collectivite, acting_user=users["dpo"], user=newcomer)
    assert sees(newcomer, item.review.use_case)
    seated = CommitteeMember.objects.filter(collectivite=collectivite, active=True)
    svc.attendance_record(session=item.session, acting_user=users["dpo"], present=list(seated))
    svc.vote_cast(item=item, acting_user=fresh(newcomer), choice="abstain")


# Members' votes and conflicts of interest ----------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["agent", "chef", "dpo", "rssi", "dgs", "admin", "outsider"])
def test_only_members_vote(role, person, item):
    with pytest.raises(ForbiddenError) as raised:
        svc.vote_cast(item=item, acting_user=person(role), choice="favourable")
    assert raised.value.status_code == 403
    with pytest.raises(ForbiddenError):
        svc.conflict_declare(item=item, acting_user=person(role))
    assert not Vote.objects.exists()


@pytest.mark.parametrize("choice", ["favourable", "favourable_with_conditions", "unfavourable", "abstain"])
@pytest.mark.parametrize("role", ["comite", "external"])
def test_each_member_gives_one_opinion(role, choice, person, item):
    user = person(role)
    vote = svc.vote_cast(item=item, acting_user=user, choice=choice, comment="Mon avis motivé.")
    assert (vote.member.user, vote.choice, vote.conflict_of_interest) == (user, choice, False)
    with pytest.raises(ConflictError) as raised:
        svc.vote_cast(item=item, acting_user=user, choice="abstain")
    assert raised.value.status_code == 409
    with pytest.raises(ConflictError):
        svc.conflict_declare(item=item, acting_user=user)
    assert Vote.objects.filter(item=item).count() == 1


@pytest.mark.parametrize(
    "choice, comment, field",
    [("maybe", "", "choice"), ("", "", "choice"), ("unfavourable", " ", "comment")],
)
def test_an_invalid_vote_names_its_field(choice, comment, field, item, committee):
    with pytest.raises(ApplicationError) as raised:
        svc.vote_cast(item=item, acting_user=committee["external"].user, choice=choice, comment=comment)
    assert raised.value.status_code == 400 and set(raised.value.errors) == {field}


@pytest.fixture
def ccas_item(collectivite, services, users, use_case, committee):
    """A high-risk CCAS use case (owned by a CCAS agent) on a session's agenda."""
    svc.use_case_update(use_case=use_case, acting_user=users["dpo"], data=HIGH_RISK, expected_version=1)
    return to_agenda(both_opinions(submit(use_case), users), users)


@pytest.mark.parametrize("who", ["owner", "service_agent", "head_of_parent_service"])
def test_a_member_with_a_conflict_of_interest_cannot_vote_and_may_declare_it(who, ccas_item, committee, users):
    use_case = ccas_item.review.use_case
    if who == "owner":
        member = use_case.owner
        svc.committee_member_add(collectivite=use_case.collectivite, acting_user=users["dpo"], user=member)
    elif who == "service_agent":
        member = committee["ccas"].user  # a CCAS agent
    else:
        member = users["chef"]  # heads the direction above the CCAS
        svc.committee_member_add(collectivite=use_case.collectivite, acting_user=users["dpo"], user=member)
    member = fresh(member)
    access = get_access(member, use_case.collectivite)
    assert permissions.has_conflict_of_interest(member, access, use_case)

    # When they try to vote, it is refused
    with pytest.raises(ForbiddenError):
        svc.vote_cast(item=ccas_item, acting_user=member, choice="favourable")

    # And they declare their conflict instead: recorded, with no opinion
    declared = svc.conflict_declare(item=ccas_item, acting_user=member, comment="Je porte ce projet.")
    assert (declared.conflict_of_interest, declared.choice, declared.comment) == (True, "", "Je porte ce projet.")
    with pytest.raises(ConflictError):
        svc.conflict_declare(item=ccas_item, acting_user=member)
    with pytest.raises(ForbiddenError):
        svc.vote_cast(item=ccas_item, acting_user=member, choice="abstain")


def test_members_without_a_link_to_the_case_have_no_conflict(ccas_item, committee):
    use_case = ccas_item.review.use_case
    for key in ("chair", "external"):
        user = fresh(committee[key].user)
        assert not permissions.has_conflict_of_interest(user, get_access(user, use_case.collectivite), use_case)


def test_a_member_without_a_conflict_may_still_declare_one(item, committee):
    declared = svc.conflict_declare(item=item, acting_user=committee["external"].user, comment="Lien familial.")
    assert declared.conflict_of_interest and declared.choice == ""


def test_no_vote_once_the_committee_gave_its_opinion(item, users, committee):
    svc.committee_opinion_record(item=item, acting_user=users["comite"], opinion="favourable")
    with pytest.raises(TransitionError) as raised:
        svc.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")
    assert raised.value.status_code == 409
    with pytest.raises(TransitionError):
        svc.conflict_declare(item=item, acting_user=committee["external"].user)


def test_no_vote_once_the_session_is_closed(item, users, committee):
    svc.session_close(session=item.session, acting_user=users["dpo"])
    with pytest.raises(TransitionError):
        svc.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")


# The committee's opinion --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["agent", "chef", "dpo", "rssi", "external", "dgs", "admin", "outsider"])
def test_only_the_chair_records_the_committee_opinion(role, person, item):
    with pytest.raises(ForbiddenError) as raised:
        svc.committee_opinion_record(item=item, acting_user=person(role), opinion="favourable")
    assert raised.value.status_code == 403
    item.refresh_from_db()
    assert item.opinion == ""
    assert item.review.status == ReviewStatus.COMMITTEE


@pytest.mark.parametrize(
    "committee_opinion, conditions, decision",
    [
        ("favourable", [], ReviewDecision.APPROVED),
        (
            "favourable_with_conditions",
            ["Évaluer les biais tous les six mois."],
            ReviewDecision.APPROVED_WITH_CONDITIONS,
        ),
        ("unfavourable", [], ReviewDecision.REJECTED),
    ],
)
def test_the_chair_records_the_opinion_and_the_decision_follows(
    committee_opinion, conditions, decision, item, users, committee
):
    # Given members who voted on a case of the agenda
    svc.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")

    # When the chair records the committee's opinion
    svc.committee_opinion_record(
        item=item,
        acting_user=users["comite"],
        opinion=committee_opinion,
        comment="Avis du comité.",
        conditions=conditions,
    )

    # Then the item carries it and the round is decided accordingly
    item.refresh_from_db()
    review = item.review
    review.refresh_from_db()
    use_case = review.use_case
    use_case.refresh_from_db()
    assert (item.opinion, item.decided_by, item.opinion_comment) == (
        committee_opinion,
        users["comite"],
        "Avis du comité.",
    )
    assert (review.status, review.decision, review.decided_by) == (ReviewStatus.DECIDED, decision, users["comite"])
    assert use_case.status == decision
    kinds = list(use_case.events.filter(review=review).order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == [Kind.COMMITTEE_OPINION, Kind.DECIDED]
    # And the committee's conditions become checkpoints waiting for an owner
    condition_checkpoints = Checkpoint.objects.filter(use_case=use_case, origin=Checkpoint.Origin.CONDITION)
    assert [c.condition.text for c in condition_checkpoints] == conditions
    assert all(c.owner is None for c in condition_checkpoints)
    assert all(c.source == "committee" for c in review.conditions.all())
    # And it cannot be recorded twice
    with pytest.raises(ConflictError):
        svc.committee_opinion_record(item=item, acting_user=users["comite"], opinion="favourable")


def test_a_favourable_committee_keeps_the_reviewers_conditions(ethics_case, users, committee):
    review = both_opinions(submit(ethics_case), users, rssi="favourable_with_conditions")
    item = to_agenda(review, users)
    svc.committee_opinion_record(item=item, acting_user=users["comite"], opinion="favourable")
    review.refresh_from_db()
    assert review.decision == ReviewDecision.APPROVED_WITH_CONDITIONS
    assert Checkpoint.objects.filter(use_case=ethics_case, origin="condition").count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"opinion": "favourable_with_conditions"}, "conditions"),
        ({"opinion": "favourable", "conditions": ["Une condition."]}, "conditions"),
        ({"opinion": "unfavourable"}, "comment"),
        ({"opinion": "postponed", "comment": "  "}, "comment"),
        ({"opinion": "rejected"}, "opinion"),
    ],
)
def test_an_incomplete_committee_opinion_names_its_field(data, field, item, users):
    with pytest.raises(ApplicationError) as raised:
        svc.committee_opinion_record(item=item, acting_user=users["comite"], **data)
    assert raised.value.status_code == 400 and set(raised.value.errors) == {field}
    item.refresh_from_db()
    assert item.opinion == "" and not item.review.conditions.exists()


def test_a_postponed_case_goes_to_a_later_session(item, users, collectivite):
    review = item.review
    # When the chair postpones the case
    svc.committee_opinion_record(
        item=item, acting_user=users["comite"], opinion="postponed", comment="Il manque l'AIPD."
    )

    # Then nothing is decided: the round still waits for the committee, the use case stays in review
    item.refresh_from_db()
    review.refresh_from_db()
    assert item.opinion == "postponed"
    assert review.status == ReviewStatus.COMMITTEE and not review.decision
    assert review.use_case.status == UseCaseStatus.IN_REVIEW
    assert review in reviews_awaiting_committee(get_access(users["dpo"], collectivite))

    # And the case goes on a later session, where the chair decides
    later = to_agenda(review, users)
    assert later.session != item.session
    svc.committee_opinion_record(item=later, acting_user=users["comite"], opinion="favourable")
    review.refresh_from_db()
    assert review.decision == ReviewDecision.APPROVED


def test_closing_a_session_postpones_what_it_did_not_examine(collectivite, services, users, committee):
    # Given a session with two cases, one examined
    committee_session = session(collectivite, users)
    first, second = (
        to_agenda(high_risk_awaiting(collectivite, services, users), users, committee_session) for _ in range(2)
    )
    svc.committee_opinion_record(item=first, acting_user=users["comite"], opinion="favourable")

    # When the DPO closes it
    svc.session_close(session=committee_session, acting_user=users["dpo"])

    # Then the session is closed, the examined case keeps its opinion and the other is postponed
    committee_session.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert committee_session.status == SessionStatus.CLOSED and committee_session.closed_at
    assert first.opinion == "favourable"
    assert second.opinion == "postponed" and second.opinion_comment
    assert second.review.status == ReviewStatus.COMMITTEE
    assert second.review.use_case.events.filter(kind=Kind.COMMITTEE_OPINION).count() == 1
    # And a closed session is not closed twice, nor closed by someone outside the secretariat
    with pytest.raises(TransitionError):
        svc.session_close(session=committee_session, acting_user=users["dpo"])
    other = session(collectivite, users)
    for role in ("agent", "chef", "rssi", "dgs"):
        with pytest.raises(ForbiddenError):
            svc.session_close(session=other, acting_user=users[role])


def test_a_full_committee_journey_leaves_every_step_in_the_trail(ethics_case, users, committee):
    review = both_opinions(submit(ethics_case), users, dpo="favourable_with_conditions")
    item = to_agenda(review, users)
    svc.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable_with_conditions")
    svc.committee_opinion_record(
        item=item, acting_user=users["comite"], opinion="favourable_with_conditions", conditions=["Audit annuel."]
    )
    kinds = list(ethics_case.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        Kind.SUBMITTED,
        Kind.OPINION,
        Kind.OPINION,
        Kind.TO_COMMITTEE,
        Kind.SCHEDULED,
        Kind.COMMITTEE_OPINION,
        Kind.DECIDED,
    ]
    ethics_case.refresh_from_db()
    assert ethics_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS
    assert sorted(
        Checkpoint.objects.filter(use_case=ethics_case, origin="condition").values_list("type__title", flat=True)
    ) == [
        "Audit annuel.",
        "Condition posée par le DPO.",
    ]


# Members ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["agent", "chef", "rssi", "external", "dgs", "outsider"])
def test_only_the_secretariat_seats_members(role, person, collectivite, committee, users):
    newcomer = UserFactory(username="candidate")
    with pytest.raises(ForbiddenError):
        svc.committee_member_add(collectivite=collectivite, acting_user=person(role), user=newcomer)
    with pytest.raises(ForbiddenError):
        svc.committee_member_update(member=committee["external"], acting_user=person(role), data={"active": False})
    assert not newcomer.committee_seats.exists()


def test_seating_a_member_gives_the_role_and_one_chair_at_a_time(collectivite, committee, users):
    from core.roles import Role
    from registry.models import CommitteeMember

    # When the DPO seats a new chair
    newcomer = UserFactory(username="nouvelle-presidente")
    seat = svc.committee_member_add(
        collectivite=collectivite, acting_user=users["dpo"], user=newcomer, is_chair=True, affiliation="Élue"
    )

    # Then they hold the committee role, chair alone, and cannot be seated twice
    assert newcomer.memberships.filter(collectivite=collectivite, role=Role.ETHICS_COMMITTEE).exists()
    assert list(CommitteeMember.objects.filter(collectivite=collectivite, is_chair=True)) == [seat]
    assert not permissions.is_committee_chair(fresh(users["comite"]), get_access(users["comite"], collectivite))
    with pytest.raises(ConflictError):
        svc.committee_member_add(collectivite=collectivite, acting_user=users["dpo"], user=newcomer)
    # And a chair whose mandate ends no longer chairs
    svc.committee_member_update(member=seat, acting_user=users["admin"], data={"active": False})
    seat.refresh_from_db()
    assert (seat.active, seat.is_chair) == (False, False)
