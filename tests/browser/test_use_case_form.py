"""The guided form in a real browser: steps one at a time, the classification updated live, then saved.

Screenshots of each stage (desktop and a 390 px phone) go to `test-artifacts/` for a human to look at.
The `browser` fixture comes from `tests/browser/conftest.py`; pages here are made per viewport and with or
without JavaScript, so they are built from it rather than taken from its `page` fixture.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from registry.models import UseCase
from tests.browser.a11y import assert_accessible

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # also set by the conftest; needed by Playwright

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page_for(browser, transactional_db, live_server):
    """A page logged in as the given user (session cookie of a Django test client), at a viewport size."""
    contexts = []

    def make(user, viewport=DESKTOP, javascript=True):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript, locale="fr-FR")
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"use_case_form_{name}.png"), full_page=True)


def current_step(page):
    return page.locator("[data-step]:visible")


def fill_identity(page):
    page.fill("#id_name", "Pré-instruction des demandes d'aide facultative")
    page.fill("#id_summary", "Un outil attribue un score de priorité aux demandes d'aide du CCAS.")
    page.fill("#id_purpose", "Traiter d'abord les situations les plus urgentes.")


def test_go_through_the_steps_see_high_risk_live_and_save(page_for, live_server, users, services):
    page = page_for(users["agent"])
    page.goto(f"{live_server.url}/registre/nouveau/")

    # one step at a time, with a stepper showing where we are
    assert page.locator("[data-step]:visible").count() == 1
    assert page.locator('[data-step-link="1"][aria-current="step"]').count() == 1
    shot(page, "desktop_1_identity")

    fill_identity(page)
    page.click("[data-step-next]")
    assert current_step(page).get_attribute("data-step") == "2"
    page.check("#id_technique_1")  # predictive machine learning
    page.check("#id_audience_1")  # the public
    page.click("[data-step-next]")

    # step 3: the AI weighs on decisions about access to social aid (Annex III, point 5a)
    assert current_step(page).get_attribute("data-step") == "3"
    page.check("#id_automation_level_2")  # determining
    page.check("#id_individual_decisions")
    page.select_option("#id_annex_iii_point", "5a")

    # the panel switches to high risk, with its article
    panel = page.locator("#classification-preview")
    panel.locator(".registre-classification .badge-risk-high").wait_for()
    assert "art. 6" in panel.inner_text()
    assert page.locator('[data-reason="fria"]').count() == 1
    shot(page, "desktop_3_decisions_high_risk")

    page.click("[data-step-next]")
    page.check('input[name="personal_data_categories"][value="ordinary"]')
    page.check('input[name="personal_data_categories"][value="financial"]')
    page.click("[data-step-next]")
    page.select_option("#id_hosting_zone", "fr")
    page.fill("#id_human_oversight", "Un agent instructeur examine chaque demande et décide.")
    page.click("[data-step-next]")

    # the summary step repeats the answers before saving
    assert current_step(page).get_attribute("data-step") == "6"
    recap = page.locator("[data-recap]")
    assert "Pré-instruction des demandes d'aide facultative" in recap.inner_text()
    assert "5a." in recap.inner_text()
    shot(page, "desktop_6_summary")

    page.click("[data-save]")
    page.wait_for_url(re.compile(r"/registre/\d+/$"))
    use_case = UseCase.objects.get()
    assert use_case.ai_act_risk == "high"
    assert use_case.reference in page.content()
    shot(page, "desktop_7_saved")


def test_errors_open_the_step_to_correct_with_a_summary(page_for, live_server, users, services):
    page = page_for(users["agent"])
    page.goto(f"{live_server.url}/registre/nouveau/")
    page.click('[data-step-link="6"]')

    page.click("[data-save]")

    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert current_step(page).get_attribute("data-step") == "1"
    page.click('#error-summary a[href="#id_technique_0"]')
    assert current_step(page).get_attribute("data-step") == "2"
    assert page.evaluate("document.activeElement.id") == "id_technique_0"
    shot(page, "desktop_errors")
    assert not UseCase.objects.exists()


def test_on_a_phone(page_for, live_server, users, services):
    page = page_for(users["agent"], viewport=PHONE)
    page.goto(f"{live_server.url}/registre/nouveau/")
    shot(page, "phone_1_identity")
    fill_identity(page)
    page.click('[data-step-link="3"]')
    page.select_option("#id_annex_iii_point", "5a")
    page.locator("#classification-preview .registre-classification .badge-risk-high").wait_for()
    # the current risk is repeated near the stepper, since the panel is below the form
    page.locator("[data-live-summary] .badge-risk-high").wait_for()
    shot(page, "phone_3_decisions")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing overflows the phone's width"


def test_without_javascript_every_step_shows_and_the_preview_button_works(page_for, live_server, users, services):
    page = page_for(users["agent"], javascript=False)
    page.goto(f"{live_server.url}/registre/nouveau/")
    assert page.locator("[data-step]:visible").count() == 6
    # follow-up questions all show, nested under the question they depend on
    assert page.locator('[data-field="art6_3_ground"]').is_visible()
    assert page.locator('[data-field="care_context"]').is_visible()

    page.select_option("#id_annex_iii_point", "5a")
    page.click("[data-preview-button]")

    page.locator("#classification-preview .registre-classification .badge-risk-high").wait_for()
    assert page.locator("#id_annex_iii_point").input_value() == "5a"
    assert not UseCase.objects.exists()
    shot(page, "nojs_preview")


def test_a_conflicting_save_is_explained_and_keeps_what_was_typed(page_for, live_server, use_case, users):
    from registry import services

    page = page_for(use_case.owner)
    page.goto(f"{live_server.url}/registre/{use_case.pk}/modifier/")
    page.fill("#id_name", "Ma version")
    # meanwhile, the head of service saves the use case
    services.use_case_update(
        use_case=use_case, acting_user=users["chef"], data={"purpose": "Autre but"}, expected_version=use_case.version
    )

    page.click("[data-save]")

    page.wait_for_selector("#conflict-alert")
    assert page.evaluate("document.activeElement.id") == "conflict-alert"
    assert str(users["chef"]) in page.inner_text("#conflict-alert")
    assert page.input_value("#id_name") == "Ma version"
    shot(page, "desktop_conflict")
    use_case.refresh_from_db()
    assert use_case.name != "Ma version"


def test_the_new_questions_of_the_technique_and_data_steps_live_and_accessible(page_for, live_server, users, services):
    page = page_for(users["agent"])
    page.goto(f"{live_server.url}/registre/nouveau/")
    fill_identity(page)
    page.click("[data-step-next]")
    panel = page.locator("#classification-preview")

    # step 2: rules written by people are not an AI system; the panel says so at once
    page.check('input[name="technique"][value="rules"]')
    panel.locator(".registre-classification .badge-risk-out_of_scope").wait_for()
    assert panel.locator('[data-ai-system="false"]').count() == 1
    shot(page, "desktop_2_technique")
    assert_accessible(page)

    # an expert system built for the collectivité and CE-marked by a notified body: high risk, provider duties
    page.check('input[name="technique"][value="expert_system"]')
    page.check('input[name="ai_act_role"][value="provider"]')
    page.check("#id_annex_i_product")
    page.check('input[name="audience"][value="agents"]')
    panel.locator('[data-reason="annex_i_high"]').wait_for()
    assert panel.locator('[data-checkpoint="provider_conformity"]').count() == 1
    assert panel.locator(".registre-classification").get_attribute("data-ai-act-risk") == "high"

    # step 3: the Article 6(3) question opens under the Annex III answer it depends on
    page.click("[data-step-next]")
    exemption = page.locator('[data-field="art6_3_ground"]')
    assert not exemption.is_visible()
    page.select_option("#id_annex_iii_point", "5a")
    exemption.wait_for(state="visible")
    assert "5a." in exemption.locator("[data-follow-up-answer]").inner_text()
    panel.locator('[data-reason="fria"]').wait_for()
    shot(page, "desktop_3_decisions_exemption")
    page.select_option("#id_annex_iii_point", "")
    exemption.wait_for(state="hidden")

    # step 4: the care question opens once health data is ticked; the CNIL's list reads under headings
    page.click("[data-step-next]")
    care = page.locator('[data-field="care_context"]')
    assert not care.is_visible()
    page.check('input[name="personal_data_categories"][value="health"]')
    care.wait_for(state="visible")
    page.check("#id_care_context")
    page.check("#id_systematic_monitoring")
    page.check('input[name="cnil_list_types"][value="social_support"]')
    assert page.locator('[data-field="cnil_list_types"] .option-subgroup-heading').count() == 4
    panel.locator('[data-reason="dpia_cnil_list"]').wait_for()
    shot(page, "desktop_4_data")
    assert_accessible(page)

    page.click("[data-step-next]")
    page.select_option("#id_hosting_zone", "on_premise")
    page.click("[data-step-next]")
    recap = page.locator("[data-recap]").inner_text()
    assert "5a." not in recap  # the exemption question, closed, is not repeated
    page.click("[data-save]")
    page.wait_for_url(re.compile(r"/registre/\d+/$"))

    use_case = UseCase.objects.get()
    assert use_case.technique == "expert_system" and use_case.ai_act_role == "provider"
    assert use_case.annex_i_product and use_case.care_context and use_case.systematic_monitoring
    assert use_case.cnil_list_types == ["social_support"]
    assert use_case.ai_act_risk == "high"


def test_an_incoherent_answer_is_shown_next_to_its_question_and_keeps_what_was_typed(
    page_for, live_server, users, services
):
    page = page_for(users["agent"])
    page.goto(f"{live_server.url}/registre/nouveau/")
    fill_identity(page)
    page.click("[data-step-next]")
    page.check('input[name="technique"][value="genai_text"]')
    page.check('input[name="audience"][value="agents"]')
    page.click('[data-step-link="4"]')
    page.check('input[name="personal_data_categories"][value="health"]')
    page.check("#id_care_context")
    # health data unticked afterwards: the care question holds an answer, so it stays in sight
    page.uncheck('input[name="personal_data_categories"][value="health"]')
    care = page.locator('[data-field="care_context"]')
    assert care.is_visible()
    page.click('[data-step-link="6"]')

    page.click("[data-save]")

    page.wait_for_selector("#error-summary")
    assert current_step(page).get_attribute("data-step") == "4"
    assert "has-error" in care.get_attribute("class")
    assert care.is_visible() and page.is_checked("#id_care_context")
    assert "santé" in care.locator(".field-error").inner_text() or "health" in care.locator(".field-error").inner_text()
    assert page.input_value("#id_name") == "Pré-instruction des demandes d'aide facultative"
    shot(page, "desktop_incoherent_answer")
    assert_accessible(page)
    assert not UseCase.objects.exists()
