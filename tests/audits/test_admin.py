"""Django admin of the human controls: administrators add local checkpoint types; national ones and the
records of controls are read-only."""

from html import unescape

import pytest

from audits import services as audits
from audits.models import Attestation, CheckpointType
from registry import services as registry
from tests.registry.factories import UserFactory
from tests.web.helpers import fr

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _local_type_form(collectivite, **overrides):
    return {
        "collectivite": collectivite.pk if collectivite else "",
        "code": "revue-comite-ethique",
        "title": "Revue trimestrielle par le comité d'éthique",
        "practice": "Le comité examine un échantillon de résultats et rend un avis écrit.",
        "legal_basis": "Charte de la ville, art. 6.",
        "default_frequency": "quarterly",
        "evidence": "L'avis du comité.",
        **overrides,
    }


def test_an_administrator_adds_a_local_checkpoint_type(collectivite, superuser_client):
    # When the administrator adds a type for their collectivité
    response = superuser_client.post("/admin/audits/checkpointtype/add/", _local_type_form(collectivite))

    # Then it exists, local to the collectivité
    assert response.status_code == 302
    kind = CheckpointType.objects.get(code="revue-comite-ethique")
    assert kind.collectivite == collectivite and not kind.national
    assert kind.display_title == "Revue trimestrielle par le comité d'éthique"


def test_a_new_type_needs_a_collectivite_and_a_code_of_its_own(collectivite, superuser_client):
    without_collectivite = superuser_client.post("/admin/audits/checkpointtype/add/", _local_type_form(None))
    national_code = superuser_client.post(
        "/admin/audits/checkpointtype/add/", _local_type_form(collectivite, code="bias_review")
    )

    assert without_collectivite.status_code == national_code.status_code == 200  # the form again, with errors
    assert "collectivite" in without_collectivite.context["adminform"].form.errors
    assert "code" in national_code.context["adminform"].form.errors
    assert not CheckpointType.objects.filter(collectivite__isnull=False).exists()


def test_national_types_are_read_only(superuser_client):
    national = CheckpointType.objects.get(code="output_review", collectivite__isnull=True)
    url = f"/admin/audits/checkpointtype/{national.pk}/change/"

    # The page shows the catalogue's texts, with nothing to save
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert fr("Human review of outputs") in unescape(page.content.decode())

    # A forged POST changes nothing, and the type cannot be deleted
    superuser_client.post(url, {"code": "output_review", "title": "Autre", "default_frequency": "weekly"})
    national.refresh_from_db()
    assert national.default_frequency == "monthly" and national.title == "output_review"
    assert superuser_client.get(f"/admin/audits/checkpointtype/{national.pk}/delete/").status_code == 403


def test_attestations_are_shown_but_never_changed_nor_deleted(collectivite, services, users, superuser_client):
    use_case = registry.use_case_create(
        collectivite=collectivite,
        acting_user=users["agent"],
        data={
            "name": "Assistant de rédaction",
            "summary": "Premier jet relu.",
            "purpose": "Gagner du temps.",
            "service": services["ccas"],
            "technique": "genai_text",
            "audience": "agents",
        },
    )
    type(use_case).objects.filter(pk=use_case.pk).update(status="approved")  # its controls run once approved
    attestation = audits.attestation_record(
        checkpoint=use_case.checkpoints.first(), acting_user=users["agent"], comment="Dix courriers relus."
    )

    listing = superuser_client.get("/admin/audits/attestation/")
    detail = superuser_client.get(f"/admin/audits/attestation/{attestation.pk}/change/")
    delete = superuser_client.get(f"/admin/audits/attestation/{attestation.pk}/delete/")
    add = superuser_client.get("/admin/audits/attestation/add/")

    assert listing.status_code == detail.status_code == 200
    assert "Dix courriers relus." in unescape(detail.content.decode())
    assert not detail.context["has_change_permission"]
    assert delete.status_code == add.status_code == 403
    assert Attestation.objects.count() == 1


@pytest.mark.parametrize(
    "model", ["checkpoint", "incident", "incidentnotification", "incidentreminderlog", "reminderlog", "digestlog"]
)
def test_the_other_lists_open_and_offer_no_addition(superuser_client, model):
    assert superuser_client.get(f"/admin/audits/{model}/").status_code == 200
    assert superuser_client.get(f"/admin/audits/{model}/add/").status_code == 403
