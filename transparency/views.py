"""The DPO's publication pages: the overview of what is (and must be) public, the public wording of a use case
with the fields to publish, and the withdrawal. Only the DPO and the administrators; every write goes through
`transparency.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from core.middleware import current_collectivite
from core.views import member_required
from registry import selectors as registry_selectors

from . import permissions, selectors, services
from .fields import L312_FIELD_CODES, build_record
from .forms import PublicationForm, WithdrawForm
from .public_views import present_entry

PUBLISH_ACTION = "publish"


def _check_publisher(access) -> None:
    if not permissions.can_publish(access):
        raise PermissionDenied(_("Only the DPO or an administrator may manage the public register."))


def _use_case(request, access, pk):
    """The use case in the user's scope (404 otherwise), with what its public record reads."""
    return get_object_or_404(registry_selectors.use_case_detail(request.user, access), pk=pk)


def _put_errors_on_form(form, error: ApplicationError) -> None:
    for name, messages_ in error.errors.items():
        for message in messages_ if isinstance(messages_, list | tuple) else [messages_]:
            form.add_error(name if name in form.fields and name != "version" else None, str(message))
    if not error.errors:
        form.add_error(None, str(error.message))


@require_GET
@member_required
def overview(request, access):
    """What the collectivité publishes, what the law requires it to publish, and what is out of date."""
    _check_publisher(access)
    collectivite = current_collectivite(request)
    return render(
        request,
        "transparency/overview.html",
        {"collectivite": collectivite, **selectors.publications_overview(collectivite=collectivite)},
    )


def _render_edit(request, use_case, publication, form, *, withdraw_form=None, conflict=None, status=200):
    preview = None
    if publication.pk and publication.is_public:
        preview = selectors.public_record(publication)
    elif publication.pk:
        # What the saved wording would publish now (nothing is written).
        preview = {**build_record(publication, use_case), "lifecycle": "", "published_at": None}
    return render(
        request,
        "transparency/edit.html",
        {
            "use_case": use_case,
            "publication": publication,
            "form": form,
            "withdraw_form": withdraw_form or WithdrawForm(initial={"version": publication.version}),
            "conflict": conflict,
            "locked_codes": L312_FIELD_CODES if use_case.public_register_required else (),
            "events": list(publication.events.select_related("actor")) if publication.pk else [],
            "preview": preview,
            "preview_labels": present_entry(preview) if preview else {},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required
def edit(request, access, pk):
    """The public wording of a use case: save as a draft, or publish (update the public record)."""
    _check_publisher(access)
    use_case = _use_case(request, access, pk)
    publication = services.publication_for_editing(use_case=use_case)
    if request.method != "POST":
        return _render_edit(request, use_case, publication, PublicationForm(use_case=use_case, publication=publication))

    form = PublicationForm(request.POST, use_case=use_case, publication=publication)
    publishing = request.POST.get("action") == PUBLISH_ACTION
    if not form.is_valid():
        return _render_edit(request, use_case, publication, form, status=400)
    service = services.publication_publish if publishing else services.publication_save
    try:
        saved = service(
            use_case=use_case,
            acting_user=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ConflictError as error:
        return _render_edit(request, use_case, publication, form, conflict=str(error.message), status=409)
    except TransitionError as error:
        form.add_error(None, str(error.message))
        return _render_edit(request, use_case, publication, form, status=409)
    except ApplicationError as error:
        _put_errors_on_form(form, error)
        return _render_edit(request, use_case, publication, form, status=400)
    if publishing:
        messages.success(request, _("The public record is published."))
    elif saved.version == publication.version and publication.pk:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("The draft is saved: the public record has not changed."))
    return redirect("transparency:edit", pk=use_case.pk)


@require_POST
@member_required
def withdraw(request, access, pk):
    """Take the record off the public register, with a reason (kept in the trail)."""
    _check_publisher(access)
    use_case = _use_case(request, access, pk)
    publication = services.publication_for_editing(use_case=use_case)
    withdraw_form = WithdrawForm(request.POST)
    status = 400
    if withdraw_form.is_valid():
        try:
            services.publication_withdraw(
                use_case=use_case,
                acting_user=request.user,
                reason=withdraw_form.cleaned_data["reason"],
                expected_version=withdraw_form.cleaned_data["version"],
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except (ConflictError, TransitionError) as error:
            withdraw_form.add_error(None, str(error.message))
            status = 409
        except ApplicationError as error:
            _put_errors_on_form(withdraw_form, error)
        else:
            messages.success(request, _("The record is withdrawn from the public register."))
            return redirect("transparency:edit", pk=use_case.pk)
    form = PublicationForm(use_case=use_case, publication=publication)
    return _render_edit(request, use_case, publication, form, withdraw_form=withdraw_form, status=status)
