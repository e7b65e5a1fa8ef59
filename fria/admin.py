"""Django admin of the AIDFs: read-only. An AIDF is written, submitted, reviewed and notified only through the
services (its page on the use case, the API), which check who may act and keep its versions and events."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Fria, FriaEvent, FriaVersion


@admin.register(Fria)
class FriaAdmin(ReadOnlyAdmin):
    list_display = ("use_case", "status", "number", "notified_on", "updated_at")
    list_filter = ("status", ("use_case__collectivite", admin.RelatedOnlyFieldListFilter))
    search_fields = ("use_case__reference", "use_case__name", "aipd_reference", "notification_reference")
    list_select_related = ("use_case",)
    exclude = ("aipd_file",)


@admin.register(FriaVersion)
class FriaVersionAdmin(ReadOnlyAdmin):
    list_display = ("fria", "number", "submitted_at", "decision", "reviewed_at", "notified_on")
    list_filter = ("decision",)
    search_fields = ("fria__use_case__reference",)
    list_select_related = ("fria__use_case",)
    exclude = ("aipd_file",)


@admin.register(FriaEvent)
class FriaEventAdmin(ReadOnlyAdmin):
    list_display = ("fria", "kind", "number", "actor", "created_at")
    list_filter = ("kind",)
    list_select_related = ("fria__use_case", "actor")
