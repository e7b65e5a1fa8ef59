"""Accessibility in the markup itself (RGAA): the API documentation's language, the scrolling tables reachable from
the keyboard, the PDFs' headings in a readable shade of the collectivité's colour. The browser checks (axe-core over
every page) are in tests/browser/test_accessibility_all_pages.py."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core import colours

TEMPLATES = Path(settings.BASE_DIR) / "templates"
_WRAPPER = re.compile(r'<div class="table-responsive[^"]*"[^>]*>')


@pytest.mark.django_db
def test_the_api_documentation_is_announced_in_french(users, client_for):
    html = client_for(users["admin"]).get(reverse("api-docs")).content.decode()

    # a screen reader reads the French descriptions with a French voice (WCAG 3.1.1)
    assert re.search(r'<html lang="fr">', html)


def test_every_scrolling_table_can_be_reached_and_scrolled_from_the_keyboard():
    """A table wider than the screen scrolls inside its wrapper: the wrapper takes the focus (so that the arrow keys
    scroll it) and is a named region, so that a screen reader says which table it is (axe-core's
    scrollable-region-focusable)."""
    wrappers = {
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in TEMPLATES.rglob("*.html")
        for tag in _WRAPPER.findall(path.read_text(encoding="utf-8"))
    }
    assert len(wrappers) >= 25

    unreachable = [
        wrapper
        for wrapper in wrappers
        if not ('tabindex="0"' in wrapper and 'role="region"' in wrapper and re.search(r"aria-label(ledby)?=", wrapper))
    ]
    assert unreachable == []


@pytest.mark.django_db
def test_a_pdfs_headings_in_a_pale_colour_are_darkened_to_read(collectivite):
    collectivite.primary_colour = "#ffff00"

    css = render_to_string("documents/pdf.css", {"collectivite": collectivite})

    heading = re.search(r"h1, h2, h3 \{ color: (#[0-9a-f]{6});", css).group(1)
    assert heading != "#ffff00"
    assert colours.contrast_ratio(heading, "#ffffff") >= 4.5
