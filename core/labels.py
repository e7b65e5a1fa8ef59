"""The one code-to-label renderer: what a reader sees of a code of DOMAIN.md's vocabularies.

The rule, written once: a code is shown by its label, as text in the active language; a code the vocabulary does not
know (a value an older rule set stored, a vocabulary that lost a member) is shown as itself, never hidden nor an
error. It is the rule of Django's `get_FOO_display()`, which a model instance keeps using for its own fields.

The exceptions are explicit parameters, not other functions:
- `unknown`: what an unknown code shows instead of itself (the public record shows nothing: `unknown=""`);
- `none`: what an empty list of codes shows (« Aucune », feminine, for the prohibited practices, « Aucun » for the
  CNIL's types: the caller knows the noun, see `registry.presenters.none_answer`).

`choices` is what the code comes with: a `TextChoices` class, a model field with choices, a `{code: label}` mapping,
or `(code, label)` pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext as _

# What a missing value (None, "") shows where a value is expected.
EMPTY = "—"


def vocabulary(choices) -> Mapping:
    """`{code: label}` of a vocabulary given in any of the forms the module's docstring lists."""
    if isinstance(choices, Mapping):
        return choices
    if isinstance(choices, models.Field):
        return dict(choices.flatchoices)
    if isinstance(choices, type) and issubclass(choices, models.Choices):
        return dict(choices.choices)
    return dict(choices)


def label(choices, code, *, unknown: str | None = None) -> str:
    """The label of `code` (an unknown code shows as itself, or as `unknown` when given)."""
    found = vocabulary(choices).get(code)
    if found is None:
        return str(code) if unknown is None else unknown
    return str(found)


def labels(choices, codes: Iterable | None, *, unknown: str | None = None) -> list[str]:
    """The labels of several codes, in their order."""
    mapping = vocabulary(choices)
    return [label(mapping, code, unknown=unknown) for code in codes or ()]


def joined_labels(choices, codes: Iterable | None, *, none: str = "", separator: str = ", ") -> str:
    """The labels of several codes in one text (« Santé, Biométrie »), or `none` when there is none."""
    return separator.join(labels(choices, codes)) or none


def yes_no(value) -> str:
    """A yes-or-no answer."""
    return _("Yes") if value else _("No")
