"""Reads of the exchange pages: the register to export (with the list's filters) and the collectivité's imports."""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import Access
from registry import selectors as registry_selectors
from registry.filters import UseCaseFilter
from registry.models import UseCase

from .models import RegisterImport

RECENT_IMPORTS = 10


def register_to_export(user, access: Access, params) -> QuerySet[UseCase]:
    """The register as the list shows it with the same query string (its filters), else the whole register."""
    queryset = registry_selectors.use_case_list(user, access)
    if not params:
        return queryset
    return UseCaseFilter(params, queryset=queryset, access=access).qs


def imports_of(access: Access) -> QuerySet[RegisterImport]:
    """The collectivité's imports, without their files."""
    return (
        RegisterImport.objects.filter(collectivite_id=access.collectivite_id)
        .select_related("created_by", "applied_by")
        .defer("content")
    )


def recent_imports(access: Access) -> list[RegisterImport]:
    return list(imports_of(access).order_by("-created_at", "-id")[:RECENT_IMPORTS])
