"""The public register as open data: `/api/v1/public/use-cases/` (list) and `.../<collectivite>/<reference>/`.

No authentication, no session, no CSRF, nothing per user: everyone gets the same answer, cacheable by any proxy
(ETag + `Cache-Control: public, max-age=300`, a 304 costs one aggregate query), readable from any origin, and
throttled per client address with the public register's rate (`settings.PUBLIC_RATE_LIMIT`).

Every answer is built from `selectors.public_record(publication)` only. Optional keys the DPO did not publish
are OMITTED (never null): their absence is the information "not published". Codes stay codes; `labels` holds
their labels in the language asked (`?lang=` or Accept-Language, French by default).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator as DjangoPaginator
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core.api.schema import ErrorDocumentingAutoSchema, ErrorSerializer
from core.security import ClientAddressThrottleMixin
from registry.choices import AiActRisk, Audience, AutomationLevel, HostingZone, PersonalDataCategory, ProgressStatus
from registry.choices import Technique as TechniqueChoices
from registry.models import Collectivite

from . import exports, selectors
from .fields import Lifecycle
from .models import PublicationState

# --------------------------------------------------------------------------------------------------------------
# Throttle and pagination


class PublicRateThrottle(ClientAddressThrottleMixin, AnonRateThrottle):
    """Requests per client address, the rate of the public pages (read when the request comes, so that it can be
    changed without a restart in tests)."""

    scope = "public"

    def get_rate(self):
        return getattr(settings, "PUBLIC_RATE_LIMIT", "120/m")


class _CountedPaginator(DjangoPaginator):
    """A paginator that trusts the count already read with the ETag (one query less)."""

    def __init__(self, object_list, per_page, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count

    @cached_property
    def count(self):
        return super().count


class PublicPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    known_count: int | None = None

    def django_paginator_class(self, object_list, per_page):
        return _CountedPaginator(object_list, per_page, count=self.known_count)


# --------------------------------------------------------------------------------------------------------------
# Serializers: explicit fields, optional ones omitted when not published.


class PublicCollectiviteSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()


class PublicLabelsSerializer(serializers.Serializer):
    """Labels of the codes present in the record, in the language of the answer."""

    lifecycle = serializers.CharField()
    automation_level = serializers.CharField(required=False)
    ai_act_risk = serializers.CharField(required=False)
    technique = serializers.CharField(required=False)
    hosting_zone = serializers.CharField(required=False)
    audience = serializers.CharField(required=False)
    dpia_status = serializers.CharField(required=False)
    fria_status = serializers.CharField(required=False)
    personal_data = serializers.ListField(child=serializers.CharField(), required=False)


def _optional(field_class, *args, help_text="", **kwargs):
    return field_class(*args, required=False, help_text=help_text, **kwargs)


PUBLISHED_IF_CHOSEN = _("Present only when the DPO published this field.")


class PublicUseCaseSerializer(serializers.Serializer):
    """One record of the public register of algorithms, built from the dict of `selectors.public_record`: an
    optional key absent from it (not published) is omitted from the answer, never null."""

    reference = serializers.CharField(help_text=_("The use case's reference in the collectivité's register."))
    collectivite = PublicCollectiviteSerializer()
    name = serializers.CharField()
    summary = serializers.CharField(help_text=_("Plain-language summary."))
    lifecycle = serializers.ChoiceField(choices=Lifecycle.CHOICES)
    contact = serializers.CharField(help_text=_("A functional address or service to write to."))
    crpa_mention_required = serializers.BooleanField(
        help_text=_("Individual decisions taken with this algorithm carry a mention (CRPA L311-3-1).")
    )
    crpa_mention = serializers.CharField(
        allow_blank=True, help_text=_("The mention to carry on decisions; empty when not required.")
    )
    public_register_required = serializers.BooleanField(
        help_text=_("Publication required by CRPA L312-1-3 (main processing founding individual decisions).")
    )
    purpose = _optional(serializers.CharField, help_text=PUBLISHED_IF_CHOSEN)
    service = _optional(serializers.CharField, help_text=PUBLISHED_IF_CHOSEN)
    automation_level = _optional(
        serializers.ChoiceField, choices=AutomationLevel.choices, help_text=PUBLISHED_IF_CHOSEN
    )
    individual_decisions = _optional(serializers.BooleanField, help_text=PUBLISHED_IF_CHOSEN)
    decisions_per_year = _optional(serializers.IntegerField, allow_null=True, help_text=PUBLISHED_IF_CHOSEN)
    human_intervention = _optional(serializers.CharField, allow_blank=True, help_text=PUBLISHED_IF_CHOSEN)
    data_sources = _optional(serializers.CharField, allow_blank=True, help_text=PUBLISHED_IF_CHOSEN)
    personal_data = _optional(
        serializers.ListField,
        child=serializers.ChoiceField(choices=PersonalDataCategory.choices),
        help_text=PUBLISHED_IF_CHOSEN,
    )
    legal_basis = _optional(serializers.CharField, allow_blank=True, help_text=PUBLISHED_IF_CHOSEN)
    ai_act_risk = _optional(serializers.ChoiceField, choices=AiActRisk.choices, help_text=PUBLISHED_IF_CHOSEN)
    dpia_required = _optional(serializers.BooleanField, help_text=PUBLISHED_IF_CHOSEN)
    dpia_status = _optional(
        serializers.ChoiceField, choices=ProgressStatus.choices, allow_blank=True, help_text=PUBLISHED_IF_CHOSEN
    )
    fria_required = _optional(serializers.BooleanField, help_text=PUBLISHED_IF_CHOSEN)
    fria_status = _optional(
        serializers.ChoiceField, choices=ProgressStatus.choices, allow_blank=True, help_text=PUBLISHED_IF_CHOSEN
    )
    technique = _optional(serializers.ChoiceField, choices=TechniqueChoices.choices, help_text=PUBLISHED_IF_CHOSEN)
    self_learning = _optional(serializers.BooleanField, help_text=PUBLISHED_IF_CHOSEN)
    tool = _optional(serializers.CharField, allow_blank=True, help_text=PUBLISHED_IF_CHOSEN)
    provider = _optional(serializers.CharField, allow_blank=True, help_text=PUBLISHED_IF_CHOSEN)
    hosting_zone = _optional(serializers.ChoiceField, choices=HostingZone.choices, help_text=PUBLISHED_IF_CHOSEN)
    audience = _optional(serializers.ChoiceField, choices=Audience.choices, help_text=PUBLISHED_IF_CHOSEN)
    start_date = _optional(serializers.DateField, allow_null=True, help_text=PUBLISHED_IF_CHOSEN)
    end_date = _optional(serializers.DateField, allow_null=True, help_text=PUBLISHED_IF_CHOSEN)
    first_published_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(help_text=_("Last update of the public record."))
    labels = PublicLabelsSerializer()
    url = serializers.URLField(help_text=_("This record in the API."))
    page_url = serializers.URLField(help_text=_("This record's page in the public register."))

    def to_representation(self, instance):
        # DRF would answer null for a nullable field missing from the dict: an unpublished key is omitted.
        return {key: value for key, value in super().to_representation(instance).items() if key in instance}


def _with_links(request, record: dict) -> dict:
    slug, reference = record["collectivite"]["slug"], record["reference"]
    return {
        **record,
        "labels": exports.labels(record),
        "url": request.build_absolute_uri(
            reverse("public_api:use-case-detail", kwargs={"collectivite": slug, "reference": reference})
        ),
        "page_url": request.build_absolute_uri(reverse("public:entry", kwargs={"slug": slug, "reference": reference})),
    }


# --------------------------------------------------------------------------------------------------------------
# Views

WithdrawnSerializer = inline_serializer(
    "PublicUseCaseWithdrawn",
    fields={"message": serializers.CharField(), "withdrawn_at": serializers.DateTimeField()},
)
LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=[code for code, _name in settings.LANGUAGES],
    description=_("Language of the `labels` (else the Accept-Language header; French by default)."),
)
CACHE_DESCRIPTION = _(
    "Public, no authentication. Answers carry `ETag` and `Cache-Control: public, max-age=300`: send "
    "`If-None-Match` to get 304 Not Modified. CORS: `Access-Control-Allow-Origin: *`. Rate limited per address "
    "(429 with `Retry-After`). Optional fields the collectivité did not publish are omitted, never null."
)
ERROR_404 = OpenApiResponse(ErrorSerializer, description=_("Unknown, never published, or page out of range."))
ERROR_429 = OpenApiResponse(ErrorSerializer, description=_("Too many requests: wait `Retry-After` seconds."))


class JSONOnly(BaseContentNegotiation):
    """Open data answers JSON, whatever the client asks for (a browser asks text/html first): never a 406.

    Why not DRF's browsable page: one URL has one representation, so the public caches and the ETag
    (`Cache-Control: public`, 304 on `If-None-Match`) can never hand a page to a program or JSON to a browser; and
    that page is an English developer tool with a sign-in link, nothing an anonymous reader needs. People read the
    register's pages and the documentation at /api/docs/; a browser shows the JSON itself."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PublicAPIView(GenericAPIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    filter_backends = []
    schema = ErrorDocumentingAutoSchema()
    serializer_class = PublicUseCaseSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def _language(self, request) -> str:
        return exports.public_language(request)

    def _ok(self, data, *, etag: str, language: str, status_code=status.HTTP_200_OK):
        response = Response(data, status=status_code)
        return exports.set_public_headers(response, etag=etag, language=language)

    def _not_modified(self, etag: str, language: str):
        return exports.set_public_headers(Response(status=status.HTTP_304_NOT_MODIFIED), etag=etag, language=language)


class PublicUseCaseList(PublicAPIView):
    pagination_class = PublicPagination

    @extend_schema(
        tags=["public"],
        auth=[],
        operation_id="public_use_cases_list",
        summary=_("The public register of algorithms"),
        description=CACHE_DESCRIPTION,
        parameters=[
            OpenApiParameter("collectivite", str, description=_("Only this collectivité's records (its short name).")),
            OpenApiParameter("q", str, description=_("Words searched in the name, summary, purpose, service, data.")),
            OpenApiParameter("service", str, description=_("Exact name of the service.")),
            OpenApiParameter("risk", str, enum=AiActRisk.values, description=_("AI Act risk level.")),
            OpenApiParameter("automation", str, enum=AutomationLevel.values, description=_("Level of automation.")),
            OpenApiParameter("lifecycle", str, enum=[code for code, _label in Lifecycle.CHOICES]),
            LANG_PARAMETER,
        ],
        responses={200: PublicUseCaseSerializer(many=True), 404: ERROR_404, 429: ERROR_429},
    )
    def get(self, request):
        language = self._language(request)
        params = exports.public_params(request.GET)
        queryset = selectors.public_entries(filters=selectors.PublicFilters.from_params(params))
        slug = params.get("collectivite", "")[:60].strip()
        if slug:
            queryset = queryset.filter(collectivite__slug=slug)
        etag, count = exports.list_etag(queryset, request=request, language=language)
        if exports.not_modified(request, etag):
            return self._not_modified(etag, language)
        self.paginator.known_count = count
        page = self.paginate_queryset(queryset)
        with translation.override(language):
            records = [_with_links(request, selectors.public_record(publication)) for publication in page]
            data = self.get_serializer(records, many=True).data
        response = self.get_paginated_response(data)
        return exports.set_public_headers(response, etag=etag, language=language)


class PublicUseCaseDetail(PublicAPIView):
    @extend_schema(
        tags=["public"],
        auth=[],
        operation_id="public_use_cases_retrieve",
        summary=_("One record of the public register"),
        description=CACHE_DESCRIPTION,
        parameters=[LANG_PARAMETER],
        responses={
            200: PublicUseCaseSerializer,
            404: ERROR_404,
            410: OpenApiResponse(WithdrawnSerializer, description=_("Withdrawn from the public register.")),
            429: ERROR_429,
        },
    )
    def get(self, request, collectivite, reference):
        language = self._language(request)
        target = Collectivite.objects.filter(slug=collectivite).first()
        publication = (
            selectors.public_entry(collectivite=target, reference=reference[:30]) if target is not None else None
        )
        if publication is None:
            raise NotFound(_("No such record in the public register."))
        etag = exports.record_etag(publication, language=language)
        if publication.state == PublicationState.WITHDRAWN:
            data = {
                "message": str(_("This record was withdrawn from the public register.")),
                "withdrawn_at": serializers.DateTimeField().to_representation(publication.withdrawn_at),
            }
            return self._ok(data, etag=etag, language=language, status_code=status.HTTP_410_GONE)
        if exports.not_modified(request, etag):
            return self._not_modified(etag, language)
        with translation.override(language):
            data = self.get_serializer(_with_links(request, selectors.public_record(publication))).data
        return self._ok(data, etag=etag, language=language)
