"""The SVG charts: valid, accessible markup; values drawn to scale; empty data; the same data as a table."""

import xml.etree.ElementTree as ET

import pytest

from reporting import charts, statistics

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def bar_length(group: ET.Element) -> float:
    return float(group.find(f"{SVG}rect").get("width"))


RISKS = [
    charts.Datum("Risque minimal", 20, "#2d6a4f", "minimal"),
    charts.Datum("Haut risque", 5, "#a4161a", "high"),
    charts.Datum("Interdit", 0, "#1b1b1b", "prohibited"),
]
SERIES = [
    charts.Series("Risque minimal", [4, 2, 0], "#2d6a4f"),
    charts.Series("Haut risque", [2, 0, 1], "#a4161a"),
]


def all_charts():
    return [
        charts.bar_chart(RISKS, chart_id="risk", title="Usages par risque"),
        charts.stacked_bar_chart(["CCAS", "RH", "Voirie"], SERIES, chart_id="services", title="Par service"),
        charts.gauge_chart(
            41, 50, chart_id="compliance", title="Conformité", done_label="À jour", rest_label="En retard"
        ),
        charts.column_chart(
            ["janvier", "février", "mars"],
            [charts.Series("Reçue", [1, 0, 3], "#2f5f98"), charts.Series("Close", [2, 0, 1], "#5c636a")],
            chart_id="months",
            title="Déclarations",
        ),
    ]


@pytest.mark.parametrize("chart", all_charts(), ids=lambda c: c.id)
def test_every_chart_is_valid_svg_announced_as_an_image_with_a_title_and_a_description(chart):
    # when the SVG is parsed as XML
    root = parse(chart)

    # then it is an image whose accessible name and description are its <title> and <desc>
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == chart.title
    assert desc.text == chart.description and desc.text
    assert root.get("viewBox").startswith("0 0 ")


@pytest.mark.parametrize("chart", all_charts(), ids=lambda c: c.id)
def test_every_chart_ships_its_data_as_a_table(chart):
    assert chart.table.caption == chart.title
    assert chart.table.rows
    assert all(len(row) == len(chart.table.columns) for row in chart.table.rows)


def test_bars_are_drawn_to_scale_and_labelled_with_their_value():
    # given 20, 5 and 0
    root = parse(charts.bar_chart(RISKS, chart_id="risk", title="Usages par risque"))
    bars = by_class(root, "chart-bar")

    # then the bars' lengths follow the values, a zero draws nothing, and each value is written as text
    lengths = [bar_length(bar) for bar in bars]
    assert lengths[0] > 0
    assert lengths[1] == pytest.approx(lengths[0] / 4, abs=0.02)
    assert lengths[2] == 0
    texts = ["".join(bar.itertext()) for bar in bars]
    assert texts == ["Risque minimal20", "Haut risque5", "Interdit0"]


def test_a_share_is_drawn_against_its_maximum_not_against_the_largest_bar():
    root = parse(
        charts.bar_chart(
            [charts.Datum("A", 50), charts.Datum("B", 100)],
            chart_id="rates",
            title="Taux",
            max_value=100,
            value_format=charts.percent,
        )
    )
    half, full = (bar_length(bar) for bar in by_class(root, "chart-bar"))
    assert half == pytest.approx(full / 2, abs=0.02)
    assert "50\u202f%" in "".join(root.itertext())


def test_stacked_segments_follow_their_values_and_totals_are_written():
    root = parse(charts.stacked_bar_chart(["CCAS", "RH", "Voirie"], SERIES, chart_id="s", title="Par service"))
    rows = by_class(root, "chart-row")

    assert [row.get("data-total") for row in rows] == ["6", "2", "1"]
    ccas = [float(seg.get("width")) for seg in by_class(rows[0], "chart-segment")]
    rh = [float(seg.get("width")) for seg in by_class(rows[1], "chart-segment")]
    assert ccas[0] == pytest.approx(2 * ccas[1], abs=0.02)  # 4 and 2
    assert rh == [pytest.approx(ccas[1], abs=0.02)]  # RH's single segment (2), no zero-width one
    # each series has its own fill: a pattern from the second one on, so that colour is not the only cue
    fills = [seg.get("fill") for seg in by_class(root, "chart-segment")]
    assert fills[0] == "#2d6a4f" and fills[1].startswith("url(#s-p1)")
    assert root.find(f".//{SVG}pattern[@id='s-p1']") is not None
    # and the legend names every series
    assert {"".join(item.itertext()) for item in by_class(root, "chart-legend-item")} == {
        "Risque minimal",
        "Haut risque",
    }


def test_columns_follow_their_values_on_a_round_axis():
    root = parse(
        charts.column_chart(
            ["janvier", "février", "mars"],
            [charts.Series("Reçue", [1, 0, 3], "#2f5f98"), charts.Series("Close", [2, 0, 4], "#5c636a")],
            category_labels=["janv.", "févr.", "mars"],
            chart_id="m",
            title="Déclarations",
        )
    )
    columns = by_class(root, "chart-column")
    heights = [sum(float(seg.get("height")) for seg in by_class(column, "chart-segment")) for column in columns]
    assert [column.get("data-total") for column in columns] == ["3", "0", "7"]
    assert heights[1] == 0
    assert heights[0] == pytest.approx(heights[2] * 3 / 7, abs=0.02)
    assert "janv." in "".join(root.itertext())


def test_a_gauge_says_its_percentage_and_draws_a_whole_ring_at_100_percent():
    half = parse(charts.gauge_chart(1, 2, chart_id="g", title="Conformité", done_label="À jour", rest_label="Retard"))
    assert "50\u202f%" in "".join(half.itertext())
    assert len(by_class(half, "chart-part")) == 2

    whole = parse(charts.gauge_chart(3, 3, chart_id="g", title="Conformité", done_label="À jour", rest_label="Retard"))
    parts = by_class(whole, "chart-part")
    assert len(parts) == 1 and len(parts[0].findall(f"{SVG}path")) == 2  # two half rings
    assert "100\u202f%" in "".join(whole.itertext())


@pytest.mark.parametrize(
    "chart",
    [
        charts.bar_chart([], chart_id="e1", title="Vide", empty_message="Aucun usage."),
        charts.stacked_bar_chart([], [], chart_id="e2", title="Vide", empty_message="Aucun usage."),
        charts.stacked_bar_chart(
            ["CCAS"], [charts.Series("A", [0], "#000000")], chart_id="e3", title="Vide", empty_message="Aucun usage."
        ),
        charts.gauge_chart(
            0, 0, chart_id="e4", title="Vide", done_label="a", rest_label="b", empty_message="Aucun usage."
        ),
        charts.column_chart(
            ["janvier"], [charts.Series("A", [0], "#000000")], chart_id="e5", title="Vide", empty_message="Aucun usage."
        ),
    ],
    ids=lambda c: c.id,
)
def test_empty_data_gives_a_valid_chart_that_says_so(chart):
    root = parse(chart)
    assert chart.empty
    assert root.get("role") == "img"
    assert "Aucun usage." in "".join(root.itertext())
    assert not by_class(root, "chart-bar") and not by_class(root, "chart-segment")


def test_labels_are_escaped_and_long_ones_shortened_with_the_full_text_kept():
    label = 'Direction <script>alert("x")</script> & services techniques de la métropole et des communes membres'
    chart = charts.bar_chart([charts.Datum(label, 3)], chart_id="x", title="Titre & <b>", width=400)
    root = parse(chart)  # well-formed despite <, > and &

    bar = by_class(root, "chart-bar")[0]
    assert bar.get("data-label") == label
    shown = bar.find(f"{SVG}text")
    assert "…" in "".join(shown.itertext())
    assert shown.find(f"{SVG}title").text == label  # the full label as a tooltip
    assert root.find(f"{SVG}title").text == "Titre & <b>"
    assert chart.table.rows == [[label, "3"]]


def test_ids_are_safe_and_unique_per_chart_so_several_charts_share_a_page():
    chart = charts.stacked_bar_chart(["A"], SERIES, chart_id="Dash: Services", title="T")
    root = parse(chart)
    assert chart.id == "dash-services"
    assert root.find(f"{SVG}title").get("id") == "dash-services-title"
    assert all(p.get("id").startswith("dash-services-") for p in root.iter(f"{SVG}pattern"))


@pytest.mark.parametrize(
    "palette",
    [
        statistics.RISK_COLOURS,
        statistics.DECLARATION_COLOURS,
        statistics.SEVERITY_COLOURS,
        {"status": statistics.STATUS_COLOUR, "on_time": statistics.ON_TIME_COLOUR, "late": statistics.OVERDUE_COLOUR},
    ],
)
def test_chart_colours_stand_out_from_the_white_background(palette):
    # WCAG 1.4.11: graphical objects at 3:1 at least
    for name, colour in palette.items():
        assert charts.contrast_ratio(colour) >= 3, name


@pytest.mark.parametrize(("value", "top"), [(0, 1), (3, 3), (5, 5), (7, 10), (11, 20), (23, 25), (48, 50), (120, 200)])
def test_axes_end_on_a_round_number(value, top):
    assert charts.nice_ceiling(value) == top
