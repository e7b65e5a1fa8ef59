"""Who may do what with shared reference content, for views, templates and services alike.

The structure's DPO and administrators share and withdraw items; a member's DPO and administrators adopt, adapt
or decline them (its RSSI too, for tools). An item of a structure the collectivité does not belong to is out of
sight (404); an action the person may not take answers 403.
"""

from __future__ import annotations

from core.access import Access
from core.roles import Role

SHARE_ROLES = frozenset({Role.DPO, Role.ADMIN})
DECIDE_ROLES = frozenset({Role.DPO, Role.ADMIN})
TOOL_DECIDE_ROLES = frozenset({Role.RSSI})


def can_manage_shared(access: Access) -> bool:
    """See the structure's shared items, share, withdraw."""
    return bool(access.roles & SHARE_ROLES)


def can_view_offered(access: Access) -> bool:
    """See what the structures offer to the collectivité."""
    return bool(access.roles & (DECIDE_ROLES | TOOL_DECIDE_ROLES))


def can_decide(access: Access, item) -> bool:
    """Adopt, adapt, decline, take an update: the DPO and administrators; the RSSI for tools."""
    from .models import ItemKind

    if access.roles & DECIDE_ROLES:
        return True
    return item.kind == ItemKind.TOOL and bool(access.roles & TOOL_DECIDE_ROLES)
