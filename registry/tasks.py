"""Background work of the register. Tasks take IDs, are idempotent, and call services."""

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5, acks_late=True)
def reclassify_collectivite(self, collectivite_id: int) -> int:
    """Re-run the classification engine on a collectivité's use cases after its policy changed."""
    return services.collectivite_reclassify(collectivite_id=collectivite_id)
