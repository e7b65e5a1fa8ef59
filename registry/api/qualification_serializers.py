"""Serializers of the guided qualification's API (DOMAIN.md 3b): the facts in and the derived legal inputs out
(`POST /qualify/`), and the DPO's part on a use case (setting a legal input directly, lifting it, confirming).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import CodeField
from registry.api.serializers import (
    FACT_CHOICES,
    OVERRIDABLE_CHOICES,
    ClassifyResultSerializer,
    QualificationFactsSerializer,
    QualificationQuestionSerializer,
    ScopedRelatedField,
    _input_field,
)

from .. import classification_inputs, qualification
from ..models import Tool
from ..selectors import tools_of

# The legal inputs asked directly (DOMAIN.md 2: personal data, hosting, Art. 50 and Art. 5 answers); the others are
# derived from the facts.
GIVEN_INPUTS = tuple(item for item in classification_inputs.INPUTS if item.name not in qualification.DERIVED_INPUTS)
TEXT_MAX_LENGTH = 4000


# The facts of a use, the legal inputs asked directly and the tool: what `POST /qualify/` reads.
QualifyRequestSerializer = type(
    "QualifyRequestSerializer",
    (QualificationFactsSerializer,),
    {
        "__module__": __name__,
        "__doc__": (
            "The facts of a use (a fact left out counts as « Je ne sais pas »), the legal inputs asked directly "
            "(left out: their default) and optionally the catalogue tool it would use."
        ),
        **{item.name: _input_field(item) for item in GIVEN_INPUTS},
        "tool": ScopedRelatedField(
            tools_of,
            queryset=Tool.objects.all(),
            required=False,
            allow_null=True,
            help_text=_(
                "A tool of the catalogue: its hosting applies unless given; its status and the highest data "
                "classification it may receive count."
            ),
        ),
    },
)


class BecauseSerializer(serializers.Serializer):
    """One answer a derived legal input comes from."""

    fact = serializers.ChoiceField(choices=FACT_CHOICES, read_only=True)
    answer = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The answer's codes (`unknown` for a question left out)."),
    )
    text = serializers.CharField(read_only=True, help_text=_("The answer as the questionnaire words it."))


class DerivedInputSerializer(serializers.Serializer):
    """A legal input derived from the facts: its value, the answers it comes from and its article."""

    value = serializers.JSONField(read_only=True, help_text=_("The value, as the legal input's code (null: none)."))
    because = BecauseSerializer(many=True, read_only=True)
    article = serializers.CharField(read_only=True, help_text=_("The article the legal input stands for."))


class QualifyResultSerializer(serializers.Serializer):
    """What the facts derive, the classification of the resulting legal inputs, and what the DPO must confirm."""

    derived = serializers.DictField(
        child=DerivedInputSerializer(),
        read_only=True,
        help_text=_(
            "By legal input: what the facts derive, with the answers and the article behind it (also the personal "
            "data or Art. 5 practices an answer adds)."
        ),
    )
    classification = ClassifyResultSerializer(
        read_only=True, help_text=_("Exactly what `POST /classify/` answers for the resulting legal inputs.")
    )
    needs_dpo = serializers.ListField(
        child=serializers.ChoiceField(choices=FACT_CHOICES),
        read_only=True,
        help_text=_(
            "The questions whose answer the DPO must confirm: the most demanding plausible qualification applies "
            "meanwhile."
        ),
    )
    needs_dpo_details = QualificationQuestionSerializer(many=True, read_only=True)


# The DPO's part on a use case ------------------------------------------------------------------------------------
class QualificationOverrideSetSerializer(serializers.Serializer):
    """A legal input the DPO (the RSSI on the security axis) sets directly, with a written justification."""

    input = CodeField(choices=OVERRIDABLE_CHOICES, help_text=_("The legal input (DOMAIN.md section 2 code)."))
    value = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "Its value, as the use case's field takes it: a code, a list of codes, true or false; null for no Annex "
            "III point, no Art. 6(3) ground or an unknown technique."
        ),
    )
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Why: kept with the value, shown and exported. Required."),
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("The version you read: refused (409) if someone saved since.")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The value is checked as the use case's own field checks it, with the same messages.
        field = _input_field(classification_inputs.BY_NAME[attrs["input"]])
        try:
            attrs["value"] = field.run_validation(attrs.get("value"))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"value": error.detail}) from error
        return attrs


class QualificationLiftSerializer(serializers.Serializer):
    """Lifting a legal input set by the DPO (or the RSSI): the facts decide it again."""

    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("The version you read: refused (409) if someone saved since.")
    )


class QualificationConfirmSerializer(QualificationLiftSerializer):
    """The DPO confirms the qualification as the facts give it (the questions that were not known or
    contradictory)."""
