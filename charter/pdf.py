"""The charter's PDF (document kind `charter`, subject: a year).

A published edition is rendered from its frozen snapshot only, so what the register became since changes nothing,
and its document is final (`freeze=True`); a draft is rendered from its current sections and the live register,
marked as a draft, and generated again at each request.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from documents.pdf import PdfSpec

from . import selectors
from .models import CharterEdition


def build(document) -> PdfSpec:
    edition = (
        CharterEdition.objects.select_related("collectivite", "published_by")
        .filter(collectivite_id=document.collectivite_id, year=document.year)
        .first()
    )
    if edition is None:
        raise LookupError(f"No charter edition {document.year} for collectivité {document.collectivite_id}")
    content = selectors.edition_content(edition)
    parts = selectors.content_parts(content)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("AI usage charter")
        subtitle = _("%(year)d edition") % {"year": edition.year}
        if not edition.is_published:
            subtitle = _("%(year)d edition — draft, not published") % {"year": edition.year}
    return PdfSpec(
        template="charter/charter_pdf.html",
        title=title,
        subtitle=subtitle,
        context={
            "edition": edition,
            "content": content,
            "parts": parts,
            "draft": not edition.is_published,
            "content_fingerprint": edition.content_fingerprint if edition.is_published else "",
        },
        toc=[(part["anchor"], f"{part['number']}. {part['title']}") for part in parts],
        freeze=edition.is_published,
    )
