"""The AIDF's forms: the draft (six parts and the AIDF's link to the AIPD), the DPO's review, the notification. The
services validate; the forms keep what was typed and put the services' errors next to their fields."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from audits.services import EVIDENCE_SIGNATURES
from core.errors import ApplicationError
from core.forms import ServiceForm

from . import services
from .models import PARTS, TEXT_MAX_LENGTH, FriaVersion


class FriaForm(ServiceForm):
    """The draft: each part of art. 27(1) under its heading, then the AIPD it complements (art. 27(4))."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    aipd_reference = forms.CharField(
        label=_("Reference of the AIPD"),
        max_length=200,
        required=False,
        help_text=_(
            "The data protection impact assessment (RGPD art. 35) this AIDF complements: its reference or title."
        ),
    )
    aipd_conclusion = forms.CharField(
        label=_("Conclusion of the AIPD"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    aipd_file = forms.FileField(label=_("AIPD file (optional)"), required=False)
    remove_aipd_file = forms.BooleanField(label=_("Remove the AIPD file"), required=False)

    def __init__(self, *args, fria=None, **kwargs):
        super().__init__(*args, **kwargs)
        for part in reversed(PARTS):
            field = forms.CharField(
                label=_("(%(letter)s) %(title)s") % {"letter": part.letter, "title": part.title},
                help_text=part.question,
                required=False,
                max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 7, "class": "form-control"}),
            )
            self.fields = {part.field: field, **self.fields}
        upload = self.fields["aipd_file"]
        upload.widget.attrs["accept"] = ",".join(sorted(EVIDENCE_SIGNATURES))
        upload.help_text = _(
            "PDF, image (PNG, JPEG), office document (ODT, ODS, DOCX, XLSX), text or CSV file, %(size)s MB at most. "
            "It can be downloaded only by the people who may see the use case."
        ) % {"size": getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024) // (1024 * 1024)}
        if fria is None or not fria.aipd_file:
            del self.fields["remove_aipd_file"]

    def clean_aipd_file(self):
        upload = self.cleaned_data.get("aipd_file")
        if upload:
            try:
                services.validate_aipd_file(upload)
            except ApplicationError as error:
                raise forms.ValidationError(
                    [str(error.message), *(str(m) for m in error.errors.get("aipd_file", []))]
                ) from error
        return upload

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "data": {name: data.get(name, "") for name in services.EDITABLE_FIELDS},
            "aipd_file": data.get("aipd_file"),
            "remove_aipd_file": bool(data.get("remove_aipd_file")),
            "expected_version": data.get("version"),
        }


class ReviewForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=FriaVersion.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to approve the AIDF or to send it back.")},
    )
    comment = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to send it back: say what to complete or correct."),
    )
    committee_reference = forms.CharField(
        label=_("Opinion of the ethics committee: reference (optional)"),
        required=False,
        max_length=200,
        help_text=_("When the case went to the ethics committee: the session or the reference of its opinion."),
    )
    committee_comment = forms.CharField(
        label=_("Opinion of the ethics committee: summary (optional)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotificationForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    notified_on = forms.DateField(
        label=_("Date of the notification"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date of the notification."),
            "invalid": _("Give a valid date, for example 31/01/2026."),
        },
    )
    notification_means = forms.CharField(
        label=_("Means"),
        max_length=200,
        error_messages={"required": _("Say how the results were sent (online form, e-mail, letter…).")},
        help_text=_("For example: the authority's online form, e-mail, registered letter."),
    )
    notification_authority = forms.CharField(
        label=_("Market surveillance authority notified"),
        max_length=300,
        error_messages={"required": _("Name the market surveillance authority notified.")},
        help_text=_(
            "As the collectivité names it: the register does not fix the national designation of the market "
            "surveillance authorities (AI Act art. 70). Filled in with the authority of the collectivité's last "
            "notification."
        ),
    )
    notification_reference = forms.CharField(
        label=_("Reference of the sending (optional)"),
        max_length=200,
        required=False,
        help_text=_("The acknowledgement number, the reference of the letter or of the e-mail."),
    )
