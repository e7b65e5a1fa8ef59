"""The DPO's import journey in a real browser: export the register, upload a file with one error, read the
line and the column, fix the file, preview again, apply, read the result.

Screenshots go to `test-artifacts/import_*.png` (also at 390 px wide) for a human to look at.
"""

import re

import pytest

from registry.models import UseCase
from registry.services import use_cases as use_case_services

pytestmark = pytest.mark.browser

HEADER = "reference;name;summary;purpose;service;technique;audience;status"


@pytest.fixture
def existing(collectivite, services, users):
    return use_case_services.use_case_create(
        collectivite=collectivite,
        acting_user=users["dpo"],
        data={
            "name": "Tri du courrier",
            "summary": "Un résumé.",
            "purpose": "Un besoin.",
            "service": services["ccas"],
            "technique": "rules",
            "audience": "agents",
        },
    )


def test_the_dpo_exports_then_imports_a_corrected_inventory(page, login, screenshot, tmp_path, existing, users):
    login("dpo")
    page.goto("/registre/import/")
    screenshot("import_01_start")

    # the export downloads the whole register
    with page.expect_download() as download_info:
        page.locator("#export-csv").click()
    exported = download_info.value.path().read_bytes().decode("utf-8-sig")
    assert existing.reference in exported and download_info.value.suggested_filename.endswith(".csv")

    # a file with an unknown audience on its third line
    bad = tmp_path / "inventaire.csv"
    bad.write_text(
        "\r\n".join(
            [
                HEADER,
                f"{existing.reference};Tri du courrier;Résumé corrigé.;Un besoin.;CCAS;rules;agents;draft",
                "INV-2;Chatbot;Répond aux habitants.;Accueil.;Communication;genai_text;martiens;in_production",
            ]
        ),
        encoding="utf-8",
    )
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name=re.compile("import", re.I)).click()
    page.wait_for_url(re.compile(r"/registre/import/\d+/$"))
    error_row = page.locator("tr[data-action='error']")
    assert error_row.get_attribute("data-line") == "3"
    assert error_row.locator("[data-error-column='audience']").is_visible()
    assert "G" in error_row.locator("[data-error-column='audience']").inner_text()
    assert page.locator("#apply-import").is_disabled()
    screenshot("import_02_preview_with_error")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("import_02_preview_with_error_mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    # the DPO fixes the file and previews again: one update, one creation
    good = tmp_path / "inventaire-corrige.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace(";martiens;", ";public;"), encoding="utf-8")
    page.goto("/registre/import/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name=re.compile("import", re.I)).click()
    page.wait_for_url(re.compile(r"/registre/import/\d+/$"))
    assert page.locator("tr[data-action='create']").count() == 1
    assert page.locator("tr[data-action='update'] [data-change='summary']").is_visible()
    assert page.locator("#apply-import").is_enabled()
    screenshot("import_03_preview_ok")

    page.locator("#apply-import").click()
    page.wait_for_load_state()
    assert page.locator("#import-status").get_attribute("data-status") == "applied"
    assert page.locator("#import-result [data-reference='INV-2']").is_visible()
    screenshot("import_04_result")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("import_04_result_mobile")

    assert UseCase.objects.get(reference="INV-2").status == "in_production"
    existing.refresh_from_db()
    assert (existing.summary, existing.version) == ("Résumé corrigé.", 2)
