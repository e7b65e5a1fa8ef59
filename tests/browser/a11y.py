"""Automated accessibility checks of a page with axe-core (RGAA level AA is checked against WCAG 2.1 A and AA).

axe-core comes from the `axe-playwright-python` wheel, which ships `axe.min.js`: the script is read from the
installed package and injected into the page, so nothing is fetched at run time. axe finds only part of what the
RGAA asks (no judgement of wording, focus order or meaning): the journeys check those themselves.
"""

from __future__ import annotations

import importlib.util
import os
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


def axe_violations(page, *, include: str | None = None) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds in the page (or in the element `include` selects)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
    context = {"include": [include]} if include else {"exclude": []}
    return page.evaluate(
        "([context, tags]) => axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(results => results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)})))",
        [context, WCAG_AA],
    )


def assert_accessible(page, *, include: str | None = None) -> None:
    """Fail with a readable list of what axe-core found (rule, impact, the elements and why)."""
    violations = axe_violations(page, include=include)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {node}" for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe-core found accessibility violations on {page.url}:\n{report}"
