"""The security journal in a real browser: a DPO signs in through the form, finds that sign-in in the journal,
filters it; the page holds at 1280 px and 390 px with no Content-Security-Policy violation."""

import os
from pathlib import Path

import pytest

from core.roles import Role
from security.models import SecurityEvent
from tests.registry.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("REGISTRE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PASSWORD = "motdepasse-test"  # tests.factories.UserFactory's password


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def test_a_dpo_reads_their_sign_in_in_the_journal(browser, transactional_db, live_server, collectivite, services):
    dpo = UserFactory(username="dpo-journal", first_name="Dominique", last_name="Pasquier")
    MembershipFactory(user=dpo, collectivite=collectivite, role=Role.DPO)
    agent = UserFactory(username="agent-journal")
    MembershipFactory(user=agent, collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto("/connexion/")
    page.locator("input[name=username]").fill("agent-journal")
    page.locator("input[name=password]").fill("wrong password")
    page.locator("form[action='/connexion/'] button[type=submit]").click()
    page.locator("input[name=username]").fill("dpo-journal")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/connexion/'] button[type=submit]").click()
    page.wait_for_load_state()

    page.goto("/securite/journal/")
    login = SecurityEvent.objects.get(kind="login_succeeded", subject_user=dpo)
    failed = SecurityEvent.objects.get(kind="login_failed", username_attempted="agent-journal")
    assert page.locator(f'tr[data-event-id="{login.pk}"]').is_visible()
    assert page.locator(f'tr[data-event-id="{failed.pk}"]').is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "security-journal-1280.png"), full_page=True)

    page.locator("select[name=kind]").select_option("login_failed")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("tr[data-event-id]").count() == 1
    assert page.locator(f'tr[data-event-id="{failed.pk}"]').is_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/securite/journal/")
    page.screenshot(path=str(ARTIFACTS / "security-journal-390.png"), full_page=True)
    assert not [text for text in console if "Content Security Policy" in text or "Refused to" in text]
    context.close()
