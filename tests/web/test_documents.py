"""The documents' web pages: asking for a document from its subject's page, following it while it is generated (the
page refreshes itself), downloading it, the list of the documents one may read; with the refusals for each role
(404 out of sight, 403 for a kind of document one may not have) and a fixed query count."""

from __future__ import annotations

import hashlib
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services as documents
from documents.models import Document
from registry.models import CommitteeSession
from tests.documents import pdf_builder_stub
from tests.registry.factories import UseCaseFactory

from .helpers import fr

pytestmark = pytest.mark.django_db

Kind = Document.Kind
Status = Document.Status
YEAR = timezone.localdate().year
ROLES = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin")
# Who sees the `use_case` fixture (a CCAS draft owned by another CCAS agent).
SEE_THE_USE_CASE = {"chef", "dpo", "rssi", "dgs", "admin"}
SEE_THE_COMMITTEE = {"dpo", "rssi", "dgs", "admin", "comite"}
ANNUAL_REPORT_ROLES = {"dpo", "rssi", "dgs", "admin"}


@pytest.fixture(autouse=True)
def _stub_builders(monkeypatch, settings, tmp_path):
    pdf_builder_stub.use_stub_builders(monkeypatch, settings, tmp_path)


@pytest.fixture
def session(collectivite, committee):
    return CommitteeSession.objects.create(collectivite=collectivite, held_on=timezone.now(), place="Salle du conseil")


@pytest.fixture
def post_request(client_for, django_capture_on_commit_callbacks):
    """POST to `audits:document_request` as `user`, running the queued generation (as the worker would)."""

    def post(user, client=None, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or client_for(user)).post(reverse("audits:document_request"), data)

    return post


def make(collectivite, user, kind, django_capture_on_commit_callbacks, *, run=True, **subject) -> Document:
    with django_capture_on_commit_callbacks(execute=run):
        document = documents.document_request(collectivite=collectivite, acting_user=user, kind=kind, **subject)
    document.refresh_from_db()
    return document


def text(response) -> str:
    return unescape(response.content.decode())


def file_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


class TestAskingFromTheSubjectsPage:
    def test_the_use_case_page_offers_its_report_and_asking_leads_to_the_ready_document(
        self, users, use_case, client_for, post_request
    ):
        # Given the DPO on a use case's page: its report is not generated yet
        page = text(client_for(users["dpo"]).get(reverse("registry:use_case_detail", args=[use_case.pk])))
        assert 'data-document-widget="use_case_report"' in page
        assert fr("Not generated yet.") in page and fr("Generate the PDF") in page

        # When they ask for it
        client = client_for(users["dpo"])
        response = post_request(users["dpo"], client, kind="use_case_report", use_case=use_case.pk)

        # Then they land on the document's page: ready, with its pages, size and fingerprint, and the download
        document = Document.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("audits:document_detail", args=[document.pk])
        page = text(client.get(response.url))
        # (generated here once the request has answered, as by a worker)
        assert (
            fr("The document is being generated. This page shows when it is ready; you may also come back later.")
            in page
        )
        assert 'data-document-status="ready"' in page and str(Status.READY.label) in page
        assert document.sha256 in page and document.sha256 == hashlib.sha256(document.file.read()).hexdigest()
        assert reverse("audits:document_download", args=[document.pk]) in page
        assert 'http-equiv="refresh"' not in page and "data-document-poll" not in page
        assert use_case.reference in page
        # And the use case's page now shows it ready, with the download link and a button to generate it again
        page = text(client_for(users["dpo"]).get(reverse("registry:use_case_detail", args=[use_case.pk])))
        assert 'data-document-status="ready"' in page and fr("Generate again") in page
        assert reverse("audits:document_download", args=[document.pk]) in page

    @pytest.mark.parametrize("role", sorted(SEE_THE_USE_CASE))
    def test_whoever_sees_the_use_case_may_ask_for_its_report(self, role, users, use_case, post_request):
        response = post_request(users[role], kind="use_case_report", use_case=use_case.pk)
        assert response.status_code == 302
        assert Document.objects.get().status == Status.READY

    @pytest.mark.parametrize("role", sorted(set(ROLES) - SEE_THE_USE_CASE))
    def test_a_use_case_out_of_sight_answers_404(self, role, users, use_case, post_request):
        response = post_request(users[role], kind="use_case_report", use_case=use_case.pk)
        assert response.status_code == 404
        assert not Document.objects.exists()

    def test_a_use_case_of_another_collectivite_answers_404(self, users, other_collectivite, post_request):
        elsewhere = UseCaseFactory(collectivite=other_collectivite)
        assert post_request(users["dpo"], kind="use_case_report", use_case=elsewhere.pk).status_code == 404

    def test_the_session_page_offers_its_minutes(self, users, session, client_for, post_request):
        url = reverse("registry:committee_session", args=[session.pk])
        page = text(client_for(users["comite"]).get(url))
        assert 'data-document-widget="committee_minutes"' in page and fr("Minutes") in page

        response = post_request(users["comite"], kind="committee_minutes", session=session.pk)

        document = Document.objects.get()
        assert response.url == reverse("audits:document_detail", args=[document.pk])
        assert document.session == session and document.status == Status.READY
        page = text(client_for(users["comite"]).get(url))
        assert reverse("audits:document_download", args=[document.pk]) in page

    @pytest.mark.parametrize("role", sorted(set(ROLES) - SEE_THE_COMMITTEE))
    def test_a_session_out_of_sight_answers_404(self, role, users, session, post_request):
        assert post_request(users[role], kind="committee_minutes", session=session.pk).status_code == 404

    @pytest.mark.parametrize("role", ROLES)
    def test_the_annual_report_is_for_the_dpo_rssi_dgs_and_administrators(self, role, users, client_for, post_request):
        response = post_request(users[role], kind="annual_report", year=YEAR)
        if role in ANNUAL_REPORT_ROLES:
            assert response.status_code == 302
            assert Document.objects.get().year == YEAR
        else:
            assert response.status_code == 403
            assert not Document.objects.exists()
        page = text(client_for(users[role]).get(reverse("audits:document_list")))
        assert (fr("Generate the annual audit report") in page) is (role in ANNUAL_REPORT_ROLES)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"kind": "poem", "year": YEAR}, "Unknown kind of document."),
            ({"kind": "use_case_report"}, "Say which use case."),
            ({"kind": "committee_minutes", "session": "x"}, "Say which session."),
        ],
    )
    def test_incomplete_requests_say_what_is_wrong(self, data, message, users, client_for):
        response = client_for(users["dpo"]).post(reverse("audits:document_request"), data, follow=True)
        assert response.redirect_chain[-1][0] == reverse("audits:document_list")
        assert fr(message) in text(response)
        assert not Document.objects.exists()

    @pytest.mark.parametrize("year", ["1999", str(YEAR + 5), "", "deux mille"])
    def test_a_year_out_of_range_is_refused(self, year, users, client_for):
        response = client_for(users["dpo"]).post(
            reverse("audits:document_request"), {"kind": "annual_report", "year": year}, follow=True
        )
        expected = fr("Choose a year between %(first)s and %(last)s.") % {"first": 2020, "last": YEAR + 1}
        assert expected in text(response)
        assert not Document.objects.exists()

    def test_asking_is_a_post(self, users, client_for):
        assert client_for(users["dpo"]).get(reverse("audits:document_request")).status_code == 405

    def test_anonymous_people_are_sent_to_the_login_page(self, client):
        response = client.post(reverse("audits:document_request"), {"kind": "annual_report", "year": YEAR})
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


class TestFollowingAndDownloading:
    def test_while_it_is_generated_the_page_refreshes_itself(
        self, collectivite, users, client_for, django_capture_on_commit_callbacks
    ):
        # Given an annual report waiting for the worker
        document = make(
            collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, run=False, year=YEAR
        )
        client = client_for(users["dpo"])

        # Then its page says so, polls the status endpoint, and reloads itself without JavaScript
        page = text(client.get(reverse("audits:document_detail", args=[document.pk])))
        assert str(Status.PENDING.label) in page
        assert f'data-document-poll="{reverse("audits:document_status", args=[document.pk])}"' in page
        assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
        assert "audits/js/document_status.js" in page
        assert 'role="status"' in page and 'aria-live="polite"' in page
        assert "data-document-download" not in page and "data-document-generate" not in page

        # And the status endpoint answers in JSON, not cached
        response = client.get(reverse("audits:document_status", args=[document.pk]))
        assert response["Cache-Control"] == "private, no-store"
        assert response.json() == {
            "id": document.pk,
            "status": "pending",
            "status_label": str(Status.PENDING.label),
            "in_progress": True,
            "generated_at": None,
            "pages": None,
            "size": None,
            "sha256": None,
            "error": None,
            "download_url": None,
        }
        # The download has nothing to give yet
        assert client.get(reverse("audits:document_download", args=[document.pk])).status_code == 404

    def test_once_ready_the_status_gives_the_file(
        self, collectivite, users, client_for, django_capture_on_commit_callbacks
    ):
        document = make(collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, year=YEAR)
        state = client_for(users["dpo"]).get(reverse("audits:document_status", args=[document.pk])).json()
        assert state["status"] == "ready" and state["in_progress"] is False
        assert state["sha256"] == document.sha256 and state["pages"] == document.pages
        assert state["download_url"] == reverse("audits:document_download", args=[document.pk])

    def test_the_download_is_an_attachment_named_after_the_document(
        self, collectivite, users, client_for, django_capture_on_commit_callbacks
    ):
        document = make(collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, year=YEAR)

        response = client_for(users["dgs"]).get(reverse("audits:document_download", args=[document.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="rapport-annuel-IA-{YEAR}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        content = file_bytes(response)
        assert content.startswith(b"%PDF-") and hashlib.sha256(content).hexdigest() == document.sha256

    def test_the_file_is_never_served_from_the_media_url(
        self, collectivite, users, client_for, settings, django_capture_on_commit_callbacks
    ):
        document = make(collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, year=YEAR)
        url = f"/{settings.MEDIA_URL}{document.file.name}"
        assert client_for(users["dpo"]).get(url).status_code == 404

    def test_while_it_is_regenerated_the_previous_file_stays_downloadable(
        self, collectivite, users, client_for, django_capture_on_commit_callbacks
    ):
        first = make(collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, year=YEAR)
        again = make(
            collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, run=False, year=YEAR
        )
        client = client_for(users["dpo"])

        page = text(client.get(reverse("audits:document_detail", args=[again.pk])))
        assert str(Status.PENDING.label) in page
        assert fr("This is the previous version: the new one replaces it once it is ready.") in page
        response = client.get(reverse("audits:document_download", args=[again.pk]))
        assert hashlib.sha256(file_bytes(response)).hexdigest() == first.sha256

    def test_a_failed_document_says_so_and_may_be_asked_again(
        self, collectivite, users, client_for, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(documents, "build_spec", lambda document: 1 / 0)
        document = make(collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, year=YEAR)

        page = text(client_for(users["dpo"]).get(reverse("audits:document_detail", args=[document.pk])))

        assert str(Status.FAILED.label) in page
        assert fr("The document could not be generated. The administrators were told; try again later.") in page
        assert fr("Try again") in page and "http-equiv" not in page

    @pytest.mark.parametrize("role", ROLES)
    def test_a_document_out_of_sight_answers_404(
        self, role, collectivite, users, use_case, client_for, django_capture_on_commit_callbacks
    ):
        document = make(
            collectivite, users["dpo"], Kind.USE_CASE_REPORT, django_capture_on_commit_callbacks, use_case=use_case
        )
        client = client_for(users[role])
        expected = 200 if role in SEE_THE_USE_CASE else 404
        for name in ("document_detail", "document_status", "document_download"):
            assert client.get(reverse(f"audits:{name}", args=[document.pk])).status_code == expected, name

    def test_someone_of_another_collectivite_gets_404(
        self, collectivite, users, outsider, client_for, django_capture_on_commit_callbacks
    ):
        pdf_builder_stub.state["freeze"] = True  # even the published charter, read by every member here
        document = make(collectivite, users["dgs"], Kind.CHARTER, django_capture_on_commit_callbacks, year=YEAR)
        client = client_for(outsider)
        for name in ("document_detail", "document_status", "document_download"):
            assert client.get(reverse(f"audits:{name}", args=[document.pk])).status_code == 404, name


class TestFinalCharter:
    def test_a_published_charter_is_read_by_everyone_and_never_generated_again(
        self, collectivite, users, client_for, post_request, django_capture_on_commit_callbacks
    ):
        # Given the charter, published: its document is final
        pdf_builder_stub.state["freeze"] = True
        charter = make(collectivite, users["dgs"], Kind.CHARTER, django_capture_on_commit_callbacks, year=YEAR)
        assert charter.frozen

        # Then an agent reads and downloads it
        agent = client_for(users["agent"])
        page = text(agent.get(reverse("audits:document_detail", args=[charter.pk])))
        assert charter.sha256 in page and fr("Final") in page
        assert agent.get(reverse("audits:document_download", args=[charter.pk])).status_code == 200

        # And the DGS has no button to generate it again; asking anyway is refused, on the document's page
        dgs = client_for(users["dgs"])
        page = text(dgs.get(reverse("audits:document_detail", args=[charter.pk])))
        assert "data-document-generate" not in page
        response = post_request(users["dgs"], dgs, kind="charter", year=YEAR)
        assert response.url == reverse("audits:document_detail", args=[charter.pk])
        followed = text(dgs.get(response.url))
        assert fr("This document is final (a published edition): it is never generated again.") in followed
        fresh = Document.objects.get(pk=charter.pk)
        assert (fresh.file.name, fresh.sha256) == (charter.file.name, charter.sha256)

    def test_a_draft_charter_is_for_its_editors(
        self, collectivite, users, client_for, django_capture_on_commit_callbacks
    ):
        charter = make(collectivite, users["dgs"], Kind.CHARTER, django_capture_on_commit_callbacks, year=YEAR)
        for role in ROLES:
            response = client_for(users[role]).get(reverse("audits:document_detail", args=[charter.pk]))
            assert response.status_code == (200 if role in {"dpo", "dgs", "admin"} else 404), role
        assert (
            client_for(users["agent"])
            .post(reverse("audits:document_request"), {"kind": "charter", "year": YEAR})
            .status_code
            == 403
        )


class TestList:
    @pytest.mark.parametrize("role", ROLES)
    def test_the_list_shows_the_documents_one_may_read_newest_first(
        self, role, collectivite, users, use_case, session, client_for, django_capture_on_commit_callbacks
    ):
        # Given one document of each kind, asked in this order, the charter published
        made = {
            "use_case_report": make(
                collectivite,
                users["admin"],
                Kind.USE_CASE_REPORT,
                django_capture_on_commit_callbacks,
                use_case=use_case,
            ),
            "committee_minutes": make(
                collectivite,
                users["admin"],
                Kind.COMMITTEE_MINUTES,
                django_capture_on_commit_callbacks,
                session=session,
            ),
            "annual_report": make(
                collectivite, users["admin"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, year=YEAR
            ),
        }
        pdf_builder_stub.state["freeze"] = True
        made["charter"] = make(
            collectivite, users["admin"], Kind.CHARTER, django_capture_on_commit_callbacks, year=YEAR
        )

        page = text(client_for(users[role]).get(reverse("audits:document_list")))

        expected = {"charter"}
        expected |= {"use_case_report"} if role in SEE_THE_USE_CASE else set()
        expected |= {"committee_minutes"} if role in SEE_THE_COMMITTEE else set()
        expected |= {"annual_report"} if role in ANNUAL_REPORT_ROLES else set()
        rows = [kind for kind, document in made.items() if f'data-document-row="{document.pk}"' in page]
        assert set(rows) == expected
        positions = sorted((page.index(f'data-document-row="{made[kind].pk}"'), kind) for kind in expected)
        assert [kind for _position, kind in positions] == [k for k in reversed(made) if k in expected]

    def test_the_list_costs_the_same_for_one_or_many_documents(
        self,
        collectivite,
        users,
        services,
        client_for,
        django_assert_max_num_queries,
        django_capture_on_commit_callbacks,
    ):
        client = client_for(users["dpo"])
        case = UseCaseFactory(collectivite=collectivite, service=services["ccas"])
        make(collectivite, users["dpo"], Kind.USE_CASE_REPORT, django_capture_on_commit_callbacks, use_case=case)
        with django_assert_max_num_queries(QUERIES_LIST) as one:
            assert client.get(reverse("audits:document_list")).status_code == 200

        for case in UseCaseFactory.create_batch(8, collectivite=collectivite, service=services["ccas"]):
            make(collectivite, users["chef"], Kind.USE_CASE_REPORT, django_capture_on_commit_callbacks, use_case=case)
        make(collectivite, users["dpo"], Kind.ANNUAL_REPORT, django_capture_on_commit_callbacks, year=YEAR)

        with django_assert_max_num_queries(len(one.captured_queries)):
            response = client.get(reverse("audits:document_list"))
        assert text(response).count("data-document-row=") == 10

    def test_the_top_bar_leads_to_the_documents(self, users, client_for):
        for role in ROLES:
            page = text(client_for(users[role]).get(reverse("audits:my_checkpoints")))
            assert f'href="{reverse("audits:document_list")}"' in page, role

    def test_the_list_is_for_members(self, client_for, db):
        from tests.registry.factories import UserFactory

        response = client_for(UserFactory(username="sans-role")).get(reverse("audits:document_list"))
        assert response.status_code == 403


# session, user, the current collectivité, membership (access), the count of the documents, the user's
# collectivités (top bar), the "My tasks" count (menu), the page of documents with their subjects and requesters.
QUERIES_LIST = 8
