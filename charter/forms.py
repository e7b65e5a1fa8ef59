"""The charter's HTML forms: they check what was typed; the rules are the services' (`charter.services`), whose
errors come back next to their fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceForm

from .services import BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class SectionForm(ServiceForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Give the section a title.")},
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "form-control charter-body-input"}),
        help_text=_(
            "Plain text. Leave an empty line between paragraphs; start a line with “- ” to make a bullet point."
        ),
        error_messages={"required": _("Write the text of the section.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EditionCreateForm(ServiceForm):
    year = forms.IntegerField(
        label=_("Year of the new edition"),
        widget=forms.NumberInput(attrs={"class": "form-control charter-year-input", "inputmode": "numeric"}),
        error_messages={"required": _("Give a year."), "invalid": _("Give a year, for example 2027.")},
        help_text=_("It starts from the text of the latest earlier edition (or the default text for the first one)."),
    )


class PublishForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "I have read this edition and I publish it: it becomes final, and every member of the collectivité is "
            "asked to read and acknowledge it."
        ),
        error_messages={"required": _("Tick the box to confirm the publication.")},
    )
