"""Who may do what with the charter: the DPO, the DGS and administrators write it, the DGS alone publishes it,
every member reads and acknowledges the published editions."""

from core.access import Access
from core.roles import Role
from documents.permissions import CHARTER_EDITOR_ROLES


def can_manage_charter(access: Access) -> bool:
    """See the drafts and every edition, create an edition, edit its sections, preview it, see who read it."""
    return bool(access.roles & CHARTER_EDITOR_ROLES)


def can_publish_charter(access: Access) -> bool:
    return access.has(Role.DGS)


def can_view_edition(access: Access, edition) -> bool:
    if edition.collectivite_id != access.collectivite_id or not access.is_member:
        return False
    return edition.is_published or can_manage_charter(access)


def can_edit_edition(access: Access, edition) -> bool:
    return can_view_edition(access, edition) and can_manage_charter(access) and not edition.is_published


def can_acknowledge(access: Access, edition) -> bool:
    return can_view_edition(access, edition) and edition.is_published
