"""The pages of shared reference content.

Structure side ("Shared reference content"): the items the structure shares, with its members' decisions, the
form to share one of its own objects, and withdrawal. Member side ("Content offered by <structure>"): what the
structures offer, where the collectivité stands on each, and the decisions, with a field-by-field comparison of
an update.

Thin views: `selectors` say what the person sees (an item of a structure the collectivité does not belong to
answers 404), `permissions` what they may do (403 otherwise), and every change goes through `services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ConflictError, ForbiddenError
from core.middleware import current_collectivite
from core.validators import as_id
from core.views import member_required

from . import permissions, selectors, services
from .forms import DecisionForm, ShareForm, adapt_form_class
from .models import Decision, SharedItem

# Structure side ----------------------------------------------------------------------------------------------


def _check_manage(access) -> None:
    if not permissions.can_manage_shared(access):
        raise PermissionDenied(_("Only the DPO and administrators share reference content with the members."))


@require_http_methods(["GET", "POST"])
@member_required
def shared_list(request, access):
    _check_manage(access)
    structure = current_collectivite(request)
    status = 200
    if request.method == "POST":
        form = ShareForm(request.POST, structure=structure)
        status = 400
        if form.is_valid():
            kind, source = form.chosen()
            try:
                item = services.item_share(
                    structure=structure, kind=kind, source_object=source, acting_user=request.user
                )
            except ForbiddenError as error:
                raise PermissionDenied(str(error.message)) from error
            except ApplicationError as error:
                form.add_service_error(error)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("“%(title)s” is shared with the members (version %(version)d).")
                    % {"title": item.title, "version": item.version},
                )
                return redirect("mutualisation:shared_list")
    else:
        form = ShareForm(structure=structure)
    members = list(selectors.members_of(structure))
    context = {
        "form": form,
        "items": list(selectors.shared_items(structure)),
        "members": members,
        "structures": list(selectors.structures_of(structure)),
    }
    return render(request, "mutualisation/shared_list.html", context, status=status)


@require_POST
@member_required
def item_withdraw(request, access, pk):
    item = get_object_or_404(SharedItem, pk=pk, structure=current_collectivite(request))
    _check_manage(access)
    try:
        services.item_withdraw(item=item, acting_user=request.user, expected_version=_int(request.POST, "version"))
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("mutualisation:shared_list")
    messages.success(request, _("“%(title)s” is no longer offered to the members.") % {"title": item.title})
    return redirect("mutualisation:shared_list")


def _int(data, name):
    return as_id(data.get(name))


# Member side -------------------------------------------------------------------------------------------------


def _check_view_offered(access) -> None:
    if not permissions.can_view_offered(access):
        raise PermissionDenied(_("Only the DPO, the RSSI and administrators see the content offered by structures."))


@require_GET
@member_required
def offered_list(request, access):
    _check_view_offered(access)
    member = current_collectivite(request)
    groups: dict = {}
    for item in selectors.offered_items(member):
        adoption = item.mine[0] if item.mine else None
        item.standing = selectors.standing(item, adoption)
        item.standing_label = selectors.Standing.LABELS[item.standing]
        item.adoption = adoption
        item.can_decide = permissions.can_decide(access, item)
        groups.setdefault(item.structure, []).append(item)
    structures = list(selectors.structures_of(member))
    return render(
        request,
        "mutualisation/offered_list.html",
        {"groups": [(structure, groups.get(structure, [])) for structure in structures]},
    )


def _offered(request, pk) -> tuple[object, SharedItem]:
    member = current_collectivite(request)
    item = selectors.offered_item(member, pk)
    if item is None:
        raise Http404
    return member, item


ACTIONS = {
    "adopt": services.item_adopt,
    "decline": services.item_decline,
    "take_update": services.item_take_update,
    "keep_mine": services.item_keep_mine,
}
CONFIRMABLE = {"adopt", "take_update"}


def _render_detail(request, access, member, item, *, form=None, adapt_form=None, error=None, status=200):
    adoption = item.mine[0] if item.mine else None
    item_standing = selectors.standing(item, adoption)
    mine, rows = selectors.comparison(item, member, adoption)
    revision = adoption.revision if adoption else 0
    initial = {"expected_version": item.version, "expected_revision": revision}
    context = {
        "item": item,
        "adoption": adoption,
        "standing": item_standing,
        "standing_label": selectors.Standing.LABELS[item_standing],
        "mine": mine,
        "rows": rows,
        "changed": [row for row in rows if row.changed],
        "can_decide": permissions.can_decide(access, item) and not item.withdrawn,
        "form": form or DecisionForm(initial=initial),
        "adapt_form": adapt_form,
        "error": error,
        "is_adapted": adoption is not None and adoption.decision == Decision.ADAPTED,
    }
    return render(request, "mutualisation/offered_detail.html", context, status=status)


@require_GET
@member_required
def offered_detail(request, access, pk):
    member, item = _offered(request, pk)
    _check_view_offered(access)
    return _render_detail(request, access, member, item)


@require_POST
@member_required
def offered_decide(request, access, pk):
    member, item = _offered(request, pk)
    _check_view_offered(access)
    if not permissions.can_decide(access, item):
        raise PermissionDenied(_("Only the DPO and administrators (the RSSI for tools) decide on shared content."))
    action = request.POST.get("action", "")
    form = DecisionForm(request.POST)
    if action not in ACTIONS or not form.is_valid():
        form.add_error(None, _("Choose a decision."))
        return _render_detail(request, access, member, item, form=form, status=400)
    arguments = {
        "item": item,
        "member": member,
        "acting_user": request.user,
        "expected_version": form.cleaned_data["expected_version"],
        "expected_revision": form.cleaned_data["expected_revision"],
    }
    if action in CONFIRMABLE:
        arguments["confirm"] = form.cleaned_data["confirm"]
    try:
        adoption = ACTIONS[action](**arguments)
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ConflictError as error:
        # The page is read again: the other person's decision or the new version shows, the person decides again.
        member, item = _offered(request, pk)
        return _render_detail(request, access, member, item, error=str(error.message), status=409)
    except ApplicationError as error:
        form.add_service_error(error)
        return _render_detail(request, access, member, item, form=form, status=400)
    messages.success(
        request,
        _("“%(title)s”: %(decision)s.") % {"title": item.title, "decision": adoption.get_decision_display().lower()},
    )
    return redirect("mutualisation:offered_detail", pk=item.pk)


@require_http_methods(["GET", "POST"])
@member_required
def offered_adapt(request, access, pk):
    member, item = _offered(request, pk)
    _check_view_offered(access)
    if not permissions.can_decide(access, item):
        raise PermissionDenied(_("Only the DPO and administrators (the RSSI for tools) decide on shared content."))
    form_class = adapt_form_class(item.kind)
    adoption = item.mine[0] if item.mine else None
    if request.method == "GET":
        initial = {
            **item.payload,
            "expected_version": item.version,
            "expected_revision": adoption.revision if adoption else 0,
        }
        mine, _rows = selectors.comparison(item, member, adoption)
        if mine is not None and adoption is not None and adoption.decision == Decision.ADAPTED:
            # Changing an adapted copy again starts from the copy, not from the shared content.
            initial.update({name: getattr(mine, name) for name in services.adaptable_fields(item.kind)})
        return _render_detail(request, access, member, item, adapt_form=form_class(initial=initial))
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_detail(request, access, member, item, adapt_form=form, status=400)
    data = {name: value for name, value in form.cleaned_data.items() if name in services.adaptable_fields(item.kind)}
    try:
        services.item_adapt(
            item=item,
            member=member,
            acting_user=request.user,
            data=data,
            confirm=form.cleaned_data["confirm"],
            expected_version=form.cleaned_data["expected_version"],
            expected_revision=form.cleaned_data["expected_revision"],
        )
    except ForbiddenError as error:
        raise PermissionDenied(str(error.message)) from error
    except ConflictError as error:
        member, item = _offered(request, pk)
        return _render_detail(request, access, member, item, adapt_form=form, error=str(error.message), status=409)
    except ApplicationError as error:
        form.add_service_error(error)
        return _render_detail(request, access, member, item, adapt_form=form, status=400)
    messages.success(request, _("“%(title)s” is adapted: your own copy is saved.") % {"title": item.title})
    return redirect("mutualisation:offered_detail", pk=item.pk)
