"""Generated documents: who may ask for which, and their generation (a Celery task, retried, then reported).

A document row exists once per subject (`subject_key`): asking again regenerates it, and the new file replaces the
old one atomically (a new file name, the row switched to it in one transaction, the old file deleted after commit),
so a download never sees a half-written file. A frozen document (a published charter) is never generated again.
"""

from __future__ import annotations

import hashlib
import importlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.errors import ApplicationError, ConflictError, ForbiddenError
from registry.models import Collectivite, CommitteeSession, UseCase, User
from registry.permissions import get_access

from . import permissions
from .models import Document
from .pdf import PdfSpec, render_pdf

logger = logging.getLogger(__name__)

# Each kind's builder: a module with `build(document) -> PdfSpec`.
BUILDERS = {
    Document.Kind.CHARTER: "charter.pdf",
    Document.Kind.USE_CASE_REPORT: "audits.reports.use_case",
    Document.Kind.ANNUAL_REPORT: "audits.reports.annual",
    Document.Kind.COMMITTEE_MINUTES: "audits.reports.minutes",
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


def _queue(document_id: int) -> None:
    from .tasks import generate_document

    def send():
        generate_document.delay(document_id)

    transaction.on_commit(send, robust=True)


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
        return document
    document.status = Document.Status.PENDING
    document.requested_by = acting_user
    document.requested_at = timezone.now()
    document.error = ""
    document.attempts = 0
    document.save(update_fields=["status", "requested_by", "requested_at", "error", "attempts"])
    _queue(document.pk)
    return document


def build_spec(document: Document) -> PdfSpec:
    """The document's content, built in the collectivité's language (a worker has no request to take it from)."""
    from django.conf import settings
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
        document.status = Document.Status.RUNNING
        document.started_at = timezone.now()
        document.attempts += 1
        document.save(update_fields=["status", "started_at", "attempts"])
    generated_at = timezone.now()
    spec = build_spec(document)
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
        locked.save(update_fields=["file", "sha256", "size", "pages", "status", "generated_at", "error", "frozen"])
        if old_name and old_name != new_name:
            storage = locked.file.storage
            transaction.on_commit(lambda: storage.delete(old_name), robust=True)
    return locked


def document_failed(*, document_id: int, error: Exception) -> None:
    """The last attempt failed: say so on the document (its previous file, if any, stays as it was)."""
    logger.exception("Document %s could not be generated", document_id, exc_info=error)
    Document.objects.filter(pk=document_id).exclude(status=Document.Status.READY).update(
        status=Document.Status.FAILED,
        error=str(_("The document could not be generated. The administrators were told; try again later.")),
    )
