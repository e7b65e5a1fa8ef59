"""The ethics committee's rules of procedure through the API: a session is opened on its date with the attendance,
and the committee's opinion carries the quorum and the votes it was given with."""

import datetime

import pytest
from django.utils import timezone

from registry import services as svc
from tests.factories import UseCaseFactory
from tests.reviews_support import both_opinions, session, submit, to_agenda

pytestmark = pytest.mark.django_db


def fresh(user):
    user.__dict__.pop("_registry_access", None)
    user.__dict__.pop("_registry_seat", None)
    return user


@pytest.fixture
def ethics_case(collectivite, services, users):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["logement"], owner=users["chef"])
    return both_opinions(submit(use_case), users, ask_committee=True)


def test_the_api_shows_the_record_and_opens_a_session(collectivite, users, committee, ethics_case, api_for):
    planned = session(collectivite, users, held=False, held_on=timezone.now() - datetime.timedelta(minutes=10))
    item = to_agenda(ethics_case, users, planned)
    client = api_for(users["dpo"])
    url = f"/api/v1/committee-sessions/{planned.pk}/"

    response = client.post(url + "open/", {"present": [committee["chair"].pk, committee["external"].pk]}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "open" and body["held"] is True and body["secretary"]["username"] == "dpo"
    assert {row["member"]: row["present"] for row in body["attendance"]}[committee["ccas"].pk] is False
    svc.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="abstain")
    answer = api_for(users["comite"]).post(f"{url}agenda/{item.pk}/opinion/", {"opinion": "favourable"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["record"] == {
        "members_in_office": 3,
        "quorum_required": 2,
        "present": 2,
        "conflicts": 0,
        "favourable": 0,
        "favourable_with_conditions": 0,
        "unfavourable": 0,
        "abstain": 1,
    }


def test_the_api_refuses_to_open_a_session_before_its_date_in_french(collectivite, users, committee, api_for):
    planned = session(collectivite, users, held=False, held_on=timezone.now() + datetime.timedelta(days=30))
    response = api_for(users["dpo"]).post(
        f"/api/v1/committee-sessions/{planned.pk}/open/", {"present": []}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 409
    assert "ouverte" in response.json()["message"]


@pytest.mark.parametrize("body", [{"present": [], "secretary": 10**30}, {"present": [10**30]}, {"present": ["²"]}])
def test_opening_a_session_with_ids_no_database_holds_names_the_field(collectivite, users, committee, api_for, body):
    planned = session(collectivite, users, held=False, held_on=timezone.now() - datetime.timedelta(minutes=10))
    response = api_for(users["dpo"]).post(f"/api/v1/committee-sessions/{planned.pk}/open/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) <= {"present", "secretary"} and response.json()["errors"]
