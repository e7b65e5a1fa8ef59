"""The AIDF as a PDF in the house style (`documents.pdf`: cover, contents, running header and footer), rendered on
demand: the version, the six parts of art. 27(1), the AIPD it complements, the DPO's review and the notification."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.pdf import PdfSpec, RenderedPdf, render_pdf

from .models import PARTS, Fria, FriaVersion


def spec(fria: Fria, *, version: FriaVersion | None = None) -> PdfSpec:
    """The document of `version` (a frozen one), or of the AIDF as it stands: the latest submitted version carries
    its review and notification."""
    use_case = fria.use_case
    latest = version or fria.versions.select_related("submitted_by", "reviewed_by", "notified_by").first()
    # The AIDF as it stands is its latest version when nothing changed since (submitted, approved, notified).
    content = version or fria
    number = version.number if version else fria.number
    review = latest if latest is not None and latest.number == number else None
    toc = [(f"part-{part.letter}", f"({part.letter}) {part.title}") for part in PARTS]
    toc += [("aipd", _("Link with the AIPD")), ("review", _("Review and notification"))]
    return PdfSpec(
        template="fria/fria_pdf.html",
        title=_("Fundamental rights impact assessment (AIDF)"),
        subtitle=f"{use_case.reference} — {use_case.name}",
        toc=toc,
        context={
            "use_case": use_case,
            "fria": fria,
            "number": number,
            "frozen": version is not None,
            "parts": content.parts(),
            "content": content,
            "review": review,
        },
    )


def render(fria: Fria, *, version: FriaVersion | None = None) -> RenderedPdf:
    return render_pdf(spec(fria, version=version), collectivite=fria.use_case.collectivite, generated_at=timezone.now())
