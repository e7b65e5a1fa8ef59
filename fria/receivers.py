"""How the AIDF follows the register: the register sends its signals (`registry.signals`) without knowing who
listens, and fria answers here. Connected in `FriaConfig.ready()`."""

from __future__ import annotations

from . import permissions, services
from .models import FriaStatus


def production_blockers(sender, use_case, **kwargs) -> dict:
    """A use case that requires an AIDF waits for it to be approved and notified (`services.production_blockers`)."""
    return services.production_blockers(use_case)


def use_case_page_sections(sender, user, access, use_case, **kwargs) -> dict:
    """The use case page's AIDF section, for a use case whose classification requires one (or that has one): its
    status and what the reader may do. One query, none for a use case that requires no AIDF."""
    if not use_case.fria_required:
        return {}
    fria = services.fria_of(use_case)
    return {
        "fria_section": {
            "fria": fria,
            "can_write": permissions.can_write_fria(user, access, use_case),
            "can_review": permissions.can_review_fria(access, use_case, fria),
            "can_notify": permissions.can_notify_fria(user, access, use_case, fria),
            "completed": fria is not None and fria.status == FriaStatus.NOTIFIED,
        }
    }
