"""The register's file format, declared once: every column of the export, how a value is written, and how the
import reads it back (codes, the French or English labels, several spellings of booleans and dates).

The header row holds the stable codes of DOMAIN.md section 2 (the model's field names); the import also accepts
the columns' French and English names, whatever their case and accents. The classification inputs' columns come
from their declarations (`registry.classification_inputs`): an input added there is a column here, with its label
and its codes.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from registry import choices, classification_inputs, qualification
from registry.choices import Checkpoint, UseCaseStatus
from registry.models import UseCase
from registry.models.use_cases import CLASSIFICATION_RESULT_FIELDS
from registry.services.use_cases import EDITABLE_FIELDS

TEXT, INTEGER, DATE, BOOLEAN, CHOICE, CODES, SERVICE, OWNER, TOOL, DATETIME, OVERRIDES = (
    "text",
    "integer",
    "date",
    "boolean",
    "choice",
    "codes",
    "service",
    "owner",
    "tool",
    "datetime",
    "overrides",
)
TRUE_WORDS = frozenset({"oui", "yes", "true", "vrai", "1", "x"})
FALSE_WORDS = frozenset({"non", "no", "false", "faux", "0", ""})
EXPORT_TRUE, EXPORT_FALSE = "oui", "non"
CODES_SEPARATOR = " | "
# A cell starting with one of these is run as a formula by a spreadsheet: the export prefixes it with an
# apostrophe (OWASP "CSV injection"), and so does it for a value starting with an apostrophe, so that the
# import, which removes one leading apostrophe, gives back exactly the value exported.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# What the import takes for a formula: `=` or `@` first, or `+`/`-` followed by something else than a space
# (a "- " bullet stays text).
_FORMULA = re.compile(r"^(?:[=@]|[+-](?=\S))")


@dataclass(frozen=True)
class Column:
    code: str
    kind: str
    editable: bool = True
    choices: type[models.TextChoices] | None = None
    width: int = 18

    @property
    def field(self):
        return UseCase._meta.get_field(self.code)

    @property
    def label(self):
        """The column's name for people (translated): a classification input's declared label, else the field's."""
        declared = classification_inputs.BY_NAME.get(self.code)
        return declared.label if declared is not None else self.field.verbose_name

    @property
    def multiline(self) -> bool:
        return isinstance(self.field, models.TextField)


def _kind_of(field) -> tuple[str, type[models.TextChoices] | None]:
    if field.name == "service":
        return SERVICE, None
    if field.name == "owner":
        return OWNER, None
    if field.name == "tool":
        return TOOL, None
    if field.name in classification_inputs.MULTI_CODE_FIELDS:
        return CODES, classification_inputs.MULTI_CODE_FIELDS[field.name]
    if field.name == "required_checkpoints":
        return CODES, Checkpoint
    if field.name == "qualification_overrides":
        return OVERRIDES, None
    fact = qualification.FACTS_BY_NAME.get(field.name)
    if fact is not None:
        return (CODES if fact.multiple else CHOICE), fact.choices
    declared = classification_inputs.BY_NAME.get(field.name)
    if declared is not None and declared.choices is not None:
        return CHOICE, declared.choices
    if field.choices:
        return CHOICE, _choices_class(field)
    if isinstance(field, models.BooleanField):
        return BOOLEAN, None
    if isinstance(field, models.DateTimeField):
        return DATETIME, None
    if isinstance(field, models.DateField):
        return DATE, None
    if isinstance(field, models.IntegerField):
        return INTEGER, None
    return TEXT, None


def _choices_class(field) -> type[models.TextChoices]:
    """The TextChoices class behind a field's choices (kept on the column for the labels)."""
    for value in vars(choices).values():
        if isinstance(value, type) and issubclass(value, models.TextChoices) and value.choices == field.choices:
            return value
    raise LookupError(field.name)  # pragma: no cover - every choice field of UseCase uses a registry.choices class


_WIDTHS = {"name": 40, "summary": 60, "description": 60, "purpose": 50, "service": 30, "human_oversight": 40}


def _column(name: str, *, editable: bool) -> Column:
    kind, choices = _kind_of(UseCase._meta.get_field(name))
    width = _WIDTHS.get(name, 30 if kind in (CODES, TEXT) else 16)
    return Column(code=name, kind=kind, editable=editable, choices=choices, width=width)


# The file's columns, in order: the reference first, then what a person fills in, then what the register derives.
COLUMNS: tuple[Column, ...] = (
    Column(code="reference", kind=TEXT, editable=False, width=16),
    *(_column(name, editable=True) for name in EDITABLE_FIELDS[:7]),  # name ... tool
    Column(code="status", kind=CHOICE, editable=False, choices=UseCaseStatus, width=16),
    *(_column(name, editable=True) for name in EDITABLE_FIELDS[7:]),
    Column(code="version", kind=INTEGER, editable=False, width=10),
    *(_column(name, editable=False) for name in CLASSIFICATION_RESULT_FIELDS),
    _column("required_checkpoints", editable=False),
    # The guided qualification: what waits for the DPO or the owner, and the legal inputs the DPO set directly (with
    # their justification). Read only: an override is set by the DPO with a justification, never by a file.
    _column("qualification_to_confirm", editable=False),
    _column("facts_to_complete", editable=False),
    Column(code="qualification_overrides", kind=OVERRIDES, editable=False, width=40),
    # Which rules gave the verdicts above: a file compared with a later one tells a changed rule from a changed use.
    Column(code="classification_ruleset", kind=TEXT, editable=False, width=12),
    Column(code="updated_at", kind=DATETIME, editable=False, width=20),
)
BY_CODE = {column.code: column for column in COLUMNS}
EDITABLE_COLUMNS = tuple(column for column in COLUMNS if column.editable)
# Read on import (the rest of the read-only columns is ignored: the engine recomputes them).
IMPORT_KEY_COLUMNS = ("reference", "status", "version")


def _required_codes() -> tuple[str, ...]:
    """The columns a file must have: the fields the model requires, except the owner, who defaults to the
    person importing (as `use_case_create` does)."""
    required = []
    for column in EDITABLE_COLUMNS:
        field = column.field
        if column.code != "owner" and not field.blank and not field.has_default():
            required.append(column.code)
    return tuple(required)


REQUIRED_CODES = _required_codes()
# Required legal inputs a file may leave out when it gives the facts (DOMAIN.md 3b): the facts derive them.
DERIVED_CODES = frozenset(qualification.DERIVED_INPUTS)
FACT_CODES = frozenset(qualification.FACT_NAMES)


# Headers ------------------------------------------------------------------------------------------------------
def normalise(text: str) -> str:
    """Lower case, no accents, single spaces, `_` and `-` as spaces: how headers and labels are compared."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[\s_\-’']+", " ", text.lower())
    return text.strip()


def header_aliases() -> dict[str, str]:
    """Normalised header → column code: the codes, and the French and English names of the columns."""
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        aliases[normalise(column.code)] = column.code
    for language in ("en", "fr"):
        with translation.override(language):
            for column in COLUMNS:
                aliases.setdefault(normalise(str(column.label)), column.code)
    return aliases


# Writing ------------------------------------------------------------------------------------------------------
def escape_formula(value: str) -> str:
    if value and (value.startswith(FORMULA_TRIGGERS) or value.startswith(ESCAPE)):
        return ESCAPE + value
    return value


def looks_like_formula(value: str) -> bool:
    return bool(_FORMULA.match(value))


def export_value(column: Column, use_case: UseCase, service_paths: dict[int, str], *, typed: bool = False):
    """The cell of `use_case` in `column`: a string (escaped against formulas), or with `typed`, for XLSX,
    an int or a date where the column holds one."""
    code = column.code
    if column.kind == SERVICE:
        value = service_paths.get(use_case.service_id, "")
    elif column.kind == OWNER:
        value = use_case.owner.username if use_case.owner_id else ""
    elif column.kind == TOOL:
        value = use_case.tool.name if use_case.tool_id else ""
    elif column.kind == OVERRIDES:
        value = overrides_text(use_case.qualification_overrides)
    else:
        raw = getattr(use_case, code)
        if column.kind == BOOLEAN:
            value = EXPORT_TRUE if raw else EXPORT_FALSE
        elif column.kind == CODES:
            value = CODES_SEPARATOR.join(raw or [])
        elif column.kind == DATE:
            if typed:
                return raw
            value = raw.isoformat() if raw else ""
        elif column.kind == DATETIME:
            value = timezone.localtime(raw).strftime("%Y-%m-%d %H:%M:%S") if raw else ""
        elif column.kind == INTEGER:
            if typed:
                return raw
            value = "" if raw is None else str(raw)
        else:
            value = "" if raw is None else str(raw)
    return escape_formula(value)


def _input_value_text(value) -> str:
    if isinstance(value, bool):
        return EXPORT_TRUE if value else EXPORT_FALSE
    if isinstance(value, list | tuple):
        return ", ".join(str(code) for code in value) or "—"
    return str(value) if value not in (None, "") else "—"


def overrides_text(overrides: dict) -> str:
    """The legal inputs set directly, readable: "input = value (justification)" each."""
    return CODES_SEPARATOR.join(
        f"{name} = {_input_value_text(override.get('value'))} ({override.get('justification', '')})"
        for name, override in (overrides or {}).items()
    )


def display(column: Column, value, service_paths: dict[int, str]) -> str:
    """A parsed import value written as the export writes it (for the preview's old → new)."""
    if value is None:
        return ""
    if column.kind == SERVICE:
        return service_paths.get(value.pk, str(value))
    if column.kind == OWNER:
        return value.username
    if column.kind == TOOL:
        return value.name
    if column.kind == BOOLEAN:
        return EXPORT_TRUE if value else EXPORT_FALSE
    if column.kind == CODES:
        return CODES_SEPARATOR.join(value)
    if column.kind == DATE:
        return value.isoformat()
    return str(value)


# Reading ------------------------------------------------------------------------------------------------------
class CellError(ValueError):
    """A value the column cannot hold; its message is shown with the line and the column."""


def unescape(value):
    """A cell as read: text loses one leading apostrophe (the export's formula escape), else its surrounding
    spaces."""
    if not isinstance(value, str):
        return value
    if value.startswith(ESCAPE):
        return value[1:]
    return value.strip()


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup = {}
    for code in choices.values:
        lookup[normalise(code)] = code
    for language in ("en", "fr"):
        with translation.override(language):
            for code, label in choices.choices:
                lookup.setdefault(normalise(str(label)), code)
    if set(choices.values) == {qualification.YES, qualification.NO, qualification.UNKNOWN}:
        # A yes/no question of the questionnaire: oui / non as for the booleans.
        for word in TRUE_WORDS:
            lookup.setdefault(word, qualification.YES)
        for word in FALSE_WORDS - {""}:
            lookup.setdefault(word, qualification.NO)
    return lookup


_CHOICE_LOOKUPS: dict[tuple[str, str], dict[str, str]] = {}


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    key = (choices.__module__, choices.__qualname__)
    if key not in _CHOICE_LOOKUPS:
        _CHOICE_LOOKUPS[key] = _choice_lookup(choices)
    return _CHOICE_LOOKUPS[key]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return EXPORT_TRUE if value else EXPORT_FALSE
    return str(value)


def parse_choice(column: Column, value) -> str:
    text = _as_text(value)
    if not text:
        return ""
    code = choice_lookup(column.choices).get(normalise(text))
    if code is None:
        raise CellError(
            _("Unknown value “%(value)s”. Allowed codes: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(column.choices.values)}
        )
    return code


def parse_codes(column: Column, value) -> list[str]:
    text = _as_text(value)
    if not text.strip():
        return []
    lookup = choice_lookup(column.choices)
    whole = lookup.get(normalise(text))
    if whole is not None:
        # One code, or one label (which may hold commas).
        return [whole]
    # Labels may hold commas: the comma separates codes only when neither `|` nor `;` is used.
    separator = "|" if "|" in text else ";" if ";" in text else ","
    codes, unknown = [], []
    for item in text.split(separator):
        item = item.strip()
        if not item:
            continue
        code = lookup.get(normalise(item))
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise CellError(
            _("Unknown code(s): %(unknown)s. Allowed codes: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(column.choices.values)}
        )
    return codes


def parse_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = normalise(_as_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Write oui or non (yes/no, true/false, 1/0 and x are accepted too)."))


def parse_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _as_text(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("Write the date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-03-31."))


def parse_integer(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("A whole number is expected."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _as_text(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise CellError(_("A whole number is expected."))


def parse_text(value) -> str:
    return _as_text(value)
