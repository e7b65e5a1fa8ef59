"""API v1 views: thin adapters from HTTP to the register's selectors, permissions and services.

A use case outside the user's scope answers 404 (the queryset is already scoped), an action the user may
not take answers 403; business errors come back as `{"message", "errors"}` with their status code.
"""

from django.contrib.auth import authenticate
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorDocumentingAutoSchema, ErrorSerializer
from core.errors import ApplicationError
from core.security import ClientAddressThrottleMixin
from registry.api.serializers import (
    ClassifyRequestSerializer,
    ClassifyResultSerializer,
    PutIntoProductionSerializer,
    ServiceSerializer,
    SuspendSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    ToolSerializer,
    TransitionSerializer,
    UseCaseListSerializer,
    UseCaseOutOfSightSerializer,
    UseCaseSerializer,
)
from security.models import SecurityEvent
from security.services import record_event

from .. import permissions, qualification, rules, selectors, services
from ..choices import UseCaseStatus
from ..models import Service, Tool, UseCase
from ..permissions import (
    RETIRABLE_STATUSES,
    can_change_use_case,
    can_create_use_case,
    can_manage_catalogue,
    can_resume_use_case,
    can_retire_use_case,
    can_rework_use_case,
    can_suspend,
    can_view_committee,
)
from .filters import ToolFilter, UseCaseFilter, UseCaseOrderingFilter
from .qualification_serializers import (
    GIVEN_INPUTS,
    QualificationConfirmSerializer,
    QualificationLiftSerializer,
    QualificationOverrideSetSerializer,
    QualifyRequestSerializer,
    QualifyResultSerializer,
)
from .reviews_serializers import CommentSerializer, RequiredCommentSerializer, ReviewRoundSerializer

MAY_NOT_QUALIFY = _("Only the DPO sets the legal qualification directly, and the RSSI the security answers.")
# What a catalogue tool brings to a use case unless its answers say otherwise.
TOOL_HOSTING = ("hosting_zone", "hosting_qualification", "provider_reuse_disabled")
# The register list's two shapes of rows (`?view=`).
LIST_VIEW_SUMMARY, LIST_VIEW_FULL = "summary", "full"
COLLECTIVITE_HEADER = OpenApiParameter(
    "X-Collectivite",
    str,
    OpenApiParameter.HEADER,
    description=_(
        "The collectivité to act in, by id or short name, for someone holding roles in several "
        "(by default, the first of them)."
    ),
)
USE_CASE_ORDERING = ["reference", "name", "updated_at", "ai_act_risk"]
ERROR_400 = OpenApiResponse(ErrorSerializer, description=_("Invalid input: the messages per field."))
ERROR_403 = OpenApiResponse(ErrorSerializer, description=_("Not allowed for your role."))
ERROR_404 = OpenApiResponse(ErrorSerializer, description=_("Unknown, or outside what you may see."))
ERROR_409 = OpenApiResponse(
    ErrorSerializer, description=_("Someone else saved it since you read it, or the status does not allow it.")
)

# A change of a use case answers the use case as saved, or, when the change leaves it outside what the person may
# see (they handed it to someone else), that it was saved and is out of their sight: never an error for a change made.
USE_CASE_WRITTEN = OpenApiResponse(
    PolymorphicProxySerializer(
        component_name="UseCaseWritten",
        serializers=[UseCaseSerializer, UseCaseOutOfSightSerializer],
        resource_type_field_name=None,
    ),
    description=_(
        "The use case as the change saved it. If the change leaves it outside what you may see (you handed your "
        "draft to someone else), it is saved all the same and the answer is `UseCaseOutOfSight`: `visible` false, "
        "a message, and the id, reference, owner and version it saved. The use case's own endpoint then answers 404."
    ),
)


class TokenRateThrottle(ClientAddressThrottleMixin, ScopedRateThrottle):
    """The token endpoint's limit (scope `token`), per client address as the other defences see it."""


@extend_schema(
    tags=["auth"],
    request=TokenRequestSerializer,
    responses={200: TokenResponseSerializer, 400: ERROR_400},
    auth=[],
    summary=_("Get an API token"),
    description=_("Exchange a username and password for a token, sent as `Authorization: Token <token>`."),
)
class TokenView(APIView):
    """Exchange a username and password for an API token (throttled)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TokenRateThrottle]
    schema = ErrorDocumentingAutoSchema()
    throttle_scope = "token"

    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request._request, **serializer.validated_data)
        if user is None:
            # DRF's own message, already translated into French by DRF's catalogue.
            raise ApplicationError(_("Unable to log in with provided credentials."))
        token, _created = Token.objects.get_or_create(user=user)
        # A sign-in like any other in the security trail (authenticate() alone sends no user_logged_in).
        record_event(
            kind=SecurityEvent.Kind.LOGIN_SUCCEEDED,
            request=request._request,
            actor=user,
            subject_user=user,
            details={"backend": "api_token"},
        )
        return Response({"token": token.key})


@extend_schema(tags=["use-cases"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("The register, as you may see it"),
        description=_(
            "Each row carries what the register's list shows: identity, service, owner, tool, status and the "
            "classification's conclusions. `view=full` gives each row as the use case's own endpoint does (the "
            "texts, the classification's inputs and its explained reasons): heavier, for a complete copy."
        ),
        responses={200: UseCaseListSerializer},
        parameters=[
            OpenApiParameter(
                "view",
                str,
                enum=[LIST_VIEW_SUMMARY, LIST_VIEW_FULL],
                default=LIST_VIEW_SUMMARY,
                description=_("`summary` (the default): the list's columns; `full`: every field of each use case."),
            ),
            OpenApiParameter(
                "ordering",
                str,
                enum=[f"{sign}{name}" for name in USE_CASE_ORDERING for sign in ("", "-")],
                description=_("Sort order; `-` sorts descending. AI Act risk sorts by severity."),
            ),
        ],
    ),
    retrieve=extend_schema(summary=_("A use case"), responses={200: UseCaseSerializer, 404: ERROR_404}),
    create=extend_schema(
        summary=_("Declare a use case (as a draft)"),
        responses={201: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403},
    ),
    update=extend_schema(
        summary=_("Change a use case (send the version you read)"),
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a use case (send the version you read)"),
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    ),
)
class UseCaseViewSet(
    ScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The register of AI use cases. There is no deletion: a use case ends by being retired."""

    serializer_class = UseCaseSerializer
    queryset = UseCase.objects.none()  # the real one comes from the selectors, per user
    filter_backends = [DjangoFilterBackend, SearchFilter, UseCaseOrderingFilter]
    filterset_class = UseCaseFilter
    search_fields = ["reference", "name", "summary"]
    ordering_fields = USE_CASE_ORDERING
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UseCase.objects.none()
        if self.action == "list":
            if self._full_list():
                return selectors.use_case_list(self.request.user, self.access)
            return selectors.use_case_rows(self.request.user, self.access)
        return selectors.use_case_detail(self.request.user, self.access)

    def get_serializer_class(self):
        if self.action == "list" and not self._full_list():
            return UseCaseListSerializer
        return super().get_serializer_class()

    def _full_list(self) -> bool:
        view = self.request.query_params.get("view", LIST_VIEW_SUMMARY) if self.request else LIST_VIEW_SUMMARY
        if view not in (LIST_VIEW_SUMMARY, LIST_VIEW_FULL):
            message = _("“%(value)s” is not an allowed code. Allowed values: %(allowed)s.") % {
                "value": view,
                "allowed": f"{LIST_VIEW_SUMMARY}, {LIST_VIEW_FULL}",
            }
            raise ApplicationError(message, errors={"view": [message]})
        return view == LIST_VIEW_FULL

    def create(self, request, *args, **kwargs):
        if not can_create_use_case(self.access):
            raise PermissionDenied(_("You may not declare a use case in this collectivité."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        # The service refuses a service or an owner outside what the person may assign (403, on the field).
        use_case = services.use_case_create(collectivite=self.collectivite, acting_user=request.user, data=data)
        return self._written(use_case, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        use_case = self.get_object()
        if not can_change_use_case(request.user, self.access, use_case):
            raise PermissionDenied(_("You may not change this use case."))
        serializer = self.get_serializer(use_case, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected_version = data.pop("version", None)
        # The service refuses a service or an owner outside what the person may assign (403, on the field).
        updated = services.use_case_update(
            use_case=use_case, acting_user=request.user, data=data, expected_version=expected_version
        )
        return self._written(updated)

    def _written(self, use_case, *, code: int = status.HTTP_200_OK) -> Response:
        """The answer to a change made: the use case as saved, read again as the person may see it; or, if the change
        left it outside what they see (`UseCaseOutOfSightSerializer`), that it was saved and is out of their sight."""
        fresh = selectors.use_case_detail(self.request.user, self.access).filter(pk=use_case.pk).first()
        if fresh is not None:
            return Response(self.get_serializer(fresh).data, status=code)
        if use_case.owner_id != self.request.user.pk:  # handed over to someone else
            message = _(
                "The change was saved. The use case %(reference)s is now in the hands of %(owner)s: you no longer "
                "see it."
            )
        else:
            message = _("The change was saved. The use case %(reference)s is no longer among those you see.")
        body = {
            "message": message % {"reference": use_case.reference, "owner": use_case.owner},
            "id": use_case.pk,
            "reference": use_case.reference,
            "owner_id": use_case.owner_id,
            "version": use_case.version,
        }
        return Response(UseCaseOutOfSightSerializer(body).data, status=code)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _transition(self, request, service_function):
        use_case = self.get_object()
        if not can_change_use_case(request.user, self.access, use_case):
            raise PermissionDenied(_("You may not act on this use case."))
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = service_function(
            use_case=use_case,
            acting_user=request.user,
            comment=serializer.validated_data["comment"],
            expected_version=serializer.validated_data.get("version"),
        )
        return self._written(updated)

    @extend_schema(
        summary=_("Submit a draft for review"),
        request=TransitionSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, services.use_case_submit)

    @extend_schema(
        summary=_("Withdraw a submitted use case back to draft"),
        request=TransitionSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition(request, services.use_case_withdraw)

    @extend_schema(
        summary=_("Put an approved use case into production"),
        description=_(
            "Refused (409) while something holds it back (not approved, blocked by the rules, a mandatory checkpoint "
            "without an owner): `errors` gives each missing item as one sentence, under `status`, `blocked` or "
            "`checkpoints`."
        ),
        request=PutIntoProductionSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"], url_path="put-into-production")
    def put_into_production(self, request, pk=None):
        use_case = self.get_object()
        if not can_change_use_case(request.user, self.access, use_case):
            raise PermissionDenied(_("You may not act on this use case."))
        serializer = PutIntoProductionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.use_case_put_into_production(
            use_case=use_case, acting_user=request.user, comment=serializer.validated_data["comment"]
        )
        return self._written(updated)

    @extend_schema(
        summary=_("Suspend a use case (DPO, RSSI)"),
        description=_("An approved or live use case is suspended at once (AI Act art. 26(5)), with a reason."),
        request=SuspendSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        use_case = self.get_object()
        if not can_suspend(self.access):
            raise PermissionDenied(_("Only the DPO and the RSSI may suspend a use case."))
        serializer = SuspendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.use_case_suspend(
            use_case=use_case, acting_user=request.user, reason=serializer.validated_data["reason"]
        )
        return self._written(updated)

    # The review workflow (issue 5): the end of a use, a rejected case reworked, a suspension lifted, the rounds.

    def _review_transition(self, request, service_function, serializer_class, may_act):
        use_case = self.get_object()
        if not may_act(use_case):
            raise PermissionDenied(_("You may not take this action on this use case."))
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = service_function(
            use_case=use_case, acting_user=request.user, comment=serializer.validated_data["comment"]
        )
        return self._written(updated)

    @extend_schema(
        summary=_("Retire a use case: the use stops for good"),
        description=_(
            "For its owner, the head of its service, the DPO and the RSSI; a draft, an approved, rejected, live "
            "or suspended use case. An open review round is withdrawn. The use case stays in the register."
        ),
        request=RequiredCommentSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        def may_act(use_case):
            # A status that does not allow it is the service's 409, whoever asks.
            return use_case.status not in RETIRABLE_STATUSES or can_retire_use_case(request.user, self.access, use_case)

        return self._review_transition(request, services.use_case_retire, RequiredCommentSerializer, may_act)

    @extend_schema(
        summary=_("Reopen a rejected use case as a draft"),
        description=_("For whoever could change it: the draft is then changed and submitted again."),
        request=CommentSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def rework(self, request, pk=None):
        def may_act(use_case):
            return use_case.status != UseCaseStatus.REJECTED or can_rework_use_case(request.user, self.access, use_case)

        return self._review_transition(request, services.use_case_rework, CommentSerializer, may_act)

    @extend_schema(
        summary=_("Lift a suspension (DPO, RSSI)"),
        description=_(
            "Once the cause of the suspension is dealt with, with a comment saying what was done; the use case "
            "is live again. Refused (409) while a review round is under way."
        ),
        request=RequiredCommentSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        def may_act(use_case):
            return use_case.status != UseCaseStatus.SUSPENDED or can_resume_use_case(self.access, use_case)

        return self._review_transition(request, services.use_case_resume, RequiredCommentSerializer, may_act)

    @extend_schema(
        summary=_("The review rounds of a use case"),
        description=_(
            "Newest first: what each round reviewed (frozen), the DPO's and RSSI's opinions, the conditions, the "
            "committee's work and the decision."
        ),
        request=None,
        responses={200: ReviewRoundSerializer(many=True), 404: ERROR_404},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def reviews(self, request, pk=None):
        use_case = self.get_object()
        rounds = selectors.use_case_reviews(use_case)
        prefetch_related_objects(rounds, "conditions__checkpoints")
        context = {
            **self.get_serializer_context(),
            "show_votes": can_view_committee(request.user, self.access),
        }
        return Response(ReviewRoundSerializer(rounds, many=True, context=context).data)

    # The guided qualification (issue 16): the DPO (the RSSI on the security axis) qualifies in law when needed.

    def _qualified(self, updated) -> Response:
        return self._written(updated)

    @extend_schema(
        summary=_("Set a legal input directly (DPO; RSSI for the security answers)"),
        description=_(
            "With a written justification, kept with the value: the value applies instead of what the facts derive "
            "(kept beside it), and survives later edits of the facts until it is lifted; a change of the facts that "
            "would derive something else is flagged to the DPO (`overrides_to_review`). The DPO sets the legal "
            "qualification (technique, role, Annex I and III, Art. 6(3) ground, decisions, profiling, monitoring, "
            "CNIL types, Art. 5 practices…), the RSSI the data classification and hosting."
        ),
        request=QualificationOverrideSetSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"], url_path="qualification/overrides")
    def qualification_override(self, request, pk=None):
        use_case = self.get_object()
        may_set = permissions.qualifiable_inputs(self.access)
        if not may_set:
            raise PermissionDenied(MAY_NOT_QUALIFY)
        serializer = QualificationOverrideSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["input"] not in may_set:
            raise PermissionDenied(MAY_NOT_QUALIFY)
        updated = services.qualification_override_set(
            use_case=use_case,
            acting_user=request.user,
            input_name=data["input"],
            value=data["value"],
            justification=data["justification"],
            expected_version=data.get("version"),
        )
        return self._qualified(updated)

    @extend_schema(
        summary=_("Lift a legal input set directly (DPO; RSSI for the security answers)"),
        description=_("The facts decide the input again. Refused (409) when the input is not set directly."),
        parameters=[
            OpenApiParameter(
                "input_name",
                str,
                OpenApiParameter.PATH,
                enum=list(qualification.OVERRIDABLE),
                description=_("The legal input (DOMAIN.md section 2 code)."),
            )
        ],
        request=QualificationLiftSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"qualification/overrides/(?P<input_name>[a-z0-9_]+)/lift",
        url_name="qualification-override-lift",
    )
    def qualification_override_lift(self, request, pk=None, input_name=None):
        use_case = self.get_object()
        if input_name not in qualification.OVERRIDABLE:
            raise NotFound(_("No legal input has this code."))
        if input_name not in permissions.qualifiable_inputs(self.access):
            raise PermissionDenied(
                _("Only the DPO lifts the legal qualification they set, and the RSSI the security answers.")
            )
        serializer = QualificationLiftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.qualification_override_lift(
            use_case=use_case,
            acting_user=request.user,
            input_name=input_name,
            comment=serializer.validated_data["comment"],
            expected_version=serializer.validated_data.get("version"),
        )
        return self._qualified(updated)

    @extend_schema(
        summary=_("Confirm the qualification (DPO)"),
        description=_(
            "The DPO confirms the qualification as the facts give it, for the questions that were not known or "
            "contradictory (`qualification_questions`), and the values set directly that the facts no longer "
            "support: the DPO's opinion may then be favourable. Refused (409) when the facts raised no question."
        ),
        request=QualificationConfirmSerializer,
        responses={200: USE_CASE_WRITTEN, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409},
    )
    @action(detail=True, methods=["post"], url_path="qualification/confirm")
    def qualification_confirm(self, request, pk=None):
        use_case = self.get_object()
        if not permissions.can_confirm_qualification(self.access, use_case):
            raise PermissionDenied(_("Only the DPO confirms the qualification of a use case."))
        serializer = QualificationConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.qualification_confirm(
            use_case=use_case,
            acting_user=request.user,
            comment=serializer.validated_data["comment"],
            expected_version=serializer.validated_data.get("version"),
        )
        return self._qualified(updated)


@extend_schema(tags=["tools"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(summary=_("The AI tool catalogue")),
    retrieve=extend_schema(summary=_("A catalogue tool"), responses={200: ToolSerializer, 404: ERROR_404}),
    create=extend_schema(
        summary=_("Add a tool to the catalogue"), responses={201: ToolSerializer, 400: ERROR_400, 403: ERROR_403}
    ),
    update=extend_schema(
        summary=_("Change a catalogue tool"),
        responses={200: ToolSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a catalogue tool"),
        responses={200: ToolSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
)
class ToolViewSet(
    ScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The AI tool catalogue: everyone reads it, the DPO, the RSSI and administrators keep it."""

    serializer_class = ToolSerializer
    queryset = Tool.objects.none()
    filterset_class = ToolFilter
    search_fields = ["name", "vendor"]
    ordering_fields = ["name", "vendor", "status"]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Tool.objects.none()
        return selectors.tools_of(self.access)

    def _check_catalogue_manager(self):
        if not can_manage_catalogue(self.access):
            raise PermissionDenied(_("Only the DPO, the RSSI and administrators manage the tool catalogue."))

    def create(self, request, *args, **kwargs):
        self._check_catalogue_manager()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tool = services.tool_create(
            collectivite=self.collectivite, acting_user=request.user, data=serializer.validated_data
        )
        return Response(self.get_serializer(tool).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        tool = self.get_object()
        self._check_catalogue_manager()
        serializer = self.get_serializer(tool, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        tool = services.tool_update(tool=tool, acting_user=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(tool).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


@extend_schema(tags=["services"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(summary=_("The collectivité's directions and services (a tree, in path order)")),
    retrieve=extend_schema(summary=_("A direction or service"), responses={200: ServiceSerializer, 404: ERROR_404}),
)
class ServiceViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The directions and services of the collectivité, as a tree (`parent`, `depth`)."""

    serializer_class = ServiceSerializer
    queryset = Service.objects.none()
    filter_backends = [SearchFilter]
    search_fields = ["name", "code"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Service.objects.none()
        return selectors.services_of(self.access).order_by("path")


@extend_schema(
    tags=["classify"],
    parameters=[COLLECTIVITE_HEADER],
    request=ClassifyRequestSerializer,
    responses={200: ClassifyResultSerializer, 400: ERROR_400},
    summary=_("Classify a use case without saving anything"),
    description=_(
        "Runs the classification engine on the fields given (DOMAIN.md codes) with the collectivité's "
        "policy, and returns the AI Act risk, RGPD sensitivity, obligations, checkpoints and reasons."
    ),
)
class ClassifyView(ScopedAPIMixin, APIView):
    """What the classification engine derives from a use case's fields, saving nothing."""

    def post(self, request):
        serializer = ClassifyRequestSerializer(data=request.data, context={"access": self.access})
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        tool = values.pop("tool", None)
        return Response(ClassifyResultSerializer(_classify(self.collectivite, values, tool)).data)


def _with_tool_hosting(values: dict, tool) -> dict:
    """As when a use case is created with a catalogue tool: its hosting applies unless the fields say otherwise."""
    values = dict(values)
    if tool is not None:
        for name in TOOL_HOSTING:
            values.setdefault(name, getattr(tool, name))
    return values


def _classify(collectivite, values: dict, tool) -> rules.Classification:
    """The classification of legal inputs, as a use case with them would get on save (the collectivité's policy)."""
    values = _with_tool_hosting(values, tool)
    # An unsaved use case, so that missing fields take the model's defaults and the facts are built
    # exactly as on save.
    draft = UseCase(collectivite=collectivite, tool=tool, **values)
    return rules.classify(draft.facts(), collectivite.policy())


@extend_schema(
    tags=["classify"],
    parameters=[COLLECTIVITE_HEADER],
    request=QualifyRequestSerializer,
    responses={200: QualifyResultSerializer, 400: ERROR_400},
    summary=_("Qualify a use from plain facts, without saving anything"),
    description=_(
        "The guided qualification (DOMAIN.md 3b): the plain facts of a use (a fact left out counts as « Je ne sais "
        "pas ») and the legal inputs asked directly (personal data, hosting, Art. 50 and Art. 5 answers; left out: "
        "their default). Answers the legal inputs the facts derive, each with the answers and the article behind "
        "it, the classification of the resulting legal inputs exactly as `POST /classify/` gives it, and the "
        "questions the DPO must confirm: an unknown or contradictory answer never yields the least demanding "
        "qualification, the most demanding plausible one applies."
    ),
)
class QualifyView(ScopedAPIMixin, APIView):
    """What the facts derive in law and how the result is classified, saving nothing."""

    def post(self, request):
        serializer = QualifyRequestSerializer(data=request.data, context={"access": self.access})
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        tool = values.pop("tool", None)
        facts = {name: values.pop(name) for name in qualification.FACT_NAMES if name in values}
        values = _with_tool_hosting(values, tool)
        given = {**{item.name: item.default for item in GIVEN_INPUTS if item.default is not None}, **values}
        outcome = qualification.qualify(facts, given)
        inputs = {**given, **outcome.inputs}
        for name in qualification.OPTIONAL_CODE_INPUTS:
            inputs[name] = inputs.get(name) or ""
        errors = rules.incoherences(rules.UseCaseFacts.build(**inputs))
        if errors:
            # Only an answer asked directly can contradict the others (the facts derive coherent inputs).
            raise ValidationError({name: [str(message) for message in messages] for name, messages in errors.items()})
        derivation = outcome.derivation
        derived = {
            name: {
                "value": qualification._plain(item.value),
                "because": [because.as_dict() for because in item.because],
                "article": item.cite(name),
            }
            for name, item in {**derivation.derived, **derivation.amended}.items()
        }
        result = {
            "derived": derived,
            "classification": _classify(self.collectivite, inputs, tool),
            "needs_dpo": outcome.needs_dpo,
            "needs_dpo_details": [question.as_dict() for question in outcome.questions],
        }
        return Response(QualifyResultSerializer(result).data)
