"""The charter's cover as a reader sees it: a draft's banner on one line, in its box; a published edition generated
after its publication says both dates and why they differ, never a bare « publiée le … » next to « généré le … »."""

import datetime as dt
import zoneinfo

import pytest
from django.utils.translation import gettext as _
from weasyprint.formatting_structure import boxes

from charter import pdf as charter_pdf
from charter.models import CharterEdition
from documents.models import Document
from documents.pdf import layout, render_pdf
from tests.reporting.reports_support import normalise

from .conftest import pdf_pages

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _spec(edition):
    return charter_pdf.build(Document(collectivite=edition.collectivite, kind=Document.Kind.CHARTER, year=edition.year))


def _descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _descendants(child)


def _text(box) -> str:
    return "".join(b.text for b in _descendants(box) if isinstance(b, boxes.TextBox))


def _with_class(page, name: str):
    return [
        box
        for box in _descendants(page._page_box)
        if isinstance(box, boxes.BlockBox) and name in (box.element.get("class") or "").split()
    ]


def test_the_draft_banner_stays_on_one_line_inside_the_cover(draft):
    document = layout(_spec(draft), collectivite=draft.collectivite, generated_at=dt.datetime.now(tz=PARIS))
    cover = document.pages[0]

    (banner,) = _with_class(cover, "draft-box")
    lines = [child for child in banner.children if isinstance(child, boxes.LineBox)]
    assert len(lines) == 1, [_text(line) for line in lines]
    assert _text(lines[0]) == _("DRAFT — this edition is not in force")
    # Its box holds its text, and the page holds its box.
    assert lines[0].width <= banner.width
    (page_area,) = [box for box in _descendants(cover._page_box) if box.element_tag == "html"]
    assert banner.position_x + banner.margin_width() <= page_area.position_x + page_area.margin_width()


def test_a_published_edition_generated_later_says_when_it_was_published_and_when_generated(published):
    CharterEdition.objects.filter(pk=published.pk).update(published_at=dt.datetime(2025, 12, 15, 10, 0, tzinfo=PARIS))
    published.refresh_from_db()
    # a publisher's name of a fixed length, so the cover's lines break at the same place in every test run
    type(published.published_by).objects.filter(pk=published.published_by_id).update(
        first_name="Camille", last_name="Martin"
    )
    published.refresh_from_db()

    content = render_pdf(
        _spec(published), collectivite=published.collectivite, generated_at=dt.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)
    ).content
    # (as a reader reads it: the author's name is as long as the test database makes it, so a word may be hyphenated)
    cover = normalise(pdf_pages(content)[0])

    assert "Édition publiée le 15 décembre 2025 par" in cover
    assert "document généré le 7 décembre 2026 à partir du texte publié" in cover
    # The generation date is said once, in that sentence: not again on its own.
    assert cover.count("7 décembre 2026") == 1
    assert _("DRAFT") not in cover
