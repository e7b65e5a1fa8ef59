"""Serious incidents and breaches across reporting: the PDF report (its text: the qualification, the notifications,
the deadlines met), « Mes tâches », the dashboard, the compliance page and API, the annual report."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audits import incidents
from audits.models import Incident
from core.roles import Role
from documents.models import Document
from documents.pdf import render_pdf
from reporting.reports import annual
from reporting.reports import incident as incident_report
from tests.audits.incidents_support import make_high_risk, make_owner, member, record
from tests.reporting.reports_support import missing, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _midday():
    """A fixed afternoon in Paris: « immediately » means the same day, which a test run near midnight would cross."""
    with time_machine.travel(dt.datetime(2026, 6, 16, 15, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), tick=True):
        yield


@pytest.fixture
def owner(collectivite, services):
    return make_owner(collectivite, services)


@pytest.fixture
def high_risk(collectivite, services, owner):
    return make_high_risk(collectivite, services, owner)


def notify(incident, user, recipient, when, **kwargs):
    return incidents.incident_notification_record(
        incident=incident,
        acting_user=user,
        recipient=recipient,
        sent_at=when,
        channel=kwargs.pop("channel", "email"),
        stage=kwargs.pop("stage", "initial"),
        **kwargs,
    )


@pytest.fixture
def reported_in_time(high_risk, users):
    """A serious incident 6 days ago: provider informed the same day, the authority's initial report on day 3."""
    aware = timezone.now() - dt.timedelta(days=6)
    with time_machine.travel(aware, tick=False):
        incident = record(high_risk, users["dpo"], hours_ago=2)
    incidents.incident_qualify(
        incident=incident, acting_user=users["dpo"], serious=True, category="c", aware_at=aware, comment="Refus d'aide."
    )
    notify(incident, users["dpo"], "provider", aware + dt.timedelta(minutes=30), recipient_name="Éditeur SAS")
    notify(
        incident, users["dpo"], "authority", aware + dt.timedelta(days=3), reference="ASM-2026-0042", channel="portal"
    )
    return Incident.objects.get(pk=incident.pk)


@pytest.fixture
def overdue_breach(high_risk, users):
    """A breach four days old, never notified to the CNIL: its 72 hours are past."""
    with time_machine.travel(timezone.now() - dt.timedelta(days=4), tick=False):
        return record(high_risk, users["rssi"], hours_ago=1, breach=True)


def test_the_pdf_report_says_the_qualification_the_notifications_and_the_deadlines_met(reported_in_time, collectivite):
    text = pdf_text(incident_report.render(reported_in_time).content)
    assert not missing(
        text,
        [
            "Rapport d'incident",
            "Incident grave (RIA, art. 3, point 49)",
            "c) violation des obligations du droit de l'Union visant à protéger les droits fondamentaux",
            "Refus d'aide.",
            "Informer le fournisseur",
            "Notifier l'autorité de surveillance du marché",
            "15 jours calendaires après la prise de connaissance",
            "ASM-2026-0042",
            "Éditeur SAS",
            "Oui, dans le délai",
            "Fait dans le délai",
            "Rapport initial envoyé ; rapport complet à venir",
            "Prédicteur d'aides",
        ],
    )
    assert "Non, en retard" not in text


def test_the_pdf_report_flags_a_late_notification(high_risk, users):
    aware = timezone.now() - dt.timedelta(days=20)
    with time_machine.travel(aware, tick=False):
        incident = record(high_risk, users["dpo"], hours_ago=1)
    incidents.incident_qualify(incident=incident, acting_user=users["dpo"], serious=True, category="d", aware_at=aware)
    notify(incident, users["dpo"], "authority", aware + dt.timedelta(days=17), stage="complete")
    text = pdf_text(incident_report.render(Incident.objects.get(pk=incident.pk)).content)
    assert not missing(text, ["Non, en retard", "Fait en retard", "En retard", "Rapport complet envoyé."])


def test_mes_taches_lists_the_open_clocks_for_the_dpo_the_rssi_and_the_owner(
    overdue_breach, high_risk, owner, users, collectivite, services, client_for
):
    for user in (users["dpo"], users["rssi"], owner):
        response = client_for(user).get(reverse("registry:my_tasks"))
        body = response.content.decode()
        assert 'id="tasks-incidents"' in body and f'data-incident="{overdue_breach.pk}"' in body
        assert "Notifier la CNIL" in body and "En retard" in body
    # an agent of the service, the DGS and another owner do not get it
    other = member(collectivite, "autre-porteur", Role.AGENT, services["ccas"])
    for user in (users["agent"], users["dgs"], other):
        body = client_for(user).get(reverse("registry:my_tasks")).content.decode()
        assert f'data-incident="{overdue_breach.pk}"' not in body
    tasks = client_for(users["dpo"]).get("/api/v1/tasks/").json()
    section = next(s for s in tasks["sections"] if s["key"] == "incidents")
    assert section["object"] == "incident" and section["items"][0]["id"] == overdue_breach.pk


def test_a_notified_incident_leaves_mes_taches(reported_in_time, users, client_for):
    body = client_for(users["dpo"]).get(reverse("registry:my_tasks")).content.decode()
    assert f'data-incident="{reported_in_time.pk}"' not in body


def test_the_dashboard_and_the_compliance_page_flag_the_overdue_ones(overdue_breach, users, client_for):
    client = client_for(users["dgs"])
    dashboard = client.get("/").content.decode()
    assert 'data-figure="overdue_incidents">1<' in dashboard
    compliance = client.get(reverse("audits:compliance")).content.decode()
    assert 'data-overdue-incidents="1"' in compliance and f'data-overdue-incident="{overdue_breach.pk}"' in compliance
    assert "Notifier la CNIL" in compliance and "en retard de" in compliance
    data = client.get("/api/v1/compliance/").json()
    assert data["overdue_incidents"][0]["id"] == overdue_breach.pk
    assert data["overdue_incidents"][0]["overdue_deadlines"][0]["code"] == "cnil"


def test_compliance_shows_a_head_of_service_only_their_services(overdue_breach, collectivite, services, client_for):
    head = member(collectivite, "chef-com", Role.HEAD_OF_SERVICE, services["communication"])
    body = client_for(head).get(reverse("audits:compliance")).content.decode()
    assert 'data-overdue-incidents="0"' in body
    assert client_for(head).get("/api/v1/compliance/").json()["overdue_incidents"] == []


def test_the_annual_report_counts_the_notifications_in_time_late_and_overdue(
    reported_in_time, overdue_breach, collectivite
):
    year = timezone.localdate().year
    document = Document(collectivite=collectivite, kind=Document.Kind.ANNUAL_REPORT, year=year, subject_key="y")
    spec = annual.build(document)
    figures = spec.context["incident_notifications"]
    assert (figures.serious, figures.breaches, figures.met, figures.overdue) == (1, 1, 2, 1)
    text = pdf_text(render_pdf(spec, collectivite=collectivite, generated_at=timezone.now()).content)
    assert not missing(
        text,
        [
            "Incidents graves, violations et leurs notifications",
            "1 incident(s) grave(s) (RIA, art. 3, point 49) et 1 violation(s) de données personnelles ; "
            "notifications : 2 dans le délai",
        ],
    )
