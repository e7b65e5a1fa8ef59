"""The Celery application. In the embedded default (no broker configured) tasks run eagerly.

Delivery guarantees (docs/operations.md): tasks are acknowledged late (after they ran) and a message whose worker
died is delivered again (`task_reject_on_worker_lost` for a lost pool process, the Redis visibility timeout for a
lost worker), so every task is idempotent; transient errors (database, network, mail server) are retried with an
exponential, jittered backoff (`core.tasks.RETRY_TRANSIENT`). What a write must cause is recorded with it in the outbox
(`registry.outbox`) and handed to the broker after commit; a broker out of reach loses nothing: the sweep (celery beat
every minute, `manage.py dispatch_pending`) hands it over later, and a worker's lease, not the visibility timeout,
decides when a document or an e-mail held by a worker that vanished goes to another.
"""

import os
from pathlib import Path

import environ
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env", overwrite=False)

app = Celery("registre_ia")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # Acknowledged after the task ran, requeued if its pool process died: set in settings, repeated here so that
    # the guarantee does not depend on a settings module someone may rewrite.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    broker_transport_options={
        # Redis: a message taken by a worker that died (SIGKILL, machine lost) without acknowledging it is delivered
        # again once this many seconds passed. Must exceed the longest task and the longest retry countdown
        # (core.tasks.RETRY_BACKOFF_MAX), or a task still running would be delivered a second time.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # How often a worker looks for such messages (seconds, and every how many looks it really scans).
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    },
)
app.autodiscover_tasks()
