"""The consolidated overview: every collectivité a person sees whole, side by side."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reporting import consolidated


@require_GET
@login_required
def consolidated_overview(request):
    rows = consolidated.overview_rows(request.user)
    if not rows:
        raise PermissionDenied(
            _("The overview is for the DPO, the RSSI, the DGS and the administrators of one or more collectivités.")
        )
    return render(request, "registry/consolidated.html", {"rows": rows, "year": consolidated.current_year()})
