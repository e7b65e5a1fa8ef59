"""Human-control checkpoints in a real browser: an owner attests from "Mes contrôles" in one click, then with a
PDF through the full form; the DPO reads the attestation on the use case, downloads the evidence, records a
serious incident and suspends the use case.

Screenshots go to `test-artifacts/checkpoints_*.png` for a human to look at.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from audits import services as audits
from audits.models import Attestation, Checkpoint, Incident
from registry.choices import UseCaseStatus
from tests.registry.factories import UseCaseFactory
from tests.web.helpers import fr, frn

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def national_catalogue(transactional_db):
    """The national checkpoint types come from a data migration, which the flush after an earlier browser
    test (transactional) erased: put them back, as the migration does."""
    import importlib

    from django.apps import apps

    importlib.import_module("audits.migrations.0002_national_catalogue").create(apps, None)


@pytest.fixture
def live_use_case(settings, tmp_path, collectivite, services, users, use_case):
    """A use case in production in the CCAS, owned by `porteur`, with its two checkpoints; one is overdue."""
    settings.MEDIA_ROOT = tmp_path / "media"
    live = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=use_case.owner,
        status=UseCaseStatus.IN_PRODUCTION,
        name="Réponses aux courriers du CCAS",
    )
    audits.checkpoints_sync(use_case=live)
    Checkpoint.objects.filter(use_case=live, type__code="output_review").update(
        next_due=timezone.localdate() - dt.timedelta(days=3)
    )
    return live


def test_an_owner_attests_and_the_dpo_checks_then_suspends(page, login, screenshot, live_use_case, tmp_path):
    live = live_use_case
    review = live.checkpoints.get(type__code="output_review")
    sources = live.checkpoints.get(type__code="source_verification")
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of data-confirm forms

    # the owner opens "Mes contrôles" from the menu: the overdue control comes first, in words
    login("porteur")
    page.locator(".registre-nav a[href='/mes-controles/']").click()
    page.wait_for_url(re.compile(r"/mes-controles/$"))
    overdue = page.locator("[data-group='overdue']")
    assert overdue.locator(f"tr[data-checkpoint='{review.pk}']").count() == 1
    assert frn("Overdue by %(days)s day", "Overdue by %(days)s days", 3) % {"days": 3} in overdue.inner_text()
    screenshot("checkpoints_01_my_checkpoints")

    # one click: attested today, nothing to report; the control leaves the overdue group
    overdue.locator(f"tr[data-checkpoint='{review.pk}'] form button").click()
    page.wait_for_url(re.compile(r"/mes-controles/$"))
    assert page.locator(".registre-messages .alert-success").is_visible()
    assert page.locator("[data-group='overdue']").count() == 0
    screenshot("checkpoints_02_attested_in_one_click")
    attestation = Attestation.objects.get(checkpoint=review)
    assert (attestation.outcome, attestation.performed_on) == ("ok", timezone.localdate())

    # the other control, with details and a PDF through the full form
    page.locator(f"tr[data-checkpoint='{sources.pk}'] a[href*='/controles/{sources.pk}/attester/']").click()
    page.wait_for_url(re.compile(rf"/controles/{sources.pk}/attester/"))
    evidence = tmp_path / "verification-sources.pdf"
    evidence.write_bytes(PDF)
    program = tmp_path / "outil.exe"
    program.write_bytes(b"MZ\x90\x00")
    page.locator("#id_outcome_1").check()  # an issue was found
    page.locator("#id_comment").fill("Deux références juridiques inventées ont été corrigées avant envoi.")
    # a program is refused next to the field; what was typed stays, the file must be chosen again
    page.locator("#id_evidence").set_input_files(str(program))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state()
    assert fr("This type of file is not accepted.") in page.locator("#id_evidence_error").inner_text()
    assert "références juridiques inventées" in page.locator("#id_comment").input_value()
    assert page.locator("#id_outcome_1").is_checked()
    screenshot("checkpoints_03a_wrong_file")
    page.locator("#id_evidence").set_input_files(str(evidence))
    screenshot("checkpoints_03b_attestation_form")
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mes-controles/$"))
    assert page.locator(".registre-messages .alert-success").is_visible()
    with_evidence = Attestation.objects.get(checkpoint=sources)
    assert with_evidence.evidence_name == "verification-sources.pdf"

    # the DPO opens the use case: the attestation, its comment and its evidence are there
    page.context.clear_cookies()
    login("dpo")
    page.goto(f"/registre/{live.pk}/")
    card = page.locator(f"#checkpoint-{sources.pk}")
    card.locator("details.checkpoint-history summary").click()
    assert "Deux références juridiques inventées" in card.inner_text()
    card.scroll_into_view_if_needed()
    screenshot("checkpoints_04_dpo_reads_the_use_case")
    with page.expect_download() as download_info:
        card.locator("a[data-evidence]").click()
    download = download_info.value
    assert download.suggested_filename == "verification-sources.pdf"
    assert Path(download.path()).read_bytes() == PDF
    page.locator(f"a[href='/controles/{sources.pk}/']").click()
    page.wait_for_url(re.compile(rf"/controles/{sources.pk}/$"))
    assert page.locator("[data-attestation]").count() == 1
    screenshot("checkpoints_04b_checkpoint_page")

    # the compliance page counts the use case's two checkpoints as attested on time
    page.locator(".registre-nav a[href='/conformite/']").click()
    page.wait_for_url(re.compile(r"/conformite/$"))
    assert page.locator("[data-overall] [data-rate]").get_attribute("data-rate") == "100"
    screenshot("checkpoints_05_compliance")

    # the DPO records a serious incident: the page then invites to suspend, with the reason required
    page.goto(f"/registre/{live.pk}/")
    page.locator(f"a[href='/registre/{live.pk}/incidents/nouveau/']").click()
    page.wait_for_url(re.compile(r"/incidents/nouveau/$"))
    page.locator("#id_description").fill("Un courrier a révélé la situation médicale d'un usager à un tiers.")
    page.locator("#id_severity_2").check()  # serious
    page.locator("#id_persons_affected").fill("1")
    page.locator("#id_personal_data_breach").check()
    page.locator("#id_actions_taken").fill("Courrier rappelé ; usager prévenu.")
    screenshot("checkpoints_06_incident_form")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/registre/{live.pk}/#suspend$"))
    assert page.locator("#suspend.suspend-panel-alert [data-serious-incident]").is_visible()
    assert page.locator("tr[data-severity='serious'] [data-breach]").is_visible()
    screenshot("checkpoints_07_serious_incident")
    assert Incident.objects.get(use_case=live).breach_deadline is not None

    page.locator("#suspend-reason").fill("Incident grave : divulgation de données de santé. Reprise après analyse.")
    page.locator("#suspend button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/registre/{live.pk}/$"))
    assert page.locator(".badge-status-suspended").first.is_visible()
    screenshot("checkpoints_08_suspended")
    live.refresh_from_db()
    assert live.status == UseCaseStatus.SUSPENDED


def test_an_approved_use_case_waits_for_the_owners_of_its_mandatory_checkpoints(
    page, login, screenshot, collectivite, services, users, use_case
):
    # given an approved use case whose output review has no owner
    approved = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=use_case.owner,
        status=UseCaseStatus.APPROVED,
        name="Synthèse des comptes rendus",
    )
    audits.checkpoints_sync(use_case=approved)
    review = approved.checkpoints.get(type__code="output_review")
    Checkpoint.objects.filter(pk=review.pk).update(owner=None)
    page.on("dialog", lambda dialog: dialog.accept())

    # the head of service is not offered a button that would fail: the page says, in one sentence, what is missing
    login("chef")
    page.goto(f"/registre/{approved.pk}/")
    production = f"form[action='/registre/{approved.pk}/mettre-en-production/'] button"
    assert page.locator(production).count() == 0
    blockers = page.locator("[data-production-blockers] li")
    assert blockers.count() == 1 and fr("Human review of outputs") in blockers.inner_text()
    assert page.locator("[data-ownerless]").count() == 0  # listed once, not twice
    screenshot("checkpoints_09_production_blocked")

    # an owner is named, then the use case goes into production
    page.locator(f"a[href='/controles/{review.pk}/modifier/']").click()
    page.locator("#id_owner").select_option(str(users["agent"].pk))
    screenshot("checkpoints_10_edit_owner")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/registre/{approved.pk}/#checkpoint-{review.pk}$"))
    assert page.locator("[data-production-blockers]").count() == 0
    page.locator(production).click()
    page.wait_for_url(re.compile(rf"/registre/{approved.pk}/$"))
    assert page.locator(".badge-status-in_production").first.is_visible()
    approved.refresh_from_db()
    assert approved.status == UseCaseStatus.IN_PRODUCTION


def test_my_checkpoints_and_the_use_case_on_a_phone(browser, live_server, live_use_case):
    from django.conf import settings
    from django.test import Client

    from .conftest import ARTIFACTS

    client = Client()
    client.force_login(live_use_case.owner)
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        for path, name in (
            ("/mes-controles/", "11_phone_my_checkpoints"),
            (f"/registre/{live_use_case.pk}/", "12_phone_use_case"),
        ):
            page.goto(path)
            # the page itself does not scroll sideways: only a table may, inside its box
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
            page.screenshot(path=str(ARTIFACTS / f"checkpoints_{name}.png"), full_page=True)
    finally:
        context.close()
