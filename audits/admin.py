"""Django admin of the human controls. Administrators add their collectivité's local checkpoint types here;
the national types (DOMAIN.md section 4, texts from audits/catalogue.py) are read-only. Checkpoints,
attestations, incidents and the reminder logs change only through the services and the task: read-only
here (an attestation is never edited nor deleted, and the model refuses it anyway)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .catalogue import CATALOGUE
from .models import (
    Attestation,
    Checkpoint,
    CheckpointType,
    DigestLog,
    Incident,
    IncidentNotification,
    IncidentReminderLog,
    ReminderLog,
)


class LocalCheckpointTypeForm(forms.ModelForm):
    class Meta:
        model = CheckpointType
        fields = ("collectivite", "code", "title", "practice", "legal_basis", "default_frequency", "evidence")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A type added here is local: it belongs to one collectivité (national ones come from the catalogue).
        if "collectivite" in self.fields:
            self.fields["collectivite"].required = True

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code in CATALOGUE:
            raise forms.ValidationError(_("This code is a national checkpoint's: choose another one."))
        return code


@admin.register(CheckpointType)
class CheckpointTypeAdmin(admin.ModelAdmin):
    form = LocalCheckpointTypeForm
    list_display = ("code", "title_display", "default_frequency", "scope")
    list_filter = (("collectivite", admin.RelatedOnlyFieldListFilter), "default_frequency")
    search_fields = ("code", "title")
    list_select_related = ("collectivite",)

    @admin.display(description=_("title"))
    def title_display(self, obj):
        return obj.display_title

    @admin.display(description=_("collectivité"), ordering="collectivite__name")
    def scope(self, obj):
        return obj.collectivite or _("National")

    def _national(self, obj) -> bool:
        return obj is not None and obj.collectivite_id is None

    def has_change_permission(self, request, obj=None):
        return not self._national(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A type in use is protected by the database (checkpoints refer to it).
        return not self._national(obj) and super().has_delete_permission(request, obj)

    def get_fields(self, request, obj=None):
        if self._national(obj):
            return ("code", "title_display", "practice_display", "legal_basis_display", "default_frequency")
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self._national(obj):
            return self.get_fields(request, obj)
        return ()

    @admin.display(description=_("what it means in practice"))
    def practice_display(self, obj):
        return obj.display_practice

    @admin.display(description=_("legal basis"))
    def legal_basis_display(self, obj):
        return obj.display_legal_basis


class AttestationInline(admin.TabularInline):
    model = Attestation
    extra = 0
    fields = ("performed_on", "outcome", "attested_by", "comment", "evidence_name", "corrects", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    """Read-mostly: owners and frequencies change on the use case's page, through the services."""

    list_display = ("use_case", "type", "origin", "active", "owner", "frequency", "next_due", "last_attested_on")
    list_filter = ("active", "origin", "frequency", ("use_case__collectivite", admin.RelatedOnlyFieldListFilter))
    search_fields = ("use_case__reference", "use_case__name", "owner__username", "owner__last_name", "type__code")
    list_select_related = ("use_case", "type", "owner")
    date_hierarchy = "next_due"
    inlines = [AttestationInline]


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyAdmin):
    """The evidence file is downloaded from the use case's page, where its visibility is checked: only its
    name and size show here."""

    list_display = ("checkpoint", "performed_on", "outcome", "attested_by", "evidence_name", "created_at")
    list_filter = ("outcome",)
    search_fields = ("checkpoint__use_case__reference", "attested_by__username", "comment")
    list_select_related = ("checkpoint__use_case", "checkpoint__type", "attested_by")
    fields = (
        "checkpoint",
        "attested_by",
        "performed_on",
        "outcome",
        "comment",
        "evidence_name",
        "evidence_size",
        "corrects",
        "created_at",
    )
    readonly_fields = fields
    date_hierarchy = "performed_on"


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    """Incidents are recorded on the use case's page (the DPO and the RSSI are notified from there)."""

    list_display = (
        "use_case",
        "severity",
        "occurred_at",
        "personal_data_breach",
        "breach_deadline",
        "persons_affected",
        "reported_by",
    )
    list_filter = ("severity", "personal_data_breach", ("use_case__collectivite", admin.RelatedOnlyFieldListFilter))
    search_fields = ("use_case__reference", "use_case__name", "description")
    list_select_related = ("use_case", "reported_by")
    readonly_fields = [f.name for f in Incident._meta.fields if f.name != "id"]
    date_hierarchy = "occurred_at"


@admin.register(IncidentNotification)
class IncidentNotificationAdmin(ReadOnlyAdmin):
    """Notifications are recorded on the incident's page, once, never changed (append-only)."""

    list_display = ("incident", "recipient", "stage", "sent_at", "channel", "reference", "recorded_by")
    list_filter = ("recipient", "stage", "channel")
    search_fields = ("incident__use_case__reference", "reference", "recipient_name")
    list_select_related = ("incident__use_case", "recorded_by")
    readonly_fields = [f.name for f in IncidentNotification._meta.fields if f.name != "id"]
    date_hierarchy = "sent_at"


@admin.register(IncidentReminderLog)
class IncidentReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("incident", "clock", "kind", "due_at", "sequence", "sent_at")
    list_filter = ("clock", "kind")
    list_select_related = ("incident__use_case",)
    readonly_fields = ("incident", "clock", "kind", "due_at", "sequence", "sent_at")
    date_hierarchy = "sent_at"


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("checkpoint", "kind", "due_date", "sequence", "sent_at")
    list_filter = ("kind",)
    search_fields = ("checkpoint__use_case__reference",)
    list_select_related = ("checkpoint__use_case", "checkpoint__type")
    readonly_fields = ("checkpoint", "kind", "due_date", "sequence", "sent_at")
    date_hierarchy = "sent_at"


@admin.register(DigestLog)
class DigestLogAdmin(ReadOnlyAdmin):
    list_display = ("collectivite", "day", "sent_at")
    list_filter = ("collectivite",)
    readonly_fields = ("collectivite", "day", "sent_at")
    date_hierarchy = "day"
