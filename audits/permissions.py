"""Who may do what with checkpoints, attestations and incidents (on top of the use case's own rights)."""

from core.access import Access
from core.roles import Role
from registry.permissions import can_change_use_case, can_view_use_case

from .schedule import controls_run

OVERSIGHT_ROLES = frozenset({Role.DPO, Role.RSSI, Role.ADMIN})
COMPLIANCE_ROLES = frozenset({Role.DPO, Role.RSSI, Role.DGS, Role.ADMIN})


def can_manage_checkpoints(user, access: Access, use_case) -> bool:
    """Assign owners, change frequencies, add checkpoints: whoever may change the use case, and the DPO/RSSI."""
    return can_change_use_case(user, access, use_case) or bool(access.roles & OVERSIGHT_ROLES)


def can_attest(user, checkpoint) -> bool:
    """Only the checkpoint's owner attests (an attestation is a personal statement), and only a control that runs:
    the use case is live."""
    return checkpoint.active and checkpoint.owner_id == user.pk and controls_run(checkpoint.use_case)


def can_record_incident(user, access: Access, use_case) -> bool:
    return can_view_use_case(user, access, use_case) and (
        can_change_use_case(user, access, use_case)
        or bool(access.roles & OVERSIGHT_ROLES)
        or use_case.checkpoints.filter(owner=user, active=True).exists()
    )


def can_suspend(access: Access) -> bool:
    return bool(access.roles & {Role.DPO, Role.RSSI})


def can_see_compliance(access: Access) -> bool:
    """The DPO, RSSI, DGS and administrators see all; a head of service sees their services'."""
    return bool(access.roles & COMPLIANCE_ROLES) or bool(access.headed_service_ids)


# Generated documents: who may see one may see its content; who may ask for one may see it.
CHARTER_EDITOR_ROLES = frozenset({Role.DPO, Role.DGS, Role.ADMIN})


def can_request_document(user, access: Access, kind: str, *, use_case=None, session=None, year=None) -> bool:
    from registry import permissions as registry_permissions

    from .models import Document

    if not access.is_member:
        return False
    if kind == Document.Kind.USE_CASE_REPORT:
        return use_case is not None and can_view_use_case(user, access, use_case)
    if kind == Document.Kind.COMMITTEE_MINUTES:
        return (
            session is not None
            and session.collectivite_id == access.collectivite_id
            and registry_permissions.can_view_committee(user, access)
        )
    if kind == Document.Kind.ANNUAL_REPORT:
        return bool(access.roles & COMPLIANCE_ROLES)
    if kind == Document.Kind.CHARTER:
        return bool(access.roles & CHARTER_EDITOR_ROLES)
    return False


def can_view_document(user, access: Access, document) -> bool:
    """A document shows what its subject shows: a published charter is read by every member of the collectivité."""
    from .models import Document

    if document.collectivite_id != access.collectivite_id or not access.is_member:
        return False
    if document.kind == Document.Kind.CHARTER and document.frozen:
        return True
    return can_request_document(
        user, access, document.kind, use_case=document.use_case, session=document.session, year=document.year
    )
