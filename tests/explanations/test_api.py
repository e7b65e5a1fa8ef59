"""API: staff endpoints scoped by access (DPO all, heads of service theirs), draft with versions, send and reject;
the public endpoint creates only and answers the acknowledgment."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from explanations.models import ExplanationRequest

from .factories import make_request

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/explanation-requests/"
STAFF = "/api/v1/explanation-requests/"


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def requests(collectivite, entry):
    mine, _ = make_request(collectivite, entry)
    unknown, _ = make_request(collectivite, None)
    return {"ccas": mine, "unknown": unknown}


def _payload(entry, **changes):
    return {
        "collectivite": entry.collectivite.slug,
        "use_case_reference": entry.reference,
        "requester_name": "Camille Martin",
        "requester_email": "camille@example.org",
        "decision_date": "2026-11-02",
        "elements": ["data", "operations"],
        "consent": True,
        **changes,
    }


def test_the_public_creates_and_gets_the_acknowledgment_only(entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client().post(PUBLIC, _payload(entry), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"reference", "received_on", "deadline", "follow_up_url"}
    request = ExplanationRequest.objects.get()
    assert request.use_case == entry and body["reference"] == request.reference
    assert any(m.to == ["camille@example.org"] for m in mail.outbox)


def test_the_public_cannot_list_nor_read(requests):
    client = _client()
    assert client.get(PUBLIC).status_code == 405
    assert client.get(f"{PUBLIC}{requests['ccas'].pk}/").status_code == 404
    assert client.get(STAFF).status_code == 401


def test_the_public_endpoint_refuses_bad_input_with_the_api_error_shape(entry):
    response = _client().post(PUBLIC, _payload(entry, consent=False, use_case_reference="NOPE"), format="json")
    assert response.status_code == 400
    assert "consent" in response.json()["errors"]
    response = _client().post(PUBLIC, _payload(entry, use_case_reference="NOPE"), format="json")
    assert "use_case_reference" in response.json()["errors"]
    assert not ExplanationRequest.objects.exists()


def test_the_public_endpoint_is_throttled(entry, settings):
    from django.core.cache import cache

    cache.clear()
    settings.EXPLANATION_RATE_LIMIT = "2/h"
    client = _client()
    statuses = [client.post(PUBLIC, _payload(entry), format="json").status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_staff_lists_are_scoped(requests, users, head_ccas, head_communication, outsider):
    ids = lambda user: {row["id"] for row in _client(user).get(STAFF).json()["results"]}  # noqa: E731
    assert ids(users["dpo"]) == {requests["ccas"].pk, requests["unknown"].pk}
    assert ids(head_ccas) == {requests["ccas"].pk}
    assert ids(head_communication) == set()
    assert ids(users["agent"]) == set()
    assert ids(outsider) == set()
    assert _client(head_communication).get(f"{STAFF}{requests['ccas'].pk}/").status_code == 404
    assert _client(head_ccas).get(f"{STAFF}{requests['unknown'].pk}/").status_code == 404


def test_draft_conflict_send_and_reject(requests, users, head_ccas):
    dpo = _client(users["dpo"])
    url = f"{STAFF}{requests['ccas'].pk}/"
    row = dpo.get(url).json()
    assert row["art86"] is True and row["answer_contribution"]
    saved = dpo.patch(
        url, {"answer_parameters": "Revenus", "answer_main_elements": "Refus", "version": row["version"]}, format="json"
    )
    assert saved.status_code == 200 and saved.json()["status"] == "in_progress"
    stale = _client(head_ccas).patch(url, {"answer_parameters": "Autre", "version": row["version"]}, format="json")
    assert stale.status_code == 409
    assert (
        _client(users["agent"]).post(f"{url}send/", {"version": saved.json()["version"]}, format="json").status_code
        == 404
    )
    # A head of service may not attribute a use case; the DPO may.
    forbidden = _client(head_ccas).patch(url, {"use_case": None, "version": saved.json()["version"]}, format="json")
    assert forbidden.status_code == 403
    sent = dpo.post(f"{url}send/", {"version": saved.json()["version"]}, format="json")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "sent" and sent.json()["letter_url"]
    again = dpo.post(f"{url}send/", {"version": sent.json()["version"]}, format="json")
    assert again.status_code == 409
    other = f"{STAFF}{requests['unknown'].pk}/"
    version = dpo.get(other).json()["version"]
    rejected = dpo.post(
        f"{other}reject/",
        {"reason": "not_ours", "explanation": "Décision de l'État.", "version": version},
        format="json",
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"


def test_the_schema_documents_the_endpoints(db, users):
    schema = _client(users["dpo"]).get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/explanation-requests/" in schema["paths"]
    assert "/api/v1/explanation-requests/{id}/send/" in schema["paths"]
    assert "/api/v1/public/explanation-requests/" in schema["paths"]
