"""Template filters of the PDF documents."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from core.typography import typeset_html

register = template.Library()


@register.filter(is_safe=True)
def frenchtypo(value) -> str:
    """French typography of a value or a block (`{% filter frenchtypo %}`): `config.typography.typeset_html`.

    Every PDF already goes through it whole (`audits.pdf.render_pdf`), as every page does (the middleware); the
    filter stays for HTML made outside them (the charter's sections built in Python)."""
    text = conditional_escape("" if value is None else value)
    return mark_safe(typeset_html(str(text)))  # nosec B308 B703 — `text` went through conditional_escape above
