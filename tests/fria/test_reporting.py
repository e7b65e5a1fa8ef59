"""The AIDFs due across the register: « Mes tâches » (owners to complete, the DPO to review, to notify), the compliance
page and its API, the annual audit report."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from documents.pdf import render_pdf
from registry.models import ApplicationDate
from reporting.my_tasks import pending_task_count, task_counts
from reporting.reports import annual
from tests.fria.factories import approved_fria, high_risk_use_case, notified_fria, submitted_fria
from tests.reporting.reports_support import missing, pdf_text

pytestmark = pytest.mark.django_db

TASKS = reverse("registry:my_tasks")


def sections_of(client):
    html = unescape(client.get(TASKS).content.decode())
    return html


def fria_tasks(html):
    """The AIDF items of « Mes tâches »: {reference: status} ("missing" when not started)."""
    import re

    return dict(re.findall(r'data-task="([^"]+)" data-fria-task="([^"]+)"', html))


def test_the_owner_sees_the_aidf_to_complete_and_the_dpo_nothing_yet(scoring, owner, users, client_for):
    from core.access import get_access

    html = sections_of(client_for(owner))
    assert 'data-tasks="fria"' in html and fria_tasks(html) == {scoring.reference: "missing"}
    assert reverse("fria:detail", args=[scoring.pk]) in html
    assert task_counts(owner, get_access(owner, scoring.collectivite))["fria"] == 1
    assert 'data-tasks="fria"' not in sections_of(client_for(users["dpo"]))  # shown only when something waits
    assert 'data-tasks="fria"' not in sections_of(client_for(users["agent"]))


def test_the_dpo_sees_the_aidf_to_review_then_both_the_notification_to_record(scoring, owner, users, client_for):
    from core.access import get_access
    from fria import services

    fria = submitted_fria(scoring, owner)
    html = sections_of(client_for(users["dpo"]))
    assert fria_tasks(html) == {scoring.reference: "submitted"}
    assert reverse("fria:review", args=[scoring.pk]) in html
    assert 'data-tasks="fria"' not in sections_of(client_for(owner))  # nothing to do while the DPO reviews

    services.fria_review(fria=fria, acting_user=users["dpo"], decision="approved")
    for who in (owner, users["dpo"]):
        html = sections_of(client_for(who))
        assert fria_tasks(html) == {scoring.reference: "approved"}
        assert reverse("fria:notify", args=[scoring.pk]) in html
    access = get_access(owner, scoring.collectivite)
    assert task_counts(owner, access)["fria"] == 1
    assert pending_task_count(owner, access) >= 1

    api = client_for(owner).get("/api/v1/tasks/").json()
    section = next(section for section in api["sections"] if section["key"] == "fria")
    assert section["object"] == "use_case" and section["items"][0]["use_case"] == scoring.pk


def test_a_notified_aidf_leaves_the_tasks(scoring, owner, users, client_for):
    notified_fria(scoring, owner, users["dpo"])
    for who in (owner, users["dpo"]):
        assert 'data-tasks="fria"' not in sections_of(client_for(who))


def test_the_compliance_page_and_its_api_list_the_aidfs_due(scoring, owner, users, client_for, collectivite, services):
    done = high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=owner, name="Déjà notifiée")
    notified_fria(done, owner, users["dpo"])
    approved_fria(scoring, owner, users["dpo"])

    response = client_for(users["dpo"]).get(reverse("audits:compliance"))
    html = unescape(response.content.decode())
    assert 'data-fria-due="1"' in html
    assert f'data-fria-due-row="{scoring.reference}"' in html and "Approuvée par le DPO, à notifier" in html
    assert f'data-fria-due-row="{done.reference}"' not in html

    body = client_for(users["dpo"]).get("/api/v1/compliance/").json()
    assert [(row["reference"], row["fria_status"]) for row in body["fria_due"]] == [(scoring.reference, "approved")]


def test_a_head_of_another_service_sees_none_of_them_on_the_compliance_page(scoring, other_head, client_for):
    html = unescape(client_for(other_head).get(reverse("audits:compliance")).content.decode())
    assert 'data-fria-due="0"' in html and scoring.reference not in html


@pytest.mark.parametrize("applies", [True, False])
def test_the_annual_report_shows_the_aidfs_due_and_completed(
    applies, owner, users, collectivite, services, tool, settings, tmp_path
):
    # The AIDF applies with the high-risk obligations of Annex III (AI Act art. 113): the register holds the date.
    today = timezone.localdate()
    ApplicationDate.objects.filter(key="high_risk_annex_iii").update(
        applies_from=today - datetime.timedelta(days=30) if applies else today + datetime.timedelta(days=300)
    )
    settings.MEDIA_ROOT = tmp_path
    scoring = high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=owner, tool=tool)
    done = high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=owner, name="Déjà notifiée")
    notified_fria(done, owner, users["dpo"])
    year = today.year

    context = annual.context(collectivite, year)
    assert [u.reference for u in context["fria"]["completed"]] == [done.reference]
    assert [u.reference for u in context["fria"]["due"]] == ([scoring.reference] if applies else [])
    assert [u.reference for u in context["fria"]["to_prepare"]] == ([] if applies else [scoring.reference])

    document = Document(
        collectivite=collectivite, kind=Document.Kind.ANNUAL_REPORT, year=year, subject_key=f"year:{year}"
    )
    spec = annual.build(document)
    text = pdf_text(render_pdf(spec, collectivite=collectivite, generated_at=timezone.now()).content)
    counts = "Terminées et notifiées : 1. À réaliser : 1." if applies else "Terminées et notifiées : 1. À réaliser : 0."
    assert not missing(text, ["Analyses d'impact sur les droits fondamentaux (AIDF)", counts, done.reference])
    # A use whose AIDF is not due yet is counted, not named.
    assert (scoring.reference in text) == applies
