"""Field validators with French messages."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_siren(value: str) -> None:
    """A SIREN is 9 digits with a Luhn check digit."""
    if not re.fullmatch(r"\d{9}", value or ""):
        raise ValidationError(_("A SIREN number has exactly 9 digits."), code="siren_format")
    total = 0
    for index, char in enumerate(reversed(value)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    if total % 10:
        raise ValidationError(_("This SIREN number is not valid (wrong check digit)."), code="siren_checksum")


def validate_hex_colour(value: str) -> None:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValidationError(_("Give a colour as #RRGGBB, for example #1d4e89."), code="colour")


def validate_codes(values, choices, field_label) -> None:
    """Every item of a multi-valued code field must be one of the allowed codes."""
    if not isinstance(values, list | tuple):
        raise ValidationError(_("A list of codes is expected."), code="not_a_list")
    allowed = [value for value, _label in choices]
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown code(s) for %(field)s: %(unknown)s. Allowed values: %(allowed)s."),
            code="invalid_choice",
            params={"field": field_label, "unknown": ", ".join(map(str, unknown)), "allowed": ", ".join(allowed)},
        )
