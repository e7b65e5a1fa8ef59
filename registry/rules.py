"""The classification engine: DOMAIN.md sections 3 and 4 as pure functions of plain data.

`classify(facts, policy)` derives whether the use is an AI system, its AI Act risk, its RGPD sensitivity, the
obligations it triggers (AIPD, AIDF, EU registration, CRPA mention, public register, ethics review), whether it
is blocked, and the human-control checkpoints it requires. Every conclusion carries a `Reason`: a stable code,
the legal basis it comes from (or, for the collectivité's own review policy, a statement that it is the
collectivité's rule), the verdicts it supports, and the date an AI Act obligation applies from. No ORM, no
request: the same function serves the register, the live preview of the form and `POST /api/v1/classify/`.

`RULESET_VERSION` names this set of rules: every stored classification records it, and a new version
reclassifies the register (`services.register_reclassify`), each changed verdict appearing in the use case's
history.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Bump whenever a rule below changes what a use case is given: the register is then reclassified.
RULESET_VERSION = "2026.12.1"

# CRPA L312-1-3 and its decree: administrations of 50 agents or more publish the rules of their main algorithms.
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
NOT_AI_TECHNIQUE = "rules"  # rules written solely by people: not an AI system (AI Act art. 3(1), recital 12)
WEIGHS = frozenset({"determining", "fully_automated"})  # outputs that weigh decisively on the decision or take it
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
    "provider_conformity",
)
# The Art. 50 features, in the order of the article's paragraphs, with the reason of each duty.
ART50_DUTIES = (
    ("chatbot", "art50_chatbot"),
    ("synthetic_media", "art50_synthetic"),
    ("emotion_or_biometric", "art50_emotion_biometric"),
    ("deepfake", "art50_deepfake"),
    ("public_interest_text", "art50_public_text"),
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

# The verdicts a reason may support (the stored result fields, and the checkpoints).
AI_ACT_RISK = "ai_act_risk"
RGPD_SENSITIVITY = "rgpd_sensitivity"
DPIA = "dpia_required"
FRIA = "fria_required"
EU_REGISTRATION = "eu_registration_required"
CRPA_MENTION = "crpa_mention_required"
PUBLIC_REGISTER = "public_register_required"
ETHICS = "ethics_review_required"
BLOCKED = "blocked"

# Keys of the AI Act's dates of application (`ApplicationDate` rows; DOMAIN.md: dates are data, never code).
PROHIBITED_PRACTICES = "prohibited_practices"
AI_LITERACY = "ai_literacy"
TRANSPARENCY = "transparency"
HIGH_RISK_ANNEX_III = "high_risk_annex_iii"
HIGH_RISK_ANNEX_I = "high_risk_annex_i"
APPLICATION_KEYS = (PROHIBITED_PRACTICES, AI_LITERACY, TRANSPARENCY, HIGH_RISK_ANNEX_III, HIGH_RISK_ANNEX_I)


@dataclass(frozen=True)
class Rule:
    """What a reason says: its legal basis, its explanation (`%(name)s` takes the reason's params), the verdicts
    it supports, and whether it is a rule of the collectivité rather than the law."""

    basis: object
    text: object
    supports: tuple[str, ...] = ()
    policy: bool = False


POLICY_BASIS = _("Rule of the collectivité (review policy), not a legal obligation")

REASONS: dict[str, Rule] = {
    # AI Act: is it an AI system? ---------------------------------------------------------------------------
    "not_ai_system": Rule(
        _("AI Act, art. 3(1) and recital 12; Commission guidelines on the definition of an AI system"),
        _(
            "The system applies rules, scales or decision trees written solely by people: it infers nothing by "
            "itself and is not an AI system. Regulation (EU) 2024/1689 on AI (AI Act) does not apply to it; the "
            "RGPD, the Loi Informatique et Libertés and the CRPA still do."
        ),
        (AI_ACT_RISK,),
    ),
    "not_ai_answers_ignored": Rule(
        _("AI Act, art. 3(1)"),
        _(
            "Answers about the AI Act were given (%(answers)s) although the system is not an AI system: they are "
            "not taken into account. Check the technique: if the system learns, generates or infers its results, "
            "it is an AI system."
        ),
    ),
    "ai_literacy": Rule(
        _("AI Act, art. 4"),
        _(
            "The collectivité ensures a sufficient level of AI literacy of the agents who use or oversee the "
            "system (training recorded)."
        ),
    ),
    # AI Act: risk level ------------------------------------------------------------------------------------
    "art5_prohibited": Rule(
        _("AI Act, art. 5(1)"),
        _(
            "The use involves a prohibited practice (%(practices)s). Prohibited practices can never be "
            "authorised: the use is blocked."
        ),
        (AI_ACT_RISK, BLOCKED),
    ),
    "annex_i_high": Rule(
        _("AI Act, art. 6(1) and Annex I"),
        _(
            "The system is, or is a safety component of, a product covered by the Union harmonisation legislation "
            "of Annex I that needs a third-party conformity assessment: it is a high-risk AI system."
        ),
        (AI_ACT_RISK,),
    ),
    "annex_iii_high": Rule(
        _("AI Act, art. 6(2) and Annex III"),
        _("The use falls within Annex III, point %(point)s: it is a high-risk AI system."),
        (AI_ACT_RISK,),
    ),
    "biometric_high": Rule(
        _("AI Act, art. 6(2) and Annex III, point 1"),
        _(
            "The system recognises emotions or sorts people into categories from their biometric data: every "
            "such system is listed in Annex III, point 1(b) or 1(c). It is a high-risk AI system."
        ),
        (AI_ACT_RISK,),
    ),
    "art6_3_profiling": Rule(
        _("AI Act, art. 6(3), last subparagraph"),
        _(
            "An Article 6(3) exemption was claimed, but the system profiles natural persons: an Annex III system "
            "that profiles is always high-risk."
        ),
        (AI_ACT_RISK,),
    ),
    "art6_3_influence": Rule(
        _("AI Act, art. 6(3), first subparagraph, and recital 53"),
        _(
            "An Article 6(3) exemption was claimed, but the system's output %(influence)s: it materially "
            "influences the outcome of the decision, so the exemption does not hold and the system is high-risk."
        ),
        (AI_ACT_RISK,),
    ),
    "art6_3_exempt": Rule(
        _("AI Act, art. 6(3)(%(ground)s)"),
        _(
            "The use falls within Annex III, point %(point)s, but the system only performs a task of Article "
            "6(3)(%(ground)s), without profiling, and its output neither decides nor weighs decisively on the "
            "decision: it is not high-risk."
        ),
        (AI_ACT_RISK,),
    ),
    "art6_4_assessment": Rule(
        _("AI Act, art. 6(4)"),
        _(
            "The exemption rests on an assessment documented before the system is used: ask the provider for its "
            "assessment and keep it with the use case; the market surveillance authority may request it."
        ),
    ),
    "art6_4_assessment_provider": Rule(
        _("AI Act, art. 6(4) and art. 49(2)"),
        _(
            "As the provider, the collectivité documents its assessment before putting the system into service "
            "and registers the system in the EU database."
        ),
        (EU_REGISTRATION,),
    ),
    "limited": Rule(
        _("AI Act, art. 50"),
        _(
            "No prohibited practice and no high-risk route, but the system has features subject to transparency "
            "duties (%(features)s): it is a limited-risk system."
        ),
        (AI_ACT_RISK,),
    ),
    "minimal": Rule(
        _("AI Act, art. 95"),
        _(
            "No prohibited practice, no high-risk route and no transparency feature: minimal risk. Voluntary "
            "codes of conduct may apply."
        ),
        (AI_ACT_RISK,),
    ),
    # AI Act: transparency duties (art. 50), whatever the risk level (art. 50(6)) ------------------------------
    "art50_chatbot": Rule(
        _("AI Act, art. 50(1)"),
        _(
            "People who interact with the system must be told that they are interacting with an AI system, "
            "unless it is obvious to them."
        ),
    ),
    "art50_synthetic": Rule(
        _("AI Act, art. 50(2)"),
        _(
            "Synthetic images, audio, video or text generated by the system must be marked as artificially "
            "generated in a machine-readable format (the provider's duty: check that the tool does it)."
        ),
    ),
    "art50_emotion_biometric": Rule(
        _("AI Act, art. 50(3)"),
        _("The persons exposed to the emotion recognition or biometric categorisation must be informed of it."),
    ),
    "art50_deepfake": Rule(
        _("AI Act, art. 50(4), first subparagraph"),
        _("Images, audio or video that are deepfakes must be disclosed as artificially generated or manipulated."),
    ),
    "art50_public_text": Rule(
        _("AI Act, art. 50(4), second subparagraph"),
        _(
            "Text published to inform the public on matters of public interest must be disclosed as artificially "
            "generated, unless a person reviews it and takes editorial responsibility for its publication."
        ),
    ),
    # AI Act: high-risk obligations ---------------------------------------------------------------------------
    "fria": Rule(
        _("AI Act, art. 27(1) and 27(3)"),
        _(
            "As a public body deploying a high-risk system of Annex III (other than point 2), the collectivité "
            "carries out a fundamental rights impact assessment (AIDF) before first use, and notifies its results "
            "to the market surveillance authority."
        ),
        (FRIA,),
    ),
    "eu_registration": Rule(
        _("AI Act, art. 49(3)"),
        _(
            "As a public deployer, the collectivité registers its use of this Annex III system in the EU database "
            "before putting it into use."
        ),
        (EU_REGISTRATION,),
    ),
    "eu_registration_provider": Rule(
        _("AI Act, art. 49(1)"),
        _("As the provider, the collectivité registers the system in the EU database before putting it into service."),
        (EU_REGISTRATION,),
    ),
    "annex_iii_point_2": Rule(
        _("AI Act, art. 27(1), 49(3) and 49(5)"),
        _(
            "A critical infrastructure system (Annex III, point 2) needs neither an AIDF nor the deployer's "
            "registration in the EU database; its provider registers it at national level."
        ),
        (FRIA, EU_REGISTRATION),
    ),
    "annex_i_no_fria": Rule(
        _("AI Act, art. 27(1) and 49"),
        _(
            "A high-risk system of Annex I (a regulated product) needs neither an AIDF nor the deployer's "
            "registration in the EU database: its conformity is assessed under the product's own legislation."
        ),
        (FRIA, EU_REGISTRATION),
    ),
    "art26_instructions": Rule(
        _("AI Act, art. 26(1)"),
        _("The system is used according to the provider's instructions for use, with the measures they call for."),
        (AI_ACT_RISK,),
    ),
    "art26_oversight": Rule(
        _("AI Act, art. 26(2)"),
        _("Human oversight is entrusted to people who have the competence, training, authority and support needed."),
        (AI_ACT_RISK,),
    ),
    "art26_input_data": Rule(
        _("AI Act, art. 26(4)"),
        _("The input data the collectivité controls are relevant and sufficiently representative for the purpose."),
        (AI_ACT_RISK,),
    ),
    "art26_monitoring": Rule(
        _("AI Act, art. 26(5)"),
        _(
            "The operation of the system is monitored; when it presents a risk, the provider and the market "
            "surveillance authority are informed without delay and its use is suspended."
        ),
        (AI_ACT_RISK,),
    ),
    "art26_logs": Rule(
        _("AI Act, art. 26(6)"),
        _("The logs the system generates are kept at least six months."),
        (AI_ACT_RISK,),
    ),
    "art26_workers": Rule(
        _("AI Act, art. 26(7)"),
        _(
            "Before the system is used at work, the agents concerned and their representatives are informed (in a "
            "collectivité, the comité social territorial is consulted on new technologies)."
        ),
        (AI_ACT_RISK,),
    ),
    "art26_registered_system": Rule(
        _("AI Act, art. 26(8)"),
        _("A public deployer may not use an Annex III system that is not registered in the EU database."),
        (AI_ACT_RISK,),
    ),
    "art26_inform_persons": Rule(
        _("AI Act, art. 26(11)"),
        _("The persons about whom the system helps to take decisions are informed that they are subject to its use."),
        (AI_ACT_RISK,),
    ),
    "art73_incidents": Rule(
        _("AI Act, art. 26(5) and 73"),
        _(
            "A serious incident is reported to the provider, then to the market surveillance authority, "
            "immediately and at the latest within 15 days; within 2 days for a widespread infringement or a "
            "serious disruption of critical infrastructure; within 10 days in the event of a death."
        ),
        (AI_ACT_RISK,),
    ),
    "art86_explanation": Rule(
        _("AI Act, art. 86"),
        _(
            "A person subject to a decision based on the output of this Annex III system, with legal or similarly "
            "significant effects, has the right to a clear and meaningful explanation of the system's role in the "
            "decision and of its main elements."
        ),
        (AI_ACT_RISK,),
    ),
    "provider_obligations": Rule(
        _("AI Act, art. 16, 43, 49, 72 and 73"),
        _(
            "As the provider of a high-risk system, the collectivité sets up a quality management system, draws "
            "up the technical documentation, has the conformity assessed, affixes the CE marking and draws up the "
            "declaration of conformity, registers the system, monitors it after putting it into service and "
            "reports serious incidents."
        ),
        (AI_ACT_RISK,),
    ),
    # RGPD -----------------------------------------------------------------------------------------------------
    "rgpd_none": Rule(_("RGPD, art. 4(1)"), _("No personal data is processed."), (RGPD_SENSITIVITY,)),
    "rgpd_personal": Rule(_("RGPD, art. 4(1)"), _("Personal data is processed."), (RGPD_SENSITIVITY,)),
    "rgpd_highly_personal": Rule(
        _("RGPD, art. 35 and EDPB guidelines WP248"),
        _("Highly personal data or data about vulnerable persons is processed (%(categories)s)."),
        (RGPD_SENSITIVITY,),
    ),
    "rgpd_special": Rule(
        _("RGPD, art. 9 and 10"),
        _(
            "Special-category or criminal-offence data is processed (%(categories)s): processing is forbidden "
            "unless an exception of art. 9(2) applies or, for offences, a text provides for it (art. 10)."
        ),
        (RGPD_SENSITIVITY,),
    ),
    "dpia_edpb": Rule(
        _("RGPD, art. 35(1) and EDPB guidelines WP248"),
        _("%(count)s criteria of the EDPB list are met (%(criteria)s): an AIPD (DPIA) is required."),
        (DPIA,),
    ),
    "dpia_edpb_below": Rule(
        _("RGPD, art. 35(1) and EDPB guidelines WP248"),
        _("Only one criterion of the EDPB list is met (%(criteria)s): no AIPD is required on this ground alone."),
        (DPIA,),
    ),
    "dpia_cnil_list": Rule(
        _("RGPD, art. 35(4) and CNIL délibération 2018-327"),
        _("The processing is of a type on the CNIL's list requiring an AIPD: %(types)s."),
        (DPIA,),
    ),
    "dpia_art35_3a": Rule(
        _("RGPD, art. 35(3)(a)"),
        _(
            "Systematic and extensive evaluation of persons based on automated processing, including profiling, "
            "on which decisions with legal or similarly significant effects are based: an AIPD is required."
        ),
        (DPIA,),
    ),
    "dpia_art35_3b": Rule(
        _("RGPD, art. 35(3)(b)"),
        _("Large-scale processing of special-category or criminal data: an AIPD is required."),
        (DPIA,),
    ),
    "dpia_art35_3c": Rule(
        _("RGPD, art. 35(3)(c)"),
        _("Large-scale systematic monitoring of a publicly accessible area: an AIPD is required."),
        (DPIA,),
    ),
    "art22_safeguards": Rule(
        _("RGPD, art. 22 and Loi Informatique et Libertés, art. 47"),
        _(
            "Fully automated individual decisions are allowed only with safeguards: the collectivité masters the "
            "algorithm and its changes and can explain in detail how it was applied to the person."
        ),
        (CRPA_MENTION,),
    ),
    # CRPA -----------------------------------------------------------------------------------------------------
    "crpa_mention": Rule(
        _("CRPA, art. L311-3-1 and R311-3-1-2"),
        _(
            "Individual decisions taken on the basis of an algorithmic processing carry an explicit mention, and "
            "its rules and main features are explained to the person on request, whether or not it is AI."
        ),
        (CRPA_MENTION,),
    ),
    "public_register": Rule(
        _("CRPA, art. L312-1-3"),
        _(
            "The collectivité has %(threshold)s agents or more (%(agents)s): the rules of this algorithmic "
            "processing, which founds individual decisions, are published online."
        ),
        (PUBLIC_REGISTER,),
    ),
    "public_register_small": Rule(
        _("CRPA, art. L312-1-3"),
        _(
            "The collectivité has fewer than %(threshold)s agents (%(agents)s): online publication of the "
            "algorithm's rules is not compulsory, but remains recommended."
        ),
        (PUBLIC_REGISTER,),
    ),
    "public_register_unknown": Rule(
        _("CRPA, art. L312-1-3"),
        _(
            "The number of agents of the collectivité is not known: from %(threshold)s agents, the rules of this "
            "algorithmic processing must be published online."
        ),
        (PUBLIC_REGISTER,),
    ),
    # Blocks ---------------------------------------------------------------------------------------------------
    "block_self_learning": Rule(
        _("Conseil constitutionnel, décision 2018-765 DC, § 71"),
        _(
            "A self-learning algorithm may not be the sole basis of an individual administrative decision: a "
            "fully automated decision by a self-learning system is forbidden."
        ),
        (BLOCKED,),
    ),
    "block_automated_special": Rule(
        _("RGPD, art. 22(4) and Loi Informatique et Libertés, art. 47"),
        _("A fully automated individual decision may not be based on special-category data (RGPD, art. 9)."),
        (BLOCKED,),
    ),
    "block_automated_appeal": Rule(
        _("Loi Informatique et Libertés, art. 47"),
        _("No decision on an administrative appeal (recours administratif) may be fully automated."),
        (BLOCKED,),
    ),
    "block_automated_criminal": Rule(
        _(
            "Rule of the collectivité (default policy), drawn from RGPD, art. 10 and "
            "Loi Informatique et Libertés, art. 46"
        ),
        _(
            "Rule of the collectivité: no fully automated decision is based on data about offences and "
            "convictions, which the law reserves to what a text provides for."
        ),
        (BLOCKED,),
        policy=True,
    ),
    "block_c4": Rule(
        _("IGI 1300 (protection of national defence secrets)"),
        _("Classified information (C4) must never be entered into an AI tool or an automated processing."),
        (BLOCKED,),
    ),
    "block_c3_hosting": Rule(
        _("II 901 (Diffusion Restreinte)"),
        _(
            "Diffusion Restreinte information (C3) may only be processed by a system hosted on premises and "
            "approved for it; here the hosting is %(hosting)s."
        ),
        (BLOCKED,),
    ),
    "block_health_hosting": Rule(
        _("Code de la santé publique, art. L1111-8"),
        _(
            "Health data collected for prevention, diagnosis, care or social and medico-social follow-up may only "
            "be hosted by a certified health data host (HDS), unless they stay on premises; here the hosting is "
            "%(hosting)s without HDS certification."
        ),
        (BLOCKED,),
    ),
    "block_tool_prohibited": Rule(
        _("Security policy of the collectivité (PSSI)"),
        _("The tool %(tool)s is prohibited by the collectivité."),
        (BLOCKED,),
        policy=True,
    ),
    "block_tool_classification": Rule(
        _("Security policy of the collectivité (PSSI)"),
        _("The tool %(tool)s may receive data up to %(allowed)s only, but this use handles %(level)s data."),
        (BLOCKED,),
        policy=True,
    ),
    # Warnings -------------------------------------------------------------------------------------------------
    "warn_determining": Rule(
        _("CJEU, 7 December 2023, C-634/21 (SCHUFA)"),
        _(
            "A score or recommendation that weighs decisively is itself an automated decision: with %(factors)s, "
            "the limits on fully automated decisions apply unless agents truly re-examine each case."
        ),
    ),
    "warn_transfer": Rule(
        _("RGPD, chapter V (art. 44 to 49)"),
        _(
            "Personal data is hosted outside the EU or in an unknown place (%(hosting)s): check the transfer "
            "safeguards and prefer a hosting in the EU."
        ),
    ),
    "warn_provider_reuse": Rule(
        _("CNIL recommendations on generative AI (2024)"),
        _(
            "Sensitive data (%(level)s) goes to a vendor that may reuse it to train its models: use a professional "
            "account with reuse switched off."
        ),
    ),
    "warn_c3_approval": Rule(
        _("II 901 (Diffusion Restreinte)"),
        _(
            "Diffusion Restreinte information (C3) is processed on premises: the system must be approved "
            "(homologated) for Diffusion Restreinte before use."
        ),
    ),
    "warn_tool_under_review": Rule(
        _("Security policy of the collectivité (PSSI)"),
        _("The tool %(tool)s is still under review by the DPO and the RSSI."),
        policy=True,
    ),
    # Ethics review: the collectivité's policy, never a legal requirement -----------------------------------------
    "ethics_high": Rule(
        POLICY_BASIS,
        _("Rule of the collectivité: a high-risk AI system is reviewed by its ethics committee."),
        (ETHICS,),
        policy=True,
    ),
    "ethics_special": Rule(
        POLICY_BASIS,
        _(
            "Rule of the collectivité: a use processing special-category or criminal data is reviewed by its "
            "ethics committee."
        ),
        (ETHICS,),
        policy=True,
    ),
    "ethics_automation": Rule(
        POLICY_BASIS,
        _(
            "Rule of the collectivité: a use whose output weighs decisively on decisions about persons, or takes "
            "them, is reviewed by its ethics committee."
        ),
        (ETHICS,),
        policy=True,
    ),
    "ethics_public_chatbot": Rule(
        POLICY_BASIS,
        _(
            "Rule of the collectivité: an AI chatbot talking directly to the public is reviewed by its ethics "
            "committee."
        ),
        (ETHICS,),
        policy=True,
    ),
    "ethics_policy_personal_data": Rule(
        POLICY_BASIS,
        _("Rule of the collectivité: every use processing personal data is reviewed by its ethics committee."),
        (ETHICS,),
        policy=True,
    ),
    "ethics_policy_public": Rule(
        POLICY_BASIS,
        _("Rule of the collectivité: every use affecting the public is reviewed by its ethics committee."),
        (ETHICS,),
        policy=True,
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
    "blocks_right": _("may deny a right, a service or a benefit"),
}

INFLUENCE_LABELS = {
    "determining": _("weighs decisively on the decision"),
    "fully_automated": _("takes the decision"),
}
DETERMINING_FACTORS = {
    "special_data": _("special-category data"),
    "administrative_appeal": _("administrative appeals"),
    "self_learning": _("a self-learning system"),
}

CHECKPOINT_BASIS = {
    "output_review": _("AI Act, art. 50(4); CNIL recommendations on generative AI"),
    "decision_validation": _("RGPD, art. 22; CRPA, art. L311-3-1; Conseil constitutionnel, décision 2018-765 DC"),
    "source_verification": _("AI Act, art. 4 and 26(2)"),
    "bias_review": _("AI Act, art. 26(5) and 27; RGPD, art. 5(1)(a)"),
    "log_retention": _("AI Act, art. 26(6)"),
    "oversight_training": _("AI Act, art. 4 and 26(2)"),
    "transparency_notice": _("AI Act, art. 50"),
    "crpa_mention": _("CRPA, art. L311-3-1"),
    "data_minimisation": _("RGPD, art. 5(1)(c) and 25"),
    "incident_monitoring": _("AI Act, art. 26(5) and 73"),
    "workers_informed": _("AI Act, art. 26(7)"),
    "provider_conformity": _("AI Act, art. 16, 43 and 49"),
}


@dataclass(frozen=True)
class UseCaseFacts:
    """The classification inputs of a use case, as DOMAIN.md codes (defaults: DOMAIN.md section 3b)."""

    art5_practices: frozenset[str] = frozenset()
    annex_iii_point: str | None = None
    art6_3_ground: str | None = None
    art50_features: frozenset[str] = frozenset()
    technique: str | None = None  # None: not known yet, treated as an AI system
    self_learning: bool = False
    annex_i_product: bool = False
    ai_act_role: str = "deployer"
    audience: str = "public"
    automation_level: str = "none"
    individual_decisions: bool = False
    administrative_appeal: bool = False
    personal_data_categories: frozenset[str] = frozenset()
    large_scale: bool = False
    profiling: bool = False
    dataset_matching: bool = False
    care_context: bool = False
    systematic_monitoring: bool = False
    cnil_list_types: frozenset[str] = frozenset()
    max_data_classification: str = "C1"
    hosting_zone: str = "unknown"
    hosting_qualification: str = "none"
    provider_reuse_disabled: bool = False
    tool_name: str | None = None
    tool_status: str | None = None
    tool_max_classification: str | None = None

    @classmethod
    def build(cls, **values) -> UseCaseFacts:
        """Facts from loose values (lists, "" or None for an absent code), normalised to the frozen shape."""
        for name in ("art5_practices", "art50_features", "personal_data_categories", "cnil_list_types"):
            values[name] = frozenset(values.get(name) or ())
        for name in ("annex_iii_point", "art6_3_ground", "technique"):
            values[name] = values.get(name) or None
        return cls(**values)

    @property
    def ai_system(self) -> bool:
        return self.technique != NOT_AI_TECHNIQUE

    @property
    def has_personal_data(self) -> bool:
        return bool(self.personal_data_categories)

    @property
    def decides_about_persons(self) -> bool:
        """The use founds individual decisions and contributes to them."""
        return self.individual_decisions and self.automation_level != "none"

    @property
    def used_at_work(self) -> bool:
        return self.audience in {"agents", "both"}


@dataclass(frozen=True)
class Policy:
    """What the classification reads of the collectivité: its size, its review policy (which can tighten the
    legal minimum, never loosen it) and the AI Act's dates of application (key -> date)."""

    agents_count: int | None = None
    ethics_review_personal_data: bool = False
    ethics_review_public_audience: bool = False
    application_dates: tuple[tuple[str, datetime.date], ...] = ()

    def applies_from(self, key: str) -> datetime.date | None:
        return dict(self.application_dates).get(key)


def _today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Reason:
    code: str
    kind: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def rule(self) -> Rule:
        return REASONS[self.code]

    @property
    def supports(self) -> tuple[str, ...]:
        return self.rule.supports

    @property
    def is_policy(self) -> bool:
        return self.rule.policy

    @property
    def applies_from(self) -> datetime.date | None:
        value = dict(self.params).get("applies_from")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def pending(self) -> bool:
        """An AI Act obligation that does not apply yet (its date of application is in the future)."""
        applies = self.applies_from
        return applies is not None and applies > _today()

    @property
    def basis(self) -> str:
        return str(self.rule.basis) % self._rendered()

    @property
    def explanation(self) -> str:
        text = str(self.rule.text) % self._rendered()
        if self.pending:
            text += " " + str(_("Applicable from %(date)s.") % {"date": date_format(self.applies_from, "DATE_FORMAT")})
        return text

    def _rendered(self) -> dict:
        return {name: _render_param(name, value) for name, value in self.params}

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "kind": self.kind,
            "params": {name: list(value) if isinstance(value, tuple) else value for name, value in self.params},
        }


@dataclass
class Classification:
    ai_act_risk: str = "minimal"
    ai_system: bool = True
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
    cnil_list_types: list[str] = field(default_factory=list)
    ruleset: str = RULESET_VERSION

    def add(self, code: str, kind: str, *, policy: Policy | None = None, applies: str = "", **params) -> None:
        """Add a reason. `applies`: the key of the AI Act date of application of the obligation it states."""
        if code not in REASONS:  # pragma: no cover - a typo in this module
            raise KeyError(code)
        if applies and policy is not None and (date := policy.applies_from(applies)):
            params["applies_from"] = date.isoformat()
        frozen = tuple((name, tuple(value) if isinstance(value, list) else value) for name, value in params.items())
        self.reasons.append(Reason(code, kind, frozen))

    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]


@functools.cache
def _param_labels() -> dict:
    # Built once: the labels are lazy, so they still render in each reader's language.
    from . import choices
    from .classification_inputs import BY_NAME

    return {
        "practices": dict(choices.Art5Practice.choices),
        "features": dict(choices.Art50Feature.choices),
        "categories": dict(choices.PersonalDataCategory.choices),
        "point": {**dict(choices.AnnexIIIPoint.choices), "1": _("1. Biometrics")},
        "hosting": dict(choices.HostingZone.choices),
        "level": dict(choices.DataClassification.choices),
        "allowed": dict(choices.DataClassification.choices),
        "criteria": EDPB_CRITERIA_LABELS,
        "types": dict(choices.CnilListType.choices),
        "influence": INFLUENCE_LABELS,
        "factors": DETERMINING_FACTORS,
        "answers": {name: item.label for name, item in BY_NAME.items()},
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


# Coherence of the inputs: the form, the model and the API refuse the same incoherent answers ------------------


def incoherences(facts: UseCaseFacts) -> dict[str, list]:
    """Answers that contradict each other, by input, with a French message saying what to correct."""
    errors: dict[str, list] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    no_personal_data = not facts.personal_data_categories
    if facts.art6_3_ground and not facts.annex_iii_point:
        add(
            "art6_3_ground",
            _("An Article 6(3) exemption only applies to an Annex III domain: choose the domain first."),
        )
    if facts.individual_decisions and facts.automation_level == "none":
        add("automation_level", _("The use founds individual decisions: say how much the system contributes to them."))
    if facts.administrative_appeal and not facts.individual_decisions:
        add(
            "administrative_appeal",
            _("Decisions on administrative appeals are individual decisions: say that the use founds them too."),
        )
    if facts.self_learning and not facts.ai_system:
        add(
            "self_learning",
            _("Rules written solely by people do not learn by themselves: correct the technique or this answer."),
        )
    if no_personal_data:
        for name, message in (
            ("profiling", _("Profiling means processing personal data: say which personal data is used.")),
            ("large_scale", _("Large scale refers to personal data: say which personal data is used.")),
            (
                "systematic_monitoring",
                _("Monitoring people means processing personal data: say which personal data is used."),
            ),
            (
                "cnil_list_types",
                _("The CNIL's list concerns processing of personal data: say which personal data is used."),
            ),
        ):
            if getattr(facts, name):
                add(name, message)
    if facts.care_context and "health" not in facts.personal_data_categories:
        add("care_context", _("This answer concerns health data: tick health data among the personal data."))
    return errors


# The AI Act --------------------------------------------------------------------------------------------------


def _ai_act_answers(facts: UseCaseFacts) -> list[str]:
    """The AI Act answers given for a system that is not AI (they are then ignored)."""
    given = {
        "art5_practices": bool(facts.art5_practices),
        "annex_iii_point": bool(facts.annex_iii_point),
        "art6_3_ground": bool(facts.art6_3_ground),
        "annex_i_product": facts.annex_i_product,
        "art50_features": bool(facts.art50_features),
    }
    return [name for name, value in given.items() if value]


def _annex_iii_route(facts: UseCaseFacts, policy: Policy, result: Classification) -> str | None:
    """The Annex III point that makes the system high-risk (None if none does), with its reasons."""
    point = facts.annex_iii_point
    high_point = None
    if point:
        if not facts.art6_3_ground:
            high_point = point
        else:
            # Art. 6(3): a ground, AND no profiling (last subparagraph), AND no material influence on the outcome
            # (first subparagraph and recital 53: an output that weighs decisively or decides is not "narrow").
            if facts.profiling:
                result.add("art6_3_profiling", CLASSIFICATION)
            if facts.automation_level in WEIGHS:
                result.add("art6_3_influence", CLASSIFICATION, influence=facts.automation_level)
            if facts.profiling or facts.automation_level in WEIGHS:
                high_point = point
            else:
                result.add("art6_3_exempt", CLASSIFICATION, point=point, ground=facts.art6_3_ground)
                if facts.ai_act_role == "provider":
                    result.eu_registration_required = True
                    result.add("art6_4_assessment_provider", OBLIGATION, policy=policy, applies=HIGH_RISK_ANNEX_III)
                else:
                    result.add("art6_4_assessment", OBLIGATION, policy=policy, applies=HIGH_RISK_ANNEX_III)
        if high_point:
            result.add("annex_iii_high", CLASSIFICATION, point=point, policy=policy, applies=HIGH_RISK_ANNEX_III)
    # Every emotion recognition and sensitive biometric categorisation system is listed (Annex III, point 1).
    if "emotion_or_biometric" in facts.art50_features and not (high_point or "").startswith("1"):
        result.add("biometric_high", CLASSIFICATION, policy=policy, applies=HIGH_RISK_ANNEX_III)
        high_point = high_point or "1"
    return high_point


def _high_risk_duties(facts: UseCaseFacts, policy: Policy, result: Classification, annex_iii_point: str | None):
    """What a high-risk system asks of the collectivité: AIDF and registration (Annex III), the deployer's
    duties of art. 26 (a provider using its own system is its deployer too, art. 3(4)), art. 73 and 86, and a
    provider's obligations."""
    key = HIGH_RISK_ANNEX_III if annex_iii_point else HIGH_RISK_ANNEX_I
    provider = facts.ai_act_role == "provider"

    def add(code, kind=OBLIGATION, **params):
        result.add(code, kind, policy=policy, applies=key, **params)

    if annex_iii_point and annex_iii_point != "2":
        result.fria_required = True
        result.eu_registration_required = True
        add("fria")
        add("eu_registration_provider" if provider else "eu_registration")
    elif annex_iii_point == "2":
        add("annex_iii_point_2", INFORMATION)
    else:
        add("annex_i_no_fria", INFORMATION)
    add("art26_instructions")
    add("art26_oversight")
    add("art26_input_data")
    add("art26_monitoring")
    add("art26_logs")
    if facts.used_at_work:
        add("art26_workers")
    if annex_iii_point and annex_iii_point != "2":
        add("art26_registered_system")
    if annex_iii_point and facts.automation_level != "none":
        add("art26_inform_persons")
    add("art73_incidents")
    if annex_iii_point and annex_iii_point != "2" and facts.decides_about_persons:
        add("art86_explanation")
    if provider:
        add("provider_obligations")


def _classify_ai_act(facts: UseCaseFacts, policy: Policy, result: Classification) -> None:
    if not facts.ai_system:
        result.ai_system = False
        result.ai_act_risk = "out_of_scope"
        result.add("not_ai_system", CLASSIFICATION)
        answers = _ai_act_answers(facts)
        if answers:
            result.add("not_ai_answers_ignored", WARNING, answers=answers)
        return
    result.ai_system = True
    result.add("ai_literacy", OBLIGATION, policy=policy, applies=AI_LITERACY)
    if facts.art5_practices:
        result.ai_act_risk = "prohibited"
        result.add(
            "art5_prohibited",
            BLOCKING,
            policy=policy,
            applies=PROHIBITED_PRACTICES,
            practices=sorted(facts.art5_practices),
        )
        return
    annex_iii_point = _annex_iii_route(facts, policy, result)
    if facts.annex_i_product:
        result.add("annex_i_high", CLASSIFICATION, policy=policy, applies=HIGH_RISK_ANNEX_I)
    if annex_iii_point or facts.annex_i_product:
        result.ai_act_risk = "high"
        _high_risk_duties(facts, policy, result, annex_iii_point)
    elif facts.art50_features:
        result.ai_act_risk = "limited"
        result.add("limited", CLASSIFICATION, features=sorted(facts.art50_features))
    else:
        result.ai_act_risk = "minimal"
        result.add("minimal", CLASSIFICATION)
    # Art. 50 duties apply whatever the risk level (art. 50(6)), each with its own paragraph.
    for feature, code in ART50_DUTIES:
        if feature in facts.art50_features:
            result.add(code, OBLIGATION, policy=policy, applies=TRANSPARENCY)


# The RGPD ----------------------------------------------------------------------------------------------------


def edpb_criteria(facts: UseCaseFacts, sensitivity: str) -> list[str]:
    """The nine criteria of the EDPB guidelines (WP248 rev.01) that the use meets, in the guidelines' order."""
    decides = facts.individual_decisions and facts.automation_level in WEIGHS
    agents_concerned = facts.used_at_work and (
        facts.profiling or facts.systematic_monitoring or facts.individual_decisions
    )
    met = {
        "evaluation_scoring": facts.profiling or facts.automation_level == "determining",
        "automated_decision": decides,
        "systematic_monitoring": facts.systematic_monitoring,
        "sensitive_data": sensitivity in {"highly_personal", "special"},
        "large_scale": facts.large_scale,
        "dataset_matching": facts.dataset_matching,
        "vulnerable_persons": "minors_vulnerable" in facts.personal_data_categories or agents_concerned,
        "innovative_technology": facts.ai_system,
        "blocks_right": facts.decides_about_persons,
    }
    return [code for code, hit in met.items() if hit]


def cnil_list_types(facts: UseCaseFacts) -> list[str]:
    """The types of the CNIL's list (délibération 2018-327) the processing belongs to: those given, and those the
    other answers imply."""
    from .choices import CnilListType

    categories = facts.personal_data_categories
    types = set(facts.cnil_list_types)
    if facts.care_context and "health" in categories:
        types.add("health_care_establishment")
    if facts.profiling and facts.used_at_work:
        types.add("hr_profiling")
    if facts.systematic_monitoring and facts.used_at_work:
        types.add("employee_monitoring")
    if facts.profiling and facts.dataset_matching:
        types.add("profiling_external_sources")
    if "biometric" in categories and "minors_vulnerable" in categories:
        types.add("biometric_vulnerable")
    if facts.large_scale and "location" in categories:
        types.add("large_scale_location")
    return [code for code in CnilListType.values if code in types]


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
        result.add("dpia_edpb_below", INFORMATION, criteria=criteria)
    types = cnil_list_types(facts)
    result.cnil_list_types = types
    if types:
        result.dpia_required = True
        result.add("dpia_cnil_list", OBLIGATION, types=types)
    if facts.profiling and facts.individual_decisions and facts.automation_level in WEIGHS:
        result.dpia_required = True
        result.add("dpia_art35_3a", OBLIGATION)
    if sensitivity == "special" and facts.large_scale:
        result.dpia_required = True
        result.add("dpia_art35_3b", OBLIGATION)
    if facts.systematic_monitoring and facts.large_scale and facts.audience in {"public", "both"}:
        result.dpia_required = True
        result.add("dpia_art35_3c", OBLIGATION)


# Decisions about persons (RGPD, LIL, CRPA) ---------------------------------------------------------------------


def _classify_decisions(facts: UseCaseFacts, policy: Policy, result: Classification) -> None:
    categories = facts.personal_data_categories
    fully_automated = facts.automation_level == "fully_automated"
    if fully_automated and facts.self_learning and facts.individual_decisions:
        result.add("block_self_learning", BLOCKING)
    if fully_automated and categories & ART9:
        result.add("block_automated_special", BLOCKING)
    if fully_automated and facts.administrative_appeal:
        result.add("block_automated_appeal", BLOCKING)
    if fully_automated and categories & ART10:
        result.add("block_automated_criminal", BLOCKING)
    if facts.automation_level == "determining":
        factors = [
            name
            for name, present in (
                ("special_data", bool(categories & ART9)),
                ("administrative_appeal", facts.administrative_appeal),
                ("self_learning", facts.self_learning),
            )
            if present
        ]
        if factors:
            result.add("warn_determining", WARNING, factors=factors)
    if fully_automated and facts.individual_decisions and categories:
        result.add("art22_safeguards", OBLIGATION)
    if facts.decides_about_persons:
        result.crpa_mention_required = True
        result.add("crpa_mention", OBLIGATION)
        agents = policy.agents_count
        threshold = PUBLIC_REGISTER_AGENT_THRESHOLD
        if agents is None:
            result.add("public_register_unknown", INFORMATION, threshold=threshold)
        elif agents >= threshold:
            result.public_register_required = True
            result.add("public_register", OBLIGATION, threshold=threshold, agents=agents)
        else:
            result.add("public_register_small", INFORMATION, threshold=threshold, agents=agents)


# Security (the RSSI's axis) -----------------------------------------------------------------------------------


def _classify_security(facts: UseCaseFacts, result: Classification) -> None:
    level = facts.max_data_classification
    hosting = facts.hosting_zone
    if level == "C4":
        result.add("block_c4", BLOCKING)
    elif level == "C3" and hosting != "on_premise":
        result.add("block_c3_hosting", BLOCKING, hosting=hosting)
    elif level == "C3":
        result.add("warn_c3_approval", WARNING)
    if (
        facts.care_context
        and "health" in facts.personal_data_categories
        and hosting != "on_premise"
        and facts.hosting_qualification != "hds"
    ):
        result.add("block_health_hosting", BLOCKING, hosting=hosting)
    tool = facts.tool_name or ""
    if facts.tool_status == "prohibited":
        result.add("block_tool_prohibited", BLOCKING, tool=tool)
    elif facts.tool_status == "under_review":
        result.add("warn_tool_under_review", WARNING, tool=tool)
    if facts.tool_max_classification and classification_exceeds(level, facts.tool_max_classification):
        result.add("block_tool_classification", BLOCKING, tool=tool, allowed=facts.tool_max_classification, level=level)
    if facts.personal_data_categories and hosting in {"non_eu", "unknown"}:
        result.add("warn_transfer", WARNING, hosting=hosting)
    # On premises there is no vendor to reuse the data.
    if CLASSIFICATION_LEVELS.index(level) >= 2 and not facts.provider_reuse_disabled and hosting != "on_premise":
        result.add("warn_provider_reuse", WARNING, level=level)


# The collectivité's review policy ------------------------------------------------------------------------------


def _classify_ethics(facts: UseCaseFacts, policy: Policy, result: Classification) -> None:
    triggers = []
    if result.ai_act_risk == "high":
        triggers.append("ethics_high")
    if result.rgpd_sensitivity == "special":
        triggers.append("ethics_special")
    if facts.automation_level in WEIGHS:
        triggers.append("ethics_automation")
    if facts.ai_system and "chatbot" in facts.art50_features and facts.audience in {"public", "both"}:
        triggers.append("ethics_public_chatbot")
    if policy.ethics_review_personal_data and result.rgpd_sensitivity != "none":
        triggers.append("ethics_policy_personal_data")
    if policy.ethics_review_public_audience and facts.audience in {"public", "both"}:
        triggers.append("ethics_policy_public")
    for code in triggers:
        result.add(code, OBLIGATION)
    result.ethics_review_required = bool(triggers)


# Checkpoints (DOMAIN.md section 4) -----------------------------------------------------------------------------


def required_checkpoints(facts: UseCaseFacts, result: Classification) -> list[str]:
    """The human-control checkpoints the use must carry: AI systems only, except those that follow the RGPD and
    the CRPA (decision validation, CRPA mention, data minimisation)."""
    ai = facts.ai_system
    high = result.ai_act_risk == "high"
    needed = set()
    if facts.decides_about_persons:
        needed.add("decision_validation")
    if result.crpa_mention_required:
        needed.add("crpa_mention")
    if facts.personal_data_categories or CLASSIFICATION_LEVELS.index(facts.max_data_classification) >= 2:
        needed.add("data_minimisation")
    if ai:
        if facts.technique in {"genai_text", "genai_media"}:
            needed.add("output_review")
        if facts.technique == "genai_text":
            needed.add("source_verification")
        if facts.profiling or facts.decides_about_persons:
            needed.add("bias_review")
        if high:
            needed.update({"log_retention", "incident_monitoring", "oversight_training"})
            if facts.used_at_work:
                needed.add("workers_informed")
            if facts.ai_act_role == "provider":
                needed.add("provider_conformity")
        if facts.art50_features:
            needed.add("transparency_notice")
    return [code for code in CHECKPOINT_ORDER if code in needed]


def classify(facts: UseCaseFacts, policy: Policy | None = None) -> Classification:
    """Derive every classification and obligation of a use case, each with its legal basis."""
    policy = policy or Policy()
    result = Classification()
    _classify_ai_act(facts, policy, result)
    _classify_rgpd(facts, result)
    _classify_decisions(facts, policy, result)
    _classify_security(facts, result)
    _classify_ethics(facts, policy, result)
    result.required_checkpoints = required_checkpoints(facts, result)
    result.blocked = any(reason.kind == BLOCKING for reason in result.reasons)
    result.reasons.sort(key=lambda reason: KIND_ORDER.index(reason.kind))
    return result


# Stored classifications ----------------------------------------------------------------------------------------

# The verdicts the register stores (and filters by); with the checkpoints, those compared when a use case is
# reclassified (a change of any of them is recorded in its history).
VERDICTS = (
    "ai_act_risk",
    "ai_system",
    "rgpd_sensitivity",
    "dpia_required",
    "fria_required",
    "eu_registration_required",
    "crpa_mention_required",
    "public_register_required",
    "ethics_review_required",
    "blocked",
)
VERDICT_FIELDS = (*VERDICTS, "required_checkpoints")


def verdict_changes(before: Mapping, after: Mapping) -> list[dict]:
    """The verdicts that differ between two classifications (stored fields), as {field, old, new}."""
    return [
        {"field": name, "old": before.get(name), "new": after.get(name)}
        for name in VERDICT_FIELDS
        if before.get(name) != after.get(name)
    ]


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
