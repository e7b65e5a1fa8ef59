"""Template filters of the PDF documents."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NNBSP = "\u202f"  # narrow no-break space, before ; : ! ? and inside « »
_BEFORE = re.compile(r"\s+([;:!?»])")
_AFTER = re.compile(r"(«)\s+")


@register.filter(is_safe=True)
def frenchtypo(value) -> str:
    """French typography: a narrow no-break space before ; : ! ? » and after «, so they never start a line."""
    text = conditional_escape("" if value is None else value)
    text = _BEFORE.sub(lambda m: NNBSP + m.group(1), str(text))
    text = _AFTER.sub(lambda m: m.group(1) + NNBSP, text)
    return mark_safe(text)  # nosec B308 B703 — `text` went through conditional_escape above
