"""What a person sees of the generated documents: the list, and the subject of a document being asked for."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from audits.permissions import COMPLIANCE_ROLES
from core.access import Access
from registry.permissions import can_view_committee
from registry.selectors import sessions_visible_to, use_cases_visible_to

from .models import Document
from .permissions import CHARTER_EDITOR_ROLES


def documents_visible_to(user, access: Access) -> QuerySet:
    """The documents whose content the user may see: the same rules as `documents.permissions.can_view_document`, as one
    query (the use-case reports of the use cases they see, the minutes if they see the committee, the annual
    reports for the DPO, RSSI, DGS and administrators, the charter for its editors and, once published, for all)."""
    if not access.is_member:
        return Document.objects.none()
    Kind = Document.Kind
    condition = Q(kind=Kind.CHARTER, frozen=True) | Q(
        kind=Kind.USE_CASE_REPORT, use_case__in=use_cases_visible_to(user, access).values("pk")
    )
    if can_view_committee(user, access):
        condition |= Q(kind=Kind.COMMITTEE_MINUTES)
    if access.roles & COMPLIANCE_ROLES:
        condition |= Q(kind=Kind.ANNUAL_REPORT)
    if access.roles & CHARTER_EDITOR_ROLES:
        condition |= Q(kind=Kind.CHARTER)
    return Document.objects.filter(collectivite_id=access.collectivite_id).filter(condition)


def document_list(user, access: Access) -> QuerySet:
    """The documents the user may see, newest first, with what a list row shows loaded in the same query."""
    return (
        documents_visible_to(user, access)
        .select_related("collectivite", "use_case", "session", "requested_by")
        .order_by("-requested_at", "-id")
    )


def document_subject(user, access: Access, kind: str, *, use_case_id=None, session_id=None, year=None) -> dict | None:
    """The subject of a document being asked for, as the user sees it: the use case or the committee session named
    by its id, or the year. None when the use case or session is unknown or out of sight (the caller answers 404);
    a missing subject is left to `documents.document_request`, which says what is missing."""
    if kind == Document.Kind.USE_CASE_REPORT:
        if use_case_id is None:
            return {"use_case": None}
        use_case = use_cases_visible_to(user, access).filter(pk=use_case_id).first()
        return {"use_case": use_case} if use_case is not None else None
    if kind == Document.Kind.COMMITTEE_MINUTES:
        if session_id is None:
            return {"session": None}
        session = sessions_visible_to(user, access).filter(pk=session_id).first()
        return {"session": session} if session is not None else None
    return {"year": year}
