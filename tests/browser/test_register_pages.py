"""Browser journeys through the register: log in, filter the list, read a use case's classification."""

import datetime
import re

import pytest
from django.utils.translation import pgettext

from registry import rules
from registry import services as services_module
from registry.choices import UseCaseStatus
from registry.models import ApplicationDate, UseCase
from tests.browser.a11y import assert_accessible
from tests.registry.factories import ToolFactory, UseCaseFactory
from tests.web.helpers import fr

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_register(collectivite, services, users, tool):
    """A few use cases like the demo's: a letter assistant, an RSA eligibility score, a public chatbot."""
    whisper = ToolFactory(
        collectivite=collectivite, name="Transcripteur", vendor="Éditeur FR", category="transcription"
    )
    return {
        "letters": UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["agent"],
            tool=tool,
            name="Aide à la rédaction des courriers",
            status=UseCaseStatus.IN_PRODUCTION,
        ),
        "rsa": UseCaseFactory(
            collectivite=collectivite,
            service=services["ccas"],
            owner=users["chef"],
            name="Score d'éligibilité au RSA",
            summary="Un score aide à instruire les demandes de RSA.",
            technique="ml_predictive",
            audience="public",
            annex_iii_point="5a",
            automation_level="fully_automated",
            individual_decisions=True,
            personal_data_categories=["financial", "health"],
            profiling=True,
            max_data_classification="C2",
        ),
        "chatbot": UseCaseFactory(
            collectivite=collectivite,
            service=services["communication"],
            owner=users["dpo"],
            name="Agent conversationnel du site",
            art50_features=["chatbot"],
            audience="public",
            status=UseCaseStatus.SUBMITTED,
        ),
        "meetings": UseCaseFactory(
            collectivite=collectivite,
            service=services["logement"],
            owner=users["chef"],
            tool=whisper,
            name="Comptes rendus de réunion",
            technique="speech",
        ),
    }


def test_dpo_filters_the_register_and_reads_the_reasons(page, login, screenshot, demo_register):
    rsa = demo_register["rsa"]
    assert rsa.ai_act_risk == "high" and rsa.blocked

    # the login page, then the register
    page.goto("/connexion/")
    screenshot("01-login")
    login("dpo")
    assert page.url.endswith("/")  # the DPO lands on their dashboard, the register is a menu entry away
    page.locator("nav.registre-nav").get_by_role("link", name=fr("Register")).click()
    page.wait_for_url(re.compile(r"/registre/$"))
    assert "Registre IA — Ville de Bellerive" in page.title()
    assert page.locator("tr[data-reference]").count() == 4
    screenshot("02-register-list")

    # filter on high risk with the form (no JavaScript needed)
    page.locator("#id_ai_act_risk").select_option("high")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert "ai_act_risk=high" in page.url
    rows = page.locator("tr[data-reference]")
    assert rows.count() == 1
    assert rsa.reference in rows.first.inner_text()
    screenshot("03-register-filtered")

    # open the use case
    page.get_by_role("link", name=rsa.name).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == rsa.name
    classification = page.locator(".registre-classification")
    assert classification.get_attribute("data-ai-act-risk") == "high"
    alert = classification.get_by_role("alert")
    assert "Informatique et Libertés, art. 47" in alert.inner_text()
    for reason in rsa.reasons:
        item = page.locator(f'[data-reason="{reason.code}"]')
        assert reason.basis in item.inner_text()
    assert "RIA, art. 6, § 2" in classification.inner_text() and "annexe III" in classification.inner_text()
    assert "RIA, art. 27" in classification.inner_text()
    assert page.locator('[data-checkpoint="decision_validation"]').count() == 1
    screenshot("04-use-case-detail")


def test_keyboard_users_can_skip_to_the_content(page, login, demo_register):
    login("agent")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    # The jump to the fragment is asynchronous: wait for it rather than read the URL at once (flaky under load).
    page.wait_for_url(re.compile(r"#main$"), timeout=5000)


def test_agent_submits_their_own_draft(page, login, screenshot, collectivite, services, users):
    draft = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=users["agent"], name="Résumé des dossiers"
    )
    login("agent")
    page.goto(f"/registre/{draft.pk}/")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"form[action='/registre/{draft.pk}/soumettre/'] button").click()
    page.wait_for_load_state()

    assert page.get_by_role("status").filter(has_text=draft.reference).count() == 1
    draft.refresh_from_db()
    assert draft.status == UseCaseStatus.SUBMITTED
    screenshot("05-use-case-submitted")


def test_catalogue_and_english(page, login, screenshot, demo_register):
    login("agent")
    page.get_by_role("navigation").get_by_role("link", name=pgettext("main menu", "Tools"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator("tr[data-tool]").count() == 2
    screenshot("06-tool-catalogue")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_on_a_phone_the_page_does_not_scroll_sideways(page, login, screenshot, demo_register):
    page.set_viewport_size({"width": 390, "height": 844})
    login("dpo")

    for path, name in (
        ("/registre/", "07-phone-register-list"),
        (f"/registre/{demo_register['rsa'].pk}/", "08-phone-detail"),
    ):
        page.goto(path)
        # the table scrolls inside its own box; the page itself stays within the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(name)


def test_an_out_of_scope_and_a_high_risk_use_case_read_clearly_and_accessibly(
    page, login, screenshot, collectivite, services, users
):
    # the Annex III regime applies in a year: its obligations say from when
    applies = datetime.date.today() + datetime.timedelta(days=365)
    ApplicationDate.objects.filter(key=rules.HIGH_RISK_ANNEX_III).update(applies_from=applies)
    high = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["chef"],
        name="Priorisation des demandes de logement social",
        summary="Un score classe les demandes de logement social par priorité.",
        technique="ml_predictive",
        audience="public",
        annex_iii_point="5a",
        automation_level="determining",
        individual_decisions=True,
        personal_data_categories=["ordinary", "financial"],
        max_data_classification="C2",
        hosting_zone="fr",
    )
    # a scale of aid written by agents, classified high risk by an older rule set and reclassified since
    scale = UseCaseFactory(
        collectivite=collectivite,
        service=services["ccas"],
        owner=users["chef"],
        name="Barème des aides facultatives",
        summary="Un barème écrit par les agents calcule le montant des aides facultatives.",
        technique="ml_predictive",
        audience="public",
        annex_iii_point="5a",
        automation_level="assist",
        individual_decisions=True,
        personal_data_categories=["ordinary", "financial"],
        hosting_zone="fr",
    )
    UseCase.objects.filter(pk=scale.pk).update(technique="rules", annex_iii_point="", classification_ruleset="2025.09")
    assert services_module.use_case_reclassify(use_case=UseCase.objects.get(pk=scale.pk), cause="ruleset")
    login("dpo")

    # a use outside the AI Act: said in words, with the rule set that decided and the trail of the change
    page.goto(f"/registre/{scale.pk}/")
    classification = page.locator(".registre-classification")
    assert classification.get_attribute("data-ai-act-risk") == "out_of_scope"
    assert classification.locator('[data-ai-system="false"]').is_visible()
    assert classification.locator(".badge-risk-out_of_scope").is_visible()
    assert classification.locator(f'[data-ruleset="{rules.RULESET_VERSION}"]').is_visible()
    trail = page.locator('tr[data-event="reclassified"]')
    assert "→" in trail.locator('[data-change="ai_act_risk"]').inner_text()
    screenshot("09-use-case-out-of-scope")
    assert_accessible(page)

    # a high-risk use: its AI Act obligations apply from the date of the Annex III regime
    page.goto(f"/registre/{high.pk}/")
    classification = page.locator(".registre-classification")
    assert classification.get_attribute("data-ai-act-risk") == "high"
    assert classification.locator('[data-ai-system="true"]').is_visible()
    assert str(applies.year) in classification.locator('[data-obligation="fria_required"]').inner_text()
    screenshot("10-use-case-high-risk")
    assert_accessible(page)

    # the register's filters find the use outside the AI Act, and the list stays accessible
    page.goto("/registre/")
    page.locator("#id_ai_system").select_option("no")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    rows = page.locator("tr[data-reference]")
    assert rows.count() == 1 and scale.reference in rows.first.inner_text()
    assert rows.first.locator(".badge-risk-out_of_scope").is_visible()
    screenshot("11-register-not-ai")
    assert_accessible(page)
