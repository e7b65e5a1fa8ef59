"""Playwright fixtures for the browser journeys: one Chromium per module, a fresh page per test.

The tests drive the system's Chromium against pytest-django's `live_server`; screenshots go to
`test-artifacts/` (git-ignored) so a human can look at the pages.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("REGISTRE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
PASSWORD = "motdepasse-test"  # tests.factories.UserFactory's password


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: module scope, so that no Playwright loop outlives its module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, transactional_db, live_server):
    """A French-speaking page, 1280 px wide, whose `goto` accepts paths relative to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """`login(username)`: log in through the login form, as a person would."""

    def log_in(username: str, password: str = PASSWORD):
        page.goto("/connexion/")
        page.get_by_label("Nom d'utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.locator("form[action='/connexion/'] button[type=submit]").click()
        page.wait_for_load_state()
        return page

    return log_in


@pytest.fixture
def screenshot(page):
    """`screenshot(name)`: a full-page PNG in test-artifacts/, returning its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def shoot(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def page_for(browser, transactional_db, live_server):
    """`page_for(user, viewport=DESKTOP, javascript=True)`: a French-speaking page logged in as `user` (the session
    cookie of a Django test client), whose `goto` accepts paths relative to the live server. Pages come per viewport
    and with or without JavaScript, so they are built here rather than taken from `page`."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user, viewport=DESKTOP, javascript=True):
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, java_script_enabled=javascript, locale="fr-FR"
        )
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
