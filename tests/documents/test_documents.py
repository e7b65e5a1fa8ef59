"""The generation of documents as it must hold in production: asked for, generated in the background with its
fingerprint, asked again while pending without effect, regenerated atomically (a reader never sees a half-written
file, a failed regeneration keeps the previous file served), retried then reported as failed, frozen once final,
and asked for only by those allowed. The builders are replaced by a stub (tests/audits/pdf_builder_stub.py): what
each real document contains is tested with its builder."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from core.access import get_access
from core.errors import ConflictError, ForbiddenError
from documents import permissions as document_permissions
from documents import selectors as document_selectors
from documents import services as documents
from documents.models import Document
from documents.pdf import render_pdf as real_render_pdf
from documents.services import document_request
from registry.models import CommitteeSession
from tests.documents import pdf_builder_stub
from tests.registry.factories import UseCaseFactory

Kind = Document.Kind
Status = Document.Status
YEAR = 2026


@pytest.fixture(autouse=True)
def _stub_builders(monkeypatch, settings, tmp_path):
    pdf_builder_stub.use_stub_builders(monkeypatch, settings, tmp_path)


@pytest.fixture
def session(collectivite, users):
    return CommitteeSession.objects.create(collectivite=collectivite, held_on=timezone.now(), place="Salle du conseil")


def ask(collectivite, user, kind, **subject) -> Document:
    return document_request(collectivite=collectivite, acting_user=user, kind=kind, **subject)


def generated(django_capture_on_commit_callbacks, collectivite, user, kind, **subject) -> Document:
    """Ask for a document and run what the request queued (the task, eagerly), as the worker would."""
    with django_capture_on_commit_callbacks(execute=True):
        document = ask(collectivite, user, kind, **subject)
    document.refresh_from_db()
    return document


def content_of(document: Document) -> bytes:
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


class TestGeneration:
    def test_a_requested_document_is_generated_with_its_fingerprint_and_pages(
        self, collectivite, users, django_capture_on_commit_callbacks
    ):
        # Given the DPO asking for the annual audit report
        with django_capture_on_commit_callbacks(execute=False) as queued:
            document = ask(collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)

        # Then it waits, and one generation is queued once the request commits
        assert document.status == Status.PENDING and not document.file
        assert document.requested_by == users["dpo"] and document.requested_at is not None
        assert len(queued) == 1

        # When the queued task runs
        queued[0]()
        document.refresh_from_db()

        # Then the document is ready: its file, SHA-256 fingerprint, page count and size describe the PDF
        content = content_of(document)
        assert document.status == Status.READY
        assert content.startswith(b"%PDF-")
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        assert document.size == len(content)
        reader = PdfReader(io.BytesIO(content))
        assert document.pages == len(reader.pages) >= 1
        assert f"{pdf_builder_stub.TITLE} annual_report" in reader.pages[0].extract_text()
        assert document.generated_at is not None and document.attempts == 1 and document.error == ""
        assert document.filename == f"rapport-annuel-IA-{YEAR}.pdf"

    def test_asking_again_while_it_is_pending_changes_nothing(
        self, collectivite, users, django_capture_on_commit_callbacks
    ):
        # Given a use-case report asked for by the DPO, not generated yet
        use_case = UseCaseFactory(collectivite=collectivite)
        with django_capture_on_commit_callbacks(execute=False):
            first = ask(collectivite, users["dpo"], Kind.USE_CASE_REPORT, use_case=use_case)

        # When the RSSI asks for it too, before the worker took it
        with django_capture_on_commit_callbacks(execute=False) as queued:
            again = ask(collectivite, users["rssi"], Kind.USE_CASE_REPORT, use_case=use_case)

        # Then it is the same document, still asked by the DPO, and no second generation is queued
        again.refresh_from_db()
        assert again.pk == first.pk and Document.objects.count() == 1
        assert again.status == Status.PENDING
        assert again.requested_by == users["dpo"] and again.requested_at == first.requested_at
        assert queued == []

    def test_asking_again_while_it_runs_changes_nothing(self, collectivite, users, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            first = ask(collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)
        Document.objects.filter(pk=first.pk).update(status=Status.RUNNING)

        with django_capture_on_commit_callbacks(execute=False) as queued:
            again = ask(collectivite, users["dgs"], Kind.ANNUAL_REPORT, year=YEAR)

        assert again.pk == first.pk and again.status == Status.RUNNING and queued == []

    def test_the_task_run_twice_generates_once(self, collectivite, users, django_capture_on_commit_callbacks):
        """A redelivered task (a worker lost after its work, acks_late) finds the document ready and does nothing."""
        from documents.tasks import generate_document

        document = generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=1)
        builds = pdf_builder_stub.state["builds"]

        assert generate_document.delay(document.pk).get() == Status.READY

        fresh = Document.objects.get(pk=document.pk)
        assert pdf_builder_stub.state["builds"] == builds
        assert (fresh.file.name, fresh.sha256) == (document.file.name, document.sha256)

    def test_each_subject_has_its_own_document(self, collectivite, users, session, django_capture_on_commit_callbacks):
        one, other = UseCaseFactory.create_batch(2, collectivite=collectivite)
        made = [
            ask(collectivite, users["dpo"], Kind.USE_CASE_REPORT, use_case=one),
            ask(collectivite, users["dpo"], Kind.USE_CASE_REPORT, use_case=other),
            ask(collectivite, users["dpo"], Kind.COMMITTEE_MINUTES, session=session),
            ask(collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR),
            ask(collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR - 1),
            ask(collectivite, users["dpo"], Kind.CHARTER, year=YEAR),
        ]
        assert len({document.pk for document in made}) == 6


class TestRegeneration:
    def test_regenerating_switches_to_a_new_file_and_deletes_the_old_one_after_commit(
        self, collectivite, users, django_capture_on_commit_callbacks
    ):
        # Given a ready annual report
        first = generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)
        old_name, old_sha = first.file.name, first.sha256
        assert default_storage.exists(old_name)

        # When it is asked for again: it waits, its previous file still served
        with django_capture_on_commit_callbacks(execute=False) as queued:
            pending = ask(collectivite, users["dgs"], Kind.ANNUAL_REPORT, year=YEAR)
        pending.refresh_from_db()
        assert pending.status == Status.PENDING
        assert (pending.file.name, pending.sha256) == (old_name, old_sha)
        assert hashlib.sha256(content_of(pending)).hexdigest() == old_sha

        # And when the generation runs
        with django_capture_on_commit_callbacks(execute=True):
            queued[0]()
        document = Document.objects.get(pk=first.pk)

        # Then the row points to a new file whose fingerprint it carries, and the old file is gone
        assert document.status == Status.READY and document.requested_by == users["dgs"]
        assert document.file.name != old_name and document.sha256 != old_sha
        assert hashlib.sha256(content_of(document)).hexdigest() == document.sha256
        assert not default_storage.exists(old_name)
        assert _pdf_files() == [document.file.name]

    def test_a_reader_of_the_old_row_never_sees_a_half_written_file(
        self, collectivite, users, django_capture_on_commit_callbacks, monkeypatch
    ):
        # Given a ready report being regenerated
        first = generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)
        seen = []
        storage_class = type(Document.file.field.storage._wrapped)
        original_save = storage_class.save

        def save_then_read(storage, name, content, *args, **kwargs):
            # The new file is on disk, the row not switched yet: a download now reads the row as it stands.
            saved = original_save(storage, name, content, *args, **kwargs)
            row = Document.objects.get(pk=first.pk)
            seen.append((row.file.name, row.sha256, hashlib.sha256(content_of(row)).hexdigest()))
            return saved

        monkeypatch.setattr(storage_class, "save", save_then_read)

        # When it is generated again
        generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)

        # Then, at that moment, the row still named the previous file, whole, with its own fingerprint
        assert seen == [(first.file.name, first.sha256, first.sha256)]

    def test_a_download_that_read_the_row_before_the_switch_gets_the_new_file_whole(
        self, collectivite, users, django_capture_on_commit_callbacks
    ):
        from documents.views import open_document_file

        # Given a download that read the row, then a regeneration switched it and deleted the old file
        first = generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)
        stale = Document.objects.get(pk=first.pk)
        generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)
        assert not default_storage.exists(stale.file.name)

        # When it opens the file
        with open_document_file(stale) as handle:
            content = handle.read()

        # Then it reads the row again and serves the new file, whole, with the fingerprint it now carries
        assert stale.sha256 != first.sha256
        assert hashlib.sha256(content).hexdigest() == stale.sha256

    def test_a_failed_regeneration_keeps_the_previous_file_served_and_says_it_failed(
        self, collectivite, users, django_capture_on_commit_callbacks, monkeypatch
    ):
        # Given a ready report
        first = generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)
        content = content_of(first)

        # When the renderer breaks down for the next generation (all its retries)
        calls = []

        def broken(*args, **kwargs):
            calls.append(1)
            raise OSError("WeasyPrint ran out of memory")

        monkeypatch.setattr(documents, "render_pdf", broken)
        document = generated(
            django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR
        )

        # Then it was tried four times (three retries), the document says it failed, and its previous file and
        # fingerprint stay as they were, served whole
        assert len(calls) == 4 and document.attempts == 4
        assert document.status == Status.FAILED
        assert document.error == _(
            "The document could not be generated. The administrators were told; try again later."
        )
        assert (document.file.name, document.sha256) == (first.file.name, first.sha256)
        assert content_of(document) == content
        assert _pdf_files() == [first.file.name]

        # And once the renderer is back, asking again generates it
        monkeypatch.setattr(documents, "render_pdf", real_render_pdf)
        document = generated(
            django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR
        )
        assert document.status == Status.READY and document.error == "" and document.sha256 != first.sha256


class TestFailure:
    def test_the_task_retries_then_marks_the_document_failed(
        self, collectivite, users, django_capture_on_commit_callbacks, monkeypatch
    ):
        attempts = []

        def broken(document):
            attempts.append(document.pk)
            raise RuntimeError("builder broken")

        monkeypatch.setattr(documents, "build_spec", broken)

        document = generated(
            django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR
        )

        assert len(attempts) == 4  # the first try and three retries
        assert document.status == Status.FAILED and document.attempts == 4
        assert document.error == _(
            "The document could not be generated. The administrators were told; try again later."
        )
        assert not document.file and document.sha256 == "" and _pdf_files() == []

    def test_a_transient_failure_is_retried_and_the_document_ends_ready(
        self, collectivite, users, django_capture_on_commit_callbacks, monkeypatch
    ):
        failures = iter([ConnectionError("database went away")])

        def flaky(document):
            for failure in failures:
                raise failure
            return pdf_builder_stub.build(document)

        monkeypatch.setattr(documents, "build_spec", flaky)

        document = generated(
            django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR
        )

        assert document.status == Status.READY and document.attempts == 2 and document.error == ""

    def test_a_failed_document_may_be_asked_for_again(
        self, collectivite, users, django_capture_on_commit_callbacks, monkeypatch
    ):
        working = documents.build_spec
        monkeypatch.setattr(documents, "build_spec", lambda document: 1 / 0)
        failed = generated(django_capture_on_commit_callbacks, collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=1)
        assert failed.status == Status.FAILED

        monkeypatch.setattr(documents, "build_spec", working)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            again = ask(collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=1)
        again.refresh_from_db()
        assert again.status == Status.PENDING and again.error == "" and again.attempts == 0 and len(queued) == 1


class TestFrozen:
    def test_a_final_document_is_never_generated_again(self, collectivite, users, django_capture_on_commit_callbacks):
        # Given a published charter: its builder says the document is final
        pdf_builder_stub.state["freeze"] = True
        charter = generated(django_capture_on_commit_callbacks, collectivite, users["dgs"], Kind.CHARTER, year=YEAR)
        assert charter.status == Status.READY and charter.frozen
        builds = pdf_builder_stub.state["builds"]

        # When someone asks for it again, even after the register changed
        UseCaseFactory(collectivite=collectivite)
        with pytest.raises(ConflictError) as refused, django_capture_on_commit_callbacks(execute=True) as queued:
            ask(collectivite, users["dgs"], Kind.CHARTER, year=YEAR)

        # Then it is refused (409), nothing is queued nor built, and its file and fingerprint stand
        assert refused.value.status_code == 409
        assert queued == [] and pdf_builder_stub.state["builds"] == builds
        fresh = Document.objects.get(pk=charter.pk)
        assert (fresh.file.name, fresh.sha256, fresh.status) == (charter.file.name, charter.sha256, Status.READY)
        assert hashlib.sha256(content_of(fresh)).hexdigest() == charter.sha256

    def test_a_stale_task_does_not_regenerate_a_final_document(
        self, collectivite, users, django_capture_on_commit_callbacks
    ):
        from documents.tasks import generate_document

        pdf_builder_stub.state["freeze"] = True
        charter = generated(django_capture_on_commit_callbacks, collectivite, users["dgs"], Kind.CHARTER, year=YEAR)
        Document.objects.filter(pk=charter.pk).update(status=Status.PENDING)  # as if a task were left in the queue

        generate_document.delay(charter.pk)

        fresh = Document.objects.get(pk=charter.pk)
        assert (fresh.file.name, fresh.sha256) == (charter.file.name, charter.sha256)


# Who may ask for which document (documents.permissions.can_request_document): a use-case report whoever sees the
# use case (here a CCAS draft owned by "porteur": not the demo agent, nor the committee member), the minutes
# whoever sees the committee, the annual report the DPO, RSSI, DGS and administrators, the charter its editors.
MAY_REQUEST = {
    Kind.USE_CASE_REPORT: {"chef", "dpo", "rssi", "dgs", "admin"},
    Kind.COMMITTEE_MINUTES: {"dpo", "rssi", "dgs", "admin", "comite"},
    Kind.ANNUAL_REPORT: {"dpo", "rssi", "dgs", "admin"},
    Kind.CHARTER: {"dpo", "dgs", "admin"},
}
ROLES = ("agent", "chef", "dpo", "rssi", "comite", "dgs", "admin")


class TestPermissions:
    @pytest.mark.parametrize("kind", list(MAY_REQUEST))
    @pytest.mark.parametrize("role", ROLES)
    def test_who_may_ask_for_each_kind(self, role, kind, collectivite, users, use_case, committee, session):
        subject = _subject(kind, use_case, session)
        if role in MAY_REQUEST[kind]:
            assert ask(collectivite, users[role], kind, **subject).status == Status.PENDING
        else:
            with pytest.raises(ForbiddenError):
                ask(collectivite, users[role], kind, **subject)
            assert not Document.objects.exists()

    def test_someone_of_another_collectivite_may_ask_for_nothing_here(self, collectivite, outsider, use_case, session):
        for kind in MAY_REQUEST:
            with pytest.raises(ForbiddenError):
                ask(collectivite, outsider, kind, **_subject(kind, use_case, session))

    def test_a_subject_of_another_collectivite_is_refused(self, collectivite, other_collectivite, users):
        elsewhere = UseCaseFactory(collectivite=other_collectivite)
        with pytest.raises(ForbiddenError):
            ask(collectivite, users["dpo"], Kind.USE_CASE_REPORT, use_case=elsewhere)

    @pytest.mark.parametrize("role", ROLES)
    def test_the_documents_one_sees_are_those_one_may_read(
        self, role, collectivite, users, use_case, committee, session, django_capture_on_commit_callbacks
    ):
        # Given one document of each kind, the charter published (final), and a draft charter of the next year
        made = [
            generated(
                django_capture_on_commit_callbacks,
                collectivite,
                users["admin"],
                kind,
                **_subject(kind, use_case, session),
            )
            for kind in MAY_REQUEST
        ]
        pdf_builder_stub.state["freeze"] = True
        generated(django_capture_on_commit_callbacks, collectivite, users["admin"], Kind.CHARTER, year=YEAR - 1)
        pdf_builder_stub.state["freeze"] = False
        user = users[role]
        access = get_access(user, collectivite)

        # Then the list holds exactly what the permission lets read: the published charter for everyone
        readable = {d.pk for d in Document.objects.all() if document_permissions.can_view_document(user, access, d)}
        listed = set(document_selectors.documents_visible_to(user, access).values_list("pk", flat=True))
        assert listed == readable
        kinds = {d.kind for d in made if d.pk in listed}
        assert kinds == {kind for kind, roles in MAY_REQUEST.items() if role in roles}
        assert Document.objects.get(kind=Kind.CHARTER, year=YEAR - 1).pk in listed

    def test_someone_of_another_collectivite_sees_none_of_its_documents(
        self, collectivite, users, outsider, other_collectivite, django_capture_on_commit_callbacks
    ):
        pdf_builder_stub.state["freeze"] = True
        generated(django_capture_on_commit_callbacks, collectivite, users["dgs"], Kind.CHARTER, year=YEAR)
        access = get_access(outsider, other_collectivite)
        assert not document_selectors.documents_visible_to(outsider, access).exists()
        assert not document_permissions.can_view_document(outsider, access, Document.objects.get())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_generates_the_document(collectivite, users, celery_worker_or_eager):
    """Through the real broker and worker in CI (Redis), eagerly in the embedded default."""
    # Given the DPO asking for the annual report
    document = ask(collectivite, users["dpo"], Kind.ANNUAL_REPORT, year=YEAR)

    # Then the worker generates it: ready, with its fingerprint
    assert _wait_for(lambda: Document.objects.get(pk=document.pk).status == Status.READY)
    document.refresh_from_db()
    assert document.attempts == 1 and document.pages >= 1
    assert hashlib.sha256(content_of(document)).hexdigest() == document.sha256


# ----------------------------------------------------------------------------------------------------------


def _subject(kind, use_case, session) -> dict:
    if kind == Kind.USE_CASE_REPORT:
        return {"use_case": use_case}
    if kind == Kind.COMMITTEE_MINUTES:
        return {"session": session}
    return {"year": YEAR}


def _pdf_files() -> list[str]:
    """The PDF files stored under the media root, by storage name."""
    from pathlib import Path

    root = Path(default_storage.location)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.pdf"))


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()
