"""The fundamental rights impact assessment (AIDF, AI Act art. 27) in a real browser: the owner of an approved
high-risk use case cannot put it into production, starts and completes its AIDF from the register's suggestions and
submits it; the DPO approves it from « Mes tâches »; the owner records the notification to the market surveillance
authority, and the use case goes into production. axe-core checks each page visited.

Screenshots go to `test-artifacts/fria_*.png` for a human to look at.
"""

import re

import pytest

from audits import services as audits
from fria.models import Fria, FriaStatus
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.browser.a11y import assert_accessible
from tests.fria.factories import high_risk_use_case

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def national_catalogue(transactional_db):
    """The national checkpoint types come from a data migration, which the flush after an earlier browser test
    (transactional) erased: put them back, as the migration does."""
    import importlib

    from django.apps import apps

    importlib.import_module("audits.migrations.0002_national_catalogue").create(apps, None)


@pytest.fixture
def approved_scoring(collectivite, services, users, use_case, tool):
    """The CCAS's RSA scoring, approved, its mandatory checkpoints owned: only its AIDF holds it back."""
    scoring = high_risk_use_case(
        collectivite=collectivite, service=services["ccas"], owner=use_case.owner, tool=tool, reference="IA-2026-0042"
    )
    audits.checkpoints_sync(use_case=scoring)
    scoring.checkpoints.update(owner=use_case.owner)
    UseCase.objects.filter(pk=scoring.pk).update(status=UseCaseStatus.APPROVED)
    return UseCase.objects.get(pk=scoring.pk)


def test_an_owner_completes_the_aidf_the_dpo_approves_it_and_the_use_case_goes_live(page_for, approved_scoring, users):
    scoring = approved_scoring
    owner = scoring.owner
    detail = f"/registre/{scoring.pk}/"

    # The owner: the use case cannot go into production, the AIDF section says why and offers to start it.
    page = page_for(owner)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(detail)
    blockers = page.locator("[data-production-blockers]")
    assert "analyse d'impact sur les droits fondamentaux" in blockers.inner_text()
    section = page.locator("[data-fria-section]")
    assert section.locator("[data-fria-status='missing']").is_visible()
    assert_accessible(page)
    screenshot_page(page, "fria_01_use_case_before")
    section.screenshot(path=str(artifact("fria_01b_use_case_section")))

    section.get_by_role("button", name="Commencer l'AIDF").click()
    page.wait_for_url(re.compile(r"/aidf/modifier/$"))
    # Each part is pre-filled; what the register knows stands beside it, insertable.
    risks = page.locator("#id_risks")
    assert "Albert" in risks.input_value()
    risks.fill("Risque de refus injustifié pour les foyers atypiques.")
    page.locator("[data-insert-suggestion='id_risks']").click()
    assert "Albert" in risks.input_value() and "foyers atypiques" in risks.input_value()
    assert_accessible(page)
    screenshot_page(page, "fria_02_edit")

    # Submitting without the AIPD it complements is refused; what was typed stays.
    page.get_by_role("button", name="Enregistrer et soumettre au DPO").click()
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert "foyers atypiques" in page.locator("#id_risks").input_value()
    assert_accessible(page)
    page.get_by_label("Référence de l'AIPD").fill("AIPD-2026-CCAS-07")
    page.get_by_role("button", name="Enregistrer et soumettre au DPO").click()
    page.wait_for_url(re.compile(r"/aidf/$"))
    assert page.locator("[data-fria-status='submitted']").is_visible()
    assert_accessible(page)
    screenshot_page(page, "fria_03_submitted")

    # The DPO: « Mes tâches » lists the AIDF to review; the review page shows what was submitted.
    dpo = page_for(users["dpo"])
    dpo.goto("/mes-taches/")
    task = dpo.locator("[data-tasks='fria']")
    assert scoring.reference in task.inner_text()
    assert_accessible(dpo)
    task.get_by_role("link", name="Examiner l'AIDF").click()
    dpo.wait_for_url(re.compile(r"/aidf/examen/$"))
    assert "foyers atypiques" in dpo.locator("main").inner_text()
    assert_accessible(dpo)
    dpo.get_by_label("Approuvée par le DPO").check()
    dpo.get_by_label("Avis du comité d'éthique : référence (facultatif)".replace(" :", "\u202f:")).fill(
        "Séance du 3 mars 2026"
    )
    screenshot_page(dpo, "fria_04_review")
    dpo.get_by_role("button", name="Enregistrer l'examen").click()
    dpo.wait_for_url(re.compile(r"/aidf/$"))
    assert dpo.locator("[data-fria-decision='approved']").is_visible()

    # The owner records the notification to the market surveillance authority.
    page.goto(detail)
    page.locator("[data-fria-section]").get_by_role("link", name="Enregistrer la notification").click()
    page.wait_for_url(re.compile(r"/aidf/notification/$"))
    assert_accessible(page)
    page.get_by_label("Moyen").fill("Formulaire en ligne de l'autorité")
    page.get_by_label("Autorité de surveillance du marché notifiée").fill("Autorité de surveillance du marché")
    page.get_by_label("Référence de l'envoi (facultatif)").fill("ASM-2026-118")
    screenshot_page(page, "fria_05_notify")
    page.get_by_role("button", name="Enregistrer la notification").click()
    page.wait_for_url(re.compile(r"/aidf/$"))
    assert page.locator("[data-fria-notification]").is_visible()
    assert_accessible(page)
    screenshot_page(page, "fria_06_completed")
    assert Fria.objects.get(use_case=scoring).status == FriaStatus.NOTIFIED

    # Nothing holds it back any more: the use case goes into production.
    page.goto(detail)
    assert page.locator("[data-production-blockers]").count() == 0
    page.get_by_role("button", name="Mettre en production").click()
    page.wait_for_url(re.compile(rf"/registre/{scoring.pk}/$"))
    assert UseCase.objects.get(pk=scoring.pk).status == UseCaseStatus.IN_PRODUCTION
    assert_accessible(page)
    screenshot_page(page, "fria_07_in_production")
    page.locator("[data-fria-section]").screenshot(path=str(artifact("fria_07b_use_case_section")))


def artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def screenshot_page(page, name):
    """The `screenshot` fixture shoots its own page: this journey has two people's pages."""
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
