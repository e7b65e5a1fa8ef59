"""The PDF report of one incident, rendered on each download (its deadlines run), for whoever may see the incident:
`audits:incident_report` (`config.urls` puts it in the `audits` namespace)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from audits.selectors import incident_detail
from core.views import member_required
from reporting.reports import incident as incident_report
from security.models import SecurityEvent
from security.services import record_event


@require_GET
@member_required
def incident_report_download(request, access, pk):
    incident = get_object_or_404(incident_detail(request.user, access), pk=pk)
    rendered = incident_report.render(incident)
    record_event(
        kind=SecurityEvent.Kind.DOCUMENT_DOWNLOAD,
        request=request,
        collectivite=access.collectivite_id,
        obj=incident,
        details={"document_kind": "incident_report", "incident": incident.pk},
    )
    response = HttpResponse(rendered.content, content_type="application/pdf")
    filename = f"incident-{incident.use_case.reference}-{incident.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
