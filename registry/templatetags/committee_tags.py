"""Template helpers of the ethics committee's pages and menu entry."""

from __future__ import annotations

from django import template

from .. import permissions

register = template.Library()


@register.filter
def can_view_committee(user, access) -> bool:
    """`{% if user|can_view_committee:access %}`: the committee's members and those who see the whole register."""
    return access is not None and access.is_member and permissions.can_view_committee(user, access)
