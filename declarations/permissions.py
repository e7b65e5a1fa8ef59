"""Who may do what with shadow-AI declarations, in one place for the services, views, API and templates.

Agents declare and see their own named declarations; the DPO, the RSSI and administrators triage them all. Heads of
service do not see their agents' declarations: declaring carries no blame.
"""

from __future__ import annotations

from core.access import Access
from core.roles import Role

TRIAGE_ROLES = frozenset({Role.DPO, Role.RSSI, Role.ADMIN})


def can_declare(access: Access) -> bool:
    return access.is_member


def can_triage(access: Access) -> bool:
    return bool(access.roles & TRIAGE_ROLES)


def can_view_declaration(user, access: Access, declaration) -> bool:
    if declaration.collectivite_id != access.collectivite_id or not access.is_member:
        return False
    if can_triage(access):
        return True
    return declaration.author_id is not None and user.has_perm("declarations.view_declaration", declaration)
