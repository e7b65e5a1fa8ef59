"""API v1 of the AIDF (AI Act art. 27): `/frias/` lists and reads the AIDFs of the use cases one may see, starts one
(POST with its use case), saves the draft (PATCH with the `version` read), and the actions `submit`, `review` (the
DPO), `notify`, `reopen` (a new version); `versions` and `suggestions` are read-only. An AIDF out of sight answers
404; what the person may not do, 403 (the services decide); a stale `version` or a status that does not allow it,
409."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorSerializer
from registry.api.views import COLLECTIVITE_HEADER, ERROR_400, ERROR_403, ERROR_404
from registry.selectors import use_cases_visible_to

from . import permissions, prefill, selectors, services
from .models import AIPD_FIELDS, PART_FIELDS, TEXT_MAX_LENGTH, Fria, FriaStatus, FriaVersion

# Named for the OpenAPI enums (see SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
FRIA_STATUSES = FriaStatus
FRIA_DECISIONS = FriaVersion.Decision

ERROR_409 = OpenApiResponse(
    ErrorSerializer, description=_("Someone else changed the AIDF since you read it, or its status does not allow it.")
)


class UseCaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class FriaSerializer(serializers.ModelSerializer):
    """An AIDF: the version being written (or the last one approved), its six parts, the AIPD it complements and the
    notification of its results."""

    use_case = UseCaseRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=FRIA_STATUSES.choices, read_only=True)
    number = serializers.IntegerField(read_only=True, help_text=_("The version number of the assessment."))
    version = serializers.IntegerField(
        read_only=True, help_text=_("Send it back when you change the AIDF: if someone changed it since, 409.")
    )
    aipd_file_url = serializers.SerializerMethodField(help_text=_("Where to download the AIPD file, if any."))

    class Meta:
        model = Fria
        fields = (
            "id",
            "use_case",
            "status",
            "number",
            "version",
            *PART_FIELDS,
            *AIPD_FIELDS,
            "aipd_file_name",
            "aipd_file_url",
            "notified_on",
            "notification_means",
            "notification_reference",
            "notification_authority",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_aipd_file_url(self, fria) -> str | None:
        if not fria.aipd_file:
            return None
        return reverse("fria:aipd_download", args=[fria.use_case_id])


class FriaVersionSerializer(serializers.ModelSerializer):
    decision = serializers.ChoiceField(choices=FRIA_DECISIONS.choices, read_only=True, allow_blank=True)
    submitted_by = serializers.CharField(read_only=True)
    reviewed_by = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = FriaVersion
        fields = (
            "number",
            *PART_FIELDS,
            *AIPD_FIELDS,
            "aipd_file_name",
            "submitted_by",
            "submitted_at",
            "decision",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "committee_reference",
            "committee_comment",
            "notified_on",
            "notification_means",
            "notification_reference",
            "notification_authority",
        )
        read_only_fields = fields


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH, **kwargs)


class FriaWriteSerializer(serializers.Serializer):
    """The draft's fields: those not sent are kept."""

    processes = _text(help_text=_("(a) The deployer's processes in which the system is used."))
    period = _text(help_text=_("(b) The period of time and the frequency of use."))
    affected_persons = _text(help_text=_("(c) The categories of natural persons and groups likely to be affected."))
    risks = _text(help_text=_("(d) The specific risks of harm, with the provider's information (art. 13)."))
    human_oversight = _text(help_text=_("(e) The human oversight measures, according to the instructions for use."))
    measures = _text(help_text=_("(f) The measures if the risks materialise: internal governance, complaints."))
    aipd_reference = serializers.CharField(required=False, allow_blank=True, max_length=200)
    aipd_conclusion = _text()
    aipd_file = serializers.FileField(
        required=False, help_text=_("The AIPD file (multipart/form-data): the types and size of evidence files.")
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("The version you read: if someone changed the AIDF since, 409.")
    )


class FriaCreateSerializer(FriaWriteSerializer):
    use_case = serializers.IntegerField(
        help_text=_("The use case whose AIDF to start (its classification requires it).")
    )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False, help_text=_("The version you read."))


class ReviewSerializer(VersionSerializer):
    decision = serializers.ChoiceField(choices=FRIA_DECISIONS.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    committee_reference = serializers.CharField(required=False, allow_blank=True, max_length=200)
    committee_comment = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)


class NotifySerializer(VersionSerializer):
    notified_on = serializers.DateField()
    notification_means = serializers.CharField(max_length=200)
    notification_authority = serializers.CharField(
        max_length=300, help_text=_("The market surveillance authority notified, as the collectivité names it.")
    )
    notification_reference = serializers.CharField(required=False, allow_blank=True, max_length=200)


class SuggestionsSerializer(serializers.Serializer):
    processes = serializers.CharField()
    period = serializers.CharField()
    affected_persons = serializers.CharField()
    risks = serializers.CharField()
    human_oversight = serializers.CharField()
    measures = serializers.CharField()


WRITE_RESPONSES = {200: FriaSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409}


@extend_schema(tags=["frias"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("AIDFs of the use cases you may see"),
        description=_("`status` filters by status; `due=true` lists those not completed yet."),
    ),
    retrieve=extend_schema(summary=_("An AIDF"), responses={200: FriaSerializer, 404: ERROR_404}),
    create=extend_schema(
        summary=_("Start the AIDF of a use case"),
        description=_(
            "For a use case whose classification requires an AIDF, by whoever answers for it. Each part starts "
            "with what the register knows of the use case; the fields sent replace them. An AIDF already started "
            "is answered as it is (200)."
        ),
        request={"application/json": FriaCreateSerializer, "multipart/form-data": FriaCreateSerializer},
        responses={201: FriaSerializer, 200: FriaSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
    partial_update=extend_schema(
        summary=_("Save the draft of an AIDF"),
        description=_("Only while it is being written. Send the `version` you read."),
        request={"application/json": FriaWriteSerializer, "multipart/form-data": FriaWriteSerializer},
        responses=WRITE_RESPONSES,
    ),
)
class FriaViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FriaSerializer
    queryset = Fria.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Fria.objects.none()
        queryset = selectors.frias_visible_to(self.request.user, self.access).order_by("use_case__reference", "pk")
        wanted = self.request.query_params.get("status")
        if wanted in FriaStatus.values:
            queryset = queryset.filter(status=wanted)
        if self.request.query_params.get("due") in ("true", "1"):
            queryset = queryset.filter(~Q(status=FriaStatus.NOTIFIED))
        return queryset

    def _writable(self):
        """The AIDF, for whoever may write it (403 before its body is read; the services check again)."""
        fria = self.get_object()
        if not permissions.can_write_fria(self.request.user, self.access, fria.use_case):
            raise PermissionDenied(_("You may not write the AIDF of this use case."))
        return fria

    def _fresh(self, fria, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=fria.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = FriaCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        use_case = get_object_or_404(
            use_cases_visible_to(request.user, self.access).select_related("collectivite"), pk=data.pop("use_case")
        )
        existed = services.fria_of(use_case) is not None
        fria = services.fria_start(use_case=use_case, acting_user=request.user)
        aipd_file = data.pop("aipd_file", None)
        data.pop("version", None)
        if not existed and (data or aipd_file):
            fria = services.fria_update(fria=fria, acting_user=request.user, data=data, aipd_file=aipd_file)
        return self._fresh(fria, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        fria = self._writable()
        serializer = FriaWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        aipd_file = data.pop("aipd_file", None)
        fria = services.fria_update(
            fria=fria, acting_user=request.user, data=data, aipd_file=aipd_file, expected_version=expected
        )
        return self._fresh(fria)

    @extend_schema(
        summary=_("Submit the AIDF to the DPO"),
        description=_("Freezes the version being written; each of the six parts must be written."),
        request=VersionSerializer,
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        fria = self._writable()
        serializer = VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.fria_submit(
            fria=fria, acting_user=request.user, expected_version=serializer.validated_data.get("version")
        )
        return self._fresh(fria)

    @extend_schema(
        summary=_("Review the submitted AIDF (DPO)"),
        description=_(
            "`approved`, or `returned` with a comment (a new version then starts from it). The opinion of the ethics "
            "committee may be recorded with it."
        ),
        request=ReviewSerializer,
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        fria = self.get_object()
        if not permissions.is_fria_reviewer(self.access):
            raise PermissionDenied(_("Only the DPO reviews the AIDF."))
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.fria_review(
            fria=fria,
            acting_user=request.user,
            decision=data["decision"],
            comment=data.get("comment", ""),
            committee_reference=data.get("committee_reference", ""),
            committee_comment=data.get("committee_comment", ""),
            expected_version=data.get("version"),
        )
        return self._fresh(fria)

    @extend_schema(
        summary=_("Record the notification to the market surveillance authority"),
        description=_("Of an AIDF approved by the DPO (AI Act art. 27(3)): then it is completed."),
        request=NotifySerializer,
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        fria = self._writable()
        serializer = NotifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.fria_notify(
            fria=fria,
            acting_user=request.user,
            notified_on=data["notified_on"],
            means=data["notification_means"],
            authority=data["notification_authority"],
            reference=data.get("notification_reference", ""),
            expected_version=data.get("version"),
        )
        return self._fresh(fria)

    @extend_schema(
        summary=_("Start a new version of an approved AIDF"),
        request=VersionSerializer,
        responses=WRITE_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        fria = self._writable()
        serializer = VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.fria_reopen(
            fria=fria, acting_user=request.user, expected_version=serializer.validated_data.get("version")
        )
        return self._fresh(fria)

    @extend_schema(
        summary=_("The versions submitted to the DPO"),
        description=_("Newest first, each as it was frozen, with its review and notification."),
        responses={200: FriaVersionSerializer(many=True), 404: ERROR_404},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request, pk=None):
        fria = self.get_object()
        versions = fria.versions.select_related("submitted_by", "reviewed_by")
        return Response(FriaVersionSerializer(versions, many=True).data)

    @extend_schema(
        summary=_("What the register knows for each part"),
        description=_("Drawn from the use case, its checkpoints, its incidents and its tool, as of now."),
        responses={200: SuggestionsSerializer, 404: ERROR_404},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def suggestions(self, request, pk=None):
        fria = self.get_object()
        return Response(SuggestionsSerializer(prefill.suggestions(fria.use_case)).data)
