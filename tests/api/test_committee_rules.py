"""The ethics committee's rules of procedure through the API: a session is opened on its date with the attendance,
and the committee's opinion carries the quorum and the votes it was given with."""

import datetime

import pytest
from django.utils import timezone

from registry import services as svc
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import both_opinions, session, submit, to_agenda

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
        "presided_by": {"id": users["comite"].pk, "username": "comite", "full_name": str(users["comite"])},
        "presiding_role": "chair",
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
    # The flat error shape names a list's entry by its position (« present.0 »).
    errors = response.json()["errors"]
    assert errors and {key.split(".")[0] for key in errors} <= {"present", "secretary"}


# Who presides over a case (issue 18, item 2) ---------------------------------------------------------------------
def test_a_conflicted_chair_is_refused_by_the_api_and_the_vice_chair_records_the_opinion(
    collectivite, users, committee, ethics_case, api_for
):
    # given the external member as vice-chair, and the chair declaring a conflict of interest on the case in session
    chair, vice = users["comite"], committee["external"].user
    chair.first_name, chair.last_name, chair.civility = "Claire", "Martin", "madame"
    chair.save()
    vice.first_name, vice.last_name, vice.civility = "Paul", "Durand", "monsieur"
    vice.save()
    svc.committee_member_update(member=committee["external"], acting_user=users["dpo"], data={"is_vice_chair": True})
    item = to_agenda(ethics_case, users, session(collectivite, users))
    svc.conflict_declare(item=item, acting_user=fresh(chair), comment="Je connais le porteur.")
    for member in (vice, committee["ccas"].user):
        svc.vote_cast(item=item, acting_user=fresh(member), choice="favourable")
    url = f"/api/v1/committee-sessions/{item.session_id}/"

    # the agenda item says who presides over it
    shown = api_for(users["dpo"]).get(url).json()["items"][0]
    assert shown["presiding"]["user"]["username"] == vice.username
    assert shown["presiding"]["presiding_role"] == "vice_chair"

    # the chair is refused, told in French who records the opinion
    refused = api_for(chair).post(
        f"{url}agenda/{item.pk}/opinion/", {"opinion": "favourable"}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert refused.status_code == 403
    assert refused.json()["message"].replace("\u202f", " ") == (
        "Vous avez déclaré un conflit d'intérêts sur ce dossier : l'avis du comité est recueilli par Paul Durand, "
        "vice-président."
    )
    item.refresh_from_db()
    assert item.opinion == ""

    # the vice-chair records it, and the record says who presided
    answer = api_for(vice).post(f"{url}agenda/{item.pk}/opinion/", {"opinion": "favourable"}, format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["presiding"] is None
    assert (body["record"]["presided_by"]["username"], body["record"]["presiding_role"]) == (
        vice.username,
        "vice_chair",
    )


def test_the_api_sets_the_vice_chair_and_shows_dates_of_birth_to_managers_only(users, committee, api_for):
    url = f"/api/v1/committee-members/{committee['external'].pk}/"
    answer = api_for(users["dpo"]).patch(url, {"is_vice_chair": True, "birth_date": "1971-06-12"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["is_vice_chair"], answer.json()["birth_date"]) == (True, "1971-06-12")

    seen_by_a_member = api_for(committee["ccas"].user).get(url).json()
    assert seen_by_a_member["is_vice_chair"] is True and seen_by_a_member["birth_date"] is None

    both = api_for(users["dpo"]).patch(
        f"/api/v1/committee-members/{committee['chair'].pk}/", {"is_vice_chair": True}, format="json"
    )
    assert both.status_code == 400 and "is_vice_chair" in both.json()["errors"]
