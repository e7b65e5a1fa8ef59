"""Downloaded documents are named in French after their subject, in ASCII letters: « rapport-usage-IA-2026-0016.pdf »,
« rapport-annuel-IA-2026.pdf », « charte-IA-2026.pdf », « proces-verbal-comite-2026-03-12.pdf » (not
« bellerive-use-case-report-use_case-30.pdf »), from the documents page as from the API."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from documents.models import Document, ascii_file_stem
from documents.services import document_generate, document_request
from registry.models import CommitteeSession
from tests.documents import pdf_builder_stub
from tests.registry.factories import UseCaseFactory

pytestmark = pytest.mark.django_db
Kind = Document.Kind
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _stub_builders(monkeypatch, settings, tmp_path):
    pdf_builder_stub.use_stub_builders(monkeypatch, settings, tmp_path)


def _subjects(collectivite):
    # A session held just after midnight on 12 March, Paris time: still the 11th in UTC.
    held_on = dt.datetime(2026, 3, 12, 0, 30, tzinfo=PARIS)
    return {
        Kind.USE_CASE_REPORT: {"use_case": UseCaseFactory(collectivite=collectivite, reference="IA-2026-0016")},
        Kind.ANNUAL_REPORT: {"year": 2026},
        Kind.CHARTER: {"year": 2026},
        Kind.COMMITTEE_MINUTES: {
            "session": CommitteeSession.objects.create(collectivite=collectivite, held_on=held_on, place="Salle")
        },
    }


EXPECTED = {
    Kind.USE_CASE_REPORT: "rapport-usage-IA-2026-0016.pdf",
    Kind.ANNUAL_REPORT: "rapport-annuel-IA-2026.pdf",
    Kind.CHARTER: "charte-IA-2026.pdf",
    Kind.COMMITTEE_MINUTES: "proces-verbal-comite-2026-03-12.pdf",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_document_downloads_under_its_french_name(kind, collectivite, users, client_for):
    document = document_request(
        collectivite=collectivite, acting_user=users["dpo"], kind=kind, **_subjects(collectivite)[kind]
    )
    document_generate(document_id=document.pk)

    page = client_for(users["dpo"]).get(reverse("audits:document_download", args=[document.pk]))
    api = APIClient()
    api.force_authenticate(users["dpo"])
    by_api = api.get(f"/api/v1/documents/{document.pk}/download/", HTTP_ACCEPT="application/pdf")
    described = api.get(f"/api/v1/documents/{document.pk}/").json()

    expected = f'attachment; filename="{EXPECTED[kind]}"'
    assert page.status_code == 200 and page["Content-Disposition"] == expected
    assert by_api.status_code == 200 and by_api["Content-Disposition"] == expected
    assert described["filename"] == EXPECTED[kind]


def test_a_file_name_keeps_ascii_letters_only():
    assert ascii_file_stem("Procès-verbal du comité « 2026 »") == "Proces-verbal-du-comite-2026"
    assert ascii_file_stem("rapport-usage-IA/2026 0016") == "rapport-usage-IA-2026-0016"
    assert ascii_file_stem("«»") == "document"
