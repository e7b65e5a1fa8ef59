"""The review workflow's transitions on `/api/v1/use-cases/{id}/...`: retire, rework, resume, and the rounds of a
use case; submit and withdraw open and close a round."""

import pytest

from registry.models import UseCaseEvent
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import both_opinions, submit, to_agenda


def url(use_case, action):
    return f"/api/v1/use-cases/{use_case.pk}/{action}/"


@pytest.fixture
def people(users, use_case, outsider):
    return {**users, "porteur": use_case.owner, "outsider": outsider}


@pytest.fixture
def make(collectivite, services, use_case):
    """A CCAS use case owned by "porteur", in the status given."""

    def build(status):
        return UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=use_case.owner, status=status)

    return build


class TestRetire:
    @pytest.mark.parametrize("role", ["porteur", "chef", "dpo", "rssi", "admin"])
    def test_the_owner_the_head_of_service_and_the_reviewers_retire_a_use(self, use_case, people, api_for, role):
        response = api_for(people[role]).post(url(use_case, "retire"), {"comment": "Usage abandonné."}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "retired"
        event = use_case.events.get(kind=UseCaseEvent.Kind.RETIRED)
        assert (event.actor, event.comment) == (people[role], "Usage abandonné.")

    def test_the_dgs_sees_it_but_may_not_retire_it(self, use_case, users, api_for):
        response = api_for(users["dgs"]).post(url(use_case, "retire"), {"comment": "Non."}, format="json")
        assert response.status_code == 403
        use_case.refresh_from_db()
        assert use_case.status == "draft"

    def test_an_agent_of_the_service_sees_a_live_use_but_may_not_retire_it(self, make, users, api_for):
        approved = make("approved")
        response = api_for(users["agent"]).post(url(approved, "retire"), {"comment": "Non."}, format="json")
        assert response.status_code == 403

    @pytest.mark.parametrize("role", ["agent", "comite", "outsider"])
    def test_out_of_sight_is_404(self, use_case, people, api_for, role):
        response = api_for(people[role]).post(url(use_case, "retire"), {"comment": "Non."}, format="json")
        assert response.status_code == 404

    def test_without_a_reason_it_is_a_400(self, use_case, users, api_for):
        response = api_for(users["dpo"]).post(url(use_case, "retire"), {"comment": "  "}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["comment"]

    def test_a_case_under_review_cannot_be_retired_409(self, use_case, users, api_for):
        submit(use_case)
        response = api_for(users["dpo"]).post(url(use_case, "retire"), {"comment": "Non."}, format="json")
        assert response.status_code == 409
        assert response.json()["message"]


class TestRework:
    @pytest.mark.parametrize("role", ["porteur", "chef", "dpo", "rssi", "admin"])
    def test_a_rejected_case_is_reopened_as_a_draft(self, make, people, api_for, role):
        rejected = make("rejected")
        response = api_for(people[role]).post(url(rejected, "rework"), {}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "draft"
        assert rejected.events.filter(kind=UseCaseEvent.Kind.REWORKED).exists()

    def test_the_dgs_may_not_rework_it(self, make, users, api_for):
        rejected = make("rejected")
        assert api_for(users["dgs"]).post(url(rejected, "rework"), {}, format="json").status_code == 403

    @pytest.mark.parametrize("role", ["agent", "comite", "outsider"])
    def test_out_of_sight_is_404(self, make, people, api_for, role):
        rejected = make("rejected")
        assert api_for(people[role]).post(url(rejected, "rework"), {}, format="json").status_code == 404

    def test_only_a_rejected_case_409(self, use_case, api_for):
        response = api_for(use_case.owner).post(url(use_case, "rework"), {"comment": "Encore."}, format="json")
        assert response.status_code == 409

    def test_a_too_long_comment_is_a_400(self, make, users, api_for):
        rejected = make("rejected")
        response = api_for(users["dpo"]).post(url(rejected, "rework"), {"comment": "x" * 5001}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["comment"]


class TestResume:
    @pytest.mark.parametrize("role", ["dpo", "rssi"])
    def test_the_dpo_or_the_rssi_lifts_a_suspension(self, make, users, api_for, role):
        suspended = make("suspended")
        response = api_for(users[role]).post(url(suspended, "resume"), {"comment": "Biais corrigé."}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "in_production"
        assert suspended.events.filter(kind=UseCaseEvent.Kind.RESUMED).exists()

    @pytest.mark.parametrize("role", ["porteur", "chef", "dgs", "admin"])
    def test_others_who_see_it_get_403(self, make, people, api_for, role):
        suspended = make("suspended")
        response = api_for(people[role]).post(url(suspended, "resume"), {"comment": "Reprise."}, format="json")
        assert response.status_code == 403
        suspended.refresh_from_db()
        assert suspended.status == "suspended"

    @pytest.mark.parametrize("role", ["agent", "comite", "outsider"])
    def test_out_of_sight_is_404(self, make, people, api_for, role):
        suspended = make("suspended")
        response = api_for(people[role]).post(url(suspended, "resume"), {"comment": "Reprise."}, format="json")
        assert response.status_code == 404

    def test_without_a_comment_it_is_a_400(self, make, users, api_for):
        response = api_for(users["dpo"]).post(url(make("suspended"), "resume"), {}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["comment"]

    def test_only_a_suspended_case_409(self, make, users, api_for):
        response = api_for(users["dpo"]).post(url(make("in_production"), "resume"), {"comment": "?"}, format="json")
        assert response.status_code == 409


class TestRounds:
    def test_submit_opens_a_round_withdraw_closes_it_and_every_round_is_listed(self, use_case, api_for):
        client = api_for(use_case.owner)
        # Given a draft submitted, withdrawn and submitted again through the API
        assert client.post(url(use_case, "submit"), {}, format="json").status_code == 200
        assert client.post(url(use_case, "withdraw"), {}, format="json").status_code == 200
        assert client.post(url(use_case, "submit"), {}, format="json").status_code == 200
        # When its owner lists its rounds
        response = client.get(url(use_case, "reviews"))
        # Then both rounds are there, newest first, the first one withdrawn
        assert response.status_code == 200
        rounds = response.json()
        assert [(r["number"], r["kind"], r["status"]) for r in rounds] == [
            (2, "change", "opinions"),
            (1, "initial", "withdrawn"),
        ]
        assert rounds[0]["snapshot"]["fields"]["name"] == use_case.name

    def test_the_rounds_show_the_committee_work_with_votes_for_the_committee_side(
        self, use_case, users, committee, api_for
    ):
        review = both_opinions(submit(use_case), users, ask_committee=True)
        item = to_agenda(review, users)
        owner_view = api_for(use_case.owner).get(url(use_case, "reviews")).json()
        chair_view = api_for(users["comite"]).get(url(use_case, "reviews")).json()
        assert owner_view[0]["agenda_items"][0]["id"] == item.pk
        assert owner_view[0]["agenda_items"][0]["votes"] is None
        assert chair_view[0]["agenda_items"][0]["votes"] == []
        assert [o["role"] for o in chair_view[0]["opinions"]] == ["dpo", "rssi"]

    @pytest.mark.parametrize("role", ["agent", "comite", "outsider"])
    def test_out_of_sight_is_404(self, use_case, people, api_for, role):
        submit(use_case)
        assert api_for(people[role]).get(url(use_case, "reviews")).status_code == 404

    def test_the_rounds_cost_a_fixed_number_of_queries(self, use_case, users, api_for, django_assert_max_num_queries):
        client = api_for(users["dpo"])
        for _ in range(3):
            review = submit(use_case)
            client.post(f"/api/v1/reviews/{review.pk}/return/", {"comment": "Encore."}, format="json")
            use_case.refresh_from_db()
        both_opinions(submit(use_case), users, dpo="favourable_with_conditions")
        with django_assert_max_num_queries(9):
            assert len(client.get(url(use_case, "reviews")).json()) == 4
