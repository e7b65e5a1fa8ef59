"""The AIDF's web pages: the use case page's section, writing with the register's suggestions, the lock, submitting,
the DPO's review, the notification, the versions, the PDF, the AIPD file, and who is refused."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fria import services
from fria.models import Fria, FriaStatus
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.fria.factories import PART_TEXTS, approved_fria, notified_fria, submitted_fria, written_fria

pytestmark = pytest.mark.django_db


def url(name, use_case, query=""):
    return reverse(f"fria:{name}", args=[use_case.pk]) + query


def page(client, address):
    response = client.get(address)
    return response, unescape(response.content.decode())


def form_data(fria, **changes):
    return {**PART_TEXTS, "aipd_reference": "AIPD-1", "aipd_conclusion": "", "version": fria.version, **changes}


# The use case's page -------------------------------------------------------------------------------------------


def test_the_use_case_page_shows_the_aidf_to_start(scoring, owner, client_for):
    response, html = page(client_for(owner), reverse("registry:use_case_detail", args=[scoring.pk]))
    assert response.status_code == 200
    assert "Analyse d'impact sur les droits fondamentaux (AIDF)" in html
    assert 'data-fria-status="missing"' in html
    assert url("start", scoring) in html


def test_the_use_case_page_shows_the_status_and_links_of_the_aidf(scoring, owner, users, client_for):
    notified_fria(scoring, owner, users["dpo"])
    _response, html = page(client_for(users["chef"]), reverse("registry:use_case_detail", args=[scoring.pk]))
    assert 'data-fria-status="notified"' in html
    assert url("detail", scoring) in html and url("pdf", scoring) in html
    assert "Terminée et notifiée" in html


def test_a_use_case_without_aidf_has_no_section(use_case, users, client_for):
    _response, html = page(client_for(users["dpo"]), reverse("registry:use_case_detail", args=[use_case.pk]))
    assert "data-fria-section" not in html


def test_the_use_case_page_costs_one_query_more_with_an_aidf_and_no_more_with_its_versions(
    scoring, owner, users, client_for
):
    client = client_for(users["chef"])
    address = reverse("registry:use_case_detail", args=[scoring.pk])
    client.get(address)  # warms the caches a first request fills
    counts = []
    for step in range(2):
        if step:
            fria = approved_fria(scoring, owner, users["dpo"])
            services.fria_reopen(fria=fria, acting_user=owner)
            fria.refresh_from_db()
            services.fria_submit(fria=fria, acting_user=owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Writing ---------------------------------------------------------------------------------------------------------


def test_the_owner_starts_the_aidf_and_sees_the_suggestions_beside_each_part(scoring, owner, client_for):
    client = client_for(owner)
    response = client.post(url("start", scoring))
    assert response.status_code == 302 and response.url == url("edit", scoring)

    response, html = page(client, url("edit", scoring))
    assert response.status_code == 200
    for letter in "abcdef":
        assert f'id="suggestion-{letter}-text"' in html
    assert "Ce que le registre sait" in html
    assert "Aider l'instruction des demandes d'aide sociale." in html
    assert 'data-insert-suggestion="id_risks"' in html


def test_a_draft_is_saved_and_an_error_keeps_what_was_typed(scoring, owner, client_for):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    client = client_for(owner)

    response = client.post(url("edit", scoring), form_data(fria, risks="Mon texte tapé."))
    assert response.status_code == 302
    assert Fria.objects.get(pk=fria.pk).risks == "Mon texte tapé."

    fria.refresh_from_db()
    response = client.post(
        url("edit", scoring),
        {**form_data(fria, risks="Encore tapé."), "aipd_file": SimpleUploadedFile("aipd.exe", b"MZ")},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Encore tapé." in html and 'id="error-summary"' in html
    assert Fria.objects.get(pk=fria.pk).risks == "Mon texte tapé."


def test_a_stale_form_is_refused_and_keeps_what_was_typed(scoring, owner, users, client_for):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    stale = form_data(fria, risks="Ma version.")
    services.fria_update(fria=fria, acting_user=users["chef"], data={"risks": "Celle du chef."})

    response = client_for(owner).post(url("edit", scoring), stale)

    html = unescape(response.content.decode())
    assert response.status_code == 409
    assert "Ma version." in html and "Quelqu'un d'autre a modifié cette AIDF" in html
    assert Fria.objects.get(pk=fria.pk).risks == "Celle du chef."


def test_save_and_submit_freezes_the_version(scoring, owner, client_for):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    response = client_for(owner).post(url("edit", scoring), {**form_data(fria), "action": "submit"})
    assert response.status_code == 302
    fria.refresh_from_db()
    assert fria.status == FriaStatus.SUBMITTED and fria.versions.count() == 1


def test_submitting_an_incomplete_aidf_saves_the_draft_and_says_what_is_missing(scoring, owner, client_for):
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    response = client_for(owner).post(url("edit", scoring), {**form_data(fria, measures=""), "action": "submit"})
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Complétez la partie f)" in html
    fria.refresh_from_db()
    assert fria.status == FriaStatus.DRAFT and fria.measures == ""
    assert f'name="version" value="{fria.version}"' in html


# Review and notification --------------------------------------------------------------------------------------


def test_the_dpo_approves_then_the_owner_records_the_notification(scoring, owner, users, client_for):
    submitted_fria(scoring, owner)
    dpo = client_for(users["dpo"])
    response, html = page(dpo, url("review", scoring))
    assert response.status_code == 200 and PART_TEXTS["risks"] in html

    assert dpo.post(url("review", scoring), {"decision": "approved", "comment": "", "version": ""}).status_code == 302
    assert Fria.objects.get(use_case=scoring).status == FriaStatus.APPROVED

    client = client_for(owner)
    response, html = page(client, url("notify", scoring))
    assert response.status_code == 200
    bad = client.post(url("notify", scoring), {"notified_on": "31/02/2026", "notification_means": "Courriel"})
    assert bad.status_code == 400 and "Courriel" in unescape(bad.content.decode())
    response = client.post(
        url("notify", scoring),
        {
            "notified_on": timezone.localdate().isoformat(),
            "notification_means": "Courriel",
            "notification_authority": "ASM",
            "notification_reference": "R-1",
        },
    )
    assert response.status_code == 302
    assert Fria.objects.get(use_case=scoring).status == FriaStatus.NOTIFIED


def test_sending_back_needs_a_comment_and_keeps_the_choice(scoring, owner, users, client_for):
    submitted_fria(scoring, owner)
    response = client_for(users["dpo"]).post(url("review", scoring), {"decision": "returned", "comment": ""})
    assert response.status_code == 400
    assert 'value="returned" checked' in response.content.decode() or "checked" in response.content.decode()


def test_the_versions_page_lists_each_submission(scoring, owner, users, client_for):
    fria = submitted_fria(scoring, owner)
    services.fria_review(fria=fria, acting_user=users["dpo"], decision="returned", comment="À préciser.")
    fria.refresh_from_db()
    services.fria_submit(fria=fria, acting_user=owner)

    response, html = page(client_for(owner), url("versions", scoring))
    assert response.status_code == 200
    assert 'data-version="1"' in html and 'data-version="2"' in html and "À préciser." in html


def test_the_aipd_file_is_a_download_for_those_who_see_the_use_case(
    scoring, owner, users, other_head, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    fria = services.fria_start(use_case=scoring, acting_user=owner)
    services.fria_update(
        fria=fria, acting_user=owner, data={}, aipd_file=SimpleUploadedFile("aipd.pdf", b"%PDF-1.4 aipd")
    )
    response = client_for(users["dpo"]).get(url("aipd_download", scoring))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for(other_head).get(url("aipd_download", scoring)).status_code == 404


# Production ----------------------------------------------------------------------------------------------------


def test_the_production_button_says_what_the_aidf_still_needs(scoring, owner, users, client_for):
    UseCase.objects.filter(pk=scoring.pk).update(status=UseCaseStatus.APPROVED)
    approved_fria(scoring, owner, users["dpo"])
    client = client_for(owner)
    response = client.post(reverse("audits:use_case_put_into_production", args=[scoring.pk]), follow=True)
    html = unescape(response.content.decode())
    assert "notifiés à l'autorité de surveillance du marché" in html
    assert UseCase.objects.get(pk=scoring.pk).status == UseCaseStatus.APPROVED

    fria = Fria.objects.get(use_case=scoring)
    services.fria_notify(
        fria=fria, acting_user=owner, notified_on=timezone.localdate(), means="Courriel", authority="ASM"
    )
    client.post(reverse("audits:use_case_put_into_production", args=[scoring.pk]))
    assert UseCase.objects.get(pk=scoring.pk).status == UseCaseStatus.IN_PRODUCTION


# Refusals ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["detail", "edit", "review", "notify", "versions", "pdf"])
def test_out_of_sight_the_aidf_answers_404(name, scoring, owner, other_head, other_dpo, client_for):
    written_fria(scoring, owner)
    for intruder in (other_head, other_dpo):
        assert client_for(intruder).get(url(name, scoring)).status_code == 404


def test_who_may_see_but_not_write_is_refused_403(scoring, owner, users, ccas_agent, client_for):
    fria = written_fria(scoring, owner)
    UseCase.objects.filter(pk=scoring.pk).update(status=UseCaseStatus.IN_PRODUCTION)  # the CCAS's agents see it
    agent = client_for(ccas_agent)
    assert agent.get(url("detail", scoring)).status_code == 200
    assert agent.get(url("edit", scoring)).status_code == 403
    assert agent.post(url("edit", scoring), form_data(fria, risks="Intrus.")).status_code == 403
    assert agent.post(url("submit", scoring), {"version": fria.version}).status_code == 403
    assert agent.post(url("start", scoring)).status_code == 403
    assert client_for(users["dgs"]).get(url("edit", scoring)).status_code == 403
    assert Fria.objects.get(pk=fria.pk).risks == PART_TEXTS["risks"]


def test_only_the_dpo_reviews_on_the_web(scoring, owner, users, client_for):
    submitted_fria(scoring, owner)
    for who in (owner, users["rssi"], users["chef"]):
        assert client_for(who).get(url("review", scoring)).status_code == 403
        assert client_for(who).post(url("review", scoring), {"decision": "approved"}).status_code == 403
    assert Fria.objects.get(use_case=scoring).status == FriaStatus.SUBMITTED
