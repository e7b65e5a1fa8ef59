"""The charter in a real browser: an agent reaches it from the top bar and acknowledges it; the DGS publishes the
draft after confirming; the pages fit a phone, and the DPO's menu still holds on one line at 1280 px."""

# ruff: noqa: F811
import pytest
from django.utils.translation import gettext as _

from charter.models import CharterAcknowledgement, CharterEdition

# The browser journeys' fixtures, shared with tests/browser (the test functions take them as arguments).
from tests.browser.conftest import browser, login, page, screenshot  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_agent_reads_and_acknowledges_the_charter(page, login, screenshot, users, published):
    login("agent")

    page.locator(".registre-topbar").get_by_role("link", name=_("Charter"), exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=2, name="1. Objet et champ d'application").is_visible()
    screenshot("charter-01-agent-reads")
    page.get_by_role("button", name=_("I have read the charter")).click()
    page.wait_for_load_state()

    assert page.locator("[data-acknowledged]").is_visible()
    assert CharterAcknowledgement.objects.filter(edition=published, user=users["agent"]).exists()


def test_the_dgs_publishes_after_confirming(page, login, screenshot, users, draft):
    login("dgs")
    page.goto(f"/charte/{draft.year}/")
    page.get_by_role("link", name=_("Publish this edition")).click()
    page.wait_for_load_state()
    page.get_by_role("button", name=_("Publish the edition")).click()  # not confirmed yet: refused, explained
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    page.locator("input[name=confirm]").check()
    screenshot("charter-02-dgs-confirms")
    page.get_by_role("button", name=_("Publish the edition")).click()
    page.wait_for_load_state()

    draft.refresh_from_db()
    assert draft.status == CharterEdition.Status.PUBLISHED
    assert page.locator("[data-content-fingerprint]").inner_text() == draft.content_fingerprint


def test_the_dpo_s_menu_holds_on_one_line_and_the_charter_fits_a_phone(
    page,
    login,
    screenshot,
    users,
    published,
    draft,
):
    login("dpo")
    page.goto(f"/charte/{published.year}/")
    tops = page.locator("nav.registre-nav .nav-item").evaluate_all("items => items.map(i => i.offsetTop)")
    assert len(set(tops)) == 1, "the main menu wraps at 1280 px"
    screenshot("charter-03-dpo-rates")

    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/charte/{published.year}/", f"/charte/{draft.year}/sections/purpose/", "/charte/editions/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    screenshot("charter-04-phone-editions")
