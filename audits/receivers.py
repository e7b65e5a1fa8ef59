"""How audits follows the register: the register sends its signals (`registry.signals`) without knowing who listens,
and audits answers here, inside the register's transaction. Connected in `AuditsConfig.ready()`."""

from __future__ import annotations

from registry import permissions as registry_permissions

from . import permissions, selectors, services
from .models import Incident


def sync_checkpoints(sender, use_case, **kwargs) -> None:
    """A use case was saved with its classification: its human-control checkpoints follow what it requires."""
    services.checkpoints_sync(use_case=use_case)


def checkpoints_for_conditions(sender, review, acting_user, **kwargs) -> None:
    """An approval's conditions become checkpoints of the use case, each waiting for an owner."""
    services.checkpoints_from_conditions(review=review, acting_user=acting_user)


def use_case_page_sections(sender, user, access, use_case, **kwargs) -> dict:
    """The use case page's human-control checkpoints and incidents, and who may act on them (fixed query count)."""
    incidents = list(selectors.use_case_incidents(use_case))
    checkpoints = list(selectors.use_case_checkpoints(use_case))
    return {
        "checkpoints": checkpoints,
        "checkpoint_compliance": selectors.use_case_compliance(use_case),
        "incidents": incidents,
        "serious_incident": any(i.severity == Incident.Severity.SERIOUS for i in incidents),
        "can_manage_checkpoints": permissions.can_manage_checkpoints(user, access, use_case),
        "can_record_incident": permissions.can_record_incident(user, access, use_case),
        "can_suspend": use_case.status in selectors.LIVE and registry_permissions.can_suspend(access),
    }
