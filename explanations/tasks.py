"""Background work on explanation requests. Tasks take IDs, are idempotent, and call services."""

from celery import shared_task

from core.tasks import RETRY_TRANSIENT


@shared_task(bind=True, **RETRY_TRANSIENT)
def notify_request_received(self, request_id: int, token: str, outbox_id: int | None = None) -> int:
    from .notifications import request_received_notify

    return request_received_notify(request_id=request_id, token=token, outbox_id=outbox_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_letter(self, request_id: int, outbox_id: int | None = None) -> int:
    from .notifications import letter_send

    return letter_send(request_id=request_id, outbox_id=outbox_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_explanation_reminders(self) -> dict:
    """Daily (CELERY_BEAT_SCHEDULE): 7 and 2 days before the deadline, and once it has passed."""
    from dataclasses import asdict

    from .reminders import send_reminders

    return asdict(send_reminders())


@shared_task(bind=True, **RETRY_TRANSIENT)
def purge_explanation_requests(self) -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): the requesters' data past EXPLANATION_RETENTION_MONTHS are cleared."""
    from .services import requests_purge

    return requests_purge()
