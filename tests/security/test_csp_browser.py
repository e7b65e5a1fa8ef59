"""The Content-Security-Policy, enforced, in a real browser: the main pages (internal, public, Swagger UI) load
without a single violation, and what used to be inline (the collectivité's colours, the bars) still works."""

# ruff: noqa: F811
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits import services as audits
from registry.choices import UseCaseStatus
from tests.browser.conftest import browser, login, page, screenshot  # noqa: F401
from tests.transparency.support import decision_use_case, published, submitted

pytestmark = pytest.mark.browser

# Recorded by the browser itself (an init script runs outside the page's CSP), with the console's messages.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording every CSP violation and console error; `watched.problems()` lists them."""
    messages = []
    page.on("console", lambda message: messages.append((message.type, message.text)))
    page.on("pageerror", lambda error: messages.append(("pageerror", str(error))))
    page.add_init_script(RECORD_VIOLATIONS)

    def problems():
        violations = page.evaluate("window.__cspViolations || []")
        console = [
            text
            for kind, text in messages
            if kind in ("error", "pageerror") or "Content Security Policy" in text or "Content-Security-Policy" in text
        ]
        return violations + console

    page.problems = problems
    return page


def internal_pages(use_case):
    return [
        reverse("registry:home"),
        reverse("registry:use_case_list"),
        reverse("registry:use_case_detail", args=[use_case.pk]),
        reverse("registry:use_case_create"),
        reverse("registry:use_case_edit", args=[use_case.pk]),
        reverse("registry:my_tasks"),
        reverse("registry:declaration_create"),
        reverse("registry:declaration_queue"),
        reverse("registry:committee"),
        reverse("audits:compliance"),
        reverse("audits:my_checkpoints"),
        reverse("audits:document_list"),
        reverse("exchange:import_start"),
        reverse("charter:current"),
        reverse("transparency:overview"),
        reverse("api-docs"),
    ]


def test_the_main_pages_load_without_any_csp_violation(watched, login, screenshot, use_case, users):
    login("dpo")
    assert watched.problems() == [], "login page"

    for url in internal_pages(use_case):
        response = watched.goto(url)
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"], url
        assert watched.problems() == [], url
    # the Swagger UI really ran (its inline script, allowed by its nonce): the operations are listed
    watched.locator(".opblock").first.wait_for()
    assert watched.problems() == []
    screenshot("csp-swagger-ui")


def test_the_collectivites_colours_apply_without_inline_style(watched, login, collectivite, users):
    collectivite.primary_colour = "#ffcc00"
    collectivite.save()
    login("agent")

    colours = watched.evaluate(
        "[getComputedStyle(document.documentElement).getPropertyValue('--registre-primary').trim(),"
        " getComputedStyle(document.documentElement).getPropertyValue('--registre-on-primary').trim()]"
    )

    assert colours == ["#ffcc00", "#000000"]
    assert watched.problems() == []
    # and the watch is not blind: an inline style attribute is refused by the policy and reported
    watched.evaluate("document.body.setAttribute('style', 'color: red')")
    watched.wait_for_timeout(200)
    assert any("style-src" in problem for problem in watched.problems())


def test_the_public_register_loads_without_any_csp_violation(watched, use_case, users, collectivite):
    record = published(submitted(decision_use_case(use_case)), users["dpo"], fields=["service", "risk", "tool"])
    slug = collectivite.slug

    for url in (
        reverse("public:index"),
        reverse("public:register", kwargs={"slug": slug}),
        reverse("public:entry", kwargs={"slug": slug, "reference": record.use_case.reference}),
    ):
        response = watched.goto(url)
        assert response.status == 200, url
        assert watched.problems() == [], url
    primary = watched.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--registre-primary').trim()"
    )
    assert primary == collectivite.primary_colour


def test_compliance_bars_are_drawn_to_scale_by_classes(watched, login, use_case):
    # a use case in production with its checkpoints, one of them overdue: a rate strictly between 0 and 100
    type(use_case).objects.filter(pk=use_case.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    use_case.refresh_from_db()
    audits.checkpoints_sync(use_case=use_case)
    checkpoints = list(use_case.checkpoints.order_by("pk"))
    assert len(checkpoints) >= 2
    checkpoints[0].next_due = timezone.localdate() - timedelta(days=2)
    checkpoints[0].save()
    login("dpo")
    watched.goto(reverse("audits:compliance"))
    bars = watched.locator(".compliance-bar > span")
    assert bars.count() > 0
    rates = []
    for index in range(bars.count()):
        rate = float(bars.nth(index).locator("xpath=ancestor::*[@data-rate][1]").get_attribute("data-rate"))
        ratio = watched.evaluate(
            "(el) => el.getBoundingClientRect().width / el.parentElement.getBoundingClientRect().width",
            bars.nth(index).element_handle(),
        )
        assert abs(ratio * 100 - rate) <= 3.5, (rate, ratio)
        rates.append(rate)
    assert any(0 < rate < 100 for rate in rates), rates
    assert watched.problems() == []
