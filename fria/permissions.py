"""Who may do what with the AIDF of a use case: the use case's own rights (`registry.permissions`), the DPO's review.

Whoever sees the use case sees its AIDF; whoever answers for it (`may_manage_use_case`: its owner, the head of its
service, the DPO, the RSSI, an administrator) writes it, submits it and records its notification; the DPO reviews it.
"""

from __future__ import annotations

from core.access import Access
from core.roles import Role
from registry.choices import UseCaseStatus
from registry.permissions import can_view_use_case, may_manage_use_case

from .models import FriaStatus

# A use case taken out of service keeps its AIDF for the record: nothing more is written on it.
CLOSED_USE_CASE_STATUSES = frozenset({UseCaseStatus.RETIRED})


def can_view_fria(user, access: Access, use_case) -> bool:
    return can_view_use_case(user, access, use_case)


def can_write_fria(user, access: Access, use_case) -> bool:
    """Start, edit, submit, start a new version, record the notification (the status then says what is possible)."""
    return (
        use_case.fria_required
        and use_case.status not in CLOSED_USE_CASE_STATUSES
        and may_manage_use_case(user, access, use_case)
    )


def can_edit_fria(user, access: Access, use_case, fria) -> bool:
    return (fria is None or fria.status == FriaStatus.DRAFT) and can_write_fria(user, access, use_case)


def can_submit_fria(user, access: Access, use_case, fria) -> bool:
    return fria is not None and fria.status == FriaStatus.DRAFT and can_write_fria(user, access, use_case)


def can_reopen_fria(user, access: Access, use_case, fria) -> bool:
    return (
        fria is not None
        and fria.status in (FriaStatus.APPROVED, FriaStatus.NOTIFIED)
        and can_write_fria(user, access, use_case)
    )


def is_fria_reviewer(access: Access) -> bool:
    """The DPO reviews the AIDFs of their collectivité."""
    return access.has(Role.DPO)


def can_review_fria(access: Access, use_case, fria) -> bool:
    return (
        fria is not None
        and fria.status == FriaStatus.SUBMITTED
        and use_case.collectivite_id == access.collectivite_id
        and is_fria_reviewer(access)
    )


def can_notify_fria(user, access: Access, use_case, fria) -> bool:
    return fria is not None and fria.status == FriaStatus.APPROVED and can_write_fria(user, access, use_case)
