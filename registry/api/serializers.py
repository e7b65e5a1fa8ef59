"""Serializers of the API v1: DOMAIN.md codes in and out, the derived classification read-only.

Code fields accept exactly the public codes; an unknown code is refused with the field named and the
allowed values listed. Related records (service, owner, tool) are looked up in the current collectivité
only, so another collectivité's record is refused as if it did not exist.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_choice_field, build_object_type
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import CodeField, CodeListField, OptionalCodeField

from .. import classification_inputs, qualification, rules
from ..choices import (
    AiActRisk,
    Checkpoint,
    CnilListType,
    DataClassification,
    HostingQualification,
    HostingZone,
    RgpdSensitivity,
    ToolCategory,
    ToolStatus,
    UseCaseStatus,
)
from ..models import Service, Tool, UseCase, User
from ..selectors import services_of, tools_of
from ..selectors.use_cases import LIST_COLUMNS
from ..services import DESCRIPTIVE_FIELDS

# Fields a client may write on a use case besides the classification inputs.
USE_CASE_WRITABLE_FIELDS = DESCRIPTIVE_FIELDS


def _label(name: str) -> dict:
    field = UseCase._meta.get_field(name)
    kwargs = {"label": field.verbose_name}
    if field.help_text:
        kwargs["help_text"] = field.help_text
    return kwargs


def _input_field(item: classification_inputs.Input) -> serializers.Field:
    """The API field of a classification input, from its declaration: an input with a default may be left out."""
    label = _label(item.name)
    if item.kind == classification_inputs.BOOL:
        return serializers.BooleanField(required=False, **label)
    if item.kind == classification_inputs.CODES:
        return CodeListField(choices=item.choices.choices, **label)
    if item.kind == classification_inputs.OPTIONAL_CODE:
        return OptionalCodeField(choices=item.choices.choices, **label)
    return CodeField(choices=item.choices.choices, required=item.required, **label)


class _CoherentInputs(serializers.Serializer):
    """Refuses incoherent classification answers as the form and the model do (`rules.incoherences`)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = getattr(self, "instance", None)
        values = {}
        for item in classification_inputs.INPUTS:
            value = attrs[item.name] if item.name in attrs else getattr(instance, item.name, item.default)
            if value is not None:
                values[item.name] = value
        errors = rules.incoherences(rules.UseCaseFacts.build(**values))
        if errors:
            raise serializers.ValidationError(
                {name: [str(message) for message in messages] for name, messages in errors.items()}
            )
        return attrs


# The facts the classification engine reasons on (DOMAIN.md section 2), one field per declared input.
ClassificationInputSerializer = type(
    "ClassificationInputSerializer",
    (_CoherentInputs,),
    {
        "__module__": __name__,
        "__doc__": "The facts the classification engine reasons on (DOMAIN.md section 2).",
        **{item.name: _input_field(item) for item in classification_inputs.INPUTS},
    },
)


class FactAnswerField(OptionalCodeField):
    """The answer to a plain-fact question (DOMAIN.md 3b): one code, or null (or "") while not answered."""


class FactAnswersField(CodeListField):
    """The answers to a plain-fact question that takes several (DOMAIN.md 3b): a list of codes, or null (or an empty
    list) while not answered."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        return super().to_internal_value(data) or None


class FactAnswersFieldSchema(OpenApiSerializerFieldExtension):
    """In the schema, the list may be null but its codes may not (drf-spectacular would let each item be null)."""

    target_class = FactAnswersField

    def map_serializer_field(self, auto_schema, direction):
        return build_array_type(build_choice_field(serializers.ChoiceField(choices=list(self.target.choices.items()))))


def _fact_field(fact: qualification.Fact) -> serializers.Field:
    """The API field of a plain fact, from its declaration: named as the fact, its codes, its question and help."""
    kwargs = {"choices": fact.choices.choices, "label": fact.question, "help_text": fact.help}
    return FactAnswersField(**kwargs) if fact.multiple else FactAnswerField(**kwargs)


# The plain facts of the guided qualification (DOMAIN.md 3b), one field per declared fact.
QualificationFactsSerializer = type(
    "QualificationFactsSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "__doc__": "The plain facts of the guided qualification (DOMAIN.md 3b); a fact not answered is null.",
        **{fact.name: _fact_field(fact) for fact in qualification.FACTS},
    },
)
FACT_FIELDS = qualification.FACT_NAMES
# Named in the schema (settings.SPECTACULAR_SETTINGS): another field is called "origin".
ORIGIN_CHOICES = qualification.FACTS_BY_NAME["origin"].choices.choices


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text=_("Stable code of the rule that applied."))
    kind = serializers.ChoiceField(choices=rules.KIND_ORDER, read_only=True)
    basis = serializers.CharField(
        read_only=True, help_text=_("The legal basis (article), or the collectivité's rule it comes from.")
    )
    explanation = serializers.CharField(read_only=True)
    supports = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The verdicts this reason supports (e.g. ai_act_risk, dpia_required, blocked)."),
    )
    is_policy = serializers.BooleanField(
        read_only=True, help_text=_("True for a rule of the collectivité's policy rather than of the law.")
    )
    applies_from = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("For an AI Act obligation: the date it applies from (AI Act dates of application)."),
    )
    pending = serializers.BooleanField(
        read_only=True,
        help_text=_("True while the obligation does not apply yet: its date of application is still to come."),
    )


class ClassificationSerializer(serializers.Serializer):
    """What the engine derives, each conclusion explained by a reason with its article."""

    ai_act_risk = serializers.ChoiceField(choices=AiActRisk.choices, read_only=True, label=_("AI Act risk"))
    ai_system = serializers.BooleanField(
        read_only=True,
        label=_("AI system"),
        help_text=_("False when the rules are written solely by people: the AI Act does not apply."),
    )
    rgpd_sensitivity = serializers.ChoiceField(
        choices=RgpdSensitivity.choices, read_only=True, label=_("RGPD sensitivity")
    )
    dpia_required = serializers.BooleanField(read_only=True, label=_("DPIA required"))
    fria_required = serializers.BooleanField(read_only=True, label=_("FRIA required"))
    eu_registration_required = serializers.BooleanField(read_only=True, label=_("EU database registration required"))
    crpa_mention_required = serializers.BooleanField(read_only=True, label=_("CRPA mention required"))
    public_register_required = serializers.BooleanField(read_only=True, label=_("public register entry required"))
    ethics_review_required = serializers.BooleanField(read_only=True, label=_("ethics review required"))
    blocked = serializers.BooleanField(read_only=True, label=_("blocked"))
    required_checkpoints = serializers.ListField(
        child=serializers.ChoiceField(choices=Checkpoint.choices), read_only=True, label=_("required checkpoints")
    )
    reasons = ReasonSerializer(many=True, read_only=True)


class ClassifyResultSerializer(ClassificationSerializer):
    """A classification computed now: with the EDPB criteria and CNIL types it found, and the rule set used."""

    edpb_criteria = serializers.ListField(
        child=serializers.ChoiceField(choices=list(rules.EDPB_CRITERIA_LABELS)),
        read_only=True,
        help_text=_("The criteria of the EDPB guidelines (WP248) the use meets."),
    )
    cnil_list_types = serializers.ListField(
        child=serializers.ChoiceField(choices=CnilListType.choices),
        read_only=True,
        help_text=_("The types of the CNIL's list (délibération 2018-327) the processing belongs to."),
    )
    ruleset = serializers.CharField(read_only=True, help_text=_("The version of the rules that classified it."))


class ServiceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ("id", "code", "name")


class UserSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "username", "full_name")

    def get_full_name(self, user) -> str:
        return str(user)


class ToolSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Tool
        fields = ("id", "name", "status")


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A record of the current collectivité, by id; any other id is refused as unknown."""

    default_error_messages = {
        "does_not_exist": _("No record with id {pk_value} in your collectivité."),
        "incorrect_type": _("An id (integer) is expected."),
    }

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        access = self.root.context.get("access") if self.root else None
        if access is None:
            return self.queryset.none()
        return self.scope(access)


def _members_of(access):
    return User.objects.filter(memberships__collectivite_id=access.collectivite_id).distinct()


# The guided qualification, read-only on a use case ---------------------------------------------------------------
FACT_CHOICES = [(fact.name, fact.question) for fact in qualification.FACTS]
QUESTION_REASONS = list(qualification.REASON_LABELS.items())
OVERRIDABLE_CHOICES = [(name, classification_inputs.BY_NAME[name].label) for name in qualification.OVERRIDABLE]
QUALIFICATION_SOURCES = (qualification.FACTS_SOURCE, qualification.OVERRIDE_SOURCE, qualification.STORED_SOURCE)


class QualificationQuestionSerializer(serializers.Serializer):
    """A question of the guided qualification the DPO must confirm, and why."""

    question = serializers.ChoiceField(choices=FACT_CHOICES, read_only=True, help_text=_("The fact asked."))
    reason = serializers.ChoiceField(
        choices=QUESTION_REASONS,
        read_only=True,
        help_text=_(
            "`unknown`: not known or left out; `contradictory`: answers that cannot both be true; `confirm`: "
            "the DPO confirms (several Annex III areas, municipal police, another area…)."
        ),
    )
    inputs = serializers.ListField(
        child=serializers.ChoiceField(choices=OVERRIDABLE_CHOICES),
        read_only=True,
        help_text=_("The legal inputs the answer decides."),
    )
    text = serializers.SerializerMethodField(help_text=_("The question as the questionnaire asks it."))

    def get_text(self, question) -> str:
        fact = qualification.FACTS_BY_NAME.get(question["question"])
        return str(fact.question) if fact else question.get("text", "")


class QualificationOverrideSerializer(serializers.Serializer):
    """A legal input the DPO (or the RSSI, on the security axis) set directly, with the written justification."""

    value = serializers.JSONField(read_only=True, help_text=_("The value set, which applies."))
    justification = serializers.CharField(read_only=True)
    derived = serializers.JSONField(
        read_only=True,
        help_text=_("What the facts derived when it was set (or when the DPO last confirmed it): kept beside it."),
    )
    by = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Who set it (user id)."))
    by_name = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class QualificationOverridesField(serializers.DictField):
    """The legal inputs set directly, by input (read only)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", QualificationOverrideSerializer())
        kwargs["read_only"] = True
        super().__init__(**kwargs)


class QualificationOverridesFieldSchema(OpenApiSerializerFieldExtension):
    """Described in answers only (drf-spectacular would otherwise look for the read-only override in requests)."""

    target_class = QualificationOverridesField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return None
        return build_object_type(additionalProperties=auto_schema.resolve_serializer(self.target.child, direction).ref)


class QualificationConfirmationSerializer(serializers.Serializer):
    """The DPO's confirmation of the questions that were not known or contradictory (null until given)."""

    questions = serializers.ListField(child=serializers.ChoiceField(choices=FACT_CHOICES), read_only=True)
    values = serializers.DictField(read_only=True, help_text=_("The legal inputs as they were when confirmed."))
    comment = serializers.CharField(read_only=True)
    by = serializers.IntegerField(read_only=True, allow_null=True)
    by_name = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        return super().to_representation(instance) if instance else None


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "enum": list(QUALIFICATION_SOURCES)}}
)
class QualificationSourcesField(serializers.SerializerMethodField):
    pass


class UseCaseSerializer(
    ClassificationSerializer, ClassificationInputSerializer, QualificationFactsSerializer, serializers.ModelSerializer
):
    """A use case: identity, ownership, the plain facts of the guided qualification (DOMAIN.md 3b), the legal
    inputs (DOMAIN.md 2) and the classification derived from them.

    Once its facts are answered, the legal inputs they decide follow them (`qualification_sources`): a value sent
    for such an input is replaced by what the facts derive, unless the DPO set it. A client sending only legal
    inputs keeps them as sent, and the use case has facts to complete (`facts_to_complete`)."""

    # Any record of the collectivité is read here (another one is unknown); the service saving the use case then
    # refuses, 403 on the field, a service or an owner the person may not give it (`permissions.assignable_*`).
    service = ScopedRelatedField(
        services_of,
        queryset=Service.objects.all(),
        label=UseCase._meta.get_field("service").verbose_name,
        help_text=_(
            "A service you may put a use case in: yours and those below the services you head (any, for the DPO, "
            "the RSSI and administrators). Another is refused (403); keeping the current one is always possible."
        ),
    )
    owner = ScopedRelatedField(
        _members_of,
        queryset=User.objects.all(),
        required=False,
        help_text=_(
            "Defaults to the person creating the use case. Someone who works in one of the services you may put a "
            "use case in, or heads it (anyone of the collectivité, for the DPO, the RSSI and administrators). "
            "Another is refused (403)."
        ),
    )
    tool = ScopedRelatedField(tools_of, queryset=Tool.objects.all(), required=False, allow_null=True)
    service_detail = ServiceSummarySerializer(source="service", read_only=True)
    owner_detail = UserSummarySerializer(source="owner", read_only=True)
    tool_detail = ToolSummarySerializer(source="tool", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=UseCaseStatus.choices, read_only=True)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_(
            "The version you read. Required to update: if someone saved the use case since, "
            "the update is refused (409) and nothing is overwritten."
        ),
    )
    audience = CodeField(
        choices=classification_inputs.BY_NAME["audience"].choices.choices,
        required=False,
        label=classification_inputs.BY_NAME["audience"].label,
        help_text=_("Required to create a use case without its facts; otherwise derived from `affects`."),
    )
    qualification_overrides = QualificationOverridesField(
        help_text=_("The legal inputs the DPO (or the RSSI) set directly, by input: they apply instead of the facts."),
    )
    qualification_confirmation = QualificationConfirmationSerializer(read_only=True, allow_null=True)
    qualification_questions = QualificationQuestionSerializer(
        many=True, read_only=True, help_text=_("The answers the DPO must confirm (not known or contradictory).")
    )
    qualification_to_confirm = serializers.BooleanField(
        read_only=True,
        help_text=_("The DPO has questions to confirm: no favourable opinion of the DPO until they are confirmed."),
    )
    facts_to_complete = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Facts of the questionnaire are not answered yet (a use case recorded through its legal inputs): the "
            "legal inputs they would decide keep their recorded value."
        ),
    )
    overrides_to_review = serializers.ListField(
        child=serializers.ChoiceField(choices=OVERRIDABLE_CHOICES),
        read_only=True,
        help_text=_("Inputs set by the DPO that the facts now derive differently: for the DPO to look at again."),
    )
    qualification_sources = QualificationSourcesField(
        help_text=_(
            "Where each legal input the facts decide comes from: `facts` (derived from the answers), `override` (set "
            "by the DPO or the RSSI) or `stored` (recorded before its facts were answered)."
        )
    )

    class Meta:
        model = UseCase
        fields = (
            "id",
            "reference",
            "collectivite",
            *USE_CASE_WRITABLE_FIELDS,
            "service_detail",
            "owner_detail",
            "tool_detail",
            "status",
            *FACT_FIELDS,
            *ClassificationInputSerializer._declared_fields,
            "qualification_sources",
            "qualification_overrides",
            "qualification_confirmation",
            "qualification_questions",
            "qualification_to_confirm",
            "facts_to_complete",
            "overrides_to_review",
            *ClassificationSerializer._declared_fields,
            "classification_ruleset",
            "version",
            "created_at",
            "updated_at",
            "submitted_at",
            "next_review_on",
        )
        read_only_fields = (
            "reference",
            "collectivite",
            "classification_ruleset",
            "created_at",
            "updated_at",
            "submitted_at",
            "next_review_on",
        )

    def get_qualification_sources(self, use_case) -> dict:
        return use_case.qualification_outcome().sources

    def get_fields(self):
        fields = super().get_fields()
        data = getattr(self, "initial_data", None)
        if self.instance is None and isinstance(data, dict):
            # Without the facts, nothing derives who is affected: to create a use case, the legal input is asked.
            fields["audience"].required = not any(data.get(name) not in (None, "", []) for name in FACT_FIELDS)
        return fields


# What a row of the register list carries (the API list's default `view=summary`): the columns the list loads
# (`selectors.use_case_rows`) and the service, owner and tool summaries; the texts, the classification's inputs and
# its reasons are the detail's.
USE_CASE_LIST_FIELDS = (
    *(name for name in LIST_COLUMNS if "__" not in name and name != "collectivite_id"),
    "service_detail",
    "owner_detail",
    "tool_detail",
)


class UseCaseListSerializer(serializers.ModelSerializer):
    """A row of the register: what the register's list shows, without the texts and the classification's
    reasons (`view=full`, or the use case itself, gives everything)."""

    service_detail = ServiceSummarySerializer(source="service", read_only=True)
    owner_detail = UserSummarySerializer(source="owner", read_only=True)
    tool_detail = ToolSummarySerializer(source="tool", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=UseCaseStatus.choices, read_only=True)

    class Meta:
        model = UseCase
        fields = USE_CASE_LIST_FIELDS
        read_only_fields = USE_CASE_LIST_FIELDS


class TransitionSerializer(serializers.Serializer):
    """Optional details of a status change: the version read (to refuse a stale action) and a comment."""

    version = serializers.IntegerField(min_value=1, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SuspendSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("Why the use case is suspended: recorded and shown to the people concerned. Required."),
    )


class PutIntoProductionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ClassifyRequestSerializer(ClassificationInputSerializer):
    """The classification inputs of a use case, and optionally the catalogue tool it would use."""

    tool = ScopedRelatedField(
        tools_of,
        queryset=Tool.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A tool of the catalogue: its status and the highest data classification it may receive count."),
    )


class ToolSerializer(serializers.ModelSerializer):
    category = CodeField(choices=ToolCategory.choices)
    hosting_zone = CodeField(choices=HostingZone.choices)
    hosting_qualification = CodeField(choices=HostingQualification.choices, required=False)
    status = CodeField(choices=ToolStatus.choices, required=False)
    max_data_classification = CodeField(choices=DataClassification.choices, required=False)

    class Meta:
        model = Tool
        fields = (
            "id",
            "collectivite",
            "name",
            "vendor",
            "category",
            "description",
            "url",
            "hosting_zone",
            "hosting_qualification",
            "provider_reuse_disabled",
            "status",
            "max_data_classification",
            "conditions",
            "created_at",
        )
        read_only_fields = ("collectivite", "created_at")


class ServiceSerializer(serializers.ModelSerializer):
    depth = serializers.IntegerField(read_only=True, help_text=_("0 for a direction, 1 for a service below it…"))

    class Meta:
        model = Service
        fields = ("id", "code", "name", "parent", "depth")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"}, trim_whitespace=False)


class PlausibleDateTimeField(serializers.DateTimeField):
    """A date and time this century: anything else is a typing mistake (and before 1911 Paris kept its local
    mean time, UTC+00:09:21, which RFC 3339 cannot write back)."""

    FIRST_YEAR, LAST_YEAR = 2000, 2099
    default_error_messages = {"out_of_range": _("Give a date between %(first)s and %(last)s.")}

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not self.FIRST_YEAR <= result.year <= self.LAST_YEAR:
            self.fail("out_of_range", first=self.FIRST_YEAR, last=self.LAST_YEAR)
        return result


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class UseCaseOutOfSightSerializer(serializers.Serializer):
    """The answer to a change, saved, that leaves the use case outside what you may see (typically: you handed your
    draft to someone else). Only what the change itself set is given back; the use case's own endpoint now answers
    404 to you."""

    visible = serializers.BooleanField(
        read_only=True, help_text=_("Always false: you no longer see this use case. (A use case's body never has it.)")
    )
    message = serializers.CharField(read_only=True, help_text=_("What happened, in a sentence."))
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    owner = serializers.IntegerField(read_only=True, source="owner_id", help_text=_("Who answers for it now."))
    version = serializers.IntegerField(read_only=True, help_text=_("The version the change saved."))

    def to_representation(self, instance):
        return {**super().to_representation(instance), "visible": False}
