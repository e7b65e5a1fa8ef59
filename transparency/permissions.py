"""Who may prepare, publish and withdraw public records: the DPO (who answers for what is published about
personal data and decisions) and the administrators. Anyone who sees a use case sees whether it is public."""

from core.access import Access
from core.roles import Role
from registry.permissions import can_view_use_case

PUBLISHER_ROLES = frozenset({Role.DPO, Role.ADMIN})


def can_publish(access: Access) -> bool:
    return bool(access.roles & PUBLISHER_ROLES)


def can_manage_publication(user, access: Access, use_case) -> bool:
    return can_publish(access) and use_case.collectivite_id == access.collectivite_id


def can_view_publication(user, access: Access, use_case) -> bool:
    """The publication panel of a use case (its public state, not its draft wording) follows the use case."""
    return can_view_use_case(user, access, use_case)
