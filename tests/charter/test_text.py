"""A section's plain text as paragraphs and bullets, and the charter's reading order with the register's data."""

import pytest

from charter.selectors import content_parts
from charter.templatetags.charter_tags import charter_text, text_blocks


@pytest.mark.parametrize(
    "text, blocks",
    [
        ("Un paragraphe.", [("p", "Un paragraphe.")]),
        ("Une ligne\ncontinuée.\n\nUn autre.", [("p", "Une ligne continuée."), ("p", "Un autre.")]),
        ("Sont interdits :\n- a ;\n- b.", [("p", "Sont interdits :"), ("ul", ["a ;", "b."])]),
        (
            "- un point\n  qui continue\n\n- une autre liste",
            [("ul", ["un point qui continue"]), ("ul", ["une autre liste"])],
        ),
        ("• puce\r\n* étoile", [("ul", ["puce", "étoile"])]),
        ("", []),
    ],
)
def test_text_blocks(text, blocks):
    assert text_blocks(text) == blocks


def test_the_html_is_escaped_and_typographed():
    html = str(charter_text("<script>alert(1)</script> : oui\n- « non »"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith("<p>") and "\u202f: oui" in html and "<li>«\u202fnon\u202f»</li>" in html


def test_the_register_s_data_follows_its_sections_or_goes_before_the_last_one():
    sections = [{"key": key, "title": key, "body": ""} for key in ("purpose", "principles", "revision")]

    parts = content_parts({"sections": sections})

    assert [part.get("key", part["kind"]) for part in parts] == [
        "purpose",
        "principles",
        "tools",
        "committee",
        "register",
        "revision",
    ]
    assert [part["number"] for part in parts] == [1, 2, 3, 4, 5, 6]
