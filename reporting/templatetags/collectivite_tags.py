"""Template helpers of the collectivité pages: whether to link the consolidated overview and the settings."""

from django import template

from registry.views.collectivite import can_read_settings
from reporting.consolidated import sees_all_collectivites

register = template.Library()


@register.simple_tag(takes_context=True)
def overview_collectivite_count(context) -> int:
    """How many collectivités the person sees whole (one query, cached on the request): the top bar links the
    consolidated overview from two."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    cached = getattr(request, "_registry_overview_count", None)
    if cached is None:
        cached = len(sees_all_collectivites(request.user))
        request._registry_overview_count = cached
    return cached


@register.filter
def can_read_collectivite_settings(access) -> bool:
    return access is not None and can_read_settings(access)
