"""The guided use-case form: every editable field, in steps, with plain-language help on each legal question.

The form only validates what was typed; saving goes through `services.use_case_create` / `use_case_update`,
and the live classification preview builds `rules.UseCaseFacts` from whatever part of it is valid.
`GuidedFormMixin` (steps, labels, explained options, error summary) also serves the declaration form.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import classification_inputs, rules
from .classification_inputs import INPUTS, in_group
from .models import Service, Tool, UseCase, User
from .models.use_cases import CLASSIFICATION_INPUT_FIELDS
from .services import EDITABLE_FIELDS


class Step:
    def __init__(self, slug: str, title, intro, fields: tuple[str, ...]):
        self.slug, self.title, self.intro, self.fields = slug, title, intro, fields


# The descriptive fields each step asks besides the classification inputs of its group (`classification_inputs`).
_STEP_EXTRAS = {
    "data": ("data_sources", "lawful_basis", "processing_record_ref"),
    "hosting": ("human_oversight", "decisions_per_year"),
}

STEPS = (
    Step(
        "identity",
        _("Identity"),
        _("What the use is, who runs it and with which tool."),
        ("name", "summary", "purpose", "description", "service", "owner", "tool", "start_date", "end_date"),
    ),
    *(
        Step(group.slug, group.title, group.intro, (*in_group(group.slug), *_STEP_EXTRAS.get(group.slug, ())))
        for group in classification_inputs.GROUPS
    ),
    Step(
        "summary",
        _("Summary"),
        _("Check your answers and the classification, then save."),
        (),
    ),
)

# Fields whose change moves the classification (the live preview only listens to these).
PREVIEW_FIELDS = (*CLASSIFICATION_INPUT_FIELDS, "tool")

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
}

# Plain-language explanation of each option of a legal question, shown under the option.
OPTION_HELP = {item.name: item.option_help for item in INPUTS if item.option_help}

# Groups of options shown under a heading: (heading, explanation, codes).
OPTION_GROUPS = {item.name: item.option_groups for item in INPUTS if item.option_groups}

# Questions that only make sense after a given answer to an earlier question of the same step: shown nested under
# it and, with JavaScript, only once that answer is given (or when they hold an answer or an error already).
# field -> (the earlier question, the answer that opens it; "" for any answer).
FOLLOW_UPS = {item.name: item.follows for item in INPUTS if item.follows}


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

    @property
    def follows(self) -> dict | None:
        """The earlier question this one follows up (`FOLLOW_UPS`): its name and the answer that opens this one."""
        if self.name not in self.form.follow_ups:
            return None
        name, value = self.form.follow_ups[self.name]
        return {"field": name, "value": value}

    @cached_property
    def option_groups(self) -> list[dict]:
        """The options, each with its explanation, under their headings (one unnamed group if none)."""
        helps = self.form.option_help.get(self.name, {})
        options = {
            str(widget.data["value"]): {"widget": widget, "help": helps.get(str(widget.data["value"]), "")}
            for widget in self.subwidgets
        }
        groups = self.form.option_headings.get(self.name)
        if not groups:
            return [{"heading": "", "help": "", "options": list(options.values())}]
        return [
            {"heading": heading, "help": help_text, "options": [options[code] for code in codes if code in options]}
            for heading, help_text, codes in groups
        ]


class ServiceForm(forms.Form):
    """A short form whose input a service validates: Bootstrap classes on every widget, and the service's errors
    put next to their fields (its message on top when no visible field holds them). Base of the triage,
    checkpoint, review and committee forms."""

    use_required_attribute = False  # the server validates; the page says what is missing next to the field

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not widget.is_hidden:
                widget.attrs.setdefault("class", "form-control")
            if field.required and not widget.is_hidden:
                widget.attrs["aria-required"] = "true"

    def add_service_error(self, error) -> None:
        """Field errors next to their fields; the service's message on top when no visible field holds it."""
        visible = {name for name, field in self.fields.items() if not field.widget.is_hidden}
        placed = False
        for name, messages in (error.errors or {}).items():
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(name if name in visible else None, str(message))
                placed = True
        if not placed:
            self.add_error(None, str(error.message))


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
    preview_fields: tuple[str, ...] = ()  # the fields whose change moves the classification
    follow_ups: dict = {}  # field name -> (earlier field name, answer that opens it; "" for any)

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
    """All the editable fields of a use case. Built for a collectivité and a user's access (see __init__)."""

    guided_steps = STEPS
    field_labels = LABELS
    field_help = HELP
    option_help = OPTION_HELP
    option_headings = OPTION_GROUPS
    preview_fields = PREVIEW_FIELDS
    follow_ups = FOLLOW_UPS

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
        fields = EDITABLE_FIELDS
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

    def __init__(self, *args, collectivite, user, services=None, **kwargs):
        """`services`: the services offered (the creatable ones on creation); the collectivité's by default."""
        kwargs.setdefault("instance", UseCase(collectivite=collectivite))
        kwargs["instance"].collectivite = collectivite
        super().__init__(*args, **kwargs)
        self.collectivite = collectivite
        instance = self.instance
        editing = instance.pk is not None

        if services is None:
            services = Service.objects.filter(collectivite=collectivite)
        self.fields["service"].queryset = services.select_related(None).order_by("path")
        members = User.objects.filter(memberships__collectivite=collectivite)
        if editing:
            members = User.objects.filter(Q(pk__in=members.values("pk")) | Q(pk=instance.owner_id))
        self.fields["owner"].queryset = members.distinct().order_by("last_name", "first_name", "username")
        self.fields["tool"].queryset = Tool.objects.filter(collectivite=collectivite).order_by("name")

        if editing:
            self.fields["version"].required = True
            self.fields["version"].initial = instance.version
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

    def clean(self):
        cleaned = super().clean()
        # An answer left out takes its default (DOMAIN.md section 3b), as the model and the API do.
        for item in INPUTS:
            if item.kind == classification_inputs.CODE and item.default is not None and cleaned.get(item.name) == "":
                cleaned[item.name] = item.default
            # Ticked codes are kept in the vocabulary's order, not the page's (its headings group them otherwise):
            # the same answers always make the same list, so sending the form back unchanged changes nothing.
            if item.multiple and isinstance(cleaned.get(item.name), list):
                cleaned[item.name] = [code for code in item.choices.values if code in cleaned[item.name]]
        return cleaned

    # Data for the services and the engine --------------------------------------------------------
    def service_data(self) -> dict:
        """The cleaned values the services expect (model field values, FK fields as instances)."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}

    def facts(self) -> rules.UseCaseFacts:
        """The classification facts from whatever was validly typed; invalid or missing answers are left out."""
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned[name] for name in CLASSIFICATION_INPUT_FIELDS if cleaned.get(name) not in (None, "")}
        tool = cleaned.get("tool")
        if tool is not None:
            values.update(
                tool_name=tool.name, tool_status=tool.status, tool_max_classification=tool.max_data_classification
            )
        return rules.UseCaseFacts.build(**values)

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


# The classification inputs' fields, from their declarations.
UseCaseForm.base_fields.update({item.name: _input_form_field(item) for item in INPUTS})
