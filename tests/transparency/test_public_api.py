"""The public API: anonymous, the same for everyone, paginated, filtered, cacheable, throttled, bounded."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import submit
from tests.transparency.support import decision_use_case, published
from transparency import services as publication_services

pytestmark = pytest.mark.django_db
LIST = "/api/v1/public/use-cases/"
WORDING = {
    "summary": "Un algorithme prépare une proposition que l'instructeur vérifie.",
    "purpose": "Instruire plus vite les demandes.",
    "contact": "algorithmes@bellerive.example.fr",
    "crpa_mention": "Décision prise avec l'aide d'un algorithme (CRPA L311-3-1).",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def publish_many(count, *, collectivite, services, users, tool, **changes):
    for index in range(count):
        use_case = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"], tool=tool)
        use_case = submit(decision_use_case(use_case, **changes)).use_case
        published(use_case, users["dpo"], name=f"Algorithme {index:04d}", fields=["service", "risk"], **WORDING)


@pytest.fixture
def three(collectivite, services, users, tool):
    publish_many(3, collectivite=collectivite, services=services, users=users, tool=tool)


def test_the_register_is_open_to_anonymous_visitors_and_the_same_for_everyone(three, users, client_for):
    anonymous = Client().get(LIST)
    assert anonymous.status_code == 200
    assert anonymous["Access-Control-Allow-Origin"] == "*"
    assert anonymous["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in anonymous and "Cookie" not in anonymous.get("Vary", "")
    body = anonymous.json()
    assert body["count"] == 3 and [r["name"] for r in body["results"]] == [
        "Algorithme 0000",
        "Algorithme 0001",
        "Algorithme 0002",
    ]
    for user in (users["dpo"], users["agent"]):
        signed_in = client_for(user).get(LIST)
        assert signed_in.json() == body
        assert signed_in["ETag"] == anonymous["ETag"]


def test_a_record_carries_codes_and_labels_in_the_language_asked(three):
    record = Client().get(LIST).json()["results"][0]
    assert record["ai_act_risk"] == "high" and record["lifecycle"] == "in_development"
    assert "purpose" in record and "hosting_zone" not in record and "hosting_zone" not in record["labels"]
    from django.utils import translation

    from registry.choices import AiActRisk

    english = Client().get(LIST, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").json()["results"][0]
    with translation.override("en"):
        assert english["labels"]["ai_act_risk"] == str(AiActRisk.HIGH.label)
    by_param = Client().get(LIST, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="fr").json()["results"][0]
    assert by_param["labels"] == english["labels"]
    french = Client().get(LIST, HTTP_ACCEPT_LANGUAGE="de").json()["results"][0]
    with translation.override("fr"):
        assert french["labels"]["ai_act_risk"] == str(AiActRisk.HIGH.label)
    response = Client().get(LIST, {"lang": "en"})
    assert response["Content-Language"] == "en" and "Accept-Language" in response["Vary"]


def test_detail_and_withdrawn_record(three, collectivite, users):
    record = Client().get(LIST).json()["results"][0]
    detail = Client().get(record["url"])
    assert detail.status_code == 200 and detail.json() == record
    assert detail["Access-Control-Allow-Origin"] == "*"
    from registry.models import UseCase

    use_case = UseCase.objects.get(reference=record["reference"])
    publication_services.publication_withdraw(use_case=use_case, acting_user=users["dpo"], reason="Motif interne")
    gone = Client().get(record["url"])
    assert gone.status_code == 410
    assert set(gone.json()) == {"message", "withdrawn_at"} and gone.json()["withdrawn_at"]
    assert Client().get(LIST).json()["count"] == 2
    unknown = Client().get(reverse("public_api:use-case-detail", kwargs={"collectivite": "x", "reference": "y"}))
    assert unknown.status_code == 404 and unknown.json()["message"]


def test_pagination_is_bounded(collectivite, services, users, tool):
    publish_many(7, collectivite=collectivite, services=services, users=users, tool=tool)
    page = Client().get(LIST, {"page_size": 3, "page": 2}).json()
    assert page["count"] == 7 and len(page["results"]) == 3
    assert page["next"] and page["previous"]
    assert len(Client().get(LIST, {"page_size": 100000}).json()["results"]) == 7  # capped at 100, not refused
    for garbage in ({"page": "abc"}, {"page": "999999"}, {"page": "-1"}):
        response = Client().get(LIST, garbage)
        assert response.status_code == 404, garbage
        assert response["Content-Type"] == "application/json" and response.json()["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 100_000},
        {"q": "a b c d e f g h i j k l m n o p " * 50},
        {"risk": "apocalyptic"},
        {"lifecycle": "zombie"},
        {"service": "' OR 1=1 --"},
        {"collectivite": "../../etc"},
        {"page_size": "abc"},
        {"lang": "klingon"},
    ],
)
def test_garbage_parameters_never_fail_and_stay_bounded(params, three, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = Client().get(LIST, params)
    assert response.status_code == 200, response.content[:200]


def test_a_nul_character_in_a_parameter_is_refused_before_any_query(three, django_assert_num_queries):
    # No text holds one, and PostgreSQL refuses it in any string (config.inputs.NulCharacterMiddleware).
    with django_assert_num_queries(0):
        response = Client().get(LIST, {"automation": "\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json" and response.json()["message"]


def test_filters(collectivite, services, users, tool):
    publish_many(2, collectivite=collectivite, services=services, users=users, tool=tool)
    minimal = UseCaseFactory(collectivite=collectivite, service=services["logement"], owner=users["agent"], tool=tool)
    minimal = submit(minimal).use_case
    published(minimal, users["dpo"], name="Tri des courriels", fields=["service", "risk", "automation"], **WORDING)

    def names(**params):
        return [r["name"] for r in Client().get(LIST, params).json()["results"]]

    assert names(q="TRI courriels") == ["Tri des courriels"]
    assert names(risk="high") == ["Algorithme 0000", "Algorithme 0001"]
    assert names(service="Logement") == ["Tri des courriels"]
    assert names(lifecycle="in_use") == []
    assert len(names(lifecycle="in_development")) == 3
    assert names(collectivite="bellerive", q="algorithme 0001") == ["Algorithme 0001"]


def test_conditional_get_answers_304_with_one_query(three, django_assert_num_queries, users):
    first = Client().get(LIST)
    etag = first["ETag"]
    with django_assert_num_queries(1):
        again = Client().get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert again["Cache-Control"] == "public, max-age=300"
    # Another query string or language is another answer.
    assert Client().get(LIST, {"lang": "en"}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    # A new publication changes the ETag.
    from registry.models import UseCase

    use_case = UseCase.objects.first()
    publication_services.publication_withdraw(use_case=use_case, acting_user=users["dpo"], reason="Fin")
    assert Client().get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200

    record = Client().get(LIST).json()["results"][0]
    detail = Client().get(record["url"])
    assert Client().get(record["url"], HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


def test_the_throttle_answers_429_with_retry_after(three, settings):
    settings.PUBLIC_RATE_LIMIT = "2/m"
    cache.clear()
    client = Client()
    assert [client.get(LIST).status_code for _ in range(2)] == [200, 200]
    refused = client.get(LIST)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and refused.json()["message"]
    # Another address still gets through.
    assert Client(REMOTE_ADDR="10.1.2.3").get(LIST).status_code == 200


def test_writes_are_refused(three):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(Client(), method)(LIST).status_code == 405


@pytest.mark.parametrize("count", [5, 50])
def test_the_query_count_does_not_grow_with_the_records(
    count, collectivite, services, users, tool, django_assert_num_queries
):
    publish_many(count, collectivite=collectivite, services=services, users=users, tool=tool)
    with django_assert_num_queries(2):  # the ETag aggregate (with the count), the page
        response = Client().get(LIST)
    assert response.json()["count"] == count and len(response.json()["results"]) == min(count, 50)
    record = response.json()["results"][0]
    with django_assert_num_queries(2):  # the collectivité, the record
        assert Client().get(record["url"]).status_code == 200


def test_the_schema_documents_the_public_api(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    list_op = schema["paths"]["/api/v1/public/use-cases/"]["get"]
    assert list_op["tags"] == ["public"]
    assert list_op.get("security", []) in ([], [{}])  # no authentication scheme
    assert {p["name"] for p in list_op["parameters"]} >= {"collectivite", "q", "service", "risk", "lang", "page"}
    detail = schema["paths"]["/api/v1/public/use-cases/{collectivite}/{reference}/"]["get"]
    assert {"200", "404", "410", "429"} <= set(detail["responses"])
    component = schema["components"]["schemas"]["PublicUseCase"]
    assert {"reference", "name", "summary", "contact", "lifecycle", "labels"} <= set(component["required"])
    assert "purpose" not in component["required"] and "purpose" in component["properties"]
