"""Django admin of the charter: read-only. Editions are written, published and acknowledged in the application,
through `charter.services` (a published edition is final; a status is never set by hand)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import CharterAcknowledgement, CharterEdition, CharterSection


class SectionInline(admin.TabularInline):
    model = CharterSection
    fields = ("position", "key", "title", "version", "updated_at", "updated_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CharterEdition)
class CharterEditionAdmin(ReadOnlyAdmin):
    list_display = ("year", "collectivite", "status", "published_at", "published_by", "content_fingerprint")
    list_filter = ("status", ("collectivite", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("collectivite", "published_by")
    exclude = ("snapshot",)
    inlines = [SectionInline]


@admin.register(CharterAcknowledgement)
class CharterAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ("edition", "user", "acknowledged_at")
    list_filter = (("edition__collectivite", admin.RelatedOnlyFieldListFilter), "edition__year")
    list_select_related = ("edition__collectivite", "user")
    search_fields = ("user__username", "user__last_name")
