"""Template helpers of the shadow-AI declarations."""

from __future__ import annotations

from django import template

from declarations import permissions

register = template.Library()


@register.filter
def can_triage(access) -> bool:
    return access is not None and permissions.can_triage(access)
