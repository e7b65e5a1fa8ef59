"""Background work of the shadow-AI declarations: their e-mails. Tasks take IDs, are idempotent, and call the
notifications."""

from celery import shared_task

from core.tasks import RETRY_TRANSIENT

from .notifications import anonymous_declaration_alerts_send, declaration_event_notify


@shared_task(bind=True, **RETRY_TRANSIENT)
def notify_declaration_event(self, event_id: int, outbox_id: int | None = None) -> int:
    """E-mail what a declaration event means to the people concerned. Sends at most once per event."""
    return declaration_event_notify(event_id=event_id, outbox_id=outbox_id)


@shared_task(bind=True, **RETRY_TRANSIENT)
def send_anonymous_declaration_alerts(self) -> int:
    """Send the alerts of the anonymous declarations of the previous days (daily): the day after, without a time."""
    return anonymous_declaration_alerts_send()
