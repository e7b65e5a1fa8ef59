"""The API answers in one shape, `{"message": ..., "errors": {field: [messages]}}`, whatever fails (issue 18, item
12): a path no route matches, a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE and a server error answer JSON under
/api/, not the site's HTML pages; and `errors` stays flat, a nested field named by its path."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import get_resolver, path
from rest_framework import serializers
from rest_framework.test import APIClient

from core.api.errors import flatten

pytestmark = pytest.mark.django_db


def _in_the_error_shape(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"message", "errors"} and body["message"], body
    return body


@pytest.mark.parametrize("url", ["/api/nothing/", "/api/v2/use-cases/", "/api/v1/nothing/", "/api/docs/x/y"])
def test_a_path_no_api_route_matches_answers_404_in_json(url):
    response = Client().get(url, follow=True)

    assert response.status_code == 404
    assert _in_the_error_shape(response)["message"] == "Introuvable."


def test_a_web_path_no_route_matches_still_shows_the_site_s_page(users, client_for):
    response = client_for(users["dpo"]).get("/nulle-part/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page introuvable" in response.content.decode()


def test_a_json_body_too_large_for_the_token_endpoint_answers_400_in_json(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "x" * 5000, "password": "y"})

    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
    assert "trop volumineuse" in _in_the_error_shape(response)["message"]


def test_a_form_too_large_for_the_api_answers_400_in_json(settings):
    # Read by a middleware before the API's view: Django's handler400, in the API's shape under /api/.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = APIClient().post("/api/v1/auth/token/", {"username": "x" * 5000, "password": "y"})

    assert response.status_code == 400
    assert "trop volumineuse" in _in_the_error_shape(response)["message"]


def test_a_use_case_too_large_to_save_answers_400_in_json(settings, users, use_case, api_for):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api_for(users["dpo"]).patch(f"/api/v1/use-cases/{use_case.pk}/", {"description": "x" * 5000}, "json")

    assert response.status_code == 400
    assert "trop volumineuse" in _in_the_error_shape(response)["message"]
    use_case.refresh_from_db()
    assert use_case.description != "x" * 5000


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("api/v1/boom/", boom), path("boom/", boom), path("ok/", lambda request: HttpResponse("ok"))]
handler500 = "core.error_pages.server_error"


def test_the_site_s_error_handlers_are_the_ones_that_tell_the_api_from_the_pages():
    resolver = get_resolver("config.urls")
    handlers = {code: resolver.resolve_error_handler(code) for code in (400, 403, 404, 500)}

    assert {code: f"{h.__module__}.{h.__name__}" for code, h in handlers.items()} == {
        400: "core.error_pages.bad_request",
        403: "core.error_pages.permission_denied",
        404: "core.error_pages.page_not_found",
        500: "core.error_pages.server_error",
    }


@pytest.mark.urls("tests.api.test_error_shape")
def test_a_server_error_under_the_api_answers_500_in_json():
    response = Client(raise_request_exception=False).get("/api/v1/boom/")

    assert response.status_code == 500
    assert "erreur du serveur" in _in_the_error_shape(response)["message"]


@pytest.mark.urls("tests.api.test_error_shape")
def test_a_server_error_on_a_page_shows_the_french_page_not_a_traceback():
    response = Client(raise_request_exception=False).get("/boom/")

    page = response.content.decode()
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    assert "<h1>Erreur du serveur</h1>" in page and 'lang="fr"' in page
    assert "a bug" not in page and "Traceback" not in page


# --- A flat `errors` ------------------------------------------------------------------------------------------


class _Use(serializers.Serializer):
    name = serializers.CharField(max_length=5)


class _Regularise(serializers.Serializer):
    new_use_case = _Use()
    conditions = serializers.ListField(child=serializers.CharField(max_length=5))
    others = _Use(many=True)


def test_nested_errors_are_named_by_their_path():
    serializer = _Regularise(
        data={"new_use_case": {"name": "trop long"}, "conditions": ["ok", "trop long"], "others": [{"name": "a"}, {}]}
    )
    assert not serializer.is_valid()

    errors = flatten(serializer.errors)

    assert set(errors) == {"new_use_case.name", "conditions.1", "others.1.name"}
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in errors.values())


def test_a_nested_object_s_own_errors_are_named_after_it():
    assert flatten({"new_use_case": {"non_field_errors": ["Incomplet."]}, "message": "Requis."}) == {
        "new_use_case": ["Incomplet."],
        "message": ["Requis."],
    }
    assert flatten(["Refusé."]) == {"non_field_errors": ["Refusé."]}


def test_a_too_long_opinion_condition_is_named_by_its_position(users, use_case, api_for):
    from tests.registry.reviews_support import submit

    review = submit(use_case)
    response = api_for(users["dpo"]).post(
        f"/api/v1/reviews/{review.pk}/opinions/",
        {"verdict": "favourable_with_conditions", "conditions": ["Une condition.", "x" * 501]},
        format="json",
    )

    assert response.status_code == 400
    assert list(_in_the_error_shape(response)["errors"]) == ["conditions.1"]
