"""The checkpoint pages (issue 4): the use case's checkpoints and incidents, attesting (owner only, with
checked evidence), owners and frequencies, incidents, suspension, the production guard, "Mes contrôles" and
the compliance page — who sees what (404) and who may do what (403), at a fixed number of queries."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audits import services as audits
from audits.models import Attestation, Checkpoint, CheckpointType, Incident
from registry.choices import UseCaseStatus
from tests.registry.factories import UseCaseFactory

from .helpers import fr, frn

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
ROLES = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin", "outsider")
# ccas_approved: the CCAS agent sees it (approved, their service), the committee does not (no ethics review).
SEES_CCAS_APPROVED = {"agent", "chef", "dpo", "rssi", "dgs", "admin"}


def text(response) -> str:
    return unescape(response.content.decode())


def url(name, *args) -> str:
    return reverse(f"audits:{name}", args=args)


def detail_url(use_case) -> str:
    return reverse("registry:use_case_detail", args=[use_case.pk])


def pdf(name="preuve.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def porteur(register):
    """The owner of the CCAS use cases, hence of their checkpoints."""
    return register["ccas_draft"].owner


@pytest.fixture
def live(register):
    """The approved CCAS use case with its required checkpoints (output review, source verification)."""
    use_case = register["ccas_approved"]
    audits.checkpoints_sync(use_case=use_case)
    return use_case


@pytest.fixture
def review(live):
    return live.checkpoints.get(type__code="output_review")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def field_errors(html: str, name: str) -> str:
    found = re.search(rf'id="id_{name}_error">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


# The use case's page ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_checkpoints_and_incidents_sections_follow_the_use_case_visibility(
    role, live, review, porteur, users, user_for, client_for
):
    # given an attestation and an incident on the approved CCAS use case
    audits.attestation_record(checkpoint=review, acting_user=porteur, comment="Relu 20 courriers")
    audits.incident_record(
        use_case=live,
        acting_user=users["dpo"],
        data={"occurred_at": timezone.now(), "description": "Courrier erroné envoyé", "severity": "minor"},
    )

    response = client_for(user_for(role)).get(detail_url(live))

    if role not in SEES_CCAS_APPROVED:
        assert response.status_code == 404
        return
    html = text(response)
    assert response.status_code == 200
    assert fr("Human-control checkpoints") in html
    assert fr("Human review of outputs") in html
    assert "Relu 20 courriers" in html
    assert fr("Incidents") in html and "Courrier erroné envoyé" in html


@pytest.mark.parametrize(
    ("role", "manage", "incident", "suspend", "production"),
    [
        ("agent", False, False, False, False),
        ("chef", True, True, False, True),
        ("dpo", True, True, True, True),
        ("rssi", True, True, True, True),
        ("dgs", False, False, False, False),
        ("admin", True, True, False, True),
    ],
)
def test_the_actions_on_the_use_case_page_follow_the_permissions(
    role, manage, incident, suspend, production, live, users, client_for
):
    html = text(client_for(users[role]).get(detail_url(live)))

    assert (url("checkpoint_add", live.pk) in html) is manage
    assert (url("checkpoint_edit", live.checkpoints.first().pk) in html) is manage
    assert (url("incident_create", live.pk) in html) is incident
    assert (url("use_case_suspend", live.pk) in html) is suspend
    assert (url("use_case_put_into_production", live.pk) in html) is production
    # only the owner attests
    assert url("checkpoint_attest", live.checkpoints.first().pk) not in html


def test_the_owner_is_offered_to_attest_and_sees_practice_basis_and_due_date(live, review, porteur, client_for):
    html = text(client_for(porteur).get(detail_url(live)))

    card = html[html.index(f'id="checkpoint-{review.pk}"') :]
    card = card[: card.index("</article>")]
    assert url("checkpoint_attest", review.pk) in card
    assert fr("What it means in practice") in card
    assert fr("A person proofreads and corrects what the AI generated before anything leaves the service.") in card
    assert fr("Legal basis:") in card
    assert review.next_due.strftime("%Y-%m-%d") in card
    assert fr("Never attested") in card


def test_a_checkpoint_no_longer_required_is_shown_apart_with_its_history(live, review, porteur, users, client_for):
    audits.attestation_record(checkpoint=review, acting_user=porteur, comment="Contrôle fait")
    Checkpoint.objects.filter(pk=review.pk).update(active=False)

    html = text(client_for(users["dpo"]).get(detail_url(live)))

    apart = html[html.index(f">{fr('No longer required')}</h3>") :]
    assert f'id="checkpoint-{review.pk}"' in apart
    assert "Contrôle fait" in apart
    assert html.index(f'id="checkpoint-{review.pk}"') > html.index('data-checkpoint-code="source_verification"')


def test_an_overdue_checkpoint_says_so_in_words(live, review, users, client_for):
    Checkpoint.objects.filter(pk=review.pk).update(next_due=timezone.localdate() - dt.timedelta(days=3))

    html = text(client_for(users["dpo"]).get(detail_url(live)))

    assert 'data-due-state="overdue"' in html
    assert frn("Overdue by %(days)s day", "Overdue by %(days)s days", 3) % {"days": 3} in html


# Checkpoint page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_checkpoint_page_is_a_404_out_of_scope(role, review, user_for, client_for):
    response = client_for(user_for(role)).get(url("checkpoint_detail", review.pk))

    assert response.status_code == (200 if role in SEES_CCAS_APPROVED else 404)


def test_the_checkpoint_page_shows_the_full_history_with_corrections(review, porteur, users, client_for):
    first = audits.attestation_record(
        checkpoint=review, acting_user=porteur, performed_on=timezone.localdate() - dt.timedelta(days=2)
    )
    audits.attestation_record(
        checkpoint=review, acting_user=porteur, outcome="issue_found", comment="Deux erreurs", corrects=first
    )

    html = text(client_for(users["dpo"]).get(url("checkpoint_detail", review.pk)))

    assert html.count("data-attestation=") >= 2
    assert "Deux erreurs" in html
    assert fr("Control done, an issue was found") in html
    assert 'class="attestation-corrected"' in html


# Attesting ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_may_open_the_attestation_form(role, review, user_for, client_for):
    response = client_for(user_for(role)).get(url("checkpoint_attest", review.pk))

    assert response.status_code == (403 if role in SEES_CCAS_APPROVED else 404)


def test_another_user_cannot_attest_and_nothing_is_recorded(review, users, client_for):
    client = client_for(users["dpo"])

    form = client.post(url("checkpoint_attest", review.pk), {"performed_on": "2026-01-05", "outcome": "ok"})
    quick = client.post(url("checkpoint_attest_quick", review.pk))

    assert form.status_code == 403 and quick.status_code == 403
    assert not Attestation.objects.exists()


def test_the_owner_attests_with_a_pdf_and_those_who_see_the_use_case_download_it(
    media, live, review, porteur, users, user_for, client_for
):
    # given the attestation form, prefilled with today and explaining that it cannot be edited afterwards
    client = client_for(porteur)
    page = text(client.get(url("checkpoint_attest", review.pk)))
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
    assert (
        fr(
            "You state, under your name, that the control was done. An attestation cannot be changed nor deleted "
            "afterwards: if you make a mistake, record a new attestation that corrects it."
        )
        in page
    )

    # when the owner attests with a PDF
    response = client.post(
        url("checkpoint_attest", review.pk),
        {"performed_on": timezone.localdate().isoformat(), "outcome": "ok", "comment": "RAS", "evidence": pdf()},
    )

    # then it is recorded and the file is stored under a random name
    assert response.status_code == 302
    attestation = Attestation.objects.get()
    assert attestation.evidence_name == "preuve.pdf" and "preuve" not in attestation.evidence.name
    # and the people who see the use case download it, as an attachment, never inline
    for role in ("dpo", "agent", "chef"):
        download = client_for(users[role]).get(url("evidence_download", attestation.pk))
        assert download.status_code == 200, role
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Disposition"].startswith("attachment")
        assert 'filename="preuve.pdf"' in download["Content-Disposition"]
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Type"] == "application/octet-stream"
    # and the use case's page links it
    assert url("evidence_download", attestation.pk) in text(client_for(users["dpo"]).get(detail_url(live)))


def test_evidence_is_a_404_to_whoever_does_not_see_the_use_case(media, register, users, outsider, client_for):
    # given evidence on the use case in production in Communication, which neither the CCAS agent nor the head of
    # the solidarities direction sees (another service)
    live = register["com_in_production"]
    audits.checkpoints_sync(use_case=live)
    checkpoint = live.checkpoints.first()
    attestation = audits.attestation_record(checkpoint=checkpoint, acting_user=live.owner, evidence=pdf())

    assert client_for(users["agent"]).get(url("evidence_download", attestation.pk)).status_code == 404
    assert client_for(outsider).get(url("evidence_download", attestation.pk)).status_code == 404
    assert client_for(users["comite"]).get(url("evidence_download", attestation.pk)).status_code == 404
    assert client_for(users["chef"]).get(url("evidence_download", attestation.pk)).status_code == 404
    assert client_for(users["rssi"]).get(url("evidence_download", attestation.pk)).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("outil.exe", b"MZ\x90\x00", "This type of file is not accepted."),
        ("preuve.pdf", b"MZ\x90\x00 pas un pdf", "The file's content does not match its type."),
    ],
    ids=["exe", "fake-pdf"],
)
def test_a_wrong_file_is_refused_next_to_the_field_and_the_answers_are_kept(
    media, review, porteur, client_for, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client_for(porteur).post(
        url("checkpoint_attest", review.pk),
        {
            "performed_on": timezone.localdate().isoformat(),
            "outcome": "issue_found",
            "comment": "Une réponse contenait une erreur de date",
            "evidence": upload,
        },
    )

    html = text(response)
    assert response.status_code == 400
    assert not Attestation.objects.exists()
    errors = field_errors(html, "evidence")
    assert fr(message) in errors
    assert fr("The file you chose was not kept: choose it again before sending.") in errors
    assert "Une réponse contenait une erreur de date" in html
    assert re.search(r'<input[^>]*value="issue_found"[^>]*checked', html)


def test_after_attesting_the_owner_goes_back_where_they_came_from(live, review, porteur, client_for):
    client = client_for(porteur)
    page = text(client.get(detail_url(live)))
    link = re.search(rf'href="({re.escape(url("checkpoint_attest", review.pk))}\?next=[^"]+)"', page).group(1)
    back = f"{detail_url(live)}#checkpoint-{review.pk}"
    assert f'name="next" value="{back}"' in text(client.get(link))

    response = client.post(link, {"performed_on": timezone.localdate().isoformat(), "outcome": "ok"})
    foreign = client.post(
        url("checkpoint_attest", review.pk),
        {"performed_on": timezone.localdate().isoformat(), "outcome": "ok", "next": "https://ailleurs.example/"},
    )

    assert response["Location"] == back
    assert foreign["Location"] == url("checkpoint_detail", review.pk)


def test_an_issue_needs_a_comment(review, porteur, client_for):
    response = client_for(porteur).post(
        url("checkpoint_attest", review.pk),
        {"performed_on": timezone.localdate().isoformat(), "outcome": "issue_found", "comment": " "},
    )

    assert response.status_code == 400
    assert fr("Describe the issue found.") in field_errors(text(response), "comment")
    assert not Attestation.objects.exists()


def test_a_future_date_is_refused(review, porteur, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client_for(porteur).post(
        url("checkpoint_attest", review.pk), {"performed_on": tomorrow.isoformat(), "outcome": "ok"}
    )

    assert response.status_code == 400
    assert fr("The control cannot have happened in the future.") in field_errors(text(response), "performed_on")


def test_a_correction_points_to_a_previous_attestation(review, porteur, client_for):
    first = audits.attestation_record(checkpoint=review, acting_user=porteur)
    client = client_for(porteur)
    assert f'<option value="{first.pk}"' in text(client.get(url("checkpoint_attest", review.pk)))

    response = client.post(
        url("checkpoint_attest", review.pk),
        {
            "performed_on": timezone.localdate().isoformat(),
            "outcome": "issue_found",
            "comment": "La relecture avait oublié une pièce jointe",
            "corrects": first.pk,
        },
    )

    assert response.status_code == 302
    correction = Attestation.objects.exclude(pk=first.pk).get()
    assert correction.corrects == first
    assert Attestation.objects.count() == 2  # the first one is kept as it was


# Owners, frequencies, added checkpoints ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("chef", 200), ("dpo", 200), ("rssi", 200), ("comite", 404), ("dgs", 403), ("admin", 200)]
    + [("outsider", 404)],
)
def test_edit_and_add_follow_the_permissions(role, status, live, review, user_for, client_for):
    client = client_for(user_for(role))

    assert client.get(url("checkpoint_edit", review.pk)).status_code == status
    assert client.get(url("checkpoint_add", live.pk)).status_code == status


def test_the_dpo_changes_the_owner_and_the_frequency(live, review, users, client_for):
    response = client_for(users["dpo"]).post(
        url("checkpoint_edit", review.pk),
        {"owner": users["chef"].pk, "frequency": "weekly", "version": review.version},
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.owner, review.frequency) == (users["chef"], "weekly")
    assert review.next_due == timezone.localdate() + dt.timedelta(weeks=1)


def test_a_stale_edit_is_a_clear_conflict_and_nothing_is_overwritten(review, users, porteur, client_for):
    stale = review.version
    audits.checkpoint_update(checkpoint=review, acting_user=users["rssi"], owner=porteur, frequency="quarterly")

    response = client_for(users["dpo"]).post(
        url("checkpoint_edit", review.pk), {"owner": users["chef"].pk, "frequency": "weekly", "version": stale}
    )

    html = text(response)
    assert response.status_code == 409
    assert fr("Someone else changed this checkpoint meanwhile: reload the page and try again.") in html
    review.refresh_from_db()
    assert (review.owner, review.frequency) == (porteur, "quarterly")
    # the person's choice is still there, ready to be sent over the new version
    assert f'name="version" value="{review.version}"' in html


def test_a_mandatory_checkpoint_keeps_an_owner(review, users, client_for):
    response = client_for(users["dpo"]).post(
        url("checkpoint_edit", review.pk), {"owner": "", "frequency": "monthly", "version": review.version}
    )

    assert response.status_code == 400
    assert fr("A mandatory checkpoint needs an owner: choose one.") in field_errors(text(response), "owner")


def test_owners_are_chosen_among_the_members_of_the_collectivite(review, users, outsider, client_for):
    html = text(client_for(users["dpo"]).get(url("checkpoint_edit", review.pk)))

    assert f'<option value="{users["agent"].pk}"' in html
    assert f'<option value="{outsider.pk}"' not in html


def test_a_reviewer_adds_a_national_or_local_checkpoint(collectivite, other_collectivite, live, users, client_for):
    local = CheckpointType.objects.create(
        collectivite=collectivite,
        code="double_signature",
        title="Double signature des courriers",
        practice="Deux agents signent.",
        default_frequency="monthly",
    )
    elsewhere = CheckpointType.objects.create(
        collectivite=other_collectivite,
        code="autre",
        title="Contrôle d'une autre commune",
        practice="…",
        default_frequency="monthly",
    )
    client = client_for(users["dpo"])
    form = text(client.get(url("checkpoint_add", live.pk)))
    types = re.search(r'<select name="type".*?</select>', form, re.S).group(0)
    assert "Double signature des courriers" in types
    assert "Contrôle d'une autre commune" not in types
    assert fr("Periodic bias review") in types
    # a control already on the use case is not offered again
    assert fr("Human review of outputs") not in types

    response = client.post(url("checkpoint_add", live.pk), {"type": local.pk, "owner": users["agent"].pk})
    refused = client.post(url("checkpoint_add", live.pk), {"type": elsewhere.pk, "owner": users["agent"].pk})

    assert response.status_code == 302
    added = live.checkpoints.get(type=local)
    assert (added.origin, added.owner, added.frequency) == ("manual", users["agent"], "monthly")
    assert refused.status_code == 400


def test_adding_needs_an_owner(live, users, client_for):
    bias = CheckpointType.objects.get(collectivite__isnull=True, code="bias_review")

    response = client_for(users["dpo"]).post(url("checkpoint_add", live.pk), {"type": bias.pk, "owner": ""})

    assert response.status_code == 400
    assert fr("Choose who is responsible for the control.") in field_errors(text(response), "owner")


# Incidents and suspension ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("chef", 200), ("dpo", 200), ("rssi", 200), ("comite", 404), ("dgs", 403), ("admin", 200)]
    + [("outsider", 404)],
)
def test_the_incident_form_follows_the_permissions(role, status, live, user_for, client_for):
    assert client_for(user_for(role)).get(url("incident_create", live.pk)).status_code == status


def test_a_checkpoint_owner_may_report_an_incident(live, porteur, client_for):
    assert client_for(porteur).get(url("incident_create", live.pk)).status_code == 200


def incident_data(**overrides):
    occurred = timezone.localtime() - dt.timedelta(hours=2)
    return {
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "description": "Un courrier contenant le nom d'un autre usager a été envoyé.",
        "severity": "major",
        "persons_affected": "2",
        "actions_taken": "Courrier rappelé, usagers prévenus.",
        **overrides,
    }


def test_a_personal_data_breach_shows_the_72_hour_deadline(live, users, client_for):
    client = client_for(users["chef"])

    response = client.post(url("incident_create", live.pk), incident_data(personal_data_breach="on"), follow=True)

    html = text(response)
    incident = Incident.objects.get()
    assert incident.personal_data_breach and incident.breach_deadline
    deadline = timezone.localtime(incident.breach_deadline)
    assert deadline.strftime("%H:%M") in html
    assert fr("Possible breach") in html
    assert "Un courrier contenant le nom d'un autre usager a été envoyé." in html
    form = text(client.get(url("incident_create", live.pk)))
    assert "RGPD" in form and "art. 33" in form and "72" in form


def test_an_incident_needs_a_description_and_a_severity(live, users, client_for):
    response = client_for(users["dpo"]).post(
        url("incident_create", live.pk), incident_data(description="", severity="")
    )

    html = text(response)
    assert response.status_code == 400
    assert fr("Describe what happened.") in field_errors(html, "description")
    assert fr("Choose the severity.") in field_errors(html, "severity")
    assert not Incident.objects.exists()


def test_a_serious_incident_invites_the_dpo_to_suspend(live, users, client_for):
    response = client_for(users["dpo"]).post(
        url("incident_create", live.pk), incident_data(severity="serious"), follow=True
    )

    html = text(response)
    assert response.redirect_chain[-1][0].endswith("#suspend")
    assert fr("Serious incident: you may suspend the use case now, with the form below (AI Act art. 26(5)).") in html
    assert "data-serious-incident" in html and "suspend-panel-alert" in html


def test_a_serious_incident_reported_by_a_head_of_service_names_who_may_suspend(live, users, client_for):
    response = client_for(users["chef"]).post(
        url("incident_create", live.pk), incident_data(severity="serious"), follow=True
    )

    html = text(response)
    assert (
        fr(
            "Serious incident: the DPO and the RSSI have been alerted and may suspend the use case "
            "(AI Act art. 26(5)). Stop using it if people are at risk."
        )
        in html
    )
    assert url("use_case_suspend", live.pk) not in html


def test_the_dpo_suspends_with_a_reason(live, users, client_for):
    response = client_for(users["dpo"]).post(
        url("use_case_suspend", live.pk), {"reason": "Incident grave : données d'un tiers envoyées"}, follow=True
    )

    live.refresh_from_db()
    assert live.status == UseCaseStatus.SUSPENDED
    assert live.events.filter(kind="suspended", comment="Incident grave : données d'un tiers envoyées").exists()
    assert fr("Use case %(reference)s is suspended. The reason is recorded in the trail of events.") % {
        "reference": live.reference
    } in text(response)


def test_suspension_needs_a_reason(live, users, client_for):
    response = client_for(users["rssi"]).post(url("use_case_suspend", live.pk), {"reason": "  "}, follow=True)

    live.refresh_from_db()
    assert live.status == UseCaseStatus.APPROVED
    assert fr("Give the reason of the suspension: it is recorded and shown to the people concerned.") in text(response)


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("chef", 403), ("comite", 404), ("dgs", 403), ("admin", 403), ("outsider", 404)],
)
def test_only_the_dpo_and_the_rssi_suspend(role, status, live, user_for, client_for):
    response = client_for(user_for(role)).post(url("use_case_suspend", live.pk), {"reason": "Risque"})

    assert response.status_code == status
    live.refresh_from_db()
    assert live.status == UseCaseStatus.APPROVED


# Production guard -------------------------------------------------------------------------------------


def _missing_owner(title: str) -> str:
    return fr("The mandatory checkpoint “%(title)s” has no owner: name the person who will attest it.") % {
        "title": title
    }


def test_no_production_while_a_mandatory_checkpoint_has_no_owner(live, review, users, client_for):
    Checkpoint.objects.filter(pk=review.pk).update(owner=None)
    client = client_for(users["chef"])
    page = text(client.get(detail_url(live)))
    # the button shows only when it can succeed: here the page says what is missing, once, in a full sentence
    assert url("use_case_put_into_production", live.pk) not in page
    blockers = page[page.index("data-production-blockers") :]
    blockers = blockers[: blockers.index("</div>")]
    assert fr("Before it can go into production") in blockers
    assert _missing_owner(fr("Human review of outputs")) in blockers
    assert page.count(_missing_owner(fr("Human review of outputs"))) == 1

    # a page opened before the owner was removed still sends the form: refused, one message per missing item
    response = client.post(url("use_case_put_into_production", live.pk), follow=True)

    html = text(response)
    live.refresh_from_db()
    assert live.status == UseCaseStatus.APPROVED
    message = html[html.index('class="registre-messages"') :]
    message = message[: message.index("</div>")]
    assert fr("Human review of outputs") in message
    assert fr("Verification of facts and sources") not in message
    assert _missing_owner(fr("Human review of outputs")) in message
    # and the page does not list it a second time
    assert html.count(_missing_owner(fr("Human review of outputs"))) == 1
    assert "data-production-blockers" not in html and "data-ownerless" not in html


def test_each_missing_item_of_the_refusal_is_its_own_full_sentence(live, review, users, client_for):
    # Given two mandatory checkpoints without owner, one of them a condition of approval written as a sentence
    kind = CheckpointType.objects.create(
        collectivite=live.collectivite,
        code="condition-mention",
        title="Afficher la mention « réponse générée par IA » au public.",
        practice="La mention figure sous chaque réponse.",
        default_frequency="quarterly",
    )
    Checkpoint.objects.create(
        use_case=live, type=kind, origin=Checkpoint.Origin.CONDITION, owner=None, frequency="quarterly"
    )
    Checkpoint.objects.filter(pk=review.pk).update(owner=None)

    html = text(client_for(users["chef"]).post(url("use_case_put_into_production", live.pk), follow=True))

    # Then two error messages, each one sentence, none glued to the other (« …au public., Afficher… »)
    messages = re.findall(r'<div class="alert alert-danger" role="alert">(.*?)</div>', html, re.S)

    def spaces(sentence):  # the page's typography sets the narrow spaces of the quotes, wherever they come from
        return sentence.replace("\u202f", " ").replace("\xa0", " ")

    assert sorted(map(spaces, messages)) == sorted(
        [
            spaces(_missing_owner(fr("Human review of outputs"))),
            spaces(_missing_owner("Afficher la mention « réponse générée par IA » au public")),
        ]
    )


def test_a_use_case_under_review_shows_no_compliance_rate_nor_attest_button(live, review, porteur, client_for):
    # Given the CCAS use case back under review: its checkpoints are known, its controls have not started
    UseCase = type(live)
    UseCase.objects.filter(pk=live.pk).update(status=UseCaseStatus.IN_REVIEW)
    client = client_for(porteur)

    html = text(client.get(detail_url(live)))

    # Then no « Conformité 100 % », no « Attester », no due date: the page says the controls start at approval
    assert "data-use-case-compliance" not in html
    assert url("checkpoint_attest", review.pk) not in html
    assert "data-next-due" not in html and 'data-due-state="not_running"' in html
    assert (
        fr(
            "These controls start once the use case is approved, before it goes into production: until then nothing is "
            "due, nothing is attested and no compliance rate is computed."
        )
        in html
    )
    # and the attestation pages refuse, saying why
    refused = client.post(url("checkpoint_attest_quick", review.pk))
    assert refused.status_code == 403 and not Attestation.objects.exists()
    assert client.get(url("checkpoint_attest", review.pk)).status_code == 403
    # once approved, the rate and the owner's button come back
    UseCase.objects.filter(pk=live.pk).update(status=UseCaseStatus.APPROVED)
    html = text(client.get(detail_url(live)))
    assert "data-use-case-compliance" in html and url("checkpoint_attest", review.pk) in html


def test_a_use_case_with_owners_goes_into_production(live, users, client_for):
    response = client_for(users["chef"]).post(url("use_case_put_into_production", live.pk))

    assert response.status_code == 302
    live.refresh_from_db()
    assert live.status == UseCaseStatus.IN_PRODUCTION


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("dgs", 403), ("comite", 404), ("outsider", 404)])
def test_production_is_for_whoever_may_change_the_use_case(role, status, live, user_for, client_for):
    assert client_for(user_for(role)).post(url("use_case_put_into_production", live.pk)).status_code == status
    live.refresh_from_db()
    assert live.status == UseCaseStatus.APPROVED


# Mes contrôles --------------------------------------------------------------------------------------


def test_my_checkpoints_are_grouped_by_due_date(register, porteur, client_for):
    today = timezone.localdate()
    use_case = register["ccas_approved"]
    audits.checkpoints_sync(use_case=use_case)
    review, sources = use_case.checkpoints.order_by("type__code")  # output_review, source_verification
    Checkpoint.objects.filter(pk=review.pk).update(next_due=today - dt.timedelta(days=4))
    Checkpoint.objects.filter(pk=sources.pk).update(next_due=today + dt.timedelta(days=3))
    audits.checkpoints_sync(use_case=register["ccas_draft"])  # a draft: its controls do not run, not listed
    bias = CheckpointType.objects.get(collectivite__isnull=True, code="bias_review")
    audits.checkpoint_add(use_case=use_case, acting_user=porteur, type=bias, owner=porteur, frequency="each_use")

    html = text(client_for(porteur).get(url("my_checkpoints")))

    def group(code):
        block = html[html.index(f'data-group="{code}"') :]
        return block[: block.index("</section>")]

    assert f'data-checkpoint="{review.pk}"' in group("overdue")
    assert frn("Overdue by %(days)s day", "Overdue by %(days)s days", 4) % {"days": 4} in group("overdue")
    assert f'data-checkpoint="{sources.pk}"' in group("soon")
    assert register["ccas_draft"].reference not in html
    assert fr("Periodic bias review") in group("each_use")
    assert html.count(fr("Attested today, nothing to report")) == 3


def test_one_click_attests_today_with_nothing_to_report(review, porteur, client_for):
    response = client_for(porteur).post(url("checkpoint_attest_quick", review.pk), follow=True)

    attestation = Attestation.objects.get()
    assert (attestation.performed_on, attestation.outcome, attestation.comment) == (timezone.localdate(), "ok", "")
    assert attestation.attested_by == porteur
    assert response.redirect_chain[0][0] == url("my_checkpoints")
    review.refresh_from_db()
    expected = fr("Attestation recorded for “%(title)s” (%(reference)s). Next due date: %(date)s.") % {
        "title": fr("Human review of outputs"),
        "reference": review.use_case.reference,
        "date": date_format(review.next_due, "DATE_FORMAT"),
    }
    assert expected in text(response)


def test_one_click_is_for_the_owner_only(review, users, client_for):
    for role in ("agent", "chef", "dpo"):
        assert client_for(users[role]).post(url("checkpoint_attest_quick", review.pk)).status_code == 403
    assert not Attestation.objects.exists()


def test_one_click_needs_a_post(review, porteur, client_for):
    assert client_for(porteur).get(url("checkpoint_attest_quick", review.pk)).status_code == 405
    assert not Attestation.objects.exists()


def test_an_owner_who_may_not_read_the_use_case_still_attests_their_control(register, users, client_for):
    # given the DPO names the CCAS agent owner of a checkpoint of a use case of another service, which the agent may
    # not read
    live = register["com_in_production"]
    audits.checkpoints_sync(use_case=live)
    checkpoint = live.checkpoints.first()
    audits.checkpoint_update(checkpoint=checkpoint, acting_user=users["dpo"], owner=users["agent"], frequency="monthly")
    client = client_for(users["agent"])

    html = text(client.get(url("my_checkpoints")))
    response = client.post(url("checkpoint_attest_quick", checkpoint.pk))

    assert live.reference in html and detail_url(live) not in html
    assert response.status_code == 302
    assert Attestation.objects.filter(checkpoint=checkpoint, attested_by=users["agent"]).exists()
    assert client.get(detail_url(live)).status_code == 404


# session, user, collectivité, membership (access), the user's collectivités (switcher), the checkpoints,
# and which of their use cases the person may open (guardian's shared-with-me is a subquery of it).
QUERIES_MY_CHECKPOINTS = 9  # + the menu: committee seat, "My tasks" count


@pytest.mark.parametrize("rows", [2, 20])
def test_my_checkpoints_in_a_constant_number_of_queries(
    rows, collectivite, services, users, client_for, django_assert_max_num_queries
):
    agent = users["agent"]
    for _index in range(rows // 2):
        use_case = UseCaseFactory(
            collectivite=collectivite, service=services["ccas"], owner=agent, status=UseCaseStatus.IN_PRODUCTION
        )
        audits.checkpoints_sync(use_case=use_case)
    assert Checkpoint.objects.filter(owner=agent).count() == rows
    client = client_for(agent)
    client.get(url("my_checkpoints"))  # warms the content-types cache, which a first request of the process fills

    with django_assert_max_num_queries(QUERIES_MY_CHECKPOINTS) as captured:
        response = client.get(url("my_checkpoints"))
    print(f"my checkpoints, {rows} rows: {len(captured)} queries")

    assert text(response).count('<tr data-checkpoint="') == rows


# Compliance ---------------------------------------------------------------------------------------


@pytest.fixture
def compliance_data(register):
    """Live use cases in the CCAS (approved) and in Communication (in production), one checkpoint overdue in each."""
    today = timezone.localdate()
    for name in ("ccas_approved", "com_in_production"):
        use_case = register[name]
        audits.checkpoints_sync(use_case=use_case)
        Checkpoint.objects.filter(use_case=use_case, type__code="output_review").update(
            next_due=today - dt.timedelta(days=5)
        )
    return register


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("chef", 200), ("dpo", 200), ("rssi", 200), ("comite", 403), ("dgs", 200), ("admin", 200)],
)
def test_compliance_is_for_the_dpo_rssi_dgs_admin_and_heads_of_service(
    role, status, compliance_data, users, client_for
):
    assert client_for(users[role]).get(url("compliance")).status_code == status


def test_compliance_shows_rates_services_and_overdue_with_owner_and_days_late(compliance_data, users, client_for):
    html = text(client_for(users["dpo"]).get(url("compliance")))

    overall = html[html.index("data-overall") :]
    assert 'data-rate="50"' in overall[: overall.index("</section>")]
    assert 'data-service="CCAS"' in html and 'data-service="Communication"' in html
    overdue = html[html.index("data-overdue") :]
    assert compliance_data["ccas_approved"].reference in overdue
    assert compliance_data["com_in_production"].reference in overdue
    assert str(compliance_data["ccas_approved"].owner) in overdue
    assert re.search(r"data-days-late><span[^>]*>5\b", overdue)


def test_a_head_of_service_sees_only_their_services(compliance_data, users, client_for):
    html = text(client_for(users["chef"]).get(url("compliance")))

    assert 'data-service="CCAS"' in html
    assert 'data-service="Communication"' not in html
    assert compliance_data["com_in_production"].reference not in html
    assert compliance_data["ccas_approved"].reference in html


def test_the_neighbours_dpo_sees_nothing_of_ours(compliance_data, outsider, client_for):
    html = text(client_for(outsider).get(url("compliance")))

    assert compliance_data["ccas_approved"].reference not in html
    assert fr("No checkpoint is overdue.") in html


def test_the_menu_offers_my_checkpoints_to_all_and_compliance_to_those_who_see_it(register, users, client_for):
    for role, compliance in (("agent", False), ("chef", True), ("comite", False), ("dgs", True), ("dpo", True)):
        html = text(client_for(users[role]).get(reverse("registry:use_case_list")))
        nav = html[html.index('class="registre-nav"') : html.index("</nav>", html.index('class="registre-nav"'))]
        assert url("my_checkpoints") in nav, role
        assert (url("compliance") in nav) is compliance, role


# session, user, collectivité, membership (access), the user's collectivités (switcher), the overall,
# per-service and per-use-case aggregates, the overdue list, and the services a head of service heads.
QUERIES_COMPLIANCE = 14  # + the menu: committee seat, "My tasks" count; + the AIDFs due (fria); + the incidents
# with an overdue notification


@pytest.mark.parametrize("use_cases", [2, 20])
def test_compliance_in_a_constant_number_of_queries(
    use_cases, collectivite, services, users, client_for, django_assert_max_num_queries
):
    today = timezone.localdate()
    for index in range(use_cases):
        use_case = UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas" if index % 2 else "communication"],
            owner=users["agent"],
            status=UseCaseStatus.IN_PRODUCTION,
        )
        audits.checkpoints_sync(use_case=use_case)
        Checkpoint.objects.filter(use_case=use_case, type__code="output_review").update(
            next_due=today - dt.timedelta(days=index + 1)
        )
    client = client_for(users["chef"])

    with django_assert_max_num_queries(QUERIES_COMPLIANCE) as captured:
        response = client.get(url("compliance"))
    print(f"compliance, {use_cases} use cases: {len(captured)} queries")

    assert response.status_code == 200
    assert text(response).count("data-checkpoint=") == use_cases // 2


# session, user, collectivité, membership (access), the use case, its history, the user's collectivités,
# its events — and for the checkpoints: the incidents, the checkpoints, their attestations, the attesters,
# and the use case's compliance (aggregate and overdue list).
# + the menu (seat, tasks count), the review rounds, its report (documents), its public record
QUERIES_USE_CASE_PAGE = 19


def test_the_use_case_page_costs_the_same_for_few_or_many_attestations(
    media, live, porteur, users, client_for, django_assert_max_num_queries
):
    client = client_for(users["chef"])
    client.get(detail_url(live))  # warms the content-types cache, which a first request of the process fills
    counts = []
    for extra in (1, 6):
        for checkpoint in live.checkpoints.all():
            for _index in range(extra):
                audits.attestation_record(checkpoint=checkpoint, acting_user=porteur, evidence=pdf())
        audits.incident_record(
            use_case=live,
            acting_user=users["dpo"],
            data={"occurred_at": timezone.now(), "description": "Erreur", "severity": "minor"},
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(live)).status_code == 200
        counts.append(len(queries))
    print(f"use case page: {counts} queries")
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(QUERIES_USE_CASE_PAGE):
        client.get(detail_url(live))
