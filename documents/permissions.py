"""Who may ask for a generated document, and who may see one: who may see its content may see it (a use case's
report follows the use case, the committee's minutes the committee); who may ask for one may see it."""

from audits.permissions import COMPLIANCE_ROLES
from core.access import Access
from core.roles import Role
from registry.permissions import can_view_committee, can_view_use_case

from .models import Document

CHARTER_EDITOR_ROLES = frozenset({Role.DPO, Role.DGS, Role.ADMIN})


def can_request_document(user, access: Access, kind: str, *, use_case=None, session=None, year=None) -> bool:
    if not access.is_member:
        return False
    if kind == Document.Kind.USE_CASE_REPORT:
        return use_case is not None and can_view_use_case(user, access, use_case)
    if kind == Document.Kind.COMMITTEE_MINUTES:
        return (
            session is not None
            and session.collectivite_id == access.collectivite_id
            and can_view_committee(user, access)
        )
    if kind == Document.Kind.ANNUAL_REPORT:
        return bool(access.roles & COMPLIANCE_ROLES)
    if kind == Document.Kind.CHARTER:
        return bool(access.roles & CHARTER_EDITOR_ROLES)
    return False


def can_view_document(user, access: Access, document) -> bool:
    """A document shows what its subject shows: a published charter is read by every member of the collectivité."""
    if document.collectivite_id != access.collectivite_id or not access.is_member:
        return False
    if document.kind == Document.Kind.CHARTER and document.frozen:
        return True
    return can_request_document(
        user, access, document.kind, use_case=document.use_case, session=document.session, year=document.year
    )
