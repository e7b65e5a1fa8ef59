"""What the site answers when a request fails outside a view's own handling (Django's handler400, 403, 404, 500).

Under /api/ a program reads the API's error shape, `{"message": ..., "errors": {}}` in JSON, whatever failed: a
path no route matches, a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, a server error. Elsewhere a person reads
the site's pages in their language (templates 400.html, 403.html, 404.html, 500.html). The 400 and 500 pages
are rendered without the request: what failed may be the request itself, or what the site's layout reads
(the database, the session).
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(message, status: int) -> JsonResponse:
    return JsonResponse({"message": str(message), "errors": {}}, status=status)


def bad_request_message(exception=None) -> str:
    """What a person or a program reads about a request refused before any view (Django's SuspiciousOperation
    and BadRequest, a NUL character)."""
    from django.conf import settings
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.template.defaultfilters import filesizeformat

    if isinstance(exception, RequestDataTooBig):
        return _("The request is too large: send at most %(size)s at a time.") % {
            "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return _("The request has too many fields or files.")
    return _("The request could not be read. Check what you sent and try again.")


def bad_request(request, exception=None, message: str | None = None):
    message = message or bad_request_message(exception)
    if is_api(request):
        return api_error(message, 400)
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))


def permission_denied(request, exception=None):
    if is_api(request):
        reason = str(exception.args[0]) if exception is not None and exception.args else ""
        return api_error(reason or _("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(_("A server error occurred. It has been logged; try again later."), 500)
    return HttpResponseServerError(loader.get_template("500.html").render())
