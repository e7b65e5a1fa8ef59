"""The web pages of the generated documents: asking for one, following its generation (the page refreshes itself
while it is pending), downloading it, and the list of the documents one may see.

A document out of sight answers 404 (as does a subject — use case, session — out of sight); asking for a document
one may not have answers 403. The file is never served from /media: always through `document_download`, to those
who may see the document's content.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError, ForbiddenError
from core.middleware import current_collectivite
from core.validators import as_id
from core.views import member_required
from documents import permissions, selectors
from documents import services as documents
from documents.models import Document
from documents.templatetags.documents_tags import IN_PROGRESS
from security.services import record_document_download

PAGE_SIZE = 50
# How often the page of a document being generated reloads itself without JavaScript (seconds).
REFRESH_SECONDS = 5
FIRST_YEAR = 2020


def _document_of(request, access, pk) -> Document:
    queryset = selectors.documents_visible_to(request.user, access).select_related(
        "collectivite", "use_case", "session", "requested_by"
    )
    return get_object_or_404(queryset, pk=pk)


def _positive_int(value) -> int | None:
    return as_id(value, max_digits=9)


def subject_from(request, access, kind: str) -> dict:
    """The subject named by the form: a use case or a session the user sees (404 otherwise), or a year."""
    data = request.POST
    year = None
    if kind in (Document.Kind.ANNUAL_REPORT, Document.Kind.CHARTER):
        year = _positive_int(data.get("year"))
        if year is None or not FIRST_YEAR <= year <= timezone.localdate().year + 1:
            raise ApplicationError(_("Choose a year between %(first)s and %(last)s.") % _year_range())
    subject = selectors.document_subject(
        request.user,
        access,
        kind,
        use_case_id=_positive_int(data.get("use_case")),
        session_id=_positive_int(data.get("session")),
        year=year,
    )
    if subject is None:
        raise Http404
    return subject


def _year_range() -> dict:
    return {"first": FIRST_YEAR, "last": timezone.localdate().year + 1}


@require_POST
@member_required
def document_request(request, access):
    """Ask for a document (generated in the background), then follow it on its page."""
    kind = request.POST.get("kind", "")
    if kind not in Document.Kind.values:
        messages.error(request, _("Unknown kind of document."))
        return redirect("audits:document_list")
    try:
        subject = subject_from(request, access, kind)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("audits:document_list")
    try:
        document = documents.document_request(
            collectivite=current_collectivite(request), acting_user=request.user, kind=kind, **subject
        )
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ApplicationError as error:
        # A published charter is final; the page of the document says so and keeps its file.
        messages.error(request, str(error.message))
        existing = _existing(access, kind, subject)
        if existing is not None:
            return redirect("audits:document_detail", pk=existing.pk)
        return redirect("audits:document_list")
    # Without a broker (the embedded default) the task has already run, eagerly, once the request committed.
    document.refresh_from_db(fields=["status"])
    if document.status == Document.Status.READY:
        messages.success(request, _("The document is ready."))
    elif document.status in IN_PROGRESS:
        messages.success(
            request,
            _("The document is being generated. This page shows when it is ready; you may also come back later."),
        )
    return redirect("audits:document_detail", pk=document.pk)


def _existing(access, kind: str, subject: dict) -> Document | None:
    try:
        key = documents.subject_key(kind, **subject)
    except ApplicationError:
        return None
    return Document.objects.filter(collectivite_id=access.collectivite_id, kind=kind, subject_key=key).first()


@require_GET
@member_required
def document_detail(request, access, pk):
    document = _document_of(request, access, pk)
    pending = document.status in IN_PROGRESS
    may_request = permissions.can_request_document(
        request.user, access, document.kind, use_case=document.use_case, session=document.session, year=document.year
    )
    return render(
        request,
        "documents/web/document_detail.html",
        {
            "document": document,
            "pending": pending,
            "refresh_seconds": REFRESH_SECONDS,
            "may_regenerate": may_request and not document.frozen and not pending,
            "subject_url": _subject_url(document),
        },
    )


def _subject_url(document) -> str:
    if document.use_case_id:
        return reverse("registry:use_case_detail", args=[document.use_case_id])
    if document.session_id:
        return reverse("registry:committee_session", args=[document.session_id])
    return ""


def status_payload(document: Document) -> dict:
    """What the page of a document being generated polls: its status, and once there, its file."""
    return {
        "id": document.pk,
        "status": document.status,
        "status_label": str(document.get_status_display()),
        "in_progress": document.status in IN_PROGRESS,
        "generated_at": document.generated_at.isoformat() if document.generated_at else None,
        "pages": document.pages,
        "size": document.size,
        "sha256": document.sha256 or None,
        "error": document.error or None,
        "download_url": reverse("audits:document_download", args=[document.pk]) if document.file else None,
    }


@require_GET
@member_required
def document_status(request, access, pk):
    response = JsonResponse(status_payload(_document_of(request, access, pk)))
    response["Cache-Control"] = "private, no-store"
    return response


def open_document_file(document: Document):
    """The document's current file, opened; None if it has none. Should a regeneration switch the row and delete
    the file between reading the row and opening it, the row is read again: the reader gets the new file whole."""
    for _attempt in range(3):
        if not document.file:
            return None
        try:
            return document.file.open("rb")
        except FileNotFoundError:
            document.refresh_from_db(fields=["file", "sha256", "size", "pages", "status", "generated_at"])
    return None


def file_response(document: Document, handle) -> FileResponse:
    """Always a download, never a page of the site: the PDF with its name, its fingerprint and no sniffing."""
    response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    if document.sha256:
        response["ETag"] = f'"{document.sha256}"'
    return response


@require_GET
@member_required
def document_download(request, access, pk):
    document = _document_of(request, access, pk)
    handle = open_document_file(document)
    if handle is None:
        raise Http404
    record_document_download(request, document)
    return file_response(document, handle)


@require_GET
@member_required
def document_list(request, access):
    page = Paginator(selectors.document_list(request.user, access), PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    may_annual = permissions.can_request_document(request.user, access, Document.Kind.ANNUAL_REPORT, year=this_year)
    return render(
        request,
        "documents/web/document_list.html",
        {
            "page": page,
            "documents": page.object_list,
            "may_annual": may_annual,
            "years": list(range(this_year, FIRST_YEAR - 1, -1)),
            "this_year": this_year,
        },
    )
