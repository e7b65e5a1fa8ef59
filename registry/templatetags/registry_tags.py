"""Template helpers of the register: badges with text, the collectivité's colours, the user's roles."""

from __future__ import annotations

import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from core import colours, labels
from core.roles import Role
from registry import permissions, presenters, selectors
from registry.choices import AiActRisk, DeclarationStatus, RgpdSensitivity, RiskLevel, ToolStatus, UseCaseStatus

register = template.Library()

# Each badge carries its label as text; the CSS class only adds colour (never the only signal).
_BADGES = {
    "risk": AiActRisk,
    "rgpd": RgpdSensitivity,
    "status": UseCaseStatus,
    "tool": ToolStatus,
    "declaration": DeclarationStatus,
    "risk_level": RiskLevel,
}


@functools.cache
def _labels(kind: str, language: str) -> dict[str, str]:
    """The vocabulary's labels, translated once per language (a list renders three badges a row)."""
    return {code: str(label) for code, label in _BADGES[kind].choices}


@register.simple_tag
def badge(kind: str, code: str, prefix: str = ""):
    """`{% badge "risk" use_case.ai_act_risk %}`: a text badge for a code of the given vocabulary.

    `prefix` is read by screen readers only (e.g. "AI Act risk") where no column header says it.
    A simple tag, not an inclusion tag: the register list renders three per row.
    """
    label = labels.label(_labels(kind, get_language()), code)
    hidden = format_html('<span class="visually-hidden">{} : </span>', prefix) if prefix else ""
    return format_html('<span class="badge badge-{}-{}">{}{}</span>', kind, code, hidden, label)


@register.filter
def role_labels(access, person=None) -> str:
    """The user's roles in the current collectivité, as readable labels agreed with the person
    (`{{ access|role_labels:user }}`: « Déléguée à la protection des données (DPO) » for Madame)."""
    from ..titles import role_label

    if access is None:
        return ""
    return ", ".join(role_label(role, person) for role in Role.values if role in access.roles)


@register.simple_tag(takes_context=True)
def user_collectivites(context):
    """The collectivités where the user holds a role (one query, cached on the request)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    cached = getattr(request, "_registry_user_collectivites", None)
    if cached is None:
        cached = list(selectors.collectivites_for_user(request.user))
        request._registry_user_collectivites = cached
    return cached


@register.filter
def can_create_use_case(access) -> bool:
    return access is not None and permissions.can_create_use_case(access)


@register.filter
def on_colour(hex_colour: str) -> str:
    """Black or white, whichever reads best on the given background (WCAG relative luminance)."""
    try:
        return colours.text_on(hex_colour)
    except ValueError:
        return colours.WHITE


@register.simple_tag
def classification_of(obj):
    """`{% classification_of use_case as classification %}` before including `_classification.html`."""
    return presenters.present_classification(obj)


@register.filter
def yes_no(value) -> str:
    return labels.yes_no(value)


@register.filter
def reclassification(event):
    """`{% with change=event|reclassification %}`: a RECLASSIFIED event's cause and verdicts, old -> new, in the
    reader's language (`presenters.reclassification`); None for another event."""
    return presenters.reclassification(event)


@register.filter
def qualification_change(event):
    """`{% with change=event|qualification_change %}`: a qualification event's legal answer set or lifted, old ->
    new, or the questions the DPO confirmed, in the reader's language (`presenters.qualification_event`)."""
    return presenters.qualification_event(event)


@register.filter
def role_title(person, role: str) -> str:
    """`{{ user|role_title:"chair" }}`: the role's title agreed with the person (registry.titles)."""
    from ..titles import title

    return title(role, person)
