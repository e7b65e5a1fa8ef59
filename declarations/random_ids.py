"""Random primary keys for shadow-AI declarations and their events.

A sequential id tells the order in which rows were written: the named declarations just before and after an anonymous
one (whose times are exact) would bracket when it was made, to be matched against the sign-ins of the security
journal. So every new declaration, named or anonymous, takes an id drawn with `secrets` in [2**31, 2**53): above the
ids of older rows (which keep theirs), and below 2**53 so that it stays exact in JSON and JavaScript. All of them,
never some: with SQLite's AUTOINCREMENT the next automatic id after a random one would be that one plus one.

The events of a declaration must keep their order within one day (those of an anonymous declaration are all dated at
midnight), and events are ordered by (created_at, id): the first event of a declaration takes a random id, each next
one a random step above the last of that declaration. The steps say nothing of time, and nothing relates the ids of
two declarations' events.

A draw that hits an existing id (about one chance in 2**53 / rows) is drawn again: inside a savepoint for `save()`,
before the insert for `bulk_create()`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from django.db import IntegrityError, models, router, transaction

from core.models import AppendOnlyQuerySet

RANDOM_ID_MIN = 2**31
RANDOM_ID_MAX = 2**53  # exclusive: every integer below it is exact in a JSON number (a JavaScript double)
# The next event of a declaration takes a step in [1, EVENT_STEP_MAX] above its last one; the first one is drawn below
# EVENT_FIRST_MAX, which leaves room for 2**32 steps under RANDOM_ID_MAX.
EVENT_STEP_MAX = 2**20
EVENT_FIRST_MAX = 2**52
ATTEMPTS = 10


def random_id(high: int = RANDOM_ID_MAX) -> int:
    """An id in [RANDOM_ID_MIN, high), drawn from the system's secure source."""
    return RANDOM_ID_MIN + secrets.randbelow(high - RANDOM_ID_MIN)


def next_event_id(last: int | None) -> int:
    """The id of a declaration's next event, its last event's id being `last` (None: it has none)."""
    return random_id(EVENT_FIRST_MAX) if last is None else last + 1 + secrets.randbelow(EVENT_STEP_MAX)


def save_with_random_id(instance: models.Model, save: Callable, draw: Callable[[], int], *args, **kwargs) -> None:
    """`save(*args, **kwargs)` for a row not yet written, its id drawn by `draw()`: an INSERT in a savepoint, drawn
    again if the id was taken. Any other integrity error (a unique submission key) is raised as it comes."""
    model = type(instance)
    using = kwargs.get("using") or router.db_for_write(model, instance=instance)
    kwargs["force_insert"] = kwargs.get("force_insert") or True
    for attempt in range(ATTEMPTS):
        instance.pk = draw()
        try:
            with transaction.atomic(using=using):
                save(*args, **kwargs)
            return
        except IntegrityError:
            taken = model._base_manager.using(using).filter(pk=instance.pk).exists()
            instance.pk = None
            if not taken or attempt == ATTEMPTS - 1:
                raise


class RandomIdQuerySet(models.QuerySet):
    """`bulk_create()` gives the rows that have no id a random one (`draw_ids`), never leaving it to the database."""

    def bulk_create(self, objs: Iterable[models.Model], *args, **kwargs):
        objs = list(objs)
        missing = [obj for obj in objs if obj.pk is None]
        if missing:
            self.draw_ids(missing)
        return super().bulk_create(objs, *args, **kwargs)

    def _taken(self, ids: list[int]) -> set[int]:
        taken: set[int] = set()
        for start in range(0, len(ids), 500):
            rows = self.model._base_manager.using(self.db).filter(pk__in=ids[start : start + 500])
            taken.update(rows.values_list("pk", flat=True))
        return taken

    def _draw(self, objs: list[models.Model]) -> None:
        for obj in objs:
            obj.pk = random_id()

    def draw_ids(self, objs: list[models.Model]) -> None:
        for _attempt in range(ATTEMPTS):
            self._draw(objs)
            ids = [obj.pk for obj in objs]
            if len(set(ids)) == len(ids) and not self._taken(ids):
                return
        raise IntegrityError("Could not draw free random ids.")


class DeclarationEventQuerySet(AppendOnlyQuerySet, RandomIdQuerySet):
    """The events of one declaration take increasing ids: a random first one, then random steps above the last."""

    def last_id(self, declaration_id: int) -> int | None:
        events = self.model._base_manager.using(self.db).filter(declaration_id=declaration_id)
        return events.aggregate(last=models.Max("pk"))["last"]

    def _draw(self, objs: list[models.Model]) -> None:
        rows = (
            self.model._base_manager.using(self.db)
            .filter(declaration_id__in={obj.declaration_id for obj in objs})
            .values("declaration_id")
            .annotate(last=models.Max("pk"))
            .values_list("declaration_id", "last")
        )
        last = dict(rows)
        for obj in objs:  # in the order given: the order of the events
            obj.pk = last[obj.declaration_id] = next_event_id(last.get(obj.declaration_id))
