"""The queue and a request's page: the DPO sees all, the heads of the owning service (or above) theirs; a head of
another service, an agent, another collectivité's DPO are refused."""

import pytest
from django.urls import reverse

from explanations.models import ExplanationRequest
from security.models import SecurityEvent

from .factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(collectivite, entry):
    mine, _ = make_request(collectivite, entry)
    unknown, _ = make_request(collectivite, None, requester_name="Dominique Inconnu")
    return {"ccas": mine, "unknown": unknown}


def _listed(response):
    return {request.reference for request in response.context["requests"]}


def test_the_dpo_sees_every_request(requests, users, client_for, django_assert_max_num_queries):
    client = client_for(users["dpo"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("explanations:queue"))
    assert response.status_code == 200
    assert _listed(response) == {requests["ccas"].reference, requests["unknown"].reference}


def test_the_queue_costs_a_fixed_number_of_queries(
    collectivite, entry, users, client_for, django_assert_max_num_queries
):
    for _ in range(12):
        make_request(collectivite, entry)
    client = client_for(users["dpo"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("explanations:queue"))
    assert len(response.context["requests"]) == 12


def test_heads_of_the_owning_service_see_its_requests_only(requests, users, head_ccas, client_for):
    for user in (head_ccas, users["chef"]):  # the CCAS's head, and the head of the direction above it
        client = client_for(user)
        assert _listed(client.get(reverse("explanations:queue"))) == {requests["ccas"].reference}
        assert client.get(reverse("explanations:detail", args=[requests["ccas"].pk])).status_code == 200
        assert client.get(reverse("explanations:detail", args=[requests["unknown"].pk])).status_code == 404


def test_a_head_of_another_service_sees_none(requests, head_communication, client_for):
    client = client_for(head_communication)
    assert _listed(client.get(reverse("explanations:queue"))) == set()
    assert client.get(reverse("explanations:detail", args=[requests["ccas"].pk])).status_code == 404
    response = client.post(reverse("explanations:send", args=[requests["ccas"].pk]), {"version": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["agent", "rssi", "comite", "dgs"])
def test_other_roles_have_no_queue(requests, users, client_for, role):
    client = client_for(users[role])
    assert client.get(reverse("explanations:queue")).status_code == 403
    assert client.get(reverse("explanations:detail", args=[requests["ccas"].pk])).status_code == 404
    assert client.get(reverse("explanations:preview", args=[requests["ccas"].pk])).status_code == 404


def test_another_collectivites_dpo_sees_nothing(requests, outsider, client_for):
    client = client_for(outsider)
    assert _listed(client.get(reverse("explanations:queue"))) == set()
    assert client.get(reverse("explanations:detail", args=[requests["ccas"].pk])).status_code == 404


def test_opening_a_request_is_in_the_security_trail(requests, users, client_for):
    client_for(users["dpo"]).get(reverse("explanations:detail", args=[requests["ccas"].pk]))
    event = SecurityEvent.objects.get(kind="explanation_viewed")
    assert event.actor == users["dpo"] and event.object_id == str(requests["ccas"].pk)


def test_filters_status_overdue_and_use_case(requests, users, client_for, entry):
    ExplanationRequest.objects.filter(pk=requests["unknown"].pk).update(deadline="2020-01-01")
    client = client_for(users["dpo"])
    assert _listed(client.get(reverse("explanations:queue"), {"overdue": "1"})) == {requests["unknown"].reference}
    assert _listed(client.get(reverse("explanations:queue"), {"use_case": entry.pk})) == {requests["ccas"].reference}
    assert _listed(client.get(reverse("explanations:queue"), {"status": "sent"})) == set()
    page = client.get(reverse("explanations:queue"))
    assert "data-overdue" in page.content.decode()


def test_the_navigation_shows_the_queue_to_who_may_see_it(users, client_for, head_ccas, requests):
    url = reverse("explanations:queue")
    assert url in client_for(users["dpo"]).get(reverse("registry:home")).content.decode()
    assert url in client_for(head_ccas).get(reverse("registry:home")).content.decode()
    assert url not in client_for(users["agent"]).get(reverse("registry:home")).content.decode()
