"""The collectivité's colour turned into a readable palette (WCAG 2.1 contrast), whatever colour it chose.

A collectivité picks one main colour for its identity. Drawn as a band or a button background it keeps its exact
hue, with black or white text on it; written as text (links, headings) or as a focus ring on the app's light
surfaces, it is darkened (mixed with black) just enough to read at 4.5:1, so a pale yellow still gives readable links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_PRIMARY = "#1d4e89"
WHITE = "#ffffff"
BLACK = "#000000"
# The light surfaces text is written on: cards and tables (white) and the page background (registre.css `body`).
PAGE_BACKGROUND = "#f6f6f4"
LIGHT_SURFACES = (WHITE, PAGE_BACKGROUND)
TEXT_CONTRAST = 4.5  # WCAG 1.4.3, normal text (AA)
# The palette aims a little above 4.5:1, so that no rounding of a browser or a checker puts a shade just under it.
_TEXT_TARGET = 4.6
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def parse(colour: str) -> tuple[int, int, int]:
    """`"#1d4e89"` (or `"1d4e89"`, `"#fc0"`) -> (29, 78, 137); ValueError for anything else."""
    match = _HEX.match(colour.strip()) if isinstance(colour, str) else None
    if match is None:
        raise ValueError(f"not a hexadecimal colour: {colour!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance, from 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in parse(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio, from 1 (same luminance) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads best on `background` (always 4.5:1 at least: the better of the two is never
    under 4.58:1)."""
    return WHITE if contrast_ratio(WHITE, background) >= contrast_ratio(BLACK, background) else BLACK


def _mix_with_black(colour: str, share: float) -> str:
    return to_hex(tuple(round(channel * (1 - share)) for channel in parse(colour)))


def readable_shade(colour: str, *, on: tuple[str, ...] = LIGHT_SURFACES, ratio: float = TEXT_CONTRAST) -> str:
    """The colour itself if it reads at `ratio` on every surface of `on`, otherwise the lightest mix of it with black
    that does (same hue, darker): pale yellow #ffff00 becomes an olive, pure blue stays as it is."""
    for step in range(101):
        shade = _mix_with_black(colour, step / 100)
        if all(contrast_ratio(shade, surface) >= ratio for surface in on):
            return shade
    return BLACK  # not reached: black reads at 18:1 at least on the light surfaces


def _rgb(colour: str) -> str:
    return ", ".join(str(channel) for channel in parse(colour))


@dataclass(frozen=True)
class Palette:
    """The CSS custom properties registre.css reads, from one main colour."""

    primary: str  # the chosen colour, as is: the band, buttons' background, decorative borders
    on_primary: str  # text on the primary colour
    text: str  # the readable shade: links, headings in the colour, the active menu item, the focus ring
    text_hover: str  # links on hover: darker still

    def css_variables(self) -> dict[str, str]:
        return {
            "--registre-primary": self.primary,
            "--registre-on-primary": self.on_primary,
            "--registre-primary-text": self.text,
            "--registre-primary-text-hover": self.text_hover,
            "--bs-link-color-rgb": _rgb(self.text),
            "--bs-link-hover-color-rgb": _rgb(self.text_hover),
        }


def palette(colour: str | None) -> Palette:
    """The readable palette of a collectivité's main colour (the default blue when none or an invalid one is set)."""
    try:
        primary = to_hex(parse(colour or DEFAULT_PRIMARY))
    except ValueError:
        primary = DEFAULT_PRIMARY
    text = readable_shade(primary, ratio=_TEXT_TARGET)
    return Palette(
        primary=primary,
        on_primary=text_on(primary),
        text=text,
        text_hover=_mix_with_black(text, 0.25),
    )
