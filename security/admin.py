"""The security events in the admin: read only (no adding, changing or deleting an event)."""

from django.contrib import admin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "actor_username", "username_attempted", "subject_user", "collectivite", "ip")
    list_filter = ("kind", "collectivite", "created_at")
    search_fields = ("actor_username", "username_attempted", "subject_user__username", "object_repr", "ip")
    date_hierarchy = "created_at"
    list_select_related = ("subject_user", "collectivite")
    readonly_fields = [field.name for field in SecurityEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
