"""Template helpers of the generated documents: the widget that shows a subject's document on its page (its state,
the generate button, the download link) and the labels shared by the document pages.

    {% load documents_tags %}{% document_widget "use_case_report" use_case=use_case %}
    {% document_widget "committee_minutes" session=session %}   {% document_widget "annual_report" year=2026 %}
"""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from documents import permissions
from documents.models import Document
from documents.services import subject_key

register = template.Library()

STATUS_BADGES = {
    Document.Status.PENDING: "text-bg-light border",
    Document.Status.RUNNING: "text-bg-info",
    Document.Status.READY: "text-bg-success",
    Document.Status.FAILED: "text-bg-danger",
}
IN_PROGRESS = frozenset({Document.Status.PENDING, Document.Status.RUNNING})


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap classes of a status badge (its text always says the status: colour is never alone)."""
    return STATUS_BADGES.get(status, "text-bg-light border")


@register.filter
def in_progress(document) -> bool:
    return document is not None and document.status in IN_PROGRESS


@register.filter
def document_subject(document) -> str:
    """What the document is about, in words: a use case, a committee session, a year."""
    if document.kind == Document.Kind.USE_CASE_REPORT and document.use_case_id:
        return f"{document.use_case.reference} — {document.use_case.name}"
    if document.kind == Document.Kind.COMMITTEE_MINUTES and document.session_id:
        return _("Session of %(date)s") % {"date": date_format(document.session.held_on, "DATE_FORMAT")}
    if document.year:
        return str(document.year)
    return ""


@register.filter
def can_see_documents(access) -> bool:
    """The "Documents" entry of the top bar: every member may read the published charter and ask for the report of
    a use case they see."""
    return bool(access and access.is_member)


@register.inclusion_tag("documents/web/_widget.html", takes_context=True)
def document_widget(context, kind: str, use_case=None, session=None, year=None):
    """The state of one subject's document, with a generate (or generate again) button and the download link, for
    those allowed; renders nothing for anyone else. One query (the document's row)."""
    request = context.get("request")
    access = context.get("access")
    user = getattr(request, "user", None) or context.get("user")
    empty = {"show": False}
    if user is None or access is None or not access.is_member:
        return empty
    try:
        key = subject_key(kind, use_case=use_case, session=session, year=year)
    except ApplicationError:
        return empty
    may_request = permissions.can_request_document(user, access, kind, use_case=use_case, session=session, year=year)
    document = (
        Document.objects.filter(collectivite_id=access.collectivite_id, kind=kind, subject_key=key)
        .select_related("collectivite", "use_case", "session")
        .first()
    )
    if document is not None and not (may_request or permissions.can_view_document(user, access, document)):
        document = None
    if document is None and not may_request:
        return empty
    return {
        "show": True,
        "kind": kind,
        "kind_label": Document.Kind(kind).label,
        "document": document,
        "may_generate": may_request and not (document and (document.frozen or document.status in IN_PROGRESS)),
        "use_case": use_case,
        "session": session,
        "year": year,
        "csrf_token": context.get("csrf_token"),
    }
