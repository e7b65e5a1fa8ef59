"""The DPO's journey in a real browser: a risky declaration tops the queue, the DPO regularises it into a
pre-filled use case, and the agent reads the answer in "Mes déclarations".

Screenshots go to `test-artifacts/triage_*.png` for a human to look at.
"""

import re
import uuid

import pytest

from declarations import services as declaration_services
from declarations.models import Declaration
from registry.choices import DeclarationStatus, DeclaredData
from registry.models import UseCase
from tests.registry.factories import ToolFactory
from tests.web.helpers import fr

pytestmark = pytest.mark.browser


def _declare(collectivite, user, *, anonymous=False, **overrides):
    data = {
        "tool": None,
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Rédiger des réponses aux courriers des usagers",
        "frequency": "weekly",
        "device": "work_pc",
        "account": "professional",
        "data_entered": ["public"],
        "output_use": ["personal_draft"],
        "human_review": "always",
        "time_saved_minutes": 60,
        "need": "Répondre plus vite aux habitants",
    }
    data.update(overrides)
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite, acting_user=user, data=data, anonymous=anonymous, submission_key=uuid.uuid4()
    )
    return declaration


@pytest.fixture
def declarations(collectivite, services, users):
    """Two harmless declarations, and the agent's risky one: health data in a personal free account."""
    from django.core.cache import cache

    cache.clear()
    albert = ToolFactory(
        collectivite=collectivite,
        name="Albert",
        vendor="DINUM",
        category="general_chatbot",
        status="approved",
        max_data_classification="C2",
    )
    _declare(collectivite, users["chef"], tool=albert, tool_name="", tasks="Résumer des notes de service")
    _declare(
        collectivite,
        users["agent"],
        anonymous=True,
        tool_name="DeepL",
        category="translation",
        tasks="Traduire des pages du site",
    )
    risky = _declare(
        collectivite,
        users["agent"],
        tasks="Préparer les réponses aux demandes d'APA",
        device="personal_device",
        account="personal_free",
        data_entered=["health", "ordinary"],
        output_use=["sent_to_users"],
        human_review="sometimes",
    )
    return {"risky": risky, "albert": albert}


def test_the_dpo_regularises_a_declaration_and_the_agent_reads_the_answer(
    page, login, screenshot, live_server, declarations, users
):
    risky = declarations["risky"]

    # the DPO opens the triage from the menu: the risky declaration is first, with its risk and breach flag
    login("dpo")
    page.locator(".registre-nav a[href='/triage/']").click()
    page.wait_for_url(re.compile(r"/triage/$"))
    first_row = page.locator("tr[data-reference]").first
    assert first_row.get_attribute("data-reference") == risky.reference
    assert f"{risky.risk_score}/100" in first_row.inner_text()
    assert first_row.locator(f".badge-risk_level-{risky.risk_level}").count() == 1
    assert page.locator('[data-counter="to_assess"]').inner_text() == "1"
    screenshot("triage_01_queue")

    # the view by tool: ChatGPT, declared with health data
    page.locator("a[href='/triage/par-outil/']").first.click()
    page.wait_for_url(re.compile(r"/triage/par-outil/$"))
    assert page.locator("tr[data-tool]").count() == 3
    chatgpt = page.locator("tr[data-tool='ChatGPT']")
    assert fr(DeclaredData.HEALTH.label) in chatgpt.locator("[data-field='data']").inner_text()
    screenshot("triage_02_by_tool")

    # the DPO opens the declaration: the score and its reasons, the 72-hour breach deadline
    page.goto("/triage/")
    first_row = page.locator("tr[data-reference]").first
    first_row.locator(f"a[href='/triage/{risky.pk}/']").click()
    page.wait_for_url(re.compile(rf"/triage/{risky.pk}/$"))
    assert page.locator("[data-factor]").count() == len(risky.factors)
    assert page.locator("#breach [data-breach-deadline]").is_visible()
    screenshot("triage_03_declaration")

    # a message is required: an empty answer is refused and nothing changes
    page.locator("#action-stop summary").click()
    page.locator("#action-stop button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#stop-message_error").is_visible()
    assert page.locator("#action-stop").get_attribute("open") is not None
    screenshot("triage_04_error")

    # the DPO regularises it into a new use case, pre-filled from the declaration
    page.locator("form[action='/triage/regulariser/'] button[value=new]").click()
    page.wait_for_url(re.compile(r"/registre/nouveau/\?declarations="))
    assert page.locator("[data-regularising]").is_visible()
    assert "ChatGPT" in page.locator("#id_name").input_value()
    assert page.locator('input[name="personal_data_categories"][value="health"]').is_checked()
    screenshot("triage_05_prefilled_form")
    # the facts the agent could not tell are asked of the DPO, who answers them in plain words (DOMAIN.md 3b)
    page.click("[data-step-next]")
    assert page.locator('input[name="produces_by"][value="generates_text"]').is_checked()
    for name, value in (
        ("art5_practices", "none"),
        ("keeps_learning_in_use", "no"),
        ("origin", "vendor_as_intended"),
    ):
        page.check(f'input[name="{name}"][value="{value}"]')
    page.click("[data-step-next]")
    for name, value in (
        ("policy_areas", "social_benefits"),
        ("task_kind", "prepares_file_for_agent"),
        ("effect_on_people", "agent_reexamines_whole_case"),
        ("assesses_persons", "no"),
        ("watches_people", "no"),
    ):
        page.check(f'input[name="{name}"][value="{value}"]')
    page.click("[data-step-next]")
    page.check('input[name="sensitive_contexts"][value="social_support"]')
    for _step in range(2):
        page.click("[data-step-next]")
    page.click("[data-save]")
    try:
        page.wait_for_url(re.compile(r"/registre/\d+/$"))
    except Exception:
        screenshot("triage_05b_not_saved")  # what the DPO sees instead: the form and its errors
        raise
    use_case = UseCase.objects.get(name=page.locator("h1").inner_text())
    screenshot("triage_06_use_case_saved")
    risky.refresh_from_db()
    assert risky.status == DeclarationStatus.REGULARISED and risky.use_case == use_case

    # the triage page now shows the declaration regularised, and the answer sent
    page.goto(f"/triage/{risky.pk}/")
    assert use_case.reference in page.locator("[data-answer]").inner_text()
    screenshot("triage_07_declaration_regularised")

    # the agent logs in and reads the answer in "Mes déclarations"
    page.context.clear_cookies()
    login("agent")
    page.locator(".registre-nav a[href='/mes-declarations/']").click()
    page.wait_for_url(re.compile(r"/mes-declarations/$"))
    item = page.locator(f"[data-declaration='{risky.reference}']")
    assert use_case.reference in item.inner_text()
    assert item.locator(".badge-declaration-regularised").count() == 1
    screenshot("triage_08_agent_reads_the_answer")
    assert Declaration.objects.get(pk=risky.pk).answer in page.content() or use_case.reference in page.content()


def test_the_queue_on_a_phone(browser, live_server, transactional_db, declarations, users):
    from django.conf import settings
    from django.test import Client

    from .conftest import ARTIFACTS

    client = Client()
    client.force_login(users["rssi"])
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
        page.goto("/triage/")
        # the page itself does not scroll sideways: only the table does, inside its box
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "triage_09_phone_queue.png"), full_page=True)
        page.goto(f"/triage/{declarations['risky'].pk}/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.screenshot(path=str(ARTIFACTS / "triage_10_phone_declaration.png"), full_page=True)
    finally:
        context.close()
