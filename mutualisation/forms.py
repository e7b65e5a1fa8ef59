"""The HTML forms of shared reference content; the rules are the services' (`mutualisation.services`), whose errors
come back next to their fields."""

from __future__ import annotations

from django import forms
from django.db.models import URLField
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm

from .models import ItemKind
from .services import MODELS, adaptable_fields, shareable_sources


class ShareForm(ServiceForm):
    """Choose one of the structure's own objects: `tool:12`, `checkpoint_type:3`, `charter_section:40`."""

    source = forms.ChoiceField(
        label=_("Content to share"),
        error_messages={
            "required": _("Choose what to share."),
            "invalid_choice": _("Choose one of the structure's own tools, checkpoint types or charter sections."),
        },
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = shareable_sources(structure)
        labels = dict(ItemKind.choices)
        self.fields["source"].choices = [("", _("— choose —"))] + [
            (
                str(labels[kind]),
                [(f"{kind}:{obj.pk}", str(obj.title if kind != ItemKind.TOOL else obj.name)) for obj in objects],
            )
            for kind, objects in self.sources.items()
        ]

    def chosen(self):
        kind, pk = self.cleaned_data["source"].split(":")
        return kind, next(obj for obj in self.sources[kind] if str(obj.pk) == pk)


class DecisionForm(ServiceForm):
    """What the person read (the item's version, the decision's revision) and whether they confirm a replacement."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    expected_revision = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Replace my own version with the shared content"),
        required=False,
    )


def _formfield(model_field, **kwargs):
    if isinstance(model_field, URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


def adapt_form_class(kind: str) -> type[DecisionForm]:
    """A form with the fields a member may change in its copy (everything but the name, code or key)."""
    fields = fields_for_model(MODELS[kind], fields=adaptable_fields(kind), formfield_callback=_formfield)
    return type(f"{kind.title().replace('_', '')}AdaptForm", (DecisionForm,), fields)
