"""A session of the ethics committee: its agenda, the secretariat's actions (add, remove, close), the members'
opinions and conflicts of interest, and the chair's record of the committee's opinion, from which the decision
follows; with the refusals for each role and a fixed query count."""

import re
from html import unescape

import pytest
from django.urls import reverse

from audits.models import Checkpoint
from registry import services as registry_services
from registry.choices import ReviewStatus, SessionStatus, UseCaseStatus
from registry.models import AgendaItem, CommitteeSession, Vote
from tests.registry import reviews_support as rs
from tests.registry.factories import UseCaseFactory

from .helpers import fr

pytestmark = pytest.mark.django_db

VIEWERS = ("chair", "external", "ccas_member", "dpo", "rssi", "dgs", "admin")
NOT_VIEWERS = ("agent", "chef")
MANAGERS = ("chair", "dpo", "admin")
MEMBERS = ("chair", "external", "ccas_member")
ALL_ROLES = VIEWERS + NOT_VIEWERS + ("outsider",)


def page_text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def person(users, committee, outsider):
    def get(role):
        return {
            "chair": users["comite"],
            "external": committee["external"].user,
            "ccas_member": committee["ccas"].user,
            "outsider": outsider,
        }.get(role) or users[role]

    return get


def committee_case(collectivite, service, owner, users, name="Analyse des demandes d'aide", **opinions):
    """A use case with health data (the committee is required), both opinions given: awaiting a session."""
    use_case = UseCaseFactory(
        collectivite=collectivite, service=service, owner=owner, personal_data_categories=["health"], name=name
    )
    review = rs.both_opinions(rs.submit(use_case), users, **opinions)
    assert review.status == ReviewStatus.COMMITTEE
    return review


@pytest.fixture
def ccas_case(collectivite, services, users, committee):
    """A CCAS case (the CCAS member has a conflict of interest on it); the DPO set a condition."""
    return committee_case(
        collectivite, services["ccas"], users["agent"], users, dpo="favourable_with_conditions", rssi="favourable"
    )


@pytest.fixture
def item(collectivite, users, ccas_case):
    """The CCAS case on a planned session's agenda."""
    return rs.to_agenda(ccas_case, users)


def session_url(session) -> str:
    return reverse("registry:committee_session", args=[session.pk])


def url(name, obj) -> str:
    return reverse(f"registry:{name}", args=[obj.pk])


# Who opens a session ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_opens_a_session_and_reads_its_agenda(role, person, client_for, item):
    reference = item.review.use_case.reference

    response = client_for(person(role)).get(session_url(item.session))

    if role in NOT_VIEWERS:
        assert response.status_code == 403
    elif role == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        text = page_text(response)
        assert f'data-item="{reference}"' in text
        # the DPO's opinion with its condition, and a link to the use case's page
        assert "Condition posée par le DPO." in text
        assert f'href="{url("use_case_detail", item.review.use_case)}"' in text
        return
    assert reference not in page_text(response)


def test_a_session_of_another_collectivite_is_not_found(other_collectivite, users, client_for, committee):
    session = CommitteeSession.objects.create(collectivite=other_collectivite, held_on="2030-01-01T10:00Z")
    for role in ("dpo", "comite"):
        assert client_for(users[role]).get(session_url(session)).status_code == 404


def test_members_may_open_the_cases_of_the_agenda_and_only_those(
    collectivite, services, users, client_for, committee, item
):
    # given another case waiting for the committee, not on any agenda
    waiting = committee_case(collectivite, services["logement"], users["chef"], users, name="Cas en attente")
    client = client_for(committee["external"].user)

    assert client.get(url("use_case_detail", item.review.use_case)).status_code == 200
    assert client.get(url("use_case_detail", waiting.use_case)).status_code == 404


@pytest.mark.parametrize("role", ("chair", "ccas_member", "dpo"))
def test_the_session_page_costs_a_fixed_number_of_queries(
    role, person, collectivite, services, users, client_for, committee, item, django_assert_max_num_queries
):
    client = client_for(person(role))
    with django_assert_max_num_queries(QUERIES + (MENU_PRESIDING_QUERIES if role != "dpo" else 0)) as one_item:
        assert client.get(session_url(item.session)).status_code == 200
    # given four more cases on the agenda, each with votes and conflicts, and one more waiting case
    for index in range(4):
        review = committee_case(
            collectivite, services["logement"], users["chef"], users, name=f"Cas {index}", rssi="unfavourable"
        )
        added = rs.to_agenda(review, users, item.session)
        rs_vote(added, committee["external"].user, "favourable")
        services_conflict(added, (committee["ccas"] if role == "chair" else committee["chair"]).user)
    rs_vote(item, committee["external"].user, "unfavourable", "Trop intrusif.")
    committee_case(collectivite, services["logement"], users["chef"], users, name="En attente")

    # then the page costs the same number of queries
    with django_assert_max_num_queries(len(one_item.captured_queries)):
        response = client.get(session_url(item.session))
    assert response.status_code == 200
    assert page_text(response).count("data-item=") == 5


# Including the minutes' document (documents widget), and for a session in progress its attendance, its members'
# services (conflicts of interest) and, for the secretariat, the attendance form's members.
QUERIES = 17
# A committee member's menu badge, while a session is in progress, finds the cases over which they preside (issue 18:
# the cases, their votes, the attendance and the members' services), whatever their number.
MENU_PRESIDING_QUERIES = 4


def services_conflict(item, user):
    return registry_services.conflict_declare(item=item, acting_user=user, comment="")


def rs_vote(item, user, choice, comment=""):
    return registry_services.vote_cast(item=item, acting_user=user, choice=choice, comment=comment)


# The agenda ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MANAGERS)
def test_a_manager_puts_a_waiting_case_on_the_agenda(
    role, person, collectivite, services, users, client_for, committee
):
    # given a planned session and a case waiting for the committee
    session = rs.session(collectivite, users)
    review = committee_case(collectivite, services["ccas"], users["agent"], users)
    client = client_for(person(role))
    assert f'<option value="{review.pk}">' in page_text(client.get(session_url(session)))

    # when the manager puts it on the agenda
    response = client.post(url("committee_agenda_add", session), {"review": review.pk})

    # then it is there, and no longer offered
    assert response.status_code == 302
    added = AgendaItem.objects.get(session=session, review=review)
    assert response["Location"].endswith(f"#item-{added.pk}")
    text = page_text(client.get(session_url(session)))
    assert f'data-item="{review.use_case.reference}"' in text
    assert f'<option value="{review.pk}">' not in text


@pytest.mark.parametrize("role", ("external", "ccas_member", "rssi", "dgs", "agent", "chef"))
def test_others_may_not_set_the_agenda_nor_close_the_session(
    role, person, collectivite, services, users, client_for, item
):
    # given another waiting case
    review = committee_case(collectivite, services["logement"], users["chef"], users, name="Autre cas")
    client = client_for(person(role))

    # when they open the page, then they see no secretariat's forms
    page = client.get(session_url(item.session))
    if page.status_code == 200:
        text = page_text(page)
        assert url("committee_agenda_add", item.session) not in text
        assert url("committee_session_close", item.session) not in text
        assert url("committee_agenda_remove", item) not in text

    # and their posts are refused
    responses = [
        client.post(url("committee_agenda_add", item.session), {"review": review.pk}),
        client.post(url("committee_agenda_remove", item)),
        client.post(url("committee_session_close", item.session)),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert not AgendaItem.objects.filter(review=review).exists()
    assert CommitteeSession.objects.get(pk=item.session_id).status == SessionStatus.OPEN  # not closed


def test_a_dpo_of_another_collectivite_cannot_touch_our_session(outsider, client_for, item):
    client = client_for(outsider)
    responses = [
        client.post(url("committee_agenda_add", item.session), {"review": item.review_id}),
        client.post(url("committee_agenda_remove", item)),
        client.post(url("committee_session_close", item.session)),
        client.post(url("committee_vote", item), {"choice": "favourable"}),
        client.post(url("committee_conflict", item)),
        client.post(url("committee_opinion", item), {"opinion": "favourable"}),
    ]
    assert [r.status_code for r in responses] == [404] * 6


def test_a_case_that_is_not_waiting_cannot_be_put_on_the_agenda(collectivite, users, client_for, committee, item):
    # given a second planned session; the case is already on the first one's agenda
    other = rs.session(collectivite, users)

    response = client_for(users["dpo"]).post(url("committee_agenda_add", other), {"review": item.review_id})

    assert response.status_code == 400
    assert fr("Choose a case that is waiting for the committee and not on an agenda yet.") in page_text(response)
    assert AgendaItem.objects.filter(review=item.review).count() == 1


def test_the_agenda_form_requires_a_case(collectivite, services, users, client_for, committee, item):
    committee_case(collectivite, services["logement"], users["chef"], users, name="Autre cas")
    response = client_for(users["dpo"]).post(url("committee_agenda_add", item.session), {"review": ""})

    assert response.status_code == 400
    assert fr("Choose the case to put on the agenda.") in page_text(response)


def test_a_case_without_opinions_is_taken_off_the_agenda(users, client_for, item):
    client = client_for(users["dpo"])
    assert url("committee_agenda_remove", item) in page_text(client.get(session_url(item.session)))

    response = client.post(url("committee_agenda_remove", item))

    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    # it waits for a session again
    assert item.review.use_case.reference in page_text(client.get(reverse("registry:committee")))


def test_a_case_with_opinions_stays_on_the_agenda(users, client_for, committee, item):
    # given a member gave an opinion
    rs_vote(item, committee["external"].user, "favourable")
    client = client_for(users["dpo"])
    assert url("committee_agenda_remove", item) not in page_text(client.get(session_url(item.session)))

    # when the DPO tries to take it off anyway, then it stays, with a message
    response = client.post(url("committee_agenda_remove", item), follow=True)

    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert fr("Members already gave opinions on this case: it stays on the agenda.") in page_text(response)


@pytest.mark.parametrize("role", MANAGERS)
def test_closing_a_session_postpones_the_cases_without_an_opinion(role, person, client_for, item):
    response = client_for(person(role)).post(url("committee_session_close", item.session), follow=True)

    assert response.status_code == 200
    item.refresh_from_db()
    assert item.session.status == SessionStatus.CLOSED
    assert item.opinion == "postponed"
    text = page_text(response)
    assert 'data-session-status="closed"' in text
    assert 'data-committee-opinion="postponed"' in text
    # nothing more can be done on a closed session
    assert url("committee_vote", item) not in text and url("committee_opinion", item) not in text


# Members' opinions -------------------------------------------------------------------------------------


def test_a_member_gives_an_opinion(client_for, committee, item):
    member = committee["external"].user
    client = client_for(member)
    text = page_text(client.get(session_url(item.session)))
    assert f'id="item-{item.pk}-vote"' in text and f'id="item-{item.pk}-conflict"' in text

    response = client.post(url("committee_vote", item), {"choice": "favourable_with_conditions", "comment": "Former."})

    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    vote = Vote.objects.get(item=item)
    assert (vote.member, vote.choice, vote.comment, vote.conflict_of_interest) == (
        committee["external"],
        "favourable_with_conditions",
        "Former.",
        False,
    )
    text = page_text(client.get(session_url(item.session)))
    assert "data-my-vote" in text and f'id="item-{item.pk}-vote"' not in text
    assert f'data-vote="{member.username}"' in text


def test_a_second_opinion_from_the_same_member_is_refused(client_for, committee, item):
    client = client_for(committee["external"].user)
    client.post(url("committee_vote", item), {"choice": "favourable"})

    response = client.post(url("committee_vote", item), {"choice": "unfavourable", "comment": "Non."}, follow=True)

    assert fr("You already gave your opinion on this case.") in page_text(response)
    assert Vote.objects.get(item=item).choice == "favourable"


def test_an_unfavourable_opinion_without_a_comment_keeps_the_choice(client_for, committee, item):
    response = client_for(committee["external"].user).post(url("committee_vote", item), {"choice": "unfavourable"})

    assert response.status_code == 400
    text = page_text(response)
    assert fr("Explain an unfavourable opinion.") in text
    assert f'id="item{item.pk}-vote-comment_error"' in text
    assert re.search(rf'value="unfavourable"[^>]*id="item{item.pk}-vote-choice_2"[^>]*checked', text) or re.search(
        r'value="unfavourable"[^>]*checked', text
    )
    assert not Vote.objects.exists()


def test_an_opinion_must_be_chosen(client_for, committee, item):
    response = client_for(committee["external"].user).post(
        url("committee_vote", item), {"choice": "", "comment": "Je réfléchis encore."}
    )

    assert response.status_code == 400
    text = page_text(response)
    assert fr("Choose your opinion.") in text and "Je réfléchis encore." in text
    assert not Vote.objects.exists()


def test_a_member_with_a_conflict_of_interest_can_only_declare_it(client_for, committee, item):
    # given the CCAS member, on a CCAS case
    client = client_for(committee["ccas"].user)

    # the page explains the conflict and offers only the declaration
    text = page_text(client.get(session_url(item.session)))
    assert "data-conflict-detected" in text
    assert f'id="item-{item.pk}-vote"' not in text
    assert f'id="item-{item.pk}-conflict"' in text

    # a vote sent anyway is refused
    assert client.post(url("committee_vote", item), {"choice": "favourable"}).status_code == 403
    assert not Vote.objects.exists()

    # declaring is recorded and shown to everyone
    response = client.post(url("committee_conflict", item), {"comment": "Je travaille au CCAS."})
    assert response.status_code == 302
    vote = Vote.objects.get(item=item)
    assert (vote.member, vote.conflict_of_interest, vote.choice) == (committee["ccas"], True, "")
    text = page_text(client_for(committee["external"].user).get(session_url(item.session)))
    assert f'data-vote="{committee["ccas"].user.username}"' in text and "data-conflict" in text


def test_any_member_may_declare_a_conflict_of_interest(client_for, committee, item):
    response = client_for(committee["external"].user).post(url("committee_conflict", item), {"comment": ""})

    assert response.status_code == 302
    assert Vote.objects.get(item=item).conflict_of_interest


@pytest.mark.parametrize("role", ("dpo", "rssi", "dgs", "admin", "agent", "chef"))
def test_only_members_give_opinions(role, person, client_for, item):
    client = client_for(person(role))
    page = client.get(session_url(item.session))
    if page.status_code == 200:
        text = page_text(page)
        assert url("committee_vote", item) not in text and url("committee_conflict", item) not in text

    responses = [
        client.post(url("committee_vote", item), {"choice": "favourable"}),
        client.post(url("committee_conflict", item)),
    ]

    assert [r.status_code for r in responses] == [403, 403]
    assert not Vote.objects.exists()


# The committee's opinion -------------------------------------------------------------------------------


def test_the_chair_records_a_favourable_opinion_with_conditions(client_for, committee, item):
    # given a member's opinion
    rs_vote(item, committee["external"].user, "favourable_with_conditions", "Former les agents.")
    client = client_for(committee["chair"].user)
    assert f'id="item-{item.pk}-opinion"' in page_text(client.get(session_url(item.session)))

    # when the chair records the committee's opinion with two conditions, one per line
    response = client.post(
        url("committee_opinion", item),
        {
            "opinion": "favourable_with_conditions",
            "conditions": "Former les agents instructeurs.\r\n\r\nRevoir les résultats dans six mois.\r\n",
            "comment": "",
        },
        follow=True,
    )

    # then the decision follows: approved with conditions, each condition a checkpoint without owner
    item.refresh_from_db()
    use_case = item.review.use_case
    use_case.refresh_from_db()
    assert item.opinion == "favourable_with_conditions"
    assert use_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS
    conditions = Checkpoint.objects.filter(use_case=use_case, origin=Checkpoint.Origin.CONDITION)
    assert sorted(c.condition.text for c in conditions) == [
        "Condition posée par le DPO.",
        "Former les agents instructeurs.",
        "Revoir les résultats dans six mois.",
    ]
    assert all(c.owner_id is None for c in conditions)
    text = page_text(response)
    assert 'data-committee-opinion="favourable_with_conditions"' in text
    assert "Revoir les résultats dans six mois." in text
    assert f'id="item-{item.pk}-opinion"' not in text


def test_a_postponed_case_waits_for_another_session(users, client_for, committee, item):
    response = client_for(committee["chair"].user).post(
        url("committee_opinion", item), {"opinion": "postponed", "comment": "Dossier incomplet."}
    )

    assert response.status_code == 302
    item.review.refresh_from_db()
    assert item.review.status == ReviewStatus.COMMITTEE
    assert item.review.use_case.reference in page_text(client_for(users["dpo"]).get(reverse("registry:committee")))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"opinion": "favourable_with_conditions", "comment": "Sous réserve."},
            "conditions",
            "A favourable opinion with conditions needs at least one condition.",
        ),
        ({"opinion": "unfavourable", "conditions": ""}, "comment", "Give the committee's reasons."),
        (
            {"opinion": "favourable", "conditions": "Une condition."},
            "conditions",
            "Conditions go with a favourable opinion with conditions.",
        ),
        ({"opinion": "", "comment": "Hésitation."}, "opinion", "Choose the committee's opinion."),
    ],
)
def test_an_incomplete_committee_opinion_keeps_what_was_typed(data, field, message, client_for, committee, item):
    response = client_for(committee["chair"].user).post(url("committee_opinion", item), data)

    assert response.status_code == 400
    text = page_text(response)
    assert fr(message) in text
    assert f'id="item{item.pk}-opinion-{field}_error"' in text
    for value in data.values():
        if value and value not in ("favourable", "unfavourable", "favourable_with_conditions"):
            assert value in text
    item.refresh_from_db()
    assert item.opinion == ""


@pytest.mark.parametrize("role", ("external", "ccas_member", "dpo", "admin", "rssi", "dgs", "agent", "chef"))
def test_only_the_chair_records_the_committee_opinion(role, person, client_for, item):
    client = client_for(person(role))
    page = client.get(session_url(item.session))
    if page.status_code == 200:
        assert url("committee_opinion", item) not in page_text(page)

    response = client.post(url("committee_opinion", item), {"opinion": "favourable"})

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.opinion == ""


def test_an_opinion_recorded_twice_says_so(client_for, committee, item):
    client = client_for(committee["chair"].user)
    client.post(url("committee_opinion", item), {"opinion": "favourable"})

    response = client.post(url("committee_opinion", item), {"opinion": "unfavourable", "comment": "Non."}, follow=True)

    assert fr("The committee's opinion on this case is already recorded.") in page_text(response)
    item.refresh_from_db()
    assert item.opinion == "favourable"


def test_nothing_more_is_done_on_a_closed_session(collectivite, services, users, client_for, committee, item):
    # given a waiting case, and the session closed meanwhile (a stale page)
    review = committee_case(collectivite, services["logement"], users["chef"], users, name="Autre cas")
    registry_services.session_close(session=item.session, acting_user=users["dpo"])

    # when the DPO puts a case on its agenda and a member gives an opinion
    added = client_for(users["dpo"]).post(url("committee_agenda_add", item.session), {"review": review.pk}, follow=True)
    voted = client_for(committee["external"].user).post(
        url("committee_vote", item), {"choice": "favourable"}, follow=True
    )

    # then both are told why, and nothing is recorded
    assert fr("This session is closed: put the case on a planned session.") in page_text(added)
    assert fr("The committee's opinion on this case is recorded or the session is closed.") in page_text(voted)
    assert not AgendaItem.objects.filter(review=review).exists()
    assert not Vote.objects.exists()
