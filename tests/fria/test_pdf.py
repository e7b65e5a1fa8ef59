"""The AIDF as a PDF: the six parts' headings, the version, the DPO's review, the notification date, in French."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from fria import services
from fria.models import PARTS
from security.models import SecurityEvent
from tests.fria.factories import notified_fria, written_fria
from tests.reporting.reports_support import missing, pdf_text

pytestmark = pytest.mark.django_db


def test_the_pdf_holds_the_six_parts_the_version_the_review_and_the_notification(scoring, owner, users, client_for):
    fria = notified_fria(scoring, owner, users["dpo"], notified_on=datetime.date(2026, 11, 30))

    response = client_for(owner).get(reverse("fria:pdf", args=[scoring.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"AIDF-{scoring.reference}-v1.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    expected = [
        "Analyse d'impact sur les droits fondamentaux (AIDF)",
        "Version 1",
        *[f"{part.letter}) {gettext(str(part.title))}" for part in PARTS],
        "Lien avec l'AIPD",
        "AIPD-2026-04",
        "Approuvée par le DPO",
        "30 novembre 2026",
        "Autorité de surveillance du marché",
        "ASM-2026-118",
    ]
    assert not missing(text, expected), missing(text, expected)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DOCUMENT_DOWNLOAD, object_id=str(fria.pk)).exists()


def test_a_draft_and_a_frozen_version_render_too(scoring, owner, users, client_for):
    fria = written_fria(scoring, owner)
    text = pdf_text(client_for(owner).get(reverse("fria:pdf", args=[scoring.pk])).content)
    assert not missing(text, ["En rédaction", "Pas encore notifiée."])

    services.fria_submit(fria=fria, acting_user=owner)
    services.fria_review(fria=fria, acting_user=users["dpo"], decision="returned", comment="Préciser d).")
    text = pdf_text(client_for(owner).get(reverse("fria:pdf", args=[scoring.pk]) + "?version=1").content)
    assert not missing(text, ["Version 1", "Renvoyée pour modification", "Préciser d)."])
    assert client_for(owner).get(reverse("fria:pdf", args=[scoring.pk]) + "?version=9").status_code == 404
