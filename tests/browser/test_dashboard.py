"""The dashboard in a real browser: each role's home page after logging in, its charts drawn, no sideways scroll."""

import pytest

from registry.choices import UseCaseStatus
from tests.audits.statistics_support import checkpoint, declaration, use_case

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
