"""The DPO's forms: the public wording of a use case with the fields to publish, and the withdrawal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.choices import ProgressStatus

from .fields import FIELDS, L312_FIELD_CODES
from .services import WORDING_FIELDS

TEXTAREA = {"rows": 4}


class PublicationForm(forms.Form):
    """What `publication_save` / `publication_publish` take. Nothing is required here: a draft may be incomplete,
    and the service says what publication needs, field by field."""

    name = forms.CharField(label=_("Public name"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Plain-language summary"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences a resident understands without knowing the service."),
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    human_intervention = forms.CharField(
        label=_("Human intervention"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Who checks what the algorithm produces, and how: a function, never an agent's name."),
    )
    data_sources = forms.CharField(label=_("Data and sources"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    dpia_status = forms.ChoiceField(
        label=_("Data protection impact assessment (DPIA)"),
        choices=[("", _("Not said")), *ProgressStatus.choices],
        required=False,
    )
    fria_status = forms.ChoiceField(
        label=_("Fundamental rights impact assessment (FRIA)"),
        choices=[("", _("Not said")), *ProgressStatus.choices],
        required=False,
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=254,
        required=False,
        help_text=_("A functional address or service (never an agent's personal address)."),
    )
    crpa_mention = forms.CharField(
        label=_("Mention to carry on decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The explicit mention that individual decisions taken with this algorithm carry (CRPA L311-3-1), "
            "with what the person may ask for (R311-3-1-2)."
        ),
    )
    published_fields = forms.MultipleChoiceField(
        label=_("Fields to publish"),
        choices=[(field.code, field.label) for field in FIELDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, use_case, publication, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(publication, name) for name in WORDING_FIELDS},
                "published_fields": list(publication.fields),
                "version": publication.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.use_case = use_case
        # CRPA L312-1-3: when the use founds individual decisions, these fields are published whatever is ticked.
        self.locked = L312_FIELD_CODES if use_case.public_register_required else frozenset()
        if not use_case.crpa_mention_required:
            del self.fields["crpa_mention"]
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.TextInput | forms.Textarea):
                widget.attrs.setdefault("class", "form-control")
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    @property
    def wording_fields(self):
        return [self[name] for name in WORDING_FIELDS if name in self.fields]

    def field_choices(self) -> list[dict]:
        """The publishable fields with their help, whether ticked, and whether the law keeps them ticked."""
        if self.is_bound:
            ticked = set(self.data.getlist("published_fields"))
        else:
            ticked = set(self.initial.get("published_fields") or ())
        return [
            {
                "code": field.code,
                "label": field.label,
                "help": field.help,
                "checked": field.code in ticked or field.code in self.locked,
                "locked": field.code in self.locked,
            }
            for field in FIELDS
        ]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in WORDING_FIELDS if name in self.fields}
        chosen = set(self.cleaned_data["published_fields"]) | set(self.locked)
        data["fields"] = [field.code for field in FIELDS if field.code in chosen]
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Kept in the publication trail (not shown to the public)."),
        max_length=2000,
        error_messages={"required": _("Say why the record is withdrawn from the public register.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
