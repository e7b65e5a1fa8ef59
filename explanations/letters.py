"""The letter that closes a request, on the collectivité's letterhead, in the house PDF style (`documents.pdf`): the
answer (CRPA R311-3-1-2, 1° to 4°, and AI Act art. 86 where it applies) or the refusal of an inadmissible request,
with the signatory, the date and the remedies (CADA, CRPA R343-1)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core import labels
from documents.pdf import PdfSpec, RenderedPdf, render_pdf

from .drafting import art86_applies
from .models import ExplanationRequest, Letterhead, RejectionReason


def letterhead_of(collectivite) -> Letterhead:
    return Letterhead.objects.filter(collectivite=collectivite).first() or Letterhead(collectivite=collectivite)


def letter_spec(
    request: ExplanationRequest, *, signatory_name: str, signatory_title: str, letter_date: datetime.date
) -> PdfSpec:
    collectivite = request.collectivite
    letterhead = letterhead_of(collectivite)
    rejected = bool(request.rejection_reason)
    # The headings of R311-3-1-2, 1° to 4°, written to the person ("your situation").
    titles = (
        _("1° The degree and the manner in which the algorithmic processing contributed to the decision"),
        _("2° The data processed and their sources"),
        _("3° The processing parameters and their weighting, as applied to your situation"),
        _("4° The operations carried out by the processing"),
    )
    texts = (request.answer_contribution, request.answer_data, request.answer_parameters, request.answer_operations)
    parts = [{"title": title, "text": text} for title, text in zip(titles, texts, strict=True)]
    return PdfSpec(
        template="explanations/letter.html",
        title=_("Explanation of an individual decision"),
        subtitle=_(
            "your request for the explanation of an individual decision taken on the basis of an algorithmic processing"
        ),
        context={
            "req": request,
            "letterhead": letterhead,
            "contact_email": letterhead.contact_email or collectivite.dpo_email,
            "dpo_contact": collectivite.dpo_email,
            "parts": parts,
            "art86": art86_applies(request.use_case),
            "withheld": request.withheld_labels,
            "rejected": rejected,
            "rejection_label": labels.label(RejectionReason, request.rejection_reason) if rejected else "",
            "signatory_name": signatory_name,
            "signatory_title": signatory_title,
            "letter_date": letter_date,
            "retention_months": settings.EXPLANATION_RETENTION_MONTHS,
        },
        freeze=True,
    )


def render_letter(request: ExplanationRequest, **signature) -> RenderedPdf:
    spec = letter_spec(request, **signature)
    return render_pdf(spec, collectivite=request.collectivite, generated_at=timezone.now())
