"""The classification engine: DOMAIN.md sections 3 and 4 as pure functions of plain data.

`classify(facts, policy)` derives the AI Act risk, the RGPD sensitivity, the obligations a use case
triggers (DPIA, FRIA, EU registration, CRPA mention, public register, ethics review), whether it is
blocked, and the human-control checkpoints it requires. Every conclusion carries a `Reason`: a stable code,
the legal basis it comes from, and a French explanation rendered in the active language. No ORM, no request:
the same function serves the model's save, the live preview of the form and `POST /api/v1/classify/`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# CRPA L312-1-3: administrations with more than 50 agents publish the rules of their main algorithms.
PUBLIC_REGISTER_AGENT_THRESHOLD = 50

HIGHLY_PERSONAL = frozenset({"financial", "location", "communications", "nir", "minors_vulnerable"})
ART9 = frozenset(
    {
        "racial_ethnic_origin",
        "political_opinions",
        "religious_beliefs",
        "trade_union",
        "genetic",
        "biometric",
        "health",
        "sex_life_orientation",
    }
)
ART10 = frozenset({"criminal"})
SPECIAL = ART9 | ART10
GENERATIVE = frozenset({"genai_text", "genai_media", "agentic"})
CLASSIFICATION_LEVELS = ("C0", "C1", "C2", "C3", "C4")
CHECKPOINT_ORDER = (
    "output_review",
    "decision_validation",
    "source_verification",
    "bias_review",
    "log_retention",
    "oversight_training",
    "transparency_notice",
    "crpa_mention",
    "data_minimisation",
    "incident_monitoring",
    "workers_informed",
)

# Reason kinds, in the order they are shown: what stops the use, what classifies it, what it triggers.
BLOCKING = "blocking"
CLASSIFICATION = "classification"
OBLIGATION = "obligation"
WARNING = "warning"
INFORMATION = "information"
KIND_ORDER = (BLOCKING, CLASSIFICATION, OBLIGATION, WARNING, INFORMATION)
KIND_LABELS = {
    BLOCKING: _("Blocking"),
    CLASSIFICATION: _("Classification"),
    OBLIGATION: _("Obligation"),
    WARNING: _("Warning"),
    INFORMATION: _("Information"),
}

# The legal basis and explanation of every reason code. `%(name)s` placeholders take the reason's params.
REASONS: dict[str, tuple[object, object]] = {
    "art5_prohibited": (
        _("AI Act, art. 5(1)"),
        _(
            "The use involves a prohibited practice (%(practices)s). Prohibited practices can never be "
            "authorised: the use is blocked."
        ),
    ),
    "annex_iii_high": (
        _("AI Act, art. 6(2) and Annex III"),
        _(
            "The use falls within Annex III, point %(point)s, and no Article 6(3) exemption applies: "
            "it is a high-risk AI system."
        ),
    ),
    "annex_iii_profiling": (
        _("AI Act, art. 6(3), last subparagraph"),
        _(
            "An Article 6(3) exemption was claimed, but the system profiles natural persons: an Annex III "
            "system that profiles is always high-risk."
        ),
    ),
    "art6_3_exempt": (
        _("AI Act, art. 6(3)"),
        _(
            "The use falls within Annex III, point %(point)s, but it performs a task covered by Article "
            "6(3)(%(ground)s) without profiling: it is not high-risk. Keep the documented assessment that "
            "supports this exemption."
        ),
    ),
    "art50_limited": (
        _("AI Act, art. 50"),
        _(
            "The system has features subject to transparency duties (%(features)s): it is limited-risk. "
            "People must be told they deal with an AI or that content was generated."
        ),
    ),
    "art50_high": (
        _("AI Act, art. 50 and 50(6)"),
        _(
            "The system also has features subject to transparency duties (%(features)s), which apply on top of "
            "the high-risk obligations: people must be told they deal with an AI or that content was generated."
        ),
    ),
    "minimal": (
        _("AI Act, art. 4 and art. 95"),
        _(
            "No prohibited practice, Annex III domain or transparency feature: minimal risk. The AI literacy "
            "of the agents using it (art. 4) still applies."
        ),
    ),
    "deployer_duties": (
        _("AI Act, art. 26"),
        _(
            "As the deployer of a high-risk system the collectivité must use it according to the "
            "instructions, entrust oversight to trained people, monitor it, keep its logs at least six "
            "months and report serious incidents."
        ),
    ),
    "fria": (
        _("AI Act, art. 27"),
        _(
            "A public body deploying a high-risk system of Annex III (other than point 2) must carry out a "
            "fundamental rights impact assessment (FRIA) before first use."
        ),
    ),
    "eu_registration": (
        _("AI Act, art. 49(3)"),
        _(
            "A public deployer must register its use of this Annex III system in the EU database before "
            "putting it into use."
        ),
    ),
    "annex_iii_point_2": (
        _("AI Act, art. 27(1) and art. 49(3)"),
        _(
            "Critical infrastructure systems (Annex III, point 2) are exempt from the FRIA and from the "
            "deployer's registration in the EU database."
        ),
    ),
    "right_to_explanation": (
        _("AI Act, art. 86"),
        _(
            "Persons subject to a decision based on this high-risk system have a right to a clear explanation "
            "of the role the AI played in it."
        ),
    ),
    "rgpd_none": (_("RGPD, art. 4(1)"), _("No personal data is processed.")),
    "rgpd_personal": (_("RGPD, art. 4(1)"), _("Personal data is processed.")),
    "rgpd_highly_personal": (
        _("RGPD, art. 35 and EDPB guidelines WP248"),
        _("Highly personal data or data about vulnerable persons is processed (%(categories)s)."),
    ),
    "rgpd_special": (
        _("RGPD, art. 9 and art. 10"),
        _(
            "Special-category or criminal-offence data is processed (%(categories)s): processing is forbidden "
            "unless an exception of art. 9(2) or art. 10 applies."
        ),
    ),
    "dpia_edpb": (
        _("RGPD, art. 35(1) and EDPB guidelines WP248"),
        _("%(count)s criteria of the EDPB list are met (%(criteria)s): a DPIA (AIPD) is required."),
    ),
    "dpia_edpb_below": (
        _("RGPD, art. 35(1) and EDPB guidelines WP248"),
        _("Only %(count)s criterion of the EDPB list is met (%(criteria)s): no DPIA is required on this ground alone."),
    ),
    "dpia_cnil_list": (
        _("RGPD, art. 35(4) and CNIL délibération 2018-327"),
        _("The processing is of a type on the CNIL's list requiring a DPIA: %(types)s."),
    ),
    "dpia_art35_3a": (
        _("RGPD, art. 35(3)(a)"),
        _(
            "Systematic and extensive evaluation of persons based on automated processing, including "
            "profiling, on which decisions with legal effects are based: a DPIA is required."
        ),
    ),
    "dpia_art35_3b": (
        _("RGPD, art. 35(3)(b)"),
        _("Large-scale processing of special-category or criminal data: a DPIA is required."),
    ),
    "dpia_art35_3c": (
        _("RGPD, art. 35(3)(c)"),
        _("Large-scale systematic monitoring of a publicly accessible area: a DPIA is required."),
    ),
    "art22_safeguards": (
        _("RGPD, art. 22 and Loi Informatique et Libertés, art. 47"),
        _(
            "Fully automated individual decisions are allowed only with safeguards: the collectivité must "
            "master the algorithm and its changes and be able to explain in detail how it was applied."
        ),
    ),
    "crpa_mention": (
        _("CRPA, art. L311-3-1 and R311-3-1-1"),
        _(
            "Individual decisions taken on the basis of an algorithmic processing must carry an explicit "
            "mention, and its rules and main features must be explained to the person on request."
        ),
    ),
    "public_register": (
        _("CRPA, art. L312-1-3"),
        _(
            "The collectivité has more than %(threshold)s agents (%(agents)s): the rules of this algorithmic "
            "processing, which founds individual decisions, must be published online."
        ),
    ),
    "public_register_small": (
        _("CRPA, art. L312-1-3"),
        _(
            "The collectivité has %(threshold)s agents or fewer: online publication of the algorithm's rules "
            "is not compulsory, but remains recommended."
        ),
    ),
    "public_register_unknown": (
        _("CRPA, art. L312-1-3"),
        _(
            "The number of agents of the collectivité is not known: above %(threshold)s agents, the rules of "
            "this algorithmic processing must be published online."
        ),
    ),
    "block_self_learning": (
        _("Conseil constitutionnel, décision 2018-765 DC, § 71"),
        _(
            "A self-learning algorithm may not be the sole basis of an individual administrative decision: a "
            "fully automated decision by a self-learning system is forbidden."
        ),
    ),
    "block_automated_special": (
        _("RGPD, art. 22(4) and Loi Informatique et Libertés, art. 47"),
        _("A fully automated individual decision may not be based on special-category or criminal data."),
    ),
    "block_automated_appeal": (
        _("Loi Informatique et Libertés, art. 47"),
        _("No decision on an administrative appeal (recours administratif) may be fully automated."),
    ),
    "block_c4": (
        _("IGI 1300 (protection du secret de la défense nationale)"),
        _("Classified information (C4) must never be entered into an AI tool."),
    ),
    "block_c3_hosting": (
        _("II 901 (Diffusion Restreinte)"),
        _(
            "Diffusion Restreinte information (C3) may only be processed by a system hosted on premises and "
            "approved for it; here the hosting is %(hosting)s."
        ),
    ),
    "block_tool_prohibited": (
        _("Security policy of the collectivité (PSSI)"),
        _("The tool %(tool)s is prohibited by the collectivité."),
    ),
    "block_tool_classification": (
        _("Security policy of the collectivité (PSSI)"),
        _("The tool %(tool)s may receive data up to %(allowed)s only, but this use handles %(level)s data."),
    ),
    "warn_transfer": (
        _("RGPD, chapter V (art. 44 to 49)"),
        _(
            "Personal data is hosted outside the EU or in an unknown place (%(hosting)s): check the transfer "
            "safeguards and prefer a hosting in the EU."
        ),
    ),
    "warn_provider_reuse": (
        _("CNIL recommendations on generative AI (2024)"),
        _(
            "Sensitive data (%(level)s) goes to a vendor that may reuse it to train its models: use a "
            "professional account with reuse switched off."
        ),
    ),
    "warn_tool_under_review": (
        _("Security policy of the collectivité (PSSI)"),
        _("The tool %(tool)s is still under review by the DPO and the RSSI."),
    ),
    "ethics_high": (_("AI Act, art. 26 and 27"), _("A high-risk system is reviewed by the ethics committee.")),
    "ethics_special": (
        _("RGPD, art. 9 and 10"),
        _("Special-category or criminal data: the ethics committee reviews the use."),
    ),
    "ethics_automation": (
        _("CJEU C-634/21 and RGPD art. 22"),
        _("The AI weighs decisively on decisions about persons: the ethics committee reviews the use."),
    ),
    "ethics_public_chatbot": (
        _("AI Act, art. 50(1)"),
        _("A chatbot talks directly to the public: the ethics committee reviews the use."),
    ),
    "ethics_policy_personal_data": (
        _("Ethics charter of the collectivité"),
        _("The collectivité's policy submits every use processing personal data to the ethics committee."),
    ),
    "ethics_policy_public": (
        _("Ethics charter of the collectivité"),
        _("The collectivité's policy submits every use affecting the public to the ethics committee."),
    ),
}

EDPB_CRITERIA_LABELS = {
    "evaluation_scoring": _("evaluation or scoring"),
    "automated_decision": _("automated decision with legal or similar effect"),
    "systematic_monitoring": _("systematic monitoring"),
    "sensitive_data": _("sensitive or highly personal data"),
    "large_scale": _("large scale"),
    "dataset_matching": _("matching or combining datasets"),
    "vulnerable_persons": _("vulnerable persons"),
    "innovative_technology": _("innovative technology (AI)"),
    "blocks_right": _("prevents exercising a right or accessing a service"),
}

CNIL_LIST_LABELS = {
    "hr_profiling": _("profiling in human-resources management"),
    "employee_monitoring": _("constant monitoring of employees' activity"),
    "social_support": _("social or medico-social support, social housing"),
    "large_scale_location": _("large-scale location data"),
}

CHECKPOINT_BASIS = {
    "output_review": _("AI Act, art. 50(4); CNIL recommendations on generative AI"),
    "decision_validation": _("RGPD, art. 22; CRPA L311-3-1; Conseil constitutionnel 2018-765 DC"),
    "source_verification": _("AI Act, art. 4 and 26(2)"),
    "bias_review": _("AI Act, art. 26(5) and 27; RGPD, art. 5(1)(a)"),
    "log_retention": _("AI Act, art. 26(6)"),
    "oversight_training": _("AI Act, art. 4 and 26(2)"),
    "transparency_notice": _("AI Act, art. 50"),
    "crpa_mention": _("CRPA, art. L311-3-1"),
    "data_minimisation": _("RGPD, art. 5(1)(c) and 25"),
    "incident_monitoring": _("AI Act, art. 26(5) and 73"),
    "workers_informed": _("AI Act, art. 26(7)"),
}


@dataclass(frozen=True)
class UseCaseFacts:
    """The classification fields of a use case, as DOMAIN.md codes."""

    art5_practices: frozenset[str] = frozenset()
    annex_iii_point: str | None = None
    art6_3_ground: str | None = None
    art50_features: frozenset[str] = frozenset()
    technique: str = "genai_text"
    self_learning: bool = False
    audience: str = "agents"
    automation_level: str = "none"
    individual_decisions: bool = False
    administrative_appeal: bool = False
    personal_data_categories: frozenset[str] = frozenset()
    large_scale: bool = False
    profiling: bool = False
    dataset_matching: bool = False
    max_data_classification: str = "C1"
    hosting_zone: str = "unknown"
    hosting_qualification: str = "none"
    provider_reuse_disabled: bool = False
    tool_name: str | None = None
    tool_status: str | None = None
    tool_max_classification: str | None = None

    @classmethod
    def build(cls, **values) -> UseCaseFacts:
        """Facts from loose values (lists, None for booleans), normalised to the frozen shape."""
        for name in ("art5_practices", "art50_features", "personal_data_categories"):
            values[name] = frozenset(values.get(name) or ())
        for name in ("annex_iii_point", "art6_3_ground"):
            values[name] = values.get(name) or None
        return cls(**values)


@dataclass(frozen=True)
class Policy:
    """What the collectivité adds to the legal minimum (it can tighten, never loosen)."""

    agents_count: int | None = None
    ethics_review_personal_data: bool = False
    ethics_review_public_audience: bool = False


@dataclass(frozen=True)
class Reason:
    code: str
    kind: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def basis(self) -> str:
        return str(REASONS[self.code][0])

    @property
    def explanation(self) -> str:
        return str(REASONS[self.code][1]) % {name: _render_param(name, value) for name, value in self.params}

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "kind": self.kind,
            "params": {name: list(value) if isinstance(value, tuple) else value for name, value in self.params},
        }


@dataclass
class Classification:
    ai_act_risk: str = "minimal"
    rgpd_sensitivity: str = "none"
    dpia_required: bool = False
    fria_required: bool = False
    eu_registration_required: bool = False
    crpa_mention_required: bool = False
    public_register_required: bool = False
    ethics_review_required: bool = False
    blocked: bool = False
    required_checkpoints: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    edpb_criteria: list[str] = field(default_factory=list)

    def add(self, code: str, kind: str, **params) -> None:
        frozen = tuple((name, tuple(value) if isinstance(value, list) else value) for name, value in params.items())
        self.reasons.append(Reason(code, kind, frozen))


@functools.cache
def _param_labels() -> dict:
    # Built once: the labels are lazy, so they still render in each reader's language.
    from . import choices

    return {
        "practices": dict(choices.Art5Practice.choices),
        "features": dict(choices.Art50Feature.choices),
        "categories": dict(choices.PersonalDataCategory.choices),
        "point": dict(choices.AnnexIIIPoint.choices),
        "hosting": dict(choices.HostingZone.choices),
        "level": dict(choices.DataClassification.choices),
        "allowed": dict(choices.DataClassification.choices),
        "criteria": EDPB_CRITERIA_LABELS,
        "types": CNIL_LIST_LABELS,
    }


def _render_param(name: str, value) -> object:
    """Params are stored as codes; they are shown as labels in the reader's language."""
    labels = _param_labels().get(name)
    if labels is None:
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(labels.get(code, code)) for code in value)
    return str(labels.get(value, value))


def rgpd_sensitivity(categories: frozenset[str]) -> str:
    if categories & SPECIAL:
        return "special"
    if categories & HIGHLY_PERSONAL:
        return "highly_personal"
    if categories:
        return "personal"
    return "none"


def classification_exceeds(level: str, allowed: str) -> bool:
    return CLASSIFICATION_LEVELS.index(level) > CLASSIFICATION_LEVELS.index(allowed)


def edpb_criteria(facts: UseCaseFacts, sensitivity: str) -> list[str]:
    """The EDPB (WP248) criteria that the use meets, in the guidelines' order."""
    decides = facts.individual_decisions and facts.automation_level in {"determining", "fully_automated"}
    met = {
        "evaluation_scoring": facts.profiling or facts.automation_level == "determining",
        "automated_decision": decides,
        "systematic_monitoring": facts.annex_iii_point in {"4b", "3d"} or facts.technique == "vision",
        "sensitive_data": sensitivity in {"highly_personal", "special"},
        "large_scale": facts.large_scale,
        "dataset_matching": facts.dataset_matching,
        "vulnerable_persons": "minors_vulnerable" in facts.personal_data_categories or facts.annex_iii_point == "5a",
        "innovative_technology": facts.technique != "rules",
        "blocks_right": facts.individual_decisions
        and facts.annex_iii_point in {"3a", "3b", "3c", "4a", "5a", "5b", "5c"},
    }
    return [code for code, hit in met.items() if hit]


def cnil_list_types(facts: UseCaseFacts) -> list[str]:
    """Types of the CNIL list (délibération 2018-327) the processing belongs to."""
    types = []
    if facts.profiling and facts.annex_iii_point in {"4a", "4b"}:
        types.append("hr_profiling")
    if facts.annex_iii_point == "4b":
        types.append("employee_monitoring")
    if facts.annex_iii_point == "5a":
        types.append("social_support")
    if facts.large_scale and "location" in facts.personal_data_categories:
        types.append("large_scale_location")
    return types


def _classify_ai_act(facts: UseCaseFacts, result: Classification) -> None:
    if facts.art5_practices:
        result.ai_act_risk = "prohibited"
        result.blocked = True
        result.add("art5_prohibited", BLOCKING, practices=sorted(facts.art5_practices))
        return
    point = facts.annex_iii_point
    if point and (not facts.art6_3_ground or facts.profiling):
        result.ai_act_risk = "high"
        if facts.art6_3_ground:
            result.add("annex_iii_profiling", CLASSIFICATION)
        result.add("annex_iii_high", CLASSIFICATION, point=point)
        result.add("deployer_duties", OBLIGATION)
        if point == "2":
            result.add("annex_iii_point_2", INFORMATION)
        else:
            result.fria_required = True
            result.eu_registration_required = True
            result.add("fria", OBLIGATION)
            result.add("eu_registration", OBLIGATION)
        # Art. 86(1) excludes point 2 systems, like art. 27 and 49(3).
        if point != "2" and facts.individual_decisions and facts.automation_level != "none":
            result.add("right_to_explanation", OBLIGATION)
        # Art. 50 duties apply on top of the high-risk regime (art. 50(6)).
        if facts.art50_features:
            result.add("art50_high", OBLIGATION, features=sorted(facts.art50_features))
        return
    if point:
        result.add("art6_3_exempt", INFORMATION, point=point, ground=facts.art6_3_ground)
    if facts.art50_features:
        result.ai_act_risk = "limited"
        result.add("art50_limited", CLASSIFICATION, features=sorted(facts.art50_features))
    else:
        result.ai_act_risk = "minimal"
        result.add("minimal", CLASSIFICATION)


def _classify_rgpd(facts: UseCaseFacts, result: Classification) -> None:
    categories = facts.personal_data_categories
    sensitivity = rgpd_sensitivity(categories)
    result.rgpd_sensitivity = sensitivity
    if sensitivity == "special":
        result.add("rgpd_special", CLASSIFICATION, categories=sorted(categories & SPECIAL))
    elif sensitivity == "highly_personal":
        result.add("rgpd_highly_personal", CLASSIFICATION, categories=sorted(categories & HIGHLY_PERSONAL))
    else:
        result.add(f"rgpd_{sensitivity}", CLASSIFICATION)
    if sensitivity == "none":
        return

    criteria = edpb_criteria(facts, sensitivity)
    result.edpb_criteria = criteria
    if len(criteria) >= 2:
        result.dpia_required = True
        result.add("dpia_edpb", OBLIGATION, count=len(criteria), criteria=criteria)
    elif criteria:
        result.add("dpia_edpb_below", INFORMATION, count=len(criteria), criteria=criteria)
    cnil_types = cnil_list_types(facts)
    if cnil_types:
        result.dpia_required = True
        result.add("dpia_cnil_list", OBLIGATION, types=cnil_types)
    decides = facts.individual_decisions and facts.automation_level in {"determining", "fully_automated"}
    if facts.profiling and decides:
        result.dpia_required = True
        result.add("dpia_art35_3a", OBLIGATION)
    if sensitivity == "special" and facts.large_scale:
        result.dpia_required = True
        result.add("dpia_art35_3b", OBLIGATION)
    if facts.technique == "vision" and facts.audience in {"public", "both"} and facts.large_scale:
        result.dpia_required = True
        result.add("dpia_art35_3c", OBLIGATION)


def _classify_decisions(facts: UseCaseFacts, policy: Policy, result: Classification) -> None:
    fully_automated = facts.automation_level == "fully_automated"
    if fully_automated and facts.self_learning:
        result.add("block_self_learning", BLOCKING)
    if fully_automated and facts.personal_data_categories & SPECIAL:
        result.add("block_automated_special", BLOCKING)
    if fully_automated and facts.administrative_appeal:
        result.add("block_automated_appeal", BLOCKING)
    if fully_automated and facts.individual_decisions and facts.personal_data_categories:
        result.add("art22_safeguards", OBLIGATION)
    if facts.individual_decisions and facts.automation_level != "none":
        result.crpa_mention_required = True
        result.add("crpa_mention", OBLIGATION)
        agents = policy.agents_count
        if agents is not None and agents > PUBLIC_REGISTER_AGENT_THRESHOLD:
            result.public_register_required = True
            result.add("public_register", OBLIGATION, threshold=PUBLIC_REGISTER_AGENT_THRESHOLD, agents=agents)
        elif agents is None:
            result.add("public_register_unknown", INFORMATION, threshold=PUBLIC_REGISTER_AGENT_THRESHOLD)
        else:
            result.add("public_register_small", INFORMATION, threshold=PUBLIC_REGISTER_AGENT_THRESHOLD)


def _classify_security(facts: UseCaseFacts, result: Classification) -> None:
    level = facts.max_data_classification
    hosting = facts.hosting_zone
    if level == "C4":
        result.add("block_c4", BLOCKING)
    elif level == "C3" and facts.hosting_zone != "on_premise":
        result.add("block_c3_hosting", BLOCKING, hosting=hosting)
    tool = facts.tool_name or ""
    if facts.tool_status == "prohibited":
        result.add("block_tool_prohibited", BLOCKING, tool=tool)
    elif facts.tool_status == "under_review":
        result.add("warn_tool_under_review", WARNING, tool=tool)
    if facts.tool_max_classification and classification_exceeds(level, facts.tool_max_classification):
        result.add(
            "block_tool_classification",
            BLOCKING,
            tool=tool,
            allowed=facts.tool_max_classification,
            level=level,
        )
    if facts.personal_data_categories and facts.hosting_zone in {"non_eu", "unknown"}:
        result.add("warn_transfer", WARNING, hosting=hosting)
    # On premises there is no vendor to reuse the data.
    if CLASSIFICATION_LEVELS.index(level) >= 2 and not facts.provider_reuse_disabled and hosting != "on_premise":
        result.add("warn_provider_reuse", WARNING, level=level)


def _classify_ethics(facts: UseCaseFacts, policy: Policy, result: Classification) -> None:
    triggers = []
    if result.ai_act_risk == "high":
        triggers.append("ethics_high")
    if result.rgpd_sensitivity == "special":
        triggers.append("ethics_special")
    if facts.automation_level in {"determining", "fully_automated"}:
        triggers.append("ethics_automation")
    if "chatbot" in facts.art50_features and facts.audience in {"public", "both"}:
        triggers.append("ethics_public_chatbot")
    if policy.ethics_review_personal_data and result.rgpd_sensitivity != "none":
        triggers.append("ethics_policy_personal_data")
    if policy.ethics_review_public_audience and facts.audience in {"public", "both"}:
        triggers.append("ethics_policy_public")
    for code in triggers:
        result.add(code, OBLIGATION)
    result.ethics_review_required = bool(triggers)


def required_checkpoints(facts: UseCaseFacts, result: Classification) -> list[str]:
    """The human-control checkpoints (DOMAIN.md section 4) the use must carry."""
    high = result.ai_act_risk == "high"
    weighs = facts.automation_level in {"determining", "fully_automated"}
    needed = set()
    if facts.technique in GENERATIVE:
        needed.add("output_review")
    if facts.technique in {"genai_text", "agentic"}:
        needed.add("source_verification")
    if facts.individual_decisions and facts.automation_level != "none":
        needed.add("decision_validation")
    if result.crpa_mention_required:
        needed.add("crpa_mention")
    if high or facts.profiling or weighs:
        needed.add("bias_review")
    if high or weighs:
        needed.add("oversight_training")
    if high:
        needed.update({"log_retention", "incident_monitoring"})
        if facts.audience in {"agents", "both"} or facts.annex_iii_point in {"4a", "4b"}:
            needed.add("workers_informed")
    if facts.art50_features:
        needed.add("transparency_notice")
    if facts.personal_data_categories or CLASSIFICATION_LEVELS.index(facts.max_data_classification) >= 2:
        needed.add("data_minimisation")
    return [code for code in CHECKPOINT_ORDER if code in needed]


def classify(facts: UseCaseFacts, policy: Policy | None = None) -> Classification:
    """Derive every classification and obligation of a use case, each with its legal basis."""
    policy = policy or Policy()
    result = Classification()
    _classify_ai_act(facts, result)
    _classify_rgpd(facts, result)
    _classify_decisions(facts, policy, result)
    _classify_security(facts, result)
    _classify_ethics(facts, policy, result)
    result.required_checkpoints = required_checkpoints(facts, result)
    result.blocked = any(reason.kind == BLOCKING for reason in result.reasons)
    result.reasons.sort(key=lambda reason: KIND_ORDER.index(reason.kind))
    return result


def reasons_from_stored(stored: Iterable[dict]) -> list[Reason]:
    """Rebuild reasons saved as JSON (codes and params) so they render in the reader's language."""
    return [
        Reason(
            item["code"],
            item["kind"],
            tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in item.get("params", {}).items()),
        )
        for item in stored
        if item.get("code") in REASONS
    ]
