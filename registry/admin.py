"""Django admin for the reference data: collectivités, services, people and roles, the tool catalogue; and a
read-mostly view of the use cases and the shadow-AI declarations, which change only through their services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Collectivite, Declaration, DeclarationEvent, Membership, Service, Tool, UseCase, UseCaseEvent, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["service"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("job_title",)}))


@admin.register(Collectivite)
class CollectiviteAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "siren", "population", "agents_count")
    search_fields = ("name", "siren")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Through the service, so that a change of size or ethics policy reclassifies the use cases.
        from .services import collectivite_update_policy

        collectivite_update_policy(
            collectivite=obj,
            acting_user=request.user,
            data={name: form.cleaned_data[name] for name in form.changed_data},
        )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "collectivite")
    list_filter = ("collectivite",)
    search_fields = ("code", "name")
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "service", "collectivite")
    list_filter = ("collectivite", "role")
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ["user", "service"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "category", "status", "max_data_classification", "hosting_zone", "collectivite")
    list_filter = ("collectivite", "status", "category", "hosting_zone")
    search_fields = ("name", "vendor")


@admin.register(UseCase)
class UseCaseAdmin(GuardedModelAdmin, SimpleHistoryAdmin):
    """Read-mostly: use cases are created and changed through the register's screens and services."""

    list_display = ("reference", "name", "service", "status", "ai_act_risk", "rgpd_sensitivity", "collectivite")
    list_filter = ("collectivite", "status", "ai_act_risk", "rgpd_sensitivity")
    search_fields = ("reference", "name")
    list_select_related = ("service", "collectivite")
    readonly_fields = [f.name for f in UseCase._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(UseCaseEvent)
class UseCaseEventAdmin(admin.ModelAdmin):
    list_display = ("use_case", "kind", "from_status", "to_status", "actor", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("use_case", "actor", "kind", "from_status", "to_status", "comment", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    follow-up code and the submission key stay out of sight: the code lets an anonymous author read the
    answer, and nothing here may help tell who an anonymous author is."""

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
        f.name for f in Declaration._meta.fields if f.name not in ("id", "follow_up_code", "submission_key")
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
