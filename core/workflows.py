"""The one step every workflow takes to move an object from a status to another (use cases, their reviews,
shadow-AI declarations, public records): check the status it leaves, set the new one and what goes with it, count a
version, save, write the event.

Each workflow has one helper built on `move`, which adds what is its own (its lock, its permission, its event
model, its e-mails): `registry.services.reviews._set_status` for a use case (`use_cases._transition` and the
review's decisions go through it), `declarations.services._transition` for a declaration,
`transparency.services._move` for a public record.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from . import labels
from .errors import TransitionError

_UNSET = object()


def refuse(obj, refusal, *, field: str = "status") -> TransitionError:
    """The TransitionError of a move the current status does not allow: `refusal` names the status `%(status)s`."""
    return TransitionError(refusal % {"status": labels.label(obj._meta.get_field(field), getattr(obj, field))})


def move(
    obj,
    target: str,
    *,
    allowed_from: Collection[str] | None = None,
    refusal=None,
    field: str = "status",
    history_user=_UNSET,
    bump_version: bool = True,
    record: Callable[[str], object] | None = None,
    **changes,
):
    """Move `obj` (locked by the caller) to `target`; returns `(previous status, event)`.

    `allowed_from`: the statuses the move may leave (None: the caller checked); a move from another raises
    `TransitionError` with `refusal` (the workflow's sentence, naming the current status `%(status)s`).
    `changes`: other fields set with the status. `bump_version`: count one more version (the optimistic lock of
    the forms). `history_user`: who the model's history names (left to the request when not given).
    `record(previous)`: writes the move's event once the object is saved, and returns it.
    """
    previous = getattr(obj, field)
    if allowed_from is not None and previous not in allowed_from:
        raise refuse(obj, refusal, field=field)
    setattr(obj, field, target)
    for name, value in changes.items():
        setattr(obj, name, value)
    if bump_version:
        obj.version += 1
    if history_user is not _UNSET:
        obj._history_user = history_user
    obj.save()
    return previous, (record(previous) if record is not None else None)
