"""Read-only admin of the register imports: who imported which file, when, with what outcome (not the file)."""

from django.contrib import admin

from .models import RegisterImport


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "collectivite", "status", "created_by", "created_at", "applied_at")
    list_filter = ("status", "format", "collectivite")
    search_fields = ("file_name", "sha256")
    date_hierarchy = "created_at"
    fields = (
        "collectivite",
        "file_name",
        "format",
        "size",
        "sha256",
        "status",
        "message",
        "counts",
        "created_by",
        "created_at",
        "applied_by",
        "applied_at",
        "result",
        "plan",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").select_related("collectivite", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
