"""Serializer fields for DOMAIN.md codes: an unknown code is refused with the allowed values listed."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def _allowed(field) -> str:
    return ", ".join(str(code) for code in field.choices)


class CodeField(serializers.ChoiceField):
    """One DOMAIN.md code; an unknown one is refused with the allowed values listed."""

    default_error_messages = {
        "invalid_choice": _("“{input}” is not an allowed code. Allowed values: {allowed}."),
    }

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            kwargs["allowed"] = _allowed(self)
        super().fail(key, **kwargs)


class OptionalCodeField(CodeField):
    """A code that may be absent: stored as an empty string, exchanged as null (DOMAIN.md: "null if none")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None or data == "":
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return value or None


class CodeListField(serializers.MultipleChoiceField):
    """A JSON list of DOMAIN.md codes, kept in the vocabulary's order."""

    default_error_messages = {
        "invalid_choice": _("“{input}” is not an allowed code. Allowed values: {allowed}."),
        "not_a_list": _('A list of codes is expected, for example [] or ["{example}"].'),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            kwargs["allowed"] = _allowed(self)
        if key == "not_a_list":
            kwargs["example"] = next(iter(self.choices))
        super().fail(key, **kwargs)

    def to_internal_value(self, data):
        values = set(super().to_internal_value(data))
        return [code for code in self.choices if code in values]

    def to_representation(self, value):
        return [str(code) for code in value or ()]
