"""The AI use case: what it does, its classification fields (DOMAIN.md section 2) and what the engine derived."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from core.models import AppendOnlyModel
from core.validators import validate_codes

from .. import classification_inputs, qualification, rules
from ..choices import AiActRisk, Checkpoint, RgpdSensitivity, UseCaseStatus
from .organisation import Collectivite, Service, User
from .tools import Tool

# The inputs of the classification engine (declared once in `classification_inputs`).
CLASSIFICATION_INPUT_FIELDS = classification_inputs.NAMES
MULTI_CODE_FIELDS = classification_inputs.MULTI_CODE_FIELDS
# The engine's verdicts, stored so the register filters by them.
CLASSIFICATION_RESULT_FIELDS = rules.VERDICTS
# Everything the engine writes on the model.
CLASSIFICATION_OUTPUT_FIELDS = (
    *CLASSIFICATION_RESULT_FIELDS,
    "required_checkpoints",
    "classification_reasons",
    "classification_ruleset",
)

# The classification inputs as an abstract model, built from their declarations: the use case inherits them.
ClassificationInputs = type(
    "ClassificationInputs",
    (models.Model,),
    {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        **classification_inputs.model_fields(),
    },
)


# The plain facts of the guided qualification (DOMAIN.md 3b), from their declarations.
QualificationFacts = type(
    "QualificationFacts",
    (models.Model,),
    {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        **qualification.fact_model_fields(),
    },
)
FACT_FIELDS = qualification.FACT_NAMES
# What the qualification writes besides the legal inputs.
QUALIFICATION_OUTPUT_FIELDS = (
    "qualification_questions",
    "qualification_to_confirm",
    "facts_to_complete",
    "overrides_to_review",
)


class UseCase(ClassificationInputs, QualificationFacts):
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="use_cases", verbose_name=_("collectivité")
    )
    reference = models.CharField(_("reference"), max_length=30, editable=False)

    # Identity and ownership.
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(
        _("plain-language summary"),
        max_length=1000,
        help_text=_("Two or three sentences a resident would understand: what the AI does and for whom."),
    )
    description = models.TextField(_("description"), blank=True)
    purpose = models.TextField(_("purpose"), help_text=_("The need the use answers and the expected benefit."))
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="use_cases")
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_use_cases",
        help_text=_("The person accountable for the use (usually the head of the service that runs it)."),
    )
    tool = models.ForeignKey(
        Tool, verbose_name=_("tool"), on_delete=models.PROTECT, null=True, blank=True, related_name="use_cases"
    )
    status = models.CharField(
        _("status"), max_length=30, choices=UseCaseStatus.choices, default=UseCaseStatus.DRAFT, editable=False
    )
    start_date = models.DateField(_("start of use"), null=True, blank=True)
    end_date = models.DateField(_("end of use"), null=True, blank=True)
    lawful_basis = models.TextField(
        _("lawful basis"),
        blank=True,
        help_text=_("The legal basis of the processing (RGPD art. 6) or the text the mission comes from."),
    )
    processing_record_ref = models.CharField(
        _("record of processing reference"),
        max_length=100,
        blank=True,
        help_text=_("The entry of the record of processing activities (RGPD art. 30) this use belongs to."),
    )
    data_sources = models.TextField(_("data and sources"), blank=True)
    decisions_per_year = models.PositiveIntegerField(_("decisions per year"), null=True, blank=True)
    human_oversight = models.TextField(
        _("human oversight"), blank=True, help_text=_("Who checks what the AI produces, and how.")
    )

    # Derived by the classification engine (`services.use_case_classify`, when what it reads changes).
    ai_act_risk = models.CharField(
        _("AI Act risk"), max_length=20, choices=AiActRisk.choices, editable=False, db_index=True
    )
    ai_system = models.BooleanField(
        _("AI system"),
        default=True,
        editable=False,
        help_text=_("False when the rules are written solely by people: the AI Act does not apply."),
    )
    rgpd_sensitivity = models.CharField(
        _("RGPD sensitivity"), max_length=20, choices=RgpdSensitivity.choices, editable=False, db_index=True
    )
    dpia_required = models.BooleanField(_("DPIA required"), default=False, editable=False)
    fria_required = models.BooleanField(_("FRIA required"), default=False, editable=False)
    eu_registration_required = models.BooleanField(
        _("EU database registration required"), default=False, editable=False
    )
    crpa_mention_required = models.BooleanField(_("CRPA mention required"), default=False, editable=False)
    public_register_required = models.BooleanField(_("public register entry required"), default=False, editable=False)
    ethics_review_required = models.BooleanField(_("ethics review required"), default=False, editable=False)
    blocked = models.BooleanField(_("blocked"), default=False, editable=False)
    required_checkpoints = models.JSONField(_("required checkpoints"), default=list, editable=False)
    classification_reasons = models.JSONField(_("classification reasons"), default=list, editable=False)
    # The guided qualification: the DPO's (or the RSSI's) overrides of legal inputs, {input: {"value",
    # "justification", "by", "by_name", "at", "derived"}}; the DPO's confirmation of the questions, {"questions",
    # "values", "by", "by_name", "at", "comment"}; and what the last qualification left to do.
    qualification_overrides = models.JSONField(_("legal inputs set by the DPO"), default=dict, blank=True)
    qualification_confirmation = models.JSONField(_("qualification confirmed by the DPO"), default=dict, blank=True)
    qualification_questions = models.JSONField(_("questions for the DPO"), default=list, blank=True, editable=False)
    qualification_to_confirm = models.BooleanField(
        _("qualification to confirm"), default=False, editable=False, db_index=True
    )
    facts_to_complete = models.BooleanField(_("facts to complete"), default=False, editable=False, db_index=True)
    overrides_to_review = models.JSONField(_("overrides to review"), default=list, blank=True, editable=False)
    classification_ruleset = models.CharField(
        _("rule set"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_("The version of the classification rules that produced the stored classification."),
    )

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    next_review_on = models.DateField(_("next review"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "classification_reasons"])

    class Meta:
        verbose_name = _("AI use case")
        verbose_name_plural = _("AI use cases")
        ordering = ["-updated_at", "-id"]
        permissions = [("review_usecase", _("Can read the use case as a member of the ethics committee"))]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "reference"], name="use_case_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["collectivite", "status"]),
            models.Index(fields=["collectivite", "service"]),
            models.Index(fields=["collectivite", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.name}"

    # Classification ------------------------------------------------------------------------------
    def facts(self) -> rules.UseCaseFacts:
        values = {name: getattr(self, name) for name in CLASSIFICATION_INPUT_FIELDS}
        tool = self.tool if self.tool_id else None
        return rules.UseCaseFacts.build(
            **values,
            tool_name=tool.name if tool else None,
            tool_status=tool.status if tool else None,
            tool_max_classification=tool.max_data_classification if tool else None,
        )

    def answers(self) -> dict:
        """The plain facts answered so far (None: not answered)."""
        return {name: getattr(self, name) or None for name in FACT_FIELDS}

    def qualification_outcome(self) -> qualification.Outcome:
        """The legal inputs the facts, the overrides and the recorded answers give (without changing anything)."""
        stored = {name: getattr(self, name) for name in CLASSIFICATION_INPUT_FIELDS}
        given = {
            name: value for name, value in stored.items() if name not in qualification.DERIVED_INPUTS and value != ""
        }
        return qualification.qualify(self.answers(), given, overrides=self.qualification_overrides, stored=stored)

    def apply_qualification(self) -> qualification.Outcome:
        """Set the legal inputs from the facts (DOMAIN.md 3b) and the DPO's overrides, and what is left to do."""
        outcome = self.qualification_outcome()
        for name, value in outcome.inputs.items():
            setattr(self, name, "" if value is None and name in qualification.OPTIONAL_CODE_INPUTS else value)
        self.qualification_questions = [question.as_dict() for question in outcome.questions]
        # The DPO confirms the questions left open, and looks again at an override the facts no longer support.
        self.qualification_to_confirm = bool(outcome.overrides_to_review) or not qualification.confirmed(
            outcome.questions, outcome.inputs, self.qualification_confirmation
        )
        self.facts_to_complete = bool(outcome.missing)
        self.overrides_to_review = outcome.overrides_to_review
        return outcome

    def apply_classification(self, policy: rules.Policy | None = None) -> rules.Classification:
        """Qualify, then classify with the current rules; `policy`: the collectivité's, when the caller has it.

        In memory only, and never on save: the services call it through `services.use_case_classify` when what the
        engine reads changes."""
        self.apply_qualification()
        result = rules.classify(self.facts(), policy or self.collectivite.policy())
        for name in CLASSIFICATION_RESULT_FIELDS:
            setattr(self, name, getattr(result, name))
        self.required_checkpoints = list(result.required_checkpoints)
        self.classification_reasons = [reason.as_dict() for reason in result.reasons]
        self.classification_ruleset = result.ruleset
        return result

    def verdicts(self) -> dict:
        """The stored verdicts, as `rules.verdict_changes` compares them."""
        return {name: getattr(self, name) for name in rules.VERDICT_FIELDS}

    @property
    def reasons(self) -> list[rules.Reason]:
        return rules.reasons_from_stored(self.classification_reasons)

    @property
    def checkpoint_items(self) -> list[dict]:
        labels = dict(Checkpoint.choices)
        return [
            {"code": code, "label": labels.get(code, code), "basis": str(rules.CHECKPOINT_BASIS.get(code, ""))}
            for code in self.required_checkpoints
        ]

    # Validation ----------------------------------------------------------------------------------
    def clean(self):
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        for field_name, choices in MULTI_CODE_FIELDS.items():
            try:
                validate_codes(
                    getattr(self, field_name), choices.choices, self._meta.get_field(field_name).verbose_name
                )
            except ValidationError as error:
                add(field_name, error.messages[0])
        # Answers that contradict each other (the form and the API refuse the same), judged on the valid answers.
        valid = {name: getattr(self, name) for name in CLASSIFICATION_INPUT_FIELDS if name not in errors}
        for field_name, messages in rules.incoherences(rules.UseCaseFacts.build(**valid)).items():
            for message in messages:
                add(field_name, message)
        if self.end_date and self.start_date and self.end_date < self.start_date:
            add("end_date", _("The end of use cannot come before its start."))
        if self.collectivite_id:
            if self.service_id and self.service.collectivite_id != self.collectivite_id:
                add("service", _("This service belongs to another collectivité."))
            if self.tool_id and self.tool.collectivite_id != self.collectivite_id:
                add("tool", _("This tool belongs to another collectivité's catalogue."))
        if errors:
            raise ValidationError(errors)


class UseCaseEvent(AppendOnlyModel):
    """Append-only trail of what happened to a use case: creation, edits, status transitions."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        SUBMITTED = "submitted", _("Submitted for review")
        WITHDRAWN = "withdrawn", _("Withdrawn from review")
        RECORDED = "recorded", _("Recorded as an existing use")
        RECLASSIFIED = "reclassified", _("Reclassified")
        IN_PRODUCTION = "in_production", _("Put into production")
        SUSPENDED = "suspended", _("Suspended")
        RESUMED = "resumed", _("Resumed after a suspension")
        RETIRED = "retired", _("Retired")
        OPINION = "opinion", _("Opinion given")
        RETURNED = "returned", _("Returned for changes")
        TO_COMMITTEE = "to_committee", _("Sent to the ethics committee")
        SCHEDULED = "scheduled", _("Put on a committee agenda")
        UNSCHEDULED = "unscheduled", _("Taken off a committee agenda")
        COMMITTEE_OPINION = "committee_opinion", _("Committee opinion recorded")
        DECIDED = "decided", _("Decision")
        STALE = "stale", _("Sent back for review after a material change")
        REREVIEW = "rereview", _("Periodic re-review opened")
        REWORKED = "reworked", _("Reopened as a draft")
        PUBLISHED = "published", _("Published in the public register")
        UNPUBLISHED = "unpublished", _("Withdrawn from the public register")
        QUALIFIED = "qualified", _("Legal answer set by the DPO")
        UNQUALIFIED = "unqualified", _("Legal answer of the DPO lifted")
        QUALIFICATION_CONFIRMED = "qualification_ok", _("Qualification confirmed by the DPO")

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("use case"))
    review = models.ForeignKey(
        "registry.Review",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("review"),
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    from_status = models.CharField(
        max_length=30, choices=UseCaseStatus.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=30, choices=UseCaseStatus.choices, blank=True, verbose_name=_("to status"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    # Structured details of a reclassification: {"cause", "ruleset", "changes": [{"field", "old", "new"}]}.
    details = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))
    # Claimed by the notification task so that its e-mails go out once.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("notified at"))

    class Meta:
        verbose_name = _("use case event")
        verbose_name_plural = _("use case events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.use_case.reference} {self.kind}"


class UseCaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(UseCase, on_delete=models.CASCADE, verbose_name=_("content object"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("use case permission of a user")
        verbose_name_plural = _("use case permissions of users")


class UseCaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(UseCase, on_delete=models.CASCADE, verbose_name=_("content object"))

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("use case permission of a group")
        verbose_name_plural = _("use case permissions of groups")
