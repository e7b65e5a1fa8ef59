"""Ids and years typed or sent by a person are ASCII digits (issue 18, items 9 and 10): « ² » or « ① » pass
`str.isdigit()` but int() refuses them, and a number longer than a bigint makes PostgreSQL fail. Each of these
answered 500; now a refusal a person can read (403/404 on the web, 400/404 in the API's error shape)."""

import pytest
from django.urls import reverse

from core.validators import as_id

pytestmark = pytest.mark.django_db

ODD = ["²", "①", "١٢", "12a", "99999999999999999999999", " ", "-1"]


@pytest.mark.parametrize("value", ODD)
def test_only_ascii_digits_of_a_database_size_are_an_id(value):
    assert as_id(value) is None


def test_an_ordinary_id_is_read():
    assert as_id(" 42 ") == 42 and as_id(7) == 7 and as_id("2026", max_digits=4) == 2026


@pytest.mark.parametrize("value", ["²", "①", "99999999999999999999999"])
def test_switching_to_a_collectivite_named_by_an_odd_number_is_refused_not_a_500(value, users, client_for):
    response = client_for(users["dpo"]).post(reverse("registry:collectivite_switch"), {"collectivite": value})
    assert response.status_code == 403


@pytest.mark.parametrize("field", ["tool", "declarations"])
@pytest.mark.parametrize("value", ["²", "①", "99999999999999999999999"])
def test_regularising_declarations_named_by_odd_numbers_chooses_none_not_a_500(field, value, users, client_for):
    response = client_for(users["dpo"]).post(reverse("registry:declaration_regularise"), {field: value})
    assert response.status_code < 500


@pytest.mark.parametrize("value", ["²", "①", "99999999999999999999999"])
def test_asking_for_a_document_of_an_odd_year_or_use_case_is_refused_not_a_500(value, users, client_for):
    client = client_for(users["dpo"])
    for data in ({"kind": "annual_report", "year": value}, {"kind": "use_case_report", "use_case": value}):
        response = client.post(reverse("audits:document_request"), data)
        assert response.status_code in (302, 404), data


@pytest.mark.parametrize("value", ["²", "①"])
def test_a_checkpoint_type_given_as_an_odd_number_names_the_field(value, use_case, users, api_for):
    url = f"/api/v1/use-cases/{use_case.pk}/checkpoints/"
    response = api_for(users["dpo"]).post(url, {"type": value, "owner": users["agent"].pk}, format="json")
    assert response.status_code == 400 and "type" in response.json()["errors"]


@pytest.mark.parametrize("pk", ["abc", "²", "99999999999999999999999"])
def test_downloading_a_document_that_cannot_exist_is_a_404_in_the_api_s_shape(pk, users, api_for):
    response = api_for(users["dpo"]).get(f"/api/v1/documents/{pk}/download/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["message"]
