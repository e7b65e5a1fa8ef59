"""The dashboard in a real browser: each role's home page after logging in, its charts drawn, no sideways scroll."""

import pytest

from registry.choices import UseCaseStatus
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS, PASSWORD
from tests.reporting.statistics_support import checkpoint, declaration, use_case

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def national_catalogue(transactional_db):
    """The national checkpoint types, which the flush after an earlier browser test erased (as in
    test_checkpoints_journey)."""
    import importlib

    from django.apps import apps

    importlib.import_module("audits.migrations.0002_national_catalogue").create(apps, None)


@pytest.fixture
def demo_register(collectivite, services, users):
    for number, (service, risk, status) in enumerate(
        [
            (services["ccas"], "minimal", UseCaseStatus.IN_PRODUCTION),
            (services["ccas"], "high", UseCaseStatus.APPROVED),
            (services["logement"], "limited", UseCaseStatus.IN_REVIEW),
            (services["communication"], "prohibited", UseCaseStatus.DRAFT),
            (services["communication"], "minimal", UseCaseStatus.IN_PRODUCTION),
        ]
    ):
        case = use_case(collectivite, service, users["chef"], risk=risk, status=status)
        checkpoint(case, owner=users["agent"], due_in_days=-4 if number % 2 else 3)
    declaration(collectivite, author=users["agent"], tool_name="DeepL gratuit")


@pytest.mark.parametrize(("role", "charts"), [("dpo", 5), ("chef", 4), ("agent", 0)])
def test_each_role_lands_on_a_dashboard_that_fits_the_screen(role, charts, demo_register, page, login, screenshot):
    login(role)
    page.goto("/")

    assert page.locator("svg[role=img]").count() == charts
    # nothing wider than the window: the visually hidden data tables stay inside their charts
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if charts:
        box = page.locator("svg[role=img]").first.bounding_box()
        assert box["width"] > 300 and box["height"] > 60
    screenshot(f"dashboard-{role}")


PHONE = {"width": 390, "height": 844}


def sign_in(page, username: str) -> None:
    """Through the login form, as a person does (by the fields' names: their labels' wording is not the point)."""
    page.goto("/connexion/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/connexion/'] button[type=submit]").click()
    page.wait_for_load_state()


def test_on_a_phone_the_agent_lands_on_what_waits_for_them(demo_register, page, screenshot):
    # given an agent who signs in on a phone (issue 17: they landed on the register's seven filter fields)
    page.set_viewport_size(PHONE)
    sign_in(page, "agent")

    # then their dashboard opens, and its first screen holds what waits for them: their tasks, their checkpoints and
    # the button to declare a use, no filter form
    assert page.evaluate("location.pathname") == "/"
    first_screen = [
        page.locator("[data-dashboard=tasks]"),
        page.locator("#my-checkpoints-title"),
        page.locator("[data-figure-link=my-checkpoints]"),
        page.locator(".btn-declare"),
    ]
    for element in first_screen:
        box = element.bounding_box()
        assert box is not None and box["y"] + min(box["height"], 40) <= PHONE["height"], element
    assert page.locator("form[role=search]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("dashboard-agent-phone")
    page.screenshot(path=str(ARTIFACTS / "dashboard-agent-phone-first-screen.png"))
    assert_accessible(page)


@pytest.mark.parametrize("role", ["dpo", "chef"])
def test_the_dashboard_of_a_wide_view_passes_axe(role, demo_register, page):
    sign_in(page, role)

    assert page.evaluate("location.pathname") == "/"
    assert page.locator("[data-figure-link]").count() >= 8
    assert_accessible(page)
