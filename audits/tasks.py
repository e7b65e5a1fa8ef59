"""Periodic and background work on checkpoints. Tasks take IDs, are idempotent, and call services."""

from celery import shared_task

from core.tasks import RETRY_TRANSIENT


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_checkpoint_reminders(self) -> dict:
    """Run daily by celery beat (see CELERY_BEAT_SCHEDULE); `manage.py send_checkpoint_reminders` in the
    embedded default."""
    from dataclasses import asdict

    from .reminders import send_checkpoint_reminders as run

    return asdict(run())


@shared_task(bind=True, **RETRY_TRANSIENT)
def notify_incident(self, incident_id: int, outbox_id: int | None = None) -> int:
    """Tell the DPO and the RSSI about a new incident (and its 72-hour clock if it is a breach)."""
    from .notifications import incident_notify

    return incident_notify(incident_id=incident_id, outbox_id=outbox_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def notify_incident_qualified(self, incident_id: int, outbox_id: int | None = None) -> int:
    """Tell the DPO and the RSSI that an incident was qualified as serious, with its deadlines."""
    from .incident_reminders import incident_qualified_notify

    return incident_qualified_notify(incident_id=incident_id, outbox_id=outbox_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_incident_reminders(self) -> dict:
    """Run every hour by celery beat (see CELERY_BEAT_SCHEDULE): reminders of the incidents' notification deadlines."""
    from dataclasses import asdict

    from .incident_reminders import send_incident_reminders as run

    return asdict(run())
