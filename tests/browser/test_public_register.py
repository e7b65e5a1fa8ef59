"""Browser journeys through the public register: an anonymous visitor searches, filters, reads an entry and its
CRPA mention; the DPO publishes a use case and the visitor finds it. Basic accessibility checks on every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.choices import UseCaseStatus
from tests.registry.factories import UseCaseFactory
from tests.transparency.support import decision_use_case, published, submitted

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp")

# Run in the page: the checks a person with a screen reader or a keyboard relies on first.
ACCESSIBILITY_CHECKS = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push("no lang attribute");
  if (!document.title.trim()) problems.push("no title");
  const h1 = document.querySelectorAll("h1");
  if (h1.length !== 1) problems.push(`${h1.length} h1`);
  let previous = 0;
  for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(heading.tagName[1]);
    if (previous && level > previous + 1) {
      problems.push(`heading jumps from h${previous} to h${level}: ${heading.textContent.trim()}`);
    }
    previous = level;
  }
  for (const field of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    const labelled = (field.labels && field.labels.length)
      || field.getAttribute("aria-label") || field.getAttribute("aria-labelledby");
    if (!labelled) problems.push(`unlabelled ${field.tagName} ${field.name}`);
  }
  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) problems.push(`image without alt: ${image.src}`);
  }
  for (const table of document.querySelectorAll("table")) {
    if (!table.querySelector("caption")) problems.push("table without caption");
  }
  if (!document.querySelector("a.skip-link[href='#main']") || !document.querySelector("main#main")) {
    problems.push("no skip link to main");
  }
  for (const landmark of ["header", "nav", "main", "footer"]) {
    if (!document.querySelector(landmark)) problems.push(`no ${landmark}`);
  }
  return problems;
}"""


def assert_accessible(page):
    assert page.evaluate(ACCESSIBILITY_CHECKS) == [], page.url


def shoot(page, name):
    """Full-page screenshots at 1280 px and 390 px (a phone) in /tmp."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"public_register_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def public_register(collectivite, services, users, tool, use_case):
    """A decision-founding use case (CRPA mention) and a public chatbot, both published; a draft not."""
    decision = published(
        submitted(decision_use_case(use_case, name="Calcul des aides facultatives")),
        users["dpo"],
        name="Aide au calcul des aides sociales facultatives",
        summary="Propose un montant d'aide à partir du dossier du demandeur; un instructeur décide.",
        fields=["service", "risk", "tool", "personal_data", "impact_assessments"],
    )
    chatbot = published(
        UseCaseFactory(
            collectivite=collectivite,
            service=services["communication"],
            name="Agent conversationnel",
            art50_features=["chatbot"],
            audience="public",
            status=UseCaseStatus.SUBMITTED,
        ),
        users["dpo"],
        name="Assistant conversationnel du site de la ville",
        summary="Répond aux questions des habitants sur les démarches, jour et nuit.",
        legal_basis="Code général des collectivités territoriales.",
        fields=["service", "risk", "tool"],
    )
    UseCaseFactory(collectivite=collectivite, service=services["logement"], name="Projet non publié")
    return {"decision": decision, "chatbot": chatbot}


def test_anonymous_visitor_reads_the_register(page, public_register):
    decision = public_register["decision"]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.goto("/algorithmes/")
    assert page.url.endswith("/algorithmes/bellerive/")  # the only register
    assert page.locator("[data-result-count]").get_attribute("data-result-count") == "2"
    assert page.locator("[data-reference]").count() == 2
    assert "Projet non publié" not in page.content()
    assert_accessible(page)
    shoot(page, "list")

    page.locator("#search-q").fill("habitants démarches")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-result-count]").get_attribute("data-result-count") == "1"
    assert page.locator("#search-q").input_value() == "habitants démarches"
    assert (
        page.locator("[data-reference]").get_attribute("data-reference")
        == public_register["chatbot"].use_case.reference
    )

    page.locator("#search-q").fill("")
    page.locator("#search-risk").select_option(decision.ai_act_risk)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-result-count]").get_attribute("data-result-count") == "1"
    assert_accessible(page)

    page.get_by_role("link", name=decision.name).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == decision.name
    assert page.title().startswith(decision.name)
    mention = page.locator("#crpa-mention-text").inner_text()
    assert "L311-3-1" in mention and mention.strip() == decision.content["crpa_mention"].strip()
    assert page.locator("[data-section=crpa] li").count() == 4  # the R311-3-1-2 elements
    assert "Dupont" not in page.content() and "Jean Interne" not in page.content()
    assert_accessible(page)
    shoot(page, "entry")

    copy = page.locator("[data-copy-target]")
    assert copy.is_visible()
    copy.click()
    page.wait_for_function("document.querySelector('[data-copy-status]').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()").strip() == mention.strip()

    # The language switch is a plain link that keeps the page.
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == decision.name


def test_the_page_works_without_javascript(browser, live_server, public_register):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto("/algorithmes/bellerive/")
        page.locator("#search-q").fill("aides")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("[data-result-count]").get_attribute("data-result-count") == "1"
        page.locator("[data-reference] h3 a").click()
        page.wait_for_load_state()
        assert page.locator("#crpa-mention-text").is_visible()
        assert not page.locator("[data-copy-target]").is_visible()  # no button that would do nothing
    finally:
        context.close()


def test_dpo_publishes_and_the_visitor_sees_it(page, login, browser, live_server, collectivite, services, users):
    use_case = submitted(
        decision_use_case(
            UseCaseFactory(collectivite=collectivite, service=services["logement"], name="Tri des demandes de logement")
        )
    )
    login("dpo")
    page.goto(f"/registre/{use_case.pk}/publication/")
    assert_accessible(page)
    shoot(page, "dpo_edit")
    page.locator("#id_name").fill("Aide au tri des demandes de logement social")
    page.locator("#id_summary").fill("Classe les demandes par ancienneté et situation; la commission décide.")
    page.locator("#id_human_intervention").fill("La commission d'attribution examine chaque dossier.")
    page.locator("#id_data_sources").fill("Les demandes de logement déposées et leurs pièces.")
    page.locator("#id_contact").fill("logement@bellerive.example.fr")
    page.locator("#field-hosting").uncheck()
    assert page.locator("#field-purpose").is_disabled() and page.locator("#field-purpose").is_checked()
    page.locator("button[name=action][value=publish]").click()
    page.wait_for_load_state()
    assert page.locator("[data-publication-state]").get_attribute("data-publication-state") == "published"
    assert page.locator("[data-trail] [data-event=published]").count() == 1

    visitor = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    try:
        visitor.goto("/algorithmes/bellerive/")
        visitor.get_by_role("link", name="Aide au tri des demandes de logement social").click()
        visitor.wait_for_load_state()
        assert "La commission d'attribution examine chaque dossier." in visitor.content().replace("&#x27;", "'")
        assert visitor.locator("[data-section=technique]").count() == 0 or "hosting" not in visitor.url
        assert visitor.locator("#crpa-mention-text").is_visible()
    finally:
        visitor.context.close()


def test_the_visitor_follows_the_json_api_link(page, public_register):
    """The « API JSON » link of the public register opens the records in the browser, not a server error."""
    page.goto("/algorithmes/bellerive/")

    with page.expect_navigation():
        page.locator("[data-download=api]").click()

    assert page.url.endswith("/api/v1/public/use-cases/")
    body = page.evaluate("document.body.innerText")
    assert "AssertionError" not in body and "Server Error" not in body
    records = page.evaluate("JSON.parse(document.body.innerText)")
    assert {record["reference"] for record in records["results"]} == {
        public_register["decision"].use_case.reference,
        public_register["chatbot"].use_case.reference,
    }
