"""API errors in one shape: {"message": ..., "errors": {field: [...]}} with the right status code."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import ApplicationError


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response({"message": str(exc.message), "errors": _stringify(exc.errors)}, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        # Django's refusal keeps its reason when it gives one (e.g. a collectivité named without a role there).
        exc = exceptions.PermissionDenied(str(exc.args[0])) if exc.args else exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"message": _("Some fields are not valid."), "errors": errors}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        response.data = {"message": str(detail), "errors": {}}
    if response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        response.data["message"] = _("This method is not allowed here.")
    return response


def _stringify(errors):
    return {field: [str(message) for message in messages] for field, messages in errors.items()}


class NotFoundView(APIView):
    """The last route of the API: a path no route matches (an id that is not a number, a slug with a space)
    answers 404 in the API's error shape rather than with the site's HTML page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("Not found."))
