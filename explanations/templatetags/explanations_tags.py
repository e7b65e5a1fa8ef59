from django import template

from explanations import permissions

register = template.Library()


@register.filter
def can_see_explanations(access) -> bool:
    return access is not None and permissions.can_see_queue(access)
