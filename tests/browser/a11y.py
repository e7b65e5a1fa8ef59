"""Automated accessibility checks of a page with axe-core (RGAA level AA is checked against WCAG 2.1 A and AA).

axe-core comes from the `axe-playwright-python` wheel, which ships `axe.min.js` (axe-core 4.12.1 in the 0.1.8 locked
by requirements.lock, the current release line): the script is read from the installed package and injected into the
page, so nothing is fetched at run time, and a newcomer's machine needs no Node.js nor npm to run the same axe-core.
axe finds only part of what the RGAA asks (no judgement of wording, focus order or meaning): the journeys check those
themselves.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_script() -> str:
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or spec.origin is None:
        message = "axe-core is not installed: the dev dependency axe-playwright-python brings it (bin/install)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)  # CI checks accessibility or fails, never silently skips
        pytest.skip(message)
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


_SCRIPTS = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_NOSCRIPT_TAGS = re.compile(r"</?noscript\b[^>]*>", re.IGNORECASE)


def _without_javascript(page, check):
    """Run `check` on a copy of a page whose JavaScript is disabled: axe-core needs scripts to run (its promise
    never settles otherwise), so the page's HTML, its own scripts removed, is checked in a page that runs scripts,
    at the same address and size. The copy shows exactly what the person without JavaScript sees."""
    # Without its scripts, and with what <noscript> holds shown, as the browser without JavaScript shows it.
    html = _NOSCRIPT_TAGS.sub("", _SCRIPTS.sub("", page.content()))
    context = page.context.browser.new_context(viewport=page.viewport_size, locale="fr-FR")
    try:
        context.add_cookies(page.context.cookies())
        copy = context.new_page()
        copy.route(
            "**/*", lambda route: route.abort() if route.request.resource_type == "script" else route.continue_()
        )
        copy.goto(page.url.split("?")[0].split("#")[0], wait_until="commit")
        copy.set_content(html)
        return check(copy)
    finally:
        context.close()


def axe_violations(page, *, include: str | None = None, javascript: bool = True) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds in the page (or in the element `include` selects), once the
    page has settled: a region refreshing (aria-busy, faded while it loads) is checked as a person reads it. Say
    `javascript=False` for a page whose JavaScript is disabled (see `_without_javascript`)."""
    if not javascript:
        return _without_javascript(page, lambda copy: axe_violations(copy, include=include))
    busy = page.locator('[aria-busy="true"]')
    if busy.count():
        busy.first.wait_for(state="detached")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
    context = {"include": [include]} if include else {"exclude": []}
    return page.evaluate(
        "([context, tags]) => axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(results => results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)})))",
        [context, WCAG_AA],
    )


def assert_accessible(page, *, include: str | None = None, javascript: bool = True) -> None:
    """Fail with a readable list of what axe-core found (rule, impact, the elements and why)."""
    violations = axe_violations(page, include=include, javascript=javascript)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {node}" for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe-core found accessibility violations on {page.url}:\n{report}"
