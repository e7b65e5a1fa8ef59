"""The collectivité's colour turned into a readable palette: whatever colour is chosen, every text reads at 4.5:1."""

import itertools

import pytest

from core import colours
from core.templatetags.theme_tags import readable_on_white, theme_meta
from demo.register import COLLECTIVITE

# Pale yellow, mid grey, pure blue, Bootstrap's blue (4.1:1 on the page), white itself, black, the demo's colours,
# and a grid over the whole RGB cube.
NAMED = ["#ffff00", "#808080", "#777777", "#0000ff", "#0d6efd", "#ffffff", "#000000", "#ffcc00", "#ffd166", "#fc0"]
DEMO = [COLLECTIVITE["primary_colour"], "#35505e", "#7a3b12", colours.DEFAULT_PRIMARY]
GRID = ["#{:02x}{:02x}{:02x}".format(*rgb) for rgb in itertools.product(range(0, 256, 51), repeat=3)]


def test_the_wcag_contrast_ratios_of_known_pairs():
    assert colours.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert colours.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # Bootstrap's link blue: 4.5:1 on white, but under it on the page's background (the figure axe-core reported)
    assert colours.contrast_ratio("#0d6efd", "#ffffff") == pytest.approx(4.5, abs=0.01)
    assert colours.contrast_ratio("#0d6efd", colours.PAGE_BACKGROUND) < 4.5


@pytest.mark.parametrize("colour", NAMED + DEMO + GRID)
def test_every_text_of_the_palette_reads_at_4_5_to_1(colour):
    palette = colours.palette(colour)

    # links and text in the colour, on white and on the page's background, at rest and on hover
    for surface in colours.LIGHT_SURFACES:
        assert colours.contrast_ratio(palette.text, surface) >= 4.5, (colour, palette.text, surface)
        assert colours.contrast_ratio(palette.text_hover, surface) >= 4.5
    # the band's and the buttons' text on the colour itself
    assert colours.contrast_ratio(palette.on_primary, palette.primary) >= 4.5
    # the colour itself stays the collectivité's for the band and the buttons
    assert palette.primary == colours.to_hex(colours.parse(colour))


@pytest.mark.parametrize("colour", ["#ffff00", "#808080", "#ffcc00", "#ffffff"])
def test_a_pale_colour_is_darkened_for_text_keeping_its_hue(colour):
    palette = colours.palette(colour)

    assert palette.text != palette.primary
    red, green, blue = colours.parse(palette.text)
    original = colours.parse(colour)
    # mixed with black: every channel scaled down by the same share
    shares = {
        round(channel / source, 2) for channel, source in zip((red, green, blue), original, strict=True) if source
    }
    assert len(shares) == 1 and shares.pop() < 1


@pytest.mark.parametrize("colour", ["#0000ff", *DEMO])
def test_a_colour_that_already_reads_is_kept_as_is_for_text(colour):
    assert colours.palette(colour).text == colour


def test_black_or_white_text_on_the_colour():
    assert colours.text_on("#ffff00") == colours.BLACK
    assert colours.text_on("#808080") == colours.BLACK  # 5.3:1 with black, 3.9:1 with white
    assert colours.text_on("#0000ff") == colours.WHITE
    assert colours.text_on(COLLECTIVITE["primary_colour"]) == colours.WHITE


@pytest.mark.parametrize("invalid", [None, "", "bleu", "#12345", "#gggggg"])
def test_no_colour_or_an_invalid_one_gives_the_default_palette(invalid):
    assert colours.palette(invalid) == colours.palette(colours.DEFAULT_PRIMARY)


def test_the_pages_receive_the_palette_as_css_variables():
    class Collectivite:
        primary_colour = "#ffff00"

    meta = theme_meta(Collectivite())

    palette = colours.palette("#ffff00")
    assert meta == (
        f'<meta name="registre-theme" data-primary="#ffff00" data-on-primary="#000000"'
        f' data-primary-text="{palette.text}" data-primary-text-hover="{palette.text_hover}">'
    )
    assert theme_meta(None) == ""


def test_a_pdf_heading_in_a_pale_colour_is_darkened_to_read_on_white():
    shade = readable_on_white("#ffff00")

    assert colours.contrast_ratio(shade, "#ffffff") >= 4.5
    assert readable_on_white("#1d4e89") == "#1d4e89"
    assert readable_on_white("") == readable_on_white(None) == colours.DEFAULT_PRIMARY
