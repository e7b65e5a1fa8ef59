"""The incident page (qualification, deadlines, notifications, breach) and the API of serious incidents: what each
person may see and do, the forms keeping what was typed, the refusals (404 out of sight, 403 not allowed)."""

import datetime as dt
import zoneinfo
from html import unescape

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audits import incidents
from audits.models import Incident, IncidentNotification
from core.roles import Role
from security.models import SecurityEvent
from tests.audits.incidents_support import member, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _midday():
    """A fixed afternoon in Paris: « immediately » means the same day, which a test run near midnight would cross."""
    with time_machine.travel(dt.datetime(2026, 3, 11, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), tick=True):
        yield


def page(client, incident):
    return client.get(reverse("audits:incident_detail", args=[incident.pk]))


def html(response) -> str:
    return unescape(response.content.decode())


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# The page -----------------------------------------------------------------------------------------------------------


def test_the_incident_page_shows_the_qualification_form_to_those_who_may_act(high_risk, users, owner, client_for):
    incident = record(high_risk, users["dpo"], breach=True)
    for user in (users["dpo"], users["rssi"], owner, users["chef"]):
        body = html(page(client_for(user), incident))
        assert "Qualifier l'incident" in body and "Enregistrer une notification" in body
    # the DGS reads, does not act; the breach form is the DPO's
    body = html(page(client_for(users["dgs"]), incident))
    assert "Enregistrer la qualification" not in body and "Télécharger le rapport (PDF)" in body
    assert "Évaluer la violation" in html(page(client_for(users["dpo"]), incident))
    assert "Évaluer la violation" not in html(page(client_for(users["rssi"]), incident))


def test_the_incident_page_is_out_of_sight_for_another_collectivite_and_a_foreign_agent(
    high_risk, users, outsider, collectivite, services, client_for
):
    incident = record(high_risk, users["dpo"])
    stranger = member(collectivite, "agent-com", Role.AGENT, services["communication"])
    for user in (outsider, stranger):
        client = client_for(user)
        assert page(client, incident).status_code == 404
        assert client.get(reverse("audits:incident_report", args=[incident.pk])).status_code == 404
        response = client.post(reverse("audits:incident_qualify", args=[incident.pk]), {"qualification-serious": "yes"})
        assert response.status_code == 404


def test_a_ccas_agent_sees_the_incident_but_may_not_qualify_nor_notify(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"])
    client = client_for(users["agent"])
    assert page(client, incident).status_code == 200
    qualify = client.post(
        reverse("audits:incident_qualify", args=[incident.pk]),
        {
            "qualification-serious": "yes",
            "qualification-category": "c",
            "qualification-aware_at": local(timezone.now()),
        },
    )
    assert qualify.status_code == 403
    notify = client.post(reverse("audits:incident_notification_add", args=[incident.pk]), {})
    assert notify.status_code == 403
    assert client.post(reverse("audits:incident_breach_assess", args=[incident.pk]), {}).status_code == 403
    incident.refresh_from_db()
    assert incident.serious is None


def test_another_head_of_service_may_not_act(high_risk, users, collectivite, services, client_for):
    incident = record(high_risk, users["dpo"])
    head = member(collectivite, "chef-com", Role.HEAD_OF_SERVICE, services["communication"])
    response = client_for(head).post(reverse("audits:incident_qualify", args=[incident.pk]), {})
    assert response.status_code in (403, 404)


def test_qualifying_then_notifying_on_the_page(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"], hours_ago=5)
    client = client_for(users["rssi"])
    aware = timezone.now() - dt.timedelta(hours=4)
    response = client.post(
        reverse("audits:incident_qualify", args=[incident.pk]),
        {
            "qualification-serious": "yes",
            "qualification-category": "a",
            "qualification-death": "on",
            "qualification-aware_at": local(aware),
            "qualification-comment": "Un usager hospitalisé.",
        },
        follow=True,
    )
    body = html(response)
    assert "Qualification enregistrée." in body and 'data-clock="authority"' in body
    assert "10 jours calendaires" in body and "il reste" in body
    upload = SimpleUploadedFile("envoi.pdf", b"%PDF-1.7\nenvoi\n", content_type="application/pdf")
    response = client.post(
        reverse("audits:incident_notification_add", args=[incident.pk]),
        {
            "notification-recipient": "provider",
            "notification-recipient_name": "Éditeur SAS",
            "notification-sent_at": local(timezone.now() - dt.timedelta(hours=1)),
            "notification-channel": "email",
            "notification-stage": "initial",
            "notification-reference": "TICKET-42",
            "notification-attachment": upload,
        },
        follow=True,
    )
    body = html(response)
    assert "Notification enregistrée." in body and "TICKET-42" in body and "Fait dans le délai" in body
    notification = IncidentNotification.objects.get()
    download = client.get(reverse("audits:notification_attachment_download", args=[notification.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_wrong_notification_keeps_what_was_typed(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"])
    response = client_for(users["dpo"]).post(
        reverse("audits:incident_notification_add", args=[incident.pk]),
        {
            "notification-recipient": "other",
            "notification-sent_at": local(timezone.now()),
            "notification-channel": "letter",
            "notification-stage": "initial",
            "notification-reference": "REF-TAPÉE",
        },
    )
    body = html(response)
    assert response.status_code == 400
    assert "Indiquez qui a été notifié" in body and 'value="REF-TAPÉE"' in body and "Erreur" in body
    assert not IncidentNotification.objects.exists()


def test_a_wrong_qualification_keeps_what_was_typed(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"])
    response = client_for(users["dpo"]).post(
        reverse("audits:incident_qualify", args=[incident.pk]),
        {
            "qualification-serious": "yes",
            "qualification-aware_at": local(timezone.now()),
            "qualification-comment": "Motif tapé",
        },
    )
    body = html(response)
    assert response.status_code == 400 and "Choisissez ce à quoi l'incident a conduit" in body and "Motif tapé" in body


def test_the_dpo_assesses_the_breach_on_the_page(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"], breach=True)
    response = client_for(users["dpo"]).post(
        reverse("audits:incident_breach_assess", args=[incident.pk]),
        {"breach-risk": "unlikely", "breach-cnil_not_required_reason": "Données chiffrées, clé non compromise."},
        follow=True,
    )
    body = html(response)
    assert "Évaluation de la violation enregistrée." in body and 'data-clock="cnil" data-status="not_required"' in body


def test_the_use_case_page_links_to_the_incident(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"])
    body = html(client_for(users["dpo"]).get(reverse("registry:use_case_detail", args=[high_risk.pk])))
    assert reverse("audits:incident_detail", args=[incident.pk]) in body


# The PDF report -----------------------------------------------------------------------------------------------------


def test_the_report_downloads_for_whoever_sees_the_incident_and_is_journaled(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"])
    response = client_for(users["agent"]).get(reverse("audits:incident_report", args=[incident.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert SecurityEvent.objects.filter(kind="document_download", object_id=str(incident.pk)).exists()


# The API ------------------------------------------------------------------------------------------------------------


def api(use_case, incident=None, suffix=""):
    base = f"/api/v1/use-cases/{use_case.pk}/incidents/"
    return base + (f"{incident.pk}/{suffix}" if incident else "")


def test_the_api_qualifies_lists_and_records_notifications(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"], breach=True)
    client = client_for(users["rssi"])
    response = client.post(
        api(high_risk, incident, "qualify/"),
        {"serious": True, "category": "c", "widespread_infringement": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["serious"] is True and data["serious_category"] == "c"
    deadlines = {d["code"]: d for d in data["deadlines"]}
    assert deadlines["authority"]["status"] == "due" and deadlines["cnil"]["status"] == "due"
    assert data["report_url"].endswith(f"/incidents/{incident.pk}/rapport.pdf")
    response = client.post(
        api(high_risk, incident, "notifications/"),
        {"recipient": "authority", "sent_at": timezone.now().isoformat(), "channel": "portal", "reference": "ASM-9"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "initial"
    listing = client.get(api(high_risk, incident, "notifications/")).json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert [row["reference"] for row in rows] == ["ASM-9"]
    detail = client.get(api(high_risk, incident)).json()
    assert {d["code"]: d for d in detail["deadlines"]}["authority"]["status"] == "met"


def test_the_api_refuses_a_bad_qualification_with_the_field(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"])
    response = client_for(users["dpo"]).post(
        api(high_risk, incident, "qualify/"), {"serious": True}, content_type="application/json"
    )
    assert response.status_code == 400 and "category" in response.json()["errors"]


def test_the_api_refuses_who_may_not_act_or_see(high_risk, users, outsider, client_for):
    incident = record(high_risk, users["dpo"])
    agent = client_for(users["agent"])
    body = {"serious": True, "category": "c"}
    assert agent.post(api(high_risk, incident, "qualify/"), body, content_type="application/json").status_code == 403
    notification = {"recipient": "provider", "sent_at": timezone.now().isoformat(), "channel": "email"}
    response = agent.post(api(high_risk, incident, "notifications/"), notification, content_type="application/json")
    assert response.status_code == 403
    breach = {"risk": "risk"}
    rssi = client_for(users["rssi"])
    assert (
        rssi.post(api(high_risk, incident, "breach-assessment/"), breach, content_type="application/json").status_code
        == 403
    )
    stranger = client_for(outsider)
    assert stranger.get(api(high_risk, incident)).status_code == 404
    assert stranger.get(api(high_risk, incident, "notifications/")).status_code == 404
    assert stranger.post(api(high_risk, incident, "qualify/"), body, content_type="application/json").status_code == 404
    assert Incident.objects.get(pk=incident.pk).serious is None


def test_the_api_breach_assessment_by_the_dpo(high_risk, users, client_for):
    incident = record(high_risk, users["dpo"], breach=True)
    response = client_for(users["dpo"]).post(
        api(high_risk, incident, "breach-assessment/"),
        {"risk": "high", "persons_exemption": "c"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["persons_exemption"] == "c"
    assert incidents.EVENT_BREACH_ASSESSED == "incident_breach_assessed"
