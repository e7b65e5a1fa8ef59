"""The compliance page: checkpoints attested on time, overall, by service and by use case, with the overdue ones
(`audits.selectors.compliance_summary`), in the `audits` namespace its name has always had (`audits:compliance`;
`config.urls` puts it there)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audits.permissions import COMPLIANCE_ROLES, can_see_compliance
from audits.selectors import compliance_summary, overdue_incidents_for_compliance
from core.views import member_required
from fria import selectors as fria_selectors
from registry.selectors import services_of


@require_GET
@member_required
def compliance(request, access):
    if not can_see_compliance(access):
        raise PermissionDenied(
            _("Compliance is shown to the DPO, the RSSI, the DGS, the administrators and the heads of service.")
        )
    summary = compliance_summary(request.user, access)
    today = summary["today"]
    for checkpoint in summary["overdue"]:
        checkpoint.days_late = (today - checkpoint.next_due).days
    headed = []
    if not access.roles & COMPLIANCE_ROLES:
        headed = list(services_of(access).filter(pk__in=access.headed_service_ids).order_by("name"))
    # The AIDFs due (AI Act art. 27): required, and not approved and notified yet (one query).
    fria_due = fria_selectors.fria_due_rows(fria_selectors.fria_due_scope(request.user, access))
    # The notification deadlines of serious incidents and breaches that passed (AI Act art. 73, RGPD art. 33).
    overdue_incidents = overdue_incidents_for_compliance(request.user, access)
    return render(
        request,
        "audits/compliance.html",
        {**summary, "headed_services": headed, "fria_due": fria_due, "overdue_incidents": overdue_incidents},
    )
