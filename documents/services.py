"""Generated documents: who may ask for which, and their generation (a Celery task, retried, then reported).

A document row exists once per subject (`subject_key`): asking again regenerates it, and the new file replaces the
old one atomically (a new file name, the row switched to it in one transaction, the old file deleted after commit),
so a download never sees a half-written file. A frozen document (a published charter) is never generated again.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError
from core.tasks import runs_eagerly
from documents import permissions
from documents.models import Document
from documents.pdf import PdfSpec, render_pdf
from registry import outbox
from registry.models import Collectivite, CommitteeSession, UseCase, User

logger = logging.getLogger(__name__)

# Each kind's builder: a module with `build(document) -> PdfSpec`.
BUILDERS = {
    Document.Kind.CHARTER: "charter.pdf",
    Document.Kind.USE_CASE_REPORT: "reporting.reports.use_case",
    Document.Kind.ANNUAL_REPORT: "reporting.reports.annual",
    Document.Kind.COMMITTEE_MINUTES: "reporting.reports.minutes",
}


def subject_key(kind: str, *, use_case=None, session=None, year=None) -> str:
    if kind == Document.Kind.USE_CASE_REPORT:
        if use_case is None:
            raise ApplicationError(_("Say which use case."), errors={"use_case": [_("This field is required.")]})
        return f"use_case:{use_case.pk}"
    if kind == Document.Kind.COMMITTEE_MINUTES:
        if session is None:
            raise ApplicationError(_("Say which session."), errors={"session": [_("This field is required.")]})
        return f"session:{session.pk}"
    if kind in (Document.Kind.ANNUAL_REPORT, Document.Kind.CHARTER):
        if not year:
            raise ApplicationError(_("Say which year."), errors={"year": [_("This field is required.")]})
        return f"year:{int(year)}"
    raise ApplicationError(_("Unknown kind of document."), errors={"kind": [_("Unknown kind of document.")]})


def lease() -> datetime.timedelta:
    """How long a worker holds a document it generates (renewed before the rendering): once expired, it is gone."""
    return datetime.timedelta(seconds=getattr(settings, "DOCUMENT_LEASE_SECONDS", 600))


def _queue(document_id: int) -> None:
    """Hand the generation to a worker once the request commits (see `document_dispatch`)."""

    # A named function: Django logs a failing robust callback by its `__qualname__`.
    def queue_document_generation():
        document_dispatch(document_id=document_id)

    transaction.on_commit(queue_document_generation, robust=True)


def document_dispatch(*, document_id: int) -> bool:
    """Hand a document's generation to the broker. Never raises: a broker out of reach is logged, the document stays
    "pending" with nothing queued (`dispatched_at` empty), and the sweep, or the next person asking, queues it."""
    from documents.tasks import generate_document

    try:
        generate_document.delay(document_id)
    except Exception:
        logger.warning("The generation of document %s could not be queued; the sweep will.", document_id, exc_info=True)
        outbox.postpone(outbox.DOCUMENT)
        return False
    Document.objects.filter(pk=document_id, status=Document.Status.PENDING).update(dispatched_at=timezone.now())
    return True


def _stalled(document: Document, now: datetime.datetime) -> bool:
    """Waiting with nothing to make it: pending with nothing handed to a worker (or handed long ago, the message
    lost), or running under a worker whose lease expired (killed, lost)."""
    if document.status == Document.Status.PENDING:
        if document.dispatched_at is None:
            return (document.requested_at or now) <= now - outbox.grace()
        return document.dispatched_at <= now - outbox.redispatch_after()
    if document.status == Document.Status.RUNNING:
        expires = document.lease_expires_at or ((document.started_at or document.requested_at or now) + lease())
        return expires <= now
    return False


def _stalled_filter(now: datetime.datetime) -> Q:
    pending = Q(status=Document.Status.PENDING) & (
        Q(dispatched_at__isnull=True, requested_at__lte=now - outbox.grace())
        | Q(dispatched_at__isnull=True, requested_at__isnull=True)
        | Q(dispatched_at__lte=now - outbox.redispatch_after())
    )
    running = Q(status=Document.Status.RUNNING) & (
        Q(lease_expires_at__lte=now)
        | Q(lease_expires_at__isnull=True, started_at__lte=now - lease())
        | Q(lease_expires_at__isnull=True, started_at__isnull=True)
    )
    return pending | running


# Past this many runs, a document whose worker keeps vanishing (killed while rendering it) is reported as failed.
MAX_RUNS = 5


def documents_sweep(*, now: datetime.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Queue again the documents nothing is generating (`_stalled`): a pending one the broker never received, or a
    running one whose worker's lease expired (set back to pending first; after MAX_RUNS runs, failed). Idempotent;
    run every minute by celery beat, and by `manage.py dispatch_pending`."""
    now = now or timezone.now()
    queued = failed = reset = 0
    ids = list(Document.objects.filter(_stalled_filter(now), frozen=False).values_list("pk", flat=True)[:limit])
    for document_id in ids:
        with transaction.atomic():
            document = Document.objects.select_for_update().filter(pk=document_id).first()
            if document is None or document.frozen or not _stalled(document, now):
                continue
            if document.status == Document.Status.RUNNING:
                if document.attempts >= MAX_RUNS:
                    logger.error("Document %s: its worker vanished %s times; reported failed.", document_id, MAX_RUNS)
                    document.status = Document.Status.FAILED
                    document.error = str(FAILED_MESSAGE)
                    document.lease_expires_at = None
                    document.save(update_fields=["status", "error", "lease_expires_at"])
                    failed += 1
                    continue
                _set_pending(document)
                reset += 1
        if document_dispatch(document_id=document_id):
            queued += 1
        elif not runs_eagerly():
            break
    return {"queued": queued, "reset": reset, "failed": failed}


def _set_pending(document: Document) -> None:
    """Back to pending, nothing queued, no lease (inside the caller's transaction, the row locked)."""
    document.status = Document.Status.PENDING
    document.lease_expires_at = None
    document.dispatched_at = None
    document.save(update_fields=["status", "lease_expires_at", "dispatched_at"])


@transaction.atomic
def document_request(
    *,
    collectivite: Collectivite,
    acting_user: User,
    kind: str,
    use_case: UseCase | None = None,
    session: CommitteeSession | None = None,
    year: int | None = None,
) -> Document:
    """Ask for a document: it is generated in the background. Asking while it is being generated changes nothing."""
    access = get_access(acting_user, collectivite)
    key = subject_key(kind, use_case=use_case, session=session, year=year)
    for subject in (use_case, session):
        if subject is not None and subject.collectivite_id != collectivite.pk:
            raise ForbiddenError(_("This subject belongs to another collectivité."))
    if not permissions.can_request_document(acting_user, access, kind, use_case=use_case, session=session, year=year):
        raise ForbiddenError(_("You may not generate this document."))
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    document, _created = Document.objects.select_for_update().get_or_create(
        collectivite=collectivite,
        kind=kind,
        subject_key=key,
        defaults={"use_case": use_case, "session": session, "year": year},
    )
    if document.frozen:
        raise ConflictError(_("This document is final (a published edition): it is never generated again."))
    if document.status in (Document.Status.PENDING, Document.Status.RUNNING) and not _created:
        if _stalled(document, timezone.now()):
            # Nothing is generating it (the broker was out of reach, the worker was killed): queue it again.
            _set_pending(document)
            _queue(document.pk)
        return document
    document.status = Document.Status.PENDING
    document.requested_by = acting_user
    document.requested_at = timezone.now()
    document.error = ""
    document.attempts = 0
    document.lease_expires_at = None
    document.dispatched_at = None
    document.save(
        update_fields=[
            "status",
            "requested_by",
            "requested_at",
            "error",
            "attempts",
            "lease_expires_at",
            "dispatched_at",
        ]
    )
    _queue(document.pk)
    return document


def build_spec(document: Document) -> PdfSpec:
    """The document's content, built in the collectivité's language (a worker has no request to take it from)."""
    from django.utils import translation

    module = importlib.import_module(BUILDERS[document.kind])
    with translation.override(settings.LANGUAGE_CODE):
        return module.build(document)


def document_generate(*, document_id: int) -> Document | None:
    """Render the document and switch its row to the new file. Raises on failure (the task retries)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().select_related("collectivite").get(pk=document_id)
        if document.frozen or document.status == Document.Status.READY:
            return document
        now = timezone.now()
        if document.status == Document.Status.RUNNING and not _stalled(document, now):
            return document  # another worker holds it (a second delivery of the message): leave it
        document.status = Document.Status.RUNNING
        document.started_at = now
        document.attempts += 1
        document.lease_expires_at = now + lease()
        document.save(update_fields=["status", "started_at", "attempts", "lease_expires_at"])
    generated_at = timezone.now()
    spec = build_spec(document)
    # Renewed before the rendering, the longest step.
    _renew_lease(document)
    rendered = render_pdf(spec, collectivite=document.collectivite, generated_at=generated_at)
    digest = hashlib.sha256(rendered.content).hexdigest()
    # The new file gets a new name: the current one stays served until the row switches.
    new_name = document.file.storage.save(
        Document.file.field.generate_filename(document, "document.pdf"), ContentFile(rendered.content)
    )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document_id)
        if locked.frozen:
            document.file.storage.delete(new_name)
            return locked
        old_name = locked.file.name
        locked.file.name = new_name
        locked.sha256 = digest
        locked.size = len(rendered.content)
        locked.pages = rendered.pages
        locked.status = Document.Status.READY
        locked.generated_at = generated_at
        locked.error = ""
        locked.frozen = spec.freeze
        locked.lease_expires_at = None
        locked.save(
            update_fields=[
                "file",
                "sha256",
                "size",
                "pages",
                "status",
                "generated_at",
                "error",
                "frozen",
                "lease_expires_at",
            ]
        )
        if old_name and old_name != new_name:
            storage = locked.file.storage
            transaction.on_commit(lambda: storage.delete(old_name), robust=True)
    return locked


def _renew_lease(document: Document) -> None:
    Document.objects.filter(pk=document.pk, status=Document.Status.RUNNING).update(
        lease_expires_at=timezone.now() + lease()
    )


def document_release(*, document_id: int) -> None:
    """An attempt failed (the task retries it): give the lease back, so the retry can take the document again."""
    Document.objects.filter(pk=document_id, status=Document.Status.RUNNING).update(
        status=Document.Status.PENDING, lease_expires_at=None
    )


FAILED_MESSAGE = _("The document could not be generated. The administrators were told; try again later.")


def document_failed(*, document_id: int, error: Exception) -> None:
    """The last attempt failed: say so on the document (its previous file, if any, stays as it was)."""
    logger.exception("Document %s could not be generated", document_id, exc_info=error)
    Document.objects.filter(pk=document_id).exclude(status=Document.Status.READY).update(
        status=Document.Status.FAILED, error=str(FAILED_MESSAGE), lease_expires_at=None
    )
