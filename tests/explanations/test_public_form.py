"""The public request form: from a register entry or the collectivité's register, bad input kept, honeypot, rate
limit, acknowledgment page and e-mail with the follow-up link."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from explanations.models import ExplanationRequest
from security.models import SecurityEvent

pytestmark = pytest.mark.django_db

GOOD = {
    "requester_name": "Camille Martin",
    "requester_email": "camille.martin@example.org",
    "requester_address": "3 rue des Lilas",
    "decision_date": "2026-11-02",
    "decision_reference": "AIDE-2026-118",
    "elements": ["contribution", "parameters"],
    "message": "Pourquoi ?",
    "consent": "on",
}


def _url(entry):
    return reverse("explanations_public:request_for_entry", args=[entry.collectivite.slug, entry.reference])


def test_the_entry_page_links_to_the_form(entry):
    page = Client().get(reverse("public:entry", args=[entry.collectivite.slug, entry.reference]))
    assert _url(entry) in page.content.decode()


def test_a_request_from_an_entry_is_recorded_acknowledged_and_mailed(entry, users, django_capture_on_commit_callbacks):
    client = Client()
    form = client.get(_url(entry))
    assert form.status_code == 200
    assert "Demander" in form.content.decode() or "demande" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(entry), GOOD)
    assert response.status_code == 302
    request = ExplanationRequest.objects.get()
    assert request.use_case == entry and request.service_id == entry.service_id
    assert request.status == "received" and request.reference.startswith("EXP-")
    ack = client.get(response["Location"])
    assert ack.status_code == 200
    assert request.reference in ack.content.decode()
    assert ack["Cache-Control"].startswith("max-age=0") or "no-store" in ack["Cache-Control"]
    to_person = [m for m in mail.outbox if m.to == ["camille.martin@example.org"]]
    assert len(to_person) == 1
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert reverse("explanations_public:follow_up", args=[token]) in to_person[0].body
    assert any(users["dpo"].email in m.to for m in mail.outbox if m not in to_person)
    assert SecurityEvent.objects.filter(kind="explanation_received", object_id=str(request.pk)).exists()
    # The token is never stored in clear.
    assert token not in str(ExplanationRequest.objects.values().get())


def test_bad_input_keeps_what_was_typed(entry):
    response = Client().post(_url(entry), {**GOOD, "requester_email": "pas-un-courriel", "consent": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Camille Martin" in body and "pas-un-courriel" in body and "AIDE-2026-118" in body
    assert "Cochez cette case" in body
    assert not ExplanationRequest.objects.exists()


def test_nothing_asked_is_refused(entry):
    response = Client().post(_url(entry), {**GOOD, "elements": [], "message": ""})
    assert response.status_code == 400
    assert not ExplanationRequest.objects.exists()


def test_a_decision_in_the_future_is_refused(entry):
    response = Client().post(_url(entry), {**GOOD, "decision_date": "2099-01-01"})
    assert response.status_code == 400


def test_a_robot_filling_the_honeypot_records_nothing(entry):
    response = Client().post(_url(entry), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 200
    assert not ExplanationRequest.objects.exists()
    assert not mail.outbox


def test_too_many_submissions_are_held_back_keeping_the_input(entry, settings):
    settings.EXPLANATION_RATE_LIMIT = "2/h"
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert client.post(_url(entry), GOOD).status_code == 302
    response = client.post(_url(entry), {**GOOD, "requester_name": "Troisième Essai"})
    assert response.status_code == 429
    assert "Troisième Essai" in response.content.decode()
    assert response["Retry-After"]
    assert ExplanationRequest.objects.count() == 2


def test_too_long_texts_are_refused(entry):
    response = Client().post(_url(entry), {**GOOD, "message": "x" * 6000})
    assert response.status_code == 400
    assert not ExplanationRequest.objects.exists()


def test_from_the_register_the_person_chooses_the_entry_or_does_not_know(entry, collectivite):
    url = reverse("explanations_public:request", args=[collectivite.slug])
    page = Client().get(url)
    assert entry.reference in page.content.decode()
    assert Client().post(url, {**GOOD, "use_case": str(entry.pk)}).status_code == 302
    assert Client().post(url, {**GOOD, "use_case": "unknown"}).status_code == 302
    first, second = ExplanationRequest.objects.order_by("pk")
    assert first.use_case == entry
    assert second.use_case is None and second.service is None


def test_an_unpublished_use_case_cannot_be_named(use_case, collectivite):
    url = reverse("explanations_public:request_for_entry", args=[collectivite.slug, use_case.reference])
    assert Client().get(url).status_code == 404
    url = reverse("explanations_public:request", args=[collectivite.slug])
    response = Client().post(url, {**GOOD, "use_case": str(use_case.pk)})
    assert response.status_code == 400


def test_an_unknown_token_answers_404(db):
    assert Client().get(reverse("explanations_public:follow_up", args=["nope"])).status_code == 404
    assert Client().get(reverse("explanations_public:letter", args=["nope"])).status_code == 404
