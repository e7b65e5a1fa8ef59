"""Django admin of the shadow-AI declarations: read-mostly, since agents declare and the DPO / RSSI triage through
the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from .models import Declaration, DeclarationEvent


class DeclarationEventInline(admin.TabularInline):
    model = DeclarationEvent
    extra = 0
    fields = ("created_at", "kind", "from_status", "to_status", "actor", "message")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Declaration)
class DeclarationAdmin(GuardedModelAdmin):
    """Read-mostly: declarations are made by agents and triaged by the DPO / RSSI through the services. The
    follow-up code, the submission key and its submitter digest stay out of sight: the code lets an anonymous
    author read the answer, and nothing here may help tell who an anonymous author is."""

    list_display = (
        "reference",
        "tool_display",
        "author_display",
        "service",
        "status",
        "risk_level",
        "risk_score",
        "possible_breach",
        "breach_outcome",
        "created_at",
        "collectivite",
    )
    list_filter = ("collectivite", "status", "risk_level", "possible_breach", "breach_outcome", "category")
    search_fields = ("reference", "tool__name", "tool_name")
    list_select_related = ("tool", "author", "service", "collectivite")
    readonly_fields = [
        f.name
        for f in Declaration._meta.fields
        if f.name not in ("id", "follow_up_code", "submission_key", "submitter_digest")
    ]
    inlines = [DeclarationEventInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("tool"), ordering="tool__name")
    def tool_display(self, obj):
        return obj.tool_display

    @admin.display(description=_("author"), ordering="author__last_name")
    def author_display(self, obj):
        return obj.author if obj.author_id else _("Anonymous")


@admin.register(DeclarationEvent)
class DeclarationEventAdmin(admin.ModelAdmin):
    list_display = ("declaration", "kind", "from_status", "to_status", "actor", "created_at", "notified_at")
    list_filter = ("kind",)
    list_select_related = ("declaration", "actor")
    readonly_fields = (
        "declaration",
        "actor",
        "kind",
        "from_status",
        "to_status",
        "message",
        "created_at",
        "notified_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
