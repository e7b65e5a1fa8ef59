"""The cover of the annual audit report: a report on a year already over says it was generated afterwards and what it
shows as of which date, rather than a bare « Document généré le 7 décembre 2026 » under « Année 2025 »."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.utils.html import strip_tags

from documents.models import Document
from documents.pdf import document_html
from reporting.reports import annual

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)


def _cover(collectivite, year) -> str:
    document = Document(collectivite=collectivite, kind=Document.Kind.ANNUAL_REPORT, year=year)
    with time_machine.travel(NOW):
        html = document_html(annual.build(document), collectivite=collectivite, generated_at=NOW)
    cover = html[html.index('class="cover"') : html.index("</section>")]
    return re.sub(r"\s+", " ", strip_tags(cover)).replace("\u202f", " ")


def test_the_report_on_a_past_year_says_it_was_generated_after_the_year(collectivite):
    cover = _cover(collectivite, 2025)

    assert "Rapport sur l'année 2025, généré le 7 décembre 2026, après la fin de l'année" in cover
    assert "sont ceux de 2025 ; le registre et ses contrôles sont montrés tels qu'ils sont au 7 décembre 2026." in cover
    assert "Document généré le" not in cover


def test_the_report_on_the_current_year_simply_gives_its_date(collectivite):
    cover = _cover(collectivite, 2026)

    assert "Document généré le 7 décembre 2026" in cover
    assert "après la fin de l'année" not in cover
