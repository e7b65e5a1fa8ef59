"""Every input of the classification engine, declared once (DOMAIN.md section 2).

An input's declaration says everything the rest of the application needs to show, store, exchange and ask it:
its code, its French label, the plain-language question and help of the form, the group (form step and page
section) it belongs to, its choices and how each is explained, whether it holds several codes, and how it
appears in the public register. The model's fields, the form's steps, the API's serializers, the presenters,
the exports and the PDF report read these declarations: adding an input means adding it here and using it in
`rules.py` (and a migration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import choices
from .rules import ART9, ART10, HIGHLY_PERSONAL

# Kinds of input.
BOOL = "bool"  # yes / no
CODE = "code"  # one code, always given
OPTIONAL_CODE = "optional_code"  # one code or none (stored as "", exchanged as null)
CODES = "codes"  # a list of codes (JSON)

# Widgets of the form.
RADIO, SELECT, CHECKBOXES, CHECKBOX = "radio", "select", "checkboxes", "checkbox"


@dataclass(frozen=True)
class Group:
    """A group of inputs: a step of the use-case form and a section of the use case's page and report."""

    slug: str
    title: object
    intro: object


GROUPS = (
    Group(
        "technique",
        _("Technique and audience"),
        _("What kind of system it is, who supplies it, and who is affected by what it produces."),
    ),
    Group("decisions", _("Decisions"), _("Whether the system weighs on decisions about people, and in which domain.")),
    Group("data", _("Data"), _("Which data the system receives, and on what legal basis.")),
    Group("hosting", _("Hosting and oversight"), _("Where the data goes, and who checks what the system produces.")),
)
GROUPS_BY_SLUG = {group.slug: group for group in GROUPS}


@dataclass(frozen=True)
class Input:
    """One input of the classification engine."""

    name: str  # the DOMAIN.md code: model field, API field, export column
    kind: str
    label: object  # the field's name (page, export, report, API)
    question: object  # what the form asks
    help: object  # the form's plain-language help under the question
    group: str
    choices: type[models.TextChoices] | None = None
    default: object = None  # None: no default (the answer is required)
    widget: str = ""
    option_help: dict = field(default_factory=dict)  # code -> explanation shown under the option
    option_groups: tuple = ()  # ((heading, explanation, codes), ...) for a long list of options
    empty_label: object = None  # the option meaning "none" of an optional code
    description: object = ""  # the model's and the API's help text (short, legal)
    public_field: str = ""  # the public register's field (transparency.fields) that shows it, if any
    public_key: str = ""  # its key in the public record (its name by default)
    # A follow-up question: (the earlier input, the answer that opens it; "" for any answer). The form shows it
    # nested under that input and, with JavaScript, only once that answer is given.
    follows: tuple[str, str] | None = None
    max_length: int = 20

    @property
    def multiple(self) -> bool:
        return self.kind == CODES

    @property
    def required(self) -> bool:
        """An answer the form and the API demand (no default to fall back on)."""
        return self.kind == CODE and self.default is None

    @property
    def record_key(self) -> str:
        return self.public_key or self.name

    @property
    def form_widget(self) -> str:
        if self.widget:
            return self.widget
        return {BOOL: CHECKBOX, CODES: CHECKBOXES}.get(self.kind, RADIO)

    def model_field(self) -> models.Field:
        """The model field that stores the input."""
        options = {"help_text": self.description} if self.description else {}
        if self.kind == BOOL:
            return models.BooleanField(self.label, default=bool(self.default), **options)
        if self.kind == CODES:
            return models.JSONField(self.label, default=list, blank=True, **options)
        if self.kind == OPTIONAL_CODE:
            return models.CharField(
                self.label, max_length=self.max_length, choices=self.choices.choices, blank=True, default="", **options
            )
        if self.default is not None:
            options["default"] = self.default
        return models.CharField(self.label, max_length=self.max_length, choices=self.choices.choices, **options)


def _in_order(choices_class, codes) -> tuple[str, ...]:
    return tuple(code for code in choices_class.values if code in codes)


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

INPUTS: tuple[Input, ...] = (
    # Technique and audience ------------------------------------------------------------------------------
    Input(
        "technique",
        OPTIONAL_CODE,
        _("technique"),
        _("How does the system produce its results?"),
        _(
            "If the tool does several things, choose what it mainly does in this use. Rules written entirely by "
            "people are not artificial intelligence: the AI Act does not apply to them, but the rules on decisions "
            "and personal data still do."
        ),
        "technique",
        choices.Technique,
        option_help={
            "rules": _(
                "Rules, scales or decision trees written entirely by agents and applied automatically (if… then…), "
                "e.g. a scale computing an aid, or a website assistant that only offers buttons. Not AI."
            ),
            "expert_system": _(
                "Infers its answers by reasoning on knowledge or logic encoded by experts, e.g. a diagnosis aid "
                "built on a knowledge base. An AI system."
            ),
            "ml_predictive": _("A model trained on past cases that gives a score or a prediction."),
            "genai_text": _("Writes or summarises text: a chatbot, a writing assistant, a meeting summary."),
            "genai_media": _("Creates images, sounds or videos."),
            "vision": _("Analyses images or video: reading scanned documents, counting, detecting."),
            "speech": _("Transcribes speech to text or reads text aloud."),
            "agentic": _("Acts by itself in other software: sends e-mails, fills in forms, updates files."),
        },
        description=_(
            "“rules”: rules written solely by people (not an AI system); every other technique is AI; none: not known "
            "yet, an AI system whose technique the DPO confirms."
        ),
        public_field="technique",
        empty_label=_("Not known yet: an AI system whose technique the DPO confirms"),
    ),
    Input(
        "self_learning",
        BOOL,
        _("self-learning"),
        _("The system keeps learning by itself once in use"),
        _(
            "Tick if the system keeps changing its own behaviour from the cases it sees once in use (continuous "
            "learning). A tool that its vendor updates from time to time is not self-learning."
        ),
        "technique",
        default=False,
        public_field="technique",
    ),
    Input(
        "ai_act_role",
        CODE,
        _("role under the AI Act"),
        _("Who supplies the system?"),
        _(
            "The AI Act places most obligations on the provider of a system. The collectivité becomes the provider "
            "when it builds the system or has it built and puts it into service under its own name, when it "
            "substantially modifies a high-risk system, or when it uses a system for a purpose that makes it "
            "high-risk (AI Act, art. 25)."
        ),
        "technique",
        choices.AiActRole,
        default=choices.AiActRole.DEPLOYER,
        option_help={
            "deployer": _(
                "A vendor supplies it and the collectivité uses it as intended: software, an online service."
            ),
            "provider": _(
                "The collectivité developed it or had it developed for itself, modified it substantially, or uses "
                "it for another purpose than the vendor's."
            ),
        },
    ),
    Input(
        "annex_i_product",
        BOOL,
        _("product needing a third-party conformity assessment (Annex I)"),
        _(
            "The system is part of a product that an independent body must certify before sale (CE marking by a "
            "notified body)"
        ),
        _(
            "For example a medical device of class IIa or above (fall detection, diagnosis aid), a machine, a lift, "
            "a toy or radio equipment whose CE marking a notified body assessed: its documentation names that body. "
            "Such a system is high-risk (AI Act, art. 6(1) and Annex I)."
        ),
        "technique",
        default=False,
        description=_("AI Act, art. 6(1): covered by Annex I, section A, with a third-party conformity assessment."),
    ),
    Input(
        "audience",
        CODE,
        _("people affected"),
        _("Who is affected?"),
        _("Who is affected by what the system produces: agents only, the public (residents, users), or both."),
        "technique",
        choices.Audience,
        public_field="audience",
    ),
    Input(
        "art50_features",
        CODES,
        _("transparency features (AI Act art. 50)"),
        _("Does the system do any of the following?"),
        _(
            "These features oblige you to tell people they deal with an AI or with generated content "
            "(AI Act, art. 50). Tick nothing if none applies."
        ),
        "technique",
        choices.Art50Feature,
        option_help={
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
    ),
    # Decisions --------------------------------------------------------------------------------------------
    Input(
        "automation_level",
        CODE,
        _("contribution to decisions"),
        _("How much does the system weigh on decisions about people?"),
        _(
            "Think of the decisions taken about a person (an aid, a place, a permit, a recruitment…): how much does "
            "the system weigh on them?"
        ),
        "decisions",
        choices.AutomationLevel,
        default=choices.AutomationLevel.NONE,
        option_help={
            "none": _("No decision about a person: drafting a newsletter, summarising a meeting, translating a page."),
            "assist": _(
                "The system prepares and an agent decides freely, e.g. it summarises an application that the agent "
                "examines in full."
            ),
            "determining": _(
                "The system gives a score, a ranking or a recommendation that agents usually follow, e.g. a "
                "priority score for social-housing applications. Even if an agent signs, it weighs decisively "
                "(CJEU, C-634/21)."
            ),
            "fully_automated": _(
                "The system takes the decision without anyone examining the case, e.g. an aid granted or refused "
                "automatically."
            ),
        },
        public_field="automation",
    ),
    Input(
        "individual_decisions",
        BOOL,
        _("founds individual decisions"),
        _("The use founds individual decisions about people"),
        _(
            "Tick if the result is used to take a decision about a named person: granting an aid, a place in a "
            "crèche, a permit, a sanction, a recruitment… Such decisions must say that an algorithm was used "
            "(CRPA, art. L311-3-1)."
        ),
        "decisions",
        default=False,
        public_field="automation",
    ),
    Input(
        "administrative_appeal",
        BOOL,
        _("decisions on administrative appeals"),
        _("These decisions include administrative appeals"),
        _(
            "Tick if the system is used to answer an administrative appeal (recours gracieux or hiérarchique: a "
            "person asks the administration to reconsider its decision). Such decisions may never be fully "
            "automated (Loi Informatique et Libertés, art. 47)."
        ),
        "decisions",
        default=False,
        follows=("individual_decisions", ""),
    ),
    Input(
        "annex_iii_point",
        OPTIONAL_CODE,
        _("Annex III domain"),
        _("Is the use in a sensitive domain of the AI Act (Annex III)?"),
        _(
            "Does the system help decide on access to social aid, recruitment, school, emergency services, or "
            "another domain of this list? Choose the matching domain. Uses in these domains are high-risk unless "
            "an exemption below applies. Choose “None of these domains” otherwise."
        ),
        "decisions",
        choices.AnnexIIIPoint,
        widget=SELECT,
        empty_label=_("None of these domains"),
        max_length=3,
    ),
    Input(
        "art6_3_ground",
        OPTIONAL_CODE,
        _("Article 6(3) exemption"),
        _("Does an Article 6(3) exemption apply?"),
        _(
            "Only for a use in one of the domains above. The use is not high-risk if the system only performs one "
            "of these limited tasks, does not profile people, and its result neither decides nor weighs decisively "
            "on the decision. Keep a written note of your reasoning. If in doubt, choose “No exemption”."
        ),
        "decisions",
        choices.Art6_3Ground,
        empty_label=_("No exemption"),
        follows=("annex_iii_point", ""),
        option_help={
            "": _("The system contributes to the assessment or the decision itself."),
            "a": _(
                "A narrow procedural task, e.g. sorting incoming applications by type, spotting duplicates, "
                "turning scanned forms into text."
            ),
            "b": _(
                "Improves the result of work a person has already completed, e.g. rewording a letter an agent wrote."
            ),
            "c": _(
                "Detects patterns or deviations in past decisions without replacing a person's assessment, e.g. "
                "flagging decisions that differ from usual practice so that a person looks at them again."
            ),
            "d": _(
                "A preparatory task before a person's assessment, e.g. translating the documents of an application "
                "or gathering the pieces of a file that the agent then examines."
            ),
        },
        max_length=1,
    ),
    Input(
        "art5_practices",
        CODES,
        _("prohibited practices (AI Act art. 5)"),
        _("Does the system do any of these prohibited practices?"),
        _(
            "These practices are forbidden in the European Union (AI Act, art. 5). Almost every use ticks none. "
            "Tick one only if the use really does it: the use will be blocked."
        ),
        "decisions",
        choices.Art5Practice,
        option_help={
            "a": _(
                "Influencing people without their knowledge (hidden messages, deceptive techniques) so that they "
                "act against their interest."
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
                "Inferring the emotions of agents at work or of pupils at school (except for medical or safety "
                "reasons)."
            ),
            "g": _(
                "Deducing from a face or a body a person's origin, opinions, union membership, religion or sexual "
                "orientation."
            ),
            "h": _("Identifying people from their face, in real time, in public spaces, for law enforcement."),
        },
    ),
    # Data -------------------------------------------------------------------------------------------------
    Input(
        "personal_data_categories",
        CODES,
        _("personal data"),
        _("Which personal data does the use process?"),
        _(
            "Personal data is any information about a person who can be identified, even indirectly: a name, a "
            "file number, a photo, a voice recording. Tick nothing if the use processes no personal data at all."
        ),
        "data",
        choices.PersonalDataCategory,
        option_help={
            "ordinary": _("Identity, contact details, file number, family situation…"),
            "financial": _("Income, bank details, debts, aid received."),
            "location": _("Addresses visited, GPS position, journeys."),
            "communications": _("Content of e-mails, messages or calls."),
            "nir": _("The social security number."),
            "minors_vulnerable": _("Children, elderly or dependent persons, people in a precarious situation."),
            "health": _("Including disability and loss of autonomy (APA, PCH)."),
            "biometric": _("Face, fingerprints or voice used to recognise a person."),
        },
        option_groups=(
            (_("Ordinary data"), "", ("ordinary",)),
            (
                _("Highly personal data"),
                _("They call for more care: an impact assessment (DPIA) is often required."),
                _in_order(choices.PersonalDataCategory, HIGHLY_PERSONAL),
            ),
            (
                _("Sensitive data (RGPD, art. 9)"),
                _("Forbidden unless a legal exception applies: involve the DPO."),
                _in_order(choices.PersonalDataCategory, ART9),
            ),
            (
                _("Offences and convictions (RGPD, art. 10)"),
                _("Only under the control of a public authority or where a law allows it."),
                _in_order(choices.PersonalDataCategory, ART10),
            ),
        ),
        public_field="personal_data",
        public_key="personal_data",
    ),
    Input(
        "care_context",
        BOOL,
        _("health data collected for care or social follow-up"),
        _("Health data are collected for prevention, diagnosis, care or social and medico-social follow-up"),
        _(
            "For example in an EHPAD, a SSIAD, a PMI or a health centre. Unless they stay on the collectivité's "
            "own servers, such data must be hosted by a certified health data host (HDS) (Code de la santé "
            "publique, art. L1111-8)."
        ),
        "data",
        default=False,
        description=_("CSP, art. L1111-8: health data collected for prevention, diagnosis, care or follow-up."),
        follows=("personal_data_categories", "health"),
    ),
    Input(
        "large_scale",
        BOOL,
        _("large scale"),
        _("Large scale"),
        _(
            "Tick if many people are concerned: a large share of the residents or of the users of a service, or "
            "all the agents of the collectivité."
        ),
        "data",
        default=False,
    ),
    Input(
        "profiling",
        BOOL,
        _("profiling"),
        _("The system evaluates or predicts personal aspects of people (profiling)"),
        _(
            "Profiling means using personal data to evaluate a person: ranking applicants, estimating a risk of "
            "unpaid rent, predicting a need for support, scoring agents' punctuality… A use that profiles people "
            "cannot claim an Article 6(3) exemption."
        ),
        "data",
        default=False,
    ),
    Input(
        "dataset_matching",
        BOOL,
        _("matching or combining datasets"),
        _("Data from several files is matched or combined"),
        _(
            "Tick if data from different files or services is cross-referenced, e.g. the social-aid file with "
            "the school-canteen file."
        ),
        "data",
        default=False,
    ),
    Input(
        "systematic_monitoring",
        BOOL,
        _("systematic monitoring of people"),
        _("The use observes, monitors or controls people"),
        _(
            "For example video cameras, geolocation of vehicles or agents, monitoring of agents' activity or of "
            "people's behaviour online. Reading documents or forms with a camera is not monitoring."
        ),
        "data",
        default=False,
        description=_("EDPB guidelines WP248, criterion 3: systematic observation, monitoring or control of persons."),
    ),
    Input(
        "cnil_list_types",
        CODES,
        _("types of the CNIL list (DPIA)"),
        _("Is the processing of one of these types listed by the CNIL?"),
        _(
            "The CNIL lists types of processing that always require a DPIA (délibération 2018-327). Some are "
            "deduced from your other answers (profiling or monitoring of agents, location data on a large scale, "
            "biometric data of vulnerable persons): tick those that describe the use."
        ),
        "data",
        choices.CnilListType,
        # The types the engine also deduces from other answers (`rules.cnil_list_types`) say so, so that nobody
        # believes they must tick them.
        option_help={
            "health_care_establishment": _(
                "E.g. the care records of an EHPAD or a SSIAD. Also deduced when health data are collected for care "
                "or follow-up."
            ),
            "social_health_alerts": _("E.g. reports of children at risk (informations préoccupantes)."),
            "professional_alerts": _("E.g. the reports of the whistleblowing procedure."),
            "social_housing": _("E.g. the allocation of social housing, the follow-up of tenants."),
            "social_support": _("E.g. the follow-up of RSA beneficiaries, the CCAS's support of persons."),
            "profiling_contract_exclusion": _("E.g. a score that may refuse a service or end a contract."),
            "hr_profiling": _("Also deduced when the system profiles agents."),
            "employee_monitoring": _("Also deduced when the use monitors agents."),
            "profiling_external_sources": _(
                "Also deduced when the system profiles people with data matched from other files."
            ),
            "biometric_vulnerable": _("Also deduced from biometric data of minors or vulnerable persons."),
            "large_scale_location": _("Also deduced from location data on a large scale."),
        },
        # The fourteen types read better by field of action than in the délibération's order.
        option_groups=(
            (
                _("Social action, health and medico-social care"),
                "",
                ("social_support", "social_housing", "social_health_alerts", "health_care_establishment"),
            ),
            (_("Agents and alerts"), "", ("hr_profiling", "employee_monitoring", "professional_alerts")),
            (
                _("Profiling and contracts"),
                "",
                ("profiling_contract_exclusion", "profiling_external_sources", "shared_contract_breaches"),
            ),
            (
                _("Health, genetic, biometric and location data"),
                "",
                ("health_data_warehouse", "genetic_vulnerable", "biometric_vulnerable", "large_scale_location"),
            ),
        ),
        description=_("Délibération CNIL 2018-327: types of processing for which a DPIA is required."),
    ),
    Input(
        "max_data_classification",
        CODE,
        _("highest data classification"),
        _("Highest classification of the information entered"),
        _("The most sensitive information agents will enter or the system will receive. Ask the RSSI if unsure."),
        "data",
        choices.DataClassification,
        default=choices.DataClassification.C1,
        option_help={
            "C0": _("Public information or open data: published decisions, web pages."),
            "C1": _("Internal documents not meant for publication, without particular sensitivity: notes, procedures."),
            "C2": _(
                "Personal data, or information protected by law: medical, commercial or tax secrets, documents "
                "still being prepared (CRPA, art. L311-5 and L311-6)."
            ),
            "C3": _(
                "Documents marked “Diffusion Restreinte”: only in a system hosted on premises and approved for it."
            ),
            "C4": _("Classified information (Secret, Très Secret): never in an AI tool."),
        },
        max_length=2,
    ),
    # Hosting ----------------------------------------------------------------------------------------------
    Input(
        "hosting_zone",
        CODE,
        _("hosting zone"),
        _("Where are the data processed and stored?"),
        _(
            "Filled in from the tool catalogue when you choose a tool: correct it if your subscription differs. "
            "Personal data hosted outside the EU needs transfer safeguards."
        ),
        "hosting",
        choices.HostingZone,
        default=choices.HostingZone.UNKNOWN,
        widget=SELECT,
        public_field="hosting",
    ),
    Input(
        "hosting_qualification",
        CODE,
        _("hosting qualification"),
        _("Qualification of the hosting"),
        _("SecNumCloud is the ANSSI qualification for trusted cloud services; HDS is compulsory to host health data."),
        "hosting",
        choices.HostingQualification,
        default=choices.HostingQualification.NONE,
        widget=SELECT,
    ),
    Input(
        "provider_reuse_disabled",
        BOOL,
        _("vendor does not reuse our data"),
        _("The vendor does not reuse our data to train its models"),
        _(
            "Tick if the contract or the settings guarantee it (professional account, reuse switched off). Free "
            "personal accounts usually reuse what you type."
        ),
        "hosting",
        default=False,
    ),
)

BY_NAME = {item.name: item for item in INPUTS}
NAMES = tuple(BY_NAME)
MULTI_CODE_FIELDS = {item.name: item.choices for item in INPUTS if item.multiple}


def in_group(slug: str) -> tuple[str, ...]:
    """The names of a group's inputs, in declaration order."""
    return tuple(item.name for item in INPUTS if item.group == slug)


def public_inputs(public_field: str) -> tuple[Input, ...]:
    """The inputs the public register shows under one of its fields."""
    return tuple(item for item in INPUTS if item.public_field == public_field)


def annex_iii_choices():
    """The Annex III points under their headings, with "none" first (the form's grouped select)."""
    labels = dict(choices.AnnexIIIPoint.choices)
    return [("", BY_NAME["annex_iii_point"].empty_label)] + [
        (heading, [(code, labels[code]) for code in codes]) for heading, codes in ANNEX_III_GROUPS
    ]


def model_fields() -> dict[str, models.Field]:
    """The model fields of every input (for the abstract model the use case inherits)."""
    return {item.name: item.model_field() for item in INPUTS}
