"""An agent declares "I use ChatGPT on my phone for my letters" in a real browser, on a phone, in under two
minutes, and reads the guidance: ChatGPT on a personal account is prohibited, Albert is the approved
alternative. Also: the same journey on a desktop, anonymously, and without JavaScript.

Screenshots of every step go to `test-artifacts/declaration_*.png` for a human to look at.
"""

import re
import time

import pytest
from django.conf import settings
from django.test import Client

from declarations.models import Declaration
from tests.registry.factories import ToolFactory
from tests.web.helpers import fr

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def catalogue(collectivite):
    return {
        "chatgpt": ToolFactory(
            collectivite=collectivite,
            name="ChatGPT (comptes gratuits ou personnels)",
            vendor="OpenAI",
            category="general_chatbot",
            status="prohibited",
            max_data_classification="C0",
            conditions="Interdit pour tout usage professionnel : utiliser Albert ou Le Chat Pro.",
        ),
        "lechat": ToolFactory(
            collectivite=collectivite,
            name="Le Chat Pro",
            category="general_chatbot",
            status="approved",
            max_data_classification="C1",
        ),
        "albert": ToolFactory(
            collectivite=collectivite,
            name="Albert",
            category="general_chatbot",
            status="approved",
            max_data_classification="C2",
        ),
        "deepl": ToolFactory(collectivite=collectivite, name="DeepL Pro", category="translation", status="restricted"),
    }


@pytest.fixture
def page_without_js(browser, transactional_db, live_server):
    """A page without JavaScript, logged in with a test client's session cookie."""
    contexts = []

    def make(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport=DESKTOP, java_script_enabled=False, locale="fr-FR")
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


def visible_step(page) -> str:
    return page.locator("[data-step]:visible").get_attribute("data-step")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_agent_declares_chatgpt_on_their_phone_in_under_two_minutes(
    page, login, screenshot, live_server, users, catalogue
):
    login("agent")
    page.set_viewport_size(PHONE)
    started = time.monotonic()

    # the entry is on every page
    page.goto("/registre/")
    page.get_by_role("link", name=fr("Declare an AI use")).first.click()
    page.wait_for_url(re.compile(r"/declarer/$"))
    assert page.locator("[data-step]:visible").count() == 1 and visible_step(page) == "1"
    assert no_horizontal_scroll(page)
    screenshot("declaration_phone_1_tool")

    # 1. the tool: typing filters the catalogue, the only match is chosen and its kind filled in
    page.locator("#tool-search").press_sequentially("chatgpt")
    assert page.locator("#id_tool option").count() == 2  # "not in the list" and ChatGPT
    assert page.input_value("#id_tool") == str(catalogue["chatgpt"].pk)
    assert page.input_value("#id_category") == "general_chatbot"
    screenshot("declaration_phone_1_tool_found")
    page.click("[data-step-next]")

    # 2. the use
    assert visible_step(page) == "2"
    page.fill("#id_tasks", "Rédiger mes courriers aux usagers")
    page.check('input[name="frequency"][value="weekly"]')
    page.fill("#id_used_since", "2025-03")
    page.check('input[name="device"][value="personal_device"]')
    page.check('input[name="account"][value="personal_free"]')
    assert no_horizontal_scroll(page)
    screenshot("declaration_phone_2_use")
    page.click("[data-step-next]")

    # 3. the data
    assert visible_step(page) == "3"
    page.check('input[name="data_entered"][value="internal"]')
    page.check('input[name="data_entered"][value="ordinary"]')
    screenshot("declaration_phone_3_data")
    page.click("[data-step-next]")

    # 4. the result
    assert visible_step(page) == "4"
    page.check('input[name="output_use"][value="sent_to_users"]')
    page.check('input[name="human_review"][value="always"]')
    page.select_option("#id_time_saved_minutes", "60")
    page.fill("#id_need", "Répondre plus vite aux usagers")
    screenshot("declaration_phone_4_result")
    page.click("[data-step-next]")

    # 5. sending: named by default, with a recap of the answers
    assert visible_step(page) == "5"
    recap = page.locator("[data-recap]")
    assert "Rédiger mes courriers aux usagers" in recap.inner_text()
    assert "ChatGPT (comptes gratuits ou personnels)" in recap.inner_text()
    assert page.is_checked('input[name="identity"][value="named"]')
    assert no_horizontal_scroll(page)
    screenshot("declaration_phone_5_send")
    page.click("[data-save]")

    # the guidance, right away
    page.wait_for_url(re.compile(r"/mes-declarations/\d+/$"))
    elapsed = time.monotonic() - started
    print(f"declaration journey on a phone: {elapsed:.1f} s")
    assert elapsed < 120, f"the journey took {elapsed:.1f} s"
    declaration = Declaration.objects.get()
    assert declaration.author == users["agent"] and declaration.tool == catalogue["chatgpt"]
    assert declaration.device == "personal_device" and declaration.data_entered == ["internal", "ordinary"]
    alternative = page.locator('[data-guidance="alternative"]')
    assert "Albert" in alternative.inner_text()
    assert "C2" in alternative.inner_text()
    forbidden = page.locator('[data-guidance="forbidden"]').inner_text()
    assert fr("Internal documents") in forbidden
    assert page.locator('[data-guidance="breach"]').count() == 1
    assert no_horizontal_scroll(page)
    screenshot("declaration_phone_6_guidance")

    page.get_by_role("link", name=fr("My declarations")).first.click()
    page.wait_for_url(re.compile(r"/mes-declarations/$"))
    assert declaration.reference in page.content()
    screenshot("declaration_phone_7_mine")


def test_an_anonymous_declaration_on_a_desktop_gives_a_private_link(
    page, login, screenshot, live_server, users, catalogue
):
    login("agent")
    page.set_viewport_size(DESKTOP)
    page.goto("/declarer/")
    screenshot("declaration_desktop_1_tool")

    # a tool that is not in the catalogue: typed in the search box, it becomes the free-text name
    page.locator("#tool-search").press_sequentially("Gemini")  # key by key, as a person types
    assert page.input_value("#id_tool") == ""
    assert page.input_value("#id_tool_name") == "Gemini"
    page.select_option("#id_category", "general_chatbot")
    page.click("[data-step-next]")
    page.fill("#id_tasks", "Résumer des comptes rendus de réunion")
    page.check('input[name="frequency"][value="monthly"]')
    page.check('input[name="device"][value="work_pc"]')
    page.check('input[name="account"][value="personal_free"]')
    screenshot("declaration_desktop_2_use")
    page.click("[data-step-next]")
    page.check('input[name="data_entered"][value="internal"]')
    screenshot("declaration_desktop_3_data")
    page.click("[data-step-next]")
    page.check('input[name="output_use"][value="internal"]')
    page.check('input[name="human_review"][value="sometimes"]')
    screenshot("declaration_desktop_4_result")
    page.click("[data-step-next]")
    page.check('input[name="identity"][value="anonymous"]')
    screenshot("declaration_desktop_5_send")
    page.click("[data-save]")

    page.wait_for_url(re.compile(r"/suivi/[0-9a-f]{32}/$"))
    declaration = Declaration.objects.get()
    assert declaration.author is None and declaration.tool.status == "under_review"
    assert page.input_value("#follow-up-url").endswith(f"/suivi/{declaration.follow_up_code}/")
    assert fr("Keep this link") in page.content()
    assert "Albert" in page.locator('[data-guidance="alternative"]').inner_text()
    screenshot("declaration_desktop_6_follow_up")


def test_errors_open_the_step_to_complete_and_keep_the_answers(page, login, screenshot, live_server, users, catalogue):
    login("agent")
    page.set_viewport_size(PHONE)
    page.goto("/declarer/")
    page.fill("#tool-search", "albert")
    page.click("[data-step-next]")
    page.fill("#id_tasks", "Traduire des courriers")
    page.click('[data-step-link="5"]')
    page.click("[data-save]")

    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert visible_step(page) == "2"  # the first step with something to complete
    assert page.input_value("#id_tasks") == "Traduire des courriers"
    assert page.input_value("#id_tool") == str(catalogue["albert"].pk)
    screenshot("declaration_phone_errors")
    page.click('#error-summary a[href="#id_data_entered_0"]')
    assert visible_step(page) == "3"
    assert page.evaluate("document.activeElement.id") == "id_data_entered_0"
    assert not Declaration.objects.exists()


def test_without_javascript_every_step_shows_and_the_declaration_is_sent(
    page_without_js, live_server, users, catalogue
):
    page = page_without_js(users["agent"])
    page.goto(f"{live_server.url}/declarer/")
    assert page.locator("[data-step]:visible").count() == 5
    assert page.locator("#tool-search").is_hidden()
    page.screenshot(path=str(_artifact("declaration_nojs_form")), full_page=True)

    page.select_option("#id_tool", str(catalogue["albert"].pk))
    page.fill("#id_tasks", "Préparer des trames de notes")
    page.check('input[name="frequency"][value="daily"]')
    page.check('input[name="device"][value="work_pc"]')
    page.check('input[name="account"][value="professional"]')
    page.check('input[name="data_entered"][value="internal"]')
    page.check('input[name="output_use"][value="personal_draft"]')
    page.check('input[name="human_review"][value="always"]')
    page.click("[data-save]")

    page.wait_for_url(re.compile(r"/mes-declarations/\d+/$"))
    page.screenshot(path=str(_artifact("declaration_nojs_guidance")), full_page=True)
    declaration = Declaration.objects.get()
    assert declaration.category == "general_chatbot"  # the kind of the catalogue tool
    assert page.locator('[data-guidance="alternative"]').count() == 0


def _artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
