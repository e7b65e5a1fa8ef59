"""Downloads of a collectivité's public register: the CSV, and the Algoritmeregister and ATRS exports.

Anonymous, rate limited, cacheable (ETag + max-age); they read `selectors.public_record` only, and take the same
filters as the public register (q, service, risk, automation, lifecycle). The texts are those published (French).
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotModified, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from registry.models import Collectivite

from . import exports, selectors
from .ratelimits import public_rate_limit

EXPORT_LANGUAGE = "fr"  # the published texts are French: codes are labelled in the same language
CHUNK_SIZE = 200


def _entries(request, slug):
    collectivite = get_object_or_404(Collectivite, slug=slug)
    filters = selectors.PublicFilters.from_params(exports.public_params(request.GET))
    return collectivite, selectors.public_entries(collectivite=collectivite, filters=filters)


def _urls(request, record) -> tuple[str, str]:
    slug, reference = record["collectivite"]["slug"], record["reference"]
    page = request.build_absolute_uri(reverse("public:entry", kwargs={"slug": slug, "reference": reference}))
    api = request.build_absolute_uri(
        reverse("public_api:use-case-detail", kwargs={"collectivite": slug, "reference": reference})
    )
    return page, api


def _records(queryset):
    for publication in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield selectors.public_record(publication)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _conditional(request, queryset, kind: str):
    """The ETag of this download, and a 304 when the visitor already has it."""
    etag, _count = exports.list_etag(queryset, request=request, language=f"{EXPORT_LANGUAGE}:{kind}")
    if exports.not_modified(request, etag):
        return etag, exports.set_public_headers(HttpResponseNotModified(), etag=etag)
    return etag, None


def _filename(stem: str, slug: str, extension: str) -> str:
    return f"{stem}-{slug}-{timezone.localdate().isoformat()}.{extension}"


@require_safe
@public_rate_limit
def csv_export(request, slug):
    collectivite, queryset = _entries(request, slug)
    etag, cached = _conditional(request, queryset, "csv")
    if cached:
        return cached

    def rows():
        with translation.override(EXPORT_LANGUAGE):
            for record in _records(queryset):
                yield exports.csv_row(record, url=_urls(request, record)[0])

    response = StreamingHttpResponse(exports.csv_stream(rows()), content_type="text/csv; charset=utf-8")
    exports.set_public_headers(response, etag=etag)
    return _attachment(response, _filename("registre-algorithmes", collectivite.slug, "csv"))


def _json(payload, filename: str, etag: str) -> HttpResponse:
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    exports.set_public_headers(response, etag=etag)
    return _attachment(response, filename)


def _envelope(request, collectivite, standard: str, version: str, items: list) -> dict:
    return {
        "standard": standard,
        "standard_version": version,
        "language": EXPORT_LANGUAGE,
        "publisher": {"name": collectivite.name, "slug": collectivite.slug},
        "source": request.build_absolute_uri(reverse("public:register", kwargs={"slug": collectivite.slug})),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "count": len(items),
        "records": items,
    }


def _algoritmeregister_items(request, queryset) -> list[dict]:
    items = []
    with translation.override(EXPORT_LANGUAGE):
        for record in _records(queryset):
            page, api = _urls(request, record)
            items.append(exports.algoritmeregister_record(record, page_url=page, api_url=api))
    return items


@require_safe
@public_rate_limit
def algoritmeregister_export(request, slug):
    collectivite, queryset = _entries(request, slug)
    etag, cached = _conditional(request, queryset, "algoritmeregister")
    if cached:
        return cached
    items = _algoritmeregister_items(request, queryset)
    payload = _envelope(
        request, collectivite, "Algoritmeregister publicatiestandaard", exports.ALGORITMEREGISTER_VERSION, items
    )
    return _json(payload, _filename("algoritmeregister", collectivite.slug, "json"), etag)


@require_safe
@public_rate_limit
def algoritmeregister_csv_export(request, slug):
    collectivite, queryset = _entries(request, slug)
    etag, cached = _conditional(request, queryset, "algoritmeregister-csv")
    if cached:
        return cached
    items = _algoritmeregister_items(request, queryset)
    rows = (exports.algoritmeregister_csv_row(item) for item in items)
    response = StreamingHttpResponse(
        exports.csv_stream(rows, columns=exports.ALGORITMEREGISTER_FIELDS), content_type="text/csv; charset=utf-8"
    )
    exports.set_public_headers(response, etag=etag)
    return _attachment(response, _filename("algoritmeregister", collectivite.slug, "csv"))


@require_safe
@public_rate_limit
def atrs_export(request, slug):
    collectivite, queryset = _entries(request, slug)
    etag, cached = _conditional(request, queryset, "atrs")
    if cached:
        return cached
    with translation.override(EXPORT_LANGUAGE):
        items = []
        for record in _records(queryset):
            page, api = _urls(request, record)
            items.append(exports.atrs_record(record, page_url=page, api_url=api))
    payload = _envelope(
        request, collectivite, "Algorithmic Transparency Recording Standard", exports.ATRS_VERSION, items
    )
    return _json(payload, _filename("atrs", collectivite.slug, "json"), etag)
