"""The guided use-case form: every editable field, in steps, with plain-language help on each question.

A head of service answers plain facts (DOMAIN.md 3b, `qualification.FACTS`) and the few section-2 answers that stay
direct (prohibited practices, transparency features, data, hosting); the legal inputs the facts derive are not asked
(the model derives them, the DPO may set them from the use case's expert view). The form only validates what was
typed; saving goes through `services.use_case_create` / `use_case_update`, and the live classification preview
qualifies and classifies whatever part of it is valid. `GuidedFormMixin` (steps, labels, explained options, error
summary) also serves the declaration form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import construct_instance
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import get_access

from . import classification_inputs, permissions, qualification, rules
from .classification_inputs import INPUTS
from .models import Service, Tool, UseCase, User
from .qualification import FACTS, FACTS_BY_NAME
from .services import EDITABLE_FIELDS


class Step:
    def __init__(self, slug: str, title, intro, fields: tuple[str, ...]):
        self.slug, self.title, self.intro, self.fields = slug, title, intro, fields


# The legal inputs a head of service still answers directly; the facts derive the others (DOMAIN.md 3b).
ASKED_INPUTS = tuple(item.name for item in INPUTS if item.name not in qualification.DERIVED_INPUTS)
FACT_NAMES = qualification.FACT_NAMES
# What the form edits: the descriptive fields, the facts and the direct answers.
FORM_FIELDS = tuple(name for name in EDITABLE_FIELDS if name not in qualification.DERIVED_INPUTS)

STEPS = (
    Step(
        "identity",
        _("Identity"),
        _("What the use is, who runs it and with which tool."),
        ("name", "summary", "purpose", "description", "service", "owner", "tool", "start_date", "end_date"),
    ),
    Step(
        "tool",
        _("What the tool does"),
        _("What the tool does and produces, where it comes from, and who is affected by its results."),
        # The prohibited practices first, in words (DOMAIN.md 3b).
        (
            "art5_practices",
            "produces_by",
            "keeps_learning_in_use",
            "origin",
            "ce_marked_product",
            "art50_features",
            "affects",
        ),
    ),
    Step(
        "decisions",
        _("Decisions about people"),
        _("In which areas the tool is used, and what weight its result has in decisions about people."),
        tuple(fact.name for fact in FACTS if fact.step == "decisions"),
    ),
    Step(
        "data",
        classification_inputs.GROUPS_BY_SLUG["data"].title,
        classification_inputs.GROUPS_BY_SLUG["data"].intro,
        (
            "personal_data_categories",
            "sensitive_contexts",
            "large_scale",
            "dataset_matching",
            "max_data_classification",
            "data_sources",
            "lawful_basis",
            "processing_record_ref",
        ),
    ),
    Step(
        "hosting",
        classification_inputs.GROUPS_BY_SLUG["hosting"].title,
        classification_inputs.GROUPS_BY_SLUG["hosting"].intro,
        ("hosting_zone", "hosting_qualification", "provider_reuse_disabled", "human_oversight", "decisions_per_year"),
    ),
    Step(
        "summary",
        _("Summary"),
        _("Check your answers and the classification, then save."),
        (),
    ),
)

# Fields whose change moves the classification (the live preview only listens to these).
PREVIEW_FIELDS = (*ASKED_INPUTS, *FACT_NAMES, "tool")

HELP = {
    "name": _("A short name, e.g. “Drafting replies to residents' letters”."),
    "summary": _(
        "Two or three sentences a resident would understand: what the AI does and for whom. "
        "It may be published in the public register."
    ),
    "purpose": _("The need the use answers and the expected benefit, e.g. “answer residents within a week”."),
    "description": _("How it works in practice: who uses it, at which step, what is done with its result."),
    "service": _("The service where the AI is used."),
    "owner": _("The person accountable for the use (usually the head of the service that runs it)."),
    "tool": _(
        "Choose it from the collectivité's catalogue; its status is shown next to its name. A prohibited tool "
        "blocks the use. If the tool is not in the catalogue, leave this empty and name it in the description."
    ),
    "start_date": _("Planned or actual date of first use."),
    "end_date": _("Leave empty if the use has no planned end."),
    "data_sources": _("Which data the AI uses and where it comes from (software, files, forms, the web…)."),
    "lawful_basis": _(
        "The legal basis of the processing (RGPD, art. 6: public-interest mission, legal obligation…) or the "
        "text the mission comes from. The DPO can help."
    ),
    "processing_record_ref": _(
        "The entry of the record of processing activities (RGPD, art. 30) this use belongs to, e.g. “T-042”."
    ),
    "human_oversight": _(
        "Who checks what the AI produces, and how, e.g. “an agent rereads every reply before sending it”."
    ),
    "decisions_per_year": _("If the use founds individual decisions: roughly how many per year."),
    **{item.name: item.help for item in INPUTS},
    **{fact.name: fact.help for fact in FACTS},
    "art5_practices": _(
        "These practices are forbidden in the European Union (AI Act, art. 5). Almost every use does none of them: "
        "if the tool does one, the use is blocked."
    ),
}

LABELS = {
    "name": _("Name of the use"),
    "summary": _("Plain-language summary"),
    "purpose": _("Purpose"),
    "description": _("Description"),
    "service": _("Service"),
    "owner": _("Person accountable"),
    "tool": _("AI tool"),
    "start_date": _("Start of use"),
    "end_date": _("End of use"),
    "data_sources": _("Data and sources"),
    "lawful_basis": _("Lawful basis"),
    "processing_record_ref": _("Record of processing reference"),
    "human_oversight": _("Human oversight"),
    "decisions_per_year": _("Decisions per year"),
    **{item.name: item.question for item in INPUTS},
    **{fact.name: fact.question for fact in FACTS},
    "art5_practices": _("Does the tool do any of these things?"),
}

NO_PRACTICE = "none"  # the answer "none of these practices" (the model stores an empty list)

# Plain-language explanation of each option of a question, shown under the option. The facts' answers show their
# example instead (`OPTION_EXAMPLES`).
OPTION_HELP = {item.name: item.option_help for item in INPUTS if item.option_help}
# The prohibited practices are asked in words: the plain description is the answer, the legal name its help.
_prohibited_by = lazy(
    lambda label: gettext("Prohibited by the AI Act, art. 5(1): %(practice)s") % {"practice": label}, str
)
OPTION_HELP["art5_practices"] = {
    code: _prohibited_by(label) for code, label in classification_inputs.BY_NAME["art5_practices"].choices.choices
}
OPTION_EXAMPLES = {fact.name: {option.code: option.example for option in fact.options} for fact in FACTS}

# Groups of options shown under a heading: (heading, explanation, codes).
OPTION_GROUPS = {item.name: item.option_groups for item in INPUTS if item.option_groups}
OPTION_GROUPS["policy_areas"] = (
    (
        _("Decisions about people"),
        "",
        (
            "social_benefits",
            "recruitment",
            "staff_decisions",
            "education_access",
            "education_assessment",
            "emergency_calls",
        ),
    ),
    (_("Infrastructure"), "", ("critical_infrastructure_safety", "infrastructure_operations")),
    (
        _("Recognising people"),
        "",
        ("biometric_identification", "biometric_categorisation", "emotion_recognition"),
    ),
    (_("Police and elections"), "", ("law_enforcement", "elections")),
    (_("Everyday uses"), "", ("public_information", "public_communication", "internal_work", "other")),
)


def _follow_up(fact) -> dict:
    """When a follow-up question is asked, as the page's script reads it: {"field": the earlier question, "values":
    the answers that open it, or "except": the answers that alone leave it closed}. It says what
    `qualification.is_open` decides (a test holds them together)."""
    earlier, answers = fact.follows
    if fact.name == "task_kind":  # asked for an Annex III area only
        codes = FACTS_BY_NAME[earlier].codes
        return {"field": earlier, "except": [code for code in codes if code not in qualification.ANNEX_III_AREAS]}
    if fact.name == "keeps_learning_in_use":  # not asked for rules written by people alone
        return {"field": earlier, "except": ["written_rules"]}
    if not answers:
        return {"field": earlier, "except": [qualification.NO]}
    return {"field": earlier, "values": list(answers)}


# Questions that only make sense after some answers to an earlier question of the same step: shown nested under it
# and, with JavaScript, only once such an answer is given. Without JavaScript they all show, each saying when it is
# asked. field -> `_follow_up`.
FOLLOW_UPS = {fact.name: _follow_up(fact) for fact in FACTS if fact.follows}

# Answers that exclude every other answer of their question ("none of these").
EXCLUSIVE_OPTIONS = {"art5_practices": (NO_PRACTICE,), "sensitive_contexts": ("none",)}

ANSWER_REQUIRED = _("Answer this question. If you are not sure, choose “I don't know”: the DPO will be asked.")
ANSWER_MESSAGES = {
    "policy_areas": _("Tick at least one area. If none fits, tick “Another area”."),
    "art5_practices": _("Tick “No, the tool does none of these things” if it does none of them."),
}


def _input_form_field(item: classification_inputs.Input) -> forms.Field:
    """The form field of a classification input, from its declaration."""
    widget = item.form_widget
    if item.kind == classification_inputs.BOOL:
        return forms.BooleanField(required=False)
    if item.kind == classification_inputs.CODES:
        return forms.MultipleChoiceField(
            choices=item.choices.choices, widget=forms.CheckboxSelectMultiple, required=False
        )
    if item.name == "annex_iii_point":
        return forms.ChoiceField(choices=classification_inputs.annex_iii_choices, required=False)
    options = list(item.choices.choices)
    if item.kind == classification_inputs.OPTIONAL_CODE:
        options = [("", item.empty_label), *options]
    # An answer with a default may be left out: it then takes its default (DOMAIN.md section 3b).
    return forms.ChoiceField(
        choices=options,
        widget=forms.RadioSelect if widget == classification_inputs.RADIO else forms.Select,
        required=item.required,
        initial=item.default,
    )


def _fact_form_field(fact: qualification.Fact) -> forms.Field:
    """The form field of a plain fact (DOMAIN.md 3b). A question always asked is required; a follow-up is required
    only when the answers before it open it (`UseCaseForm.clean`)."""
    messages = {"required": ANSWER_MESSAGES.get(fact.name, ANSWER_REQUIRED)}
    choices = [(option.code, option.label) for option in fact.options]
    if fact.multiple:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, required=not fact.follows, error_messages=messages
        )
    return forms.ChoiceField(
        choices=choices, widget=forms.RadioSelect, required=not fact.follows, error_messages=messages
    )


def _art5_form_field() -> forms.Field:
    """The prohibited practices, asked first and in words, with an explicit "none of these" (DOMAIN.md 3b)."""
    item = classification_inputs.BY_NAME["art5_practices"]
    choices = [(code, item.option_help[code]) for code in item.choices.values]
    return forms.MultipleChoiceField(
        choices=[*choices, (NO_PRACTICE, _("No, the tool does none of these things"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ANSWER_MESSAGES["art5_practices"]},
    )


class GuidedBoundField(BoundField):
    """A bound field that knows how the guided form shows it: as a group of options, a checkbox or a box."""

    @property
    def is_option_group(self) -> bool:
        return isinstance(self.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)

    @property
    def is_checkbox(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)

    @property
    def is_multiple(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxSelectMultiple)

    @property
    def anchor_id(self) -> str:
        """The element the error summary links to (the first option of a group)."""
        if self.is_option_group:
            return f"{self.auto_id}_0"
        return self.auto_id

    @property
    def step(self) -> int:
        steps = enumerate(self.form.guided_steps, start=1)
        return next((number for number, step in steps if self.name in step.fields), 1)

    @property
    def moves_classification(self) -> bool:
        return self.name in self.form.preview_fields

    @cached_property
    def follows(self) -> dict | None:
        """The earlier question this one follows up (`FOLLOW_UPS`), the answers that open it (`values`) or that alone
        leave it closed (`except`), and when it is asked, in words (for a page without JavaScript)."""
        spec = self.form.follow_ups.get(self.name)
        if spec is None:
            return None
        earlier = self.form.fields.get(spec["field"])
        labels = dict(earlier.choices) if earlier is not None else {}
        if "values" in spec:
            answers = " / ".join(str(labels.get(code, code)) for code in spec["values"])
            when = gettext("Asked only if you answered above: %(answers)s.") % {"answers": answers}
        else:
            answers = " / ".join(str(labels.get(code, code)) for code in spec["except"])
            when = gettext("Not asked if your only answer above is: %(answers)s.") % {"answers": answers}
        return {
            "field": spec["field"],
            "values": " ".join(spec.get("values", ())),
            "except": " ".join(spec.get("except", ())),
            "when": when,
        }

    @property
    def exclusive(self) -> tuple[str, ...]:
        """The answers that exclude every other answer of this question ("none of these")."""
        return self.form.exclusive_options.get(self.name, ())

    @property
    def to_complete(self) -> bool:
        """A question added since the use case was recorded, not answered yet ("facts to complete")."""
        return self.name in self.form.facts_to_complete and self.value() in (None, "", [], ())

    @cached_property
    def option_groups(self) -> list[dict]:
        """The options, each with its explanation or its example, under their headings (one unnamed group if
        none)."""
        helps = self.form.option_help.get(self.name, {})
        examples = self.form.option_examples.get(self.name, {})

        def help_of(code: str) -> str:
            if examples.get(code):
                return gettext("For example: %(example)s") % {"example": examples[code]}
            return helps.get(code, "")

        options = {
            str(widget.data["value"]): {"widget": widget, "help": help_of(str(widget.data["value"]))}
            for widget in self.subwidgets
        }
        groups = self.form.option_headings.get(self.name)
        if not groups:
            return [{"heading": "", "help": "", "options": list(options.values())}]
        return [
            {"heading": heading, "help": help_text, "options": [options[code] for code in codes if code in options]}
            for heading, help_text, codes in groups
        ]


DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class PersonChoiceField(forms.ModelChoiceField):
    """A person of the collectivité, by name and job title."""

    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name() or user.username
        return f"{name} — {user.job_title}" if user.job_title else name


class GuidedFormMixin:
    """A form shown in steps (the use case, the shadow-AI declaration), with labels, help, explained options
    and a summary of the errors linking to each field. A form sets the attributes below and calls
    `dress_fields()` at the end of its `__init__`."""

    bound_field_class = GuidedBoundField
    use_required_attribute = False  # the steps hide fields: the server validates, the summary lists errors

    guided_steps: tuple[Step, ...] = ()
    field_labels: dict = {}
    field_help: dict = {}
    option_help: dict = {}  # field name -> {option code: explanation}
    option_headings: dict = {}  # field name -> ((heading, explanation, codes), ...)
    option_examples: dict = {}  # field name -> {option code: example}
    preview_fields: tuple[str, ...] = ()  # the fields whose change moves the classification
    follow_ups: dict = {}  # field name -> {"field": earlier field name, "values" or "except": answers}
    exclusive_options: dict = {}  # field name -> answers that exclude the others
    facts_to_complete: frozenset = frozenset()  # questions added since the record was made, not answered yet

    def dress_fields(self) -> None:
        """Labels, help texts and the CSS classes of the widgets; required fields say so to screen readers."""
        for name, field in self.fields.items():
            if name in self.field_labels:
                field.label = self.field_labels[name]
            if name in self.field_help:
                field.help_text = self.field_help[name]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select) and not isinstance(
                widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")
            if field.required and not isinstance(widget, forms.HiddenInput):
                widget.attrs["aria-required"] = "true"

    @property
    def steps(self) -> list[dict]:
        """The steps with their bound fields and whether any of them has an error."""
        result = []
        for number, step in enumerate(self.guided_steps, start=1):
            fields = [self[name] for name in step.fields if name in self.fields]
            result.append(
                {
                    "number": number,
                    "slug": step.slug,
                    "title": step.title,
                    "intro": step.intro,
                    "fields": fields,
                    "has_errors": self.is_bound and any(field.errors for field in fields),
                }
            )
        return result

    @property
    def first_error_step(self) -> int | None:
        return next((step["number"] for step in self.steps if step["has_errors"]), None)

    @property
    def error_summary(self) -> list[dict]:
        """Every error, in the order of the form, with the element it links to."""
        items = [{"label": "", "message": message, "anchor": ""} for message in self.non_field_errors()]
        for step in self.guided_steps:
            for name in step.fields:
                if name in self.errors:
                    bound = self[name]
                    for message in bound.errors:
                        items.append({"label": bound.label, "message": message, "anchor": bound.anchor_id})
        return items


class ToolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, tool: Tool) -> str:
        return _("%(name)s (%(vendor)s) — %(status)s, data up to %(level)s") % {
            "name": tool.name,
            "vendor": tool.vendor,
            "status": tool.get_status_display(),
            "level": tool.max_data_classification,
        }


INDENT = "\u2003"  # an em space per level shows the tree of services in the list


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, service: Service) -> str:
        return INDENT * service.depth + str(service)


class UseCaseForm(GuidedFormMixin, forms.ModelForm):
    """The editable fields of a use case: the facts of the guided qualification and the direct answers, not the legal
    inputs the facts derive. Built for a collectivité and a user's access (see __init__)."""

    guided_steps = STEPS
    field_labels = LABELS
    field_help = HELP
    option_help = OPTION_HELP
    option_examples = OPTION_EXAMPLES
    option_headings = OPTION_GROUPS
    preview_fields = PREVIEW_FIELDS
    follow_ups = FOLLOW_UPS
    exclusive_options = EXCLUSIVE_OPTIONS

    service = ServiceChoiceField(
        queryset=Service.objects.none(),
        error_messages={
            "invalid_choice": _("You cannot create or move a use case in this service: choose one of yours.")
        },
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Choose a member of the collectivité.")},
    )
    tool = ToolChoiceField(
        queryset=Tool.objects.none(),
        required=False,
        empty_label=_("— Not in the catalogue / no tool —"),
        error_messages={"invalid_choice": _("Choose a tool of the collectivité's catalogue.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = UseCase
        fields = FORM_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "data_sources": forms.Textarea(attrs={"rows": 3}),
            "lawful_basis": forms.Textarea(attrs={"rows": 2}),
            "human_oversight": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, collectivite, user, **kwargs):
        """The services and people offered are those `user` may give the use case (`permissions.assignable_services`
        and `assignable_owners`, the rule the services apply on save); its current ones stay offered."""
        kwargs.setdefault("instance", UseCase(collectivite=collectivite))
        kwargs["instance"].collectivite = collectivite
        super().__init__(*args, **kwargs)
        self.collectivite = collectivite
        self.outcome: qualification.Outcome | None = None
        instance = self.instance
        editing = instance.pk is not None

        access = get_access(user, collectivite)
        saved = instance if editing else None
        self.fields["service"].queryset = permissions.assignable_services(access, use_case=saved).order_by("path")
        self.fields["owner"].queryset = permissions.assignable_owners(access, use_case=saved).order_by(
            "last_name", "first_name", "username"
        )
        if not access.edits_all:
            self.fields["owner"].error_messages["invalid_choice"] = _(
                "Choose someone who works in one of your services or heads it."
            )
        self.fields["tool"].queryset = Tool.objects.filter(collectivite=collectivite).order_by("name")

        if editing:
            self.fields["version"].required = True
            self.fields["version"].initial = instance.version
            # No practice recorded reads as the answer "none of these things".
            if not instance.art5_practices:
                self.initial["art5_practices"] = [NO_PRACTICE]
            # A use case recorded before the questionnaire (or through its legal answers): the facts its recorded
            # legal answers imply are shown, the others are asked (DOMAIN.md 3b, "facts to complete").
            answers = instance.answers()
            self.facts_to_complete = frozenset(qualification.missing_facts(answers))
            if self.facts_to_complete:
                recorded = {name: getattr(instance, name) for name in classification_inputs.NAMES}
                implied = qualification.facts_implied_by(recorded)
                for name, value in implied.items():
                    if answers.get(name) is None:
                        self.initial[name] = value
        else:
            # `self.initial` (from the empty instance) wins over field.initial: set the proposals there.
            self.initial["owner"] = user.pk
            offered = list(self.fields["service"].queryset[:2])
            if len(offered) == 1:
                self.initial["service"] = offered[0].pk

        self.dress_fields()

    # Presentation --------------------------------------------------------------------------------
    def tool_hosting(self) -> dict:
        """What the catalogue says of each tool's hosting, so that choosing a tool fills the hosting step."""
        return {
            str(tool.pk): {
                "hosting_zone": tool.hosting_zone,
                "hosting_qualification": tool.hosting_qualification,
                "provider_reuse_disabled": tool.provider_reuse_disabled,
            }
            for tool in self.fields["tool"].queryset
        }

    # Validation ----------------------------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        practices = cleaned.get("art5_practices")
        if isinstance(practices, list) and NO_PRACTICE in practices and len(practices) > 1:
            self.add_error(
                "art5_practices",
                _("You ticked “none of these things” and a practice: untick one of them."),
            )
        # An answer left out takes its default (DOMAIN.md section 3b), as the model and the API do.
        for item in INPUTS:
            if item.name not in self.fields:
                continue
            if item.kind == classification_inputs.CODE and item.default is not None and cleaned.get(item.name) == "":
                cleaned[item.name] = item.default
            # Ticked codes are kept in the vocabulary's order, not the page's (its headings group them otherwise):
            # the same answers always make the same list, so sending the form back unchanged changes nothing.
            # ("none of these practices" is no code: the model stores an empty list.)
            if item.multiple and isinstance(cleaned.get(item.name), list):
                cleaned[item.name] = [code for code in item.choices.values if code in cleaned[item.name]]
        self._clean_facts(cleaned)
        return cleaned

    def _clean_facts(self, cleaned: dict) -> None:
        """The answers as the model stores them (codes in the declaration's order, nothing for a question left
        closed), and every follow-up the answers open answered: « Je ne sais pas » is an answer."""
        for fact in FACTS:
            value = cleaned.get(fact.name)
            if fact.multiple and isinstance(value, list):
                value = [code for code in fact.codes if code in value]
                if len(value) > 1:
                    # "none of these" beside another answer: the other answer counts.
                    value = [code for code in value if code not in EXCLUSIVE_OPTIONS.get(fact.name, ())]
                cleaned[fact.name] = value or None
        answers = {fact.name: cleaned.get(fact.name) or None for fact in FACTS if fact.name not in self.errors}
        for fact in FACTS:
            if not fact.follows or fact.name in self.errors or not answers.get(fact.follows[0]):
                continue  # an earlier question left out says so itself
            if qualification.is_open(fact.name, answers):
                if not answers.get(fact.name):
                    self.add_error(fact.name, self.fields[fact.name].error_messages["required"])
            else:
                # Closed by the answers before it: not asked, so nothing is recorded (the page keeps it, in case
                # the person changes their mind).
                cleaned[fact.name] = None if fact.multiple else ""

    def _post_clean(self):
        """As `ModelForm._post_clean`, with the legal inputs derived from the facts before the model checks that the
        answers hold together: they are what the use case will record (`UseCase.apply_qualification`)."""
        opts = self._meta
        exclude = self._get_validation_exclusions()
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
        self.outcome = self.instance.apply_qualification()
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            self._update_errors(error)
        if self._validate_unique:
            self.validate_unique()

    def _update_errors(self, errors):
        """The model's message on a legal input the facts derive goes next to the question it comes from."""
        if hasattr(errors, "error_dict"):
            placed: dict = {}
            for name, messages in errors.error_dict.items():
                target = name
                if name != NON_FIELD_ERRORS and name not in self.fields:
                    sources = qualification.DERIVED_FROM.get(name, ())
                    target = next((fact for fact in sources if fact in self.fields), NON_FIELD_ERRORS)
                placed.setdefault(target, []).extend(messages)
            errors = ValidationError(placed)
        super()._update_errors(errors)

    # Data for the services and the engine --------------------------------------------------------
    def service_data(self) -> dict:
        """The cleaned values the services expect (model field values, FK fields as instances)."""
        return {name: self.cleaned_data[name] for name in FORM_FIELDS if name in self.cleaned_data}

    def facts(self) -> rules.UseCaseFacts:
        """The classification facts of whatever was validly typed, qualified (`_post_clean`): invalid or missing
        answers are left out."""
        return self.instance.facts()

    def preview_gaps(self) -> dict[str, list]:
        """The classification answers left out of the preview: not given yet (their labels), or not valid or
        contradicting another answer (`{"label", "messages"}`, so the person reads why before saving)."""
        gaps = {"missing": [], "invalid": []}
        if not self.is_bound:
            return gaps
        for name in PREVIEW_FIELDS:
            if name in self.errors:
                bound = self[name]
                if bound.data in (None, "", [], ()):
                    gaps["missing"].append(str(bound.label))
                else:
                    gaps["invalid"].append({"label": str(bound.label), "messages": [str(m) for m in bound.errors]})
        return gaps


# The direct answers' fields, from their declarations, and the facts' (DOMAIN.md 3b).
UseCaseForm.base_fields.update({name: _input_form_field(classification_inputs.BY_NAME[name]) for name in ASKED_INPUTS})
UseCaseForm.base_fields["art5_practices"] = _art5_form_field()
UseCaseForm.base_fields.update({fact.name: _fact_form_field(fact) for fact in FACTS})
