"""Template filters of the charter: a section's plain text as paragraphs and bullet lists."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from documents.templatetags.pdf_tags import frenchtypo

register = template.Library()

BULLETS = ("- ", "• ", "* ")


def text_blocks(text: str) -> list[tuple[str, str | list[str]]]:
    """("p", text) for each paragraph (lines up to a blank line), ("ul", [items]) for each run of lines starting with
    "- " (a line that follows an item without a bullet continues it)."""
    blocks: list[tuple[str, str | list[str]]] = []
    paragraph: list[str] = []

    def close_paragraph():
        if paragraph:
            blocks.append(("p", " ".join(paragraph)))
            paragraph.clear()

    in_list = False
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close_paragraph()
            in_list = False
            continue
        bullet = next((mark for mark in BULLETS if line.startswith(mark)), None)
        if bullet:
            close_paragraph()
            if not in_list:
                blocks.append(("ul", []))
                in_list = True
            blocks[-1][1].append(line[len(bullet) :].strip())
        elif in_list:
            items = blocks[-1][1]
            items[-1] = f"{items[-1]} {line}"
        else:
            paragraph.append(line)
    close_paragraph()
    return blocks


@register.filter(is_safe=True)
def charter_text(text) -> str:
    """The section's text as HTML: <p> paragraphs and <ul> lists, escaped, with French typography."""
    html = []
    for kind, value in text_blocks(str(text or "")):
        if kind == "p":
            html.append(format_html("<p>{}</p>", frenchtypo(value)))
        else:
            html.append(
                format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((frenchtypo(i),) for i in value)))
            )
    return mark_safe("".join(str(part) for part in html))  # nosec B308 B703 — every part was built by format_html/format_html_join
