"""The public vocabulary of DOMAIN.md section 2: codes stored and exchanged, with their French labels.

The codes never change (exports and integrations rely on them); only the labels are translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CollectiviteType(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunality (EPCI)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Region")
    SYNDICAT = "syndicat", _("Joint syndicate")
    OTHER = "other", _("Other local authority")


class AiActRisk(models.TextChoices):
    PROHIBITED = "prohibited", _("Prohibited")
    HIGH = "high", _("High risk")
    LIMITED = "limited", _("Limited risk (transparency)")
    MINIMAL = "minimal", _("Minimal risk")
    OUT_OF_SCOPE = "out_of_scope", _("Not an AI system (AI Act not applicable)")


class Art5Practice(models.TextChoices):
    A = "a", _("a. Subliminal or deceptive manipulation")
    B = "b", _("b. Exploiting vulnerabilities (age, disability, social situation)")
    C = "c", _("c. Social scoring")
    D = "d", _("d. Predicting crimes from profiling alone")
    E = "e", _("e. Untargeted scraping of facial images")
    F = "f", _("f. Emotion recognition at work or school")
    G = "g", _("g. Biometric categorisation of sensitive traits")
    H = "h", _("h. Real-time remote biometric identification in public spaces")


class AnnexIIIPoint(models.TextChoices):
    P1A = "1a", _("1a. Remote biometric identification")
    P1B = "1b", _("1b. Biometric categorisation")
    P1C = "1c", _("1c. Emotion recognition")
    P2 = "2", _("2. Critical infrastructure (road traffic, water, gas, heating, electricity)")
    P3A = "3a", _("3a. Education: admission")
    P3B = "3b", _("3b. Education: evaluation of learning outcomes")
    P3C = "3c", _("3c. Education: level of education")
    P3D = "3d", _("3d. Education: monitoring of students during tests")
    P4A = "4a", _("4a. Recruitment and selection")
    P4B = "4b", _("4b. Promotion, termination, task allocation, monitoring of workers")
    P5A = "5a", _("5a. Eligibility for public assistance benefits and services")
    P5B = "5b", _("5b. Credit scoring")
    P5C = "5c", _("5c. Life and health insurance pricing")
    P5D = "5d", _("5d. Emergency calls and dispatch")
    P6A = "6a", _("6a. Law enforcement: risk of becoming a victim")
    P6B = "6b", _("6b. Law enforcement: polygraphs and similar tools")
    P6C = "6c", _("6c. Law enforcement: reliability of evidence")
    P6D = "6d", _("6d. Law enforcement: risk of offending")
    P6E = "6e", _("6e. Law enforcement: profiling in investigations")
    P7A = "7a", _("7a. Migration: polygraphs and similar tools")
    P7B = "7b", _("7b. Migration: risk assessment")
    P7C = "7c", _("7c. Migration: examination of applications")
    P7D = "7d", _("7d. Migration: detection and identification")
    P8A = "8a", _("8a. Administration of justice")
    P8B = "8b", _("8b. Influencing elections")


class Art6_3Ground(models.TextChoices):
    A = "a", _("a. Narrow procedural task")
    B = "b", _("b. Improves the result of a completed human activity")
    C = "c", _("c. Detects patterns without replacing human assessment")
    D = "d", _("d. Preparatory task")


class Art50Feature(models.TextChoices):
    CHATBOT = "chatbot", _("Interacts directly with people (chatbot)")
    SYNTHETIC_MEDIA = "synthetic_media", _("Generates synthetic images, audio or video")
    DEEPFAKE = "deepfake", _("Produces deepfakes")
    PUBLIC_INTEREST_TEXT = (
        "public_interest_text",
        _("Publishes text on matters of public interest without editorial review"),
    )
    EMOTION_OR_BIOMETRIC = "emotion_or_biometric", _("Emotion recognition or biometric categorisation")


class Technique(models.TextChoices):
    RULES = "rules", _("Rules written by people (not AI)")
    EXPERT_SYSTEM = "expert_system", _("Expert system (reasoning on encoded knowledge)")
    ML_PREDICTIVE = "ml_predictive", _("Predictive machine learning")
    GENAI_TEXT = "genai_text", _("Generative AI: text")
    GENAI_MEDIA = "genai_media", _("Generative AI: images, audio, video")
    VISION = "vision", _("Computer vision")
    SPEECH = "speech", _("Speech recognition or synthesis")
    AGENTIC = "agentic", _("AI agent acting on systems")


class AiActRole(models.TextChoices):
    DEPLOYER = "deployer", _("Deployer (uses a system supplied by a provider)")
    PROVIDER = "provider", _("Provider (develops the system or puts it into service under its own name)")


class CnilListType(models.TextChoices):
    """The types of processing of the CNIL's list requiring a DPIA (délibération 2018-327)."""

    HEALTH_CARE_ESTABLISHMENT = (
        "health_care_establishment",
        _("Health data processed by a health or medico-social establishment caring for persons"),
    )
    GENETIC_VULNERABLE = "genetic_vulnerable", _("Genetic data of vulnerable persons")
    HR_PROFILING = "hr_profiling", _("Profiling of agents for human-resources management")
    EMPLOYEE_MONITORING = "employee_monitoring", _("Constant monitoring of agents' activity")
    SOCIAL_HEALTH_ALERTS = "social_health_alerts", _("Alerts and reports on social or health matters")
    PROFESSIONAL_ALERTS = "professional_alerts", _("Professional alerts (whistleblowing)")
    HEALTH_DATA_WAREHOUSE = "health_data_warehouse", _("Health data warehouse")
    PROFILING_CONTRACT_EXCLUSION = (
        "profiling_contract_exclusion",
        _("Profiling that may exclude persons from a contract or a service"),
    )
    SHARED_CONTRACT_BREACHES = "shared_contract_breaches", _("Shared files of contract breaches")
    PROFILING_EXTERNAL_SOURCES = (
        "profiling_external_sources",
        _("Profiling with data collected from external sources"),
    )
    BIOMETRIC_VULNERABLE = "biometric_vulnerable", _("Biometric data of vulnerable persons")
    SOCIAL_HOUSING = "social_housing", _("Management of social housing applications and tenancies")
    SOCIAL_SUPPORT = "social_support", _("Social or medico-social support of persons")
    LARGE_SCALE_LOCATION = "large_scale_location", _("Location data on a large scale")


class Audience(models.TextChoices):
    AGENTS = "agents", _("Agents")
    PUBLIC = "public", _("The public")
    BOTH = "both", _("Agents and the public")


class AutomationLevel(models.TextChoices):
    NONE = "none", _("No decision about persons")
    ASSIST = "assist", _("Assists: prepares, a human decides")
    DETERMINING = "determining", _("Determining: a score or recommendation that weighs decisively")
    FULLY_AUTOMATED = "fully_automated", _("Fully automated decision")


class PersonalDataCategory(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary personal data (identity, contact details…)")
    FINANCIAL = "financial", _("Financial data")
    LOCATION = "location", _("Location data")
    COMMUNICATIONS = "communications", _("Content of communications")
    NIR = "nir", _("Social security number (NIR)")
    MINORS_VULNERABLE = "minors_vulnerable", _("Data about minors or vulnerable persons")
    RACIAL_ETHNIC_ORIGIN = "racial_ethnic_origin", _("Racial or ethnic origin")
    POLITICAL_OPINIONS = "political_opinions", _("Political opinions")
    RELIGIOUS_BELIEFS = "religious_beliefs", _("Religious or philosophical beliefs")
    TRADE_UNION = "trade_union", _("Trade union membership")
    GENETIC = "genetic", _("Genetic data")
    BIOMETRIC = "biometric", _("Biometric data")
    HEALTH = "health", _("Health data")
    SEX_LIFE_ORIENTATION = "sex_life_orientation", _("Sex life or sexual orientation")
    CRIMINAL = "criminal", _("Criminal convictions and offences")


class RgpdSensitivity(models.TextChoices):
    NONE = "none", _("No personal data")
    PERSONAL = "personal", _("Personal data")
    HIGHLY_PERSONAL = "highly_personal", _("Highly personal data")
    SPECIAL = "special", _("Special categories (Art. 9 / 10)")


class DataClassification(models.TextChoices):
    C0 = "C0", _("C0 — public / open data")
    C1 = "C1", _("C1 — internal")
    C2 = "C2", _("C2 — sensitive")
    C3 = "C3", _("C3 — Diffusion Restreinte")
    C4 = "C4", _("C4 — classified (never in an AI tool)")


class HostingZone(models.TextChoices):
    ON_PREMISE = "on_premise", _("On premises")
    FR = "fr", _("France")
    EU = "eu", _("European Union")
    NON_EU = "non_eu", _("Outside the EU")
    UNKNOWN = "unknown", _("Unknown")


class HostingQualification(models.TextChoices):
    SECNUMCLOUD = "secnumcloud", _("SecNumCloud")
    HDS = "hds", _("Health data hosting (HDS)")
    NONE = "none", _("None")


class ToolStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RESTRICTED = "restricted", _("Restricted")
    UNDER_REVIEW = "under_review", _("Under review")
    PROHIBITED = "prohibited", _("Prohibited")


class ToolCategory(models.TextChoices):
    GENERAL_CHATBOT = "general_chatbot", _("General-purpose chatbot")
    CODE = "code", _("Code assistant")
    TRANSCRIPTION = "transcription", _("Transcription")
    TRANSLATION = "translation", _("Translation")
    IMAGE = "image", _("Image generation")
    BROWSER_EXTENSION = "browser_extension", _("Browser extension")
    OFFICE_SUITE_FEATURE = "office_suite_feature", _("Office-suite feature")
    BUSINESS_SOFTWARE = "business_software", _("Business software with AI")
    OTHER = "other", _("Other")


class UseCaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    REJECTED = "rejected", _("Rejected")
    IN_PRODUCTION = "in_production", _("In production")
    SUSPENDED = "suspended", _("Suspended")
    RETIRED = "retired", _("Retired")


class Checkpoint(models.TextChoices):
    OUTPUT_REVIEW = "output_review", _("Human review of outputs")
    DECISION_VALIDATION = "decision_validation", _("Validation of each decision by a named agent")
    SOURCE_VERIFICATION = "source_verification", _("Verification of facts and sources")
    BIAS_REVIEW = "bias_review", _("Periodic bias review")
    LOG_RETENTION = "log_retention", _("Logs kept at least 6 months")
    OVERSIGHT_TRAINING = "oversight_training", _("Training of the people exercising oversight")
    TRANSPARENCY_NOTICE = "transparency_notice", _("People told they deal with an AI")
    CRPA_MENTION = "crpa_mention", _("Explicit algorithm mention on decisions")
    DATA_MINIMISATION = "data_minimisation", _("Data minimisation")
    INCIDENT_MONITORING = "incident_monitoring", _("Incident monitoring")
    WORKERS_INFORMED = "workers_informed", _("Staff representatives informed")
    PROVIDER_CONFORMITY = "provider_conformity", _("Provider obligations: documentation, conformity, registration")


# Reviews: DPO and RSSI opinions, the ethics committee (issue 5) --------------------------------------


class ReviewKind(models.TextChoices):
    INITIAL = "initial", _("First review")
    CHANGE = "change", _("Review after changes")
    PERIODIC = "periodic", _("Periodic re-review")


class ReviewStatus(models.TextChoices):
    OPINIONS = "opinions", _("Awaiting the DPO and RSSI opinions")
    COMMITTEE = "committee", _("Awaiting the ethics committee")
    DECIDED = "decided", _("Decided")
    SUPERSEDED = "superseded", _("Replaced by a newer review")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REVIEW_STATUSES = (ReviewStatus.OPINIONS, ReviewStatus.COMMITTEE)


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    REJECTED = "rejected", _("Rejected")


class ReviewerRole(models.TextChoices):
    DPO = "dpo", _("DPO")
    RSSI = "rssi", _("RSSI")


class OpinionVerdict(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    FAVOURABLE_WITH_CONDITIONS = "favourable_with_conditions", _("Favourable with conditions")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


class CommitteeOpinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    FAVOURABLE_WITH_CONDITIONS = "favourable_with_conditions", _("Favourable with conditions")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")
    POSTPONED = "postponed", _("Postponed")


class MemberVote(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    FAVOURABLE_WITH_CONDITIONS = "favourable_with_conditions", _("Favourable with conditions")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")
    ABSTAIN = "abstain", _("Abstention")


class ProgressStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class VendorReuse(models.TextChoices):
    DISABLED = "disabled", _("Switched off (contract or settings checked)")
    ENABLED = "enabled", _("The vendor may reuse our data")
    UNKNOWN = "unknown", _("Not checked yet")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    # Opened by the secretary on its date, with the attendance: the committee sits and gives its opinions.
    OPEN = "open", _("In session")
    CLOSED = "closed", _("Closed")


# Sessions whose agenda may still change and whose cases members may read.
NOT_CLOSED_SESSION_STATUSES = (SessionStatus.PLANNED, SessionStatus.OPEN)


class Civility(models.TextChoices):
    """How a person is addressed: agrees the titles printed next to their name (registry.titles)."""

    MADAME = "madame", _("Madame")
    MONSIEUR = "monsieur", _("Monsieur")


# Statuses in which a use case is approved and may run: what agents of the service see, what checkpoints and
# re-reviews apply to.
LIVE_STATUSES = (
    UseCaseStatus.APPROVED,
    UseCaseStatus.APPROVED_WITH_CONDITIONS,
    UseCaseStatus.IN_PRODUCTION,
)
VISIBLE_TO_SERVICE_STATUSES = LIVE_STATUSES

CLASSIFICATION_ORDER = [c.value for c in DataClassification]


# Shadow-AI declarations (DOMAIN.md section 5) ---------------------------------------------------------


class DeclarationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANALYSING = "analysing", _("Being analysed")
    REGULARISED = "regularised", _("Regularised")
    ALTERNATIVE_OFFERED = "alternative_offered", _("Alternative offered")
    TO_STOP = "to_stop", _("To stop")
    CLOSED = "closed", _("Closed")


class DeclarationAccount(models.TextChoices):
    PERSONAL_FREE = "personal_free", _("Personal free account")
    PERSONAL_PAID = "personal_paid", _("Personal paid account")
    PROFESSIONAL = "professional", _("Professional account provided by the collectivité")
    API = "api", _("API access")


class DeclarationDevice(models.TextChoices):
    WORK_PC = "work_pc", _("Work computer")
    WORK_MOBILE = "work_mobile", _("Work phone or tablet")
    PERSONAL_DEVICE = "personal_device", _("Personal device")


class DeclarationFrequency(models.TextChoices):
    OCCASIONAL = "occasional", _("Occasionally")
    MONTHLY = "monthly", _("Every month")
    WEEKLY = "weekly", _("Every week")
    DAILY = "daily", _("Every day")


class DeclaredData(models.TextChoices):
    """What goes into the tool: the personal-data codes of section 2 plus four plain categories."""

    PUBLIC = "public", _("Public information")
    INTERNAL = "internal", _("Internal documents")
    CONFIDENTIAL = "confidential", _("Confidential documents")
    CREDENTIALS_OR_CODE = "credentials_or_code", _("Passwords, keys or source code")
    ORDINARY = "ordinary", PersonalDataCategory.ORDINARY.label
    FINANCIAL = "financial", PersonalDataCategory.FINANCIAL.label
    LOCATION = "location", PersonalDataCategory.LOCATION.label
    COMMUNICATIONS = "communications", PersonalDataCategory.COMMUNICATIONS.label
    NIR = "nir", PersonalDataCategory.NIR.label
    MINORS_VULNERABLE = "minors_vulnerable", PersonalDataCategory.MINORS_VULNERABLE.label
    RACIAL_ETHNIC_ORIGIN = "racial_ethnic_origin", PersonalDataCategory.RACIAL_ETHNIC_ORIGIN.label
    POLITICAL_OPINIONS = "political_opinions", PersonalDataCategory.POLITICAL_OPINIONS.label
    RELIGIOUS_BELIEFS = "religious_beliefs", PersonalDataCategory.RELIGIOUS_BELIEFS.label
    TRADE_UNION = "trade_union", PersonalDataCategory.TRADE_UNION.label
    GENETIC = "genetic", PersonalDataCategory.GENETIC.label
    BIOMETRIC = "biometric", PersonalDataCategory.BIOMETRIC.label
    HEALTH = "health", PersonalDataCategory.HEALTH.label
    SEX_LIFE_ORIENTATION = "sex_life_orientation", PersonalDataCategory.SEX_LIFE_ORIENTATION.label
    CRIMINAL = "criminal", PersonalDataCategory.CRIMINAL.label


class DeclarationOutput(models.TextChoices):
    PERSONAL_DRAFT = "personal_draft", _("A draft for myself")
    INTERNAL = "internal", _("A document shared inside the collectivité")
    SENT_TO_USERS = "sent_to_users", _("A message or letter sent to residents or partners")
    INDIVIDUAL_DECISION = "individual_decision", _("A decision about a person")
    PUBLISHED = "published", _("A publication (website, social networks, magazine)")


class HumanReview(models.TextChoices):
    ALWAYS = "always", _("Always")
    SOMETIMES = "sometimes", _("Sometimes")
    NEVER = "never", _("Never")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class BreachOutcome(models.TextChoices):
    NOT_A_BREACH = "not_a_breach", _("Not a personal-data breach")
    BREACH_NOT_NOTIFIED = "breach_not_notified", _("Breach unlikely to result in a risk: recorded, not notified")
    BREACH_NOTIFIED = "breach_notified", _("Breach notified to the CNIL")
    BREACH_NOTIFIED_PERSONS = "breach_notified_persons", _("Breach notified to the CNIL and to the persons")
