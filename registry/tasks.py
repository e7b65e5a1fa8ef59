"""Background work of the register. Tasks take IDs, are idempotent, and call services."""

from celery import shared_task

from core.tasks import RETRY_TRANSIENT

from . import outbox, services


@shared_task(bind=True, **RETRY_TRANSIENT)
def reclassify_collectivite(self, collectivite_id: int, outbox_id: int | None = None) -> int:
    """Re-run the classification engine on a collectivité's use cases after its policy changed."""
    with outbox.claimed(self.name, {"collectivite_id": collectivite_id}, outbox_id) as claim:
        return 0 if claim is None else services.collectivite_reclassify(collectivite_id=collectivite_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def reclassify_register(self, cause: str = "ruleset", outdated_only: bool = True, outbox_id: int | None = None) -> int:
    """Reclassify the register after a new rule set (the use cases classified by an older one) or a change of the
    AI Act's dates of application (every use case). Idempotent: an up-to-date use case is left as it is."""
    if outbox_id is None:  # the daily run, or after `migrate`: nothing recorded to hold
        return services.register_reclassify(cause=cause, outdated_only=outdated_only)
    with outbox.claimed(self.name, {"cause": cause, "outdated_only": outdated_only}, outbox_id) as claim:
        return 0 if claim is None else services.register_reclassify(cause=cause, outdated_only=outdated_only)


@shared_task(bind=True, **RETRY_TRANSIENT)
def notify_use_case_event(self, event_id: int, outbox_id: int | None = None) -> int:
    """E-mail one step of a use case's review to the people concerned. Sends at most once per person."""
    from .notifications import use_case_event_notify

    return use_case_event_notify(event_id=event_id, outbox_id=outbox_id)


@shared_task(bind=True, **{**RETRY_TRANSIENT, "max_retries": 3})
def open_due_rereviews(self) -> int:
    """Open the periodic re-reviews that are due (daily). Idempotent: one open round per use case."""
    return services.rereviews_open_due()


@shared_task(bind=True, acks_late=True, expires=300)
def dispatch_pending(self) -> dict:
    """The sweep (celery beat, every minute): hand to the broker the side effects not handed yet or not finished
    (`registry.outbox.sweep`). `manage.py dispatch_pending` does the same, documents included, without beat."""
    return outbox.sweep()
