"""The DPO's expert view of a qualification (DOMAIN.md 3b): set a legal answer directly with a written justification,
lift it, confirm the qualification. The forms only read what was typed; `services` checks who may do it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm

from . import classification_inputs

YES, NO = "yes", "no"


def _value_field(item: classification_inputs.Input) -> forms.Field:
    """The field of a legal answer's value, from its declaration: yes/no, one code (or none), several codes."""
    if item.kind == classification_inputs.BOOL:
        return forms.TypedChoiceField(
            label=_("Value"),
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=lambda value: value == YES,
            widget=forms.RadioSelect,
        )
    if item.kind == classification_inputs.CODES:
        return forms.MultipleChoiceField(
            label=_("Value"), choices=item.choices.choices, widget=forms.CheckboxSelectMultiple, required=False
        )
    if item.name == "annex_iii_point":
        return forms.ChoiceField(label=_("Value"), choices=classification_inputs.annex_iii_choices, required=False)
    choices = list(item.choices.choices)
    if item.kind == classification_inputs.OPTIONAL_CODE:
        choices = [("", item.empty_label), *choices]
    widget = forms.Select if len(choices) > 5 else forms.RadioSelect
    return forms.ChoiceField(
        label=_("Value"), choices=choices, widget=widget, required=item.kind == classification_inputs.CODE
    )


def _initial(item: classification_inputs.Input, value):
    if item.kind == classification_inputs.BOOL:
        return YES if value else NO
    if item.kind == classification_inputs.CODES:
        return list(value or ())
    return value or ""


class QualificationOverrideForm(ServiceForm):
    """Set one legal answer directly. Several such forms share the page: their ids carry the answer's name."""

    justification = forms.CharField(
        label=_("Justification"),
        help_text=_(
            "Why the answers to the questionnaire do not describe the use well, and why this value applies. It is "
            "kept with the answer, shown to the reviewers and in the use case's report."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Say why you set this answer: the justification is kept with it.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, input_name: str, use_case, **kwargs):
        self.input_name = input_name
        item = classification_inputs.BY_NAME[input_name]
        kwargs.setdefault("auto_id", f"override-{input_name}-%s")
        kwargs.setdefault(
            "initial", {"value": _initial(item, getattr(use_case, input_name)), "version": use_case.version}
        )
        super().__init__(*args, **kwargs)
        self.fields = {"value": _value_field(item), **self.fields}
        widget = self.fields["value"].widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-select")


class QualificationCommentForm(ServiceForm):
    """Lift a legal answer set directly, or confirm the qualification: an optional comment, and the version read."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, use_case, prefix_id: str, **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        kwargs.setdefault("initial", {"version": use_case.version})
        super().__init__(*args, **kwargs)
