"""Rendering of the plain-text e-mails: the one place every e-mail's subject and body are made.

A text/plain body is not HTML: it is rendered without autoescaping, so « Centre communal d'action sociale » reads
as typed, never « d&#x27;action ». Nothing here is ever shown by a browser, so nothing needs escaping. Subject and
body get the French typography of every medium (`config.typography.typeset_text`).
"""

from __future__ import annotations

from django.template import Context
from django.template.engine import Engine

from core.typography import typeset_text


def render_text(template_name: str, context: dict) -> str:
    """A text template rendered as text: no HTML escaping of the values it shows."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_email(template: str, context: dict) -> tuple[str, str]:
    """The subject (on one line) and the body of the e-mail `<template>_subject.txt` / `<template>.txt`."""
    subject = " ".join(render_text(f"{template}_subject.txt", context).split())
    # French typography last: `split()` takes the no-break spaces for spaces.
    return typeset_text(subject), typeset_text(render_text(f"{template}.txt", context))
