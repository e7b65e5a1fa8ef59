"""A DPO shared by two collectivités, in a real browser: the overview, then the switch to one of them, whose
register alone is shown; and an administrator's settings page with its colour preview."""

import pytest
from django.urls import reverse

from core.roles import Role
from registry.choices import UseCaseStatus
from tests.registry.factories import CollectiviteFactory, MembershipFactory, ServiceFactory, UserFactory
from tests.reporting.statistics_support import use_case

pytestmark = [pytest.mark.browser]


@pytest.fixture
def two_registers(collectivite, services, users):
    saint_aubin = CollectiviteFactory(
        name="Commune de Saint-Aubin-sur-Loire", slug="saint-aubin-sur-loire", agents_count=31, primary_colour="#7a3b12"
    )
    accueil = ServiceFactory(collectivite=saint_aubin, name="Accueil", code="ACC")
    owner = UserFactory(username="agent.saint-aubin")
    MembershipFactory(user=owner, collectivite=saint_aubin, role=Role.AGENT, service=accueil)
    use_case(collectivite, services["ccas"], users["chef"], name="Tri du courrier de Bellerive")
    use_case(saint_aubin, accueil, owner, name="Courriers de la mairie de Saint-Aubin")
    use_case(saint_aubin, accueil, owner, name="Comptes rendus du conseil", status=UseCaseStatus.SUBMITTED)
    shared = UserFactory(username="dpo.mutualise")
    for where in (collectivite, saint_aubin):
        MembershipFactory(user=shared, collectivite=where, role=Role.DPO)
    return {"bellerive": collectivite, "saint_aubin": saint_aubin}


def test_the_shared_dpo_opens_the_overview_then_only_saint_aubin_s_register(two_registers, page, login, screenshot):
    login("dpo.mutualise")
    page.goto(reverse("registry:consolidated"))

    rows = page.locator("tbody tr[data-collectivite]")
    assert rows.count() == 2
    saint_aubin = page.locator("tr[data-collectivite='saint-aubin-sur-loire']")
    assert saint_aubin.locator("[data-figure=in_register]").inner_text() == "2"
    assert saint_aubin.locator("[data-figure=in_review]").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot("consolidated-overview")

    saint_aubin.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(reverse("registry:use_case_list"))

    text = page.locator("main").inner_text()
    assert "Courriers de la mairie de Saint-Aubin" in text and "Comptes rendus du conseil" in text
    assert "Tri du courrier de Bellerive" not in text
    assert page.locator(".registre-brand-name").inner_text() == "Commune de Saint-Aubin-sur-Loire"
    screenshot("consolidated-switched-register")


def test_the_administrator_previews_the_main_colour(collectivite, users, page, login, screenshot):
    login("admin")
    page.goto(reverse("registry:collectivite_settings", args=[collectivite.pk]))

    page.locator("#id_primary_colour").fill("#ffd166")
    preview = page.locator("[data-colour-preview] .registre-brand")
    # A light colour: the preview turns its text black, as the pages will
    assert preview.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 209, 102)"
    assert preview.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    screenshot("collectivite-settings")
