"""A rules-based algorithm in the public register: not an AI system (the AI Act does not apply), still an algorithm
whose rules CRPA L312-1-3 publishes; and the record's classification inputs as their declarations say."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from registry import classification_inputs
from registry.choices import AiActRisk
from tests.registry.factories import UseCaseFactory
from tests.transparency.support import decision_use_case, published, submitted
from transparency import exports
from transparency.api import PublicLabelsSerializer, PublicUseCaseSerializer
from transparency.fields import FIELDS, FIELDS_BY_CODE, RECORD_KEYS, build_record
from transparency.public_views import RISK_EXPLAINED

pytestmark = pytest.mark.django_db
SHOWN = ["service", "risk", "technique", "automation", "personal_data", "hosting", "audience"]
NOT_AI_SENTENCE = "Not an AI system within the meaning of the AI Act (Regulation (EU) 2024/1689)."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scale(use_case, users):
    """An aid scale written by the agents, founding individual decisions, published (collectivité of 600 agents)."""
    use_case = submitted(decision_use_case(use_case, technique="rules", annex_iii_point=""))
    return published(use_case, users["dpo"], name="Barème de l'aide au transport", fields=SHOWN)


@pytest.fixture
def high(collectivite, services, users, tool):
    """A high-risk AI system published next to it."""
    use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"], tool=tool)
    use_case = submitted(decision_use_case(use_case, technique="ml_predictive"))
    return published(use_case, users["dpo"], name="Score de priorité", fields=SHOWN)


def test_the_record_says_it_is_not_ai_and_keeps_what_the_crpa_publishes(scale):
    content = scale.content
    assert content["ai_act_risk"] == AiActRisk.OUT_OF_SCOPE
    assert (content["technique"], content["self_learning"]) == ("rules", False)
    # Not an AI system, but its decisions carry the L311-3-1 mention and its rules are published (L312-1-3)
    assert content["crpa_mention_required"] is True and content["public_register_required"] is True
    assert content["crpa_mention"]
    assert scale.ai_act_risk == AiActRisk.OUT_OF_SCOPE  # the public filter's column


def test_every_risk_level_is_explained_to_the_public():
    assert set(RISK_EXPLAINED) == set(AiActRisk.values)


def test_the_public_page_explains_that_the_ai_act_does_not_apply(scale):
    response = Client().get(
        reverse("public:entry", kwargs={"slug": "bellerive", "reference": scale.use_case.reference})
    )
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override("fr"):
        explained = str(RISK_EXPLAINED[AiActRisk.OUT_OF_SCOPE])
        label = str(AiActRisk.OUT_OF_SCOPE.label)
    assert escape(explained) in body
    assert "badge-risk-out_of_scope" in body and escape(label) in body


def test_the_public_register_and_its_api_filter_on_out_of_scope(scale, high):
    page = Client().get(reverse("public:register", kwargs={"slug": "bellerive"}), {"risk": "out_of_scope"})
    assert [card["record"]["reference"] for card in page.context["cards"]] == [scale.use_case.reference]
    assert AiActRisk.OUT_OF_SCOPE in {code for code, _label in page.context["risks"]}
    assert '<option value="out_of_scope" selected>' in page.content.decode()

    api = Client().get("/api/v1/public/use-cases/", {"risk": "out_of_scope", "lang": "en"}).json()
    assert [record["reference"] for record in api["results"]] == [scale.use_case.reference]
    with translation.override("en"):
        assert api["results"][0]["labels"]["ai_act_risk"] == str(AiActRisk.OUT_OF_SCOPE.label)
        assert api["results"][0]["labels"]["technique"] == str(
            dict(classification_inputs.BY_NAME["technique"].choices.choices)["rules"]
        )

    raw = b"".join(
        Client()
        .get(reverse("public_exports:csv", kwargs={"slug": "bellerive"}), {"risk": "out_of_scope"})
        .streaming_content
    )
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [dict(zip(header, row, strict=True))["ai_act_risk"] for row in rows] == ["out_of_scope"]


def _records(name: str) -> dict[str, dict]:
    payload = json.loads(Client().get(reverse(f"public_exports:{name}", kwargs={"slug": "bellerive"})).content)
    return {
        item["source_id"] if "source_id" in item else item["metadata"]["source_id"]: item for item in payload["records"]
    }


def test_the_dutch_register_reads_it_as_an_impactful_algorithm_not_a_high_risk_ai_system(scale, high):
    records = _records("algoritmeregister")
    rules_based, scored = records[scale.use_case.reference], records[high.use_case.reference]
    assert scored["publication_category"] == exports.HIGH_RISK_CATEGORY
    # It founds decisions about persons: an impactful algorithm (category B), never a high-risk AI system
    assert rules_based["publication_category"] == exports.IMPACTFUL_CATEGORY
    with translation.override("fr"):
        assert rules_based["methods_and_models"].startswith(gettext(NOT_AI_SENTENCE))
    assert gettext(NOT_AI_SENTENCE) not in scored["methods_and_models"]


def test_the_uk_standard_reads_it_as_outside_the_ai_act(scale, high):
    records = _records("atrs")
    rules_based = records[scale.use_case.reference]
    with translation.override("fr"):
        label = str(AiActRisk.OUT_OF_SCOPE.label)
        sentence = gettext(NOT_AI_SENTENCE)
    [risk] = rules_based["tier_2"]["risks_mitigations_and_impact_assessments"]["risks"]
    assert risk["risk_description"] == label
    assert rules_based["tier_2"]["tool_specification"]["system_architecture"].startswith(sentence)
    assert rules_based["extensions"]["public_register_required"] is True


@pytest.mark.parametrize(
    ("record", "category"),
    [
        ({"ai_act_risk": "out_of_scope", "crpa_mention_required": True}, exports.IMPACTFUL_CATEGORY),
        ({"ai_act_risk": "out_of_scope", "crpa_mention_required": False}, exports.OTHER_CATEGORY),
    ],
)
def test_a_rules_based_algorithm_is_never_a_high_risk_ai_system(record, category):
    assert exports.publication_category(record) == category


def test_without_the_risk_published_nothing_says_whether_it_is_ai(use_case, users):
    use_case = submitted(decision_use_case(use_case, technique="rules", annex_iii_point=""))
    publication = published(use_case, users["dpo"], fields=["service"])
    assert "ai_act_risk" not in publication.content
    assert NOT_AI_SENTENCE not in exports._methods(publication.content)


# The classification inputs of the record come from their declarations ------------------------------------------
def test_each_declared_public_input_is_a_key_of_its_public_field():
    declared = [item for item in classification_inputs.INPUTS if item.public_field]
    assert {item.name for item in declared} == {
        "technique",
        "self_learning",
        "automation_level",
        "individual_decisions",
        "personal_data_categories",
        "hosting_zone",
        "audience",
    }
    for item in declared:
        assert item.record_key in FIELDS_BY_CODE[item.public_field].keys, item.name
    assert classification_inputs.BY_NAME["personal_data_categories"].record_key == "personal_data"


def test_the_record_holds_the_declared_inputs_values(use_case, users):
    use_case = submitted(
        decision_use_case(
            use_case, technique="expert_system", audience="both", hosting_zone="eu", personal_data_categories=["health"]
        )
    )
    publication = published(use_case, users["dpo"], fields=[field.code for field in FIELDS])
    record = build_record(publication, use_case)
    for item in classification_inputs.INPUTS:
        if item.public_field:
            value = getattr(use_case, item.name)
            assert record[item.record_key] == (list(value) if item.multiple else value), item.name
    assert record["personal_data"] == ["health"] and record["technique"] == "expert_system"


def test_the_public_api_and_its_labels_describe_every_key_of_the_record():
    fields = PublicUseCaseSerializer().fields
    assert set(RECORD_KEYS) <= set(fields)
    labelled = set(PublicLabelsSerializer().fields)
    for item in classification_inputs.INPUTS:
        if item.public_field and item.choices is not None:
            assert item.record_key in labelled, item.name
            field = fields[item.record_key]
            choices = field.child.choices if item.multiple else field.choices
            assert list(choices) == list(item.choices.values), item.name
