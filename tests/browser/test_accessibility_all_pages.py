"""axe-core over every page of every role of the demo: no WCAG 2.1 A/AA violation anywhere (RGAA level AA).

The demo collectivité is loaded once (`seed_demo`), then each demo role gets one browser context, logged in, and
walks the application from its home page: every link of its menus, and one page of each kind reached from there (a
use case, a checkpoint, a declaration, a review form, a committee session, a charter edition, a document, the
settings...), found by the shape of their address (`/registre/12/` and `/registre/31/` are the same kind; see Crawl).
Anonymous visitors walk the login page and the public registers; a 404, a 403 and the API's documentation are checked
too. Every failure is reported at once, page
by page, rule by rule. Set `A11Y_REPORT=<file>` to also write a summary of what was found (violations per rule and
per page), as the accessibility note quotes it.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from demo import register as demo
from tests.browser.a11y import assert_accessible, axe_violations

pytestmark = pytest.mark.browser

# Files and actions, not pages: downloads, exports, evidence, the JSON API, logging out, switching language, and
# Django's own admin (its templates are Django's, not ours).
_NOT_PAGES = re.compile(
    r"(\.(csv|xlsx|json|pdf|odt|zip)$|/telecharger/|/preuves/|/etat/|/api/v1/|/api/schema/|/oidc/|/media/"
    r"|/deconnexion/|/i18n/|^/admin/)"
)
# Segments that name one object: numbers, references (2026-0016), years, codes with digits.
_OBJECT_SEGMENT = re.compile(r"^(?=.*\d)[\w.-]+$")
MAX_DEPTH = 3


def _shape(path: str) -> str:
    """The kind of page an address leads to: `/registre/12/avis/dpo/` -> `/registre/<id>/avis/dpo/`."""
    return "/".join("<id>" if _OBJECT_SEGMENT.match(segment) else segment for segment in path.split("/"))


def _links(page, origin: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or not parts.path:
            continue
        if not _NOT_PAGES.search(parts.path):
            paths.append(parts.path)  # filters (?status=...) show the same page: the path alone is visited
    return paths


class Crawl:
    """Walks the application as each visitor in turn, checking every page with axe-core.

    A visitor opens each page of their menus (the header's and the footer's links, which differ from one role to
    the next) and, from there, one page of each kind, breadth first, down to MAX_DEPTH links away. Their menu pages
    are checked for each of them; a kind of page reached from the content (a use case, a checkpoint, its form...) is
    checked once over all visitors, by the first one who reaches it: the roles run from the one who sees the most
    actions, and checking one template thirty times over would not find more (it keeps the walk within a few
    minutes). Each visitor still opens those pages, to follow the links that only their role sees.
    `findings[(who, path)]` gets each checked page's HTTP status and violations."""

    def __init__(self, origin: str):
        self.origin = origin
        self.findings: dict[tuple[str, str], dict] = {}
        self.checked: set[str] = set()  # kinds of content pages checked, whoever checked them

    def walk(self, page, who: str, starts: list[str], depth: int = MAX_DEPTH) -> None:
        opened: set[str] = set()
        frontier = [(path, True) for path in dict.fromkeys(starts)]
        for level in range(depth + 1):
            following = []
            for path, from_menu in frontier:
                shape = _shape(path)
                # the public register is the same for everyone: checked once, whoever reaches it
                shared = not from_menu or path.startswith("/algorithmes/")
                if shape in opened or (shared and shape in self.checked and level == depth):
                    continue
                opened.add(shape)
                response = page.goto(path)
                if response is None or "text/html" not in response.headers.get("content-type", ""):
                    continue
                if not shared or shape not in self.checked:
                    self.checked.add(shape)
                    if path == "/api/docs/":
                        page.locator("#swagger-ui .opblock").first.wait_for()  # Swagger UI draws it from the schema
                    self.findings[(who, path)] = {"status": response.status, "violations": axe_violations(page)}
                if level < depth and response.status == 200:
                    following.extend(
                        (link, True) for link in _links(page, self.origin, "header a[href], footer a[href]")
                    )
                    following.extend((link, False) for link in _links(page, self.origin, "main a[href]"))
            frontier = list(dict.fromkeys(following))


def _context_for(browser, live_server, user=None):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return context


def _report(findings: dict) -> tuple[list[str], str]:
    """The failures (page -> rule -> elements) and a summary (violations per rule, per page)."""
    failures, per_rule, per_page = [], Counter(), []
    for (who, path), found in sorted(findings.items()):
        lines = []
        if found["status"] >= 500:
            lines.append(f"    HTTP {found['status']}")
        for violation in found["violations"]:
            per_rule[violation["id"]] += len(violation["nodes"])
            lines.append(f"    {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"        {node}" for node in violation["nodes"][:8])
            if len(violation["nodes"]) > 8:
                lines.append(f"        ... and {len(violation['nodes']) - 8} more")
        count = sum(len(v["nodes"]) for v in found["violations"])
        per_page.append(
            f"{count:4d}  {who:10s} {path} (HTTP {found['status']})"
            + ("  " + ", ".join(f"{v['id']}×{len(v['nodes'])}" for v in found["violations"]) if count else "")
        )
        if lines:
            failures.append(f"{who} {path}:\n" + "\n".join(lines))
    total = sum(per_rule.values())
    summary = (
        f"{len(findings)} pages checked, {total} violating elements "
        f"({sum(bool(f['violations']) for f in findings.values())} pages with violations)\n\n"
        "Per rule (elements):\n"
        + "".join(f"{count:5d}  {rule}\n" for rule, count in per_rule.most_common())
        + "\nPer page (elements, role, address):\n"
        + "\n".join(per_page)
        + "\n"
    )
    return failures, summary


# The roles with the most actions first (see Crawl): their pages show every button a page can have.
ROLES = ("admin", "dpo", "rssi", "dgs", "comite", "chef", "agent")


def test_every_page_of_every_role_passes_axe(browser, transactional_db, live_server):
    started = time.monotonic()
    call_command("seed_demo", password="demo-a11y-Test-2026", stdout=io.StringIO())
    assert set(ROLES) == set(demo.ROLE_USERNAMES)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    crawl = Crawl(live_server.url)

    # Anonymous: the login page, the public registers, a page that does not exist (404).
    context = _context_for(browser, live_server)
    crawl.walk(context.new_page(), "anonymous", ["/connexion/", "/algorithmes/", "/page-qui-n-existe-pas/"], depth=2)
    context.close()

    for username in ROLES:
        context = _context_for(browser, live_server, users[username])
        # The agent may not triage: a page refused (403) is a page too. The API's documentation is the admin's.
        starts = ["/"] + {"agent": ["/triage/"], "admin": ["/api/docs/"]}.get(username, [])
        crawl.walk(context.new_page(), username, starts)
        context.close()

    # the walk went everywhere: each role's menu pages, the refused and the missing page, the API's documentation
    checked = Counter(who for who, _ in crawl.findings)
    assert all(checked[role] >= 8 for role in ROLES), checked
    statuses = {found["status"] for found in crawl.findings.values()}
    assert {200, 403, 404} <= statuses and ("admin", "/api/docs/") in crawl.findings
    assert len(crawl.findings) >= 100

    failures, summary = _report(crawl.findings)
    summary += f"\nChecked in {time.monotonic() - started:.0f} s.\n"
    if os.environ.get("A11Y_REPORT"):
        Path(os.environ["A11Y_REPORT"]).write_text(summary, encoding="utf-8")
    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("colour", ["#ffff00", "#808080"])
def test_a_pale_main_colour_keeps_every_text_readable(colour, collectivite, users, use_case, page_for):
    """Pale yellow, mid grey: the links, the headings and buttons in the collectivité's colour still read at 4.5:1."""
    from django.urls import reverse

    from core import colours

    collectivite.primary_colour = colour
    collectivite.save()
    page = page_for(users["admin"])

    shade = colours.palette(colour).text
    for path in (
        "/",
        reverse("registry:use_case_list"),
        reverse("registry:use_case_detail", args=[use_case.pk]),
        reverse("registry:collectivite_settings", args=[collectivite.pk]),
    ):
        page.goto(path)
        assert_accessible(page)
    # the links are written in the readable shade of the colour, the band keeps the colour itself
    page.goto(reverse("registry:use_case_list"))
    link_colour = page.locator("main tbody th a").first.evaluate("e => getComputedStyle(e).color")
    assert link_colour == "rgb({}, {}, {})".format(*colours.parse(shade))
    band = page.locator("header .registre-brand").evaluate("e => getComputedStyle(e).backgroundColor")
    assert band == "rgb({}, {}, {})".format(*colours.parse(colour))


def test_every_focusable_element_shows_the_same_strong_focus_ring(collectivite, users, use_case, page_for):
    """Tabbing through a page: each link, button, field, menu item and table shows a 3 px ring that reads at 3:1 on
    what surrounds it (Bootstrap's pale blue glow, 1.2:1, replaced it on the menu and the fields)."""
    from core import colours

    page = page_for(users["dpo"])
    page.goto("/registre/")
    seen, rings = set(), {}
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const e = document.activeElement, s = getComputedStyle(e);
              let parent = e.parentElement, background = 'rgba(0, 0, 0, 0)';
              while (parent && (background === 'rgba(0, 0, 0, 0)' || background === 'transparent')) {
                background = getComputedStyle(parent).backgroundColor; parent = parent.parentElement;
              }
              const kind = e.matches('.nav-link') ? 'menu item' : e.matches('.table-responsive') ? 'table'
                : e.matches('select') ? 'select' : e.matches('input, textarea') ? 'field'
                : e.matches('button, .btn') ? 'button' : e.tagName.toLowerCase();
              return {kind, style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor,
                      background};
            }"""
        )
        if focused["kind"] == "body":  # past the last element, the browser's own controls
            continue
        seen.add(focused["kind"])
        rings.setdefault(focused["kind"], []).append(focused)
    assert {"a", "button", "field", "select", "menu item", "table"} <= seen, seen

    def hex_of(rgb: str) -> str:
        return colours.to_hex(tuple(int(part) for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]))

    for kind, found in rings.items():
        for ring in found:
            assert ring["style"] == "solid" and ring["width"] >= 2, (kind, ring)
            assert colours.contrast_ratio(hex_of(ring["colour"]), hex_of(ring["background"])) >= 3, (kind, ring)
