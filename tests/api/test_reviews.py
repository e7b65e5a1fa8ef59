"""Review rounds through the API: who reads them, the DPO's and RSSI's opinions, returning a case for changes,
the filters, "Mes tâches", and the cost of the list."""

import pytest

from core.roles import Role
from registry.models import Review, UseCaseEvent
from registry.services import use_case_update, vote_cast
from tests.registry.factories import MembershipFactory, UseCaseFactory
from tests.registry.reviews_support import both_opinions, opinion, submit, to_agenda

LIST_URL = "/api/v1/reviews/"
TASKS_URL = "/api/v1/tasks/"


def detail_url(review):
    return f"/api/v1/reviews/{review.pk}/"


def opinions_url(review):
    return f"/api/v1/reviews/{review.pk}/opinions/"


def return_url(review):
    return f"/api/v1/reviews/{review.pk}/return/"


# Who sees a submitted CCAS case owned by "porteur": its owner, the head of the direction above the CCAS, and
# the roles that see the whole register. A CCAS agent does not (not live yet), the committee neither (not on
# an agenda), nor the DPO of the next commune.
SEES_IT = ["porteur", "chef", "dpo", "rssi", "dgs", "admin"]
OUT_OF_SIGHT = ["agent", "comite", "outsider"]
# Those who see it but give no opinion.
NOT_REVIEWERS = ["porteur", "chef", "dgs", "admin"]


@pytest.fixture
def people(users, use_case, outsider):
    return {**users, "porteur": use_case.owner, "outsider": outsider}


@pytest.fixture
def review(use_case):
    return submit(use_case)


@pytest.fixture
def dpo_and_rssi(collectivite, services):
    """One person holding both reviewer roles (a small commune)."""
    from tests.conftest import _member

    user = _member(collectivite, "dpo-rssi", Role.DPO)
    MembershipFactory(user=user, collectivite=collectivite, role=Role.RSSI)
    return user


class TestReading:
    @pytest.mark.parametrize("role", SEES_IT)
    def test_who_sees_the_use_case_lists_and_reads_its_round(self, review, people, api_for, role):
        client = api_for(people[role])
        listing = client.get(LIST_URL)
        assert listing.status_code == 200
        assert [row["id"] for row in listing.json()["results"]] == [review.pk]
        body = client.get(detail_url(review)).json()
        assert body["status"] == "opinions"
        assert body["kind"] == "initial"
        assert body["use_case"]["id"] == review.use_case_id
        assert body["awaiting_opinions"] == ["dpo", "rssi"]
        assert body["snapshot"]["fields"]["name"] == review.use_case.name
        assert body["snapshot_version"] == review.use_case.version

    @pytest.mark.parametrize("role", OUT_OF_SIGHT)
    def test_a_round_out_of_sight_is_not_listed_and_answers_404(self, review, people, api_for, role):
        client = api_for(people[role])
        assert client.get(LIST_URL).json()["count"] == 0
        assert client.get(detail_url(review)).status_code == 404
        assert client.post(opinions_url(review), {"verdict": "favourable"}, format="json").status_code == 404
        assert client.post(return_url(review), {"comment": "À compléter."}, format="json").status_code == 404

    def test_another_collectivites_round_is_404_even_for_our_dpo(self, other_collectivite, outsider, users, api_for):
        # Given a round of the next commune
        elsewhere = UseCaseFactory(collectivite=other_collectivite, owner=outsider)
        theirs = submit(elsewhere, outsider)
        # When our DPO reads it or gives an opinion on it
        client = api_for(users["dpo"])
        # Then it does not exist for them
        assert client.get(detail_url(theirs)).status_code == 404
        assert client.post(opinions_url(theirs), {"verdict": "favourable"}, format="json").status_code == 404
        assert theirs.opinions.count() == 0

    def test_the_detail_shows_what_changed_since_the_round_was_opened(self, review, users, api_for):
        # Given a cosmetic change after submission (the round keeps reviewing its snapshot)
        use_case = review.use_case
        use_case.refresh_from_db()
        use_case_update(
            use_case=use_case,
            acting_user=users["dpo"],
            data={"summary": "Un autre résumé."},
            expected_version=use_case.version,
        )
        # When the DPO reads the round
        body = api_for(users["dpo"]).get(detail_url(review)).json()
        # Then the change is listed, as reviewed and as today, and it is not material
        [change] = body["changes"]
        assert change["field"] == "summary"
        assert change["after"] == "Un autre résumé."
        assert change["material"] is False
        assert body["snapshot"]["fields"]["summary"] != "Un autre résumé."

    def test_opinions_conditions_and_their_checkpoints_are_shown(self, review, users, api_for):
        # Given a favourable DPO opinion with conditions and a favourable RSSI opinion: approved with conditions
        opinion(review, users["dpo"], "dpo", "favourable_with_conditions", dpia_status="done", retention="5 ans")
        opinion(review, users["rssi"], "rssi", "favourable", data_classification="C2", vendor_reuse="disabled")
        # When the owner reads the round
        body = api_for(review.use_case.owner).get(detail_url(review)).json()
        # Then the decision, both opinions with their own fields only, and the condition turned checkpoint show
        assert body["status"] == "decided"
        assert body["decision"] == "approved_with_conditions"
        assert body["decided_by"]["id"] == users["rssi"].pk
        assert body["awaiting_opinions"] == []
        dpo, rssi = body["opinions"]
        assert (dpo["role"], dpo["dpia_status"], dpo["retention"], dpo["hosting_assessment"]) == (
            "dpo",
            "done",
            "5 ans",
            None,
        )
        assert dpo["conditions"] == ["Condition posée par le DPO."]
        assert (rssi["role"], rssi["data_classification"], rssi["vendor_reuse"], rssi["legal_basis"]) == (
            "rssi",
            "C2",
            "disabled",
            None,
        )
        [condition] = body["conditions"]
        assert condition["source"] == "dpo"
        assert condition["checkpoints"] == list(
            review.use_case.checkpoints.filter(origin="condition").values_list("pk", flat=True)
        )
        assert len(condition["checkpoints"]) == 1

    def test_members_votes_are_shown_to_the_committee_side_only(self, review, users, committee, api_for):
        # Given a case on a committee agenda, with the external member's vote
        review = both_opinions(review, users, ask_committee=True)
        item = to_agenda(review, users)
        vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")
        # When the DPO, a committee member and the owner read the round
        seen = {
            who: api_for(user).get(detail_url(review)).json()["agenda_items"][0]
            for who, user in [
                ("dpo", users["dpo"]),
                ("external", committee["external"].user),
                ("owner", review.use_case.owner),
            ]
        }
        # Then the DPO and the member see the vote; the owner sees that there is one, not what it is
        for who in ("dpo", "external"):
            assert [vote["choice"] for vote in seen[who]["votes"]] == ["favourable"]
        assert seen["owner"]["votes"] is None
        assert seen["owner"]["vote_count"] == 1
        assert seen["owner"]["session"]["status"] == "open"  # the members vote in session


class TestFilters:
    def test_awaiting_my_opinion_follows_each_reviewers_own_opinion(self, use_case, users, services, api_for):
        # Given two rounds: one the DPO already gave an opinion on, one untouched
        first = submit(use_case)
        other = submit(
            UseCaseFactory(collectivite=use_case.collectivite, service=services["ccas"], owner=use_case.owner)
        )
        opinion(first, users["dpo"], "dpo")

        # When each reviewer asks for the rounds waiting for them
        def awaiting(user, value="true"):
            response = api_for(user).get(LIST_URL, {"awaiting_my_opinion": value})
            assert response.status_code == 200
            return {row["id"] for row in response.json()["results"]}

        # Then the DPO has one left, the RSSI both, and someone who gives no opinion none
        assert awaiting(users["dpo"]) == {other.pk}
        assert awaiting(users["dpo"], "false") == {first.pk}
        assert awaiting(users["rssi"]) == {first.pk, other.pk}
        assert awaiting(users["dgs"]) == set()
        assert awaiting(users["dgs"], "false") == {first.pk, other.pk}

    def test_status_kind_and_use_case_filters(self, use_case, users, services, api_for):
        first = submit(use_case)
        both_opinions(first, users)
        second_case = UseCaseFactory(collectivite=use_case.collectivite, service=services["ccas"], owner=use_case.owner)
        second = submit(second_case)
        client = api_for(users["dpo"])

        def ids(**params):
            response = client.get(LIST_URL, params)
            assert response.status_code == 200, response.json()
            return {row["id"] for row in response.json()["results"]}

        assert ids(status="decided") == {first.pk}
        assert ids(status="opinions") == {second.pk}
        assert ids(kind="initial") == {first.pk, second.pk}
        assert ids(kind="periodic") == set()
        assert ids(use_case=second_case.pk) == {second.pk}

    @pytest.mark.parametrize(("name", "value"), [("status", "open"), ("kind", "yearly"), ("use_case", "abc")])
    def test_a_bad_filter_value_is_a_400_naming_the_parameter(self, review, users, api_for, name, value):
        response = api_for(users["dpo"]).get(LIST_URL, {name: value})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [name]


class TestOpinions:
    @pytest.mark.parametrize("role", ["dpo", "rssi"])
    def test_a_reviewer_gives_their_opinion_without_naming_their_role(self, review, users, api_for, role):
        # When the DPO (or the RSSI) gives a favourable opinion
        response = api_for(users[role]).post(
            opinions_url(review), {"verdict": "favourable", "comment": "RAS."}, format="json"
        )
        # Then it is recorded under their role, the case is under review, the other opinion still awaited
        assert response.status_code == 201, response.json()
        body = response.json()
        [given] = body["opinions"]
        assert (given["role"], given["verdict"], given["author"]["id"]) == (role, "favourable", users[role].pk)
        assert body["awaiting_opinions"] == [other for other in ("dpo", "rssi") if other != role]
        assert body["use_case"]["status"] == "in_review"
        assert review.use_case.events.filter(kind=UseCaseEvent.Kind.OPINION).count() == 1

    def test_the_second_opinion_decides_when_no_committee_is_needed(self, review, users, api_for):
        opinion(review, users["dpo"], "dpo")
        response = api_for(users["rssi"]).post(opinions_url(review), {"verdict": "favourable"}, format="json")
        assert response.status_code == 201
        assert (response.json()["status"], response.json()["decision"]) == ("decided", "approved")
        assert response.json()["use_case"]["status"] == "approved"

    def test_asking_for_the_committee_sends_the_case_there(self, review, users, api_for):
        opinion(review, users["dpo"], "dpo")
        payload = {"verdict": "favourable", "ask_committee": True, "hosting_assessment": "SecNumCloud"}
        body = api_for(users["rssi"]).post(opinions_url(review), payload, format="json").json()
        assert body["status"] == "committee"
        assert body["opinions"][1]["ask_committee"] is True
        assert body["opinions"][1]["hosting_assessment"] == "SecNumCloud"

    def test_conditions_are_given_as_a_list_of_strings(self, review, users, api_for):
        payload = {"verdict": "favourable_with_conditions", "conditions": ["AIPD mise à jour.", "Mention CRPA."]}
        body = api_for(users["dpo"]).post(opinions_url(review), payload, format="json").json()
        assert [c["text"] for c in body["conditions"]] == payload["conditions"]
        assert body["opinions"][0]["conditions"] == payload["conditions"]

    @pytest.mark.parametrize("role", NOT_REVIEWERS)
    def test_who_sees_the_round_but_gives_no_opinion_gets_403(self, review, people, api_for, role):
        response = api_for(people[role]).post(opinions_url(review), {"verdict": "favourable"}, format="json")
        assert response.status_code == 403
        assert response.json()["message"]
        assert review.opinions.count() == 0

    def test_the_dpo_cannot_give_the_rssi_opinion(self, review, users, api_for):
        payload = {"role": "rssi", "verdict": "favourable"}
        response = api_for(users["dpo"]).post(opinions_url(review), payload, format="json")
        assert response.status_code == 403
        assert review.opinions.count() == 0

    def test_a_second_opinion_of_the_same_role_is_a_409(self, review, users, api_for):
        opinion(review, users["dpo"], "dpo")
        response = api_for(users["dpo"]).post(
            opinions_url(review), {"verdict": "unfavourable", "comment": "Non."}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["message"]
        assert review.opinions.get().verdict == "favourable"

    def test_an_opinion_on_a_decided_round_is_a_409(self, review, users, api_for):
        both_opinions(review, users)
        other_dpo = users["admin"]
        MembershipFactory(user=other_dpo, collectivite=review.collectivite, role=Role.DPO)
        # The round is decided: no further opinion, whoever gives it
        response = api_for(other_dpo).post(opinions_url(review), {"verdict": "favourable"}, format="json")
        assert response.status_code == 409

    def test_someone_holding_both_roles_names_the_one_they_use(self, review, dpo_and_rssi, api_for):
        client = api_for(dpo_and_rssi)
        missing = client.post(opinions_url(review), {"verdict": "favourable"}, format="json")
        assert missing.status_code == 400
        assert list(missing.json()["errors"]) == ["role"]
        assert (
            client.post(opinions_url(review), {"role": "dpo", "verdict": "favourable"}, format="json").status_code
            == 201
        )
        assert (
            client.post(opinions_url(review), {"role": "rssi", "verdict": "favourable"}, format="json").status_code
            == 201
        )
        review.refresh_from_db()
        assert review.decision == "approved"

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"verdict": "maybe"}, "verdict"),
            ({}, "verdict"),
            ({"verdict": "favourable_with_conditions"}, "conditions"),
            ({"verdict": "favourable", "conditions": ["Une condition."]}, "conditions"),
            ({"verdict": "favourable", "conditions": "pas une liste"}, "conditions"),
            ({"verdict": "unfavourable"}, "comment"),
            ({"verdict": "favourable", "dpia_status": "finished"}, "dpia_status"),
            ({"verdict": "favourable", "hosting_assessment": "Cloud souverain"}, "hosting_assessment"),
            ({"verdict": "favourable", "role": "cnil"}, "role"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, review, users, api_for, payload, field):
        response = api_for(users["dpo"]).post(opinions_url(review), payload, format="json")
        assert response.status_code == 400, response.json()
        body = response.json()
        assert body["message"]
        assert field in body["errors"]
        assert review.opinions.count() == 0


class TestReturnForChanges:
    @pytest.mark.parametrize("role", ["dpo", "rssi"])
    def test_a_reviewer_returns_the_case_to_its_owner_as_a_draft(self, review, users, api_for, role):
        response = api_for(users[role]).post(return_url(review), {"comment": "Précisez la finalité."}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "withdrawn"
        assert response.json()["closed_reason"] == "Précisez la finalité."
        assert response.json()["use_case"]["status"] == "draft"
        assert review.use_case.events.filter(kind=UseCaseEvent.Kind.RETURNED).exists()

    @pytest.mark.parametrize("role", NOT_REVIEWERS)
    def test_others_who_see_the_round_get_403(self, review, people, api_for, role):
        response = api_for(people[role]).post(return_url(review), {"comment": "Non."}, format="json")
        assert response.status_code == 403
        review.refresh_from_db()
        assert review.status == "opinions"

    def test_without_a_comment_it_is_a_400(self, review, users, api_for):
        response = api_for(users["dpo"]).post(return_url(review), {}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["comment"]

    def test_a_decided_round_cannot_be_returned_409(self, review, users, api_for):
        both_opinions(review, users)
        response = api_for(users["dpo"]).post(return_url(review), {"comment": "Trop tard."}, format="json")
        assert response.status_code == 409
        assert Review.objects.get(pk=review.pk).status == "decided"


class TestTasks:
    def test_each_person_gets_the_sections_of_their_roles_with_ids(self, review, users, api_for):
        dpo = api_for(users["dpo"]).get(TASKS_URL).json()
        sections = {section["key"]: section for section in dpo["sections"]}
        assert sections["opinions"]["object"] == "review"
        assert sections["opinions"]["count"] == 1
        assert sections["opinions"]["items"] == [
            {"id": review.pk, "use_case": review.use_case_id, "review": review.pk, "session": None}
        ]
        assert "to_schedule" in sections
        assert dpo["count"] == sum(section["count"] for section in dpo["sections"])
        # An agent has no opinion to give: no such section
        agent = api_for(users["agent"]).get(TASKS_URL).json()
        assert "opinions" not in {section["key"] for section in agent["sections"]}

    def test_committee_members_find_the_cases_to_vote_on(self, review, users, committee, api_for):
        item = to_agenda(both_opinions(review, users, ask_committee=True), users)
        chair = {s["key"]: s for s in api_for(users["comite"]).get(TASKS_URL).json()["sections"]}
        expected = [{"id": item.pk, "use_case": review.use_case_id, "review": review.pk, "session": item.session_id}]
        assert chair["votes"]["items"] == expected
        assert chair["committee_opinions"]["items"] == expected

    def test_the_owner_is_told_of_a_rejected_case(self, review, users, api_for):
        both_opinions(review, users, rssi="unfavourable")
        owner = {s["key"]: s for s in api_for(review.use_case.owner).get(TASKS_URL).json()["sections"]}
        assert owner["rework"]["object"] == "use_case"
        assert [entry["id"] for entry in owner["rework"]["items"]] == [review.use_case_id]

    def test_the_tasks_cost_a_fixed_number_of_queries(self, review, users, api_for, django_assert_max_num_queries):
        # One query per section (the DPO's qualifications to confirm and facts to complete included), whatever the
        # number of items.
        client = api_for(users["dpo"])
        client.get(TASKS_URL)  # warms Django's content-type cache
        # 14, + the AIDFs (fria), + the incidents whose notifications are due, + the requests for an explanation
        with django_assert_max_num_queries(17):
            assert client.get(TASKS_URL).json()["sections"][0]["count"] == 1
        for _ in range(5):
            submit(UseCaseFactory(collectivite=review.collectivite, service=review.use_case.service))
        with django_assert_max_num_queries(17):
            assert client.get(TASKS_URL).json()["sections"][0]["count"] == 6


class TestQueryCounts:
    # The head of service's visibility adds the object-permission lookups (and a first content-type one).
    @pytest.mark.parametrize(("role", "queries"), [("dpo", 6), ("chef", 9)])
    def test_the_list_costs_the_same_for_3_or_30_rounds(
        self, collectivite, services, users, api_for, django_assert_max_num_queries, role, queries
    ):
        def add(count):
            for _ in range(count):
                case = UseCaseFactory(collectivite=collectivite, service=services["ccas"])
                opinion(submit(case), users["dpo"], "dpo")

        client = api_for(users[role])
        add(3)
        with django_assert_max_num_queries(queries):
            assert client.get(LIST_URL).json()["count"] == 3
        add(27)
        with django_assert_max_num_queries(queries):
            assert client.get(LIST_URL).json()["count"] == 30
