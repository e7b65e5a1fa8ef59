"""Forms of the explanation requests: the public request form (no account) and the staff's draft, send and reject
forms. Thin: the services validate what has a business meaning."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm

from .models import NAME_MAX, TEXT_MAX, Element, RejectionReason, Secret

UNKNOWN = "unknown"
# The honeypot: a field people never see (hidden by CSS, out of the tab order) that robots fill in.
HONEYPOT = "website"


class RequestForm(ServiceForm):
    """What a person tells about the decision they want explained. `use_cases`: the published entries to choose from
    (none when the person came from an entry: the use case is fixed)."""

    requester_name = forms.CharField(label=_("Your first name and surname"), max_length=NAME_MAX)
    requester_email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send the acknowledgment and our answer to this address."),
    )
    requester_address = forms.CharField(
        label=_("Your postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("Optional: only if you also want a paper letter."),
    )
    requester_phone = forms.CharField(
        label=_("Your telephone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Optional."),
    )
    decision_date = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("As written on the decision (format: dd/mm/yyyy)."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    decision_reference = forms.CharField(
        label=_("Reference of the decision"),
        required=False,
        max_length=100,
        help_text=_("Optional: a file or letter number, if the decision has one."),
    )
    decision_service = forms.CharField(
        label=_("Service that took the decision"), required=False, max_length=200, help_text=_("If you know it.")
    )
    use_case = forms.ChoiceField(
        label=_("Algorithm concerned"),
        help_text=_("The entry of the public register the decision came from. Choose « I do not know » if unsure."),
    )
    elements = forms.MultipleChoiceField(
        label=_("What do you want to understand?"),
        choices=Element.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what you want explained (article R311-3-1-2 of the CRPA). You may tick several."),
    )
    message = forms.CharField(
        label=_("Your question in your own words"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional if you ticked at least one element above (5,000 characters at most)."),
    )
    consent = forms.BooleanField(
        label=_("I have read how my personal data are used and kept"),
        error_messages={"required": _("Tick this box to send your request.")},
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, use_cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off", "class": "form-control"})
        if use_cases is None:
            del self.fields["use_case"]
        else:
            self.fields["use_case"].choices = [
                ("", _("— Choose —")),
                *((str(pk), f"{name} ({reference})") for pk, name, reference in use_cases),
                (UNKNOWN, _("I do not know")),
            ]
        self.fields["requester_name"].widget.attrs["autocomplete"] = "name"
        self.fields["requester_email"].widget.attrs["autocomplete"] = "email"

    @property
    def is_spam(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of the decision cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("elements") and not (data.get("message") or "").strip():
            self.add_error("elements", _("Tick at least one element, or write your question below."))
        return data


class DraftForm(ServiceForm):
    use_case = forms.TypedChoiceField(label=_("Use case concerned"), required=False, coerce=int, empty_value=None)
    answer_contribution = forms.CharField(
        label=Element.CONTRIBUTION.label, required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    answer_data = forms.CharField(
        label=Element.DATA.label, required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    answer_parameters = forms.CharField(
        label=_("3° the parameters and their weighting, as applied to the person's situation"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "For the service: what the algorithm took into account for this person, with what weight, and the result "
            "it gave. Write it for them, in plain language."
        ),
    )
    answer_operations = forms.CharField(
        label=Element.OPERATIONS.label, required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    answer_ai_role = forms.CharField(
        label=_("Role of the AI system in the decision-making procedure (AI Act art. 86)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answer_main_elements = forms.CharField(
        label=_("Main elements of the decision taken (AI Act art. 86)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    withheld = forms.MultipleChoiceField(
        label=_("Secrets protected by law withholding part of the answer"),
        choices=Secret.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only if communicating a part would harm one of these secrets (CRPA L311-5 and L311-6)."),
    )
    withheld_explanation = forms.CharField(
        label=_("What is withheld, and why"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, use_cases=None, art86=False, **kwargs):
        super().__init__(*args, **kwargs)
        if use_cases is None:
            del self.fields["use_case"]
        else:
            self.fields["use_case"].choices = [("", _("— Not known yet —")), *use_cases]
        if not art86:
            del self.fields["answer_ai_role"]
            del self.fields["answer_main_elements"]


class SendForm(ServiceForm):
    signatory_title = forms.CharField(
        label=_("Signatory's title"),
        max_length=NAME_MAX,
        help_text=_("As printed under your name on the letter."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RejectForm(ServiceForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("— Choose —")), *RejectionReason.choices])
    explanation = forms.CharField(
        label=_("Explanation for the person"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    signatory_title = forms.CharField(label=_("Signatory's title"), max_length=NAME_MAX)
    version = forms.IntegerField(widget=forms.HiddenInput)
