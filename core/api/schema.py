"""The API schema tells every error an operation can answer, not only those its view declares.

A view declares the answers particular to it (`extend_schema(responses=...)`); the refusals common to a kind
of operation are added here, in the project's error shape (`{"message", "errors"}`), so that the schema
cannot forget one: Schemathesis (tests/security/test_api_fuzz.py) checks every answer against it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated


@extend_schema_field({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}})
class _FieldErrorsField(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    """Every error of the API: a human message and, for invalid input, the messages per field."""

    message = serializers.CharField()
    errors = _FieldErrorsField()


UNAUTHENTICATED = OpenApiResponse(
    ErrorSerializer, description=_("No valid token (`Authorization: Token <token>`) nor session.")
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description=_("Not allowed for your role."))
INVALID = OpenApiResponse(ErrorSerializer, description=_("Invalid input: the messages per field."))
INVALID_FILTER = OpenApiResponse(ErrorSerializer, description=_("A filter has a value it does not know."))
NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("Unknown, or outside what you may see."))
NO_SUCH_PAGE = OpenApiResponse(ErrorSerializer, description=_("No such page."))
THROTTLED = OpenApiResponse(ErrorSerializer, description=_("Too many requests: try again later."))
UNREADABLE = OpenApiResponse(
    ErrorSerializer, description=_("The request could not be read: a NUL character, or a body too large.")
)


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers implied by the view's authentication, permissions,
    path, filters, pagination, request body and throttling (unless the view already documents that code)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in self._implied_errors().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))

    def _implied_errors(self) -> dict[str, OpenApiResponse]:
        view = self.view
        implied = {}
        if any(issubclass(permission, IsAuthenticated) for permission in view.permission_classes):
            implied["401"] = UNAUTHENTICATED
            implied["403"] = FORBIDDEN  # signed in, but holding no role in the collectivité
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            implied["400"] = INVALID
        if self._is_list_view():
            if getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None):
                implied.setdefault("400", INVALID_FILTER)
            if self._get_paginator() is not None:
                implied["404"] = NO_SUCH_PAGE
        if "{" in self.path:
            implied["404"] = NOT_FOUND
        if getattr(view, "throttle_classes", None):
            implied["429"] = THROTTLED
        # Any request, whatever it asks: a NUL character in its path, query or headers, or a body too large
        # (config.inputs, config.errors).
        implied.setdefault("400", UNREADABLE)
        return implied
