"""A document in a real browser: the DPO asks for a use case's report from its page, follows it while the worker is
busy (the page polls its status and reloads itself once the report is ready), then downloads the PDF; the use
case's page and the list of documents show it.

Screenshots go to `test-artifacts/documents_*.png` for a human to look at.
"""

import hashlib
from pathlib import Path

import pytest

from documents import services as documents
from documents.models import Document
from tests.documents import pdf_builder_stub
from tests.web.helpers import fr

pytestmark = pytest.mark.browser


def test_the_dpo_asks_for_a_report_follows_it_and_downloads_it(
    page, login, screenshot, users, use_case, monkeypatch, settings, tmp_path
):
    # Given a worker that has not taken the generation yet
    pdf_builder_stub.use_stub_builders(monkeypatch, settings, tmp_path)
    queued = []
    monkeypatch.setattr(documents, "_queue", queued.append)

    # When the DPO asks for the use case's report from its page
    login("dpo")
    page.goto(f"/registre/{use_case.pk}/")
    widget = page.locator("[data-document-widget='use_case_report']")
    widget.get_by_role("button", name=fr("Generate the PDF")).click()
    page.wait_for_load_state()

    # Then they follow it on its page, waiting
    document = Document.objects.get()
    assert queued == [document.pk]
    assert page.locator("[data-document-status]").inner_text() == str(Document.Status.PENDING.label)
    screenshot("documents_pending")

    # When the worker generates it, the page notices by itself and shows the download
    documents.document_generate(document_id=document.pk)
    download_link = page.locator("a[data-document-download]")
    download_link.wait_for(timeout=20_000)
    assert page.locator("[data-document-status]").inner_text() == str(Document.Status.READY.label)
    document.refresh_from_db()
    assert document.sha256 in page.locator("[data-document-sha256]").inner_text()
    screenshot("documents_ready")

    # And the download is the PDF whose fingerprint the page shows
    with page.expect_download() as event:
        download_link.click()
    download = event.value
    assert download.suggested_filename == document.filename
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == document.sha256

    # And the use case's page shows it ready, to download or generate again
    page.goto(f"/registre/{use_case.pk}/")
    assert widget.locator("a[data-document-download]").count() == 1
    assert widget.get_by_role("button", name=fr("Generate again")).count() == 1
    screenshot("documents_use_case")

    # And the list of documents has it
    page.goto("/documents/")
    assert page.locator(f"[data-document-row='{document.pk}']").count() == 1
    screenshot("documents_list")
