"""Celery tasks of the generated documents: the generation (retried, then reported) and the sweep of stale ones."""

from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=3)
def generate_document(self, document_id: int) -> str:
    """Generate one PDF; retried three times (transient errors), then reported as failed on the document.

    The worker holds the document under a lease while it renders (`audits.documents`): a second delivery of the
    message finds it held and leaves it; a worker killed lets the lease expire, and the sweep queues it again."""
    from documents.services import document_failed, document_generate, document_release

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
    from documents.services import documents_sweep

    return documents_sweep()
