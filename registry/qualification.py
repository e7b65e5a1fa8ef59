"""Guided qualification (DOMAIN.md section 3b): plain facts in, legal qualification out.

People who declare a use are not lawyers. The facts below are asked in plain French (each answer with an example,
« Je ne sais pas » wherever a non-lawyer may not know); `derive(facts, given)` turns them into the legal inputs of
the classification engine (`classification_inputs`), each with the answers it comes from and its article, and lists
the questions the DPO must confirm. An unknown or contradictory answer never yields the least demanding
qualification: the most demanding plausible one applies and the question goes to the DPO.

Pure functions of plain data, like `rules`: the form's live panel, `POST /api/v1/qualify/`, the use case's save and
the reclassification all call `derive`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from . import classification_inputs, rules

# Kinds of fact.
ONE = "one"  # one answer among options
MANY = "many"  # several answers
YES_NO = "yes_no"  # yes / no / unknown

UNKNOWN = "unknown"
YES, NO = "yes", "no"

# Why a question goes to the DPO.
REASON_UNKNOWN = "unknown"  # « Je ne sais pas », or left out
REASON_CONTRADICTORY = "contradictory"  # two answers that cannot both be true
REASON_CONFIRM = "confirm"  # DOMAIN.md 3b: the DPO confirms (several Annex III areas, law enforcement, "other"...)
REASON_LABELS = {
    REASON_UNKNOWN: _("not known"),
    REASON_CONTRADICTORY: _("contradictory answers"),
    REASON_CONFIRM: _("to be confirmed by the DPO"),
}


@dataclass(frozen=True)
class Option:
    code: str
    label: object  # a statement about the tool: it reads as an answer and after « parce que : »
    example: object = ""


@dataclass(frozen=True)
class Fact:
    """One plain-fact question of the guided qualification."""

    name: str
    kind: str
    question: object
    help: object
    step: str  # the form's step
    options: tuple[Option, ...] = ()
    # A follow-up: (the earlier fact, the answers that open it; () for any answer but "no").
    follows: tuple[str, tuple[str, ...]] | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)

    @property
    def choices(self) -> type:
        """The answers as a TextChoices class (model field, exchange columns, API), built once."""
        cached = _CHOICES.get(self.name)
        if cached is None:
            from django.db import models

            class_name = "".join(part.title() for part in self.name.split("_"))
            cached = models.TextChoices(
                class_name, [(option.code.upper(), (option.code, option.label)) for option in self.options]
            )
            _CHOICES[self.name] = cached
        return cached

    def label_of(self, code: str) -> str:
        return str(next((option.label for option in self.options if option.code == code), code))

    @property
    def multiple(self) -> bool:
        return self.kind == MANY


_CHOICES: dict[str, type] = {}


def _yes_no(yes, no, unknown=None, yes_example="", no_example="") -> tuple[Option, ...]:
    return (
        Option(YES, yes, yes_example),
        Option(NO, no, no_example),
        Option(UNKNOWN, unknown or _("I don't know"), ""),
    )


I_DONT_KNOW = _("I don't know")

FACTS: tuple[Fact, ...] = (
    # What the tool does ------------------------------------------------------------------------------------------
    Fact(
        "produces_by",
        MANY,
        _("How does the tool produce its results?"),
        _("Tick everything that applies. Rules written entirely by agents are not artificial intelligence."),
        "tool",
        (
            Option(
                "written_rules",
                _("It applies rules, scales or calculations written entirely by agents"),
                _("a scale computing an aid from income and household size; a website assistant offering buttons"),
            ),
            Option(
                "learned_from_data",
                _("It learned from examples or past data to give a score, a prediction or a classification"),
                _("a model predicting replacement needs from past years"),
            ),
            Option("generates_text", _("It writes or summarises text"), _("a chatbot, a writing assistant")),
            Option(
                "generates_images_audio_video",
                _("It creates images, sounds or videos"),
                _("an illustration, a synthetic voice"),
            ),
            Option(
                "recognises_images",
                _("It recognises what is in images or videos"),
                _("reading scanned forms, counting vehicles, spotting dumped waste"),
            ),
            Option(
                "recognises_speech",
                _("It recognises or transcribes speech"),
                _("transcribing a meeting, a voice switchboard"),
            ),
            Option(
                "reasons_on_knowledge_base",
                _("It reasons on knowledge written by experts to infer its answers"),
                _("a diagnosis aid chaining expert rules to reach a conclusion"),
            ),
            Option(
                "acts_autonomously",
                _("It acts by itself in other software"),
                _("it sends e-mails, fills in forms or updates files without a person doing each step"),
            ),
            Option(UNKNOWN, I_DONT_KNOW, _("the vendor does not say how it works")),
        ),
    ),
    Fact(
        "keeps_learning_in_use",
        YES_NO,
        _("Does the tool keep changing its behaviour by itself from the cases it sees once in use?"),
        _("A tool that its vendor updates from time to time does not."),
        "tool",
        _yes_no(
            _("Yes, it keeps learning from the cases it sees"),
            _("No, it only changes when it is updated"),
        ),
        follows=("produces_by", ()),
    ),
    Fact(
        "origin",
        ONE,
        _("Where does the tool come from, and how is it used?"),
        _("Whoever builds a tool or puts it to a new use carries more obligations than whoever uses it as intended."),
        "tool",
        (
            Option(
                "vendor_as_intended",
                _("A vendor supplies it and we use it as the vendor intends"),
                _("a software package, an online service"),
            ),
            Option(
                "vendor_repurposed",
                _("A vendor supplies it, but we use it for another purpose than the vendor intends"),
                _("a general chatbot used to rank job applicants"),
            ),
            Option(
                "built_for_us",
                _("We developed it, or had it developed for us"),
                _("a model built by the IT department or by a contractor for the collectivité"),
            ),
            Option(
                "substantially_modified",
                _("A vendor supplies it and we modified it substantially"),
                _("retrained on our data, or its workings changed"),
            ),
            Option(UNKNOWN, I_DONT_KNOW),
        ),
    ),
    Fact(
        "ce_marked_product",
        ONE,
        _("Is the tool part of a product sold with a CE marking?"),
        _(
            "Medical devices, machines, lifts, toys or radio equipment carry a CE marking; their documentation says "
            "how it was obtained."
        ),
        "tool",
        (
            Option(
                "notified_body",
                _("Yes, after an assessment by a notified body (its documentation names the body)"),
                _("a medical device of class IIa or above, such as a fall detector"),
            ),
            Option("self_certified", _("Yes, but the manufacturer certified it alone"), _("a class I medical device")),
            Option("no", _("No"), _("software or an online service")),
            Option(UNKNOWN, I_DONT_KNOW),
        ),
    ),
    Fact(
        "affects",
        ONE,
        _("Who is affected by what the tool produces?"),
        _("The people its results are about or addressed to."),
        "tool",
        (
            Option("agents", _("The agents of the collectivité"), _("a writing assistant for agents")),
            Option("public", _("The public: residents, users"), _("a chatbot on the website")),
            Option("both", _("Both agents and the public")),
            Option(UNKNOWN, I_DONT_KNOW),
        ),
    ),
    # Decisions about people ----------------------------------------------------------------------------------------
    Fact(
        "policy_areas",
        MANY,
        _("In which areas is the tool used?"),
        _("Tick every area concerned. Some areas carry more obligations: say exactly what the tool helps to do."),
        "decisions",
        (
            Option(
                "social_benefits",
                _("It helps decide on social aid, social housing or care: who gets it, how much, reduced or recovered"),
                _("RSA, CCAS aid, APA or PCH, allocation of social housing"),
            ),
            Option("recruitment", _("It helps to recruit: publishing offers, sorting or assessing applications")),
            Option(
                "staff_decisions",
                _(
                    "It helps decide about agents: promotion, end of contract, tasks allocated from their behaviour, "
                    "monitoring or evaluating their work"
                ),
            ),
            Option(
                "education_access",
                _("It helps decide on access or admission to a school or a training"),
                _("assigning pupils to schools"),
            ),
            Option("education_assessment", _("It assesses what pupils or trainees have learned")),
            Option(
                "emergency_calls",
                _("It handles emergency calls or dispatches emergency services"),
                _("prioritising the calls of the fire and rescue service"),
            ),
            Option(
                "critical_infrastructure_safety",
                _("It is a safety component of road traffic or of the supply of water, gas, heating or electricity"),
                _("a failure could endanger people or cut the supply"),
            ),
            Option(
                "infrastructure_operations",
                _("It optimises infrastructure without being a safety component"),
                _("waste collection rounds, public lighting, energy savings"),
            ),
            Option("biometric_identification", _("It identifies people from their face, voice or body")),
            Option(
                "biometric_categorisation",
                _("It sorts people into categories from their face, voice or body"),
                _("estimating age or sex from a photo"),
            ),
            Option("emotion_recognition", _("It detects people's emotions or state of mind")),
            Option("elections", _("It may influence how people vote or the result of an election")),
            Option(
                "law_enforcement",
                _("It serves municipal police missions: risks, evidence, offences"),
            ),
            Option("public_information", _("It answers questions from the public"), _("a chatbot on the website")),
            Option(
                "public_communication",
                _("It produces content that is published"),
                _("articles, images for the magazine"),
            ),
            Option(
                "internal_work",
                _("It helps agents with their own work: drafting, summarising, translating, coding"),
            ),
            Option("other", _("Another area (the DPO will confirm)")),
        ),
    ),
    Fact(
        "safety_component",
        YES_NO,
        _("Could a failure of the tool endanger people's life or health, or cut the supply?"),
        _("If so, the tool is a safety component of critical infrastructure."),
        "decisions",
        _yes_no(
            _("Yes, it is a safety component"),
            _("No, it only optimises the operation"),
        ),
        follows=("policy_areas", ("critical_infrastructure_safety", "infrastructure_operations")),
    ),
    Fact(
        "task_kind",
        ONE,
        _("In this area, what exactly does the tool do?"),
        _("A tool that only performs a narrow task around an agent's decision carries fewer obligations."),
        "decisions",
        (
            Option(
                "narrow_procedural",
                _("A narrow procedural task"),
                _("sorting incoming applications by type, spotting duplicates, turning scanned forms into text"),
            ),
            Option(
                "improves_completed_human_work",
                _("It improves the result of work an agent has already finished"),
                _("rewording a letter an agent wrote"),
            ),
            Option(
                "checks_consistency_with_past_human_decisions",
                _(
                    "It compares decisions already taken by agents with their usual practice, for a person to look "
                    "again at those that differ (it does not flag persons)"
                ),
            ),
            Option(
                "prepares_file_for_agent",
                _("It prepares a file that an agent then assesses"),
                _("gathering the pieces of an application, translating its documents"),
            ),
            Option(
                "assesses_or_recommends",
                _("It assesses, scores, ranks or recommends"),
                _("a priority score, a ranking of applicants"),
            ),
            Option(UNKNOWN, I_DONT_KNOW),
        ),
        follows=("policy_areas", ()),  # only for an Annex III area (`ANNEX_III_AREAS`)
    ),
    Fact(
        "effect_on_people",
        ONE,
        _("What is done with the tool's result when it concerns a person?"),
        _("Think of the decisions taken about a person: an aid, a place, a permit, a recruitment."),
        "decisions",
        (
            Option(
                "no_decision_about_persons",
                _("No decision about a person is taken with it"),
                _("a newsletter, a meeting summary, a translation"),
            ),
            Option(
                "agent_reexamines_whole_case",
                _("An agent examines each case in full and decides freely; the result is one element among others"),
                _("the tool summarises the file, the agent reads the whole file"),
            ),
            Option(
                "agent_usually_follows",
                _("Agents usually follow the result: a score, a ranking, a proposal"),
                _("a priority score the committee generally follows"),
            ),
            Option(
                "applied_without_agent",
                _("The result applies without an agent examining the case"),
                _("a tariff computed and billed automatically"),
            ),
            Option(UNKNOWN, I_DONT_KNOW),
        ),
    ),
    Fact(
        "decides_on_individual_cases",
        YES_NO,
        _("Is the result used to take a decision about a named person?"),
        _("Granting an aid, a place in a crèche, a permit, a sanction, a recruitment…"),
        "decisions",
        _yes_no(
            _("Yes, decisions about named persons are taken with it"),
            _("No, it founds no decision about a named person"),
        ),
    ),
    Fact(
        "on_administrative_appeals",
        YES_NO,
        _("Are some of these decisions answers to an administrative appeal?"),
        _("A person asks the administration to reconsider its decision (recours gracieux or hiérarchique)."),
        "decisions",
        _yes_no(_("Yes, it is used on administrative appeals"), _("No, never on administrative appeals")),
        follows=("decides_on_individual_cases", (YES, UNKNOWN)),
    ),
    Fact(
        "assesses_persons",
        YES_NO,
        _("Does the tool assess or predict something about people?"),
        _("Ranking applicants, estimating a risk of unpaid rent, predicting a need for support, scoring punctuality…"),
        "decisions",
        _yes_no(_("Yes, it assesses or predicts personal aspects of people"), _("No, it assesses no one")),
    ),
    Fact(
        "watches_people",
        YES_NO,
        _("Does the use observe, monitor or track people?"),
        _(
            "Cameras, geolocation of vehicles or agents, monitoring of agents' activity or of behaviour online. "
            "Reading documents with a camera is not watching people."
        ),
        "decisions",
        _yes_no(_("Yes, it observes, monitors or tracks people"), _("No, it watches no one")),
    ),
    # Data ------------------------------------------------------------------------------------------------------------
    Fact(
        "sensitive_contexts",
        MANY,
        _("Is the use part of one of these activities?"),
        _("Some activities always call for an impact assessment (AIPD) under the CNIL's list."),
        "data",
        (
            Option(
                "care",
                _("Care, or social and medico-social follow-up of persons, with health data"),
                _("an EHPAD, a SSIAD, a PMI, a health centre"),
            ),
            Option(
                "social_support",
                _("Social or medico-social support of persons"),
                _("RSA follow-up, the CCAS's support"),
            ),
            Option("social_housing", _("Social housing: applications, allocation, tenants' follow-up")),
            Option(
                "social_or_health_alerts",
                _("Alerts or reports on social or health matters"),
                _("reports about children at risk"),
            ),
            Option("whistleblowing", _("Professional alerts (whistleblowing procedure)")),
            Option("contract_exclusion", _("A score that may refuse a service or end a contract")),
            Option("none", _("None of these")),
            Option(UNKNOWN, I_DONT_KNOW),
        ),
    ),
)

FACTS_BY_NAME = {fact.name: fact for fact in FACTS}
FACT_NAMES = tuple(FACTS_BY_NAME)

# The answers of the quietest use, a writing assistant of the agents that decides nothing about anyone: nothing to
# confirm, only the minimal obligations. The example line of the import template answers them.
WRITING_ASSISTANT = {
    "produces_by": ["generates_text"],
    "keeps_learning_in_use": "no",
    "origin": "vendor_as_intended",
    "ce_marked_product": "no",
    "affects": "agents",
    "policy_areas": ["internal_work"],
    "effect_on_people": "no_decision_about_persons",
    "decides_on_individual_cases": "no",
    "assesses_persons": "no",
    "watches_people": "no",
    "sensitive_contexts": ["none"],
}

# The legal inputs (classification_inputs) the facts derive, and the facts each comes from (DOMAIN.md 3b).
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "technique": ("produces_by",),
    "self_learning": ("keeps_learning_in_use", "produces_by"),
    "ai_act_role": ("origin",),
    "annex_i_product": ("ce_marked_product",),
    "audience": ("affects",),
    "annex_iii_point": ("policy_areas", "safety_component"),
    "art6_3_ground": ("task_kind",),
    "automation_level": ("effect_on_people",),
    "individual_decisions": ("decides_on_individual_cases",),
    "administrative_appeal": ("on_administrative_appeals",),
    "profiling": ("assesses_persons",),
    "systematic_monitoring": ("watches_people",),
    "care_context": ("sensitive_contexts",),
    "cnil_list_types": ("sensitive_contexts",),
}
DERIVED_INPUTS = tuple(DERIVED_FROM)

TECHNIQUE_ORDER = (
    ("acts_autonomously", "agentic"),
    ("generates_images_audio_video", "genai_media"),
    ("generates_text", "genai_text"),
    ("recognises_images", "vision"),
    ("recognises_speech", "speech"),
    ("learned_from_data", "ml_predictive"),
    ("reasons_on_knowledge_base", "expert_system"),
)
AREA_POINTS = {
    "social_benefits": "5a",
    "recruitment": "4a",
    "staff_decisions": "4b",
    "education_access": "3a",
    "education_assessment": "3b",
    "emergency_calls": "5d",
    "critical_infrastructure_safety": "2",
    "biometric_identification": "1a",
    "biometric_categorisation": "1b",
    "emotion_recognition": "1c",
    "elections": "8b",
    "law_enforcement": "6a",
}
ANNEX_III_ORDER = (
    *("1a", "1b", "1c", "2", "3a", "3b", "3c", "3d", "4a", "4b", "5a", "5b", "5c", "5d"),
    *("6a", "6b", "6c", "6d", "6e", "7a", "7b", "7c", "7d", "8a", "8b"),
)
# The areas that fall within Annex III once the tool is an AI system ("other" may: the DPO confirms).
ANNEX_III_AREAS = frozenset(AREA_POINTS) | {"other"}
TASK_GROUNDS = {
    "narrow_procedural": "a",
    "improves_completed_human_work": "b",
    "checks_consistency_with_past_human_decisions": "c",
    "prepares_file_for_agent": "d",
}
EFFECT_LEVELS = {
    "no_decision_about_persons": "none",
    "agent_reexamines_whole_case": "assist",
    "agent_usually_follows": "determining",
    "applied_without_agent": "fully_automated",
    UNKNOWN: "determining",
}
CONTEXT_CNIL = {
    "social_support": "social_support",
    "social_housing": "social_housing",
    "social_or_health_alerts": "social_health_alerts",
    "whistleblowing": "professional_alerts",
}
# The article each derived input stands for (shown next to it, with the answers it comes from).
INPUT_ARTICLES = {
    "technique": _("AI Act, art. 3(1) and recital 12"),
    "self_learning": _("Conseil constitutionnel, décision 2018-765 DC"),
    "ai_act_role": _("AI Act, art. 3(3), 3(4) and 25(1)"),
    "annex_i_product": _("AI Act, art. 6(1) and Annex I"),
    "audience": _("AI Act, art. 26(7); EDPB guidelines WP248"),
    "annex_iii_point": _("AI Act, art. 6(2) and Annex III"),
    "art6_3_ground": _("AI Act, art. 6(3)"),
    "automation_level": _("RGPD, art. 22; CJEU C-634/21"),
    "individual_decisions": _("CRPA, art. L311-3-1"),
    "administrative_appeal": _("Loi Informatique et Libertés, art. 47"),
    "profiling": _("RGPD, art. 4(4)"),
    "systematic_monitoring": _("EDPB guidelines WP248, criterion 3"),
    "care_context": _("Code de la santé publique, art. L1111-8"),
    "cnil_list_types": _("CNIL délibération 2018-327"),
    "art5_practices": _("AI Act, art. 5(1)(f)"),
    "personal_data_categories": _("RGPD, art. 4(1) and 9"),
}


@dataclass(frozen=True)
class Because:
    """One answer a derived value comes from."""

    fact: str
    answer: tuple[str, ...]

    @property
    def text(self) -> str:
        fact = FACTS_BY_NAME[self.fact]
        return "; ".join(fact.label_of(code) for code in self.answer)

    def as_dict(self) -> dict:
        return {"fact": self.fact, "answer": list(self.answer), "text": self.text}


@dataclass
class Derived:
    """A legal input derived from the facts: its value and why."""

    value: object
    because: list[Because] = field(default_factory=list)

    def cite(self, name: str) -> str:
        return str(INPUT_ARTICLES.get(name, ""))


@dataclass(frozen=True)
class Question:
    """A question the DPO must confirm, and why."""

    fact: str
    reason: str
    inputs: tuple[str, ...]

    @property
    def text(self) -> str:
        return str(FACTS_BY_NAME[self.fact].question)

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])

    def as_dict(self) -> dict:
        return {"question": self.fact, "reason": self.reason, "inputs": list(self.inputs), "text": self.text}


@dataclass
class Qualification:
    derived: dict[str, Derived] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    # Legal inputs the facts change beyond the derived ones (personal data implied by an answer, art. 5(1)(f)).
    amended: dict[str, Derived] = field(default_factory=dict)

    def ask(self, fact: str, reason: str, *inputs: str) -> None:
        """One question per fact: asked again for other inputs, it names them too (the first reason stays)."""
        for index, question in enumerate(self.questions):
            if question.fact == fact:
                merged = tuple(dict.fromkeys((*question.inputs, *inputs)))
                self.questions[index] = Question(fact, question.reason, merged)
                return
        self.questions.append(Question(fact, reason, inputs))

    @property
    def needs_dpo(self) -> list[str]:
        return [question.fact for question in self.questions]

    def inputs(self) -> dict[str, object]:
        """Every legal input the facts set, as the model stores them."""
        return {name: item.value for name, item in {**self.derived, **self.amended}.items()}


def normalise(facts: Mapping) -> dict:
    """Answers as plain codes: lists for several answers, None for a question left out."""
    result = {}
    for fact in FACTS:
        value = facts.get(fact.name)
        if fact.multiple:
            value = [code for code in fact.codes if code in (value or ())] if value not in (None, "") else None
            value = value or None
        else:
            value = value or None
        result[fact.name] = value
    return result


def _answer(facts: dict, name: str) -> str:
    """A single answer, `unknown` when left out (DOMAIN.md 3b)."""
    return facts.get(name) or UNKNOWN


def derive(facts: Mapping, given: Mapping | None = None, fixed: Mapping | None = None) -> Qualification:
    """The legal inputs the facts imply (DOMAIN.md section 3b), with the answers each comes from, and the questions
    the DPO must confirm. `given`: the section 2 answers asked directly (personal data, Art. 5 practices...), which
    some facts read; `fixed`: legal inputs the DPO set directly, which the role's "high risk" test takes as set."""
    facts = normalise(facts)
    given = dict(given or {})
    result = Qualification()
    categories = list(given.get("personal_data_categories") or [])
    add, ask = result.derived.__setitem__, result.ask

    # Technique, and whether the AI Act applies at all.
    produces = facts["produces_by"] or [UNKNOWN]
    ai_answers = [code for code, _technique in TECHNIQUE_ORDER if code in produces]
    because = [Because("produces_by", tuple(produces))]
    if ai_answers:
        technique = dict(TECHNIQUE_ORDER)[ai_answers[0]]
    elif produces == ["written_rules"]:
        technique = rules.NOT_AI_TECHNIQUE
    else:  # unknown: an AI system whose technique the DPO confirms
        technique = None
    if UNKNOWN in produces:
        ask("produces_by", REASON_UNKNOWN, "technique")
    learning = facts["keeps_learning_in_use"]
    if technique == rules.NOT_AI_TECHNIQUE:
        if learning == YES:
            # Rules written by people do not learn: the most demanding reading is an AI system.
            technique = None
            ask("keeps_learning_in_use", REASON_CONTRADICTORY, "technique", "self_learning")
        self_learning = learning == YES
    else:
        self_learning = (learning or UNKNOWN) != NO
        if (learning or UNKNOWN) == UNKNOWN:
            ask("keeps_learning_in_use", REASON_UNKNOWN, "self_learning")
    add("technique", Derived(technique, because))
    add("self_learning", Derived(self_learning, [Because("keeps_learning_in_use", (learning or UNKNOWN,))]))
    ai_system = technique != rules.NOT_AI_TECHNIQUE

    # Who is affected.
    affects = _answer(facts, "affects")
    add("audience", Derived("both" if affects == UNKNOWN else affects, [Because("affects", (affects,))]))
    if affects == UNKNOWN:
        ask("affects", REASON_UNKNOWN, "audience")

    # Annex I product.
    product = _answer(facts, "ce_marked_product")
    add("annex_i_product", Derived(product == "notified_body", [Because("ce_marked_product", (product,))]))
    if product == UNKNOWN:
        ask("ce_marked_product", REASON_UNKNOWN, "annex_i_product")

    # Annex III point, from the areas (an AI system only: the AI Act does not apply to rules).
    areas = list(facts["policy_areas"] or ["other"])
    safety = facts["safety_component"]
    infrastructure = {"critical_infrastructure_safety", "infrastructure_operations"} & set(areas)
    if infrastructure and safety:
        # The follow-up decides between a safety component (point 2) and mere operation; unknown: point 2.
        areas = [area for area in areas if area not in infrastructure]
        areas.append("infrastructure_operations" if safety == NO else "critical_infrastructure_safety")
        if safety == UNKNOWN:
            ask("safety_component", REASON_UNKNOWN, "annex_iii_point")
    points = sorted({AREA_POINTS[area] for area in areas if area in AREA_POINTS}, key=ANNEX_III_ORDER.index)
    area_because = [Because("policy_areas", tuple(areas))]
    if infrastructure and safety:
        area_because.append(Because("safety_component", (safety,)))
    point = None
    if ai_system:
        point = next((code for code in points if code != "2"), points[0] if points else None)
        # Several Annex III areas (every point is named, the first other than 2 applies), the police's letter,
        # or another area: the DPO confirms (DOMAIN.md 3b).
        if len(points) > 1 or "other" in areas or "law_enforcement" in areas:
            ask("policy_areas", REASON_CONFIRM, "annex_iii_point")
    add("annex_iii_point", Derived(point, area_because))

    # Art. 6(3): read only for an Annex III area.
    task = facts["task_kind"]
    ground = None
    if point:
        task = task or UNKNOWN
        ground = TASK_GROUNDS.get(task)
        if task == UNKNOWN:
            ask("task_kind", REASON_UNKNOWN, "art6_3_ground")
    add("art6_3_ground", Derived(ground, [Because("task_kind", (task,))] if point else []))

    # Decisions about persons.
    effect = _answer(facts, "effect_on_people")
    add("automation_level", Derived(EFFECT_LEVELS[effect], [Because("effect_on_people", (effect,))]))
    if effect == UNKNOWN:
        ask("effect_on_people", REASON_UNKNOWN, "automation_level")
    decides = _answer(facts, "decides_on_individual_cases")
    individual = decides != NO
    if decides == UNKNOWN:
        ask("decides_on_individual_cases", REASON_UNKNOWN, "individual_decisions")
    if individual and EFFECT_LEVELS[effect] == "none":
        # A decision about a named person with a result used for no decision: the more demanding reading is that
        # the result is one element of the decision.
        result.derived["automation_level"] = Derived(
            "assist", [Because("effect_on_people", (effect,)), Because("decides_on_individual_cases", (decides,))]
        )
        ask("effect_on_people", REASON_CONTRADICTORY, "automation_level", "individual_decisions")
    add("individual_decisions", Derived(individual, [Because("decides_on_individual_cases", (decides,))]))
    appeals = facts["on_administrative_appeals"]
    if individual:
        appeals = appeals or UNKNOWN
        if appeals == UNKNOWN:
            ask("on_administrative_appeals", REASON_UNKNOWN, "administrative_appeal")
    add(
        "administrative_appeal",
        Derived(individual and appeals != NO, [Because("on_administrative_appeals", (appeals,))] if individual else []),
    )

    # Assessing and watching persons: about people, so personal data.
    assesses = _answer(facts, "assesses_persons")
    watches = _answer(facts, "watches_people")
    for fact, answer, name in (
        ("assesses_persons", assesses, "profiling"),
        ("watches_people", watches, "systematic_monitoring"),
    ):
        if not categories and answer != YES:
            # Without personal data nobody is assessed or watched: the question does not arise.
            add(name, Derived(False, [Because(fact, (answer,))]))
            continue
        add(name, Derived(answer != NO, [Because(fact, (answer,))]))
        if answer == UNKNOWN:
            ask(fact, REASON_UNKNOWN, name)
        if not categories:
            # Assessing or watching people processes data about them: ordinary personal data at least.
            categories = ["ordinary"]
            result.amended["personal_data_categories"] = Derived(categories, [Because(fact, (answer,))])
            ask(fact, REASON_CONTRADICTORY, name, "personal_data_categories")

    # Sensitive contexts: the care context and the CNIL's list.
    contexts = facts["sensitive_contexts"] or [UNKNOWN]
    context_because = [Because("sensitive_contexts", tuple(contexts))]
    if UNKNOWN in contexts:  # left out too: the DPO confirms (DOMAIN.md 3b)
        ask("sensitive_contexts", REASON_UNKNOWN, "care_context", "cnil_list_types")
        contexts = [code for code in contexts if code != UNKNOWN]
    care = "care" in contexts
    if care and "health" not in categories:
        # Care implies health data (CSP L1111-8): the more demanding reading.
        categories = [*categories, "health"]
        result.amended["personal_data_categories"] = Derived(categories, context_because)
        ask("sensitive_contexts", REASON_CONTRADICTORY, "care_context", "personal_data_categories")
    types = [CONTEXT_CNIL[code] for code in contexts if code in CONTEXT_CNIL]
    if "contract_exclusion" in contexts:
        if result.derived["profiling"].value:
            types.append("profiling_contract_exclusion")
        else:
            # The CNIL type is profiling that may exclude: without an assessment of persons, the DPO decides.
            ask("sensitive_contexts", REASON_CONTRADICTORY, "cnil_list_types", "profiling")
    add("care_context", Derived(care, context_because))
    add("cnil_list_types", Derived(types if categories else [], context_because))

    # Emotion recognition at work or in education is prohibited (art. 5(1)(f)) unless for medical or safety
    # reasons, which the DPO may record.
    practices = list(given.get("art5_practices") or [])
    education = {"education_access", "education_assessment"} & set(areas)
    if (
        ai_system
        and "emotion_recognition" in areas
        and (result.derived["audience"].value in {"agents", "both"} or education)
    ):
        if "f" not in practices:
            practices = sorted({*practices, "f"})
        result.amended["art5_practices"] = Derived(
            practices, [Because("policy_areas", ("emotion_recognition",)), Because("affects", (affects,))]
        )
        ask("policy_areas", REASON_CONFIRM, "art5_practices")

    # The role: a provider builds the system, or repurposes or modifies it so that it is high-risk (art. 25(1)).
    origin = _answer(facts, "origin")
    role = "provider" if origin == "built_for_us" else "deployer"
    if origin in {"vendor_repurposed", "substantially_modified", UNKNOWN} and ai_system:
        known = set(rules.UseCaseFacts.__dataclass_fields__)
        effective = {**given, **result.inputs(), **dict(fixed or {})}
        values = {name: value for name, value in effective.items() if name in known}
        draft = rules.classify(rules.UseCaseFacts.build(**{**values, "ai_act_role": "deployer"}))
        if draft.ai_act_risk == "high":
            role = "provider"
    add("ai_act_role", Derived(role, [Because("origin", (origin,))]))
    if origin == UNKNOWN:
        ask("origin", REASON_UNKNOWN, "ai_act_role")
    return result


def facts_implied_by(inputs: Mapping) -> dict:
    """The facts that stored legal inputs imply where the mapping is one-to-one (the migration of existing use
    cases); the others are left out: "facts to complete"."""
    facts: dict = {}
    technique = inputs.get("technique")
    by_technique = {technique_code: code for code, technique_code in TECHNIQUE_ORDER}
    if technique == rules.NOT_AI_TECHNIQUE:
        facts["produces_by"] = ["written_rules"]
    elif technique in by_technique:
        facts["produces_by"] = [by_technique[technique]]
    if technique and technique != rules.NOT_AI_TECHNIQUE:
        facts["keeps_learning_in_use"] = YES if inputs.get("self_learning") else NO
    point = inputs.get("annex_iii_point")
    by_point = {code: area for area, code in AREA_POINTS.items() if area != "law_enforcement"} | {
        "6a": "law_enforcement"
    }
    if point in by_point:
        facts["policy_areas"] = [by_point[point]]
        if point == "2":
            facts["safety_component"] = YES
        ground = inputs.get("art6_3_ground")
        by_ground = {letter: task for task, letter in TASK_GROUNDS.items()}
        if ground in by_ground:
            facts["task_kind"] = by_ground[ground]
    automation = inputs.get("automation_level")
    by_level = {level: effect for effect, level in EFFECT_LEVELS.items() if effect != UNKNOWN}
    if automation in by_level:
        facts["effect_on_people"] = by_level[automation]
    for name, fact in (
        ("individual_decisions", "decides_on_individual_cases"),
        ("profiling", "assesses_persons"),
        ("systematic_monitoring", "watches_people"),
    ):
        if name in inputs:
            facts[fact] = YES if inputs[name] else NO
    if inputs.get("individual_decisions"):
        facts["on_administrative_appeals"] = YES if inputs.get("administrative_appeal") else NO
    if inputs.get("annex_i_product"):
        facts["ce_marked_product"] = "notified_body"
    if inputs.get("audience") in {"agents", "public", "both"}:
        facts["affects"] = inputs["audience"]
    return facts


def left_out_as_unknown(facts: Mapping) -> dict:
    """The answers of a questionnaire with every question left out answered « Je ne sais pas » (DOMAIN.md 3b): what
    a new use case records when it is created with its facts. "Other area" stands for an unknown area."""
    answers = normalise(facts)
    for fact in FACTS:
        if answers[fact.name] is not None:
            continue
        if fact.follows and fact.follows[0] and not _open(fact, answers):
            continue
        if fact.name == "policy_areas":
            answers[fact.name] = ["other"]
        else:
            answers[fact.name] = [UNKNOWN] if fact.multiple else UNKNOWN
    return {name: value for name, value in answers.items() if value is not None}


def missing_facts(facts: Mapping) -> list[str]:
    """The facts not answered yet that the derivation would read: every question left empty, except a follow-up
    that the answers before it close (a follow-up of an unanswered question is missing too)."""
    facts = normalise(facts)
    missing: list[str] = []
    for fact in FACTS:  # in the declaration's order: a follow-up comes after the question it follows
        if facts[fact.name] is not None:
            continue
        if fact.follows and fact.follows[0] not in missing and not _open(fact, facts):
            continue
        missing.append(fact.name)
    return missing


def _open(fact: Fact, facts: dict) -> bool:
    """Whether a follow-up question is asked, given the answers before it."""
    earlier, answers = fact.follows
    value = facts.get(earlier)
    if fact.name == "task_kind":
        return bool(set(value or ()) & ANNEX_III_AREAS)
    if fact.name == "keeps_learning_in_use":
        return value != ["written_rules"]
    values = value if isinstance(value, list) else [value] if value else []
    if not answers:
        return bool(values) and NO not in values
    return bool(set(values) & set(answers))


def is_open(name: str, facts: Mapping) -> bool:
    """Whether the question `name` is asked given the other answers (a follow-up may not be)."""
    fact = FACTS_BY_NAME[name]
    return fact.follows is None or _open(fact, normalise(facts))


# Facts, derivation, the DPO's overrides and the inputs stored before the facts: the legal inputs that apply -------

FACTS_SOURCE, OVERRIDE_SOURCE, STORED_SOURCE = "facts", "override", "stored"
# Inputs whose "none" is stored as an empty string (and exchanged as null).
OPTIONAL_CODE_INPUTS = frozenset(
    item.name for item in classification_inputs.INPUTS if item.kind == classification_inputs.OPTIONAL_CODE
)
# What the DPO (or the RSSI, for the security axis) may set directly, with a written justification.
DPO_OVERRIDABLE = (*DERIVED_INPUTS, "art5_practices")
RSSI_OVERRIDABLE = ("max_data_classification", "hosting_zone", "hosting_qualification", "provider_reuse_disabled")
OVERRIDABLE = (*DPO_OVERRIDABLE, *RSSI_OVERRIDABLE)


@dataclass
class Outcome:
    """The legal inputs that apply to a use case, where each comes from, and what is left to do."""

    inputs: dict[str, object]  # the legal inputs the facts and the overrides set (others keep their answers)
    derivation: Qualification
    sources: dict[str, str]  # input -> facts | override | stored
    questions: list[Question]  # for the DPO to confirm
    missing: list[str]  # facts to complete (a use case recorded before the facts, or through legal inputs)
    overrides_to_review: list[str]  # overridden inputs the facts now derive differently than when overridden

    @property
    def needs_dpo(self) -> list[str]:
        return [question.fact for question in self.questions]

    @property
    def to_answer(self) -> list[str]:
        """The missing facts an owner can answer now (a follow-up waits for the question it follows)."""
        return [name for name in self.missing if (FACTS_BY_NAME[name].follows or ("",))[0] not in self.missing]


def _plain(value):
    return list(value) if isinstance(value, list | tuple | frozenset | set) else value


def qualify(
    facts: Mapping, given: Mapping | None = None, *, overrides: Mapping | None = None, stored: Mapping | None = None
) -> Outcome:
    """The legal inputs that apply: a DPO's override first, then what the facts derive, and — for a use case whose
    facts are not all answered yet (`stored`: its legal inputs as recorded) — the recorded value of an input whose
    facts are missing, never lost. Without `stored` (a new use case, `POST /qualify/`), a fact left out counts as
    unknown (DOMAIN.md 3b)."""
    overrides = dict(overrides or {})
    derivation = derive(facts, given, {name: override["value"] for name, override in overrides.items()})
    missing = missing_facts(facts) if stored is not None else []
    inputs, sources = {}, {}
    for name, item in {**derivation.derived, **derivation.amended}.items():
        feeding = DERIVED_FROM.get(name, ()) or tuple(because.fact for because in item.because)
        if stored is not None and any(fact in missing for fact in feeding):
            if name in stored:
                inputs[name], sources[name] = stored[name], STORED_SOURCE
            continue
        inputs[name], sources[name] = _plain(item.value), FACTS_SOURCE
    to_review = []
    for name, override in overrides.items():
        inputs[name], sources[name] = override["value"], OVERRIDE_SOURCE
        derived = derivation.derived.get(name) or derivation.amended.get(name)
        if derived is not None and "derived" in override and _plain(derived.value) != override["derived"]:
            to_review.append(name)
    questions = [
        question
        for question in derivation.questions
        if question.fact not in missing
        and not all(name in overrides or sources.get(name) == STORED_SOURCE for name in question.inputs)
    ]
    return Outcome(inputs, derivation, sources, questions, missing, to_review)


def confirmed(questions: list[Question], inputs: Mapping, confirmation: Mapping | None) -> bool:
    """Whether the DPO confirmed these questions with the legal inputs as they are now."""
    if not questions:
        return True
    if not confirmation:
        return False
    asked = set(confirmation.get("questions") or ())
    values = confirmation.get("values") or {}
    return all(
        question.fact in asked
        and all(name in values and values[name] == _plain(inputs.get(name)) for name in question.inputs)
        for question in questions
    )


def fact_model_fields() -> dict:
    """The model fields that store the answers (empty: not answered yet; a list for several answers)."""
    from django.db import models

    fields = {}
    for fact in FACTS:
        choices = fact.choices.choices
        if fact.multiple:
            fields[fact.name] = models.JSONField(fact.question, null=True, blank=True, default=None)
        else:
            fields[fact.name] = models.CharField(fact.question, max_length=60, choices=choices, blank=True, default="")
    return fields
