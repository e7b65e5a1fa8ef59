"""The collectivité's settings form: identity, size, review policy, charter link, branding and contacts.

It only validates what was typed; saving goes through `services.collectivite_update_policy`, which checks the
version the administrator started from, the logo, and reclassifies the register when the policy changed.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm
from core.validators import validate_logo

from .models import Collectivite
from .services.use_cases import POLICY_FIELDS

# The sections of the page, in order: (slug, title, explanation, fields).
SECTIONS = (
    ("identity", _("Identity"), "", ("name", "kind", "population")),
    (
        "size",
        _("Size"),
        _(
            "The number of agents decides a legal duty: from 50 agents, the rules of the algorithms that found "
            "individual decisions must be published (CRPA L312-1-3). Changing it reclassifies the register."
        ),
        ("agents_count",),
    ),
    (
        "review-policy",
        _("Review policy"),
        _(
            "Tighten the legal minimum by sending more uses to the ethics committee, and choose how often approved "
            "uses are reviewed again, and the ethics committee's quorum. A change of the ethics policy reclassifies "
            "the register; the re-review periods apply from the next approval, the quorum from the next session opened."
        ),
        (
            "ethics_review_personal_data",
            "ethics_review_public_audience",
            "review_months_high",
            "review_months_limited",
            "review_months_minimal",
            "committee_quorum_percent",
        ),
    ),
    ("charter", _("AI usage charter"), "", ("charter_url",)),
    (
        "branding",
        _("Branding"),
        _("The logo and the main colour appear on every page and in the PDF documents."),
        ("logo", "remove_logo", "primary_colour"),
    ),
    ("contacts", _("Contacts"), "", ("dpo_name", "dpo_email", "rssi_name", "rssi_email")),
)
MODEL_FIELDS = tuple(
    name for _slug, _title, _intro, names in SECTIONS for name in names if name not in ("logo", "remove_logo")
)


def _formfield(model_field, **kwargs):
    """The model field's form field, with the model's validators too (a plain form does not run `full_clean`)."""
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    field = model_field.formfield(**kwargs)
    field.validators = [*field.validators, *(v for v in model_field.validators if v not in field.validators)]
    return field


# The model's own fields (labels, validators, choices), as a base the settings form adds to.
_CollectiviteFields = type(
    "_CollectiviteFields",
    (forms.Form,),
    forms.fields_for_model(
        Collectivite,
        fields=MODEL_FIELDS,
        formfield_callback=_formfield,
        widgets={
            "primary_colour": forms.TextInput(attrs={"type": "color", "class": "form-control form-control-color"})
        },
        help_texts={
            "agents_count": "",  # said in the section's explanation
            "primary_colour": _("Text on it is shown in black or white, whichever reads best."),
        },
    ),
)


class CollectiviteSettingsForm(ServiceForm, _CollectiviteFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        validators=[validate_logo],
        help_text=_("A PNG, JPEG or WebP image (no SVG), 1 MB and 2000 pixels a side at most."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def __init__(self, *args, collectivite: Collectivite, **kwargs):
        self.collectivite = collectivite
        initial = {name: getattr(collectivite, name) for name in MODEL_FIELDS}
        kwargs.setdefault("initial", {**initial, "version": collectivite.version})
        super().__init__(*args, **kwargs)
        if not collectivite.logo:
            del self.fields["remove_logo"]

    def sections(self) -> list[dict]:
        return [
            {"slug": slug, "title": title, "intro": intro, "fields": [self[n] for n in names if n in self.fields]}
            for slug, title, intro, names in SECTIONS
        ]

    def changes(self) -> dict:
        """What the administrator changed, as the service takes it (`logo`: the upload, or None to remove it)."""
        data = {
            name: self.cleaned_data[name]
            for name in MODEL_FIELDS
            if name in self.changed_data and self.cleaned_data[name] != getattr(self.collectivite, name)
        }
        if self.cleaned_data.get("logo"):
            data["logo"] = self.cleaned_data["logo"]
        elif self.cleaned_data.get("remove_logo"):
            data["logo"] = None
        return data

    @staticmethod
    def reclassifies(changes: dict) -> bool:
        return bool(set(changes) & set(POLICY_FIELDS))
