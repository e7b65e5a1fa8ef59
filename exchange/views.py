"""Pages of the register's import and export: download the register (CSV, XLSX), upload a file, read its preview
line by line, apply it or discard it, read the outcome.

Thin views: who may do what comes from `registry.permissions` (export: the roles that see the whole register;
import: those who may edit it all), every change goes through `exchange.services`. Another collectivité's import
answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ConflictError
from core.middleware import current_collectivite
from core.views import member_required
from security.services import record_export, record_import_applied

from . import export, reader, selectors, services
from .columns import BY_CODE, COLUMNS, REQUIRED_CODES
from .forms import ImportForm
from .models import RegisterImport

PREVIEW_PAGE_SIZE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_export(access) -> None:
    if not access.sees_all:
        raise PermissionDenied(_("Only the DPO, the RSSI, the DGS or an administrator may export the whole register."))


def _may_import(access) -> None:
    if not access.edits_all:
        raise PermissionDenied(_("Only the DPO, the RSSI or an administrator may import into the register."))


def _attachment(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@member_required
def export_csv(request, access):
    _may_export(access)
    collectivite = current_collectivite(request)
    queryset = selectors.register_to_export(request.user, access, request.GET)
    response = StreamingHttpResponse(export.csv_chunks(queryset, collectivite), content_type="text/csv; charset=utf-8")
    record_export(request, collectivite, "csv")
    return _attachment(response, export.file_name(collectivite, "csv"))


@require_GET
@member_required
def export_xlsx(request, access):
    _may_export(access)
    collectivite = current_collectivite(request)
    queryset = selectors.register_to_export(request.user, access, request.GET)
    content = export.xlsx_bytes(queryset, collectivite, sheet_title=_("Register"))
    record_export(request, collectivite, "xlsx")
    return _attachment(HttpResponse(content, content_type=XLSX_TYPE), export.file_name(collectivite, "xlsx"))


@require_GET
@member_required
def import_template(request, access):
    _may_import(access)
    collectivite = current_collectivite(request)
    response = HttpResponse(export.template_bytes(collectivite, request.user), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"registre-ia-{collectivite.slug}-modele.csv")


def _start_context(access, form) -> dict:
    return {
        "form": form,
        "imports": selectors.recent_imports(access),
        "max_bytes": reader.max_bytes(),
        "max_rows": reader.max_rows(),
        "required_columns": [BY_CODE[code] for code in REQUIRED_CODES],
        "columns": COLUMNS,
    }


@require_http_methods(["GET", "POST"])
@member_required
def import_start(request, access):
    _may_import(access)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = services.import_preview(
            collectivite=current_collectivite(request),
            acting_user=request.user,
            uploaded_file=form.cleaned_data["file"],
        )
        if record.status != RegisterImport.Status.FAILED:
            return redirect("exchange:import_detail", pk=record.pk)
        form.add_error("file", record.message)
    status = 400 if form.errors else 200
    return render(request, "exchange/import_start.html", _start_context(access, form), status=status)


def _labelled(errors_or_changes: list[dict], key: str) -> list[dict]:
    return [
        {**item, "label": BY_CODE[item[key]].label if item.get(key) in BY_CODE else item.get(key, "")}
        for item in errors_or_changes
    ]


ACTION_ORDER = {services.ERROR: 0, services.CREATE: 1, services.UPDATE: 2, services.UNCHANGED: 3}


def _preview_context(request, record: RegisterImport) -> dict:
    lines = record.plan.get("lines", [])
    wanted = request.GET.get("action", "")
    if wanted not in ACTION_ORDER:
        wanted = ""
    shown = [line for line in lines if not wanted or line["action"] == wanted]
    shown.sort(key=lambda line: (ACTION_ORDER.get(line["action"], 9), line["line"]))
    page = Paginator(shown, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {**line, "errors": _labelled(line["errors"], "column"), "changes": _labelled(line["changes"], "field")}
        for line in page.object_list
    ]
    return {
        "record": record,
        "page": page,
        "rows": rows,
        "action": wanted,
        "actions": [
            (code, label, record.counts.get(code, 0))
            for code, label in (
                (services.ERROR, _("Errors")),
                (services.CREATE, _("To create")),
                (services.UPDATE, _("To update")),
                (services.UNCHANGED, _("Unchanged")),
            )
        ],
        "warnings": record.plan.get("warnings", []),
        "lines_total": len(lines),
    }


def _import_of(access, pk) -> RegisterImport:
    return get_object_or_404(selectors.imports_of(access).select_related(None).select_related("created_by"), pk=pk)


@require_GET
@member_required
def import_detail(request, access, pk):
    _may_import(access)
    record = _import_of(access, pk)
    return render(request, "exchange/import_detail.html", _preview_context(request, record))


@require_POST
@member_required
def import_apply(request, access, pk):
    _may_import(access)
    record = _import_of(access, pk)
    try:
        record = services.import_apply(import_=record, acting_user=request.user)
    except ConflictError as error:
        # The register changed since the preview: the new plan is stored, the person reads it here.
        record = _import_of(access, pk)
        messages.error(request, str(error.message))
        return render(request, "exchange/import_detail.html", _preview_context(request, record), status=409)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("exchange:import_detail", pk=record.pk)
    record_import_applied(request, record)
    counts = record.counts
    messages.success(
        request,
        _("Import applied. Created: %(create)s, updated: %(update)s, unchanged: %(unchanged)s.")
        % {name: counts.get(name, 0) for name in ("create", "update", "unchanged")},
    )
    return redirect("exchange:import_detail", pk=record.pk)


@require_POST
@member_required
def import_discard(request, access, pk):
    _may_import(access)
    record = _import_of(access, pk)
    try:
        services.import_discard(import_=record, acting_user=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("exchange:import_detail", pk=record.pk)
    messages.success(request, _("Import discarded: nothing was written in the register."))
    return redirect("exchange:import_start")
