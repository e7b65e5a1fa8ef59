"""What every app's Celery tasks share: the retry policy for transient errors, and whether tasks run eagerly.

Delivery guarantees are described in `config.celery`, which builds the application from these settings.
"""

import smtplib

from celery import current_app
from django.db import InterfaceError, OperationalError

# Errors that say "try again later": the database restarting or failing over, the network, the mail server
# (smtplib's errors are OSError subclasses, named for the reader).
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError, smtplib.SMTPException, OSError)
RETRY_BACKOFF_MAX = 600  # seconds: 1, 2, 4 … 600 (jittered), well under the visibility timeout
RETRY_TRANSIENT = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": 5,
}


def runs_eagerly() -> bool:
    """Whether tasks run in the caller's process (the embedded default, no broker): a sweep then goes on after a
    failure instead of waiting for the broker to come back."""
    return bool(current_app.conf.task_always_eager)
