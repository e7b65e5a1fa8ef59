"""Django admin of the public register: read-only. Public records are written, published and withdrawn by the DPO
in the application, through `transparency.services` (which validate the public wording, freeze the record and
keep the trail): nothing is added, changed nor deleted here."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import Publication, PublicationEvent


def _pretty_json(value) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


class PublicationEventInline(admin.TabularInline):
    model = PublicationEvent
    fields = ("created_at", "kind", "actor", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ("reference", "name", "collectivite", "state", "first_published_at", "published_at", "out_of_date")
    list_filter = ("state", ("collectivite", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("collectivite", "use_case")
    search_fields = ("use_case__reference", "name")
    date_hierarchy = "published_at"
    exclude = ("content", "search_text")
    readonly_fields = ("published_record",)
    inlines = [PublicationEventInline]

    @admin.display(description=_("reference"), ordering="use_case__reference")
    def reference(self, obj):
        return obj.use_case.reference

    @admin.display(description=_("out of date"), boolean=True)
    def out_of_date(self, obj):
        return obj.out_of_date

    @admin.display(description=_("published content"))
    def published_record(self, obj):
        return _pretty_json(obj.content)


@admin.register(PublicationEvent)
class PublicationEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "reference", "kind", "actor", "collectivite")
    list_filter = ("kind", ("publication__collectivite", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("publication__use_case", "publication__collectivite", "actor")
    search_fields = ("publication__use_case__reference", "publication__name")
    date_hierarchy = "created_at"
    exclude = ("content",)
    readonly_fields = ("published_record",)

    @admin.display(description=_("reference"), ordering="publication__use_case__reference")
    def reference(self, obj):
        return obj.publication.use_case.reference

    @admin.display(description=_("collectivité"), ordering="publication__collectivite__name")
    def collectivite(self, obj):
        return obj.publication.collectivite

    @admin.display(description=_("published content"))
    def published_record(self, obj):
        return _pretty_json(obj.content) if obj.content else "—"
