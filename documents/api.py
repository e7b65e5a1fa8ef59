"""API v1 of the generated documents: ask for one (answered 202: it is generated in the background), follow its
status, download it.

Routes (registry/api/urls.py): `/documents/` (list, POST to ask), `/documents/{id}/` (its status),
`/documents/{id}/download/` (the PDF). The same rules as the web pages: a document, use case or session out of
sight answers 404, a kind of document one may not have 403, a published charter asked for again 409.
"""

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.fields import CodeField
from core.api.permissions import ScopedAPIMixin
from core.api.schema import ErrorSerializer
from core.errors import ConflictError
from documents import selectors
from documents import services as documents
from documents.models import Document
from documents.views import FIRST_YEAR, file_response, open_document_file
from registry.api.filters import CodeChoiceFilter
from registry.api.serializers import UserSummarySerializer
from registry.api.views import COLLECTIVITE_HEADER, ERROR_400, ERROR_403, ERROR_404
from security.services import record_document_download

# Named for the OpenAPI enums (see SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
DOCUMENT_KINDS = Document.Kind
DOCUMENT_STATUSES = Document.Status

ERROR_409_FROZEN = OpenApiResponse(
    ErrorSerializer, description=_("The document is final (a published charter): it is never generated again.")
)
ERROR_409_NOT_READY = OpenApiResponse(
    ErrorSerializer, description=_("The document has no file yet: it is being generated, or its generation failed.")
)


class DocumentLinksSerializer(serializers.Serializer):
    self = serializers.URLField(read_only=True, help_text=_("This document's status."))
    download = serializers.URLField(read_only=True, allow_null=True, help_text=_("The PDF; null until a file exists."))
    page = serializers.URLField(read_only=True, help_text=_("The document's page in the web application."))


class DocumentSerializer(serializers.ModelSerializer):
    """A generated PDF and its state. While a new version is generated, the previous file (if any) stays
    downloadable: `sha256`, `size`, `pages` and `generated_at` describe the file served."""

    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS.choices, read_only=True)
    status = serializers.ChoiceField(
        choices=DOCUMENT_STATUSES.choices,
        read_only=True,
        help_text=_("`pending` (waiting for a worker), `running`, `ready`, or `failed` after the retries."),
    )
    frozen = serializers.BooleanField(
        read_only=True, help_text=_("A final document (a published charter): never generated again.")
    )
    sha256 = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("SHA-256 fingerprint of the file, in hexadecimal.")
    )
    size = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("In bytes."))
    error = serializers.CharField(read_only=True, allow_null=True, help_text=_("Why the generation failed."))
    requested_by = UserSummarySerializer(read_only=True, allow_null=True)
    filename = serializers.CharField(read_only=True, help_text=_("The name the PDF is downloaded under."))
    links = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = (
            "id",
            "kind",
            "use_case",
            "session",
            "year",
            "status",
            "frozen",
            "requested_by",
            "requested_at",
            "generated_at",
            "pages",
            "size",
            "sha256",
            "filename",
            "error",
            "links",
        )
        read_only_fields = fields

    def to_representation(self, document):
        data = super().to_representation(document)
        data["sha256"] = data["sha256"] or None
        data["error"] = data["error"] or None
        return data

    @extend_schema_field(DocumentLinksSerializer)
    def get_links(self, document) -> dict:
        request = self.context.get("request")

        def absolute(url):
            return request.build_absolute_uri(url) if request is not None else url

        return {
            "self": absolute(reverse("api:document-detail", args=[document.pk])),
            "download": absolute(reverse("api:document-download", args=[document.pk])) if document.file else None,
            "page": absolute(reverse("audits:document_detail", args=[document.pk])),
        }


class DocumentRequestSerializer(serializers.Serializer):
    """What to generate: a kind and its subject (a use case, a committee session or a year)."""

    kind = CodeField(choices=DOCUMENT_KINDS.choices)
    use_case = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("For `use_case_report`: the use case's id.")
    )
    session = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("For `committee_minutes`: the committee session's id."),
    )
    year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=FIRST_YEAR,
        help_text=_("For `annual_report` and `charter`: the year."),
    )

    def validate_year(self, value):
        if value is not None and value > timezone.localdate().year + 1:
            raise serializers.ValidationError(_("A year up to next year is expected."))
        return value


class DocumentFilter(django_filters.FilterSet):
    kind = CodeChoiceFilter(choices=DOCUMENT_KINDS.choices)
    status = CodeChoiceFilter(choices=DOCUMENT_STATUSES.choices)

    class Meta:
        model = Document
        fields = ("kind", "status")


@extend_schema(tags=["documents"], parameters=[COLLECTIVITE_HEADER])
@extend_schema_view(
    list=extend_schema(
        summary=_("The documents you may read"),
        description=_("Most recently requested first; filter by `kind` and `status`."),
    ),
    retrieve=extend_schema(
        summary=_("A document and its status"),
        description=_("Poll it after asking for a document: `status` becomes `ready` (or `failed`)."),
        responses={200: DocumentSerializer, 404: ERROR_404},
    ),
    create=extend_schema(
        summary=_("Ask for a document"),
        description=_(
            "Queues its generation and answers 202 at once; follow `links.self` until `status` is `ready`, then "
            "download `links.download`. Asking again while it is pending or running changes nothing; asking for a "
            "ready one generates it again with today's data (its previous file stays served until then). "
            "Use-case reports: whoever sees the use case; minutes: whoever sees the committee; annual report: "
            "DPO, RSSI, DGS, administrators; charter: DPO, DGS, administrators."
        ),
        request=DocumentRequestSerializer,
        responses={202: DocumentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404, 409: ERROR_409_FROZEN},
    ),
)
class DocumentViewSet(
    ScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Generated PDF documents: use-case audit reports, committee minutes, annual audit reports, the charter."""

    serializer_class = DocumentSerializer
    queryset = Document.objects.none()  # the real one comes from the selectors, per user
    filter_backends = [DjangoFilterBackend]
    filterset_class = DocumentFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        return selectors.document_list(self.request.user, self.access)

    def perform_content_negotiation(self, request, force=False):
        # A client asking for `application/pdf` gets the file, and its errors in JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    def create(self, request, *args, **kwargs):
        serializer = DocumentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        kind = data["kind"]
        subject = selectors.document_subject(
            request.user,
            self.access,
            kind,
            use_case_id=data.get("use_case"),
            session_id=data.get("session"),
            year=data.get("year"),
        )
        if subject is None:
            raise Http404
        # A kind one may not have answers 403 and a published charter 409 (`registry.api.errors`).
        document = documents.document_request(
            collectivite=self.collectivite, acting_user=request.user, kind=kind, **subject
        )
        fresh = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary=_("Download a document's PDF"),
        description=_(
            "The current file, as an attachment. While a new version is generated, the previous file is served; "
            "without any file yet (pending, running or failed), 409."
        ),
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The PDF.")),
            404: ERROR_404,
            409: ERROR_409_NOT_READY,
        },
    )
    @action(detail=True, methods=["get"], url_path="download", filter_backends=[], pagination_class=None)
    def download(self, request, *args, **kwargs):
        document = self.get_object()  # DRF's lookup: a pk that is not a number is a 404, not a 500
        handle = open_document_file(document)
        if handle is None:
            if document.status == Document.Status.READY:  # its file is lost (storage restored without it)
                raise Http404
            if document.status == Document.Status.FAILED:
                raise ConflictError(_("The document could not be generated: ask for it again."))
            raise ConflictError(_("The document is not ready yet: follow its status and download it once ready."))
        record_document_download(request, document)
        return file_response(document, handle)
