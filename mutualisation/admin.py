"""The administration: memberships of a structure are created here (through the service, so the one-level rule and
the trail hold); items, decisions and events are read-only."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError

from . import services
from .models import Adoption, Mutualisation, MutualisationEvent, SharedItem


class MutualisationForm(forms.ModelForm):
    class Meta:
        model = Mutualisation
        fields = ("structure", "member")


@admin.register(Mutualisation)
class MutualisationAdmin(admin.ModelAdmin):
    form = MutualisationForm
    actions = ["remove_members"]
    list_display = ("structure", "member", "joined_on", "active")
    list_filter = ("active",)
    list_select_related = ("structure", "member")
    fields = ("structure", "member")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form ran the model's checks (one level, never itself); the service records it with its event.
        try:
            saved = services.structure_member_add(structure=obj.structure, member=obj.member, acting_user=request.user)
        except ApplicationError as error:
            self.message_user(request, str(error.message), messages.ERROR)
            return
        obj.pk = saved.pk

    @admin.action(description=_("Remove the members from their structure"))
    def remove_members(self, request, queryset):
        for relation in queryset:
            try:
                services.structure_member_remove(relation=relation, acting_user=request.user)
            except ApplicationError as error:
                self.message_user(request, str(error.message), messages.ERROR)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SharedItem)
class SharedItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "structure", "version", "shared_at", "withdrawn_at")
    list_filter = ("kind",)
    list_select_related = ("structure",)


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    list_display = ("item", "member", "decision", "version", "decided_at")
    list_filter = ("decision",)
    list_select_related = ("item", "member")


@admin.register(MutualisationEvent)
class MutualisationEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "structure", "member", "item", "actor")
    list_filter = ("kind",)
    list_select_related = ("structure", "member", "item", "actor")
