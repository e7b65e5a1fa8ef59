"""API v1 of the explanation requests.

Staff (`/api/v1/explanation-requests/`): list and read the requests one may see (the DPO all the collectivité's, a
head of service their services'), PATCH the draft answer with the `version` read (a stale one is refused: 409), and
the actions `send/` (sign and send the letter) and `reject/` (an inadmissible request, with its reason). The public
(`/api/v1/public/explanation-requests/`): POST only, no authentication, throttled per client address; the answer is
the acknowledgment and nothing else (no listing, no reading)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core.api.fields import CodeField
from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorDocumentingAutoSchema, ErrorSerializer
from core.errors import ForbiddenError
from core.security import ClientAddressThrottleMixin
from registry.api.views import COLLECTIVITE_HEADER, ERROR_400, ERROR_403, ERROR_404
from registry.models import Collectivite, UseCase

from . import drafting, permissions, selectors, services
from .models import (
    NAME_MAX,
    TEXT_MAX,
    Element,
    ExplanationRequest,
    RejectionReason,
    RequestStatus,
    Secret,
)

ERROR_409 = OpenApiResponse(
    ErrorSerializer, description=_("Someone else changed the request since you read it, or it is closed.")
)
EXPLANATION_STATUSES = RequestStatus
EXPLANATION_ELEMENTS = Element
EXPLANATION_SECRETS = Secret
EXPLANATION_REJECTION_REASONS = RejectionReason


class UseCaseBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = UseCase
        fields = ("id", "reference", "name")
        read_only_fields = fields


class ExplanationRequestSerializer(serializers.ModelSerializer):
    use_case = UseCaseBriefSerializer(read_only=True, allow_null=True)
    service = serializers.CharField(source="service.name", read_only=True, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=EXPLANATION_STATUSES.choices, read_only=True)
    # Blank until a request is rejected: the schema says so (a read-only model field would claim one of the codes).
    rejection_reason = serializers.ChoiceField(
        choices=EXPLANATION_REJECTION_REASONS.choices, allow_blank=True, read_only=True
    )
    elements = serializers.ListField(child=serializers.ChoiceField(choices=EXPLANATION_ELEMENTS.choices))
    withheld = serializers.ListField(child=serializers.ChoiceField(choices=EXPLANATION_SECRETS.choices))
    overdue = serializers.SerializerMethodField(help_text=_("Still open after its deadline (Europe/Paris)."))
    art86 = serializers.SerializerMethodField(
        help_text=_("The decision came from a high-risk AI system of Annex III: the answer covers AI Act art. 86.")
    )
    letter_url = serializers.SerializerMethodField(help_text=_("The signed letter, once sent; null before."))

    class Meta:
        model = ExplanationRequest
        fields = (
            "id",
            "reference",
            "status",
            "use_case",
            "service",
            "requester_name",
            "requester_email",
            "requester_address",
            "requester_phone",
            "decision_date",
            "decision_reference",
            "decision_service",
            "elements",
            "message",
            "received_on",
            "deadline",
            "overdue",
            "art86",
            "answer_contribution",
            "answer_data",
            "answer_parameters",
            "answer_operations",
            "answer_ai_role",
            "answer_main_elements",
            "withheld",
            "withheld_explanation",
            "rejection_reason",
            "rejection_explanation",
            "signatory_name",
            "signatory_title",
            "closed_on",
            "letter_sha256",
            "letter_url",
            "anonymised_at",
            "version",
        )
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.get("today"))

    def get_art86(self, obj) -> bool:
        return drafting.art86_applies(obj.use_case)

    def get_letter_url(self, obj) -> str | None:
        if not obj.letter:
            return None
        url = reverse("explanations:letter", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class DraftSerializer(serializers.Serializer):
    """The draft answer: fields not sent are kept."""

    answer_contribution = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    answer_data = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    answer_parameters = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    answer_operations = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    answer_ai_role = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    answer_main_elements = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    withheld = serializers.ListField(child=CodeField(choices=EXPLANATION_SECRETS.choices), required=False)
    withheld_explanation = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    use_case = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The DPO only: the use case (id) of a request that named none.")
    )
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read: if someone changed the request since, nothing is saved (409).")
    )


class SendSerializer(serializers.Serializer):
    signatory_title = serializers.CharField(
        required=False, allow_blank=True, max_length=NAME_MAX, help_text=_("Defaults to your role.")
    )
    version = serializers.IntegerField(min_value=1)


class RejectSerializer(SendSerializer):
    reason = CodeField(choices=EXPLANATION_REJECTION_REASONS.choices)
    explanation = serializers.CharField(max_length=TEXT_MAX)


@extend_schema(tags=["explanation requests"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("Requests for an explanation you may answer"),
        description=_("Open ones first, soonest deadline first. The DPO sees all, a head of service their services'."),
    ),
    retrieve=extend_schema(
        summary=_("A request for an explanation"), responses={200: ExplanationRequestSerializer, 404: ERROR_404}
    ),
    partial_update=extend_schema(
        summary=_("Save the draft answer"),
        request=DraftSerializer,
        responses={200: ExplanationRequestSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    ),
)
class ExplanationRequestViewSet(
    ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ExplanationRequestSerializer
    queryset = ExplanationRequest.objects.none()
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExplanationRequest.objects.none()
        return (
            selectors.requests_visible_to(self.access)
            .select_related("use_case", "service")
            .order_by(F("closed_at").desc(nulls_first=True), "deadline", "id")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def retrieve(self, request, *args, **kwargs):
        found = self.get_object()
        services.request_viewed(request=found, acting_user=request.user, access=self.access)
        return Response(self.get_serializer(found).data)

    def _to_sign(self):
        """The request, if the person may sign its letter (403 before any validation otherwise; closed: 409)."""
        found = self.get_object()
        if found.is_open and not permissions.can_sign(self.access, found):
            raise PermissionDenied(_("Only the DPO or the head of the service concerned signs the answer."))
        return found

    def _fresh(self, pk):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    def partial_update(self, request, *args, **kwargs):
        found = self.get_object()
        serializer = DraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if "use_case" in data:
            use_case_id = data.pop("use_case")
            if not permissions.can_assign_use_case(self.access):
                raise PermissionDenied(_("Only the DPO says which use case a request is about."))
            use_case = None
            if use_case_id is not None:
                use_case = UseCase.objects.filter(pk=use_case_id, collectivite_id=self.access.collectivite_id).first()
                if use_case is None:
                    raise serializers.ValidationError({"use_case": [_("No such use case in your collectivité.")]})
            data["use_case"] = use_case
        services.draft_save(
            request=found, acting_user=request.user, access=self.access, data=data, expected_version=version
        )
        return self._fresh(found.pk)

    @extend_schema(
        summary=_("Sign and send the answer"),
        description=_(
            "The DPO or the head of the owning service signs: the letter's PDF is made once, stored with its SHA-256 "
            "fingerprint, and e-mailed to the person."
        ),
        request=SendSerializer,
        responses={200: ExplanationRequestSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        found = self._to_sign()
        serializer = SendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.request_send(
            request=found,
            acting_user=request.user,
            access=self.access,
            signatory_title=serializer.validated_data.get("signatory_title", ""),
            expected_version=serializer.validated_data["version"],
        )
        return self._fresh(found.pk)

    @extend_schema(
        summary=_("Reject an inadmissible request"),
        request=RejectSerializer,
        responses={200: ExplanationRequestSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        found = self._to_sign()
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.request_reject(
            request=found,
            acting_user=request.user,
            access=self.access,
            reason=data["reason"],
            explanation=data["explanation"],
            signatory_title=data.get("signatory_title", ""),
            expected_version=data["version"],
        )
        return self._fresh(found.pk)


# The public endpoint ----------------------------------------------------------------------------------------------
class PublicExplanationThrottle(ClientAddressThrottleMixin, AnonRateThrottle):
    scope = "explanation-request"

    def get_rate(self):
        return getattr(settings, "EXPLANATION_RATE_LIMIT", "5/h")


class PublicRequestSerializer(serializers.Serializer):
    collectivite = serializers.SlugField(help_text=_("The collectivité's short name, as in its register's address."))
    use_case_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=_("The reference of the published register entry the decision came from; empty if unknown."),
    )
    requester_name = serializers.CharField(max_length=NAME_MAX)
    requester_email = serializers.EmailField()
    requester_address = serializers.CharField(required=False, allow_blank=True, max_length=500)
    requester_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    decision_date = serializers.DateField()
    decision_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    decision_service = serializers.CharField(required=False, allow_blank=True, max_length=200)
    elements = serializers.ListField(
        child=CodeField(choices=EXPLANATION_ELEMENTS.choices), required=False, max_length=4
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX)
    consent = serializers.BooleanField(help_text=_("True: the person read how their data are used and kept."))

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(_("The person must accept the information notice."))
        return value

    def validate_decision_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The date of the decision cannot be in the future."))
        return value

    def validate(self, attrs):
        if not attrs.get("elements") and not (attrs.get("message") or "").strip():
            raise serializers.ValidationError({"elements": [_("Give at least one element, or a message.")]})
        collectivite = Collectivite.objects.filter(slug=attrs["collectivite"]).first()
        if collectivite is None:
            raise serializers.ValidationError({"collectivite": [_("No such collectivité.")]})
        attrs["collectivite"] = collectivite
        reference = attrs.pop("use_case_reference", "")
        attrs["use_case"] = None
        if reference:
            publication = selectors.published_use_case(collectivite, reference)
            if publication is None:
                raise serializers.ValidationError(
                    {"use_case_reference": [_("No published entry with this reference.")]}
                )
            attrs["use_case"] = publication.use_case
        return attrs


class AcknowledgmentSerializer(serializers.Serializer):
    reference = serializers.CharField()
    received_on = serializers.DateField()
    deadline = serializers.DateField(help_text=_("Without an answer by then, the request is deemed refused."))
    follow_up_url = serializers.URLField(help_text=_("Personal: shows the status and, once sent, the letter."))


class PublicExplanationRequestCreate(GenericAPIView):
    """POST only: a person asks for the explanation of a decision. Nothing can be listed nor read here."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicExplanationThrottle]
    serializer_class = PublicRequestSerializer
    schema = ErrorDocumentingAutoSchema()

    @extend_schema(
        tags=["public register"],
        summary=_("Ask for the explanation of an individual decision"),
        description=_(
            "CRPA L311-3-1 and R311-3-1-2, AI Act art. 86: no account. The answer is the acknowledgment, with the "
            "personal follow-up address. Throttled per client address."
        ),
        request=PublicRequestSerializer,
        responses={201: AcknowledgmentSerializer, 400: ERROR_400, 429: OpenApiResponse(ErrorSerializer)},
    )
    def post(self, request):
        serializer = PublicRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        collectivite = data.pop("collectivite")
        use_case = data.pop("use_case")
        try:
            created = services.request_create(collectivite=collectivite, data=data, use_case=use_case)
        except ForbiddenError as error:  # pragma: no cover - nothing forbids a person to ask
            raise PermissionDenied(str(error.message)) from error
        url = request.build_absolute_uri(reverse("explanations_public:follow_up", args=[created.token]))
        body = AcknowledgmentSerializer(
            {
                "reference": created.request.reference,
                "received_on": created.request.received_on,
                "deadline": created.request.deadline,
                "follow_up_url": url,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED)
