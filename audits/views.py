"""The web pages of human-control checkpoints: a checkpoint and its attestations, attesting (in one click from
"Mes contrôles" or with the full form), owners and frequencies, incidents, suspension and production, the
evidence download (the compliance page is reporting's: `reporting.views.compliance`).

Thin views: `selectors` say what the user sees (a use case out of scope answers 404), `permissions` what they
may do (403 otherwise), and every change goes through `audits.services` or the register's services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ConflictError, ForbiddenError
from core.views import member_required
from registry import permissions as registry_permissions
from registry import selectors as registry_selectors
from registry import services as registry_services
from registry.views.register import PRODUCTION_REFUSED
from security.models import SecurityEvent
from security.services import record_event, record_evidence_download

from . import incident_clocks, incidents, permissions, schedule, selectors, services
from .forms import (
    AttestationForm,
    BreachAssessmentForm,
    CheckpointAddForm,
    CheckpointEditForm,
    IncidentForm,
    IncidentNotificationForm,
    IncidentQualificationForm,
)
from .models import Checkpoint, Incident

# Reading ------------------------------------------------------------------------------------------


def _use_case_of(request, access, pk):
    """A use case the user may see, else 404."""
    return get_object_or_404(registry_selectors.use_case_detail(request.user, access), pk=pk)


def _checkpoints_in_reach(user, access):
    """The checkpoints of the use cases the user sees, and those they own: an owner attests their control
    even when they may not read the whole use case (the DPO may name anyone of the collectivité)."""
    visible = selectors.checkpoints_visible_to(user, access).values("pk")
    return Checkpoint.objects.filter(use_case__collectivite_id=access.collectivite_id).filter(
        Q(pk__in=visible) | Q(owner=user)
    )


def _checkpoint_of(request, access, pk, *, history: bool = False):
    queryset = _checkpoints_in_reach(request.user, access).select_related(
        "type", "owner", "use_case", "use_case__service", "use_case__owner"
    )
    if history:
        queryset = queryset.prefetch_related("attestations__attested_by")
    return get_object_or_404(queryset, pk=pk)


def _next_url(request, default: str) -> str:
    """Where to go back after a form: the page the person came from (same site only), else `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _use_case_anchor(use_case_pk: int, anchor: str) -> str:
    return f"{reverse('registry:use_case_detail', args=[use_case_pk])}#{anchor}"


@require_GET
@member_required
def checkpoint_detail(request, access, pk):
    checkpoint = _checkpoint_of(request, access, pk, history=True)
    use_case = checkpoint.use_case
    return render(
        request,
        "audits/checkpoint_detail.html",
        {
            "checkpoint": checkpoint,
            "use_case": use_case,
            "use_case_visible": registry_permissions.can_view_use_case(request.user, access, use_case),
            "can_manage_checkpoints": permissions.can_manage_checkpoints(request.user, access, use_case),
        },
    )


# Attesting ----------------------------------------------------------------------------------------


def _attested_message(attestation) -> str:
    checkpoint = attestation.checkpoint
    values = {"title": checkpoint.type.display_title, "reference": checkpoint.use_case.reference}
    if checkpoint.next_due:
        values["date"] = date_format(checkpoint.next_due, "DATE_FORMAT")
        return _("Attestation recorded for “%(title)s” (%(reference)s). Next due date: %(date)s.") % values
    return _("Attestation recorded for “%(title)s” (%(reference)s).") % values


def _check_can_attest(user, checkpoint) -> None:
    if not permissions.can_attest(user, checkpoint):
        if not checkpoint.active:
            raise PermissionDenied(_("This checkpoint is no longer required: it cannot be attested."))
        if checkpoint.owner_id != user.pk:
            raise PermissionDenied(_("Only the owner of this checkpoint can attest it."))
        raise PermissionDenied(services.not_running_message(checkpoint.use_case))


@require_http_methods(["GET", "POST"])
@member_required
def checkpoint_attest(request, access, pk):
    checkpoint = _checkpoint_of(request, access, pk)
    _check_can_attest(request.user, checkpoint)
    default_next = reverse("audits:checkpoint_detail", args=[checkpoint.pk])
    if request.method != "POST":
        form = AttestationForm(checkpoint=checkpoint)
        return _render_attest(request, checkpoint, form, next_url=_next_url(request, default_next))

    form = AttestationForm(request.POST, request.FILES, checkpoint=checkpoint)
    if form.is_valid():
        try:
            attestation = services.attestation_record(
                checkpoint=checkpoint, acting_user=request.user, **form.service_arguments()
            )
        except services.ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _attested_message(attestation))
            return redirect(_next_url(request, default_next))
    if request.FILES.get("evidence"):
        # A browser never fills a file field again: say so next to it, everything else typed is kept.
        form.add_error("evidence", _("The file you chose was not kept: choose it again before sending."))
    return _render_attest(request, checkpoint, form, next_url=_next_url(request, default_next), status=400)


def _render_attest(request, checkpoint, form, *, next_url: str, status: int = 200):
    return render(
        request,
        "audits/checkpoint_attest.html",
        {"checkpoint": checkpoint, "form": form, "next_url": next_url},
        status=status,
    )


@require_POST
@member_required
def checkpoint_attest_quick(request, access, pk):
    """ "Attested today, nothing to report": one click from "Mes contrôles"."""
    checkpoint = _checkpoint_of(request, access, pk)
    _check_can_attest(request.user, checkpoint)
    try:
        attestation = services.attestation_record(checkpoint=checkpoint, acting_user=request.user)
    except services.ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _attested_message(attestation))
    return redirect(_next_url(request, reverse("audits:my_checkpoints")))


# Owners, frequencies, new checkpoints ---------------------------------------------------------------


def _check_can_manage(request, access, use_case) -> None:
    if not permissions.can_manage_checkpoints(request.user, access, use_case):
        raise PermissionDenied(
            _("Only the people who may change this use case, the DPO and the RSSI manage its checkpoints.")
        )


@require_http_methods(["GET", "POST"])
@member_required
def checkpoint_edit(request, access, pk):
    checkpoint = _checkpoint_of(request, access, pk)
    _check_can_manage(request, access, checkpoint.use_case)
    conflict = None
    status = 200
    if request.method == "POST":
        form = CheckpointEditForm(request.POST, checkpoint=checkpoint)
        status = 400
        if form.is_valid():
            try:
                services.checkpoint_update(
                    checkpoint=checkpoint,
                    acting_user=request.user,
                    owner=form.cleaned_data["owner"],
                    frequency=form.cleaned_data["frequency"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as error:
                # Show what is recorded now; the person's choice stays in the form, ready to be saved over it.
                conflict = str(error.message)
                checkpoint = _checkpoint_of(request, access, pk)
                data = request.POST.copy()
                data["version"] = checkpoint.version
                form = CheckpointEditForm(data, checkpoint=checkpoint)
                form.is_valid()
                status = 409
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("Checkpoint “%(title)s” updated.") % {"title": checkpoint.type.display_title},
                )
                return redirect(_use_case_anchor(checkpoint.use_case_id, f"checkpoint-{checkpoint.pk}"))
    else:
        form = CheckpointEditForm(checkpoint=checkpoint)
    return render(
        request,
        "audits/checkpoint_edit.html",
        {"checkpoint": checkpoint, "use_case": checkpoint.use_case, "form": form, "conflict": conflict},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required
def checkpoint_add(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    _check_can_manage(request, access, use_case)
    types = (
        selectors.checkpoint_types_for(use_case.collectivite_id)
        .exclude(pk__in=use_case.checkpoints.filter(active=True).values("type_id"))
        .order_by(F("collectivite_id").asc(nulls_first=True), "code")
    )
    if request.method != "POST":
        form = CheckpointAddForm(use_case=use_case, types=types, initial={"owner": use_case.owner_id})
        return _render_add(request, use_case, form)
    form = CheckpointAddForm(request.POST, use_case=use_case, types=types)
    if form.is_valid():
        try:
            checkpoint = services.checkpoint_add(
                use_case=use_case,
                acting_user=request.user,
                type=form.cleaned_data["type"],
                owner=form.cleaned_data["owner"],
                frequency=form.cleaned_data["frequency"] or None,
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Checkpoint “%(title)s” added to %(reference)s.")
                % {"title": checkpoint.type.display_title, "reference": use_case.reference},
            )
            return redirect(_use_case_anchor(use_case.pk, f"checkpoint-{checkpoint.pk}"))
    return _render_add(request, use_case, form, status=400)


def _render_add(request, use_case, form, status: int = 200):
    return render(request, "audits/checkpoint_add.html", {"use_case": use_case, "form": form}, status=status)


# Incidents, suspension, production ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def incident_create(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    if not permissions.can_record_incident(request.user, access, use_case):
        raise PermissionDenied(
            _(
                "Only the people responsible for this use case, its checkpoints' owners, the DPO and the RSSI "
                "record its incidents. Tell one of them what happened."
            )
        )
    if request.method != "POST":
        return _render_incident(request, use_case, IncidentForm())
    form = IncidentForm(request.POST)
    if form.is_valid():
        try:
            incident = services.incident_record(use_case=use_case, acting_user=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return _incident_recorded(request, access, use_case, incident)
    return _render_incident(request, use_case, form, status=400)


def _render_incident(request, use_case, form, status: int = 200):
    return render(request, "audits/incident_form.html", {"use_case": use_case, "form": form}, status=status)


def _incident_recorded(request, access, use_case, incident):
    messages.success(request, _("Incident recorded on %(reference)s.") % {"reference": use_case.reference})
    if incident.personal_data_breach:
        deadline = timezone.localtime(incident.breach_deadline)
        messages.warning(
            request,
            _(
                "Possible personal-data breach: the DPO has been alerted and must assess it before %(deadline)s "
                "(72 hours, RGPD art. 33)."
            )
            % {"deadline": date_format(deadline, "DATETIME_FORMAT")},
        )
    anchor = "incidents"
    if incident.severity == Incident.Severity.SERIOUS and use_case.status in selectors.LIVE:
        if registry_permissions.can_suspend(access):
            messages.warning(
                request,
                _("Serious incident: you may suspend the use case now, with the form below (AI Act art. 26(5))."),
            )
            anchor = "suspend"
        else:
            messages.warning(
                request,
                _(
                    "Serious incident: the DPO and the RSSI have been alerted and may suspend the use case "
                    "(AI Act art. 26(5)). Stop using it if people are at risk."
                ),
            )
    return redirect(_use_case_anchor(use_case.pk, anchor))


@require_POST
@member_required
def use_case_suspend(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    if not registry_permissions.can_suspend(access):
        raise PermissionDenied(_("Only the DPO and the RSSI may suspend a use case."))
    try:
        registry_services.use_case_suspend(
            use_case=use_case, acting_user=request.user, reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect(_use_case_anchor(use_case.pk, "suspend"))
    messages.success(
        request,
        _("Use case %(reference)s is suspended. The reason is recorded in the trail of events.")
        % {"reference": use_case.reference},
    )
    return redirect("registry:use_case_detail", pk=use_case.pk)


@require_POST
@member_required
def use_case_put_into_production(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    if not registry_permissions.can_change_use_case(request.user, access, use_case):
        raise PermissionDenied(_("You may not take this action on this use case."))
    try:
        registry_services.use_case_put_into_production(
            use_case=use_case, acting_user=request.user, comment=request.POST.get("comment", "").strip()
        )
    except ApplicationError as error:
        # One message per missing item, each a full sentence (the page then does not list them again).
        sentences = [sentence for field in error.errors.values() for sentence in field] or [error.message]
        for sentence in sentences:
            messages.error(request, str(sentence), extra_tags=PRODUCTION_REFUSED)
        return redirect("registry:use_case_detail", pk=use_case.pk)
    messages.success(request, _("Use case %(reference)s is in production.") % {"reference": use_case.reference})
    return redirect("registry:use_case_detail", pk=use_case.pk)


# Evidence -----------------------------------------------------------------------------------------


@require_GET
@member_required
def evidence_download(request, access, pk):
    """Always a download, never shown in the browser: an uploaded file is never trusted as a page."""
    attestation = selectors.attestation_for_download(request.user, access, pk)
    if attestation is None:
        raise Http404
    try:
        handle = attestation.evidence.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    record_evidence_download(request, attestation, access)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attestation.evidence_name or attestation.evidence.name.rsplit("/", 1)[-1],
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Mes contrôles ------------------------------------------------------------------------------------


@require_GET
@member_required
def my_checkpoints(request, access):
    today = timezone.localdate()
    rows = list(selectors.my_checkpoints(request.user, access))
    visible = set()
    if rows:
        visible = set(
            registry_selectors.use_cases_visible_to(request.user, access)
            .filter(pk__in={row.use_case_id for row in rows})
            .values_list("pk", flat=True)
        )
    groups = {"overdue": [], "soon": [], "later": [], "each_use": []}
    for row in rows:
        row.use_case_visible = row.use_case_id in visible
        if row.next_due is None:
            groups["each_use"].append(row)
        elif schedule.is_overdue(row.next_due, today):
            groups["overdue"].append(row)
        elif schedule.is_due_soon(row.next_due, today):
            groups["soon"].append(row)
        else:
            groups["later"].append(row)
    sections = [
        {"code": "overdue", "title": _("Overdue"), "rows": groups["overdue"]},
        {
            "code": "soon",
            "title": _("Due within %(days)s days") % {"days": schedule.DUE_SOON_DAYS},
            "rows": groups["soon"],
        },
        {"code": "later", "title": _("Later"), "rows": groups["later"]},
        {"code": "each_use", "title": _("At each use"), "rows": groups["each_use"]},
    ]
    return render(
        request,
        "audits/my_checkpoints.html",
        {"sections": sections, "count": len(rows), "today": today},
    )


# An incident's page: qualification, deadlines, notifications, breach ----------------------------------------------


def _incident_of(request, access, pk):
    return get_object_or_404(selectors.incident_detail(request.user, access), pk=pk)


def _render_incident_detail(request, access, incident, *, forms=None, status: int = 200):
    use_case = incident.use_case
    can_manage = permissions.can_manage_incident(request.user, access, use_case)
    can_assess = permissions.can_assess_breach(access)
    forms = forms or {}
    notifications = list(incident.notifications.all())
    context = {
        "incident": incident,
        "use_case": use_case,
        "clocks": incident_clocks.incident_clocks(incident, notifications),
        "notifications": notifications,
        "art73_applies": incident_clocks.art73_applies(use_case),
        "can_manage": can_manage,
        "can_assess_breach": can_assess,
        "qualification_form": forms.get("qualification")
        or (IncidentQualificationForm(incident=incident) if can_manage else None),
        "notification_form": forms.get("notification") or (IncidentNotificationForm() if can_manage else None),
        "breach_form": forms.get("breach") or (BreachAssessmentForm(incident=incident) if can_assess else None),
        "has_errors": bool(forms),
    }
    return render(request, "audits/incident_detail.html", context, status=status)


@require_GET
@member_required
def incident_detail(request, access, pk):
    return _render_incident_detail(request, access, _incident_of(request, access, pk))


def _incident_action(request, access, pk, *, form_class, name, service, allowed, success, with_incident=True):
    incident = _incident_of(request, access, pk)
    if not allowed(incident):
        raise PermissionDenied(_("You may not take this action on this incident."))
    kwargs = {"incident": incident} if with_incident else {}
    form = form_class(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            service(incident=incident, acting_user=request.user, **form.service_arguments())
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, success)
            return redirect(reverse("audits:incident_detail", args=[incident.pk]) + f"#{name}")
    if request.FILES.get(f"{form.prefix}-attachment"):
        form.add_error("attachment", _("The file you chose was not kept: choose it again before sending."))
    return _render_incident_detail(request, access, _incident_of(request, access, pk), forms={name: form}, status=400)


@require_POST
@member_required
def incident_qualify(request, access, pk):
    return _incident_action(
        request,
        access,
        pk,
        form_class=IncidentQualificationForm,
        name="qualification",
        service=incidents.incident_qualify,
        allowed=lambda incident: permissions.can_manage_incident(request.user, access, incident.use_case),
        success=_("Qualification recorded."),
    )


@require_POST
@member_required
def incident_notification_add(request, access, pk):
    return _incident_action(
        request,
        access,
        pk,
        form_class=IncidentNotificationForm,
        name="notification",
        service=incidents.incident_notification_record,
        allowed=lambda incident: permissions.can_manage_incident(request.user, access, incident.use_case),
        success=_("Notification recorded."),
        with_incident=False,
    )


@require_POST
@member_required
def incident_breach_assess(request, access, pk):
    return _incident_action(
        request,
        access,
        pk,
        form_class=BreachAssessmentForm,
        name="breach",
        service=incidents.incident_breach_assess,
        allowed=lambda incident: permissions.can_assess_breach(access),
        success=_("Assessment of the breach recorded."),
    )


@require_GET
@member_required
def notification_attachment_download(request, access, pk):
    """Always a download, never shown in the browser: an uploaded file is never trusted as a page."""
    notification = selectors.notification_for_download(request.user, access, pk)
    if notification is None:
        raise Http404
    try:
        handle = notification.attachment.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    record_event(
        kind=SecurityEvent.Kind.EVIDENCE_DOWNLOAD,
        request=request,
        collectivite=access.collectivite_id,
        obj=notification,
        details={"file_name": notification.attachment_name, "incident": notification.incident_id},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=notification.attachment_name or notification.attachment.name.rsplit("/", 1)[-1],
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
