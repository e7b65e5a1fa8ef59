"""The CSV download and the Algoritmeregister / ATRS exports: format, mapping, safety, caching."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.registry.reviews_support import submit
from tests.transparency.support import decision_use_case, published
from transparency import exports
from transparency.fields import RECORD_KEYS

pytestmark = pytest.mark.django_db
WORDING = {
    "name": '=HYPERLINK("http://evil.example")',
    "summary": "+33 1 23 45 67 89 appelle le service",
    "purpose": "@SUM(A1:A2) instruire plus vite",
    "legal_basis": "-2+3 Code de l'action sociale",
    "contact": "algorithmes@bellerive.example.fr",
    "crpa_mention": "Décision prise avec l'aide d'un algorithme (CRPA L311-3-1).",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publication(use_case, users):
    use_case = submit(decision_use_case(use_case)).use_case
    return published(
        use_case, users["dpo"], fields=["service", "risk", "personal_data", "tool", "impact_assessments"], **WORDING
    )


def _csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_every_public_key_as_a_column_and_is_injection_safe(publication):
    response = Client().get(reverse("public_exports:csv", kwargs={"slug": "bellerive"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="registre-algorithmes-bellerive-{today}.csv"'
    assert response["Cache-Control"] == "public, max-age=300" and response["ETag"]
    rows = _csv(response)
    header, row = rows[0], rows[1]
    assert set(RECORD_KEYS) <= set(header) and header[:2] == ["collectivite", "collectivite_slug"]
    cells = dict(zip(header, row, strict=True))
    assert cells["name"] == "'" + WORDING["name"]
    assert cells["summary"] == "'" + WORDING["summary"]
    assert cells["purpose"] == "'" + WORDING["purpose"]
    assert cells["legal_basis"] == "'" + WORDING["legal_basis"]
    assert cells["personal_data"] == "ordinary | financial"
    assert cells["crpa_mention_required"] == "true" and cells["hosting_zone"] == ""
    assert cells["url"].endswith(f"/algorithmes/bellerive/{publication.use_case.reference}/")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        (["a", "b"], "a | b"),
        (True, "true"),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_cells(value, expected):
    assert exports.csv_cell(value) == expected


def test_downloads_answer_304_when_unchanged_and_404_for_an_unknown_collectivite(publication):
    for name in ("csv", "algoritmeregister", "algoritmeregister-csv", "atrs"):
        url = reverse(f"public_exports:{name}", kwargs={"slug": "bellerive"})
        first = Client().get(url)
        assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
        assert Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, name
        assert Client().get(reverse(f"public_exports:{name}", kwargs={"slug": "inconnue"})).status_code == 404
        assert Client().post(url).status_code == 405


def test_downloads_are_rate_limited(publication, settings):
    settings.PUBLIC_RATE_LIMIT = "2/m"
    cache.clear()
    url = reverse("public_exports:atrs", kwargs={"slug": "bellerive"})
    client = Client()
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_algoritmeregister_export_uses_the_standard_fields(publication):
    response = Client().get(reverse("public_exports:algoritmeregister", kwargs={"slug": "bellerive"}))
    assert response.status_code == 200
    assert 'filename="algoritmeregister-bellerive-' in response["Content-Disposition"]
    payload = json.loads(response.content)
    assert payload["standard_version"] == "1.0" and payload["count"] == 1
    item = payload["records"][0]
    assert tuple(item) == exports.ALGORITMEREGISTER_FIELDS
    assert item["name"] == WORDING["name"] and item["organization"] == "Ville de Bellerive"
    assert item["status"] == "In ontwikkeling"
    assert item["publication_category"] == "Hoog-risico AI-systeem"
    assert item["goal"] == WORDING["purpose"] and item["lawful_basis"] == WORDING["legal_basis"]
    assert item["provider"] == "DINUM" and item["contact_email"] == WORDING["contact"]
    assert item["lang"] == "fra" and item["source_id"] == publication.use_case.reference
    assert item["url"].endswith(f"/api/v1/public/use-cases/bellerive/{publication.use_case.reference}/")
    assert "Albert" in item["methods_and_models"]


@pytest.mark.parametrize(
    ("record", "category"),
    [
        ({"ai_act_risk": "high", "crpa_mention_required": False}, "Hoog-risico AI-systeem"),
        ({"ai_act_risk": "minimal", "crpa_mention_required": True}, "Impactvolle algoritmes"),
        ({"crpa_mention_required": False, "individual_decisions": True}, "Impactvolle algoritmes"),
        ({"crpa_mention_required": False, "automation_level": "determining"}, "Impactvolle algoritmes"),
        ({"crpa_mention_required": False, "automation_level": "none"}, "Overige algoritmes"),
        # A risk level the DPO did not publish never classifies the record.
        ({"crpa_mention_required": False}, "Overige algoritmes"),
    ],
)
def test_publication_category(record, category):
    assert exports.publication_category(record) == category


def test_texts_over_the_standards_lengths_are_cut_at_a_word():
    text = "mot " * 200
    cut = exports._truncate(text, 350)
    assert len(cut) <= 350 and cut.endswith("…") and not cut.endswith(" …")


def test_algoritmeregister_csv_variant(publication):
    response = Client().get(reverse("public_exports:algoritmeregister-csv", kwargs={"slug": "bellerive"}))
    rows = _csv(response)
    assert tuple(rows[0]) == exports.ALGORITMEREGISTER_FIELDS
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["name"] == "'" + WORDING["name"] and cells["status"] == "In ontwikkeling"


def test_atrs_export_has_tier_1_and_the_tier_2_sections(publication):
    response = Client().get(reverse("public_exports:atrs", kwargs={"slug": "bellerive"}))
    payload = json.loads(response.content)
    assert payload["standard_version"] == "3.0" and payload["language"] == "fr"
    item = payload["records"][0]
    assert item["tier_1"]["name"] == WORDING["name"] and item["tier_1"]["contact_email"] == WORDING["contact"]
    assert set(item["tier_2"]) == {
        "owner_and_responsibility",
        "description_and_rationale",
        "decision_making_process",
        "tool_specification",
        "risks_mitigations_and_impact_assessments",
    }
    owner = item["tier_2"]["owner_and_responsibility"]
    assert owner["organisation"] == "Ville de Bellerive" and owner["team"] == "CCAS"
    assert owner["senior_responsible_owner"] == ""  # never a person's name
    assert owner["external_supplier"] == "DINUM" and owner["external_supplier_involvement"] is True
    assert item["metadata"]["phase"] == "Pre-deployment"
    decision = item["tier_2"]["decision_making_process"]
    assert decision["human_decisions_and_review"] == publication.human_intervention
    assert decision["appeals_and_review"] == WORDING["crpa_mention"]
    assessments = item["tier_2"]["risks_mitigations_and_impact_assessments"]["impact_assessments"]
    assert len(assessments) == 2


def test_exports_take_the_register_filters(publication, use_case):
    url = reverse("public_exports:csv", kwargs={"slug": "bellerive"})
    # PostgreSQL refuses NUL: refused before any query (config.inputs.NulCharacterMiddleware), a page that says so.
    assert Client().get(url, {"q": "\x00", "service": "a\x00b"}).status_code == 400
    assert len(_csv(Client().get(url, {"q": "introuvable"}))) == 1  # the header only
    assert len(_csv(Client().get(url, {"risk": "high"}))) == 2


@pytest.mark.parametrize("count", [5, 50])
def test_exports_cost_a_constant_number_of_queries(
    count, collectivite, services, users, tool, django_assert_max_num_queries
):
    from tests.registry.factories import UseCaseFactory

    for index in range(count):
        use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"], tool=tool)
        use_case = submit(decision_use_case(use_case)).use_case
        published(use_case, users["dpo"], **{**WORDING, "name": f"Algorithme {index}"})
    for name in ("csv", "algoritmeregister", "atrs"):
        with django_assert_max_num_queries(4):  # collectivité, ETag aggregate, records (+ a cursor on PostgreSQL)
            response = Client().get(reverse(f"public_exports:{name}", kwargs={"slug": "bellerive"}))
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200
