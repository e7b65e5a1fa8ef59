"""Who may read the security journal: the DPO, the RSSI and the administrators of the collectivité."""

from core.access import Access
from core.roles import Role

JOURNAL_ROLES = frozenset({Role.DPO, Role.RSSI, Role.ADMIN})


def can_read_journal(access: Access) -> bool:
    return bool(access.roles & JOURNAL_ROLES)
