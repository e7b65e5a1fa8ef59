"""API v1 for shadow-AI declarations (DOMAIN.md section 5): an agent declares, the DPO and the RSSI triage.

Any member of the collectivité may declare; reading is scoped by `declaration_selectors.declarations_visible_to` (an
agent reads their own named declarations, the DPO, the RSSI and administrators all of them); the triage
actions are theirs alone. The author of an anonymous declaration is exposed nowhere, and its follow-up code
only in the response that created it.
"""

import uuid

import django_filters
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.response import Response

from core.api.fields import CodeField, CodeListField
from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorSerializer
from core.errors import ApplicationError
from declarations import selectors as declaration_selectors
from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from declarations.permissions import can_declare, can_triage
from declarations.services import DECLARATION_FIELDS
from registry import selectors, services
from registry.api.filters import CodeChoiceFilter, UseCaseOrderingFilter, _scoped_services, _scoped_tools
from registry.api.serializers import (
    ScopedRelatedField,
    ServiceSummarySerializer,
    ToolSummarySerializer,
    UseCaseSerializer,
    UserSummarySerializer,
)
from registry.api.views import COLLECTIVITE_HEADER, ERROR_400, ERROR_403, ERROR_404
from registry.choices import (
    BreachOutcome,
    DataClassification,
    DeclarationAccount,
    DeclarationDevice,
    DeclarationFrequency,
    DeclarationOutput,
    DeclarationStatus,
    DeclaredData,
    HumanReview,
    RiskLevel,
    ToolCategory,
    ToolStatus,
)
from registry.filters import service_subtree
from registry.models import Service, Tool, UseCase
from registry.selectors import services_of, tools_of

# Named for the OpenAPI enums (see SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
EVENT_KINDS = DeclarationEvent.Kind
GUIDANCE_VERDICTS = (*ToolStatus.choices, ("unknown", _("Not in the catalogue")))
DECLARATION_ORDERING = ["risk_score", "created_at"]
TEXT_MAX_LENGTH = 5000
# The timestamps of an anonymous declaration and of its history keep the date only (the security journal shows each
# sign-in to the second): still date-times in the schema, at midnight, Europe/Paris, of the day.
DATE_ONLY = _("For an anonymous declaration, the date only: midnight (Europe/Paris) of the day.")


def _timestamp(help_text, **kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(read_only=True, help_text=format_lazy("{} {}", help_text, DATE_ONLY), **kwargs)


ERROR_429 = OpenApiResponse(ErrorSerializer, description=_("Too many declarations in the last hour: wait a little."))
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    description=_("Used as `submission_key` when the body has none."),
)


def _is_triage(serializer) -> bool:
    access = serializer.context.get("access")
    return access is not None and can_triage(access)


class UserScopedRelatedField(ScopedRelatedField):
    """A record the requesting user may see in the current collectivité: `scope(user, access)`."""

    def get_queryset(self):
        request = self.root.context.get("request") if self.root else None
        access = self.root.context.get("access") if self.root else None
        if request is None or access is None:
            return self.queryset.none()
        return self.scope(request.user, access)


# --- Reading -----------------------------------------------------------------------------------------


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text=_("Stable code of the risk factor."))
    points = serializers.IntegerField(read_only=True, help_text=_("Points this factor adds to the risk score."))
    explanation = serializers.CharField(read_only=True)


class BreachAssessmentSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=BreachOutcome.choices, source="breach_outcome", read_only=True)
    notes = serializers.CharField(source="breach_notes", read_only=True)
    assessed_at = _timestamp(_("When the assessment was recorded."), source="breach_assessed_at")
    assessed_by = UserSummarySerializer(source="breach_assessed_by", read_only=True, allow_null=True)


class DeclarationSerializer(serializers.ModelSerializer):
    """A declaration as the list shows it: what was declared, its risk, its status and the answer."""

    anonymous = serializers.BooleanField(read_only=True, help_text=_("Declared without giving one's name."))
    author = serializers.SerializerMethodField(
        help_text=_("Only shown to the DPO, the RSSI and administrators; never for an anonymous declaration.")
    )
    service_detail = ServiceSummarySerializer(source="service", read_only=True, allow_null=True)
    tool_detail = ToolSummarySerializer(source="tool", read_only=True, allow_null=True)
    category = serializers.ChoiceField(choices=ToolCategory.choices, read_only=True)
    frequency = serializers.ChoiceField(choices=DeclarationFrequency.choices, read_only=True)
    device = serializers.ChoiceField(choices=DeclarationDevice.choices, read_only=True)
    account = serializers.ChoiceField(choices=DeclarationAccount.choices, read_only=True)
    data_entered = CodeListField(choices=DeclaredData.choices, read_only=True)
    output_use = CodeListField(choices=DeclarationOutput.choices, read_only=True)
    human_review = serializers.ChoiceField(choices=HumanReview.choices, read_only=True)
    status = serializers.ChoiceField(choices=DeclarationStatus.choices, read_only=True)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    risk_factors = FactorSerializer(source="factors", many=True, read_only=True)
    breach_assessment = serializers.SerializerMethodField(
        help_text=_("The DPO's assessment (RGPD art. 33); only shown to the DPO, the RSSI and administrators.")
    )
    alternative_tool_detail = ToolSummarySerializer(source="alternative_tool", read_only=True, allow_null=True)
    breach_deadline = _timestamp(_("When the possible breach must be assessed by (RGPD art. 33)."), allow_null=True)
    answered_at = _timestamp(_("When the agent was last answered."), allow_null=True)
    created_at = _timestamp(_("When it was declared."))
    updated_at = _timestamp(_("When it last changed."))

    class Meta:
        model = Declaration
        fields = (
            "id",
            "reference",
            "status",
            "anonymous",
            "author",
            "service",
            "service_detail",
            "tool",
            "tool_detail",
            # What the agent filled in (service and tool above, next to their details).
            *(name for name in DECLARATION_FIELDS if name not in ("tool", "service")),
            "risk_score",
            "risk_level",
            "risk_factors",
            "possible_breach",
            "breach_deadline",
            "breach_assessment",
            "answer",
            "answered_at",
            "use_case",
            "alternative_tool",
            "alternative_tool_detail",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    @extend_schema_field(UserSummarySerializer(allow_null=True))
    def get_author(self, declaration):
        if declaration.author_id is None or not _is_triage(self):
            return None
        return UserSummarySerializer(declaration.author).data

    @extend_schema_field(BreachAssessmentSerializer(allow_null=True))
    def get_breach_assessment(self, declaration):
        if not declaration.breach_outcome or not _is_triage(self):
            return None
        return BreachAssessmentSerializer(declaration).data


class AlternativeSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    max_data_classification = serializers.ChoiceField(choices=DataClassification.choices, read_only=True)
    conditions = serializers.CharField(read_only=True, help_text=_("Its conditions of use set in the catalogue."))


class GuidanceSerializer(serializers.Serializer):
    """What the agent may go on doing, and what not: the advice shown right after declaring."""

    verdict = serializers.ChoiceField(
        choices=GUIDANCE_VERDICTS, read_only=True, help_text=_("The tool's status in the catalogue.")
    )
    tool_name = serializers.CharField(read_only=True)
    allowed_level = serializers.ChoiceField(
        choices=DataClassification.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The most sensitive data the tool may receive (null: none beyond public data)."),
    )
    alternative = serializers.SerializerMethodField(help_text=_("The approved tool to use instead, if any."))
    forbidden_data = CodeListField(
        choices=DeclaredData.choices, read_only=True, help_text=_("Data declared that must not go into this tool.")
    )
    conditions = serializers.CharField(read_only=True, help_text=_("Conditions of use set in the catalogue."))
    possible_breach = serializers.BooleanField(read_only=True)
    charter_url = serializers.SerializerMethodField(
        help_text=_("The collectivité's AI usage charter in force (its published edition), null without one.")
    )

    @extend_schema_field(AlternativeSerializer(allow_null=True))
    def get_alternative(self, advice):
        if not advice.alternative_name:
            return None
        return {
            "name": advice.alternative_name,
            "max_data_classification": advice.alternative_level,
            "conditions": advice.alternative_conditions,
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_charter_url(self, advice) -> str | None:
        collectivite, access = self.context.get("collectivite"), self.context.get("access")
        if collectivite is None or access is None:
            return None
        link = declaration_selectors.charter_link(access, collectivite)
        request = self.context.get("request")
        return (request.build_absolute_uri(link) if request is not None else link) or None


class DeclarationEventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EVENT_KINDS.choices, read_only=True)
    from_status = serializers.ChoiceField(choices=DeclarationStatus.choices, read_only=True, allow_blank=True)
    to_status = serializers.ChoiceField(choices=DeclarationStatus.choices, read_only=True, allow_blank=True)
    actor = UserSummarySerializer(read_only=True, allow_null=True)
    created_at = _timestamp(_("When it happened."))

    class Meta:
        model = DeclarationEvent
        fields = ("kind", "from_status", "to_status", "message", "actor", "created_at")
        read_only_fields = fields


class DeclarationDetailSerializer(DeclarationSerializer):
    """A declaration with the guidance given to the agent and, for the triage roles, its history."""

    guidance = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField(
        help_text=_("Submission and every triage action, with who and when (DPO, RSSI and administrators).")
    )

    class Meta(DeclarationSerializer.Meta):
        fields = (*DeclarationSerializer.Meta.fields, "guidance", "history")
        read_only_fields = fields

    @extend_schema_field(GuidanceSerializer)
    def get_guidance(self, declaration):
        return GuidanceSerializer(declaration_selectors.declaration_guidance(declaration), context=self.context).data

    @extend_schema_field(DeclarationEventSerializer(many=True))
    def get_history(self, declaration):
        if not _is_triage(self):
            return []
        return DeclarationEventSerializer(declaration.events.all(), many=True).data


class DeclarationCreatedSerializer(DeclarationDetailSerializer):
    follow_up_code = serializers.SerializerMethodField(
        help_text=_(
            "For an anonymous declaration, the secret code to follow it (/suivi/<code>/). Given once, in the "
            "response that creates the declaration (201): keep it."
        )
    )

    class Meta(DeclarationDetailSerializer.Meta):
        fields = (*DeclarationDetailSerializer.Meta.fields, "follow_up_code")
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_follow_up_code(self, declaration) -> str | None:
        if declaration.anonymous and self.context.get("created"):
            return declaration.follow_up_code
        return None


class ToolGroupSerializer(serializers.Serializer):
    """ "Tool X, declared by N agents in M services, with these data"."""

    tool = serializers.IntegerField(source="tool_id", read_only=True, allow_null=True)
    tool_name = serializers.CharField(read_only=True)
    tool_status = serializers.SerializerMethodField()
    declarations = serializers.IntegerField(read_only=True)
    agents = serializers.IntegerField(
        source="agents_count",
        read_only=True,
        help_text=_("Named authors counted once; each anonymous declaration counts as one agent."),
    )
    services_count = serializers.IntegerField(read_only=True)
    service_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    data_entered = serializers.SerializerMethodField(help_text=_("Every kind of data declared."))
    max_risk_score = serializers.IntegerField(source="max_risk", read_only=True)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    possible_breaches = serializers.IntegerField(read_only=True)
    open = serializers.IntegerField(read_only=True, help_text=_("Declarations still awaiting an outcome."))

    @extend_schema_field(CodeListField(choices=DeclaredData.choices))
    def get_data_entered(self, group) -> list[str]:
        return [code for code in DeclaredData.values if code in group.data]

    @extend_schema_field(serializers.ChoiceField(choices=ToolStatus.choices, allow_null=True))
    def get_tool_status(self, group) -> str | None:
        return group.tool.status if group.tool is not None else None


# --- Writing -----------------------------------------------------------------------------------------


class DeclarationSubmitSerializer(serializers.Serializer):
    """What an agent declares (DOMAIN.md section 5 codes)."""

    tool = ScopedRelatedField(
        tools_of,
        queryset=Tool.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A tool of the catalogue, by id; or give `tool_name`."),
    )
    tool_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("The tool's name, when it is not in the catalogue: it enters it as under review."),
    )
    category = CodeField(choices=ToolCategory.choices, label=_("kind of tool"))
    tasks = serializers.CharField(max_length=TEXT_MAX_LENGTH, label=_("what it is used for"))
    frequency = CodeField(choices=DeclarationFrequency.choices, label=_("how often"))
    used_since = serializers.DateField(required=False, allow_null=True, label=_("used since"))
    device = CodeField(choices=DeclarationDevice.choices, label=_("device"))
    account = CodeField(choices=DeclarationAccount.choices, label=_("account"))
    data_entered = CodeListField(
        choices=DeclaredData.choices, required=True, allow_empty=False, label=_("data entered")
    )
    output_use = CodeListField(
        choices=DeclarationOutput.choices, required=True, allow_empty=False, label=_("what the output becomes")
    )
    human_review = CodeField(choices=HumanReview.choices, label=_("human review of the output"))
    time_saved_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100_000, label=_("time saved per week (minutes)")
    )
    need = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH, label=_("the need behind it")
    )
    service = ScopedRelatedField(
        services_of,
        queryset=Service.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Defaults to your service for a named declaration."),
    )
    anonymous = serializers.BooleanField(
        default=False, help_text=_("Anonymous declarations keep no link to their author.")
    )
    submission_key = serializers.UUIDField(
        required=False,
        help_text=_(
            "Sending the same key again returns the declaration already recorded (200) instead of a new one. "
            "Defaults to the Idempotency-Key header, or a new key."
        ),
    )


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TEXT_MAX_LENGTH,
        help_text=_("What the agent reads (e-mail and “Mes déclarations”). Required."),
    )


@extend_schema_field(UseCaseSerializer(partial=True))
class NewUseCaseField(serializers.DictField):
    """The fields of a use case (as in POST /use-cases/), validated once merged with the pre-filled ones."""


class RegulariseSerializer(MessageSerializer):
    """Attach to an existing use case (`use_case`) or create one pre-filled from the declarations
    (`new_use_case`: fields as in POST /use-cases/, those not given taken from the declarations)."""

    use_case = UserScopedRelatedField(
        selectors.use_cases_visible_to,
        queryset=UseCase.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("An existing use case of the collectivité to attach the declarations to."),
    )
    new_use_case = NewUseCaseField(
        required=False,
        allow_null=True,
        help_text=_("A use case to create, pre-filled from the declarations; the fields given here prevail."),
    )
    other_declarations = UserScopedRelatedField(
        declaration_selectors.declarations_visible_to,
        queryset=Declaration.objects.all(),
        many=True,
        required=False,
        help_text=_("Other declarations to regularise with this one (the same use)."),
    )

    def validate(self, attrs):
        use_case, new_use_case = attrs.get("use_case"), attrs.get("new_use_case")
        if (use_case is None) == (new_use_case is None):
            message = _("Give either `use_case` (an existing one) or `new_use_case` (one to create).")
            raise ValidationError({"use_case": [message], "new_use_case": [message]})
        declaration = self.context["declaration"]
        others = [d for d in attrs.get("other_declarations", []) if d.pk != declaration.pk]
        attrs["declarations"] = [declaration, *dict.fromkeys(others)]
        if new_use_case is not None:
            attrs["new_use_case"] = self._validated_use_case(attrs["declarations"], new_use_case)
        return attrs

    def _validated_use_case(self, declarations, given: dict) -> dict:
        initial = declaration_selectors.use_case_initial_from_declarations(declarations)
        payload = {name: value for name, value in initial.items() if value is not None}
        payload.update(given)
        use_case = UseCaseSerializer(data=payload, context=self.context)
        if not use_case.is_valid():
            raise ValidationError({"new_use_case": use_case.errors})
        data = dict(use_case.validated_data)
        data.pop("version", None)
        return data


class OfferAlternativeSerializer(MessageSerializer):
    alternative_tool = ScopedRelatedField(
        tools_of, queryset=Tool.objects.all(), help_text=_("An approved tool of the catalogue.")
    )


class AssessBreachSerializer(serializers.Serializer):
    outcome = CodeField(choices=BreachOutcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)


# --- Views -------------------------------------------------------------------------------------------


def _action_schema(summary, request=None):
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            200: DeclarationDetailSerializer,
            400: ERROR_400,
            403: ERROR_403,
            404: ERROR_404,
            409: OpenApiResponse(ErrorSerializer, description=_("The declaration's status does not allow it.")),
        },
    )


class DeclarationFilter(django_filters.FilterSet):
    status = CodeChoiceFilter(choices=DeclarationStatus.choices)
    risk_level = CodeChoiceFilter(choices=RiskLevel.choices)
    tool = django_filters.ModelChoiceFilter(queryset=_scoped_tools)
    service = django_filters.ModelChoiceFilter(
        queryset=_scoped_services,
        method="filter_service",
        label=_("Service (a direction includes the services below it)"),
    )
    possible_breach = django_filters.BooleanFilter()

    class Meta:
        model = Declaration
        fields = ("status", "risk_level", "tool", "service", "possible_breach")

    def filter_service(self, queryset, name, service):
        return service_subtree(queryset, service)


@extend_schema(tags=["declarations"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("Shadow-AI declarations, as you may see them"),
        description=_(
            "An agent sees their own named declarations; the DPO, the RSSI and administrators see all of the "
            "collectivité's, riskiest first. Heads of service see none of their agents' declarations."
        ),
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=[f"{sign}{name}" for name in DECLARATION_ORDERING for sign in ("", "-")],
                description=_("Sort order; `-` sorts descending. Default: `-risk_score`."),
            )
        ],
    ),
    retrieve=extend_schema(
        summary=_("A declaration, with the guidance given"),
        responses={200: DeclarationDetailSerializer, 404: ERROR_404},
    ),
)
class DeclarationViewSet(ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shadow-AI declarations: any agent declares; the DPO, the RSSI and administrators triage them."""

    serializer_class = DeclarationSerializer
    queryset = Declaration.objects.none()  # the real one comes from the selectors, per user
    filter_backends = [DjangoFilterBackend, SearchFilter, UseCaseOrderingFilter]
    filterset_class = DeclarationFilter
    search_fields = ["reference", "tool_name", "tool__name", "tasks"]
    ordering_fields = DECLARATION_ORDERING
    ordering = ["-risk_score", "-created_at", "-reference"]
    # Anonymous declarations of a day share one instant (midnight): ties go by their random references.
    ordering_tiebreak = ("-reference", "-id")
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Declaration.objects.none()

        queryset = declaration_selectors.declaration_queue(self.request.user, self.access).select_related(
            "author", "breach_assessed_by"
        )
        if self.action != "list":
            events = DeclarationEvent.objects.select_related("actor")
            queryset = queryset.prefetch_related(Prefetch("events", queryset=events))
        return queryset

    def get_serializer_class(self):
        return DeclarationSerializer if self.action == "list" else DeclarationDetailSerializer

    def _read(self, declaration) -> Response:
        fresh = self.get_queryset().get(pk=declaration.pk)
        return Response(DeclarationDetailSerializer(fresh, context=self.get_serializer_context()).data)

    # Declaring

    @extend_schema(
        summary=_("Declare an AI tool you use"),
        description=_(
            "Records the declaration and returns its risk assessment and the guidance for the agent. "
            "A repeated `submission_key` (or `Idempotency-Key` header) returns the declaration already recorded "
            "with status 200 instead of 201, and creates nothing, to whoever first sent it only (the same account, "
            "or for an anonymous declaration sent with a session cookie, the same session): from anyone else it "
            "answers 409 and reveals nothing. For an anonymous declaration, `follow_up_code` is given in the 201 "
            "response only, the author is never recorded, and every timestamp is the date only (midnight, "
            "Europe/Paris)."
        ),
        parameters=[IDEMPOTENCY_HEADER],
        request=DeclarationSubmitSerializer,
        responses={
            201: DeclarationCreatedSerializer,
            200: OpenApiResponse(
                DeclarationCreatedSerializer, description=_("Already recorded with this submission key.")
            ),
            400: ERROR_400,
            403: ERROR_403,
            409: OpenApiResponse(
                ErrorSerializer, description=_("This submission key was already used, by someone else.")
            ),
            429: ERROR_429,
        },
    )
    def create(self, request, *args, **kwargs):
        if not can_declare(self.access):
            raise PermissionDenied(_("You may not declare in this collectivité."))
        serializer = DeclarationSubmitSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        anonymous = data.pop("anonymous")
        key = data.pop("submission_key", None) or self._idempotency_key() or uuid.uuid4()
        session = getattr(request, "session", None)
        # A key already used by someone else answers 409 (ConflictError) and reveals nothing of their declaration.
        declaration, created = declaration_services.declaration_submit(
            collectivite=self.collectivite,
            acting_user=request.user,
            data=data,
            anonymous=anonymous,
            submission_key=key,
            session_key=session.session_key if session is not None else None,
        )
        context = {**self.get_serializer_context(), "created": created}
        return Response(
            DeclarationCreatedSerializer(declaration, context=context).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _idempotency_key(self) -> uuid.UUID | None:
        value = self.request.headers.get("Idempotency-Key")
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError as error:
            raise ApplicationError(
                _("The Idempotency-Key header must be a UUID."),
                errors={"submission_key": [_("A UUID is expected.")]},
            ) from error

    # Triage

    def _triaged(self):
        declaration = self.get_object()  # 404 outside what the user sees
        if not can_triage(self.access):
            raise PermissionDenied(_("Only the DPO, the RSSI and administrators triage declarations."))
        return declaration

    def _validated(self, serializer_class, **context):
        serializer = serializer_class(data=self.request.data, context={**self.get_serializer_context(), **context})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary=_("Declarations grouped by tool"),
        description=_(
            "For each tool: how many declarations, in how many services, with which data, the highest risk and "
            "the possible breaches. DPO, RSSI and administrators only. The list filters apply."
        ),
        responses={200: ToolGroupSerializer(many=True), 403: ERROR_403},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="by-tool",
        pagination_class=None,
        filter_backends=[DjangoFilterBackend, SearchFilter],
    )
    def by_tool(self, request):
        if not can_triage(self.access):
            raise PermissionDenied(_("Only the DPO, the RSSI and administrators triage declarations."))
        queryset = self.filter_queryset(declaration_selectors.declarations_visible_to(request.user, self.access))
        groups = declaration_selectors.declarations_by_tool(request.user, self.access, queryset)
        return Response(ToolGroupSerializer(groups, many=True).data)

    @_action_schema(_("Start analysing a declaration"))
    @action(detail=True, methods=["post"], url_path="start-analysis")
    def start_analysis(self, request, pk=None):
        declaration = self._triaged()
        declaration = declaration_services.declaration_start_analysis(declaration=declaration, acting_user=request.user)
        return self._read(declaration)

    @_action_schema(_("Regularise: attach to a use case, existing or new"), RegulariseSerializer)
    @action(detail=True, methods=["post"])
    def regularise(self, request, pk=None):
        declaration = self._triaged()
        data = self._validated(RegulariseSerializer, declaration=declaration)
        # The new use case exists only if the declarations are regularised into it.
        with transaction.atomic():
            use_case = data.get("use_case") or services.use_case_create(
                collectivite=self.collectivite, acting_user=request.user, data=data["new_use_case"]
            )
            declaration_services.declaration_regularise(
                declarations=data["declarations"], acting_user=request.user, use_case=use_case, message=data["message"]
            )
        return self._read(declaration)

    @_action_schema(_("Offer an approved alternative"), OfferAlternativeSerializer)
    @action(detail=True, methods=["post"], url_path="offer-alternative")
    def offer_alternative(self, request, pk=None):
        declaration = self._triaged()
        data = self._validated(OfferAlternativeSerializer)
        declaration = declaration_services.declaration_offer_alternative(
            declaration=declaration,
            acting_user=request.user,
            alternative_tool=data["alternative_tool"],
            message=data["message"],
        )
        return self._read(declaration)

    @_action_schema(_("Ask the agent to stop"), MessageSerializer)
    @action(detail=True, methods=["post"], url_path="ask-to-stop")
    def ask_to_stop(self, request, pk=None):
        declaration = self._triaged()
        data = self._validated(MessageSerializer)
        declaration = declaration_services.declaration_ask_to_stop(
            declaration=declaration, acting_user=request.user, message=data["message"]
        )
        return self._read(declaration)

    @_action_schema(_("Close a declaration"), MessageSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        declaration = self._triaged()
        data = self._validated(MessageSerializer)
        declaration = declaration_services.declaration_close(
            declaration=declaration, acting_user=request.user, message=data["message"]
        )
        return self._read(declaration)

    @_action_schema(_("Record the breach assessment (RGPD art. 33)"), AssessBreachSerializer)
    @action(detail=True, methods=["post"], url_path="assess-breach")
    def assess_breach(self, request, pk=None):
        declaration = self._triaged()
        data = self._validated(AssessBreachSerializer)
        declaration = declaration_services.declaration_assess_breach(
            declaration=declaration, acting_user=request.user, outcome=data["outcome"], notes=data["notes"]
        )
        return self._read(declaration)
