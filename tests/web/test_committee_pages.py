"""The ethics committee's page: who sees it, its members (chair first, external members with their quality),
planned and past sessions, the cases awaiting it; the management of its members; the creation of a session."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from registry.choices import SessionStatus
from registry.models import CommitteeMember, CommitteeSession, Membership
from tests.registry import reviews_support as rs
from tests.registry.factories import UseCaseFactory

from .helpers import fr

pytestmark = pytest.mark.django_db

COMMITTEE_URL = reverse("registry:committee")
ADD_URL = reverse("registry:committee_member_add")
SESSION_CREATE_URL = reverse("registry:committee_session_create")

# Who is who: the committee fixture seats `comite` (chair), `externe` (external) and `membre_ccas`.
VIEWERS = ("chair", "external", "ccas_member", "dpo", "rssi", "dgs", "admin")
NOT_VIEWERS = ("agent", "chef")
MANAGERS = ("chair", "dpo", "admin")
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


@pytest.fixture
def awaiting(collectivite, services, users, committee):
    """A CCAS use case with health data (the committee is required), both opinions given: awaiting a session."""
    use_case = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["agent"],
        personal_data_categories=["health"],
        name="Analyse des demandes d'aide",
    )
    review = rs.both_opinions(rs.submit(use_case), users)
    assert review.status == "committee"
    return review


def update_url(seat) -> str:
    return reverse("registry:committee_member_update", args=[seat.pk])


def end_url(seat) -> str:
    return reverse("registry:committee_member_end", args=[seat.pk])


# Who sees the committee ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_committee_page_is_for_its_members_and_those_who_see_the_whole_register(
    role, person, client_for, committee, awaiting
):
    # given the committee and a case awaiting it
    reference = awaiting.use_case.reference

    # when each role opens the committee's page
    response = client_for(person(role)).get(COMMITTEE_URL)
    text = page_text(response)

    # then members and the roles that see everything get in, with the menu entry; others are refused
    if role in NOT_VIEWERS:
        assert response.status_code == 403
        assert reference not in text
        return
    assert response.status_code == 200
    if role == "outsider":
        # the DPO next door sees their own (empty) committee, nothing of ours
        assert "data-member=" not in text and reference not in text
        assert "data-no-members" in text
        return
    assert f'href="{COMMITTEE_URL}"' in text
    assert str(committee["external"]) in text
    # members see only the cases on their sessions' agendas: the queue is for those who see the whole register
    assert (reference in text) == (role in ("chair", "dpo", "rssi", "dgs", "admin"))


@pytest.mark.parametrize("role", ("agent", "chef"))
def test_the_menu_has_no_committee_entry_for_those_who_may_not_see_it(role, person, client_for, committee):
    response = client_for(person(role)).get(reverse("registry:use_case_list"))
    assert response.status_code == 200
    assert f'href="{COMMITTEE_URL}"' not in page_text(response)


def test_a_committee_role_without_a_seat_does_not_see_the_committee(collectivite, users, client_for, committee):
    # given the chair's mandate ended (the role stays, the seat is gone)
    CommitteeMember.objects.filter(pk=committee["chair"].pk).update(active=False, is_chair=False)

    # when they open the page, then they are refused
    assert client_for(users["comite"]).get(COMMITTEE_URL).status_code == 403


def test_members_are_listed_chair_first_with_external_members_and_their_quality(client_for, users, committee):
    response = client_for(users["rssi"]).get(COMMITTEE_URL)
    text = page_text(response)

    members = re.findall(r'data-member="([^"]+)"', text)
    assert members[0] == "comite"
    assert set(members) == {"comite", "externe", "membre_ccas"}
    row = re.search(rf'<tr id="member-{committee["external"].pk}".*?</tr>', text, re.S).group(0)
    assert "data-external" in row and "Chercheuse, université de Tours" in row
    assert "data-chair" in re.search(rf'<tr id="member-{committee["chair"].pk}"[^>]*>', text).group(0)


def test_sessions_are_split_between_planned_and_past(collectivite, users, client_for, committee, awaiting):
    # given a planned session with one case, and a closed one
    planned = rs.session(collectivite, users, held=False, place="Salle A")
    rs.to_agenda(awaiting, users, planned)
    past = rs.session(collectivite, users, held_on=timezone.now() - datetime.timedelta(days=30))
    CommitteeSession.objects.filter(pk=past.pk).update(status=SessionStatus.CLOSED)

    # when a member opens the committee's page
    text = page_text(client_for(committee["external"].user).get(COMMITTEE_URL))

    # then each session is in its list, with a link to its page
    planned_list = re.search(r'data-sessions="planned".*?</ul>', text, re.S).group(0)
    past_list = re.search(r'data-sessions="past".*?</ul>', text, re.S).group(0)
    assert f'data-session="{planned.pk}"' in planned_list and "Salle A" in planned_list
    assert f'data-session="{past.pk}"' in past_list
    assert reverse("registry:committee_session", args=[planned.pk]) in planned_list


def test_the_committee_page_costs_a_fixed_number_of_queries(
    collectivite, services, users, client_for, committee, awaiting, django_assert_max_num_queries
):
    client = client_for(users["dpo"])
    with django_assert_max_num_queries(15) as few:
        assert client.get(COMMITTEE_URL).status_code == 200
    # given more sessions, members and waiting cases
    for day in range(1, 4):
        rs.session(collectivite, users, held=False, held_on=timezone.now() + datetime.timedelta(days=day))
    for index in range(3):
        use_case = UseCaseFactory(
            collectivite=collectivite,
            service=services["logement"],
            owner=users["chef"],
            personal_data_categories=["health"],
            name=f"Cas {index}",
        )
        rs.both_opinions(rs.submit(use_case), users)
    # then the page costs the same
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(COMMITTEE_URL)
    assert response.status_code == 200


# Members management ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", VIEWERS)
def test_only_the_dpo_an_administrator_and_the_chair_see_the_management_forms(role, person, client_for, committee):
    text = page_text(client_for(person(role)).get(COMMITTEE_URL))
    managing = role in MANAGERS
    assert (f'action="{ADD_URL}' in text) == managing
    assert (f'action="{update_url(committee["external"])}"' in text) == managing
    assert (f'href="{SESSION_CREATE_URL}"' in text) == managing


@pytest.mark.parametrize("role", MANAGERS)
def test_a_manager_seats_a_person_as_an_external_member(role, person, collectivite, users, client_for, committee):
    # given the RSSI, who does not sit on the committee
    client = client_for(person(role))

    # when a manager seats them, external, with a quality
    response = client.post(
        ADD_URL, {"user": users["rssi"].pk, "external": "on", "affiliation": "  Référente sécurité  "}
    )

    # then the seat exists, with the committee role so they may sign in and vote
    assert response.status_code == 302
    seat = CommitteeMember.objects.get(collectivite=collectivite, user=users["rssi"])
    assert (seat.active, seat.external, seat.is_chair, seat.affiliation) == (True, True, False, "Référente sécurité")
    assert Membership.objects.filter(user=users["rssi"], role=Role.ETHICS_COMMITTEE).exists()
    assert users["rssi"].username in page_text(client.get(COMMITTEE_URL))


def test_seating_a_new_chair_replaces_the_chair(users, client_for, committee):
    response = client_for(users["dpo"]).post(ADD_URL, {"user": users["dgs"].pk, "is_chair": "on"})

    assert response.status_code == 302
    assert CommitteeMember.objects.get(user=users["dgs"]).is_chair
    committee["chair"].refresh_from_db()
    assert not committee["chair"].is_chair


def test_seating_errors_keep_what_was_typed(users, client_for, committee):
    # when the DPO forgets the person, then chooses someone who already sits
    client = client_for(users["dpo"])
    missing = client.post(ADD_URL, {"affiliation": "Élue au numérique", "external": "on"})
    seated = client.post(ADD_URL, {"user": committee["external"].user.pk, "affiliation": "Doublon"})

    # then nothing is saved, the errors are next to the field, and the answers are kept
    assert missing.status_code == seated.status_code == 400
    text = page_text(missing)
    assert fr("Choose the person to seat on the committee.") in text
    assert 'value="Élue au numérique"' in text
    assert re.search(r'id="add-external"[^>]*checked|checked[^>]*id="add-external"', text)
    assert fr("Choose a person of the collectivité who does not sit on the committee yet.") in page_text(seated)
    assert CommitteeMember.objects.count() == 3


@pytest.mark.parametrize("role", ("external", "ccas_member", "rssi", "dgs", "agent", "chef"))
def test_others_may_not_manage_the_members(role, person, users, client_for, committee):
    client = client_for(person(role))
    external = committee["external"]

    responses = [
        client.post(ADD_URL, {"user": users["dgs"].pk}),
        client.post(update_url(external), {"affiliation": "Changée", "is_chair": "on"}),
        client.post(end_url(external)),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    external.refresh_from_db()
    assert (external.active, external.is_chair, external.affiliation) == (
        True,
        False,
        "Chercheuse, université de Tours",
    )
    assert not CommitteeMember.objects.filter(user=users["dgs"]).exists()


def test_a_dpo_of_another_collectivite_cannot_touch_our_members(outsider, users, client_for, committee):
    client = client_for(outsider)
    external = committee["external"]

    assert client.post(update_url(external), {"affiliation": "x"}).status_code == 404
    assert client.post(end_url(external)).status_code == 404
    # our people are not in their list: the choice is refused
    assert client.post(ADD_URL, {"user": users["dgs"].pk}).status_code == 400
    assert not CommitteeMember.objects.filter(user=users["dgs"]).exists()


@pytest.mark.parametrize("role", MANAGERS)
def test_a_manager_changes_the_chair_and_a_quality(role, person, client_for, committee):
    external = committee["external"]

    response = client_for(person(role)).post(
        update_url(external), {"affiliation": "Professeure, université de Tours", "external": "on", "is_chair": "on"}
    )

    assert response.status_code == 302
    external.refresh_from_db()
    committee["chair"].refresh_from_db()
    assert (external.is_chair, external.external, external.affiliation) == (
        True,
        True,
        "Professeure, université de Tours",
    )
    assert not committee["chair"].is_chair


def test_a_seat_update_error_keeps_what_was_typed(users, client_for, committee):
    external = committee["external"]
    too_long = "Q" * 201

    response = client_for(users["admin"]).post(update_url(external), {"affiliation": too_long, "external": "on"})

    assert response.status_code == 400
    text = page_text(response)
    assert f'value="{too_long}"' in text
    assert f'id="member{external.pk}-affiliation_error"' in text
    external.refresh_from_db()
    assert external.affiliation == "Chercheuse, université de Tours"


def test_ending_a_mandate_removes_the_access_to_the_committee_and_its_cases(
    collectivite, users, client_for, committee, awaiting
):
    # given a case on a session's agenda, which the external member may read
    item = rs.to_agenda(awaiting, users)
    external = committee["external"]
    member_client = client_for(external.user)
    use_case_url = reverse("registry:use_case_detail", args=[awaiting.use_case.pk])
    assert member_client.get(use_case_url).status_code == 200

    # when the DPO ends their mandate
    response = client_for(users["dpo"]).post(end_url(external))

    # then they no longer sit, nor see the committee, its session or the case
    assert response.status_code == 302
    external.refresh_from_db()
    assert not external.active
    member_client = client_for(external.user)
    assert member_client.get(COMMITTEE_URL).status_code == 403
    assert member_client.get(reverse("registry:committee_session", args=[item.session_id])).status_code == 403
    assert member_client.get(use_case_url).status_code == 404
    # and they are listed among the former members, and may be seated again
    text = page_text(client_for(users["dpo"]).get(COMMITTEE_URL))
    assert "data-former-members" in text
    assert client_for(users["dpo"]).post(ADD_URL, {"user": external.user.pk}).status_code == 302
    external.refresh_from_db()
    assert external.active


# Sessions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_plan_a_session(role, person, client_for, committee):
    client = client_for(person(role))
    held_on = (timezone.localtime() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")

    page = client.get(SESSION_CREATE_URL)
    response = client.post(SESSION_CREATE_URL, {"held_on": held_on, "place": "Salle du conseil"})

    if role in MANAGERS or role == "outsider":
        # the DPO next door plans a session of their own committee
        assert page.status_code == 200
        assert response.status_code == 302
        session = CommitteeSession.objects.get()
        assert response["Location"] == reverse("registry:committee_session", args=[session.pk])
        assert session.collectivite == person(role).memberships.first().collectivite
        assert session.place == "Salle du conseil"
        assert timezone.localtime(session.held_on).strftime("%Y-%m-%dT%H:%M") == held_on
    else:
        assert (page.status_code, response.status_code) == (403, 403)
        assert not CommitteeSession.objects.exists()


def test_a_session_without_a_date_is_refused_and_keeps_what_was_typed(users, client_for, committee):
    response = client_for(users["dpo"]).post(
        SESSION_CREATE_URL, {"held_on": "", "place": "Salle B", "notes": "Lire le dossier avant."}
    )

    assert response.status_code == 400
    text = page_text(response)
    assert fr("Give the date and time of the session.") in text
    assert 'value="Salle B"' in text and "Lire le dossier avant." in text
    assert not CommitteeSession.objects.exists()


def test_an_invalid_date_is_refused(users, client_for, committee):
    response = client_for(users["admin"]).post(SESSION_CREATE_URL, {"held_on": "demain"})

    assert response.status_code == 400
    assert fr("Give a valid date and time, for example 31/01/2026 14:30.") in page_text(response)
    assert 'value="demain"' in page_text(response)
