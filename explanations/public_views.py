"""The public side of the explanation requests (no account): the request form, from a register entry (the use case
fixed) or from the collectivité's register (chosen among its published entries, or « I do not know »), the
acknowledgment, and the follow-up page reached by its unguessable link, with the letter once sent.

Unlike the register's pages these are not cacheable: the form carries a CSRF token, the follow-up page is private
(`Cache-Control: private, no-store`, no referrer, not indexed). Submissions are rate limited per client address
(EXPLANATION_RATE_LIMIT, django-ratelimit as the register's pages), held back by a honeypot field, and bounded in
size; a refused submission keeps what was typed."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from registry.models import Collectivite
from transparency.ratelimits import public_rate_limit, retry_after_seconds

from . import selectors, services
from .forms import UNKNOWN, RequestForm
from .models import ExplanationRequest

FORM_TEMPLATE = "explanations/public/request_form.html"
FORM_REFERRER = "same-origin"


def _collectivite(slug: str) -> Collectivite:
    collectivite = Collectivite.objects.filter(slug=slug).only("id", "name", "slug", "logo", "primary_colour").first()
    if collectivite is None:
        raise Http404
    return collectivite


def _private(response, *, referrer: str = "no-referrer"):
    """Never cached, never indexed; a page whose address holds the token never gives it away as a referrer (the
    form's page says "same-origin": a browser posting a form under "no-referrer" sends `Origin: null`, which the
    CSRF check refuses)."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request, template: str, context: dict, *, status: int = 200, referrer: str = "no-referrer"):
    context = {
        "language": settings.LANGUAGE_CODE,
        "languages": [],
        "lang_query": "",
        "retention_months": settings.EXPLANATION_RETENTION_MONTHS,
        **context,
    }
    return _private(render(request, template, context, status=status), referrer=referrer)


def _rate() -> str:
    return getattr(settings, "EXPLANATION_RATE_LIMIT", "5/h")


def _over_limit(request) -> bool:
    return getattr(settings, "RATELIMIT_ENABLE", True) and is_ratelimited(
        request, group="explanation-request", key="ip", rate=_rate(), method="POST", increment=True
    )


@require_http_methods(["GET", "POST"])
@public_rate_limit
def request_form(request, slug, reference=None):
    """The request form. From an entry (`reference`) the use case is fixed; from the register it is chosen."""
    collectivite = _collectivite(slug)
    publication = None
    use_cases = None
    if reference is not None:
        publication = selectors.published_use_case(collectivite, reference[:30])
        if publication is None:
            raise Http404
    else:
        use_cases = list(selectors.published_use_cases(collectivite))
    context = {"collectivite": collectivite, "publication": publication}
    if request.method == "GET":
        form = RequestForm(use_cases=use_cases)
        return _page(request, FORM_TEMPLATE, {**context, "form": form}, referrer=FORM_REFERRER)

    form = RequestForm(request.POST, use_cases=use_cases)
    if _over_limit(request):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many requests were sent from your address. Nothing is lost: wait %(minutes)s minutes, "
                "then send again."
            )
            % {"minutes": max(retry_after_seconds(_rate()) // 60, 1)},
        )
        response = _page(request, FORM_TEMPLATE, {**context, "form": form}, status=429, referrer=FORM_REFERRER)
        response["Retry-After"] = str(retry_after_seconds(_rate()))
        return response
    if form.is_spam:
        # A robot filled the hidden field: it gets a page that looks like success, nothing is recorded.
        return _page(request, "explanations/public/held_back.html", context)
    if not form.is_valid():
        return _page(request, FORM_TEMPLATE, {**context, "form": form}, status=400, referrer=FORM_REFERRER)
    data = form.cleaned_data
    use_case = publication.use_case if publication is not None else None
    if use_cases is not None and data.get("use_case") not in ("", UNKNOWN, None):
        chosen = {str(pk) for pk, _name, _reference in use_cases}
        if data["use_case"] in chosen:
            from registry.models import UseCase

            use_case = UseCase.objects.get(pk=int(data["use_case"]))
    created = services.request_create(collectivite=collectivite, data=data, use_case=use_case)
    return HttpResponseRedirect(reverse("explanations_public:acknowledgment", args=[created.token]))


def _by_token(token: str) -> ExplanationRequest:
    if not token or len(token) > 100:
        raise Http404
    found = selectors.request_by_token(services.token_hash(token))
    if found is None:
        raise Http404
    return found


@require_GET
@public_rate_limit
def acknowledgment(request, token):
    found = _by_token(token)
    url = request.build_absolute_uri(reverse("explanations_public:follow_up", args=[token]))
    return _page(
        request,
        "explanations/public/acknowledgment.html",
        {"req": found, "collectivite": found.collectivite, "follow_up_url": url},
    )


@require_GET
@public_rate_limit
def follow_up(request, token):
    found = _by_token(token)
    return _page(
        request,
        "explanations/public/follow_up.html",
        {
            "req": found,
            "collectivite": found.collectivite,
            "token": token,
            "has_letter": bool(found.letter) and not found.is_open,
        },
    )


@require_GET
@public_rate_limit
def letter_download(request, token):
    from django.http import FileResponse

    found = _by_token(token)
    if found.is_open or not found.letter:
        raise Http404
    try:
        handle = found.letter.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=found.letter_filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["ETag"] = f'"{found.letter_sha256}"'
    return _private(response)
