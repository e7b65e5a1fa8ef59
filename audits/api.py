"""API v1 of human-control checkpoints: the checkpoints of the use cases one may see, their attestations and the
use cases' incidents as nested resources (the compliance summary, `/compliance/`, is reporting's: `reporting.api`).

Routes (registry/api/urls.py): `/checkpoints/` (list, read, PATCH owner and frequency),
`/checkpoints/{checkpoint_id}/attestations/` (list, record; an attestation is never edited nor deleted),
`/use-cases/{use_case_id}/checkpoints/` (a use case's checkpoints; POST adds a manual one),
`/use-cases/{use_case_id}/incidents/` (list, record). A checkpoint or a use case the user
may not see answers 404, an action they may not take 403.
"""

from functools import cached_property

import django_filters
from django import forms
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.fields import CodeField, OptionalCodeField
from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorSerializer
from core.validators import as_id
from registry.api.filters import CodeChoiceFilter
from registry.api.serializers import PlausibleDateTimeField, ScopedRelatedField, UserSummarySerializer
from registry.api.views import COLLECTIVITE_HEADER, ERROR_400, ERROR_403, ERROR_404
from registry.choices import LIVE_STATUSES
from registry.models import UseCase, User
from registry.selectors import use_case_detail

from . import incident_clocks, incidents, schedule, selectors, services
from .models import (
    Attestation,
    BreachRisk,
    Checkpoint,
    CheckpointType,
    Frequency,
    Incident,
    IncidentNotification,
    PersonsExemption,
    SeriousCategory,
)
from .permissions import can_assess_breach, can_manage_checkpoints, can_manage_incident, can_record_incident

# Named for the OpenAPI enums (see SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
CHECKPOINT_FREQUENCIES = Frequency
CHECKPOINT_ORIGINS = Checkpoint.Origin
ATTESTATION_OUTCOMES = Attestation.Outcome
INCIDENT_SEVERITIES = Incident.Severity
SERIOUS_CATEGORIES = SeriousCategory
BREACH_RISKS = BreachRisk
PERSONS_EXEMPTIONS = PersonsExemption
NOTIFICATION_RECIPIENTS = IncidentNotification.Recipient
NOTIFICATION_CHANNELS = IncidentNotification.Channel
NOTIFICATION_STAGES = IncidentNotification.Stage
DEADLINE_STATUSES = tuple((code, label) for code, label in incident_clocks.STATUS_LABELS.items())
DEADLINE_CODES = tuple((code, label) for code, label in incident_clocks.TITLES.items())
TEXT_MAX_LENGTH = 5000

ERROR_409 = OpenApiResponse(ErrorSerializer, description=_("Someone else changed this checkpoint since you read it."))


def members_of(access):
    """The people of the current collectivité: who may own a checkpoint."""
    return User.objects.filter(memberships__collectivite_id=access.collectivite_id).distinct()


# --- Reading -----------------------------------------------------------------------------------------


class UseCaseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = UseCase
        fields = ("id", "reference", "name")
        read_only_fields = fields


class CheckpointTypeSerializer(serializers.ModelSerializer):
    """What the control is: national (DOMAIN.md codes, texts of the national catalogue) or the collectivité's own."""

    title = serializers.CharField(source="display_title", read_only=True)
    practice = serializers.CharField(
        source="display_practice", read_only=True, help_text=_("What the control means in practice.")
    )
    legal_basis = serializers.CharField(source="display_legal_basis", read_only=True)
    evidence_expected = serializers.CharField(source="display_evidence", read_only=True)
    default_frequency = serializers.ChoiceField(choices=CHECKPOINT_FREQUENCIES.choices, read_only=True)
    national = serializers.BooleanField(
        read_only=True, help_text=_("True for the national catalogue, false for a type of the collectivité's own.")
    )

    class Meta:
        model = CheckpointType
        fields = (
            "id",
            "code",
            "title",
            "practice",
            "legal_basis",
            "evidence_expected",
            "default_frequency",
            "national",
        )
        read_only_fields = fields


class CheckpointSerializer(serializers.ModelSerializer):
    """A human-control checkpoint of a use case, with its owner and schedule."""

    use_case = UseCaseSummarySerializer(read_only=True)
    type = CheckpointTypeSerializer(read_only=True)
    origin = serializers.ChoiceField(
        choices=CHECKPOINT_ORIGINS.choices,
        read_only=True,
        help_text=_(
            "`required` by the classification (mandatory), `condition` of an approval (mandatory), "
            "or `manual`: added by a reviewer."
        ),
    )
    active = serializers.BooleanField(
        read_only=True,
        help_text=_("False once the classification no longer requires it: kept with its attestations."),
    )
    owner = UserSummarySerializer(read_only=True, allow_null=True)
    frequency = serializers.ChoiceField(choices=CHECKPOINT_FREQUENCIES.choices, read_only=True)
    next_due = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("Null for a control made at each use.")
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("Active, on a live use case (its controls run), and due before today (Europe/Paris).")
    )
    due_soon = serializers.SerializerMethodField(
        help_text=format_lazy(
            _("Active, on a live use case (its controls run), and due within {days} days."),
            days=schedule.DUE_SOON_DAYS,
        )
    )
    version = serializers.IntegerField(
        read_only=True, help_text=_("Send it back with a change: a stale version is refused (409).")
    )

    class Meta:
        model = Checkpoint
        fields = (
            "id",
            "use_case",
            "type",
            "origin",
            "active",
            "owner",
            "frequency",
            "next_due",
            "last_attested_on",
            "overdue",
            "due_soon",
            "version",
        )
        read_only_fields = fields

    def _today(self):
        return self.context.get("today") or timezone.localdate()

    def _runs(self, checkpoint) -> bool:
        """Nothing is due on a use case that is not live (a draft, a use case under review, suspended...)."""
        return checkpoint.active and schedule.controls_run(checkpoint.use_case)

    def get_overdue(self, checkpoint) -> bool:
        return self._runs(checkpoint) and schedule.is_overdue(checkpoint.next_due, self._today())

    def get_due_soon(self, checkpoint) -> bool:
        return self._runs(checkpoint) and schedule.is_due_soon(checkpoint.next_due, self._today())


class AttestationSerializer(serializers.ModelSerializer):
    """A dated statement by the checkpoint's owner that the control happened. Never edited: a correction is a new
    attestation pointing to the one it corrects (`corrects`)."""

    attested_by = UserSummarySerializer(read_only=True)
    outcome = serializers.ChoiceField(choices=ATTESTATION_OUTCOMES.choices, read_only=True)
    evidence_url = serializers.SerializerMethodField(
        help_text=_("Where to download the evidence (for those who may see the use case); null without evidence.")
    )
    evidence_size = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("In bytes."))

    class Meta:
        model = Attestation
        fields = (
            "id",
            "checkpoint",
            "performed_on",
            "outcome",
            "comment",
            "attested_by",
            "evidence_url",
            "evidence_name",
            "evidence_size",
            "corrects",
            "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_url(self, attestation) -> str | None:
        if not attestation.evidence:
            return None
        url = reverse("audits:evidence_download", args=[attestation.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class IncidentDeadlineSerializer(serializers.Serializer):
    """One notification deadline of an incident (`audits.incident_clocks`)."""

    code = serializers.ChoiceField(choices=DEADLINE_CODES, read_only=True)
    title = serializers.CharField(read_only=True)
    basis = serializers.CharField(read_only=True, help_text=_("The article it comes from."))
    rule = serializers.CharField(read_only=True, help_text=_("How the deadline is counted."))
    due_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("Null: as soon as possible (RGPD art. 34).")
    )
    applies = serializers.BooleanField(
        read_only=True,
        help_text=_("False: the AI Act's deadline does not bind this system (not high risk): advice only."),
    )
    status = serializers.ChoiceField(choices=DEADLINE_STATUSES, read_only=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_("The first notification."))
    not_required = serializers.CharField(read_only=True, help_text=_("Why it is not required, if it is not."))
    initial_only = serializers.BooleanField(
        read_only=True, help_text=_("Authority: an initial report was sent, the complete one not yet (art. 73(5)).")
    )


class IncidentSerializer(serializers.ModelSerializer):
    """An incident of a use case (AI Act art. 26(5)); a personal-data breach carries the DPO's 72-hour deadline;
    its qualification as serious (art. 3(49)) and its notification deadlines."""

    severity = serializers.ChoiceField(choices=INCIDENT_SEVERITIES.choices, read_only=True)
    breach_deadline = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("For a personal-data breach: when the DPO's 72-hour assessment ends (RGPD art. 33)."),
    )
    reported_by = UserSummarySerializer(read_only=True)
    aware_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("When the collectivité became aware: the deadlines count from it.")
    )
    serious = serializers.BooleanField(
        read_only=True, allow_null=True, help_text=_("Null until qualified (AI Act art. 3(49)).")
    )
    serious_category = OptionalCodeField(choices=SERIOUS_CATEGORIES.choices, read_only=True)
    qualified_by = UserSummarySerializer(read_only=True, allow_null=True)
    breach_risk = OptionalCodeField(choices=BREACH_RISKS.choices, read_only=True)
    persons_exemption = OptionalCodeField(choices=PERSONS_EXEMPTIONS.choices, read_only=True)
    breach_assessed_by = UserSummarySerializer(read_only=True, allow_null=True)
    deadlines = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField(help_text=_("The PDF report, rendered on download."))

    class Meta:
        model = Incident
        fields = (
            "id",
            "use_case",
            "occurred_at",
            "description",
            "severity",
            "persons_affected",
            "personal_data_breach",
            "breach_deadline",
            "actions_taken",
            "reported_by",
            "created_at",
            "aware_at",
            "serious",
            "serious_category",
            "death",
            "widespread_infringement",
            "critical_infrastructure_disruption",
            "qualification_comment",
            "qualified_by",
            "qualified_at",
            "breach_risk",
            "cnil_not_required_reason",
            "persons_exemption",
            "breach_comment",
            "breach_assessed_by",
            "breach_assessed_at",
            "deadlines",
            "report_url",
        )
        read_only_fields = fields

    @extend_schema_field(IncidentDeadlineSerializer(many=True))
    def get_deadlines(self, incident) -> list:
        clocks = incident_clocks.incident_clocks(incident, list(incident.notifications.all()))
        return [
            {
                "code": clock.code,
                "title": clock.title,
                "basis": clock.basis,
                "rule": clock.rule,
                "due_at": clock.due_at,
                "applies": clock.applies,
                "status": clock.status,
                "done_at": clock.done_at,
                "not_required": clock.not_required,
                "initial_only": clock.initial_only,
            }
            for clock in clocks
        ]

    @extend_schema_field(serializers.URLField())
    def get_report_url(self, incident) -> str:
        url = reverse("audits:incident_report", args=[incident.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class IncidentNotificationSerializer(serializers.ModelSerializer):
    """A notification of an incident to someone outside: recorded once, never changed."""

    recipient = serializers.ChoiceField(choices=NOTIFICATION_RECIPIENTS.choices, read_only=True)
    channel = serializers.ChoiceField(choices=NOTIFICATION_CHANNELS.choices, read_only=True)
    stage = serializers.ChoiceField(choices=NOTIFICATION_STAGES.choices, read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)
    attachment_url = serializers.SerializerMethodField(help_text=_("Null without an attached file."))

    class Meta:
        model = IncidentNotification
        fields = (
            "id",
            "incident",
            "recipient",
            "recipient_name",
            "sent_at",
            "channel",
            "reference",
            "stage",
            "comment",
            "attachment_url",
            "attachment_name",
            "attachment_size",
            "recorded_by",
            "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_attachment_url(self, notification) -> str | None:
        if not notification.attachment:
            return None
        url = reverse("audits:notification_attachment_download", args=[notification.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


# --- Writing -----------------------------------------------------------------------------------------


class CheckpointUpdateSerializer(serializers.Serializer):
    """What may change on a checkpoint: who answers for it and how often. Fields not sent are kept."""

    owner = ScopedRelatedField(
        members_of,
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A person of the collectivité, by id; a mandatory checkpoint cannot be left without owner."),
    )
    frequency = CodeField(choices=CHECKPOINT_FREQUENCIES.choices, required=False)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("The version you read: if someone changed the checkpoint since, nothing is saved (409)."),
    )


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class CheckpointTypeField(serializers.Field):
    """A checkpoint type of the current collectivité (national or its own), by code or by id."""

    default_error_messages = {
        "unknown": _("No checkpoint type “{value}” in your collectivité."),
        "invalid": _("A checkpoint type code or id is expected."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int)) or str(data).strip() == "":
            self.fail("invalid")
        access = self.context.get("access")
        types = selectors.checkpoint_types_for(access.collectivite_id if access else None)
        value = str(data).strip()
        lookup = {"pk": as_id(value)} if as_id(value) is not None else {"code": value}
        # A national type first, should the collectivité have given one of its own the same code.
        kind = types.filter(**lookup).order_by(F("collectivite_id").asc(nulls_first=True)).first()
        if kind is None:
            self.fail("unknown", value=value)
        return kind

    def to_representation(self, value):
        return value.code


class CheckpointAddSerializer(serializers.Serializer):
    type = CheckpointTypeField(
        help_text=_("A checkpoint type by code (e.g. `bias_review`) or id: national, or the collectivité's own.")
    )
    owner = ScopedRelatedField(members_of, queryset=User.objects.all(), help_text=_("A person of the collectivité."))
    frequency = CodeField(
        choices=CHECKPOINT_FREQUENCIES.choices,
        required=False,
        allow_null=True,
        help_text=_("Defaults to the type's default frequency."),
    )


class AttestationRecordSerializer(serializers.Serializer):
    """The owner attests a control: JSON, or multipart/form-data to join an evidence file."""

    performed_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("When the control took place; defaults to today.")
    )
    outcome = CodeField(choices=ATTESTATION_OUTCOMES.choices, default=Attestation.Outcome.OK)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Required when an issue was found."),
    )
    evidence = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=_("Optional evidence (PDF, image, office document, text or CSV), sent as multipart/form-data."),
    )
    corrects = serializers.PrimaryKeyRelatedField(
        queryset=Attestation.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("The attestation of this checkpoint that this one corrects."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        checkpoint = self.context.get("checkpoint")
        if checkpoint is not None:
            self.fields["corrects"].queryset = checkpoint.attestations.all()


class IncidentRecordSerializer(serializers.Serializer):
    occurred_at = PlausibleDateTimeField(label=_("occurred at"))
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH, label=_("description"))
    severity = CodeField(choices=INCIDENT_SEVERITIES.choices, label=_("severity"))
    persons_affected = serializers.IntegerField(
        min_value=0, max_value=100_000_000, required=False, default=0, label=_("persons affected")
    )
    personal_data_breach = serializers.BooleanField(
        required=False,
        default=False,
        label=_("personal-data breach"),
        help_text=_("Starts the DPO's 72-hour assessment (RGPD art. 33)."),
    )
    actions_taken = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH, label=_("actions taken")
    )


class IncidentQualifySerializer(serializers.Serializer):
    serious = serializers.BooleanField(help_text=_("A serious incident in the sense of AI Act art. 3(49)?"))
    category = OptionalCodeField(
        choices=SERIOUS_CATEGORIES.choices, help_text=_("What it led to (art. 3(49) a to d): required when serious.")
    )
    death = serializers.BooleanField(required=False, default=False, help_text=_("10 days (art. 73(4))."))
    widespread_infringement = serializers.BooleanField(
        required=False, default=False, help_text=_("Art. 3(61): 2 days (art. 73(3)).")
    )
    aware_at = PlausibleDateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When the collectivité became aware of it; defaults to when it was recorded."),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)


class IncidentNotificationRecordSerializer(serializers.Serializer):
    """JSON, or multipart/form-data to join a file."""

    recipient = CodeField(choices=NOTIFICATION_RECIPIENTS.choices)
    recipient_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    sent_at = PlausibleDateTimeField()
    channel = CodeField(choices=NOTIFICATION_CHANNELS.choices)
    stage = CodeField(choices=NOTIFICATION_STAGES.choices, default=IncidentNotification.Stage.INITIAL)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)
    attachment = serializers.FileField(required=False, allow_null=True)


class BreachAssessmentSerializer(serializers.Serializer):
    risk = CodeField(choices=BREACH_RISKS.choices)
    cnil_not_required_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Required for `unlikely`."),
    )
    persons_exemption = OptionalCodeField(
        choices=PERSONS_EXEMPTIONS.choices, help_text=_("For a high risk: the case of RGPD art. 34(3), if any.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)


# --- Filters -----------------------------------------------------------------------------------------


class OwnerFilter(django_filters.CharFilter):
    field_class = forms.RegexField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CheckpointFilter(django_filters.FilterSet):
    use_case = IdFilter(field_name="use_case_id", label=_("Use case (id)"))
    owner = OwnerFilter(
        regex=r"^(me|none|\d+)$",
        method="filter_owner",
        label=_("Owner: a person's id, `me`, or `none` for checkpoints without owner"),
        error_messages={"invalid": _("A person's id, `me` or `none` is expected.")},
    )
    active = django_filters.BooleanFilter()
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Active and due before today"))
    due_before = django_filters.DateFilter(field_name="next_due", lookup_expr="lte", label=_("Due on or before"))
    due_after = django_filters.DateFilter(field_name="next_due", lookup_expr="gte", label=_("Due on or after"))
    type = django_filters.CharFilter(field_name="type__code", label=_("Checkpoint type code"))
    frequency = CodeChoiceFilter(choices=CHECKPOINT_FREQUENCIES.choices)

    class Meta:
        model = Checkpoint
        fields = ("use_case", "owner", "active", "overdue", "due_before", "due_after", "type", "frequency")

    def filter_owner(self, queryset, name, value):
        if value == "me":
            return queryset.filter(owner=self.request.user)
        if value == "none":
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner_id=int(value))

    def filter_overdue(self, queryset, name, value):
        late = Q(active=True, next_due__lt=timezone.localdate(), use_case__status__in=LIVE_STATUSES)
        return queryset.filter(late) if value else queryset.exclude(late)


# --- Views -------------------------------------------------------------------------------------------


class TodayMixin:
    """One "today" (Europe/Paris) for a whole response, so that every row is judged on the same date."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema(tags=["checkpoints"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("Checkpoints of the use cases you may see"),
        description=_(
            "Soonest due first (controls made at each use last). `owner=me` lists the checkpoints you answer "
            "for, `overdue=true` those late."
        ),
    ),
    retrieve=extend_schema(summary=_("A checkpoint"), responses={200: CheckpointSerializer, 404: ERROR_404}),
    partial_update=extend_schema(
        summary=_("Change a checkpoint's owner or frequency"),
        description=_(
            "For whoever may change the use case, and for the DPO and the RSSI. Send the `version` you read; "
            "a changed frequency moves the next due date."
        ),
        request=CheckpointUpdateSerializer,
        responses={200: CheckpointSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    ),
)
class CheckpointViewSet(
    TodayMixin, ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The human-control checkpoints of the use cases the user may see."""

    serializer_class = CheckpointSerializer
    queryset = Checkpoint.objects.none()  # the real one comes from the selectors, per user
    filter_backends = [DjangoFilterBackend]
    filterset_class = CheckpointFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Checkpoint.objects.none()
        return (
            selectors.checkpoints_visible_to(self.request.user, self.access)
            .select_related("use_case", "type", "owner")
            .order_by(F("next_due").asc(nulls_last=True), "id")
        )

    def partial_update(self, request, *args, **kwargs):
        checkpoint = self.get_object()
        if not can_manage_checkpoints(request.user, self.access, checkpoint.use_case):
            raise PermissionDenied(_("You may not change the checkpoints of this use case."))
        serializer = CheckpointUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        updated = services.checkpoint_update(
            checkpoint=checkpoint,
            acting_user=request.user,
            owner=data.get("owner", checkpoint.owner),
            frequency=data.get("frequency", checkpoint.frequency),
            expected_version=data.get("version"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=updated.pk)).data)


class UseCaseNestedMixin:
    """A resource below a use case the user may see (404 otherwise)."""

    @cached_property
    def use_case(self):
        return get_object_or_404(use_case_detail(self.request.user, self.access), pk=self.kwargs["use_case_id"])


@extend_schema(tags=["checkpoints"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("A use case's checkpoints"),
        description=_("Active ones first, including those the classification no longer requires."),
        responses={200: CheckpointSerializer(many=True), 404: ERROR_404},
    ),
    create=extend_schema(
        summary=_("Add a checkpoint to a use case"),
        description=_(
            "A reviewer adds a control the classification did not require: for whoever may change the use case, "
            "and for the DPO and the RSSI."
        ),
        request=CheckpointAddSerializer,
        responses={201: CheckpointSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
)
class UseCaseCheckpointViewSet(
    TodayMixin, UseCaseNestedMixin, ScopedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = CheckpointSerializer
    queryset = Checkpoint.objects.none()
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Checkpoint.objects.none()
        return self.use_case.checkpoints.select_related("use_case", "type", "owner").order_by(
            "-active", "type__code", "id"
        )

    def create(self, request, *args, **kwargs):
        use_case = self.use_case
        if not can_manage_checkpoints(request.user, self.access, use_case):
            raise PermissionDenied(_("You may not change the checkpoints of this use case."))
        serializer = CheckpointAddSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        checkpoint = services.checkpoint_add(
            use_case=use_case,
            acting_user=request.user,
            type=data["type"],
            owner=data["owner"],
            frequency=data.get("frequency"),
        )
        fresh = self.get_queryset().get(pk=checkpoint.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["checkpoints"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("A checkpoint's attestations"),
        description=_("The most recent control first."),
        responses={200: AttestationSerializer(many=True), 404: ERROR_404},
    ),
    retrieve=extend_schema(summary=_("An attestation"), responses={200: AttestationSerializer, 404: ERROR_404}),
    create=extend_schema(
        summary=_("Attest that the control took place"),
        description=_(
            "Only the checkpoint's owner attests (403 otherwise). Send JSON, or multipart/form-data to join an "
            "evidence file (type checked by content, size limited). An attestation is never edited nor deleted: "
            "to correct one, record a new one with `corrects`."
        ),
        request={
            "application/json": AttestationRecordSerializer,
            "multipart/form-data": AttestationRecordSerializer,
        },
        responses={201: AttestationSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
)
class AttestationViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AttestationSerializer
    queryset = Attestation.objects.none()
    filter_backends = []
    http_method_names = ["get", "post", "head", "options"]

    @cached_property
    def checkpoint(self):
        visible = selectors.checkpoints_visible_to(self.request.user, self.access).select_related("use_case")
        return get_object_or_404(visible, pk=self.kwargs["checkpoint_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Attestation.objects.none()
        return self.checkpoint.attestations.select_related("attested_by")

    def create(self, request, *args, **kwargs):
        checkpoint = self.checkpoint
        context = {**self.get_serializer_context(), "checkpoint": checkpoint}
        serializer = AttestationRecordSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        attestation = services.attestation_record(
            checkpoint=checkpoint, acting_user=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(attestation).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["incidents"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("A use case's incidents"),
        description=_("Most recent first; for whoever may see the use case."),
        responses={200: IncidentSerializer(many=True), 404: ERROR_404},
    ),
    retrieve=extend_schema(summary=_("An incident"), responses={200: IncidentSerializer, 404: ERROR_404}),
    create=extend_schema(
        summary=_("Record an incident (AI Act art. 26(5))"),
        description=_(
            "For whoever may change the use case, the DPO, the RSSI and the owners of its checkpoints. "
            "A personal-data breach starts the DPO's 72-hour clock (RGPD art. 33): see `breach_deadline`."
        ),
        request=IncidentRecordSerializer,
        responses={201: IncidentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
)
class IncidentViewSet(
    UseCaseNestedMixin, ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = IncidentSerializer
    queryset = Incident.objects.none()
    filter_backends = []
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Incident.objects.none()
        return (
            selectors.use_case_incidents(self.use_case)
            .select_related("use_case", "qualified_by", "breach_assessed_by")
            .prefetch_related("notifications")
        )

    def create(self, request, *args, **kwargs):
        use_case = self.use_case
        if not can_record_incident(request.user, self.access, use_case):
            raise PermissionDenied(_("You may not record an incident on this use case."))
        serializer = IncidentRecordSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        incident = services.incident_record(use_case=use_case, acting_user=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)

    def _incident_to_manage(self):
        incident = self.get_object()
        if not can_manage_incident(self.request.user, self.access, incident.use_case):
            raise PermissionDenied(_("You may not act on the incidents of this use case."))
        return incident

    def _fresh(self, incident, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=incident.pk)).data, status=status_code)

    @extend_schema(
        summary=_("Qualify an incident (AI Act art. 3(49))"),
        description=_(
            "Serious or not, with its category, a death, a widespread infringement, and when the collectivité became "
            "aware of it: the deadlines of art. 26(5) and 73 (high-risk systems) count from then, in calendar days. "
            "For the DPO, the RSSI, the administrators and the people who answer for the use case."
        ),
        request=IncidentQualifySerializer,
        responses={200: IncidentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"])
    def qualify(self, request, *args, **kwargs):
        incident = self._incident_to_manage()
        serializer = IncidentQualifySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        incidents.incident_qualify(incident=incident, acting_user=request.user, **serializer.validated_data)
        return self._fresh(incident)

    @extend_schema(
        summary=_("Assess a personal-data breach (RGPD art. 33 and 34)"),
        description=_("For the DPO (and administrators). An incident not reported as a breach may become one."),
        request=BreachAssessmentSerializer,
        responses={200: IncidentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"], url_path="breach-assessment")
    def breach_assessment(self, request, *args, **kwargs):
        incident = self.get_object()
        if not can_assess_breach(self.access):
            raise PermissionDenied(_("Only the DPO assesses a personal-data breach."))
        serializer = BreachAssessmentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        incidents.incident_breach_assess(
            incident=incident,
            acting_user=request.user,
            **{**data, "persons_exemption": data["persons_exemption"] or ""},
        )
        return self._fresh(incident)


@extend_schema(tags=["incidents"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("An incident's notifications"),
        description=_("Oldest first; for whoever may see the use case."),
        responses={200: IncidentNotificationSerializer(many=True), 404: ERROR_404},
    ),
    create=extend_schema(
        summary=_("Record a notification of an incident"),
        description=_(
            "To the provider, the market surveillance authority, the CNIL, the persons concerned or another party: "
            "initial, complete (AI Act art. 73(5)) or follow-up. Never changed afterwards. Send JSON, or "
            "multipart/form-data to join a file. For the DPO, the RSSI, the administrators and the people who "
            "answer for the use case."
        ),
        request={
            "application/json": IncidentNotificationRecordSerializer,
            "multipart/form-data": IncidentNotificationRecordSerializer,
        },
        responses={201: IncidentNotificationSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
)
class IncidentNotificationViewSet(UseCaseNestedMixin, ScopedAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = IncidentNotificationSerializer
    queryset = IncidentNotification.objects.none()
    filter_backends = []
    http_method_names = ["get", "post", "head", "options"]

    @cached_property
    def incident(self):
        return get_object_or_404(self.use_case.incidents.all(), pk=self.kwargs["incident_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IncidentNotification.objects.none()
        return self.incident.notifications.select_related("recorded_by").order_by("sent_at", "id")

    def create(self, request, *args, **kwargs):
        incident = self.incident
        if not can_manage_incident(request.user, self.access, incident.use_case):
            raise PermissionDenied(_("You may not act on the incidents of this use case."))
        serializer = IncidentNotificationRecordSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        notification = incidents.incident_notification_record(
            incident=incident, acting_user=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(notification).data, status=status.HTTP_201_CREATED)
