"""API v1 of the documents: ask for one (202), follow its status, list them (scoped, filtered), download the PDF;
with the refusals: 404 out of sight, 403 for a kind one may not have, 409 for a final document or a file not
there yet, 400 for an incomplete request."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import timezone

from documents import services as documents
from documents.models import Document
from registry.models import CommitteeSession
from tests.documents import pdf_builder_stub
from tests.registry.factories import UseCaseFactory

pytestmark = pytest.mark.django_db

Kind = Document.Kind
YEAR = timezone.localdate().year
URL = "/api/v1/documents/"
ROLES = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin")
SEE_THE_USE_CASE = {"chef", "dpo", "rssi", "dgs", "admin"}  # the `use_case` fixture: a CCAS draft of "porteur"
SEE_THE_COMMITTEE = {"dpo", "rssi", "dgs", "admin", "comite"}
ANNUAL_REPORT_ROLES = {"dpo", "rssi", "dgs", "admin"}
CHARTER_EDITORS = {"dpo", "dgs", "admin"}


@pytest.fixture(autouse=True)
def _stub_builders(monkeypatch, settings, tmp_path):
    pdf_builder_stub.use_stub_builders(monkeypatch, settings, tmp_path)


@pytest.fixture
def session(collectivite, committee):
    return CommitteeSession.objects.create(collectivite=collectivite, held_on=timezone.now())


@pytest.fixture
def ask(api_for, django_capture_on_commit_callbacks):
    """POST /documents/ as `user`, running the queued generation unless `run=False` (a worker still busy)."""

    def post(user, run=True, **data):
        with django_capture_on_commit_callbacks(execute=run):
            return api_for(user).post(URL, data, format="json")

    return post


def download(response) -> bytes:
    return b"".join(response.streaming_content)


class TestAsking:
    def test_asking_answers_202_then_the_document_is_followed_and_downloaded(self, users, use_case, api_for, ask):
        # When the DPO asks for a use case's report, the worker still busy
        response = ask(users["dpo"], run=False, kind="use_case_report", use_case=use_case.pk)

        # Then the answer is 202 with the document, pending, and where to follow it
        assert response.status_code == 202, response.content
        body = response.json()
        document = Document.objects.get()
        assert body["id"] == document.pk and body["kind"] == "use_case_report" and body["status"] == "pending"
        assert body["use_case"] == use_case.pk and body["session"] is None and body["year"] is None
        assert body["requested_by"]["username"] == "dpo" and body["frozen"] is False
        assert body["sha256"] is None and body["pages"] is None and body["error"] is None
        assert body["links"]["self"].endswith(f"{URL}{document.pk}/")
        assert body["links"]["download"] is None
        assert body["links"]["page"].endswith(f"/documents/{document.pk}/")
        assert body["filename"] == f"rapport-usage-{use_case.reference}.pdf"
        client = api_for(users["dpo"])
        # The file is not there yet: 409
        refused = client.get(f"{URL}{document.pk}/download/")
        assert refused.status_code == 409 and refused.json()["message"]

        # When the worker has generated it
        documents.document_generate(document_id=document.pk)

        # Then its status says ready, with its fingerprint, and the download gives that very file
        body = client.get(body["links"]["self"]).json()
        document.refresh_from_db()
        assert body["status"] == "ready" and body["sha256"] == document.sha256 and body["pages"] == document.pages
        assert body["size"] == document.size and body["links"]["download"].endswith(f"{URL}{document.pk}/download/")
        response = client.get(body["links"]["download"], HTTP_ACCEPT="application/pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{document.filename}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert hashlib.sha256(download(response)).hexdigest() == document.sha256

    def test_asking_again_while_pending_answers_the_same_document(self, users, ask):
        first = ask(users["dpo"], run=False, kind="annual_report", year=YEAR).json()
        again = ask(users["rssi"], run=False, kind="annual_report", year=YEAR)
        assert again.status_code == 202
        assert again.json()["id"] == first["id"] and again.json()["requested_by"]["username"] == "dpo"
        assert Document.objects.count() == 1

    @pytest.mark.parametrize("role", ROLES)
    def test_use_case_reports_for_whoever_sees_the_use_case(self, role, users, use_case, ask):
        response = ask(users[role], kind="use_case_report", use_case=use_case.pk)
        assert response.status_code == (202 if role in SEE_THE_USE_CASE else 404)

    @pytest.mark.parametrize("role", ROLES)
    def test_minutes_for_whoever_sees_the_committee(self, role, users, session, ask):
        response = ask(users[role], kind="committee_minutes", session=session.pk)
        assert response.status_code == (202 if role in SEE_THE_COMMITTEE else 404)

    @pytest.mark.parametrize("role", ROLES)
    def test_the_annual_report_and_the_charter_for_their_roles(self, role, users, ask):
        annual = ask(users[role], kind="annual_report", year=YEAR)
        charter = ask(users[role], kind="charter", year=YEAR)
        assert annual.status_code == (202 if role in ANNUAL_REPORT_ROLES else 403)
        assert charter.status_code == (202 if role in CHARTER_EDITORS else 403)
        if role not in ANNUAL_REPORT_ROLES:
            assert set(annual.json()) == {"message", "errors"}

    def test_subjects_of_another_collectivite_answer_404(self, users, other_collectivite, ask):
        elsewhere = UseCaseFactory(collectivite=other_collectivite)
        assert ask(users["dpo"], kind="use_case_report", use_case=elsewhere.pk).status_code == 404
        assert ask(users["dpo"], kind="use_case_report", use_case=999_999).status_code == 404

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"kind": "poem", "year": YEAR}, "kind"),
            ({"kind": "use_case_report"}, "use_case"),
            ({"kind": "committee_minutes"}, "session"),
            ({"kind": "annual_report"}, "year"),
            ({"kind": "annual_report", "year": 1999}, "year"),
            ({"kind": "annual_report", "year": YEAR + 5}, "year"),
            ({"kind": "use_case_report", "use_case": "one"}, "use_case"),
        ],
    )
    def test_an_incomplete_request_answers_400_naming_the_field(self, data, field, users, ask):
        response = ask(users["dpo"], **data)
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert not Document.objects.exists()

    def test_a_final_charter_asked_again_answers_409(self, users, ask):
        pdf_builder_stub.state["freeze"] = True
        first = ask(users["dgs"], kind="charter", year=YEAR).json()
        assert Document.objects.get(pk=first["id"]).frozen

        response = ask(users["dgs"], kind="charter", year=YEAR)

        assert response.status_code == 409
        assert response.json()["message"]

    def test_anonymous_callers_answer_401(self, anonymous):
        assert anonymous.post(URL, {"kind": "annual_report", "year": YEAR}, format="json").status_code == 401
        assert anonymous.get(URL).status_code == 401


class TestReading:
    @pytest.fixture
    def made(self, users, use_case, session, ask):
        """One document of each kind, asked for by an administrator, the charter published (final)."""
        ids = {
            "use_case_report": ask(users["admin"], kind="use_case_report", use_case=use_case.pk).json()["id"],
            "committee_minutes": ask(users["admin"], kind="committee_minutes", session=session.pk).json()["id"],
            "annual_report": ask(users["admin"], kind="annual_report", year=YEAR).json()["id"],
        }
        pdf_builder_stub.state["freeze"] = True
        ids["charter"] = ask(users["admin"], kind="charter", year=YEAR).json()["id"]
        return ids

    @pytest.mark.parametrize("role", ROLES)
    def test_each_role_lists_reads_and_downloads_what_it_may_see(self, role, users, made, api_for):
        expected = {"charter"}
        expected |= {"use_case_report"} if role in SEE_THE_USE_CASE else set()
        expected |= {"committee_minutes"} if role in SEE_THE_COMMITTEE else set()
        expected |= {"annual_report"} if role in ANNUAL_REPORT_ROLES else set()
        client = api_for(users[role])

        listed = client.get(URL).json()
        assert listed["count"] == len(expected)
        assert {row["kind"] for row in listed["results"]} == expected
        # Newest first
        assert [row["id"] for row in listed["results"]] == sorted((made[kind] for kind in expected), reverse=True)
        for kind, pk in made.items():
            status = 200 if kind in expected else 404
            assert client.get(f"{URL}{pk}/").status_code == status, kind
            assert client.get(f"{URL}{pk}/download/").status_code == status, kind

    def test_the_list_filters_by_kind_and_status(self, users, made, api_for, ask):
        client = api_for(users["dpo"])
        ask(users["dpo"], run=False, kind="annual_report", year=YEAR - 1)

        assert [row["id"] for row in client.get(URL, {"kind": "charter"}).json()["results"]] == [made["charter"]]
        pending = client.get(URL, {"status": "pending"}).json()["results"]
        assert [(row["kind"], row["year"]) for row in pending] == [("annual_report", YEAR - 1)]
        assert client.get(URL, {"status": "ready"}).json()["count"] == 4
        refused = client.get(URL, {"kind": "poem"})
        assert refused.status_code == 400 and "kind" in refused.json()["errors"]

    def test_someone_of_another_collectivite_sees_nothing(self, made, outsider, api_for):
        client = api_for(outsider)
        assert client.get(URL).json()["count"] == 0
        for pk in made.values():
            assert client.get(f"{URL}{pk}/").status_code == 404
            assert client.get(f"{URL}{pk}/download/").status_code == 404

    def test_the_list_costs_a_fixed_number_of_queries(
        self, users, services, collectivite, api_for, ask, django_assert_max_num_queries
    ):
        client = api_for(users["dpo"])
        ask(users["dpo"], kind="annual_report", year=YEAR)
        with django_assert_max_num_queries(10) as one:
            client.get(URL)
        queries = len(one.captured_queries)  # read now: the next request clears the query log
        for case in UseCaseFactory.create_batch(6, collectivite=collectivite, service=services["ccas"]):
            ask(users["dpo"], kind="use_case_report", use_case=case.pk)
        with django_assert_max_num_queries(queries):
            assert client.get(URL).json()["count"] == 7

    def test_documents_cannot_be_changed_nor_deleted(self, users, made, api_for):
        client = api_for(users["admin"])
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(f"{URL}{made['annual_report']}/").status_code == 405


class TestDownloadStates:
    def test_a_failed_document_without_file_answers_409(self, users, ask, api_for, monkeypatch):
        monkeypatch.setattr(documents, "build_spec", lambda document: 1 / 0)
        body = ask(users["dpo"], kind="annual_report", year=YEAR).json()
        client = api_for(users["dpo"])
        assert client.get(f"{URL}{body['id']}/").json()["status"] == "failed"
        response = client.get(f"{URL}{body['id']}/download/", HTTP_ACCEPT="application/pdf")
        assert response.status_code == 409 and response["Content-Type"] == "application/json"

    def test_while_regenerated_the_previous_file_is_served(self, users, ask, api_for):
        client = api_for(users["dpo"])
        first = client.get(f"{URL}{ask(users['dpo'], kind='annual_report', year=YEAR).json()['id']}/").json()
        assert first["status"] == "ready"
        again = ask(users["dpo"], run=False, kind="annual_report", year=YEAR).json()
        assert again["status"] == "pending" and again["sha256"] == first["sha256"]
        response = client.get(f"{URL}{first['id']}/download/")
        assert hashlib.sha256(download(response)).hexdigest() == first["sha256"]

    def test_a_ready_document_whose_file_is_lost_answers_404(self, users, ask, api_for):
        body = ask(users["dpo"], kind="annual_report", year=YEAR).json()
        Document.objects.get(pk=body["id"]).file.delete(save=False)
        assert api_for(users["dpo"]).get(f"{URL}{body['id']}/download/").status_code == 404
