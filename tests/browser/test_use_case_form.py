"""The guided form in a real browser: steps one at a time, the plain-facts questionnaire (DOMAIN.md 3b) with its
follow-up questions, the qualification and the classification updated live, then saved.

Screenshots of each stage (desktop and a 390 px phone) go to `test-artifacts/` for a human to look at.
Pages come from the `page_for` fixture of `tests/browser/conftest.py` (per viewport, with or without JavaScript).
"""

import os
import re
from pathlib import Path

import pytest

from registry.models import UseCase
from tests.browser.a11y import assert_accessible
from tests.web.helpers import answer_questionnaire

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # also set by the conftest; needed by Playwright

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"use_case_form_{name}.png"), full_page=True)


def current_step(page):
    return page.locator("[data-step]:visible")


def fill_identity(page):
    page.fill("#id_name", "Pré-instruction des demandes d'aide facultative")
    page.fill("#id_summary", "Un outil attribue un score de priorité aux demandes d'aide du CCAS.")
    page.fill("#id_purpose", "Traiter d'abord les situations les plus urgentes.")


def tick(page, name, *values):
    """Choose answers of a question by their codes (a radio or boxes)."""
    for value in values:
        page.check(f'input[name="{name}"][value="{value}"]')


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
    # the prohibited practices first, in words; then what the tool does
    assert page.locator('[data-step="2"] [data-field]').first.get_attribute("data-field") == "art5_practices"
    tick(page, "art5_practices", "none")
    tick(page, "produces_by", "learned_from_data")
    tick(page, "keeps_learning_in_use", "no")
    tick(page, "origin", "vendor_as_intended")
    tick(page, "ce_marked_product", "no")
    tick(page, "affects", "public")
    page.click("[data-step-next]")

    # step 3: the tool weighs on decisions about social aid (Annex III, point 5 a)
    assert current_step(page).get_attribute("data-step") == "3"
    task = page.locator('[data-field="task_kind"]')
    assert not task.is_visible()
    tick(page, "policy_areas", "social_benefits")
    task.wait_for(state="visible")
    tick(page, "task_kind", "assesses_or_recommends")
    tick(page, "effect_on_people", "agent_usually_follows")
    tick(page, "decides_on_individual_cases", "yes")
    tick(page, "on_administrative_appeals", "no")
    tick(page, "assesses_persons", "yes")
    tick(page, "watches_people", "no")

    # the panel switches to high risk, with the answer and the article behind it
    panel = page.locator("#classification-preview")
    panel.locator(".registre-classification .badge-risk-high").wait_for()
    assert "art. 6" in panel.inner_text()
    assert page.locator('[data-reason="fria"]').count() == 1
    annex = panel.locator('[data-qualification="annex_iii_point"]')
    assert "5a" in annex.inner_text() and annex.locator("[data-because]").count() == 1
    shot(page, "desktop_3_decisions_high_risk")

    page.click("[data-step-next]")
    tick(page, "personal_data_categories", "ordinary", "financial")
    tick(page, "sensitive_contexts", "social_support")
    page.click("[data-step-next]")
    page.select_option("#id_hosting_zone", "fr")
    page.fill("#id_human_oversight", "Un agent instructeur examine chaque demande et décide.")
    page.click("[data-step-next]")

    # the summary step repeats the answers before saving
    assert current_step(page).get_attribute("data-step") == "6"
    recap = page.locator("[data-recap]")
    assert "Pré-instruction des demandes d'aide facultative" in recap.inner_text()
    shot(page, "desktop_6_summary")

    page.click("[data-save]")
    page.wait_for_url(re.compile(r"/registre/\d+/$"))
    use_case = UseCase.objects.get()
    assert use_case.ai_act_risk == "high" and use_case.annex_iii_point == "5a"
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
    page.click('#error-summary a[href="#id_produces_by_0"]')
    assert current_step(page).get_attribute("data-step") == "2"
    assert page.evaluate("document.activeElement.id") == "id_produces_by_0"
    shot(page, "desktop_errors")
    assert_accessible(page)
    assert not UseCase.objects.exists()


def test_on_a_phone(page_for, live_server, users, services):
    page = page_for(users["agent"], viewport=PHONE)
    page.goto(f"{live_server.url}/registre/nouveau/")
    shot(page, "phone_1_identity")
    fill_identity(page)
    page.click('[data-step-link="3"]')
    tick(page, "policy_areas", "social_benefits")
    tick(page, "task_kind", "assesses_or_recommends")
    tick(page, "effect_on_people", "agent_usually_follows")
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
    # follow-up questions all show, nested under the question they depend on, each saying when it is asked
    for name in ("keeps_learning_in_use", "safety_component", "task_kind", "on_administrative_appeals"):
        follow_up = page.locator(f'[data-field="{name}"]')
        assert follow_up.is_visible(), name
        assert follow_up.locator(".follow-up-when").is_visible(), name

    tick(page, "policy_areas", "social_benefits")
    tick(page, "task_kind", "assesses_or_recommends")
    tick(page, "effect_on_people", "agent_usually_follows")
    page.click("[data-preview-button]")

    page.locator("#classification-preview .registre-classification .badge-risk-high").wait_for()
    assert page.is_checked('input[name="policy_areas"][value="social_benefits"]')
    assert page.locator('#classification-preview [data-qualification="annex_iii_point"]').count() == 1
    assert not UseCase.objects.exists()
    shot(page, "nojs_preview")
    assert_accessible(page, javascript=False)


def test_a_conflicting_save_is_explained_and_keeps_what_was_typed(page_for, live_server, use_case, users):
    from registry import services

    answer_questionnaire(use_case)
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


def test_the_follow_up_questions_open_when_they_matter_live_and_accessible(page_for, live_server, users, services):
    page = page_for(users["agent"])
    page.goto(f"{live_server.url}/registre/nouveau/")
    fill_identity(page)
    page.click("[data-step-next]")
    panel = page.locator("#classification-preview")

    # step 2: rules written by agents are not an AI system; the learning question is not asked for them
    learning = page.locator('[data-field="keeps_learning_in_use"]')
    assert not learning.is_visible()
    tick(page, "produces_by", "written_rules")
    panel.locator(".registre-classification .badge-risk-out_of_scope").wait_for()
    assert panel.locator('[data-ai-system="false"]').count() == 1
    assert not learning.is_visible()
    tick(page, "produces_by", "learned_from_data")
    learning.wait_for(state="visible")
    shot(page, "desktop_2_tool")
    assert_accessible(page)

    # "none of these practices" and a practice exclude each other
    tick(page, "art5_practices", "c")
    tick(page, "art5_practices", "none")
    assert not page.is_checked('input[name="art5_practices"][value="c"]')

    # step 3: "is it a safety component?" only for infrastructure; the 6(3) question only for an Annex III area
    page.click("[data-step-next]")
    safety = page.locator('[data-field="safety_component"]')
    task = page.locator('[data-field="task_kind"]')
    tick(page, "policy_areas", "internal_work")
    assert not safety.is_visible() and not task.is_visible()
    tick(page, "policy_areas", "infrastructure_operations")
    safety.wait_for(state="visible")
    assert not task.is_visible()
    tick(page, "policy_areas", "recruitment")
    task.wait_for(state="visible")
    page.uncheck('input[name="policy_areas"][value="recruitment"]')
    task.wait_for(state="hidden")
    appeals = page.locator('[data-field="on_administrative_appeals"]')
    assert not appeals.is_visible()
    tick(page, "decides_on_individual_cases", "unknown")
    appeals.wait_for(state="visible")
    tick(page, "decides_on_individual_cases", "no")
    appeals.wait_for(state="hidden")
    shot(page, "desktop_3_follow_ups")
    assert_accessible(page)

    # step 4: the sensitive activities
    page.click("[data-step-next]")
    tick(page, "personal_data_categories", "health")
    tick(page, "sensitive_contexts", "care")
    tick(page, "sensitive_contexts", "none")
    assert not page.is_checked('input[name="sensitive_contexts"][value="care"]')
    shot(page, "desktop_4_data")
    assert_accessible(page)


def test_an_incoherent_answer_is_shown_next_to_its_question_and_keeps_what_was_typed(
    page_for, live_server, users, services
):
    page = page_for(users["agent"])
    page.goto(f"{live_server.url}/registre/nouveau/")
    fill_identity(page)
    page.click('[data-step-link="4"]')
    # large scale ticked without any personal data
    page.check("#id_large_scale")
    page.click('[data-step-link="6"]')

    page.click("[data-save]")

    page.wait_for_selector("#error-summary")
    large = page.locator('[data-field="large_scale"]')
    assert "has-error" in large.get_attribute("class")
    page.click('#error-summary a[href="#id_large_scale"]')
    assert current_step(page).get_attribute("data-step") == "4"
    assert large.is_visible() and page.is_checked("#id_large_scale")
    assert page.input_value("#id_name") == "Pré-instruction des demandes d'aide facultative"
    shot(page, "desktop_incoherent_answer")
    assert_accessible(page)
    assert not UseCase.objects.exists()
