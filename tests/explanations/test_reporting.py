"""The explanations in « Mes tâches », on the dashboard and in the annual audit report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.pdf import document_html
from explanations.models import ExplanationRequest
from reporting import my_tasks
from reporting.reports import annual

from .factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(collectivite, entry):
    mine, _ = make_request(collectivite, entry)
    late, _ = make_request(collectivite, entry)
    ExplanationRequest.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    return mine, late


def test_my_tasks_lists_the_requests_to_answer_overdue_flagged(requests, users, head_ccas, client_for):
    from core.access import get_access

    page = client_for(users["dpo"]).get(reverse("registry:my_tasks"))
    body = page.content.decode()
    assert 'id="tasks-explanations"' in body or "tasks-explanations" in body
    assert requests[0].reference in body and requests[1].reference in body
    assert "data-overdue" in body
    counts = my_tasks.task_counts(head_ccas, get_access(head_ccas, requests[0].collectivite))
    assert counts["explanations"] == 2
    assert "explanations" not in my_tasks.task_counts(
        users["agent"], get_access(users["agent"], requests[0].collectivite)
    )


def test_the_dashboard_counts_open_and_overdue(requests, users, client_for):
    page = client_for(users["dpo"]).get(reverse("registry:home"))
    assert page.context["explanations"] == {"open": 2, "overdue": 1}
    body = page.content.decode()
    assert 'data-figure-link="explanations-overdue" data-count="1"' in body
    assert "explanations" not in client_for(users["agent"]).get(reverse("registry:home")).context


def test_the_annual_report_has_its_section(requests, collectivite):
    year = timezone.localdate().year
    context = annual.context(collectivite, year)
    assert context["explanations"].received == 2 and context["explanations"].open_overdue == 1
    from documents.pdf import PdfSpec

    html = document_html(
        PdfSpec(template="documents/annual_report.html", title="Rapport", context=context),
        collectivite=collectivite,
        generated_at=timezone.now(),
    )
    assert 'id="explanations"' in html
    assert 'data-explanations="overdue">1<' in html


def test_the_tasks_api_lists_the_requests(requests, users, collectivite):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["dpo"])
    sections = {section["key"]: section for section in client.get("/api/v1/tasks/").json()["sections"]}
    assert sections["explanations"]["object"] == "explanation_request"
    assert {item["id"] for item in sections["explanations"]["items"]} == {request.pk for request in requests}
