"""API errors in one shape: {"message": ..., "errors": {field: [...]}} with the right status code.

`errors` is flat: a field of a nested object or list is named by its path, `new_use_case.name`, `conditions.0`
(a list's items by their position). What fails before a view (a path no route matches, a body too large) gets
the same shape from config.errors.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response({"message": str(exc.message), "errors": flatten(exc.errors)}, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, SuspiciousOperation):
        # A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, a form with too many fields: refused as Django would (400).
        from core.error_pages import bad_request_message

        exc = exceptions.ParseError(bad_request_message(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        # Django's refusal keeps its reason when it gives one (e.g. a collectivité named without a role there).
        exc = exceptions.PermissionDenied(str(exc.args[0])) if exc.args else exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": _("Some fields are not valid."), "errors": flatten(response.data)}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        response.data = {"message": str(detail), "errors": {}}
    if response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        response.data["message"] = _("This method is not allowed here.")
    return response


NON_FIELD = "non_field_errors"


def flatten(errors, path: str = "") -> dict[str, list[str]]:
    """Field errors as DRF nests them (a nested serializer's dict, a list field's {index: [...]}, a list of
    serializers' [{...}, {}]) -> {"outer.inner": [messages]}, the documented flat shape."""
    flat: dict[str, list[str]] = {}

    def add(name: str, message) -> None:
        flat.setdefault(name or NON_FIELD, []).append(str(message))

    def walk(item, name: str) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                # A nested object's own errors (not one field's) are named after the object.
                walk(value, name if name and key == NON_FIELD else f"{name}.{key}" if name else str(key))
        elif isinstance(item, list | tuple):
            for index, value in enumerate(item):
                if isinstance(value, dict | list | tuple):
                    walk(value, f"{name}.{index}" if name else str(index))
                else:
                    add(name, value)
        else:
            add(name, item)

    walk(errors, path)
    return flat


class NotFoundView(APIView):
    """The last route of the API: a path no route matches (an id that is not a number, a slug with a space)
    answers 404 in the API's error shape rather than with the site's HTML page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("Not found."))
