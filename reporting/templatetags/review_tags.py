"""Template helpers of « Mes tâches »: its count in the main menu (the library keeps the name `review_tags` the
templates load)."""

from __future__ import annotations

from django import template

from reporting.my_tasks import pending_task_count

register = template.Library()
# Beyond this, the menu's badge says "99+" (and its counts stop there: a large backlog costs no more to count).
BADGE_CAP = 99


@register.simple_tag(takes_context=True)
def my_task_count(context) -> int:
    """`{% my_task_count as count %}`: what waits for the person (one query, only where the menu is drawn).

    The tasks page passes its own `task_count` (it has the lists already): no extra query there. Elsewhere the count
    stops at BADGE_CAP + 1: the menu shows "99+" beyond BADGE_CAP."""
    if "task_count" in context:
        return context["task_count"]
    request = context.get("request")
    access = context.get("access")
    if request is None or access is None or not access.is_member:
        return 0
    cached = getattr(request, "_registry_task_count", None)
    if cached is None:
        cached = pending_task_count(request.user, access, cap=BADGE_CAP + 1)
        request._registry_task_count = cached
    return cached


@register.filter
def badge_count(count: int) -> str:
    """`{{ count|badge_count }}`: the count, or "99+" beyond BADGE_CAP."""
    return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)
