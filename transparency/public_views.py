"""The public register's pages (CRPA L312-1-3): no login, the same page for every visitor, rate limited.

A public page is a function of its URL only, so that any cache may keep it (`Cache-Control: public`, no
`Vary: Cookie`): it is rendered without the request's context processors (they read the session and the user),
never touches the CSRF token, and takes its language from the `lang` parameter of the URL rather than from the
language cookie. Everything shown of a record comes from `selectors.public_record`.
"""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import resolve_url
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from registry import classification_inputs
from registry.choices import AiActRisk, AutomationLevel, ProgressStatus
from registry.models import Collectivite

from . import selectors
from .fields import Lifecycle
from .models import PublicationState
from .ratelimits import public_rate_limit

PAGE_SIZE = 25
CACHE_SECONDS = 300
LANG_PARAM = "lang"
MAX_REFERENCE_LENGTH = 30  # UseCase.reference

AUTOMATION_EXPLAINED = {
    AutomationLevel.NONE: _("The algorithm takes no part in decisions about persons."),
    AutomationLevel.ASSIST: _(
        "The algorithm prepares the work (a proposal, a sorting, a draft). An agent examines each case and takes "
        "the decision."
    ),
    AutomationLevel.DETERMINING: _(
        "The algorithm produces a score or a recommendation that weighs decisively on the decision. An agent "
        "signs the decision."
    ),
    AutomationLevel.FULLY_AUTOMATED: _("The decision is taken by the algorithm, without an agent examining each case."),
}
RISK_EXPLAINED = {
    AiActRisk.PROHIBITED: _("The European AI Act prohibits this practice."),
    AiActRisk.HIGH: _(
        "The European AI Act classes this use as high risk: it must manage its risks, govern its data, keep logs, "
        "be overseen by people and, for a public body, be registered in the European database."
    ),
    AiActRisk.LIMITED: _(
        "The European AI Act requires transparency: people are told when they talk to an AI system or read content "
        "it generated."
    ),
    AiActRisk.MINIMAL: _("The European AI Act sets no specific obligation for this use."),
    # Rules written by people are still an algorithm whose use is published (CRPA L312-1-3): say which laws apply.
    AiActRisk.OUT_OF_SCOPE: _(
        "This algorithm is not an AI system within the meaning of the European regulation: it applies rules written "
        "by people, so the AI Act does not apply to it. The rules on personal data (RGPD) and on decisions taken "
        "with an algorithm (Code des relations entre le public et l'administration) still do."
    ),
}
# The classification inputs a public record may show that hold codes (their labels are shown, not the codes).
PUBLIC_CODED_INPUTS = tuple(
    item for item in classification_inputs.INPUTS if item.public_field and item.choices is not None
)
# What anyone concerned by a decision may ask for (CRPA R311-3-1-2).
R311_3_1_2_ELEMENTS = (
    _("the degree and the manner in which the algorithmic processing contributed to the decision;"),
    _("the data processed and their sources;"),
    _("the processing parameters and, where relevant, their weighting, applied to the situation of the person;"),
    _("the operations carried out by the processing."),
)


def _language(request) -> str:
    wanted = str(request.GET.get(LANG_PARAM, ""))
    return wanted if wanted in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _params(request) -> QueryDict:
    """The query string without NUL characters (PostgreSQL refuses them in a query: never a 500)."""
    params = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        params.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    return params


def _with_language(url: str, language: str) -> str:
    if language == settings.LANGUAGE_CODE:
        return url
    return f"{url}{'&' if '?' in url else '?'}{LANG_PARAM}={language}"


def _language_links(request, current: str) -> list[dict]:
    links = []
    for code, _name in settings.LANGUAGES:
        params = _params(request)
        params.pop(LANG_PARAM, None)
        if code != settings.LANGUAGE_CODE:
            params[LANG_PARAM] = code
        query = params.urlencode()
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": f"{request.path}?{query}" if query else request.path,
                "current": code == current,
            }
        )
    return links


def in_visitor_language(view):
    """Run the view in the language of the URL, so that the labels it computes are in that language too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(_language(request)):
            return view(request, *args, **kwargs)

    return wrapper


def _render(request, template_name: str, context: dict, *, status: int = 200) -> HttpResponse:
    """Render without the request (no context processor: no session, no user, no CSRF token), cacheable."""
    language = _language(request)
    with translation.override(language):
        content = loader.render_to_string(
            template_name,
            {
                **context,
                "language": language,
                "languages": _language_links(request, language),
                "lang_param": LANG_PARAM,
                "lang_query": "" if language == settings.LANGUAGE_CODE else f"?{LANG_PARAM}={language}",
            },
        )
    response = HttpResponse(content, status=status)
    response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _not_found(request, collectivite=None) -> HttpResponse:
    return _render(request, "transparency/public_not_found.html", {"collectivite": collectivite}, status=404)


def _collectivite(slug: str) -> Collectivite | None:
    return Collectivite.objects.filter(slug=slug).only("id", "name", "slug", "logo", "primary_colour").first()


@require_GET
@public_rate_limit
@in_visitor_language
def index(request):
    """The collectivités that publish a register; straight to it when there is only one."""
    collectivites = list(
        selectors.public_collectivites()
        .annotate(published_count=Count("publications", distinct=True))
        .only("id", "name", "slug")
    )
    if len(collectivites) == 1:
        url = _with_language(resolve_url("public:register", slug=collectivites[0].slug), _language(request))
        response = HttpResponseRedirect(url)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response
    return _render(request, "transparency/public_index.html", {"collectivites": collectivites})


def _filter_options(collectivite) -> dict:
    return {
        "services": selectors.public_services(collectivite=collectivite),
        "risks": [(code, label) for code, label in AiActRisk.choices if code != AiActRisk.PROHIBITED],
        "automations": AutomationLevel.choices,
        "lifecycles": Lifecycle.CHOICES,
    }


def present_entry(record: dict) -> dict:
    """The labels and plain-language explanations of a record's codes, for the keys it holds."""
    labels = {}
    if record.get("automation_level"):
        labels["automation"] = dict(AutomationLevel.choices).get(record["automation_level"], "")
        labels["automation_explained"] = AUTOMATION_EXPLAINED.get(record["automation_level"], "")
    if record.get("ai_act_risk"):
        labels["risk"] = dict(AiActRisk.choices).get(record["ai_act_risk"], "")
        labels["risk_explained"] = RISK_EXPLAINED.get(record["ai_act_risk"], "")
    for key in ("dpia_status", "fria_status"):
        if record.get(key):
            labels[key] = dict(ProgressStatus.choices).get(record[key], "")
    # The classification inputs the record shows, labelled as their declarations say (technique, personal data…).
    for item in PUBLIC_CODED_INPUTS:
        value = record.get(item.record_key)
        if value:
            names = dict(item.choices.choices)
            labels[item.record_key] = (
                [names.get(code, code) for code in value] if item.multiple else names.get(value, "")
            )
    for key in ("start_date", "end_date"):
        try:
            labels[key] = date.fromisoformat(record[key]) if record.get(key) else None
        except (TypeError, ValueError):
            labels[key] = None
    labels["lifecycle"] = Lifecycle.label(record.get("lifecycle", ""))
    contact = record.get("contact") or ""
    labels["contact_is_email"] = "@" in contact and " " not in contact
    return labels


def _card(publication) -> dict:
    record = selectors.public_record(publication)
    return {"record": record, "labels": present_entry(record)}


@require_GET
@public_rate_limit
@in_visitor_language
def register(request, slug):
    """The register of one collectivité: search, filters, 25 records a page; a fixed number of queries."""
    collectivite = _collectivite(slug)
    if collectivite is None:
        return _not_found(request)
    params = _params(request)
    filters = selectors.PublicFilters.from_params(params)
    entries = selectors.public_entries(collectivite=collectivite, filters=filters)
    page = Paginator(entries, PAGE_SIZE).get_page(params.get("page"))
    page_params = params.copy()
    page_params.pop("page", None)
    return _render(
        request,
        "transparency/public_register.html",
        {
            "collectivite": collectivite,
            "filters": filters,
            "page": page,
            "cards": [_card(publication) for publication in page.object_list],
            "page_params": page_params,
            **_filter_options(collectivite),
        },
    )


@require_GET
@public_rate_limit
@in_visitor_language
def entry(request, slug, reference):
    """The plain-language page of a published record; 410 Gone once withdrawn; 404 for anything else."""
    collectivite = _collectivite(slug)
    if collectivite is None:
        return _not_found(request)
    publication = None
    if len(reference) <= MAX_REFERENCE_LENGTH:
        publication = selectors.public_entry(collectivite=collectivite, reference=reference)
    if publication is None:
        return _not_found(request, collectivite)
    if publication.state == PublicationState.WITHDRAWN:
        return _render(
            request,
            "transparency/public_gone.html",
            {"collectivite": collectivite, "withdrawn_at": publication.withdrawn_at},
            status=410,
        )
    record = selectors.public_record(publication)
    return _render(
        request,
        "transparency/public_entry.html",
        {
            "collectivite": collectivite,
            "record": record,
            "labels": present_entry(record),
            "r311_elements": R311_3_1_2_ELEMENTS,
        },
    )
