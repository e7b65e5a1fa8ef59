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


# A collectivité's logo (admin): shown on every page and printed in the PDF documents.
LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}


def validate_logo(upload) -> None:
    """A real PNG, JPEG or WebP image read by Pillow (never SVG, which can carry scripts), of at most LOGO_MAX_BYTES
    and LOGO_MAX_SIDE pixels a side. Runs after Django's ImageField, which has already checked that Pillow reads it."""
    from pathlib import Path

    from django.conf import settings
    from PIL import Image

    max_bytes = getattr(settings, "LOGO_MAX_BYTES", 1024 * 1024)
    max_side = getattr(settings, "LOGO_MAX_SIDE", 2000)
    if Path(getattr(upload, "name", "") or "").suffix.lower() in {".svg", ".svgz"}:
        raise ValidationError(_("SVG logos are not accepted: give a PNG, JPEG or WebP image."), code="logo_svg")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The logo is too large: %(size)s KB at most.") % {"size": max_bytes // 1024}, code="logo_size"
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
    except Exception as error:  # Pillow raises many kinds of errors on a file it cannot read
        raise ValidationError(_("The logo is not an image Pillow can read."), code="logo_invalid") from error
    finally:
        upload.seek(position)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(
            _("The logo must be a PNG, JPEG or WebP image (this one is %(format)s).") % {"format": image_format},
            code="logo_format",
        )
    if width > max_side or height > max_side:
        raise ValidationError(
            _("The logo is too big: %(max)s pixels a side at most (this one is %(width)s × %(height)s).")
            % {"max": max_side, "width": width, "height": height},
            code="logo_dimensions",
        )


def as_id(value, *, max_digits: int = 18) -> int | None:
    """A database id or a year typed or sent by a person: ASCII digits only, of a size a database takes; None
    otherwise. `str.isdigit()` alone admits « ² » or « ① » (which int() refuses: a 500) and numbers too large for a
    bigint (an error from PostgreSQL)."""
    text = str("" if value is None else value).strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
