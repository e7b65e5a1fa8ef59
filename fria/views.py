"""The web pages of a use case's AIDF: read it, write it (the suggestions of the register beside each part), submit it,
the DPO's review, the notification to the market surveillance authority, a new version, the versions, the PDF and the
AIPD file.

Thin views: the use case comes from the register's selectors (404 out of sight), `permissions` say what the person may
do (403 otherwise), every change goes through `services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ConflictError
from core.validators import as_id
from core.views import member_required
from registry import selectors as registry_selectors
from security.models import SecurityEvent
from security.services import record_event

from . import pdf, permissions, prefill, services
from .forms import FriaForm, NotificationForm, ReviewForm
from .models import PARTS, FriaVersion


def _use_case_of(request, access, use_case_pk):
    """A use case the person may see (404 otherwise), with its tool and its AIDF when there is one."""
    return get_object_or_404(
        registry_selectors.use_case_detail(request.user, access).select_related("fria"), pk=use_case_pk
    )


def _fria_or_404(use_case):
    fria = services.fria_of(use_case)
    if fria is None:
        raise Http404
    return fria


def _detail(use_case):
    return redirect("fria:detail", use_case_pk=use_case.pk)


@require_GET
@member_required
def fria_detail(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    fria = services.fria_of(use_case)
    if fria is None and not use_case.fria_required:
        raise Http404
    user = request.user
    latest = fria.versions.select_related("submitted_by", "reviewed_by").first() if fria else None
    return render(
        request,
        "fria/detail.html",
        {
            "use_case": use_case,
            "fria": fria,
            "parts": fria.parts() if fria else [],
            "latest": latest,
            "missing": services.submission_errors(fria) if fria and fria.status == "draft" else {},
            "events": fria.events.select_related("actor")[:50] if fria else [],
            "can_write": permissions.can_write_fria(user, access, use_case),
            "can_edit": fria is not None and permissions.can_edit_fria(user, access, use_case, fria),
            "can_submit": permissions.can_submit_fria(user, access, use_case, fria),
            "can_review": permissions.can_review_fria(access, use_case, fria),
            "can_notify": permissions.can_notify_fria(user, access, use_case, fria),
            "can_reopen": permissions.can_reopen_fria(user, access, use_case, fria),
        },
    )


@require_POST
@member_required
def fria_start(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    if not permissions.can_write_fria(request.user, access, use_case):
        raise PermissionDenied(_("You may not write the AIDF of this use case."))
    services.fria_start(use_case=use_case, acting_user=request.user)
    messages.success(
        request,
        _("AIDF started: each part is pre-filled with what the register knows of the use case. Complete it."),
    )
    return redirect("fria:edit", use_case_pk=use_case.pk)


def _suggested_parts(use_case, form):
    suggestions = prefill.suggestions(use_case)
    return [{"part": part, "field": form[part.field], "suggestion": suggestions[part.field]} for part in PARTS]


@require_http_methods(["GET", "POST"])
@member_required
def fria_edit(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    if not permissions.can_write_fria(request.user, access, use_case):
        raise PermissionDenied(_("You may not write the AIDF of this use case."))
    if not permissions.can_edit_fria(request.user, access, use_case, fria):
        messages.error(request, _("This AIDF is not being written: start a new version to change it."))
        return _detail(use_case)
    if request.method != "POST":
        form = FriaForm(initial={**fria.content(), "version": fria.version}, fria=fria)
        return _render_edit(request, use_case, fria, form)
    form = FriaForm(request.POST, request.FILES, fria=fria)
    if not form.is_valid():
        return _render_edit(request, use_case, fria, form, status=400)
    submit = request.POST.get("action") == "submit"
    try:
        fria = services.fria_update(fria=fria, acting_user=request.user, **form.service_arguments())
    except ConflictError as error:
        form.add_error(None, str(error.message))
        return _render_edit(request, use_case, fria, form, status=409)
    except ApplicationError as error:
        form.add_service_error(error)
        return _render_edit(request, use_case, fria, form, status=error.status_code)
    if submit:
        try:
            services.fria_submit(fria=fria, acting_user=request.user, expected_version=fria.version)
        except ApplicationError as error:
            # The draft is saved; only the submission was refused: what is missing is shown on the saved draft.
            data = request.POST.copy()
            data["version"] = fria.version
            form = FriaForm(data, fria=fria)
            form.is_valid()
            form.add_service_error(error)
            messages.info(request, _("The draft is saved, but it cannot be submitted yet."))
            return _render_edit(request, use_case, fria, form, status=error.status_code)
    if submit:
        messages.success(request, _("AIDF version %(number)s submitted to the DPO.") % {"number": fria.number})
        return _detail(use_case)
    messages.success(request, _("Draft of the AIDF saved."))
    return redirect("fria:edit", use_case_pk=use_case.pk)


def _render_edit(request, use_case, fria, form, status: int = 200):
    return render(
        request,
        "fria/edit.html",
        {"use_case": use_case, "fria": fria, "form": form, "parts": _suggested_parts(use_case, form)},
        status=status,
    )


@require_POST
@member_required
def fria_submit(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    if not permissions.can_write_fria(request.user, access, use_case):
        raise PermissionDenied(_("You may not write the AIDF of this use case."))
    try:
        services.fria_submit(fria=fria, acting_user=request.user, expected_version=request.POST.get("version"))
    except ConflictError:
        messages.error(request, _("This AIDF changed since you opened the page: read it again, then submit it."))
    except ApplicationError as error:
        messages.error(request, str(error.message))
        for sentences in error.errors.values():
            for sentence in sentences:
                messages.error(request, str(sentence))
    else:
        messages.success(request, _("AIDF version %(number)s submitted to the DPO.") % {"number": fria.number})
    return _detail(use_case)


@require_http_methods(["GET", "POST"])
@member_required
def fria_review(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    if not permissions.is_fria_reviewer(access):
        raise PermissionDenied(_("Only the DPO reviews the AIDF."))
    if not permissions.can_review_fria(access, use_case, fria):
        messages.error(request, _("This AIDF is not waiting for a review."))
        return _detail(use_case)
    if request.method != "POST":
        form = ReviewForm(initial={"version": fria.version})
        return _render_review(request, use_case, fria, form)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render_review(request, use_case, fria, form, status=400)
    data = form.cleaned_data
    try:
        version = services.fria_review(
            fria=fria,
            acting_user=request.user,
            decision=data["decision"],
            comment=data["comment"],
            committee_reference=data["committee_reference"],
            committee_comment=data["committee_comment"],
            expected_version=data.get("version"),
        )
    except ApplicationError as error:
        form.add_service_error(error)
        return _render_review(request, use_case, fria, form, status=error.status_code)
    if version.decision == FriaVersion.Decision.APPROVED:
        messages.success(
            request,
            _("AIDF version %(number)s approved. Its results are now to notify to the market surveillance authority.")
            % {"number": version.number},
        )
    else:
        messages.success(
            request,
            _("AIDF version %(number)s sent back to its owner with your comments.") % {"number": version.number},
        )
    return _detail(use_case)


def _render_review(request, use_case, fria, form, status: int = 200):
    return render(
        request,
        "fria/review.html",
        {"use_case": use_case, "fria": fria, "parts": fria.parts(), "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required
def fria_notify(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    if not permissions.can_write_fria(request.user, access, use_case):
        raise PermissionDenied(_("You may not write the AIDF of this use case."))
    if not permissions.can_notify_fria(request.user, access, use_case, fria):
        messages.error(request, _("Only an AIDF approved by the DPO can be notified."))
        return _detail(use_case)
    if request.method != "POST":
        form = NotificationForm(
            initial={
                "version": fria.version,
                "notified_on": timezone.localdate(),
                "notification_authority": services.default_authority(use_case.collectivite_id),
            }
        )
        return _render_notify(request, use_case, fria, form)
    form = NotificationForm(request.POST)
    if not form.is_valid():
        return _render_notify(request, use_case, fria, form, status=400)
    data = form.cleaned_data
    try:
        services.fria_notify(
            fria=fria,
            acting_user=request.user,
            notified_on=data["notified_on"],
            means=data["notification_means"],
            authority=data["notification_authority"],
            reference=data["notification_reference"],
            expected_version=data.get("version"),
        )
    except ApplicationError as error:
        form.add_service_error(error)
        return _render_notify(request, use_case, fria, form, status=error.status_code)
    messages.success(request, _("Notification recorded: the AIDF is completed."))
    return _detail(use_case)


def _render_notify(request, use_case, fria, form, status: int = 200):
    return render(request, "fria/notify.html", {"use_case": use_case, "fria": fria, "form": form}, status=status)


@require_POST
@member_required
def fria_reopen(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    if not permissions.can_write_fria(request.user, access, use_case):
        raise PermissionDenied(_("You may not write the AIDF of this use case."))
    try:
        fria = services.fria_reopen(fria=fria, acting_user=request.user, expected_version=request.POST.get("version"))
    except ConflictError:
        messages.error(request, _("This AIDF changed since you opened the page: read it again first."))
        return _detail(use_case)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return _detail(use_case)
    messages.success(
        request, _("Version %(number)s of the AIDF started from the previous one.") % {"number": fria.number}
    )
    return redirect("fria:edit", use_case_pk=use_case.pk)


@require_GET
@member_required
def fria_versions(request, access, use_case_pk):
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    versions = list(fria.versions.select_related("submitted_by", "reviewed_by", "notified_by"))
    return render(request, "fria/versions.html", {"use_case": use_case, "fria": fria, "versions": versions})


def _version_asked(request, fria):
    """The version `?version=N` asks for (404 if it has none), or None for the AIDF as it stands."""
    if "version" not in request.GET:
        return None
    number = as_id(request.GET.get("version"))
    version = fria.versions.filter(number=number).first() if number is not None else None
    if version is None:
        raise Http404
    return version


@require_GET
@member_required
def fria_pdf(request, access, use_case_pk):
    """The AIDF as a PDF in the house style, rendered on demand (a version with `?version=N`)."""
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    version = _version_asked(request, fria)
    rendered = pdf.render(fria, version=version)
    number = version.number if version else fria.number
    record_event(
        kind=SecurityEvent.Kind.DOCUMENT_DOWNLOAD,
        request=request,
        collectivite=access.collectivite_id,
        obj=fria,
        details={"document_kind": "fria", "subject": use_case.reference, "number": number},
    )
    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="AIDF-{use_case.reference}-v{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@member_required
def aipd_download(request, access, use_case_pk):
    """The AIPD file joined to the AIDF (or to one of its versions): always a download, never shown as a page."""
    use_case = _use_case_of(request, access, use_case_pk)
    fria = _fria_or_404(use_case)
    holder = _version_asked(request, fria) or fria
    if not holder.aipd_file:
        raise Http404
    try:
        handle = holder.aipd_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    record_event(
        kind=SecurityEvent.Kind.EVIDENCE_DOWNLOAD,
        request=request,
        collectivite=access.collectivite_id,
        obj=fria,
        details={"file_name": holder.aipd_file_name},
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=holder.aipd_file_name or holder.aipd_file.name.rsplit("/", 1)[-1],
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
