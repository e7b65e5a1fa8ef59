"""The shadow-AI declaration form: five short steps in plain words, for an agent who is not a specialist.

The form only checks what was typed and turns it into the values `declaration_services.declaration_submit` expects;
the service validates again and records the declaration.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from registry import rules
from registry.choices import (
    DeclarationAccount,
    DeclarationDevice,
    DeclarationFrequency,
    DeclarationOutput,
    DeclaredData,
    HumanReview,
    ToolCategory,
)
from registry.forms import GuidedFormMixin, Step
from registry.models import Tool

STEPS = (
    Step(
        "tool",
        _("The tool"),
        _("Which AI tool do you use? Look for it in the collectivité's catalogue, or type its name."),
        ("tool", "tool_name", "category"),
    ),
    Step(
        "use",
        _("The use"),
        _("What you do with it, how often, and on which device and account."),
        ("tasks", "frequency", "used_since", "device", "account"),
    ),
    Step(
        "data",
        _("The data"),
        _("What you enter or paste into the tool. Tick everything that applies, even once in a while."),
        ("data_entered",),
    ),
    Step(
        "result",
        _("The result"),
        _("What becomes of what the tool produces, and what it brings you."),
        ("output_use", "human_review", "time_saved_minutes", "need"),
    ),
    Step(
        "send",
        _("Sending"),
        _("Choose whether your name goes with the declaration, check your answers, then send."),
        ("identity",),
    ),
)

LABELS = {
    "tool": _("Tool in the collectivité's catalogue"),
    "tool_name": _("Not in the list? Type the tool's name"),
    "category": _("What kind of tool is it?"),
    "tasks": _("What do you use it for?"),
    "frequency": _("How often?"),
    "used_since": _("Since when? (month and year)"),
    "device": _("On which device?"),
    "account": _("With which account?"),
    "data_entered": _("What do you enter into the tool?"),
    "output_use": _("What becomes of the result?"),
    "human_review": _("Does someone always reread the result before it is used?"),
    "time_saved_minutes": _("Time saved per week"),
    "need": _("The need behind it"),
    "identity": _("With your name, or anonymously?"),
}

HELP = {
    "tool": _(
        "Each tool shows what the collectivité decided about it: approved, restricted, under review or prohibited."
    ),
    "tool_name": _("E.g. “ChatGPT”, “Gemini”, “a browser extension that summarises pages”."),
    "category": _("Filled in for you when you choose a tool from the list."),
    "tasks": _("In a few words, e.g. “draft replies to residents' letters”, “summarise long reports”."),
    "used_since": _("An approximate date is enough."),
    "data_entered": _(
        "This tells us which tool fits your use. Personal data is any information about a person who can be "
        "identified, even indirectly: a name, a file number, a photo, a voice."
    ),
    "output_use": _("Tick everything that applies."),
    "time_saved_minutes": _("A rough estimate helps us show what AI brings to the collectivité."),
    "need": _("What would help you in your work? It helps us choose the right tools for everyone."),
}

OPTION_HELP = {
    "account": {
        "personal_free": _("You signed up yourself, without paying (even with your work e-mail address)."),
        "personal_paid": _("A subscription you pay for yourself."),
        "professional": _("An account the collectivité gave you, under its contract."),
        "api": _("The tool is called by a program or a script (for developers)."),
    },
    "device": {
        "work_pc": _("A computer the collectivité provides."),
        "work_mobile": _("A phone or tablet the collectivité provides."),
        "personal_device": _("Your own computer, phone or tablet."),
    },
    "data_entered": {
        "public": _("Anything already published: web pages, decisions, public reports."),
        "internal": _("Notes, procedures, meeting minutes: not meant for publication, without particular sensitivity."),
        "confidential": _("Documents protected by law or not yet final: medical, commercial or tax secrets, drafts."),
        "credentials_or_code": _("Passwords, access keys, or source code of the collectivité's software."),
        "ordinary": _("Names, addresses, phone numbers, file numbers, family situation…"),
        "financial": _("Income, bank details, debts, aid received."),
        "location": _("Addresses visited, GPS position, journeys."),
        "communications": _("Content of e-mails, messages or calls of other people."),
        "nir": _("The social security number."),
        "minors_vulnerable": _("Children, elderly or dependent persons, people in a precarious situation."),
        "health": _("Including disability and loss of autonomy."),
        "biometric": _("Face, fingerprints or voice used to recognise a person."),
    },
    "output_use": {
        "personal_draft": _("A starting point that I rework myself."),
        "internal": _("A note, a summary or a table read by colleagues."),
        "sent_to_users": _("An e-mail, a letter or an answer that leaves the collectivité."),
        "individual_decision": _("It helps decide about someone: an aid, a place, a permit, a sanction…"),
        "published": _("Text or images the public will see."),
    },
    "human_review": {
        "always": _("Someone checks every result before it is used."),
        "sometimes": _("Only when there is time, or for some results."),
        "never": _("The result is used as it is."),
    },
    "identity": {
        "named": _(
            "Your name goes with the declaration. You find it in “My declarations” and receive the answer by e-mail."
        ),
        "anonymous": _(
            "Nothing links the declaration to you: not your name, nor your service, nor your account. You will "
            "not receive e-mails: you follow it with a private link shown after sending. Keep it: nobody can send "
            "it to you again."
        ),
    },
}


def _in_choice_order(codes) -> tuple[str, ...]:
    return tuple(code for code in DeclaredData.values if code in codes)


# Groups of options shown under a heading: (heading, explanation, codes).
OPTION_GROUPS = {
    "data_entered": (
        (
            _("Documents and information"),
            "",
            ("public", "internal", "confidential", "credentials_or_code"),
        ),
        (_("Personal data"), _("About residents, users, colleagues or anyone else."), ("ordinary",)),
        (
            _("Highly personal data"),
            _("They call for more care."),
            _in_choice_order(rules.HIGHLY_PERSONAL),
        ),
        (
            _("Sensitive data (RGPD, art. 9)"),
            _("Origin, opinions, beliefs, union membership, genetic or biometric data, health, sex life."),
            _in_choice_order(rules.ART9),
        ),
        (
            _("Offences and convictions (RGPD, art. 10)"),
            "",
            _in_choice_order(rules.ART10),
        ),
    ),
}

TIME_SAVED_CHOICES = (
    ("", _("I don't know")),
    (15, _("About 15 minutes")),
    (30, _("About 30 minutes")),
    (60, _("About 1 hour")),
    (120, _("About 2 hours")),
    (240, _("About half a day")),
    (480, _("A day or more")),
)

IDENTITY_CHOICES = (
    ("named", _("With my name")),
    ("anonymous", _("Anonymously")),
)

# The plain words of each data classification, for the guidance and the catalogue select.
LEVEL_EXPLANATIONS = {
    "C0": _("public information only"),
    "C1": _("public information and internal documents, but no personal data"),
    "C2": _("public information, internal documents, personal data and confidential documents"),
    "C3": _("documents up to “Diffusion Restreinte”"),
    "C4": _("classified information"),
}


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class CatalogueToolField(forms.ModelChoiceField):
    def label_from_instance(self, tool: Tool) -> str:
        return _("%(name)s — %(status)s") % {"name": tool.name, "status": tool.get_status_display()}


class MonthInput(forms.DateInput):
    """A month picker where the browser has one; a text box that accepts "2024-03" elsewhere."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "AAAA-MM", **(attrs or {})}, format="%Y-%m")


class DeclarationForm(GuidedFormMixin, forms.Form):
    guided_steps = STEPS
    field_labels = LABELS
    field_help = HELP
    option_help = OPTION_HELP
    option_headings = OPTION_GROUPS

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    tool = CatalogueToolField(
        queryset=Tool.objects.none(),
        required=False,
        empty_label=_("— Not in the list —"),
        error_messages={"invalid_choice": _("Choose a tool of the collectivité's catalogue.")},
    )
    tool_name = forms.CharField(max_length=200, required=False)
    category = forms.ChoiceField(choices=[("", "—"), *ToolCategory.choices], required=False)
    tasks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    frequency = forms.ChoiceField(choices=DeclarationFrequency.choices, widget=forms.RadioSelect)
    used_since = forms.DateField(
        required=False,
        widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d", "%m/%Y", "%d/%m/%Y"],
        error_messages={"invalid": _("Give a month and a year, e.g. 2024-03.")},
    )
    device = forms.ChoiceField(choices=DeclarationDevice.choices, widget=forms.RadioSelect)
    account = forms.ChoiceField(choices=DeclarationAccount.choices, widget=forms.RadioSelect)
    data_entered = forms.MultipleChoiceField(
        choices=DeclaredData.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one kind of information (“Public information” if nothing else).")},
    )
    output_use = forms.MultipleChoiceField(
        choices=DeclarationOutput.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one answer.")},
    )
    human_review = forms.ChoiceField(choices=HumanReview.choices, widget=forms.RadioSelect)
    time_saved_minutes = forms.TypedChoiceField(
        choices=TIME_SAVED_CHOICES, coerce=int, empty_value=None, required=False
    )
    need = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    identity = forms.ChoiceField(choices=IDENTITY_CHOICES, widget=forms.RadioSelect, initial="named")

    def __init__(self, *args, collectivite, **kwargs):
        super().__init__(*args, **kwargs)
        self.collectivite = collectivite
        if self.is_bound and not _is_uuid(self.data.get("submission_key")):
            # A form sent without its key (an old page, a script): a new key, so that it can still be sent.
            self.data = self.data.copy()
            self.data["submission_key"] = str(uuid.uuid4())
        self.fields["tool"].queryset = Tool.objects.filter(collectivite=collectivite).order_by("name")
        if not self.is_bound and "submission_key" not in self.initial:
            self.initial["submission_key"] = uuid.uuid4()
        self.dress_fields()

    # Validation ---------------------------------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        tool, name = cleaned.get("tool"), (cleaned.get("tool_name") or "").strip()
        if "tool" not in self.errors and tool is None and not name:
            self.add_error("tool", _("Choose the tool in the list, or type its name."))
        if tool is not None and not cleaned.get("category"):
            cleaned["category"] = tool.category  # the kind of a catalogue tool is known
        if tool is None and name and not cleaned.get("category") and "category" not in self.errors:
            self.add_error("category", _("Choose the kind of tool."))
        return cleaned

    @property
    def anonymous(self) -> bool:
        return self.cleaned_data.get("identity") == "anonymous"

    def service_data(self) -> dict:
        """The values `declaration_services.declaration_submit` expects."""
        data = self.cleaned_data
        tool = data.get("tool")
        return {
            "tool": tool,
            "tool_name": "" if tool is not None else (data.get("tool_name") or "").strip(),
            "category": data.get("category") or "",
            "tasks": data.get("tasks", ""),
            "frequency": data.get("frequency"),
            "used_since": data.get("used_since"),
            "device": data.get("device"),
            "account": data.get("account"),
            "data_entered": list(data.get("data_entered") or []),
            "output_use": list(data.get("output_use") or []),
            "human_review": data.get("human_review"),
            "time_saved_minutes": data.get("time_saved_minutes"),
            "need": data.get("need", ""),
            "service": None,
        }

    # Presentation ---------------------------------------------------------------------------------------
    def tool_categories(self) -> dict:
        """The kind of each catalogue tool, so that choosing one fills in the category."""
        return {str(tool.pk): tool.category for tool in self.fields["tool"].queryset}
