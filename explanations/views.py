"""The staff's pages: the queue of explanation requests (DPO: all; heads of service: their services'), a request
with its draft answer, the letter's preview, sending under a signature or rejecting. A request one may not see
answers 404, an action one may not take 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ForbiddenError
from core.validators import as_id
from core.views import member_required
from registry.models import UseCase

from . import drafting, letters, permissions, selectors, services
from .forms import DraftForm, RejectForm, SendForm
from .models import RequestStatus

PAGE_SIZE = 50


def _request_or_404(access, pk):
    found = selectors.request_detail(access, as_id(pk))
    if found is None:
        raise Http404
    return found


@require_GET
@member_required
def queue(request, access):
    if not permissions.can_see_queue(access):
        raise PermissionDenied
    params = request.GET
    status = params.get("status", "open")
    if status not in ("", "open", *RequestStatus.values):
        status = "open"
    filters = selectors.QueueFilters(
        status=status, overdue=params.get("overdue") == "1", use_case=as_id(params.get("use_case") or "")
    )
    today = timezone.localdate()
    queryset = selectors.queue(access, filters, today=today)
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))
    rows = list(page.object_list)
    for row in rows:
        row.days_left_now = row.days_left(today)
    visible = selectors.requests_visible_to(access)
    use_cases = (
        UseCase.objects.filter(pk__in=visible.exclude(use_case=None).values("use_case_id"))
        .only("id", "reference", "name")
        .order_by("reference")
    )
    return render(
        request,
        "explanations/queue.html",
        {
            "page": page,
            "requests": rows,
            "filters": filters,
            "statuses": RequestStatus.choices,
            "use_cases": use_cases,
            "counts": selectors.open_counts(access, today=today),
            "today": today,
        },
    )


def _use_case_choices(access, found):
    if not permissions.can_assign_use_case(access):
        return None
    rows = UseCase.objects.filter(collectivite_id=found.collectivite_id).only("id", "reference", "name")
    return [(use_case.pk, str(use_case)) for use_case in rows.order_by("reference")]


def _detail_context(access, found, *, draft_form=None, send_form=None, reject_form=None) -> dict:
    art86 = drafting.art86_applies(found.use_case)
    initial = {name: getattr(found, name) for name in services.DRAFT_FIELDS}
    initial.update(version=found.version, use_case=found.use_case_id)
    signatory = services.default_signatory_title(access, found)
    return {
        "req": found,
        "art86": art86,
        "today": timezone.localdate(),
        "may_draft": permissions.can_draft(access, found),
        "may_sign": permissions.can_sign(access, found),
        "draft_form": draft_form or DraftForm(initial=initial, use_cases=_use_case_choices(access, found), art86=art86),
        "send_form": send_form or SendForm(initial={"signatory_title": signatory, "version": found.version}),
        "reject_form": reject_form or RejectForm(initial={"signatory_title": signatory, "version": found.version}),
        "events": found.events.select_related("actor"),
    }


@require_http_methods(["GET", "POST"])
@member_required
def detail(request, access, pk):
    found = _request_or_404(access, pk)
    if request.method == "GET":
        services.request_viewed(request=found, acting_user=request.user, access=access)
        return render(request, "explanations/detail.html", _detail_context(access, found))
    if not permissions.can_draft(access, found):
        raise PermissionDenied
    art86 = drafting.art86_applies(found.use_case)
    use_cases = _use_case_choices(access, found)
    form = DraftForm(request.POST, use_cases=use_cases, art86=art86)
    if form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name in services.DRAFT_FIELDS}
        if use_cases is not None:
            chosen = form.cleaned_data.get("use_case")
            data["use_case"] = (
                UseCase.objects.filter(pk=chosen, collectivite_id=found.collectivite_id).first() if chosen else None
            )
        try:
            services.draft_save(
                request=found,
                acting_user=request.user,
                access=access,
                data=data,
                expected_version=form.cleaned_data["version"],
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The draft answer is saved."))
            return redirect("explanations:detail", found.pk)
    return render(request, "explanations/detail.html", _detail_context(access, found, draft_form=form), status=400)


@require_GET
@member_required
def preview(request, access, pk):
    """The letter as it would be signed now (not stored: only sending stores the letter)."""
    found = _request_or_404(access, pk)
    if not found.is_open:
        return redirect("explanations:letter", found.pk)
    title = services.default_signatory_title(access, found) or _("Signatory's title")
    name = request.user.get_full_name().strip() or request.user.get_username()
    rendered = letters.render_letter(
        found, signatory_name=name, signatory_title=title, letter_date=timezone.localdate()
    )
    response = HttpResponse(rendered.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.reference}-apercu.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _close(request, access, pk, *, form_class, action):
    found = _request_or_404(access, pk)
    if not permissions.can_sign(access, found):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(found, form.cleaned_data)
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return True, found, form
    return False, found, form


@require_POST
@member_required
def send(request, access, pk):
    def action(found, data):
        services.request_send(
            request=found,
            acting_user=request.user,
            access=access,
            signatory_title=data["signatory_title"],
            expected_version=data["version"],
        )

    done, found, form = _close(request, access, pk, form_class=SendForm, action=action)
    if done:
        messages.success(request, _("The answer is signed and sent to the person."))
        return redirect("explanations:detail", found.pk)
    return render(request, "explanations/detail.html", _detail_context(access, found, send_form=form), status=400)


@require_POST
@member_required
def reject(request, access, pk):
    def action(found, data):
        services.request_reject(
            request=found,
            acting_user=request.user,
            access=access,
            reason=data["reason"],
            explanation=data["explanation"],
            signatory_title=data["signatory_title"],
            expected_version=data["version"],
        )

    done, found, form = _close(request, access, pk, form_class=RejectForm, action=action)
    if done:
        messages.success(request, _("The request is rejected: the letter is sent to the person."))
        return redirect("explanations:detail", found.pk)
    return render(request, "explanations/detail.html", _detail_context(access, found, reject_form=form), status=400)


@require_GET
@member_required
def letter(request, access, pk):
    found = _request_or_404(access, pk)
    if not found.letter:
        raise Http404
    try:
        handle = found.letter.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=found.letter_filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{found.letter_sha256}"'
    return response
