"""Checkpoints through the API: scoping per role, owners and frequencies, attestations (owner only, evidence,
never edited), incidents, suspension, the production guard, compliance, and query counts."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits import services as audits
from audits.models import Attestation, Checkpoint, CheckpointType, Incident
from registry.choices import UseCaseStatus
from registry.models import UseCase, UseCaseEvent
from tests.api.conftest import VISIBLE
from tests.registry.factories import UseCaseFactory

LIST_URL = "/api/v1/checkpoints/"
COMPLIANCE_URL = "/api/v1/compliance/"


def checkpoint_url(checkpoint):
    return f"{LIST_URL}{checkpoint.pk}/"


def attestations_url(checkpoint):
    return f"{LIST_URL}{checkpoint.pk}/attestations/"


def use_case_url(use_case, rest=""):
    return f"/api/v1/use-cases/{use_case.pk}/{rest}"


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def use_case_names(response):
    return {row["use_case"]["name"] for row in results(response)}


@pytest.fixture
def checkpoints(register):
    """Every use case of `register` with the checkpoints its classification requires, owned by its owner.

    Returns the `output_review` checkpoint of each (every use case of the register is generative AI)."""
    for use_case in register.values():
        audits.checkpoints_sync(use_case=use_case)
    return {key: use_case.checkpoints.get(type__code="output_review") for key, use_case in register.items()}


def pdf(name="preuve.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", content_type="application/pdf")


class TestScoping:
    @pytest.mark.parametrize("role", sorted(VISIBLE))
    def test_each_role_lists_the_checkpoints_of_the_use_cases_it_sees(self, checkpoints, users, api_for, role):
        # Given checkpoints on every use case of the register
        # When a user of a given role lists the checkpoints
        response = api_for(users[role]).get(LIST_URL, {"page_size": 500})
        # Then they see those of the use cases they may see, and nothing of the other collectivité
        assert use_case_names(response) == VISIBLE[role]

    @pytest.mark.parametrize("role", sorted(VISIBLE))
    def test_a_checkpoint_out_of_sight_answers_404(self, checkpoints, users, api_for, role):
        client = api_for(users[role])
        for key, checkpoint in checkpoints.items():
            expected = 200 if key in VISIBLE[role] else 404
            assert client.get(checkpoint_url(checkpoint)).status_code == expected, (role, key)
            assert client.get(attestations_url(checkpoint)).status_code == expected, (role, key)
            incidents = client.get(use_case_url(checkpoint.use_case, "incidents/"))
            assert incidents.status_code == expected, (role, key)

    def test_the_outsider_sees_only_their_own_collectivites(self, checkpoints, outsider, api_for):
        client = api_for(outsider)
        assert client.get(LIST_URL, HTTP_X_COLLECTIVITE="bellerive").status_code == 403
        response = client.get(LIST_URL, {"page_size": 500})
        assert {row["id"] for row in results(response)} == set(
            checkpoints["elsewhere"].use_case.checkpoints.values_list("pk", flat=True)
        )
        assert client.get(checkpoint_url(checkpoints["ccas_approved"])).status_code == 404

    def test_a_checkpoint_shows_its_type_owner_and_schedule(self, checkpoints, users, api_for):
        checkpoint = checkpoints["agent_own_draft"]
        body = api_for(users["agent"]).get(checkpoint_url(checkpoint)).json()
        use_case = checkpoint.use_case
        assert body["use_case"] == {"id": use_case.pk, "reference": use_case.reference, "name": use_case.name}
        assert body["type"]["code"] == "output_review"
        assert body["type"]["national"] is True
        assert body["type"]["default_frequency"] == "monthly"
        for name in ("title", "practice", "legal_basis", "evidence_expected"):
            assert body["type"][name], name
        assert body["origin"] == "required"
        assert body["active"] is True
        assert body["owner"]["id"] == users["agent"].pk
        assert body["owner"]["full_name"]
        assert body["frequency"] == "monthly"
        assert body["next_due"] == checkpoint.next_due.isoformat()
        assert body["last_attested_on"] is None
        assert body["overdue"] is False
        assert body["due_soon"] is False
        assert body["version"] == 1


class TestFilters:
    @pytest.fixture
    def dpo(self, checkpoints, users, api_for):
        return api_for(users["dpo"])

    def ids(self, client, **params):
        return {row["id"] for row in results(client.get(LIST_URL, {"page_size": 500, **params}))}

    def test_by_use_case_type_and_frequency(self, dpo, checkpoints):
        use_case = checkpoints["ccas_approved"].use_case
        assert self.ids(dpo, use_case=use_case.pk) == set(use_case.checkpoints.values_list("pk", flat=True))
        assert self.ids(dpo, type="output_review") == {c.pk for key, c in checkpoints.items() if key != "elsewhere"}
        Checkpoint.objects.filter(pk=checkpoints["com_approved"].pk).update(frequency="weekly")
        assert self.ids(dpo, frequency="weekly") == {checkpoints["com_approved"].pk}

    def test_unknown_codes_are_refused_naming_the_filter(self, dpo):
        assert "frequency" in dpo.get(LIST_URL, {"frequency": "daily"}).json()["errors"]
        assert "owner" in dpo.get(LIST_URL, {"owner": "someone"}).json()["errors"]

    def test_owner_me_and_none(self, checkpoints, users, api_for):
        mine = checkpoints["agent_own_draft"].use_case.checkpoints.values_list("pk", flat=True)
        assert self.ids(api_for(users["agent"]), owner="me") == set(mine)
        Checkpoint.objects.filter(pk=checkpoints["com_approved"].pk).update(owner=None)
        dpo = api_for(users["dpo"])
        assert self.ids(dpo, owner="none") == {checkpoints["com_approved"].pk}
        assert self.ids(dpo, owner=users["agent"].pk) == set(mine)

    def test_overdue_due_dates_and_active(self, dpo, checkpoints):
        today = timezone.localdate()
        late, soon = checkpoints["ccas_approved"], checkpoints["logement_approved"]
        Checkpoint.objects.filter(pk=late.pk).update(next_due=today - dt.timedelta(days=3))
        Checkpoint.objects.filter(pk=soon.pk).update(next_due=today + dt.timedelta(days=2))
        inactive = checkpoints["com_approved"]
        Checkpoint.objects.filter(pk=inactive.pk).update(active=False, next_due=today - dt.timedelta(days=9))

        assert self.ids(dpo, overdue="true") == {late.pk}
        assert late.pk not in self.ids(dpo, overdue="false")
        assert self.ids(dpo, due_before=today + dt.timedelta(days=2)) == {late.pk, soon.pk, inactive.pk}
        assert soon.pk in self.ids(dpo, due_after=today)
        assert late.pk not in self.ids(dpo, due_after=today)
        assert self.ids(dpo, active="false") == {inactive.pk}
        rows = {row["id"]: row for row in results(dpo.get(LIST_URL, {"page_size": 500}))}
        assert (rows[late.pk]["overdue"], rows[late.pk]["due_soon"]) == (True, False)
        assert (rows[soon.pk]["overdue"], rows[soon.pk]["due_soon"]) == (False, True)
        assert rows[inactive.pk]["overdue"] is False

    def test_the_list_is_soonest_due_first(self, dpo, checkpoints):
        dates = [row["next_due"] for row in results(dpo.get(LIST_URL, {"page_size": 500}))]
        scheduled = [d for d in dates if d is not None]
        assert scheduled == sorted(scheduled)


class TestChange:
    @pytest.mark.parametrize("role", ["chef", "dpo", "rssi", "admin"])
    def test_who_may_change_the_use_case_or_oversees_assigns_owner_and_frequency(
        self, checkpoints, users, api_for, role
    ):
        checkpoint = checkpoints["ccas_approved"]
        response = api_for(users[role]).patch(
            checkpoint_url(checkpoint), {"owner": users["agent"].pk, "frequency": "weekly", "version": 1}, format="json"
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["owner"]["id"] == users["agent"].pk
        assert body["frequency"] == "weekly"
        assert body["version"] == 2
        assert body["next_due"] == (timezone.localdate() + dt.timedelta(weeks=1)).isoformat()

    def test_fields_not_sent_are_kept(self, checkpoints, users, api_for):
        checkpoint = checkpoints["ccas_approved"]
        response = api_for(users["dpo"]).patch(checkpoint_url(checkpoint), {"frequency": "yearly"}, format="json")
        assert response.status_code == 200
        checkpoint.refresh_from_db()
        assert (checkpoint.owner, checkpoint.frequency) == (checkpoints["ccas_approved"].owner, "yearly")

    @pytest.mark.parametrize("role", ["agent", "dgs"])
    def test_who_only_reads_the_use_case_gets_403(self, checkpoints, users, api_for, role):
        checkpoint = checkpoints["ccas_approved"]
        response = api_for(users[role]).patch(
            checkpoint_url(checkpoint), {"owner": users[role].pk, "frequency": "weekly"}, format="json"
        )
        assert response.status_code == 403
        assert response.json()["message"]
        checkpoint.refresh_from_db()
        assert (checkpoint.frequency, checkpoint.version) == ("monthly", 1)

    def test_a_stale_version_is_refused_and_nothing_is_overwritten(self, checkpoints, users, api_for):
        checkpoint = checkpoints["ccas_approved"]
        audits.checkpoint_update(
            checkpoint=checkpoint, acting_user=users["dpo"], owner=users["chef"], frequency="quarterly"
        )
        response = api_for(users["chef"]).patch(
            checkpoint_url(checkpoint), {"frequency": "weekly", "version": 1}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["message"]
        checkpoint.refresh_from_db()
        assert (checkpoint.owner, checkpoint.frequency, checkpoint.version) == (users["chef"], "quarterly", 2)

    def test_the_owner_must_be_of_the_collectivite_and_a_mandatory_one_needs_one(
        self, checkpoints, users, outsider, api_for
    ):
        client = api_for(users["dpo"])
        url = checkpoint_url(checkpoints["ccas_approved"])
        assert "owner" in client.patch(url, {"owner": outsider.pk}, format="json").json()["errors"]
        response = client.patch(url, {"owner": None}, format="json")
        assert response.status_code == 400
        assert "owner" in response.json()["errors"]
        assert "frequency" in client.patch(url, {"frequency": "daily"}, format="json").json()["errors"]

    def test_no_put_and_no_delete(self, checkpoints, users, api_for):
        client = api_for(users["dpo"])
        url = checkpoint_url(checkpoints["ccas_approved"])
        assert client.put(url, {"frequency": "weekly"}, format="json").status_code == 405
        assert client.delete(url).status_code == 405
        assert client.post(LIST_URL, {}, format="json").status_code == 405


class TestAddManualCheckpoint:
    def test_a_head_of_service_adds_one_by_code_with_the_default_frequency(self, checkpoints, users, api_for):
        use_case = checkpoints["ccas_approved"].use_case
        response = api_for(users["chef"]).post(
            use_case_url(use_case, "checkpoints/"), {"type": "bias_review", "owner": users["agent"].pk}, format="json"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["type"]["code"] == "bias_review"
        assert body["origin"] == "manual"
        assert body["frequency"] == "quarterly"
        assert body["owner"]["id"] == users["agent"].pk
        listed = api_for(users["chef"]).get(use_case_url(use_case, "checkpoints/"))
        assert "bias_review" in {row["type"]["code"] for row in results(listed)}

    def test_by_id_with_a_frequency_and_a_local_type(self, checkpoints, users, api_for, collectivite):
        local = CheckpointType.objects.create(
            collectivite=collectivite,
            code="revue_juridique",
            title="Revue juridique",
            practice="Le service juridique relit.",
            default_frequency="yearly",
        )
        use_case = checkpoints["com_approved"].use_case
        response = api_for(users["dpo"]).post(
            use_case_url(use_case, "checkpoints/"),
            {"type": local.pk, "owner": users["chef"].pk, "frequency": "monthly"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["type"]["national"] is False
        assert response.json()["type"]["title"] == "Revue juridique"
        assert response.json()["frequency"] == "monthly"

    def test_bad_input_names_the_field(self, checkpoints, users, api_for, other_collectivite):
        url = use_case_url(checkpoints["ccas_approved"].use_case, "checkpoints/")
        client = api_for(users["dpo"])
        assert "type" in client.post(url, {"type": "no_such", "owner": users["agent"].pk}).json()["errors"]
        foreign = CheckpointType.objects.create(
            collectivite=other_collectivite, code="autre", title="Autre", practice="…", default_frequency="yearly"
        )
        assert "type" in client.post(url, {"type": foreign.pk, "owner": users["agent"].pk}).json()["errors"]
        already = client.post(url, {"type": "output_review", "owner": users["agent"].pk})
        assert already.status_code == 400
        assert "type" in already.json()["errors"]
        assert "owner" in client.post(url, {"type": "bias_review"}).json()["errors"]

    def test_an_agent_who_cannot_change_the_use_case_gets_403_and_404_out_of_sight(self, checkpoints, users, api_for):
        client = api_for(users["agent"])
        payload = {"type": "bias_review", "owner": users["agent"].pk}
        assert client.post(
            use_case_url(checkpoints["ccas_approved"].use_case, "checkpoints/"), payload
        ).status_code == (403)
        assert client.post(
            use_case_url(checkpoints["logement_approved"].use_case, "checkpoints/"), payload
        ).status_code == (404)
        assert not Checkpoint.objects.filter(type__code="bias_review").exists()


class TestAttestations:
    @pytest.fixture
    def mine(self, checkpoints):
        """A checkpoint the demo agent owns (output_review of their own use case, monthly), once approved: the
        controls of a use case run only while it is live."""
        checkpoint = checkpoints["agent_own_draft"]
        UseCase.objects.filter(pk=checkpoint.use_case_id).update(status=UseCaseStatus.APPROVED)
        return checkpoint

    def test_nothing_is_overdue_on_a_use_case_that_is_not_live(self, checkpoints, users, api_for):
        # Given the output reviews of a draft and of an approved use case, both past their due date
        late = timezone.localdate() - dt.timedelta(days=10)
        draft, approved = checkpoints["ccas_draft"], checkpoints["ccas_approved"]
        Checkpoint.objects.filter(pk__in=[draft.pk, approved.pk]).update(next_due=late)
        client = api_for(users["dpo"])
        # Then only the live one is overdue, in its row as in the filter
        assert client.get(checkpoint_url(draft)).json()["overdue"] is False
        assert client.get(checkpoint_url(approved)).json()["overdue"] is True
        overdue = {row["id"] for row in results(client.get(LIST_URL, {"overdue": "true", "page_size": 500}))}
        assert approved.pk in overdue and draft.pk not in overdue

    @pytest.mark.parametrize("status", ["draft", "submitted", "in_review", "suspended", "retired"])
    def test_the_controls_of_a_use_case_that_is_not_live_cannot_be_attested(self, mine, users, api_for, status):
        UseCase.objects.filter(pk=mine.use_case_id).update(status=status)
        response = api_for(users["agent"]).post(attestations_url(mine), {"comment": "Relu."}, format="json")
        assert response.status_code == 409
        assert "approuvé ou en production" in response.json()["message"]
        assert not Attestation.objects.exists()

    def test_the_owner_attests_and_the_next_due_date_moves(self, mine, users, api_for):
        today = timezone.localdate()
        client = api_for(users["agent"])
        response = client.post(attestations_url(mine), {"comment": "Relu 20 courriers."}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["performed_on"] == today.isoformat()
        assert body["outcome"] == "ok"
        assert body["attested_by"]["id"] == users["agent"].pk
        assert body["evidence_url"] is None
        checkpoint = client.get(checkpoint_url(mine)).json()
        assert checkpoint["last_attested_on"] == today.isoformat()
        assert checkpoint["version"] == 2

    @pytest.mark.parametrize("role", ["dpo", "chef", "admin"])
    def test_nobody_else_attests_for_the_owner(self, mine, users, api_for, role):
        response = api_for(users[role]).post(attestations_url(mine), {"outcome": "ok"}, format="json")
        assert response.status_code == 403
        assert response.json()["message"]
        assert not Attestation.objects.exists()

    def test_evidence_in_a_multipart_form_is_stored_and_downloadable(self, mine, users, api_for, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        response = api_for(users["agent"]).post(
            attestations_url(mine), {"outcome": "ok", "evidence": pdf()}, format="multipart"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        attestation = Attestation.objects.get()
        assert body["evidence_url"].endswith(f"/preuves/{attestation.pk}/")
        assert body["evidence_name"] == "preuve.pdf"
        assert body["evidence_size"] == attestation.evidence.size
        assert (tmp_path / attestation.evidence.name).exists()
        assert "preuve" not in attestation.evidence.name

    @pytest.mark.parametrize(
        "upload",
        [
            SimpleUploadedFile("preuve.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"),
            SimpleUploadedFile("outil.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        ],
        ids=["fake-pdf", "exe"],
    )
    def test_a_fake_or_forbidden_file_is_refused_naming_evidence(
        self, mine, users, api_for, settings, tmp_path, upload
    ):
        settings.MEDIA_ROOT = tmp_path
        upload.seek(0)
        response = api_for(users["agent"]).post(attestations_url(mine), {"evidence": upload}, format="multipart")
        assert response.status_code == 400
        assert "evidence" in response.json()["errors"]
        assert not Attestation.objects.exists()
        assert not any(tmp_path.rglob("*.*"))

    def test_invalid_answers_are_400_with_the_field(self, mine, users, api_for, checkpoints):
        client = api_for(users["agent"])
        url = attestations_url(mine)
        assert "comment" in client.post(url, {"outcome": "issue_found"}, format="json").json()["errors"]
        assert "outcome" in client.post(url, {"outcome": "fine"}, format="json").json()["errors"]
        future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        assert "performed_on" in client.post(url, {"performed_on": future}, format="json").json()["errors"]
        other = Attestation.objects.create(
            checkpoint=checkpoints["ccas_approved"],
            attested_by=checkpoints["ccas_approved"].owner,
            performed_on=timezone.localdate(),
            outcome="ok",
        )
        assert "corrects" in client.post(url, {"corrects": other.pk}, format="json").json()["errors"]
        assert Attestation.objects.filter(checkpoint=mine).count() == 0

    def test_a_correction_is_a_new_attestation_and_the_list_is_newest_first(self, mine, users, api_for):
        client = api_for(users["agent"])
        earlier = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
        first = client.post(attestations_url(mine), {"performed_on": earlier}, format="json").json()
        second = client.post(
            attestations_url(mine),
            {"outcome": "issue_found", "comment": "Deux courriers partis sans relecture.", "corrects": first["id"]},
            format="json",
        ).json()
        listed = results(client.get(attestations_url(mine)))
        assert [row["id"] for row in listed] == [second["id"], first["id"]]
        assert listed[0]["corrects"] == first["id"]
        assert client.get(f"{attestations_url(mine)}{first['id']}/").json()["performed_on"] == earlier

    def test_an_attestation_is_never_edited_nor_deleted(self, mine, users, api_for):
        client = api_for(users["agent"])
        created = client.post(attestations_url(mine), {"comment": "Fait."}, format="json").json()
        url = f"{attestations_url(mine)}{created['id']}/"
        for method in ("put", "patch", "delete"):
            response = getattr(client, method)(url, {"comment": "Réécrit."}, format="json")
            assert response.status_code == 405, method
            assert response.json()["message"]
        assert client.delete(attestations_url(mine)).status_code == 405
        assert Attestation.objects.get().comment == "Fait."


class TestIncidents:
    def test_the_dpo_records_a_breach_and_the_72_hour_clock_starts(self, checkpoints, users, api_for):
        use_case = checkpoints["ccas_in_production"].use_case
        occurred = (timezone.now() - dt.timedelta(hours=2)).isoformat()
        response = api_for(users["dpo"]).post(
            use_case_url(use_case, "incidents/"),
            {
                "occurred_at": occurred,
                "description": "Des données d'usagers envoyées à un compte personnel.",
                "severity": "serious",
                "persons_affected": 12,
                "personal_data_breach": True,
                "actions_taken": "Compte fermé.",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        incident = Incident.objects.get()
        assert incident.breach_deadline == incident.created_at + dt.timedelta(hours=72)
        body = response.json()
        assert body["personal_data_breach"] is True
        assert body["breach_deadline"] is not None
        assert body["reported_by"]["id"] == users["dpo"].pk
        # And whoever sees the use case sees the incident
        listed = results(api_for(users["agent"]).get(use_case_url(use_case, "incidents/")))
        assert [row["id"] for row in listed] == [incident.pk]

    def test_without_breach_no_deadline(self, checkpoints, users, api_for):
        use_case = checkpoints["ccas_in_production"].use_case
        payload = {"occurred_at": timezone.now().isoformat(), "description": "Réponse fausse.", "severity": "minor"}
        body = api_for(users["chef"]).post(use_case_url(use_case, "incidents/"), payload, format="json").json()
        assert body["breach_deadline"] is None
        assert body["personal_data_breach"] is False

    def test_the_owner_of_a_checkpoint_may_record_one(self, checkpoints, users, api_for):
        use_case = checkpoints["ccas_in_production"].use_case
        Checkpoint.objects.filter(pk=checkpoints["ccas_in_production"].pk).update(owner=users["agent"])
        payload = {"occurred_at": timezone.now().isoformat(), "description": "Réponse fausse.", "severity": "minor"}
        response = api_for(users["agent"]).post(use_case_url(use_case, "incidents/"), payload, format="json")
        assert response.status_code == 201

    @pytest.mark.parametrize("role", ["agent", "dgs"])
    def test_who_only_reads_the_use_case_gets_403(self, checkpoints, users, api_for, role):
        use_case = checkpoints["ccas_in_production"].use_case
        payload = {"occurred_at": timezone.now().isoformat(), "description": "Réponse fausse.", "severity": "minor"}
        response = api_for(users[role]).post(use_case_url(use_case, "incidents/"), payload, format="json")
        assert response.status_code == 403
        assert not Incident.objects.exists()

    def test_bad_input_names_the_fields(self, checkpoints, users, api_for):
        url = use_case_url(checkpoints["ccas_in_production"].use_case, "incidents/")
        client = api_for(users["dpo"])
        errors = client.post(url, {"severity": "huge"}, format="json").json()["errors"]
        assert {"occurred_at", "description", "severity"} <= set(errors)
        future = (timezone.now() + dt.timedelta(days=1)).isoformat()
        response = client.post(
            url, {"occurred_at": future, "description": "Plus tard.", "severity": "minor"}, format="json"
        )
        assert response.status_code == 400
        assert "occurred_at" in response.json()["errors"]
        assert not Incident.objects.exists()


class TestSuspend:
    @pytest.mark.parametrize("role", ["dpo", "rssi"])
    def test_the_dpo_or_rssi_suspends_a_live_use_case_with_a_reason(self, register, users, api_for, role):
        use_case = register["ccas_in_production"]
        response = api_for(users[role]).post(
            use_case_url(use_case, "suspend/"), {"reason": "Incident grave : réponses discriminantes."}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "suspended"
        event = UseCaseEvent.objects.get(use_case=use_case, kind="suspended")
        assert (event.actor, event.comment) == (users[role], "Incident grave : réponses discriminantes.")

    @pytest.mark.parametrize("role", ["agent", "chef", "dgs", "admin"])
    def test_other_roles_get_403(self, register, users, api_for, role):
        use_case = register["ccas_in_production"]
        response = api_for(users[role]).post(use_case_url(use_case, "suspend/"), {"reason": "Non."}, format="json")
        assert response.status_code == 403
        use_case.refresh_from_db()
        assert use_case.status == UseCaseStatus.IN_PRODUCTION

    def test_a_reason_is_required(self, register, users, api_for):
        response = api_for(users["dpo"]).post(use_case_url(register["ccas_in_production"], "suspend/"), {})
        assert response.status_code == 400
        assert "reason" in response.json()["errors"]

    def test_a_draft_cannot_be_suspended(self, register, users, api_for):
        response = api_for(users["dpo"]).post(
            use_case_url(register["ccas_draft"], "suspend/"), {"reason": "Incident."}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["message"]
        assert UseCase.objects.get(pk=register["ccas_draft"].pk).status == UseCaseStatus.DRAFT

    def test_out_of_sight_is_404(self, register, users, outsider, api_for):
        assert api_for(outsider).post(use_case_url(register["ccas_in_production"], "suspend/"), {}).status_code == 404


class TestPutIntoProduction:
    def test_refused_while_a_mandatory_checkpoint_has_no_owner_then_allowed(self, checkpoints, users, api_for):
        checkpoint = checkpoints["ccas_approved"]
        use_case = checkpoint.use_case
        Checkpoint.objects.filter(pk=checkpoint.pk).update(owner=None)
        client = api_for(users["chef"])

        refused = client.post(use_case_url(use_case, "put-into-production/"), {}, format="json")
        assert refused.status_code == 409
        # one full sentence per missing item, the whole refusal when it is the only one
        sentence = (
            f"Le contrôle obligatoire «\u202f{checkpoint.type}\u202f» n'a pas de responsable\u202f: "
            "désignez la personne qui l'attestera."
        )
        assert refused.json() == {"message": sentence, "errors": {"checkpoints": [sentence]}}
        assert UseCase.objects.get(pk=use_case.pk).status == UseCaseStatus.APPROVED

        client.patch(checkpoint_url(checkpoint), {"owner": users["agent"].pk}, format="json")
        accepted = client.post(use_case_url(use_case, "put-into-production/"), {"comment": "Go."}, format="json")
        assert accepted.status_code == 200, accepted.json()
        assert accepted.json()["status"] == "in_production"

    def test_who_cannot_change_the_use_case_gets_403(self, checkpoints, users, api_for):
        use_case = checkpoints["ccas_approved"].use_case
        for role in ("agent", "dgs"):
            assert api_for(users[role]).post(use_case_url(use_case, "put-into-production/")).status_code == 403
        assert UseCase.objects.get(pk=use_case.pk).status == UseCaseStatus.APPROVED

    def test_every_missing_item_is_one_sentence_under_what_it_concerns(self, checkpoints, users, api_for):
        # Given an approved use case the rules now block, with a mandatory checkpoint without owner
        checkpoint = checkpoints["ccas_approved"]
        UseCase.objects.filter(pk=checkpoint.use_case_id).update(blocked=True)
        Checkpoint.objects.filter(pk=checkpoint.pk).update(owner=None)
        # When it is put into production through the API
        refused = api_for(users["chef"]).post(use_case_url(checkpoint.use_case, "put-into-production/"), {})
        # Then each missing item is one sentence, under what it concerns, and the message counts them
        assert refused.status_code == 409
        body = refused.json()
        assert set(body["errors"]) == {"blocked", "checkpoints"}
        assert all(len(sentences) == 1 and sentences[0].endswith(".") for sentences in body["errors"].values())
        assert body["message"] == "Cet usage ne peut pas encore être mis en production\u202f: 2 éléments manquent."
        assert UseCase.objects.get(pk=checkpoint.use_case_id).status == UseCaseStatus.APPROVED

    def test_only_an_approved_use_case_goes_live(self, checkpoints, users, api_for):
        response = api_for(users["dpo"]).post(use_case_url(checkpoints["ccas_draft"].use_case, "put-into-production/"))
        assert response.status_code == 409


class TestCompliance:
    @pytest.fixture
    def late(self, checkpoints):
        """Two live use cases with an overdue checkpoint: one in the CCAS, one in communication."""
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        for key in ("ccas_in_production", "com_approved"):
            Checkpoint.objects.filter(pk=checkpoints[key].pk).update(next_due=yesterday)
        return checkpoints

    @pytest.mark.parametrize("role", ["dpo", "rssi", "dgs", "admin"])
    def test_oversight_roles_see_the_whole_collectivite(self, late, users, api_for, role):
        body = api_for(users[role]).get(COMPLIANCE_URL).json()
        # Four live use cases (approved or in production) with two monthly checkpoints each, two overdue
        assert body["overall"] == {"total": 8, "on_time": 6, "rate": 75}
        assert {row["id"] for row in body["overdue"]} == {late["ccas_in_production"].pk, late["com_approved"].pk}
        assert body["overdue"][0]["overdue"] is True
        assert {row["label"] for row in body["services"]} == {"CCAS", "Logement", "Communication"}
        use_case = late["com_approved"].use_case
        row = next(row for row in body["use_cases"] if row["id"] == use_case.pk)
        assert row["label"] == f"{use_case.reference} — {use_case.name}"
        assert (row["total"], row["on_time"], row["rate"]) == (2, 1, 50)

    def test_a_head_of_service_sees_their_services_only(self, late, users, api_for):
        body = api_for(users["chef"]).get(COMPLIANCE_URL).json()
        assert {row["label"] for row in body["services"]} == {"CCAS", "Logement"}
        assert [row["id"] for row in body["overdue"]] == [late["ccas_in_production"].pk]

    @pytest.mark.parametrize("role", ["agent", "comite"])
    def test_other_roles_get_403(self, late, users, api_for, role):
        response = api_for(users[role]).get(COMPLIANCE_URL)
        assert response.status_code == 403
        assert response.json()["message"]


# Token, collectivité and roles (3), count and page (2); for an agent, guardian's two content-type lookups (cached
# per process: cleared before each request so that the bound holds whatever ran before). The attestations add the
# checkpoint; compliance costs three aggregates and the overdue list.
LIST_QUERIES = {"dpo": 5, "agent": 7}
ATTESTATION_QUERIES = 8
COMPLIANCE_QUERIES = 9  # 7, + the AIDFs due (fria), + the incidents with an overdue notification


def cold_get(client, url, params=None):
    ContentType.objects.clear_cache()
    return client.get(url, params or {})


class TestQueryCounts:
    @pytest.mark.parametrize("role", ["dpo", "agent"])
    def test_the_list_costs_the_same_for_3_or_30_checkpoints(
        self, collectivite, services, users, api_for, django_assert_max_num_queries, role
    ):
        def add(count):
            for _ in range(count):
                use_case = UseCaseFactory(
                    collectivite=collectivite, service=services["ccas"], owner=users["agent"], status="approved"
                )
                audits.checkpoints_sync(use_case=use_case)

        client = api_for(users[role])
        # Two checkpoints on each generative use case (output_review, source_verification), one dropped
        add(2)
        Checkpoint.objects.filter(pk=Checkpoint.objects.first().pk).delete()
        with django_assert_max_num_queries(LIST_QUERIES[role]):
            assert len(results(cold_get(client, LIST_URL))) == 3
        add(14)
        Checkpoint.objects.filter(pk=Checkpoint.objects.last().pk).delete()
        Checkpoint.objects.filter(pk=Checkpoint.objects.first().pk).update(owner=users["chef"])
        with django_assert_max_num_queries(LIST_QUERIES[role]):
            assert len(results(cold_get(client, LIST_URL, {"page_size": 100}))) == 30

    def test_attestations_cost_the_same_for_1_or_20(
        self, collectivite, services, users, api_for, django_assert_max_num_queries
    ):
        use_case = UseCaseFactory(
            collectivite=collectivite, service=services["ccas"], owner=users["agent"], status="approved"
        )
        audits.checkpoints_sync(use_case=use_case)
        checkpoint = use_case.checkpoints.first()
        client = api_for(users["agent"])
        audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"])
        with django_assert_max_num_queries(ATTESTATION_QUERIES):
            assert len(results(cold_get(client, attestations_url(checkpoint)))) == 1
        for _ in range(19):
            audits.attestation_record(checkpoint=checkpoint, acting_user=users["agent"])
        with django_assert_max_num_queries(ATTESTATION_QUERIES):
            assert len(results(cold_get(client, attestations_url(checkpoint)))) == 20

    def test_compliance_costs_the_same_whatever_the_overdue_rows(
        self, checkpoints, users, api_for, django_assert_max_num_queries
    ):
        client = api_for(users["dpo"])
        with django_assert_max_num_queries(COMPLIANCE_QUERIES):
            assert cold_get(client, COMPLIANCE_URL).json()["overdue"] == []
        Checkpoint.objects.update(next_due=timezone.localdate() - dt.timedelta(days=1))
        with django_assert_max_num_queries(COMPLIANCE_QUERIES):
            assert len(cold_get(client, COMPLIANCE_URL).json()["overdue"]) == 8


def test_the_schema_documents_checkpoints_attestations_incidents_and_actions(users, client_for):
    import yaml

    schema = yaml.safe_load(client_for(users["agent"]).get("/api/schema/").content)
    paths = schema["paths"]
    assert {
        "/api/v1/checkpoints/",
        "/api/v1/checkpoints/{id}/",
        "/api/v1/checkpoints/{checkpoint_id}/attestations/",
        "/api/v1/checkpoints/{checkpoint_id}/attestations/{id}/",
        "/api/v1/use-cases/{use_case_id}/checkpoints/",
        "/api/v1/use-cases/{use_case_id}/incidents/",
        "/api/v1/use-cases/{id}/suspend/",
        "/api/v1/use-cases/{id}/put-into-production/",
        "/api/v1/compliance/",
    } <= set(paths)
    assert set(paths["/api/v1/checkpoints/{checkpoint_id}/attestations/{id}/"]) == {"get"}
    assert {"put", "delete"}.isdisjoint(paths["/api/v1/checkpoints/{id}/"])
    attest = paths["/api/v1/checkpoints/{checkpoint_id}/attestations/"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(attest)
    enums = schema["components"]["schemas"]
    assert enums["CheckpointFrequencyEnum"]["enum"] == ["each_use", "weekly", "monthly", "quarterly", "yearly"]
    assert enums["AttestationOutcomeEnum"]["enum"] == ["ok", "issue_found"]
    assert enums["IncidentSeverityEnum"]["enum"] == ["minor", "major", "serious"]
    assert enums["CheckpointOriginEnum"]["enum"] == ["required", "manual", "condition"]
