"""Side effects that survive a broker out of reach and a worker killed: the outbox.

A service that must cause something once its write is committed (e-mails, a background task) calls `enqueue()` inside
its transaction: an `OutboxEntry` row is written with the change, so both exist or neither does. After commit the
entry is handed to the broker (`dispatch()`); if the broker is out of reach, the error is logged, never raised (the
person gets their page, told that the e-mail will go out as soon as possible), and the entry waits.

The sweep (`sweep()`: Celery beat every minute, or `manage.py dispatch_pending` in the embedded default) hands to the
broker every entry not done whose time has come: never handed (the grace period after the write has passed), handed
but not finished long after (a message lost, a worker gone), or failed (with a growing delay).

A task works on an entry under a lease (`claimed()`): a conditional UPDATE takes it only if it is not done and
nobody holds it, so two deliveries of the same message never work at the same time; each e-mail handed to the mail
backend is recorded on the entry before the next one (`Claim.once`), so a retry after a failure halfway sends the
others only: at most once per recipient, and never lost. A worker killed lets its lease expire; the sweep hands the
entry to another.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.tasks import runs_eagerly

from .models import OutboxEntry

logger = logging.getLogger(__name__)

# A failed attempt waits longer each time before the sweep tries again: 1, 2, 4 … minutes, at most six hours.
RETRY_DELAY_MAX = datetime.timedelta(hours=6)
# Done entries are kept this long (what was sent, when), then deleted by the sweep.
DONE_RETENTION = datetime.timedelta(days=30)

# What this request (or task) could not hand to a worker: the notice shown to the person (see `PostponedNotice`).
_postponed: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar("outbox_postponed", default=None)
EMAIL = "email"
DOCUMENT = "document"


def _seconds(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, name, default))


def grace() -> datetime.timedelta:
    """How long after its write an entry is left to the dispatch after commit before the sweep hands it itself."""
    return _seconds("OUTBOX_GRACE_SECONDS", 60)


def redispatch_after() -> datetime.timedelta:
    """How long after being handed to the broker an unfinished entry is handed again (its message lost)."""
    return _seconds("OUTBOX_REDISPATCH_SECONDS", 900)


def lease() -> datetime.timedelta:
    """How long a worker holds an entry without news (renewed at each e-mail it sends)."""
    return _seconds("OUTBOX_LEASE_SECONDS", 300)


# Writing ---------------------------------------------------------------------------------------------------------
def enqueue(task: str, **kwargs) -> OutboxEntry:
    """Record, in the caller's transaction, that the Celery task `task` (its dotted path) must run with `kwargs`;
    it is handed to the broker once the transaction commits, and by the sweep until it is done."""
    entry = OutboxEntry.objects.create(task=task, kwargs=kwargs, next_attempt_at=timezone.now() + grace())
    entry_id = entry.pk

    # A named function: Django logs a failing robust callback by its `__qualname__`.
    def dispatch_outbox_entry():
        dispatch(entry_id)

    transaction.on_commit(dispatch_outbox_entry, robust=True)
    return entry


def dispatch(entry_id: int) -> bool:
    """Hand one entry to the broker. Never raises: a broker out of reach (or, in the embedded default where tasks
    run in-process, a task that failed) is logged, and the entry waits for the sweep. Returns whether it went."""
    entry = OutboxEntry.objects.filter(pk=entry_id, done_at__isnull=True).first()
    if entry is None:
        return True
    try:
        import_string(entry.task).delay(**entry.kwargs, outbox_id=entry.pk)
    except Exception:
        # In-process (no broker), the task itself ran and failed: an error for the administrators. With a broker,
        # the broker is out of reach: a warning, what it must do waits in the outbox.
        log = logger.error if runs_eagerly() else logger.warning
        log("Outbox entry %s (%s) is not done; the sweep will try again.", entry.pk, entry.task, exc_info=True)
        postpone(EMAIL)
        return False
    now = timezone.now()
    OutboxEntry.objects.filter(pk=entry.pk, done_at__isnull=True).update(
        dispatched_at=now, next_attempt_at=now + redispatch_after()
    )
    return True


def retry_at(entry_id: int, moment: datetime.datetime) -> None:
    """Leave an entry for later: the sweep hands it again at `moment` (what it must do cannot happen before)."""
    OutboxEntry.objects.filter(pk=entry_id, done_at__isnull=True).update(next_attempt_at=moment)


def sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Hand to the broker what is due (see the module's docstring) and forget what was done long ago.

    With a broker, the first entry it refuses stops the round (the next one tries again); in-process (the embedded
    default), each entry runs here and one failing does not hold the others back."""
    now = now or timezone.now()
    due = (
        OutboxEntry.objects.filter(done_at__isnull=True, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    eager = runs_eagerly()
    handed = failed = 0
    for entry_id in list(due):
        if dispatch(entry_id):
            handed += 1
            continue
        failed += 1
        if not eager:
            break
    forgotten, _per_model = OutboxEntry.objects.filter(done_at__lt=now - DONE_RETENTION).delete()
    return {"handed": handed, "failed": failed, "forgotten": forgotten}


# Working ---------------------------------------------------------------------------------------------------------
class LeaseLost(RuntimeError):
    """Another worker took the entry over (this one was too slow and its lease expired): stop, it carries on."""


class Claim:
    """An entry held by this worker: what it already did, and its lease, renewed as it works."""

    def __init__(self, entry: OutboxEntry, until: datetime.datetime):
        self.entry_id = entry.pk
        self.until = until
        self.done_keys: list[str] = list(entry.done_keys or [])

    def once(self, key: str, action: Callable[[], int]) -> int:
        """Run `action` (hand an e-mail to the mail backend) unless it was done under this entry before; record it,
        and renew the lease, before anything else is sent. Returns what `action` returned, or 0."""
        if key in self.done_keys:
            return 0
        result = action()
        self.done_keys.append(key)
        until = timezone.now() + lease()
        recorded = OutboxEntry.objects.filter(pk=self.entry_id, claimed_until=self.until).update(
            done_keys=self.done_keys, claimed_until=until
        )
        if not recorded:
            raise LeaseLost(f"Outbox entry {self.entry_id}: lease lost after sending {key!r}.")
        self.until = until
        return result


def _take(entry_id: int, now: datetime.datetime) -> datetime.datetime | None:
    until = now + lease()
    taken = (
        OutboxEntry.objects.filter(pk=entry_id, done_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=until, attempts=F("attempts") + 1)
    )
    return until if taken else None


@contextmanager
def claimed(task: str, kwargs: dict, outbox_id: int | None = None) -> Iterator[Claim | None]:
    """Hold the entry `outbox_id` while working on it; yields None when it is done or another worker holds it.

    Without `outbox_id` (a direct call, a message queued before the outbox existed), the entry not done for the same
    task and arguments is used, or one is made. On success the entry is done; on an error its lease is released,
    its next attempt pushed back, and the error raised again (the task's own retries apply)."""
    now = timezone.now()
    if outbox_id is None:
        entry = OutboxEntry.objects.filter(task=task, kwargs=kwargs, done_at__isnull=True).order_by("pk").first()
        if entry is None:
            entry = OutboxEntry.objects.create(task=task, kwargs=kwargs, next_attempt_at=now + redispatch_after())
        outbox_id = entry.pk
    until = _take(outbox_id, now)
    if until is None:
        yield None
        return
    claim = Claim(OutboxEntry.objects.get(pk=outbox_id), until)
    try:
        yield claim
    except BaseException as error:
        attempts = OutboxEntry.objects.filter(pk=outbox_id).values_list("attempts", flat=True).first() or 1
        delay = min(datetime.timedelta(minutes=2 ** (attempts - 1)), RETRY_DELAY_MAX)
        OutboxEntry.objects.filter(pk=outbox_id, claimed_until=claim.until).update(
            claimed_until=None, next_attempt_at=timezone.now() + delay, last_error=repr(error)[:2000]
        )
        raise
    OutboxEntry.objects.filter(pk=outbox_id, claimed_until=claim.until).update(
        done_at=timezone.now(), claimed_until=None, last_error=""
    )


# Telling the person ----------------------------------------------------------------------------------------------
def postpone(what: str) -> None:
    """Note that something this request caused will only happen later (the broker is out of reach)."""
    _postponed.set((_postponed.get() or frozenset()) | {what})


NOTICES = {
    EMAIL: _("Everything is recorded. The e-mail will go out as soon as possible."),
    DOCUMENT: _("Your request is recorded. The document will be prepared as soon as possible."),
}


class PostponedNotice:
    """Middleware: when what a request caused could not be handed to a worker (the broker out of reach), the page
    the person lands on says that it will happen as soon as possible (Django's messages), instead of an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _postponed.set(None)
        try:
            response = self.get_response(request)
            postponed = _postponed.get()
        finally:
            _postponed.reset(token)
        if postponed and hasattr(request, "_messages") and not request.path.startswith("/api/"):
            from django.contrib import messages

            for what in (EMAIL, DOCUMENT):
                if what in postponed:
                    messages.info(request, NOTICES[what])
        return response
