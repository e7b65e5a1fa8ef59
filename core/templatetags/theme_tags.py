"""The collectivité's colours for the pages and the PDFs: the readable palette of `registry.colours`."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from core import colours

register = template.Library()


@register.simple_tag
def theme_meta(collectivite):
    """`{% theme_meta collectivite %}`: the <meta> that registry/js/theme.js turns into CSS variables on <html> (no
    inline style: the Content-Security-Policy refuses it). Nothing without a collectivité: registre.css's defaults."""
    if collectivite is None or not getattr(collectivite, "primary_colour", None):
        return ""
    palette = colours.palette(collectivite.primary_colour)
    return format_html(
        '<meta name="registre-theme" data-primary="{}" data-on-primary="{}" data-primary-text="{}"'
        ' data-primary-text-hover="{}">',
        palette.primary,
        palette.on_primary,
        palette.text,
        palette.text_hover,
    )


@register.filter
def readable_on_white(colour) -> str:
    """`{{ collectivite.primary_colour|readable_on_white }}`: the colour, darkened if needed to read at 4.5:1 on white
    (a PDF's headings in the collectivité's colour)."""
    try:
        return colours.readable_shade(
            colours.to_hex(colours.parse(colour or colours.DEFAULT_PRIMARY)), on=(colours.WHITE,)
        )
    except ValueError:
        return colours.DEFAULT_PRIMARY
