"""Periodic and background work on checkpoints. Tasks take IDs, are idempotent, and call services."""

from celery import shared_task

from config.celery import RETRY_TRANSIENT


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


@shared_task(bind=True, acks_late=True, max_retries=3)
def generate_document(self, document_id: int) -> str:
    """Generate one PDF; retried three times (transient errors), then reported as failed on the document.

    The worker holds the document under a lease while it renders (`audits.documents`): a second delivery of the
    message finds it held and leaves it; a worker killed lets the lease expire, and the sweep queues it again."""
    from .documents import document_failed, document_generate, document_release

    try:
        document = document_generate(document_id=document_id)
    except Exception as error:
        document_release(document_id=document_id)
        if self.request.retries < self.max_retries:
            if self.request.is_eager:
                # In-process (the embedded default, the tests), Celery's eager retry is re-raised under
                # task_eager_propagates and would leave the document "running": try again here instead.
                return self.apply(args=(document_id,), retries=self.request.retries + 1).get()
            raise self.retry(exc=error, countdown=10 * 2**self.request.retries) from error
        document_failed(document_id=document_id, error=error)
        return "failed"
    return document.status if document else "missing"


@shared_task(bind=True, acks_late=True, expires=300)
def sweep_documents(self) -> dict:
    """Celery beat, every minute: queue again the documents nothing is generating (`audits.documents`)."""
    from .documents import documents_sweep

    return documents_sweep()
