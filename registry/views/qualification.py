"""The qualification of a use case as the DPO works on it (DOMAIN.md 3b, issue 16): the expert view where the DPO (or
the RSSI, for the security axis) sets a legal answer directly with a written justification or lifts it, and the
confirmation of a qualification whose answers were not known.

Thin views: the forms read what was typed, `services` decides who may do it (403) and refuses a stale version (409:
the page comes back with what was typed); `presenters` shapes the qualification.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError, ConflictError, ForbiddenError
from core.views import member_required

from .. import permissions, qualification, selectors, services
from ..forms_qualification import QualificationCommentForm, QualificationOverrideForm
from ..presenters import expert_rows, input_label, qualification_context

CONFLICT_MESSAGE = gettext_lazy(
    "The use case changed since you opened the page: nothing was saved. Read its qualification as it is now, then "
    "send your change again: what you typed is kept below."
)


def _use_case_of(request, access, pk):
    return get_object_or_404(selectors.use_case_detail(request.user, access), pk=pk)


def _may_open(access, use_case) -> bool:
    """The expert view is the DPO's (and the RSSI's, for the security axis)."""
    return bool(permissions.qualifiable_inputs(access)) or permissions.can_confirm_qualification(access, use_case)


def _refuse() -> PermissionDenied:
    return PermissionDenied(_("Only the DPO sets the legal qualification directly, and the RSSI the security answers."))


def _page(request, access, use_case, *, override_form=None, lift_form=None, confirm_form=None, conflict=False):
    """The expert view; a form sent back with an error (or a conflict) keeps what was typed."""
    context = qualification_context(use_case.qualification_outcome(), use_case=use_case)
    names = permissions.qualifiable_inputs(access)
    entries = []
    for row in expert_rows(context, use_case, names):
        name = row["name"]
        form = override_form if override_form is not None and override_form.input_name == name else None
        lift = lift_form if lift_form is not None and lift_form.input_name == name else None
        overridden = name in use_case.qualification_overrides
        entries.append(
            {
                "row": row,
                "form": form or QualificationOverrideForm(input_name=name, use_case=use_case),
                "lift_form": lift
                or (QualificationCommentForm(use_case=use_case, prefix_id=f"lift-{name}") if overridden else None),
                "open": form is not None,
            }
        )
    can_confirm = permissions.can_confirm_qualification(access, use_case) and use_case.qualification_to_confirm
    if can_confirm and confirm_form is None:
        confirm_form = QualificationCommentForm(use_case=use_case, prefix_id="confirm")
    status = 409 if conflict else 400 if (override_form or lift_form or confirm_form and confirm_form.is_bound) else 200
    return render(
        request,
        "registry/qualification.html",
        {
            "use_case": use_case,
            "qualification": context,
            "entries": entries,
            "confirm_form": confirm_form if can_confirm else None,
            "conflict": CONFLICT_MESSAGE if conflict else "",
        },
        status=status,
    )


def _current_version(form, use_case) -> None:
    """After a conflict, the form keeps what was typed and now carries the version just read."""
    form.data = form.data.copy()
    form.data["version"] = use_case.version


def _back(use_case, anchor: str):
    return redirect(reverse("registry:qualification", args=[use_case.pk]) + f"#{anchor}")


@require_GET
@member_required
def qualification_view(request, access, pk):
    use_case = _use_case_of(request, access, pk)
    if not _may_open(access, use_case):
        raise _refuse()
    return _page(request, access, use_case)


def _overridable_use_case(request, access, pk, input_name):
    """The use case whose legal answer `input_name` the person sets or lifts: 404 for an answer that cannot be set
    directly, 403 for one outside the person's axis (the DPO's, or the RSSI's security axis)."""
    use_case = _use_case_of(request, access, pk)
    if input_name not in qualification.OVERRIDABLE:
        raise Http404
    if input_name not in permissions.qualifiable_inputs(access):
        raise _refuse()
    return use_case


@require_POST
@member_required
def qualification_set(request, access, pk, input_name):
    use_case = _overridable_use_case(request, access, pk, input_name)
    form = QualificationOverrideForm(request.POST, input_name=input_name, use_case=use_case)
    if form.is_valid():
        try:
            services.qualification_override_set(
                use_case=use_case,
                acting_user=request.user,
                input_name=input_name,
                value=form.cleaned_data["value"],
                justification=form.cleaned_data["justification"],
                expected_version=form.cleaned_data["version"],
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ConflictError:
            _current_version(form, use_case)
            return _page(request, access, use_case, override_form=form, conflict=True)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("“%(input)s” is now set directly, with your justification.") % {"input": input_label(input_name)},
            )
            return _back(use_case, f"input-{input_name}")
    return _page(request, access, use_case, override_form=form)


@require_POST
@member_required
def qualification_lift(request, access, pk, input_name):
    use_case = _overridable_use_case(request, access, pk, input_name)
    form = QualificationCommentForm(request.POST, use_case=use_case, prefix_id=f"lift-{input_name}")
    form.input_name = input_name
    if form.is_valid():
        try:
            services.qualification_override_lift(
                use_case=use_case,
                acting_user=request.user,
                input_name=input_name,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ConflictError as error:
            if input_name not in use_case.qualification_overrides:  # already lifted: nothing to send again
                messages.error(request, str(error.message))
                return _back(use_case, f"input-{input_name}")
            _current_version(form, use_case)
            return _page(request, access, use_case, lift_form=form, conflict=True)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("“%(input)s” follows the answers again.") % {"input": input_label(input_name)})
            return _back(use_case, f"input-{input_name}")
    return _page(request, access, use_case, lift_form=form)


@require_POST
@member_required
def qualification_confirm(request, access, pk):
    use_case = _use_case_of(request, access, pk)
    if not permissions.can_confirm_qualification(access, use_case):
        raise PermissionDenied(_("Only the DPO confirms the qualification of a use case."))
    form = QualificationCommentForm(request.POST, use_case=use_case, prefix_id="confirm")
    if form.is_valid():
        try:
            services.qualification_confirm(
                use_case=use_case,
                acting_user=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except ForbiddenError as error:
            raise PermissionDenied(str(error.message)) from error
        except ConflictError as error:
            if not use_case.qualification_to_confirm:  # confirmed meanwhile, or nothing left to confirm
                messages.error(request, str(error.message))
                return redirect(reverse("registry:use_case_detail", args=[use_case.pk]) + "#qualification")
            _current_version(form, use_case)
            return _page(request, access, use_case, confirm_form=form, conflict=True)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("The qualification of %(reference)s is confirmed: the use case may now receive a favourable opinion.")
                % {"reference": use_case.reference},
            )
            return redirect(reverse("registry:use_case_detail", args=[use_case.pk]) + "#qualification")
    return _page(request, access, use_case, confirm_form=form)
