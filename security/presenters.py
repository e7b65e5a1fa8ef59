"""What the journal shows of an event's details: a few readable words, never the raw JSON."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from core.roles import Role

from .models import SecurityEvent

Kind = SecurityEvent.Kind


def _role_label(code) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return str(code or "")


def describe(event: SecurityEvent) -> list[tuple[str, str]]:
    """(label, value) pairs summing up the event's details."""
    details = event.details or {}
    pairs: list[tuple[str, str]] = []
    if event.kind in (Kind.ROLE_GRANTED, Kind.ROLE_REVOKED, Kind.ROLE_CHANGED):
        pairs.append((_("Role"), _role_label(details.get("role"))))
        if details.get("service"):
            pairs.append((_("Service"), details["service"]))
        before = details.get("before")
        if isinstance(before, dict) and before.get("role") != details.get("role"):
            pairs.append((_("Previous role"), _role_label(before.get("role"))))
    elif event.kind in (Kind.PERMISSION_GRANTED, Kind.PERMISSION_REVOKED):
        pairs.append((_("Permission"), str(details.get("permission", ""))))
        if details.get("group"):
            pairs.append((_("Group"), details["group"]))
    elif event.kind == Kind.USER_FLAGS_CHANGED:
        labels = {"is_active": _("active"), "is_staff": _("staff"), "is_superuser": _("superuser")}
        for flag, change in details.items():
            if isinstance(change, dict):
                value = _("yes") if change.get("to") else _("no")
                pairs.append((labels.get(flag, flag), value))
    elif event.kind == Kind.EXPORT:
        pairs.append((_("Format"), str(details.get("format", "")).upper()))
        if details.get("filters"):
            pairs.append((_("Filters"), details["filters"]))
        if details.get("rows") is not None:
            pairs.append((_("Rows"), str(details["rows"])))
    elif event.kind == Kind.DOCUMENT_DOWNLOAD:
        # The journal sits below every app it records (STYLE.md layers): models by the app registry, not imports.
        Document = apps.get_model("documents", "Document")
        kind = details.get("document_kind")
        if kind in Document.Kind.values:
            pairs.append((_("Document"), str(Document.Kind(kind).label)))
    elif event.kind == Kind.EVIDENCE_DOWNLOAD:
        if details.get("file_name"):
            pairs.append((_("File"), details["file_name"]))
    elif event.kind == Kind.SETTINGS_CHANGED:
        Collectivite = apps.get_model("registry", "Collectivite")
        labels = []
        for name in details.get("fields") or []:
            try:
                labels.append(str(Collectivite._meta.get_field(name).verbose_name))
            except Exception:  # a field since removed: its name as recorded
                labels.append(str(name))
        pairs.append((_("Settings"), ", ".join(labels)))
    elif event.kind == Kind.IMPORT_APPLIED:
        labels = {"create": _("created"), "update": _("updated"), "unchanged": _("unchanged")}
        pairs.extend((label, str(details[name])) for name, label in labels.items() if name in details)
    return pairs
