"""`NulCharacterMiddleware`: a request carrying a NUL character (U+0000) is refused with 400 before any view.

No text of the register holds one, and PostgreSQL refuses it in any string it is given ("A string literal cannot
contain NUL"): a NUL in a query parameter read by a filter, a form field read by hand, the `X-Collectivite` header
or a path segment made the request fail with a 500. Checked once here, for the web pages and the API alike: the
path, the query string, the headers and the fields of a form (URL-encoded or multipart). JSON bodies are checked
by the API's parser (registry.api.parsers), where they are read.
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.error_pages import bad_request

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(query_dict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


def carries_nul(request) -> bool:
    if NUL in request.path_info or _holds_nul(request.GET):
        return True
    if any(NUL in value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)):
        return True
    if request.content_type not in FORM_TYPES:
        return False
    if request.method == "POST":
        # Reading request.POST here parses the form once, as the CSRF middleware would; the API's parsers then
        # take the same fields.
        return _holds_nul(request.POST)
    # Django parses a form for a POST only: an URL-encoded PUT or PATCH (read by the API) is read here as text.
    return request.content_type == FORM_TYPES[0] and _holds_nul(QueryDict(request.body, encoding=request.encoding))


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            return bad_request(request, message=_("The request contains a NUL character, which no text may hold."))
        return self.get_response(request)
