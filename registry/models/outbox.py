"""The outbox: what a write must cause once it is committed (its e-mails, a background task), recorded in the same
transaction as the write, so that a broker out of reach or a worker killed loses nothing (`registry.outbox`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    """One side effect to carry out: the Celery task `task`, called with `kwargs` (and `outbox_id`).

    Handed to the broker after commit, and again by the sweep (`manage.py dispatch_pending`, Celery beat) as long as
    it is not done. A worker claims it with a lease (`claimed_until`) before working, records each e-mail it handed
    to the mail backend (`done_keys`, so a retry sends nobody the same e-mail twice), and marks it done at the end;
    a worker killed lets its lease expire, and the sweep hands the entry to another."""

    task = models.CharField(max_length=200, verbose_name=_("task"))
    kwargs = models.JSONField(default=dict, blank=True, verbose_name=_("arguments"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # When the sweep may hand it to the broker (again): a grace period after the write, then after each handing.
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"))
    dispatched_at = models.DateTimeField(null=True, blank=True, verbose_name=_("handed to the broker at"))
    claimed_until = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed until"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    done_keys = models.JSONField(default=list, blank=True, verbose_name=_("e-mails already sent"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done at"))

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox entries")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(done_at__isnull=True), name="outbox_pending_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs}"
