"""The one append-only base of the trails of events (use cases, reviews, publications, the charter, security).

`core` has no concrete model: `AppendOnlyModel` is abstract and adds no field (no migration).

An event, once written, is never changed nor deleted:
- one by one: `save()` of a saved row and `delete()` raise `AppendOnlyError`;
- in bulk: the manager's querysets (`Model.objects`, and a parent's related manager, `use_case.events`) refuse
  `delete()`, and `update()` of anything but the trail's bookkeeping (`APPEND_ONLY_BOOKKEEPING`: when the row was
  written, when its e-mails went out — the outbox's claim, the demo's and the anonymity's dating).

Two ways stay open, as before:
- a model whose trail has a retention period sets `append_only_purgeable = True`: its queryset `delete()` is the
  purge (the security trail's `purge_security_events`);
- the deletion of a parent (a collectivité, a use case, a user) cascades to its events, and a `SET_NULL` key is
  cleared: Django's collector goes through the plain `_base_manager`, never through these querysets nor `delete()`.
"""

from __future__ import annotations

from django.db import models

APPEND_ONLY_BOOKKEEPING = frozenset({"created_at", "notified_at"})


class AppendOnlyError(ValueError):
    """An event of an append-only trail was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        content = sorted(set(kwargs) - APPEND_ONLY_BOOKKEEPING)
        if content:
            raise AppendOnlyError(
                f"{self.model.__name__} rows are append-only: {', '.join(content)} may not be updated."
            )
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        if not getattr(self.model, "append_only_purgeable", False):
            raise AppendOnlyError(f"{self.model.__name__} rows are append-only: they are never deleted.")
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """Abstract base of an event model: written once, never changed nor deleted (see the module's docstring)."""

    # True: the trail has a retention period, its old rows go by a queryset delete (never one by one).
    append_only_purgeable = False

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only: a saved row is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only: a row is never deleted.")
