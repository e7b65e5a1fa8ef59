"""HTML to PDF with WeasyPrint: every document shares one layout (cover page, table of contents with page numbers,
running header and footer, French typography) from `templates/documents/base.html`, and is a tagged PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.typography import typeset_html


@dataclass
class PdfSpec:
    """What a document's builder returns: its template, title and context, and whether it is final (frozen)."""

    template: str
    title: str
    context: dict = field(default_factory=dict)
    subtitle: str = ""
    # Sections listed in the table of contents: (anchor id, title).
    toc: list[tuple[str, str]] = field(default_factory=list)
    freeze: bool = False


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(spec: PdfSpec, *, collectivite, generated_at) -> RenderedPdf:
    """Render a document in French (the collectivité's language), as a tagged PDF (PDF/UA where WeasyPrint can)."""
    document = layout(spec, collectivite=collectivite, generated_at=generated_at)
    content = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)
    return RenderedPdf(content=content, pages=len(document.pages))


def layout(spec: PdfSpec, *, collectivite, generated_at):
    """The document laid out in pages by WeasyPrint (its boxes can be read: where a line broke, what a page holds)."""
    from weasyprint import HTML

    return HTML(
        string=document_html(spec, collectivite=collectivite, generated_at=generated_at),
        base_url=str(settings.BASE_DIR),
    ).render()


def document_html(spec: PdfSpec, *, collectivite, generated_at) -> str:
    """The document's HTML, in French, typeset."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            spec.template,
            {
                **spec.context,
                "title": spec.title,
                "subtitle": spec.subtitle,
                "toc": spec.toc,
                "collectivite": collectivite,
                "generated_at": generated_at,
                "logo_uri": _logo_uri(collectivite),
            },
        )
        return typeset_html(html)  # French typography of the whole document, in one place


def _logo_uri(collectivite) -> str:
    if not collectivite.logo:
        return ""
    try:
        from pathlib import Path

        return Path(collectivite.logo.path).as_uri()
    except (NotImplementedError, ValueError):  # remote storage: its URL
        return collectivite.logo.url
