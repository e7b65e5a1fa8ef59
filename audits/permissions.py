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


def can_see_compliance(access: Access) -> bool:
    """The DPO, RSSI, DGS and administrators see all; a head of service sees their services'."""
    return bool(access.roles & COMPLIANCE_ROLES) or bool(access.headed_service_ids)


def can_manage_incident(user, access: Access, use_case) -> bool:
    """Qualify an incident and record its notifications: the DPO, the RSSI, the administrators, and the people who
    answer for the use case (its owner, the heads of its service), whatever its status (a use case suspended after a
    serious incident keeps its clocks running)."""
    if use_case.collectivite_id != access.collectivite_id or not access.is_member:
        return False
    return (
        bool(access.roles & OVERSIGHT_ROLES) or use_case.owner_id == user.pk or access.heads_service(use_case.service)
    )


def can_assess_breach(access: Access) -> bool:
    """The assessment of a personal-data breach (RGPD art. 33 and 34) is the DPO's (and the administrators')."""
    return bool(access.roles & {Role.DPO, Role.ADMIN})
