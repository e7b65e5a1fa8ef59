"""A serious incident in a real browser: the DPO records an incident of a high-risk AI system, qualifies it as serious
(AI Act art. 3(49)), sees the clocks start, records the provider's and the authority's notifications within their
deadlines, finds the incident in « Mes tâches » while they are due, and downloads the PDF report. axe-core checks
every page visited.

Screenshots go to `test-artifacts/serious_incident_*.png`, the report to `test-artifacts/serious_incident_report.pdf`.
"""

import io
import re

import pypdf
import pytest

from audits.models import Incident
from tests.audits.incidents_support import make_high_risk, make_owner
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_dpo_records_qualifies_notifies_and_downloads_the_report(
    page, login, screenshot, collectivite, services, users
):
    use_case = make_high_risk(collectivite, services, make_owner(collectivite, services))
    page.on("dialog", lambda dialog: dialog.accept())

    # the DPO reports an incident from the use case's page
    login("dpo")
    page.goto(f"/registre/{use_case.pk}/")
    page.locator(f"a[href='/registre/{use_case.pk}/incidents/nouveau/']").click()
    page.wait_for_url(re.compile(r"/incidents/nouveau/$"))
    page.locator("#id_description").fill(
        "Une proposition erronée a conduit à refuser une aide d'urgence à une famille."
    )
    page.locator("#id_severity_1").check()  # major: the qualification comes next
    page.locator("#id_persons_affected").fill("4")
    page.locator("#id_actions_taken").fill("Outil arrêté ; dossiers repris à la main.")
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/registre/{use_case.pk}/#incidents$"))
    incident = Incident.objects.get(use_case=use_case)

    # its page: the facts, no deadline yet, the qualification form open
    page.locator(f"a[data-incident-link][href='/incidents/{incident.pk}/']").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident.pk}/$"))
    assert page.locator("[data-qualification='none']").is_visible()
    assert page.locator("[data-no-clock]").is_visible()
    assert_accessible(page)
    screenshot("serious_incident_01_page")

    # the DPO qualifies it as serious: harm to fundamental rights; the clocks start (15 days for the authority)
    page.locator("#id_qualification-serious_0").check()
    page.locator("#id_qualification-category_2").check()  # (c) fundamental rights
    page.locator("#id_qualification-comment").fill("Refus d'une aide sociale à laquelle la famille avait droit.")
    page.locator("#qualification form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident.pk}/#qualification$"))
    assert page.locator("[data-qualification='serious']").is_visible()
    authority = page.locator("tr[data-clock='authority']")
    assert authority.get_attribute("data-status") == "due"
    assert "15 jours calendaires" in authority.inner_text() and "il reste" in authority.inner_text()
    assert page.locator("tr[data-clock='provider']").get_attribute("data-status") == "due"
    assert_accessible(page)
    screenshot("serious_incident_02_qualified")

    # « Mes tâches » lists it while the notifications are due
    page.goto("/mes-taches/")
    assert page.locator(f"#tasks-incidents [data-incident='{incident.pk}']").is_visible()
    assert_accessible(page)
    screenshot("serious_incident_03_my_tasks")
    page.locator(f"#tasks-incidents a[href='/incidents/{incident.pk}/#notifications']").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident.pk}/#notifications$"))

    # the provider informed at once, by e-mail
    page.locator("#notification summary").click()
    page.locator("#id_notification-recipient").select_option("provider")
    page.locator("#id_notification-recipient_name").fill("Éditeur SAS")
    page.locator("#id_notification-channel_0").check()  # e-mail
    page.locator("#id_notification-reference").fill("TICKET-4521")
    page.locator("#notification form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident.pk}/#notification$"))
    assert page.locator("tr[data-clock='provider']").get_attribute("data-status") == "met"

    # a mistake is kept for correction: « Other » without saying who
    page.locator("#notification summary").click()
    page.locator("#id_notification-recipient").select_option("other")
    page.locator("#id_notification-reference").fill("REF-GARDEE")
    page.locator("#notification form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_notification-reference").input_value() == "REF-GARDEE"
    assert_accessible(page)
    screenshot("serious_incident_04_error_kept")

    # the authority's initial report through its portal, with the reference it gave
    page.locator("#id_notification-recipient").select_option("authority")
    page.locator("#id_notification-recipient_name").fill("Autorité de surveillance du marché")
    page.locator("#id_notification-channel_1").check()  # portal
    page.locator("#id_notification-reference").fill("ASM-2026-0042")
    page.locator("#notification form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/incidents/{incident.pk}/#notification$"))
    authority = page.locator("tr[data-clock='authority']")
    assert authority.get_attribute("data-status") == "met"
    assert authority.locator("[data-initial-only]").is_visible()
    assert page.locator("tr[data-notification='authority']").count() == 1
    assert_accessible(page)
    screenshot("serious_incident_05_notified")

    # the report: rendered on demand, it says the qualification and that each deadline was met
    with page.expect_download() as download_info:
        page.locator("[data-incident-report]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "serious_incident_report.pdf"
    download.save_as(str(target))
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    text = re.sub(r"[\s\u202f\u00a0]+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    assert "Incident grave (RIA, art. 3, point 49)" in text
    assert "ASM-2026-0042" in text and "Oui, dans le délai" in text and "Non, en retard" not in text
