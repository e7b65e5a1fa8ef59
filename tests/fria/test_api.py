"""The AIDF's API: scoped lists, start, draft with the `version` read, submit, review, notify, versions, the refusals,
the production refused with its sentence, and the OpenAPI schema."""

import pytest
import yaml
from django.utils import timezone

from fria.models import Fria, FriaStatus
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.fria.factories import PART_TEXTS, approved_fria, submitted_fria, written_fria

pytestmark = pytest.mark.django_db

FRIAS = "/api/v1/frias/"


def test_the_owner_starts_writes_and_submits_through_the_api(scoring, owner, client_for):
    client = client_for(owner)

    started = client.post(FRIAS, {"use_case": scoring.pk}, content_type="application/json")
    assert started.status_code == 201, started.json()
    body = started.json()
    assert body["status"] == "draft" and body["number"] == 1 and "Aider l'instruction" in body["processes"]
    again = client.post(FRIAS, {"use_case": scoring.pk}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]

    detail = f"{FRIAS}{body['id']}/"
    saved = client.patch(
        detail, {**PART_TEXTS, "aipd_reference": "AIPD-1", "version": body["version"]}, content_type="application/json"
    )
    assert saved.status_code == 200, saved.json()
    stale = client.patch(detail, {"risks": "Écrasé ?", "version": body["version"]}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["message"].startswith("Quelqu'un d'autre a modifié cette AIDF")

    submitted = client.post(f"{detail}submit/", {"version": saved.json()["version"]}, content_type="application/json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.get(f"{detail}versions/").json()[0]["number"] == 1
    assert set(client.get(f"{detail}suggestions/").json()) == set(PART_TEXTS)


def test_an_incomplete_aidf_is_refused_with_its_missing_parts(scoring, owner, client_for):
    client = client_for(owner)
    fria_id = client.post(FRIAS, {"use_case": scoring.pk, "risks": ""}, content_type="application/json").json()["id"]
    refused = client.post(f"{FRIAS}{fria_id}/submit/", {}, content_type="application/json")
    assert refused.status_code == 400
    assert "risks" in refused.json()["errors"]


def test_the_dpo_reviews_and_the_owner_notifies(scoring, owner, users, client_for):
    fria = submitted_fria(scoring, owner)
    detail = f"{FRIAS}{fria.pk}/"
    assert (
        client_for(owner)
        .post(f"{detail}review/", {"decision": "approved"}, content_type="application/json")
        .status_code
        == 403
    )
    returned = client_for(users["dpo"]).post(
        f"{detail}review/", {"decision": "returned"}, content_type="application/json"
    )
    assert returned.status_code == 400 and "comment" in returned.json()["errors"]
    approved = client_for(users["dpo"]).post(
        f"{detail}review/",
        {"decision": "approved", "committee_reference": "Séance du 3 mars"},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    notified = client_for(owner).post(
        f"{detail}notify/",
        {
            "notified_on": timezone.localdate().isoformat(),
            "notification_means": "Formulaire en ligne",
            "notification_authority": "ASM",
        },
        content_type="application/json",
    )
    assert notified.status_code == 200 and notified.json()["status"] == "notified"
    assert notified.json()["notified_on"] == timezone.localdate().isoformat()


def test_the_list_is_scoped_to_the_use_cases_one_may_see(scoring, owner, users, other_head, other_dpo, client_for):
    fria = written_fria(scoring, owner)
    assert [row["id"] for row in client_for(users["dpo"]).get(FRIAS).json()["results"]] == [fria.pk]
    assert client_for(other_head).get(FRIAS).json()["results"] == []
    assert client_for(other_dpo).get(FRIAS).json()["results"] == []
    assert client_for(other_head).get(f"{FRIAS}{fria.pk}/").status_code == 404
    assert client_for(other_dpo).get(f"{FRIAS}{fria.pk}/").status_code == 404
    assert (
        client_for(other_dpo).post(FRIAS, {"use_case": scoring.pk}, content_type="application/json").status_code == 404
    )
    due = client_for(users["dpo"]).get(FRIAS, {"due": "true", "status": "draft"}).json()["results"]
    assert [row["id"] for row in due] == [fria.pk]


def test_who_sees_but_may_not_write_is_refused_403(scoring, owner, ccas_agent, users, client_for):
    fria = written_fria(scoring, owner)
    UseCase.objects.filter(pk=scoring.pk).update(status=UseCaseStatus.IN_PRODUCTION)
    for intruder in (ccas_agent, users["dgs"]):
        client = client_for(intruder)
        assert client.get(f"{FRIAS}{fria.pk}/").status_code == 200
        assert (
            client.patch(f"{FRIAS}{fria.pk}/", {"risks": "Intrus."}, content_type="application/json").status_code == 403
        )
        assert client.post(f"{FRIAS}{fria.pk}/submit/", {}, content_type="application/json").status_code == 403
    assert Fria.objects.get(pk=fria.pk).risks == PART_TEXTS["risks"]


def test_putting_into_production_through_the_api_says_what_the_aidf_needs(scoring, owner, users, client_for):
    UseCase.objects.filter(pk=scoring.pk).update(status=UseCaseStatus.APPROVED)
    approved_fria(scoring, owner, users["dpo"])
    response = client_for(owner).post(
        f"/api/v1/use-cases/{scoring.pk}/put-into-production/", {}, content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert "notifiés à l'autorité de surveillance du marché" in " ".join(body["errors"]["fria"])
    assert Fria.objects.get(use_case=scoring).status == FriaStatus.APPROVED


def test_the_schema_describes_the_aidf(users, client_for):
    schema = yaml.safe_load(client_for(users["agent"]).get("/api/schema/").content)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/frias/"])
    assert {"get", "patch"} <= set(paths["/api/v1/frias/{id}/"])
    assert "delete" not in paths["/api/v1/frias/{id}/"] and "put" not in paths["/api/v1/frias/{id}/"]
    for action in ("submit", "review", "notify", "reopen"):
        assert set(paths[f"/api/v1/frias/{{id}}/{action}/"]) - {"parameters"} == {"post"}
    assert set(paths["/api/v1/frias/{id}/versions/"]) - {"parameters"} == {"get"}
    components = schema["components"]["schemas"]
    assert components["FriaStatusEnum"]["enum"] == ["draft", "submitted", "approved", "notified"]
    assert components["FriaDecisionEnum"]["enum"] == ["approved", "returned"]
