"""The collectivité's own pages: its settings, and the consolidated overview of a person who works for several.

The settings are edited by the collectivité's administrators and read by its DGS and DPO; every change goes
through `services.collectivite_update_policy` (version check, logo check, reclassification, security journal).
The overview shows figures only, one row per collectivité where the person sees the whole register: the register
of each stays behind its own switch.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import Access, get_access
from core.errors import ApplicationError, ConflictError
from core.roles import Role

from .. import selectors
from ..forms_collectivite import MODEL_FIELDS, CollectiviteSettingsForm
from ..services import collectivite_update_policy

SETTINGS_READERS = frozenset({Role.ADMIN, Role.DGS, Role.DPO})


def can_edit_settings(access: Access) -> bool:
    return access.has(Role.ADMIN)


def can_read_settings(access: Access) -> bool:
    return bool(access.roles & SETTINGS_READERS)


@require_http_methods(["GET", "POST"])
@login_required
def collectivite_settings(request, pk):
    # A collectivité where the person holds no role does not exist for them (404); a role without the right, 403.
    collectivite = selectors.collectivites_for_user(request.user).filter(pk=pk).first()
    if collectivite is None:
        raise Http404
    access = get_access(request.user, collectivite)
    if not can_read_settings(access):
        raise PermissionDenied(_("Only the collectivité's administrators, its DGS and its DPO see its settings."))
    editable = can_edit_settings(access)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("Only the collectivité's administrators change its settings."))

    conflict = None
    if request.method == "POST":
        form = CollectiviteSettingsForm(request.POST, request.FILES, collectivite=collectivite)
        if form.is_valid():
            changes = form.changes()
            try:
                collectivite_update_policy(
                    collectivite=collectivite,
                    acting_user=request.user,
                    data=changes,
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as error:
                conflict = {"message": error.message, "current": _current_values(form, collectivite)}
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                if not changes:
                    messages.info(request, _("Nothing was changed."))
                else:
                    messages.success(request, _("The settings were saved."))
                if form.reclassifies(changes):
                    messages.info(
                        request,
                        _(
                            "The number of agents or the review policy changed: the register is being reclassified. "
                            "Use cases whose obligations change show it in their history."
                        ),
                    )
                return redirect("registry:collectivite_settings", pk=collectivite.pk)
    else:
        form = CollectiviteSettingsForm(collectivite=collectivite)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "registry/collectivite_settings.html",
        {"collectivite": collectivite, "form": form, "editable": editable, "conflict": conflict},
        status=409 if conflict else 200,
    )


def _current_values(form, collectivite) -> list[dict]:
    """The saved settings that differ from what the administrator typed, to compare before saving again."""
    collectivite.refresh_from_db()
    rows = []
    for name in MODEL_FIELDS:
        saved = getattr(collectivite, name)
        if form.cleaned_data.get(name) != saved:
            display = getattr(collectivite, f"get_{name}_display", None)
            if display is not None:
                value = display()
            elif isinstance(saved, bool):
                value = _("Yes") if saved else _("No")
            else:
                value = "—" if saved in (None, "") else saved
            rows.append({"label": form[name].label, "value": value})
    return rows
