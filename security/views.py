"""The security journal: the trail of sign-ins, role and permission changes, exports and downloads of the
collectivité, for its DPO, its RSSI and its administrators (403 for the other roles)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.views import member_required

from . import permissions, selectors
from .filters import SecurityEventFilter
from .presenters import describe

PAGE_SIZE = 50


@require_GET
@member_required
def journal(request, access):
    if not permissions.can_read_journal(access):
        raise PermissionDenied(_("Only the DPO, the RSSI or an administrator may read the security journal."))
    events = selectors.events_visible_to(access)
    filterset = SecurityEventFilter(request.GET or None, queryset=events)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"event": event, "details": describe(event)} for event in page.object_list]
    response = render(
        request,
        "security/journal.html",
        {"filter": filterset, "page": page, "rows": rows, "pages_label": _("Pages of the security journal")},
    )
    response["Cache-Control"] = "private, no-store"
    return response
