"""Browser journey: the structure's DPO shares a tool, the member's DPO adopts it and finds it in its catalogue."""

# ruff: noqa: F811
import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

# The browser journeys' fixtures, shared with tests/browser (the test functions take them as arguments).
from tests.browser.conftest import browser, login, page, screenshot  # noqa: F401

pytestmark = pytest.mark.browser


def test_share_then_adopt(page, login, screenshot, membership, structure_users, users, structure_tool, collectivite):
    login(structure_users["dpo"].username)
    page.goto(reverse("mutualisation:shared_list"))
    page.get_by_label(_("Content to share")).select_option(f"tool:{structure_tool.pk}")
    page.get_by_role("button", name=_("Share with the members")).click()
    page.wait_for_load_state()
    assert page.locator(f'tr[data-item="{structure_tool.name}"]').count() == 1
    screenshot("mutualisation-shared-list")
    page.get_by_role("button", name=_("Log out")).click()

    login(users["dpo"].username)
    page.goto(reverse("mutualisation:offered_list"))
    row = page.locator(f'tr[data-item="{structure_tool.name}"]')
    assert row.get_attribute("data-standing") == "new"
    screenshot("mutualisation-offered-list")
    row.get_by_role("link", name=structure_tool.name, exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("button", name=_("Adopt as it is")).click()
    page.wait_for_load_state()
    assert page.locator("[data-standing]").first.get_attribute("data-standing") == "adopted"
    screenshot("mutualisation-offered-detail")
    page.goto(reverse("registry:tool_list"))
    assert page.locator(f'tr[data-tool="{structure_tool.name}"]').count() == 1
