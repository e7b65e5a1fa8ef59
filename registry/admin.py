"""Django admin for the reference data: collectivités, services, people and roles, the tool catalogue; and a
read-only view of what changes only through the services: the use cases and their statuses, the review rounds
with their opinions and conditions, and the ethics committee (members, sessions, agendas, members' opinions),
which its own pages manage."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.validators import validate_logo

from .models import (
    AgendaItem,
    ApplicationDate,
    Collectivite,
    CommitteeMember,
    CommitteeSession,
    Membership,
    Opinion,
    Review,
    ReviewCondition,
    Service,
    Tool,
    UseCase,
    UseCaseEvent,
    User,
    Vote,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["service"]
    readonly_fields = ["granted_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sso_grant")

    @admin.display(description=_("granted by"))
    def granted_by(self, obj):
        # A role from the provider's claim follows the claim at each sign-in; an administrator's stays (sso).
        if obj.pk is None:
            return "-"
        return _("identity provider") if hasattr(obj, "sso_grant") else _("administrator")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]  # sso adds where the account comes from (sso.admin)
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("job_title", "civility")}))


class HttpsUrlsAdmin(admin.ModelAdmin):
    """An address typed without its scheme is taken as https (Django 6's default; no deprecation warning)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Collectivite)
class CollectiviteAdmin(HttpsUrlsAdmin):
    list_display = ("name", "kind", "siren", "population", "agents_count")
    search_fields = ("name", "siren")
    prepopulated_fields = {"slug": ("name",)}
    REVIEW_POLICY_FIELDS = ("review_months_high", "review_months_limited", "review_months_minimal")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "logo":
            # A real PNG/JPEG/WebP image, size and dimensions bounded, never SVG (registry.validators).
            kwargs["validators"] = [validate_logo]
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        # Every other field as Django lists it, then the re-review policy in its own titled group.
        fields = [name for name in self.get_fields(request, obj) if name not in self.REVIEW_POLICY_FIELDS]
        return (
            (None, {"fields": fields}),
            (
                _("Periodic re-review of approved uses"),
                {
                    "fields": self.REVIEW_POLICY_FIELDS,
                    "description": _(
                        "Months between the approval of a use case and its next review, by AI Act risk level. "
                        "A change applies from the next approval."
                    ),
                },
            ),
        )

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
class ToolAdmin(HttpsUrlsAdmin):
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

    def save_model(self, request, obj, form, change):
        # Every field is read-only: nothing to save. Nor is an old version restored from the history page,
        # which would set the status back without its review.
        pass

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(ApplicationDate)
class ApplicationDateAdmin(admin.ModelAdmin):
    """The AI Act's dates of application, shared by every collectivité of the installation: a change restamps the
    reasons of the whole register (`registry.signals.reclassify_after_dates_change`)."""

    list_display = ("key", "applies_from", "source", "updated_at")
    readonly_fields = ("updated_at",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UseCaseEvent)
class UseCaseEventAdmin(admin.ModelAdmin):
    list_display = ("use_case", "kind", "from_status", "to_status", "actor", "created_at", "notified_at")
    list_filter = ("kind",)
    list_select_related = ("use_case", "actor")
    readonly_fields = (
        "use_case",
        "review",
        "actor",
        "kind",
        "from_status",
        "to_status",
        "comment",
        "details",
        "created_at",
        "notified_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Review workflow: read-only. Opinions, decisions, agendas, votes and the committee's opinions are given on the
# register's pages, through the services that check who may act and record each step.
class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed nor deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpinionInline(ReadOnlyInline):
    model = Opinion
    fields = (
        "role",
        "author",
        "verdict",
        "comment",
        "ask_committee",
        "legal_basis",
        "dpia_status",
        "processing_record_ref",
        "retention",
        "hosting_assessment",
        "data_classification",
        "vendor_reuse",
        "homologation_status",
        "created_at",
    )
    readonly_fields = fields


class ReviewConditionInline(ReadOnlyInline):
    model = ReviewCondition
    fields = ("source", "text", "created_by", "created_at")
    readonly_fields = fields


class ReviewAgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = ("session", "position", "opinion", "opinion_comment", "decided_by", "decided_at")
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "use_case", "kind", "status", "decision", "opened_at", "decided_at", "collectivite")
    list_filter = ("collectivite", "status", "kind", "decision", "ethics_required")
    search_fields = ("use_case__reference", "use_case__name")
    list_select_related = ("use_case", "collectivite")
    date_hierarchy = "opened_at"
    exclude = ("snapshot",)
    readonly_fields = [f.name for f in Review._meta.fields if f.name != "snapshot"]
    inlines = [OpinionInline, ReviewConditionInline, ReviewAgendaInline]


def _committee_page_note(obj=None):
    return format_html(
        '{} <a href="{}">{}</a>',
        _("Members, sessions, agendas and opinions are managed on the committee's page:"),
        reverse("registry:committee"),
        _("Ethics committee"),
    )


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    """Seats change through the committee page (`committee_member_add/update`): the committee role, the single
    chair and the members' access to the cases go with them."""

    list_display = (
        "__str__",
        "collectivite",
        "is_chair",
        "is_vice_chair",
        "external",
        "affiliation",
        "active",
        "joined_on",
    )
    list_filter = ("collectivite", "is_chair", "is_vice_chair", "external", "active")
    search_fields = ("user__username", "user__last_name", "affiliation")
    list_select_related = ("user", "collectivite")
    readonly_fields = (
        "how_to_change",
        "collectivite",
        "user",
        "is_chair",
        "is_vice_chair",
        "external",
        "affiliation",
        "active",
        "birth_date",
    )

    @admin.display(description=_("to change"))
    def how_to_change(self, obj):
        return _committee_page_note(obj)


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = (
        "position",
        "review",
        "opinion",
        "opinion_comment",
        "decided_by",
        "decided_at",
        "presided_by",
        "presiding_role",
        "added_by",
    )
    readonly_fields = fields


@admin.register(CommitteeSession)
class CommitteeSessionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "held_on", "place", "status", "closed_at", "collectivite")
    list_filter = ("collectivite", "status")
    date_hierarchy = "held_on"
    readonly_fields = (
        "how_to_change",
        "collectivite",
        "held_on",
        "place",
        "status",
        "notes",
        "created_by",
        "closed_at",
    )
    inlines = [AgendaItemInline]

    @admin.display(description=_("to change"))
    def how_to_change(self, obj):
        return _committee_page_note(obj)


class VoteInline(ReadOnlyInline):
    model = Vote
    fields = ("member", "choice", "conflict_of_interest", "comment", "created_at")
    readonly_fields = fields


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "session", "review", "position", "opinion", "decided_at")
    list_filter = ("session__collectivite", "opinion")
    list_select_related = ("session__collectivite", "review__use_case")
    readonly_fields = (
        "session",
        "review",
        "position",
        "opinion",
        "opinion_comment",
        "decided_by",
        "decided_at",
        "added_by",
        "added_at",
    )
    inlines = [VoteInline]
