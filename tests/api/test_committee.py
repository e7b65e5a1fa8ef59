"""The ethics committee through the API: sessions and their agendas, members' votes and conflicts of interest,
the chair's opinion and the decision it brings, closing a session, and the members."""

import datetime

import pytest
from django.utils import timezone

from core.roles import Role
from registry.models import AgendaItem, CommitteeMember, CommitteeSession, Vote
from registry.services import committee_opinion_record, session_close, vote_cast
from tests.registry.factories import MembershipFactory, UseCaseFactory, UserFactory
from tests.registry.reviews_support import both_opinions, session, submit, to_agenda

SESSIONS_URL = "/api/v1/committee-sessions/"
MEMBERS_URL = "/api/v1/committee-members/"

# The committee's work is seen by its members and by the roles that see the whole register.
VIEWERS = ["dpo", "rssi", "dgs", "admin", "chair", "external", "ccas_member"]
NOT_VIEWERS = ["agent", "chef", "porteur"]
MANAGERS = ["dpo", "admin", "chair"]
VIEWERS_NOT_MANAGERS = ["rssi", "dgs", "external", "ccas_member"]


def session_url(committee_session, action=""):
    return f"{SESSIONS_URL}{committee_session.pk}/" + (f"{action}/" if action else "")


def item_url(item, action=""):
    return f"{SESSIONS_URL}{item.session_id}/agenda/{item.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def people(users, use_case, outsider, committee):
    return {
        **users,
        "porteur": use_case.owner,
        "outsider": outsider,
        "chair": committee["chair"].user,
        "external": committee["external"].user,
        "ccas_member": committee["ccas"].user,
    }


@pytest.fixture
def awaiting(use_case, users):
    """The CCAS case, both opinions given, the DPO asking for the committee's opinion."""
    review = submit(use_case)
    return both_opinions(review, users, ask_committee=True)


@pytest.fixture
def planned(collectivite, users, committee):
    """The session the committee sits at: dated an hour ago, opened with every member present."""
    return session(collectivite, users)


@pytest.fixture
def item(awaiting, users, planned):
    return to_agenda(awaiting, users, planned)


class TestSessionsReading:
    @pytest.mark.parametrize("who", VIEWERS)
    def test_the_committee_side_lists_and_reads_the_sessions(self, item, people, api_for, who):
        client = api_for(people[who])
        listing = client.get(SESSIONS_URL)
        assert listing.status_code == 200
        [row] = listing.json()["results"]
        assert (row["id"], row["status"], row["item_count"]) == (item.session_id, "open", 1)
        detail = client.get(session_url(item.session)).json()
        [agenda] = detail["items"]
        assert agenda["review"]["id"] == item.review_id
        assert agenda["review"]["use_case"]["reference"] == item.review.use_case.reference
        assert agenda["votes"] == []
        assert agenda["opinion"] is None

    @pytest.mark.parametrize("who", NOT_VIEWERS)
    def test_others_get_403_on_the_list_and_404_on_a_session(self, item, people, api_for, who):
        client = api_for(people[who])
        assert client.get(SESSIONS_URL).status_code == 403
        assert client.get(session_url(item.session)).status_code == 404

    def test_another_collectivites_dpo_sees_none_of_our_sessions(self, item, outsider, api_for):
        client = api_for(outsider)
        assert client.get(SESSIONS_URL).json()["count"] == 0
        assert client.get(session_url(item.session)).status_code == 404
        assert client.post(session_url(item.session, "close"), {}, format="json").status_code == 404
        assert client.post(item_url(item, "votes"), {"choice": "favourable"}, format="json").status_code == 404

    def test_the_list_costs_the_same_for_3_or_30_sessions(
        self, collectivite, item, users, api_for, django_assert_max_num_queries
    ):
        client = api_for(users["dpo"])
        client.get(SESSIONS_URL)
        for _ in range(2):
            session(collectivite, users)
        with django_assert_max_num_queries(5):
            assert client.get(SESSIONS_URL).json()["count"] == 3
        for _ in range(27):
            session(collectivite, users)
        with django_assert_max_num_queries(5):
            assert client.get(SESSIONS_URL).json()["count"] == 30

    def test_a_session_costs_the_same_for_1_or_5_cases(
        self, collectivite, services, item, users, committee, api_for, django_assert_max_num_queries
    ):
        client = api_for(users["dpo"])
        client.get(session_url(item.session))
        # 10: the session's roster is two more queries (its attendance, and its members' services: who presides over
        # each case); its chair and secretary come with the session.
        with django_assert_max_num_queries(10):
            assert len(client.get(session_url(item.session)).json()["items"]) == 1
        for _ in range(4):
            case = UseCaseFactory(collectivite=collectivite, service=services["communication"])
            added = to_agenda(both_opinions(submit(case), users, ask_committee=True), users, item.session)
            vote_cast(item=added, acting_user=committee["ccas"].user, choice="abstain")
        with django_assert_max_num_queries(10):
            assert len(client.get(session_url(item.session)).json()["items"]) == 5


class TestSessionsCreate:
    @pytest.mark.parametrize("who", MANAGERS)
    def test_the_dpo_an_administrator_or_the_chair_plan_a_session(self, people, api_for, who, collectivite):
        held_on = (timezone.now() + datetime.timedelta(days=10)).isoformat()
        payload = {"held_on": held_on, "place": "Salle du conseil", "notes": "Ordre du jour à compléter."}
        response = api_for(people[who]).post(SESSIONS_URL, payload, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["status"], body["place"], body["items"], body["item_count"]) == (
            "planned",
            "Salle du conseil",
            [],
            0,
        )
        assert CommitteeSession.objects.get(pk=body["id"]).collectivite == collectivite

    @pytest.mark.parametrize("who", [*VIEWERS_NOT_MANAGERS, *NOT_VIEWERS])
    def test_others_get_403(self, people, api_for, who):
        payload = {"held_on": timezone.now().isoformat()}
        assert api_for(people[who]).post(SESSIONS_URL, payload, format="json").status_code == 403
        assert not CommitteeSession.objects.exists()

    @pytest.mark.parametrize(
        "payload", [{}, {"held_on": "mardi prochain"}, {"held_on": "2026-05-01T18:00", "place": "x" * 201}]
    )
    def test_bad_input_is_a_400_naming_the_field(self, users, api_for, payload):
        response = api_for(users["dpo"]).post(SESSIONS_URL, payload, format="json")
        assert response.status_code == 400
        assert set(response.json()["errors"]) <= {"held_on", "place"}
        assert response.json()["errors"]


class TestAgenda:
    @pytest.mark.parametrize("who", MANAGERS)
    def test_a_manager_puts_a_case_on_the_agenda_and_the_members_may_then_read_it(
        self, awaiting, planned, people, api_for, who
    ):
        external = api_for(people["external"])
        use_case_url = f"/api/v1/use-cases/{awaiting.use_case_id}/"
        assert external.get(use_case_url).status_code == 404
        response = api_for(people[who]).post(session_url(planned, "agenda"), {"review": awaiting.pk}, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["review"]["id"] == awaiting.pk
        assert response.json()["position"] == 1
        assert external.get(use_case_url).status_code == 200

    @pytest.mark.parametrize("who", VIEWERS_NOT_MANAGERS)
    def test_others_of_the_committee_side_get_403(self, awaiting, planned, people, api_for, who):
        response = api_for(people[who]).post(session_url(planned, "agenda"), {"review": awaiting.pk}, format="json")
        assert response.status_code == 403
        assert not AgendaItem.objects.exists()

    @pytest.mark.parametrize("who", NOT_VIEWERS)
    def test_who_cannot_see_the_session_gets_404(self, awaiting, planned, people, api_for, who):
        response = api_for(people[who]).post(session_url(planned, "agenda"), {"review": awaiting.pk}, format="json")
        assert response.status_code == 404

    def test_a_case_not_waiting_for_the_committee_is_a_409(self, use_case, planned, users, api_for):
        review = submit(use_case)
        response = api_for(users["dpo"]).post(session_url(planned, "agenda"), {"review": review.pk}, format="json")
        assert response.status_code == 409

    def test_a_case_already_on_a_planned_agenda_is_a_409(self, item, collectivite, users, api_for):
        other = session(collectivite, users)
        response = api_for(users["dpo"]).post(session_url(other, "agenda"), {"review": item.review_id}, format="json")
        assert response.status_code == 409

    def test_a_closed_session_takes_no_more_cases_409(self, awaiting, planned, users, api_for):
        session_close(session=planned, acting_user=users["dpo"])
        response = api_for(users["dpo"]).post(session_url(planned, "agenda"), {"review": awaiting.pk}, format="json")
        assert response.status_code == 409

    @pytest.mark.parametrize("review", [None, "abc", 999_999, "elsewhere"])
    def test_an_unknown_or_foreign_review_is_a_400(self, planned, users, api_for, other_collectivite, outsider, review):
        if review == "elsewhere":
            review = submit(UseCaseFactory(collectivite=other_collectivite, owner=outsider), outsider).pk
        payload = {} if review is None else {"review": review}
        response = api_for(users["dpo"]).post(session_url(planned, "agenda"), payload, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["review"]

    @pytest.mark.parametrize("who", MANAGERS)
    def test_a_manager_takes_a_case_off_the_agenda(self, item, people, api_for, who):
        response = api_for(people[who]).delete(item_url(item))
        assert response.status_code == 204
        assert not AgendaItem.objects.exists()
        assert api_for(people["external"]).get(f"/api/v1/use-cases/{item.review.use_case_id}/").status_code == 404

    @pytest.mark.parametrize("who", VIEWERS_NOT_MANAGERS)
    def test_others_may_not_take_it_off_403(self, item, people, api_for, who):
        assert api_for(people[who]).delete(item_url(item)).status_code == 403
        assert AgendaItem.objects.filter(pk=item.pk).exists()

    def test_a_case_members_voted_on_stays_409(self, item, committee, users, api_for):
        vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")
        assert api_for(users["dpo"]).delete(item_url(item)).status_code == 409

    def test_an_item_of_another_session_is_404(self, item, collectivite, users, api_for):
        other = session(collectivite, users)
        response = api_for(users["dpo"]).delete(f"{SESSIONS_URL}{other.pk}/agenda/{item.pk}/")
        assert response.status_code == 404
        assert AgendaItem.objects.filter(pk=item.pk).exists()


class TestVotes:
    @pytest.mark.parametrize(("who", "choice"), [("external", "favourable"), ("chair", "abstain")])
    def test_a_member_gives_their_opinion(self, item, people, committee, api_for, who, choice):
        response = api_for(people[who]).post(
            item_url(item, "votes"), {"choice": choice, "comment": "Vu."}, format="json"
        )
        assert response.status_code == 201, response.json()
        [vote] = response.json()["votes"]
        assert (vote["choice"], vote["conflict_of_interest"], vote["comment"]) == (choice, False, "Vu.")
        assert vote["member"] == CommitteeMember.objects.get(user=people[who]).pk

    def test_a_member_with_a_conflict_of_interest_may_not_vote_403(self, item, people, api_for):
        # The CCAS member belongs to the service of this CCAS case
        response = api_for(people["ccas_member"]).post(item_url(item, "votes"), {"choice": "favourable"}, format="json")
        assert response.status_code == 403
        assert response.json()["message"]
        assert not Vote.objects.exists()

    @pytest.mark.parametrize("who", ["dpo", "rssi", "dgs", "admin"])
    def test_who_holds_no_seat_may_not_vote_403(self, item, people, api_for, who):
        response = api_for(people[who]).post(item_url(item, "votes"), {"choice": "favourable"}, format="json")
        assert response.status_code == 403

    @pytest.mark.parametrize("who", NOT_VIEWERS)
    def test_who_cannot_see_the_session_gets_404(self, item, people, api_for, who):
        response = api_for(people[who]).post(item_url(item, "votes"), {"choice": "favourable"}, format="json")
        assert response.status_code == 404

    def test_a_second_vote_is_a_409(self, item, people, api_for):
        client = api_for(people["external"])
        assert client.post(item_url(item, "votes"), {"choice": "favourable"}, format="json").status_code == 201
        response = client.post(item_url(item, "votes"), {"choice": "abstain"}, format="json")
        assert response.status_code == 409
        assert Vote.objects.get().choice == "favourable"

    def test_a_vote_after_the_committee_opinion_is_a_409(self, item, people, api_for):
        committee_opinion_record(item=item, acting_user=people["chair"], opinion="favourable")
        response = api_for(people["external"]).post(item_url(item, "votes"), {"choice": "favourable"}, format="json")
        assert response.status_code == 409

    def test_a_vote_on_a_closed_session_is_a_409(self, item, people, users, api_for):
        session_close(session=item.session, acting_user=users["dpo"])
        response = api_for(people["external"]).post(item_url(item, "votes"), {"choice": "favourable"}, format="json")
        assert response.status_code == 409

    @pytest.mark.parametrize(
        ("payload", "field"),
        [({}, "choice"), ({"choice": "yes"}, "choice"), ({"choice": "unfavourable"}, "comment")],
    )
    def test_bad_input_is_a_400_naming_the_field(self, item, people, api_for, payload, field):
        response = api_for(people["external"]).post(item_url(item, "votes"), payload, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]


class TestConflicts:
    def test_a_member_declares_a_conflict_of_interest(self, item, people, api_for):
        response = api_for(people["ccas_member"]).post(
            item_url(item, "conflict"), {"comment": "Je travaille au CCAS."}, format="json"
        )
        assert response.status_code == 201, response.json()
        [vote] = response.json()["votes"]
        assert (vote["choice"], vote["conflict_of_interest"]) == (None, True)

    def test_after_declaring_a_conflict_one_cannot_vote_409(self, item, people, api_for):
        client = api_for(people["external"])
        assert client.post(item_url(item, "conflict"), {}, format="json").status_code == 201
        assert client.post(item_url(item, "votes"), {"choice": "favourable"}, format="json").status_code == 409
        assert client.post(item_url(item, "conflict"), {}, format="json").status_code == 409

    @pytest.mark.parametrize("who", ["dpo", "rssi", "dgs", "admin"])
    def test_who_holds_no_seat_gets_403(self, item, people, api_for, who):
        assert api_for(people[who]).post(item_url(item, "conflict"), {}, format="json").status_code == 403

    @pytest.mark.parametrize("who", NOT_VIEWERS)
    def test_who_cannot_see_the_session_gets_404(self, item, people, api_for, who):
        assert api_for(people[who]).post(item_url(item, "conflict"), {}, format="json").status_code == 404

    def test_a_too_long_comment_is_a_400(self, item, people, api_for):
        response = api_for(people["external"]).post(item_url(item, "conflict"), {"comment": "x" * 5001}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["comment"]


class TestCommitteeOpinion:
    def test_the_chair_records_a_favourable_opinion_with_conditions_which_become_checkpoints(
        self, item, people, api_for
    ):
        payload = {
            "opinion": "favourable_with_conditions",
            "comment": "Sous réserve.",
            "conditions": ["Information du public.", "Bilan à six mois."],
        }
        response = api_for(people["chair"]).post(item_url(item, "opinion"), payload, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["opinion"], body["decided_by"]["id"]) == ("favourable_with_conditions", people["chair"].pk)
        assert (body["review"]["status"], body["review"]["decision"]) == ("decided", "approved_with_conditions")
        assert body["review"]["use_case"]["status"] == "approved_with_conditions"
        checkpoints = item.review.use_case.checkpoints.filter(origin="condition")
        assert sorted(c.condition.text for c in checkpoints) == sorted(payload["conditions"])

    def test_a_postponed_case_keeps_waiting_for_the_committee(self, item, people, api_for):
        payload = {"opinion": "postponed", "comment": "Dossier incomplet."}
        body = api_for(people["chair"]).post(item_url(item, "opinion"), payload, format="json").json()
        assert body["opinion"] == "postponed"
        assert body["review"]["status"] == "committee"

    @pytest.mark.parametrize("who", ["external", "ccas_member", "dpo", "rssi", "dgs", "admin"])
    def test_only_the_chair_records_it_403(self, item, people, api_for, who):
        response = api_for(people[who]).post(item_url(item, "opinion"), {"opinion": "favourable"}, format="json")
        assert response.status_code == 403
        item.refresh_from_db()
        assert item.opinion == ""

    @pytest.mark.parametrize("who", NOT_VIEWERS)
    def test_who_cannot_see_the_session_gets_404(self, item, people, api_for, who):
        response = api_for(people[who]).post(item_url(item, "opinion"), {"opinion": "favourable"}, format="json")
        assert response.status_code == 404

    def test_a_second_opinion_is_a_409(self, item, people, api_for):
        client = api_for(people["chair"])
        assert client.post(item_url(item, "opinion"), {"opinion": "favourable"}, format="json").status_code == 200
        response = client.post(item_url(item, "opinion"), {"opinion": "unfavourable", "comment": "Non."}, format="json")
        assert response.status_code == 409

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({}, "opinion"),
            ({"opinion": "approved"}, "opinion"),
            ({"opinion": "favourable_with_conditions"}, "conditions"),
            ({"opinion": "favourable", "conditions": ["Une condition."]}, "conditions"),
            ({"opinion": "unfavourable"}, "comment"),
            ({"opinion": "postponed"}, "comment"),
            ({"opinion": "favourable_with_conditions", "conditions": ["x" * 501]}, "conditions.0"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, item, people, api_for, payload, field):
        response = api_for(people["chair"]).post(item_url(item, "opinion"), payload, format="json")
        assert response.status_code == 400, response.json()
        assert list(response.json()["errors"]) == [field]


class TestClose:
    @pytest.mark.parametrize("who", MANAGERS)
    def test_closing_postpones_the_cases_without_an_opinion(self, item, people, api_for, who):
        response = api_for(people[who]).post(session_url(item.session, "close"), {}, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["status"] == "closed"
        assert body["closed_at"]
        assert body["items"][0]["opinion"] == "postponed"
        assert body["items"][0]["review"]["status"] == "committee"

    @pytest.mark.parametrize("who", VIEWERS_NOT_MANAGERS)
    def test_others_of_the_committee_side_get_403(self, item, people, api_for, who):
        assert api_for(people[who]).post(session_url(item.session, "close"), {}, format="json").status_code == 403
        item.session.refresh_from_db()
        assert item.session.status == "open"  # not closed: still in session

    @pytest.mark.parametrize("who", NOT_VIEWERS)
    def test_who_cannot_see_the_session_gets_404(self, item, people, api_for, who):
        assert api_for(people[who]).post(session_url(item.session, "close"), {}, format="json").status_code == 404

    def test_a_closed_session_cannot_be_closed_again_409(self, item, users, api_for):
        client = api_for(users["dpo"])
        assert client.post(session_url(item.session, "close"), {}, format="json").status_code == 200
        assert client.post(session_url(item.session, "close"), {}, format="json").status_code == 409


class TestMembers:
    @pytest.mark.parametrize("who", VIEWERS)
    def test_the_committee_side_lists_the_members_chair_first(self, people, committee, api_for, who):
        response = api_for(people[who]).get(MEMBERS_URL)
        assert response.status_code == 200
        rows = response.json()["results"]
        assert rows[0]["id"] == committee["chair"].pk
        assert rows[0]["is_chair"] is True
        assert {row["id"] for row in rows} == {member.pk for member in committee.values()}

    @pytest.mark.parametrize("who", NOT_VIEWERS)
    def test_others_get_403_on_the_list_and_404_on_a_member(self, people, committee, api_for, who):
        client = api_for(people[who])
        assert client.get(MEMBERS_URL).status_code == 403
        assert client.get(f"{MEMBERS_URL}{committee['external'].pk}/").status_code == 404

    def test_former_members_are_listed_on_request(self, committee, users, api_for):
        CommitteeMember.objects.filter(pk=committee["external"].pk).update(active=False)
        client = api_for(users["dpo"])
        assert committee["external"].pk not in {row["id"] for row in client.get(MEMBERS_URL).json()["results"]}
        rows = client.get(MEMBERS_URL, {"include_former": "true"}).json()["results"]
        assert committee["external"].pk in {row["id"] for row in rows}

    @pytest.mark.parametrize("who", MANAGERS)
    def test_a_manager_seats_a_person_of_the_collectivite(self, people, collectivite, committee, api_for, who):
        from tests.conftest import _member

        newcomer = _member(collectivite, "elue", Role.AGENT)
        payload = {"user": newcomer.pk, "affiliation": "Élue au numérique"}
        response = api_for(people[who]).post(MEMBERS_URL, payload, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["user"]["id"], body["affiliation"], body["is_chair"], body["active"]) == (
            newcomer.pk,
            "Élue au numérique",
            False,
            True,
        )
        assert newcomer.memberships.filter(role=Role.ETHICS_COMMITTEE).exists()

    def test_seating_a_new_chair_replaces_the_previous_one(self, collectivite, committee, users, api_for):
        response = api_for(users["dpo"]).post(MEMBERS_URL, {"user": users["rssi"].pk, "is_chair": True}, format="json")
        assert response.status_code == 201
        assert CommitteeMember.objects.get(is_chair=True, active=True).user == users["rssi"]

    @pytest.mark.parametrize("who", VIEWERS_NOT_MANAGERS)
    def test_others_of_the_committee_side_may_not_seat_anyone_403(self, people, users, committee, api_for, who):
        response = api_for(people[who]).post(MEMBERS_URL, {"user": users["agent"].pk}, format="json")
        assert response.status_code == 403
        assert not CommitteeMember.objects.filter(user=users["agent"]).exists()

    def test_a_sitting_member_is_a_409(self, committee, users, api_for):
        response = api_for(users["dpo"]).post(MEMBERS_URL, {"user": committee["external"].user.pk}, format="json")
        assert response.status_code == 409

    @pytest.mark.parametrize("user", [None, "abc", 999_999, "outsider", "no_role"])
    def test_a_person_outside_the_collectivite_is_a_400(self, users, outsider, committee, api_for, user):
        user = {"outsider": outsider.pk, "no_role": UserFactory(username="sans-role").pk}.get(user, user)
        payload = {} if user is None else {"user": user}
        response = api_for(users["dpo"]).post(MEMBERS_URL, payload, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["user"]

    @pytest.mark.parametrize("who", MANAGERS)
    def test_a_manager_changes_a_seat_and_ends_a_mandate(self, people, committee, api_for, who):
        member = committee["external"]
        client = api_for(people[who])
        response = client.patch(f"{MEMBERS_URL}{member.pk}/", {"affiliation": "Chercheuse"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["affiliation"] == "Chercheuse"
        assert response.json()["external"] is True
        response = client.patch(f"{MEMBERS_URL}{member.pk}/", {"active": False}, format="json")
        assert response.json()["active"] is False

    @pytest.mark.parametrize("who", VIEWERS_NOT_MANAGERS)
    def test_others_may_not_change_a_seat_403(self, people, committee, api_for, who):
        member = committee["ccas"]
        response = api_for(people[who]).patch(f"{MEMBERS_URL}{member.pk}/", {"is_chair": True}, format="json")
        assert response.status_code == 403
        member.refresh_from_db()
        assert member.is_chair is False

    def test_another_collectivites_member_is_404(self, other_collectivite, outsider, committee, users, api_for):
        theirs = CommitteeMember.objects.create(collectivite=other_collectivite, user=outsider, is_chair=True)
        client = api_for(users["dpo"])
        assert client.get(f"{MEMBERS_URL}{theirs.pk}/").status_code == 404
        assert client.patch(f"{MEMBERS_URL}{theirs.pk}/", {"affiliation": "x"}, format="json").status_code == 404

    def test_a_bad_value_is_a_400(self, committee, users, api_for):
        url = f"{MEMBERS_URL}{committee['external'].pk}/"
        response = api_for(users["dpo"]).patch(url, {"active": "peut-être"}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["active"]

    def test_there_is_no_deletion_a_mandate_ends(self, committee, users, api_for):
        assert api_for(users["dpo"]).delete(f"{MEMBERS_URL}{committee['external'].pk}/").status_code == 405

    def test_the_list_costs_the_same_for_3_or_30_members(
        self, collectivite, committee, users, api_for, django_assert_max_num_queries
    ):
        client = api_for(users["dpo"])
        with django_assert_max_num_queries(5):
            assert client.get(MEMBERS_URL).json()["count"] == 3
        for index in range(27):
            person = UserFactory(username=f"membre{index}")
            MembershipFactory(user=person, collectivite=collectivite, role=Role.ETHICS_COMMITTEE)
            CommitteeMember.objects.create(collectivite=collectivite, user=person)
        with django_assert_max_num_queries(5):
            assert client.get(MEMBERS_URL).json()["count"] == 30


def test_a_full_committee_journey_through_the_api(awaiting, planned, people, users, api_for):
    """The DPO schedules the case, the external member votes, the CCAS member declares a conflict, the chair
    records the opinion and the case is approved."""
    dpo, chair = api_for(users["dpo"]), api_for(people["chair"])
    item = dpo.post(session_url(planned, "agenda"), {"review": awaiting.pk}, format="json").json()
    base = f"{SESSIONS_URL}{planned.pk}/agenda/{item['id']}/"
    assert api_for(people["external"]).post(f"{base}votes/", {"choice": "favourable"}, format="json").status_code == 201
    assert api_for(people["ccas_member"]).post(f"{base}conflict/", {}, format="json").status_code == 201
    assert chair.post(f"{base}votes/", {"choice": "favourable"}, format="json").status_code == 201
    decided = chair.post(f"{base}opinion/", {"opinion": "favourable"}, format="json").json()
    assert decided["review"]["decision"] == "approved"
    assert [v["conflict_of_interest"] for v in decided["votes"]] == [False, True, False]
    assert dpo.post(session_url(planned, "close"), {}, format="json").json()["items"][0]["opinion"] == "favourable"
    review = api_for(awaiting.use_case.owner).get(f"/api/v1/reviews/{awaiting.pk}/").json()
    assert (review["status"], review["use_case"]["status"]) == ("decided", "approved")
    assert review["agenda_items"][0]["votes"] is None
