"""A's generated documents (annual report, charter, use-case report, committee minutes: real PDFs rendered after
B's canaries were written) carry nothing of B, downloaded from the web and from the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .canaries import decode, text_of

pytestmark = pytest.mark.django_db

DOCUMENTS = ("annual_report", "charter", "use_case_report", "committee_minutes")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_of_a_carry_nothing_of_b(world, web_client, api_client, name):
    document = world.documents[name]
    with document.file.open("rb") as handle:
        stored = decode(handle.read())
    assert world.collectivites["in"].name in stored, "the PDF's text is read (else the check proves nothing)"
    assert not world.canaries.found_in(stored), name
    for role in ("dpo", "admin"):
        web = web_client(role).get(reverse("audits:document_download", kwargs={"pk": document.pk}))
        api = api_client(role).get(f"/api/v1/documents/{document.pk}/download/")
        for response in (web, api):
            assert response.status_code == 200, (role, response.status_code)
            text = text_of(response)
            assert world.collectivites["in"].name in text
            assert not world.canaries.found_in(text), (name, role)
