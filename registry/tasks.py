"""Background work of the register. Tasks take IDs, are idempotent, and call services."""

from celery import shared_task

from config.celery import RETRY_TRANSIENT

from . import services


@shared_task(bind=True, **RETRY_TRANSIENT)
def reclassify_collectivite(self, collectivite_id: int) -> int:
    """Re-run the classification engine on a collectivité's use cases after its policy changed."""
    return services.collectivite_reclassify(collectivite_id=collectivite_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def reclassify_register(self, cause: str = "ruleset", outdated_only: bool = True) -> int:
    """Reclassify the register after a new rule set (the use cases classified by an older one) or a change of the
    AI Act's dates of application (every use case). Idempotent: an up-to-date use case is left as it is."""
    return services.register_reclassify(cause=cause, outdated_only=outdated_only)


@shared_task(bind=True, **RETRY_TRANSIENT)
def notify_declaration_event(self, event_id: int) -> int:
    """E-mail what a declaration event means to the people concerned. Sends at most once per event."""
    from .notifications import declaration_event_notify

    return declaration_event_notify(event_id=event_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def notify_use_case_event(self, event_id: int) -> int:
    """E-mail one step of a use case's review to the people concerned. Sends at most once per event."""
    from .notifications import use_case_event_notify

    return use_case_event_notify(event_id=event_id)


@shared_task(bind=True, **{**RETRY_TRANSIENT, "max_retries": 3})
def open_due_rereviews(self) -> int:
    """Open the periodic re-reviews that are due (daily). Idempotent: one open round per use case."""
    return services.rereviews_open_due()
