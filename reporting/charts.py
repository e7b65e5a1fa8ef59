"""Server-rendered SVG charts: pure functions of plain data, the same markup on the dashboard and in the PDFs.

Hand-written SVG rather than a chart library: the charts must render alike in the browser and in WeasyPrint's own
SVG renderer (which ignores scripts and most CSS), work without a CDN, and carry the accessibility a library does
not give: `role="img"` with `<title>` and `<desc>`, a data table alongside every chart, value labels and fill
patterns so that colour is never the only carrier, and colours with at least 3:1 contrast on white (WCAG 1.4.11).

Every function returns a `Chart`: its SVG (safe markup), a text description, and its data as a table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr  # nosec B406 — escape() writes XML text, it never parses XML

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
TEXT = "#1b1b1b"
MUTED = "#4a4a4a"
GRID = "#c9ced4"
WIDTH = 640
# An average glyph of DejaVu Sans (the widest of the fonts used) is about 0.6 em: a label column sized on it
# holds the label in any of them, without measuring text.
CHAR_WIDTH = 0.62

# Fill patterns, in series order: white strokes over the series' colour (plain, stripes, dots, grid…).
PATTERNS = (
    "",
    '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#fff" stroke-width="1.6" stroke-opacity="0.75"/>',
    '<circle cx="3" cy="3" r="1.3" fill="#fff" fill-opacity="0.8"/>',
    '<path d="M0,3 h6" stroke="#fff" stroke-width="1.4" stroke-opacity="0.75"/>',
    '<path d="M0,0 l6,6 M6,0 l-6,6" stroke="#fff" stroke-width="1.1" stroke-opacity="0.75"/>',
    '<path d="M3,0 v6" stroke="#fff" stroke-width="1.4" stroke-opacity="0.75"/>',
    '<path d="M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2" stroke="#fff" stroke-width="1.6" stroke-opacity="0.75"/>',
)


@dataclass(frozen=True)
class Datum:
    """One bar or one part: its label and value, and optionally its colour and a stable code."""

    label: str
    value: float
    colour: str = ""
    code: str = ""


@dataclass(frozen=True)
class Series:
    """One layer of a stacked chart: a value per category, in the categories' order."""

    label: str
    values: Sequence[float]
    colour: str
    code: str = ""


@dataclass(frozen=True)
class DataTable:
    """The chart's data as a table: `columns` are the header cells, each row starts with its label."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    table: DataTable
    empty: bool = False
    meta: dict = field(default_factory=dict)

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def number(value: float) -> str:
    """An integer as digits, anything else with one decimal (French comma left to the caller's locale)."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def pair(label, value) -> str:
    """ "label: value", with the space French puts before the colon (from the catalogue)."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{number(value)}\u202f%"


# SVG building blocks -------------------------------------------------------------------------------------------------
def _text(value) -> str:
    return escape(str(value))


def _attr(value) -> str:
    return quoteattr(str(value))


def _fmt(value: float) -> str:
    """Coordinates with two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _slug(value: str) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    return slug or "chart"


def _truncate(label: str, max_chars: int) -> str:
    label = str(label)
    return label if len(label) <= max_chars else label[: max(1, max_chars - 1)].rstrip() + "…"


def text_width(label: str, size: float) -> float:
    return len(str(label)) * size * CHAR_WIDTH


def _svg(
    chart_id: str, title: str, description: str, width: float, height: float, body: list[str], kind: str = "bars"
) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{kind}" '
        f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" height="{_fmt(height)}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family={_attr(FONT)} font-size="12" fill="{TEXT}">'
        f'<title id="{chart_id}-title">{_text(title)}</title><desc id="{chart_id}-desc">{_text(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308  # nosec B308 B703 — every text and attribute is escaped


def _pattern_defs(chart_id: str, colours: Sequence[str]) -> str:
    defs = []
    for index, colour in enumerate(colours):
        overlay = PATTERNS[index % len(PATTERNS)]
        if not overlay:
            continue
        defs.append(
            f'<pattern id="{chart_id}-p{index}" patternUnits="userSpaceOnUse" width="6" height="6">'
            f'<rect width="6" height="6" fill="{colour}"/>{overlay}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(chart_id: str, index: int, colour: str) -> str:
    return colour if not PATTERNS[index % len(PATTERNS)] else f"url(#{chart_id}-p{index})"


def _legend(chart_id: str, series: Sequence[Series], *, top: float, width: float) -> tuple[list[str], float]:
    """Swatches (colour and pattern) with their labels, wrapped over as many rows as needed; returns the height."""
    parts, x, y, row = [], 0.0, top, 18
    for index, item in enumerate(series):
        item_width = 18 + text_width(item.label, 11) + 16
        if x and x + item_width > width:
            x, y = 0.0, y + row
        parts.append(
            f'<g class="chart-legend-item"><rect x="{_fmt(x)}" y="{_fmt(y)}" width="12" height="12" '
            f'fill="{_fill(chart_id, index, item.colour)}" stroke="{TEXT}" stroke-width="0.6"/>'
            f'<text x="{_fmt(x + 17)}" y="{_fmt(y + 10)}" font-size="11">{_text(item.label)}</text></g>'
        )
        x += item_width
    return parts, (y - top + row) if series else 0


def _empty(chart_id: str, title: str, message: str, table: DataTable, width: float = WIDTH) -> Chart:
    body = [
        f'<rect x="0.5" y="0.5" width="{_fmt(width - 1)}" height="59" fill="#fff" stroke="{GRID}" '
        f'stroke-dasharray="4 3"/>',
        f'<text x="{_fmt(width / 2)}" y="35" text-anchor="middle" fill="{MUTED}">{_text(message)}</text>',
    ]
    return Chart(chart_id, title, message, _svg(chart_id, title, message, width, 60, body), table, empty=True)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (the count itself up to 5): the top of an axis."""
    if value <= 0:
        return 1
    if value <= 5:  # small counts: one tick per unit
        return math.ceil(value)
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover — the loop always returns


def _ticks(top: float) -> list[float]:
    """Four or five round ticks from 0 to `top` (integers only: these charts count things)."""
    if top <= 5:
        return [float(i) for i in range(int(top) + 1)]
    for count in (5, 4, 3, 2):
        step = top / count
        if step.is_integer():
            return [step * i for i in range(count + 1)]
    return [0.0, top]


# Charts ---------------------------------------------------------------------------------------------------------------
def bar_chart(
    items: Sequence[Datum],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    colour: str = "#1d4e89",
    max_value: float | None = None,
    value_format: Callable[[float], str] = number,
    value_header: str = "",
    label_header: str = "",
    empty_message: str = "",
    width: float = WIDTH,
) -> Chart:
    """Horizontal bars, one per item, each with its label on the left and its value at its end."""
    chart_id = _slug(chart_id)
    value_header = value_header or _("Number")
    table = DataTable(
        title, [label_header or _("Category"), value_header], [[d.label, value_format(d.value)] for d in items]
    )
    if not items:
        return _empty(chart_id, title, empty_message or _("No data to show."), table, width)
    summary = "; ".join(pair(d.label, value_format(d.value)) for d in items)
    description = f"{description} {summary}." if description else f"{summary}."
    scale_max = max_value if max_value else max((d.value for d in items), default=0)
    label_width = min(max(text_width(d.label, 12) for d in items) + 14, width * 0.5)
    max_chars = int((label_width - 14) / (12 * CHAR_WIDTH))
    value_room = max(text_width(value_format(d.value), 12) for d in items) + 12
    bar_room = width - label_width - value_room
    row, bar, top = 26, 16, 4
    height = top * 2 + row * len(items)
    body = [
        f'<line x1="{_fmt(label_width)}" y1="{top}" x2="{_fmt(label_width)}" y2="{_fmt(height - top)}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for index, item in enumerate(items):
        y = top + index * row
        length = bar_room * item.value / scale_max if scale_max and item.value > 0 else 0
        label = _truncate(item.label, max_chars)
        tooltip = f"<title>{_text(item.label)}</title>" if label != item.label else ""
        body.append(
            f'<g class="chart-bar" data-label={_attr(item.label)} data-value="{_fmt(item.value)}">'
            f'<text x="{_fmt(label_width - 8)}" y="{_fmt(y + row / 2 + 4)}" text-anchor="end">{tooltip}'
            f"{_text(label)}</text>"
            f'<rect x="{_fmt(label_width)}" y="{_fmt(y + (row - bar) / 2)}" width="{_fmt(length)}" height="{bar}" '
            f'fill="{item.colour or colour}"/>'
            f'<text x="{_fmt(label_width + length + 6)}" y="{_fmt(y + row / 2 + 4)}" font-weight="bold">'
            f"{_text(value_format(item.value))}</text></g>"
        )
    return Chart(chart_id, title, description, _svg(chart_id, title, description, width, height, body), table)


def stacked_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    category_header: str = "",
    empty_message: str = "",
    width: float = WIDTH,
) -> Chart:
    """Horizontal bars made of one segment per series (e.g. use cases by service, stacked by risk level), with the
    total at the end of each bar, a legend, and each segment's value where it fits."""
    chart_id = _slug(chart_id)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    table = DataTable(
        title,
        [category_header or _("Category"), *(s.label for s in series), _("Total")],
        [
            [category, *(number(s.values[i]) for s in series), number(totals[i])]
            for i, category in enumerate(categories)
        ],
    )
    if not categories or not any(totals):
        return _empty(chart_id, title, empty_message or _("No data to show."), table, width)
    summary = "; ".join(
        pair(category, number(totals[i]))
        + " ("
        + ", ".join(f"{s.label} {number(s.values[i])}" for s in series if s.values[i])
        + ")"
        for i, category in enumerate(categories)
    )
    description = f"{description} {summary}." if description else f"{summary}."
    legend, legend_height = _legend(chart_id, series, top=0, width=width)
    top = legend_height + 8
    label_width = min(max(text_width(c, 12) for c in categories) + 14, width * 0.38)
    max_chars = int((label_width - 14) / (12 * CHAR_WIDTH))
    total_room = max(text_width(number(t), 12) for t in totals) + 12
    bar_room = width - label_width - total_room
    scale_max = max(totals)
    row, bar = 28, 18
    height = top + row * len(categories) + 4
    body = [
        _pattern_defs(chart_id, [s.colour for s in series]),
        *legend,
        f'<line x1="{_fmt(label_width)}" y1="{_fmt(top)}" x2="{_fmt(label_width)}" y2="{_fmt(height - 2)}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
    ]
    for row_index, category in enumerate(categories):
        y = top + row_index * row
        label = _truncate(category, max_chars)
        tooltip = f"<title>{_text(category)}</title>" if label != category else ""
        body.append(
            f'<g class="chart-row" data-label={_attr(category)} data-total="{_fmt(totals[row_index])}">'
            f'<text x="{_fmt(label_width - 8)}" y="{_fmt(y + row / 2 + 4)}" text-anchor="end">{tooltip}'
            f"{_text(label)}</text>"
        )
        x = label_width
        for index, item in enumerate(series):
            value = item.values[row_index]
            if value <= 0:
                continue
            length = bar_room * value / scale_max
            body.append(
                f'<rect class="chart-segment" data-series={_attr(item.label)} data-value="{_fmt(value)}" '
                f'x="{_fmt(x)}" y="{_fmt(y + (row - bar) / 2)}" width="{_fmt(length)}" height="{bar}" '
                f'fill="{_fill(chart_id, index, item.colour)}" stroke="#fff" stroke-width="0.8"/>'
            )
            label_text = number(value)
            pill = text_width(label_text, 10) + 6
            if length >= pill + 4:
                cx = x + length / 2
                body.append(
                    f'<rect x="{_fmt(cx - pill / 2)}" y="{_fmt(y + row / 2 - 6.5)}" width="{_fmt(pill)}" height="13" '
                    f'rx="3" fill="#fff"/><text x="{_fmt(cx)}" y="{_fmt(y + row / 2 + 3.5)}" font-size="10" '
                    f'text-anchor="middle">{_text(label_text)}</text>'
                )
            x += length
        body.append(
            f'<text x="{_fmt(x + 6)}" y="{_fmt(y + row / 2 + 4)}" font-weight="bold">'
            f"{_text(number(totals[row_index]))}</text></g>"
        )
    return Chart(chart_id, title, description, _svg(chart_id, title, description, width, height, body), table)


def _ring_segment(cx: float, cy: float, outer: float, inner: float, start: float, end: float) -> str:
    """A ring slice between two angles (radians, clockwise from 12 o'clock) as a path."""

    def point(radius, angle):
        return cx + radius * math.sin(angle), cy - radius * math.cos(angle)

    large = 1 if end - start > math.pi else 0
    x1, y1 = point(outer, start)
    x2, y2 = point(outer, end)
    x3, y3 = point(inner, end)
    x4, y4 = point(inner, start)
    return (
        f"M{_fmt(x1)},{_fmt(y1)} A{_fmt(outer)},{_fmt(outer)} 0 {large} 1 {_fmt(x2)},{_fmt(y2)} "
        f"L{_fmt(x3)},{_fmt(y3)} A{_fmt(inner)},{_fmt(inner)} 0 {large} 0 {_fmt(x4)},{_fmt(y4)} Z"
    )


def donut_chart(
    parts: Sequence[Datum],
    *,
    chart_id: str,
    title: str,
    centre: str,
    centre_caption: str = "",
    description: str = "",
    label_header: str = "",
    value_header: str = "",
    empty_message: str = "",
) -> Chart:
    """A ring split into parts (e.g. checkpoints on time and overdue) with a figure in its centre (e.g. the share on
    time) and a legend giving each part's value; the first part starts at 12 o'clock."""
    chart_id = _slug(chart_id)
    total = sum(p.value for p in parts)
    table = DataTable(
        title,
        [label_header or _("Category"), value_header or _("Number"), _("Share")],
        [[p.label, number(p.value), percent(round(100 * p.value / total)) if total else "—"] for p in parts],
    )
    if not total:
        return _empty(chart_id, title, empty_message or _("No data to show."), table, 400)
    summary = "; ".join(pair(p.label, number(p.value)) for p in parts)
    description = f"{description} {centre}. {summary}." if description else f"{centre}. {summary}."
    height, cx, cy, outer, inner = 190, 95, 95, 88, 58
    body = [_pattern_defs(chart_id, [p.colour for p in parts])]
    angle = 0.0
    for index, part in enumerate(parts):
        if part.value <= 0:
            continue
        sweep = 2 * math.pi * part.value / total
        fill = _fill(chart_id, index, part.colour)
        data = f'class="chart-part" data-label={_attr(part.label)} data-value="{_fmt(part.value)}"'
        if sweep >= 2 * math.pi - 1e-9:  # a whole ring: two halves (one arc cannot close on itself)
            body.append(
                f'<g {data}><path d="{_ring_segment(cx, cy, outer, inner, 0, math.pi)}" fill="{fill}"/>'
                f'<path d="{_ring_segment(cx, cy, outer, inner, math.pi, 2 * math.pi)}" fill="{fill}"/></g>'
            )
        else:
            segment = _ring_segment(cx, cy, outer, inner, angle, angle + sweep)
            body.append(f'<path {data} d="{segment}" fill="{fill}" stroke="#fff" stroke-width="1"/>')
        angle += sweep
    body.append(
        f'<text x="{cx}" y="{cy + (2 if centre_caption else 9)}" text-anchor="middle" font-size="26" '
        f'font-weight="bold">{_text(centre)}</text>'
    )
    if centre_caption:
        body.append(
            f'<text x="{cx}" y="{cy + 20}" text-anchor="middle" font-size="10.5" fill="{MUTED}">'
            f"{_text(_truncate(centre_caption, 16))}</text>"
        )
    x, y = 2 * cx + 24, cy - 12 * len(parts) + 8
    for index, part in enumerate(parts):
        share = percent(round(100 * part.value / total))
        body.append(
            f'<g class="chart-legend-item"><rect x="{x}" y="{_fmt(y + index * 24 - 11)}" width="14" height="14" '
            f'fill="{_fill(chart_id, index, part.colour)}" stroke="{TEXT}" stroke-width="0.6"/>'
            f'<text x="{x + 20}" y="{_fmt(y + index * 24)}" font-size="12">{_text(pair(part.label, ""))}'
            f'<tspan font-weight="bold">{_text(number(part.value))}</tspan> ({_text(share)})</text></g>'
        )
    legend_width = max(text_width(pair(p.label, f"{number(p.value)} (100 %)"), 12) for p in parts) + 20
    width = max(x + legend_width, 2 * cx + 40)
    svg = _svg(chart_id, title, description, width, height, body, kind="ring")
    return Chart(chart_id, title, description, svg, table)


def gauge_chart(
    done: int,
    total: int,
    *,
    chart_id: str,
    title: str,
    done_label: str,
    rest_label: str,
    caption: str = "",
    description: str = "",
    empty_message: str = "",
    done_colour: str = "#146c43",
    rest_colour: str = "#a4161a",
) -> Chart:
    """A share as a ring: `done` of `total` (e.g. checkpoints on time), the percentage in the centre."""
    rate = round(100 * done / total) if total else None
    return donut_chart(
        [Datum(done_label, done, done_colour, "done"), Datum(rest_label, max(total - done, 0), rest_colour, "rest")],
        chart_id=chart_id,
        title=title,
        centre=percent(rate),
        centre_caption=caption,
        description=description,
        empty_message=empty_message,
    )


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    category_header: str = "",
    empty_message: str = "",
    category_labels: Sequence[str] | None = None,
    width: float = WIDTH,
) -> Chart:
    """Vertical columns, one per category (e.g. per month), stacked by series (e.g. the declarations' outcomes),
    with the total above each column, a y axis with round ticks and a legend. `category_labels` are the short
    labels under the columns (e.g. "janv."), `categories` the full ones (table and description)."""
    chart_id = _slug(chart_id)
    labels = list(category_labels or categories)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    table = DataTable(
        title,
        [category_header or _("Category"), *(s.label for s in series), _("Total")],
        [
            [category, *(number(s.values[i]) for s in series), number(totals[i])]
            for i, category in enumerate(categories)
        ],
    )
    if not categories or not any(totals):
        return _empty(chart_id, title, empty_message or _("No data to show."), table, width)
    summary = "; ".join(pair(category, number(totals[i])) for i, category in enumerate(categories) if totals[i])
    description = f"{description} {summary}." if description else f"{summary}."
    legend, legend_height = _legend(chart_id, series, top=0, width=width)
    top = legend_height + 16
    plot_height, axis_width, bottom = 170, 34, 22
    height = top + plot_height + bottom
    scale_max = nice_ceiling(max(totals))
    band = (width - axis_width) / len(categories)
    column = min(band * 0.62, 44)
    body = [_pattern_defs(chart_id, [s.colour for s in series]), *legend]
    for tick in _ticks(scale_max):
        y = top + plot_height - plot_height * tick / scale_max
        body.append(
            f'<line x1="{axis_width}" y1="{_fmt(y)}" x2="{width}" y2="{_fmt(y)}" stroke="{GRID}" stroke-width="0.8"/>'
            f'<text x="{axis_width - 6}" y="{_fmt(y + 4)}" text-anchor="end" font-size="10.5" fill="{MUTED}">'
            f"{_text(number(tick))}</text>"
        )
    baseline = top + plot_height
    for index, category in enumerate(categories):
        x = axis_width + band * index + (band - column) / 2
        y = baseline
        body.append(f'<g class="chart-column" data-label={_attr(category)} data-total="{_fmt(totals[index])}">')
        for series_index, item in enumerate(series):
            value = item.values[index]
            if value <= 0:
                continue
            segment = plot_height * value / scale_max
            y -= segment
            body.append(
                f'<rect class="chart-segment" data-series={_attr(item.label)} data-value="{_fmt(value)}" '
                f'x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(column)}" height="{_fmt(segment)}" '
                f'fill="{_fill(chart_id, series_index, item.colour)}" stroke="#fff" stroke-width="0.8"/>'
            )
        if totals[index]:
            body.append(
                f'<text x="{_fmt(x + column / 2)}" y="{_fmt(y - 4)}" text-anchor="middle" font-size="11" '
                f'font-weight="bold">{_text(number(totals[index]))}</text>'
            )
        body.append(
            f'<text x="{_fmt(x + column / 2)}" y="{_fmt(baseline + 15)}" text-anchor="middle" font-size="10.5">'
            f"{_text(labels[index])}</text></g>"
        )
    body.append(
        f'<line x1="{axis_width}" y1="{_fmt(baseline)}" x2="{width}" y2="{_fmt(baseline)}" stroke="{MUTED}" '
        f'stroke-width="1"/>'
    )
    return Chart(chart_id, title, description, _svg(chart_id, title, description, width, height, body), table)


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
