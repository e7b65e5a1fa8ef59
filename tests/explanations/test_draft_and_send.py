"""The draft pre-filled from the register, its versions, and the signed letter: PDF with the CADA remedy, e-mailed
with the letter attached; AI Act art. 86 for a high-risk system of Annex III."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from explanations import services
from explanations.drafting import art86_applies
from explanations.models import ExplanationRequest, Letterhead
from security.models import SecurityEvent

from .factories import make_request

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def request_ccas(collectivite, entry):
    request, _token = make_request(collectivite, entry)
    return request


def _complete(request, user, collectivite, **extra):
    return services.draft_save(
        request=request,
        acting_user=user,
        access=get_access(user, collectivite),
        data={
            "answer_parameters": "Revenu fiscal de référence : 9 800 € (poids 60 %).",
            "answer_main_elements": "Refus : plafond dépassé.",
            **extra,
        },
        expected_version=request.version,
    )


def test_the_draft_is_prefilled_from_the_register(request_ccas, entry):
    assert "un humain décide" in request_ccas.answer_contribution
    # The public wording of the entry, not the internal one (which names an agent).
    assert "Un instructeur relit chaque proposition" in request_ccas.answer_contribution
    assert "données de la CAF" in request_ccas.answer_data
    assert request_ccas.answer_operations
    assert request_ccas.answer_parameters == ""
    assert art86_applies(entry) and request_ccas.answer_ai_role


def test_the_detail_page_shows_the_prefilled_parts_editable(request_ccas, users, client_for):
    page = client_for(users["dpo"]).get(reverse("explanations:detail", args=[request_ccas.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="answer_parameters"' in body and "Un instructeur relit chaque proposition" in body
    assert 'name="answer_main_elements"' in body


def test_two_editors_never_overwrite_each_other(request_ccas, users, collectivite, client_for):
    version = request_ccas.version
    _complete(request_ccas, users["dpo"], collectivite)
    with pytest.raises(ConflictError):
        services.draft_save(
            request=request_ccas,
            acting_user=users["chef"],
            access=get_access(users["chef"], collectivite),
            data={"answer_parameters": "Écrasé ?"},
            expected_version=version,
        )
    assert "9 800" in ExplanationRequest.objects.get().answer_parameters
    # The web form says so, keeping what was typed.
    response = client_for(users["chef"]).post(
        reverse("explanations:detail", args=[request_ccas.pk]),
        {"answer_parameters": "Mon texte à garder", "version": version},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mon texte à garder" in body


def test_sending_requires_the_third_part(request_ccas, users, collectivite):
    with pytest.raises(ApplicationError) as error:
        services.request_send(
            request=request_ccas, acting_user=users["dpo"], access=get_access(users["dpo"], collectivite)
        )
    assert "answer_parameters" in error.value.errors


def test_send_makes_a_signed_letter_with_the_cada_remedy_and_mails_it(
    request_ccas, users, collectivite, django_capture_on_commit_callbacks
):
    Letterhead.objects.create(
        collectivite=collectivite, postal_address="1 place de la Mairie\n99000 Bellerive", place="Bellerive"
    )
    users["dpo"].first_name, users["dpo"].last_name = "Claire", "Dupuis"
    users["dpo"].save()
    request = _complete(request_ccas, users["dpo"], collectivite)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.request_send(
            request=request, acting_user=users["dpo"], access=get_access(users["dpo"], collectivite)
        )
    assert sent.status == "sent" and sent.closed_on and sent.answered_in_time
    content = sent.letter.read()
    import hashlib

    assert hashlib.sha256(content).hexdigest() == sent.letter_sha256
    text = _text(content)
    assert "Ville de Bellerive" in text and "1 place de la Mairie" in text
    assert "Commission d'accès aux documents administratifs" in text and "R343-1" in text
    assert "deux mois" in text
    assert "Claire Dupuis" in text and "Délégué" in text
    assert "9 800" in text
    assert "article 86" in text
    [message] = mail.outbox
    assert message.to == ["camille.martin@example.org"]
    [(name, attached, mimetype)] = message.attachments
    assert name == f"{sent.reference}.pdf" and mimetype == "application/pdf" and attached == content
    assert SecurityEvent.objects.filter(kind="explanation_sent", object_id=str(sent.pk)).exists()
    # Frozen: never made again, and the request is closed.
    with pytest.raises(TransitionError):
        services.request_send(request=sent, acting_user=users["dpo"], access=get_access(users["dpo"], collectivite))


def test_no_art86_part_outside_annex_iii(collectivite, use_case, users):
    from tests.explanations.factories import published_decision_use_case

    entry = published_decision_use_case(use_case, users["dpo"], annex_iii_point="")
    assert entry.ai_act_risk != "high" and not art86_applies(entry)
    request, _ = make_request(collectivite, entry)
    request = _complete(request, users["dpo"], collectivite)
    sent = services.request_send(
        request=request, acting_user=users["dpo"], access=get_access(users["dpo"], collectivite)
    )
    assert "article 86" not in _text(sent.letter.read())


def test_the_head_of_the_owning_service_signs_an_agent_cannot(request_ccas, users, head_ccas, collectivite):
    request = _complete(request_ccas, users["dpo"], collectivite)
    with pytest.raises(ForbiddenError):
        services.request_send(
            request=request, acting_user=users["agent"], access=get_access(users["agent"], collectivite)
        )
    sent = services.request_send(request=request, acting_user=head_ccas, access=get_access(head_ccas, collectivite))
    assert sent.signatory_title.startswith("Chef") or "CCAS" in sent.signatory_title


def test_reject_sends_a_letter_with_the_reason(request_ccas, users, collectivite, client_for):
    response = client_for(users["dpo"]).post(
        reverse("explanations:reject", args=[request_ccas.pk]),
        {
            "reason": "identity",
            "explanation": "Merci de joindre une pièce d'identité.",
            "signatory_title": "DPO",
            "version": request_ccas.version,
        },
    )
    assert response.status_code == 302
    request = ExplanationRequest.objects.get()
    assert request.status == "rejected"
    text = _text(request.letter.read())
    assert "pièce d'identité" in text and "CADA" in text


def test_preview_and_download(request_ccas, users, collectivite, client_for):
    client = client_for(users["dpo"])
    preview = client.get(reverse("explanations:preview", args=[request_ccas.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert not ExplanationRequest.objects.get().letter
    request = _complete(request_ccas, users["dpo"], collectivite)
    response = client.post(
        reverse("explanations:send", args=[request.pk]),
        {"signatory_title": "Déléguée à la protection des données", "version": request.version},
    )
    assert response.status_code == 302
    download = client.get(reverse("explanations:letter", args=[request.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_follow_up_page_shows_the_answer(collectivite, entry, users):
    from django.test import Client

    request, token = make_request(collectivite, entry)
    client = Client()
    page = client.get(reverse("explanations_public:follow_up", args=[token]))
    assert page.status_code == 200
    assert reverse("explanations_public:letter", args=[token]) not in page.content.decode()
    request = _complete(request, users["dpo"], collectivite)
    services.request_send(request=request, acting_user=users["dpo"], access=get_access(users["dpo"], collectivite))
    page = client.get(reverse("explanations_public:follow_up", args=[token]))
    assert reverse("explanations_public:letter", args=[token]) in page.content.decode()
    letter = client.get(reverse("explanations_public:letter", args=[token]))
    assert letter.status_code == 200 and b"".join(letter.streaming_content).startswith(b"%PDF")
