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

from . import rules
from .choices import (
    AnnexIIIPoint,
    Art5Practice,
    Art6_3Ground,
    Art50Feature,
    Audience,
    AutomationLevel,
    DataClassification,
    HostingQualification,
    HostingZone,
    PersonalDataCategory,
    Technique,
)
from .models import Service, Tool, UseCase, User
from .models.use_cases import CLASSIFICATION_INPUT_FIELDS
from .services import EDITABLE_FIELDS


class Step:
    def __init__(self, slug: str, title, intro, fields: tuple[str, ...]):
        self.slug, self.title, self.intro, self.fields = slug, title, intro, fields


STEPS = (
    Step(
        "identity",
        _("Identity"),
        _("What the use is, who runs it and with which tool."),
        ("name", "summary", "purpose", "description", "service", "owner", "tool", "start_date", "end_date"),
    ),
    Step(
        "technique",
        _("Technique and audience"),
        _("What kind of AI it is and who is affected by what it produces."),
        ("technique", "self_learning", "audience", "art50_features"),
    ),
    Step(
        "decisions",
        _("Decisions"),
        _("Whether the AI weighs on decisions about people, and in which domain."),
        (
            "automation_level",
            "individual_decisions",
            "administrative_appeal",
            "annex_iii_point",
            "art6_3_ground",
            "art5_practices",
        ),
    ),
    Step(
        "data",
        _("Data"),
        _("Which data the AI receives, and on what legal basis."),
        (
            "personal_data_categories",
            "large_scale",
            "profiling",
            "dataset_matching",
            "max_data_classification",
            "data_sources",
            "lawful_basis",
            "processing_record_ref",
        ),
    ),
    Step(
        "hosting",
        _("Hosting and oversight"),
        _("Where the data goes, and who checks what the AI produces."),
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
    "technique": _("If the tool does several things, choose what it mainly does in this use."),
    "self_learning": _(
        "Tick if the system keeps changing its own behaviour from the cases it sees once in use (continuous "
        "learning). A tool that its vendor updates from time to time is not self-learning."
    ),
    "audience": _("Who is affected by what the AI produces: agents only, the public (residents, users), or both."),
    "art50_features": _(
        "These features oblige you to tell people they deal with an AI or with generated content "
        "(AI Act, art. 50). Tick nothing if none applies."
    ),
    "automation_level": _(
        "Think of the decisions taken about a person (an aid, a place, a permit, a recruitment…): how much does "
        "the AI weigh on them?"
    ),
    "individual_decisions": _(
        "Tick if the result is used to take a decision about a named person: granting an aid, a place in a "
        "crèche, a permit, a sanction, a recruitment… Such decisions must say that an algorithm was used "
        "(CRPA, art. L311-3-1)."
    ),
    "administrative_appeal": _(
        "Tick if the AI is used to answer an administrative appeal (recours gracieux or hiérarchique: a person "
        "asks the administration to reconsider its decision). Such decisions may never be fully automated "
        "(Loi Informatique et Libertés, art. 47)."
    ),
    "annex_iii_point": _(
        "Does the AI help decide on access to social aid, recruitment, school, emergency services, or another "
        "domain of this list? Choose the matching domain. Uses in these domains are high-risk unless an "
        "exemption below applies. Choose “None of these domains” otherwise."
    ),
    "art6_3_ground": _(
        "Only for a use in one of the domains above. The use is not high-risk if the AI only performs one of "
        "these limited tasks and does not profile people. Keep a written note of your reasoning. If in "
        "doubt, choose “No exemption”."
    ),
    "art5_practices": _(
        "These practices are forbidden in the European Union (AI Act, art. 5). Almost every use ticks none. "
        "Tick one only if the use really does it: the use will be blocked."
    ),
    "personal_data_categories": _(
        "Personal data is any information about a person who can be identified, even indirectly: a name, a "
        "file number, a photo, a voice recording. Tick nothing if the use processes no personal data at all."
    ),
    "large_scale": _(
        "Tick if many people are concerned: a large share of the residents or of the users of a service, or "
        "all the agents of the collectivité."
    ),
    "profiling": _(
        "Profiling means using personal data to evaluate a person: ranking applicants, estimating a risk of "
        "unpaid rent, predicting a need for support… A use that profiles people cannot claim an Article 6(3) "
        "exemption."
    ),
    "dataset_matching": _(
        "Tick if data from different files or services is cross-referenced, e.g. the social-aid file with the "
        "school-canteen file."
    ),
    "max_data_classification": _(
        "The most sensitive information agents will enter or the AI will receive. Ask the RSSI if unsure."
    ),
    "data_sources": _("Which data the AI uses and where it comes from (software, files, forms, the web…)."),
    "lawful_basis": _(
        "The legal basis of the processing (RGPD, art. 6: public-interest mission, legal obligation…) or the "
        "text the mission comes from. The DPO can help."
    ),
    "processing_record_ref": _(
        "The entry of the record of processing activities (RGPD, art. 30) this use belongs to, e.g. “T-042”."
    ),
    "hosting_zone": _(
        "Filled in from the tool catalogue when you choose a tool: correct it if your subscription differs. "
        "Personal data hosted outside the EU needs transfer safeguards."
    ),
    "hosting_qualification": _(
        "SecNumCloud is the ANSSI qualification for trusted cloud services; HDS is compulsory to host health data."
    ),
    "provider_reuse_disabled": _(
        "Tick if the contract or the settings guarantee it (professional account, reuse switched off). Free "
        "personal accounts usually reuse what you type."
    ),
    "human_oversight": _(
        "Who checks what the AI produces, and how, e.g. “an agent rereads every reply before sending it”."
    ),
    "decisions_per_year": _("If the use founds individual decisions: roughly how many per year."),
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
    "technique": _("What kind of AI is it?"),
    "self_learning": _("The system keeps learning by itself once in use"),
    "audience": _("Who is affected?"),
    "art50_features": _("Does the AI do any of the following?"),
    "automation_level": _("How much does the AI weigh on decisions about people?"),
    "individual_decisions": _("The use founds individual decisions about people"),
    "administrative_appeal": _("These decisions include administrative appeals"),
    "annex_iii_point": _("Is the use in a sensitive domain of the AI Act (Annex III)?"),
    "art6_3_ground": _("Does an Article 6(3) exemption apply?"),
    "art5_practices": _("Does the AI do any of these prohibited practices?"),
    "personal_data_categories": _("Which personal data does the use process?"),
    "large_scale": _("Large scale"),
    "profiling": _("The AI evaluates or predicts personal aspects of people (profiling)"),
    "dataset_matching": _("Data from several files is matched or combined"),
    "max_data_classification": _("Highest classification of the information entered"),
    "data_sources": _("Data and sources"),
    "lawful_basis": _("Lawful basis"),
    "processing_record_ref": _("Record of processing reference"),
    "hosting_zone": _("Where are the data processed and stored?"),
    "hosting_qualification": _("Qualification of the hosting"),
    "provider_reuse_disabled": _("The vendor does not reuse our data to train its models"),
    "human_oversight": _("Human oversight"),
    "decisions_per_year": _("Decisions per year"),
}

# Plain-language explanation of each option of a legal question, shown under the option.
OPTION_HELP = {
    "technique": {
        "rules": _("Fixed rules written by people (if… then…), e.g. a scale applied automatically."),
        "ml_predictive": _("A model trained on past cases that gives a score or a prediction."),
        "genai_text": _("Writes or summarises text: a chatbot, a writing assistant, a meeting summary."),
        "genai_media": _("Creates images, sounds or videos."),
        "vision": _("Analyses images or video: reading scanned documents, counting, detecting."),
        "speech": _("Transcribes speech to text or reads text aloud."),
        "agentic": _("Acts by itself in other software: sends e-mails, fills in forms, updates files."),
    },
    "art50_features": {
        "chatbot": _(
            "People write or talk to it and it answers, e.g. a chatbot on the website or a voice assistant on "
            "the phone line."
        ),
        "synthetic_media": _("It creates images, sounds or videos, e.g. an illustration or a synthetic voice."),
        "deepfake": _(
            "It makes realistic images, sounds or videos of real people, places or events that could be "
            "mistaken for real ones."
        ),
        "public_interest_text": _(
            "It writes text published to inform the public (news, web pages) that nobody reviews and takes "
            "editorial responsibility for before publication."
        ),
        "emotion_or_biometric": _("It infers people's emotions, or sorts people from their face, voice or body."),
    },
    "automation_level": {
        "none": _("No decision about a person: drafting a newsletter, summarising a meeting, translating a page."),
        "assist": _(
            "The AI prepares and an agent decides freely, e.g. it summarises an application that the agent "
            "examines in full."
        ),
        "determining": _(
            "The AI gives a score, a ranking or a recommendation that agents usually follow, e.g. a priority "
            "score for social-housing applications. Even if an agent signs, the AI weighs decisively (CJEU, "
            "C-634/21)."
        ),
        "fully_automated": _(
            "The system takes the decision without anyone examining the case, e.g. an aid granted or refused "
            "automatically."
        ),
    },
    "art6_3_ground": {
        "": _("The AI contributes to the assessment or the decision itself."),
        "a": _(
            "A narrow procedural task, e.g. sorting incoming applications by type, spotting duplicates, turning "
            "scanned forms into text."
        ),
        "b": _("Improves the result of work a person has already completed, e.g. rewording a letter an agent wrote."),
        "c": _(
            "Detects patterns or deviations in past decisions without replacing a person's assessment, e.g. "
            "flagging decisions that differ from usual practice so that a person looks at them again."
        ),
        "d": _(
            "A preparatory task before a person's assessment, e.g. translating the documents of an application "
            "or gathering the pieces of a file that the agent then examines."
        ),
    },
    "art5_practices": {
        "a": _(
            "Influencing people without their knowledge (hidden messages, deceptive techniques) so that they act "
            "against their interest."
        ),
        "b": _(
            "Taking advantage of a person's age, disability or social or economic situation to change their "
            "behaviour in a harmful way."
        ),
        "c": _(
            "Scoring people on their behaviour or personality, leading to unfair treatment elsewhere, e.g. a "
            "“good resident” score used to grant aid."
        ),
        "d": _("Predicting that a person will commit an offence only from their profile or personality."),
        "e": _("Building a facial-recognition database from faces collected at random on the internet or CCTV."),
        "f": _(
            "Inferring the emotions of agents at work or of pupils at school (except for medical or safety reasons)."
        ),
        "g": _(
            "Deducing from a face or a body a person's origin, opinions, union membership, religion or sexual "
            "orientation."
        ),
        "h": _("Identifying people from their face, in real time, in public spaces, for law enforcement."),
    },
    "personal_data_categories": {
        "ordinary": _("Identity, contact details, file number, family situation…"),
        "financial": _("Income, bank details, debts, aid received."),
        "location": _("Addresses visited, GPS position, journeys."),
        "communications": _("Content of e-mails, messages or calls."),
        "nir": _("The social security number."),
        "minors_vulnerable": _("Children, elderly or dependent persons, people in a precarious situation."),
        "health": _("Including disability and loss of autonomy (APA, PCH)."),
        "biometric": _("Face, fingerprints or voice used to recognise a person."),
    },
    "max_data_classification": {
        "C0": _("Public information or open data: published decisions, web pages."),
        "C1": _("Internal documents not meant for publication, without particular sensitivity: notes, procedures."),
        "C2": _(
            "Personal data, or information protected by law: medical, commercial or tax secrets, documents still "
            "being prepared (CRPA, art. L311-5 and L311-6)."
        ),
        "C3": _("Documents marked “Diffusion Restreinte”: only in a system hosted on premises and approved for it."),
        "C4": _("Classified information (Secret, Très Secret): never in an AI tool."),
    },
}


def _in_choice_order(codes) -> tuple[str, ...]:
    return tuple(code for code in PersonalDataCategory.values if code in codes)


# Groups of options shown under a heading: (heading, explanation, codes).
OPTION_GROUPS = {
    "personal_data_categories": (
        (_("Ordinary data"), "", ("ordinary",)),
        (
            _("Highly personal data"),
            _("They call for more care: an impact assessment (DPIA) is often required."),
            _in_choice_order(rules.HIGHLY_PERSONAL),
        ),
        (
            _("Sensitive data (RGPD, art. 9)"),
            _("Forbidden unless a legal exception applies: involve the DPO."),
            _in_choice_order(rules.ART9),
        ),
        (
            _("Offences and convictions (RGPD, art. 10)"),
            _("Only under the control of a public authority or where a law allows it."),
            _in_choice_order(rules.ART10),
        ),
    ),
}

ANNEX_III_GROUPS = (
    (_("Biometrics"), ("1a", "1b", "1c")),
    (_("Critical infrastructure"), ("2",)),
    (_("Education and vocational training"), ("3a", "3b", "3c", "3d")),
    (_("Employment and management of workers"), ("4a", "4b")),
    (_("Access to essential public and private services"), ("5a", "5b", "5c", "5d")),
    (_("Law enforcement"), ("6a", "6b", "6c", "6d", "6e")),
    (_("Migration, asylum and border control"), ("7a", "7b", "7c", "7d")),
    (_("Justice and democratic processes"), ("8a", "8b")),
)


def _annex_iii_choices():
    labels = dict(AnnexIIIPoint.choices)
    return [("", _("None of these domains"))] + [
        (heading, [(code, labels[code]) for code in codes]) for heading, codes in ANNEX_III_GROUPS
    ]


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
    technique = forms.ChoiceField(choices=Technique.choices, widget=forms.RadioSelect)
    audience = forms.ChoiceField(choices=Audience.choices, widget=forms.RadioSelect)
    art50_features = forms.MultipleChoiceField(
        choices=Art50Feature.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    automation_level = forms.ChoiceField(choices=AutomationLevel.choices, widget=forms.RadioSelect)
    annex_iii_point = forms.ChoiceField(choices=_annex_iii_choices, required=False)
    art6_3_ground = forms.ChoiceField(
        choices=[("", _("No exemption")), *Art6_3Ground.choices], widget=forms.RadioSelect, required=False
    )
    art5_practices = forms.MultipleChoiceField(
        choices=Art5Practice.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    personal_data_categories = forms.MultipleChoiceField(
        choices=PersonalDataCategory.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    max_data_classification = forms.ChoiceField(choices=DataClassification.choices, widget=forms.RadioSelect)
    hosting_zone = forms.ChoiceField(choices=HostingZone.choices)
    hosting_qualification = forms.ChoiceField(choices=HostingQualification.choices)
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

    # Data for the services and the engine --------------------------------------------------------
    def service_data(self) -> dict:
        """The cleaned values the services expect (model field values, FK fields as instances)."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}

    def facts(self) -> rules.UseCaseFacts:
        """The classification facts from whatever was validly typed; invalid or missing answers are left out."""
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned[name] for name in CLASSIFICATION_INPUT_FIELDS if cleaned.get(name) is not None}
        tool = cleaned.get("tool")
        if tool is not None:
            values.update(
                tool_name=tool.name, tool_status=tool.status, tool_max_classification=tool.max_data_classification
            )
        return rules.UseCaseFacts.build(**values)

    def preview_gaps(self) -> dict[str, list[str]]:
        """Labels of the classification answers left out of the preview: not given yet, or not valid."""
        gaps = {"missing": [], "invalid": []}
        if not self.is_bound:
            return gaps
        for name in PREVIEW_FIELDS:
            if name in self.errors:
                raw = self[name].data
                gaps["missing" if raw in (None, "", [], ()) else "invalid"].append(str(self[name].label))
        return gaps
