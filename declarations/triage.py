"""Triage of shadow-AI declarations (DOMAIN.md section 5): pure functions of plain data.

`assess(facts)` computes the risk of what an agent told us (the data entered against what the tool may
receive, the account, the device, what the output becomes, the review habit), each point of the score with
its reason, and whether it may be a personal-data breach for the DPO to assess within 72 hours
(RGPD art. 33). `guidance(...)` tells the agent, right away, what they may go on doing and what not.
No ORM, no request: the same functions serve the form, the queue and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from registry import rules
from registry.choices import DeclarationAccount, DeclarationDevice, DeclarationOutput, HumanReview

# Data an agent may say they enter, beyond the personal-data codes of DOMAIN.md section 2.
NON_PERSONAL_DATA = ("public", "internal", "confidential", "credentials_or_code")
PERSONAL_DATA = tuple(rules.HIGHLY_PERSONAL | rules.SPECIAL | {"ordinary"})

# The security classification each kind of data needs at least (DOMAIN.md: C2 holds personal data and the
# secrets of CRPA L311-5/6).
DATA_LEVEL = {
    "public": "C0",
    "internal": "C1",
    "confidential": "C2",
    "credentials_or_code": "C2",
    **dict.fromkeys(PERSONAL_DATA, "C2"),
}

ACCOUNT_POINTS = {"personal_free": 25, "personal_paid": 15, "api": 5, "professional": 0}
DEVICE_POINTS = {"personal_device": 15, "work_mobile": 5, "work_pc": 0}
OUTPUT_POINTS = {"individual_decision": 25, "published": 15, "sent_to_users": 10, "internal": 5, "personal_draft": 0}
REVIEW_POINTS = {"never": 20, "sometimes": 10, "always": 0}
PERSONAL_ACCOUNTS = frozenset({"personal_free", "personal_paid"})
BREACH_ASSESSMENT_HOURS = 72

LEVELS = (("critical", 70), ("high", 45), ("medium", 20), ("low", 0))
LEVEL_LABELS = {
    "critical": _("Critical"),
    "high": _("High"),
    "medium": _("Medium"),
    "low": _("Low"),
}

FACTOR_TEXTS = {
    "tool_prohibited": _("The tool is prohibited by the collectivité."),
    "tool_unknown": _("The tool is not in the catalogue: nobody has checked it yet."),
    "tool_under_review": _("The tool is still under review by the DPO and the RSSI."),
    "data_above_tool": _("Data entered (%(level)s) goes beyond what the tool may receive (%(allowed)s)."),
    "special_data": _("Special-category or criminal data is entered (RGPD art. 9 and 10)."),
    "highly_personal_data": _("Highly personal data is entered."),
    "personal_data": _("Personal data is entered."),
    "credentials": _("Passwords, keys or source code are entered."),
    "confidential": _("Confidential documents are entered."),
    "account": _("Account used: %(account)s."),
    "device": _("Device used: %(device)s."),
    "output": _("What the output becomes: %(output)s."),
    "review": _("Human review of the output: %(review)s."),
}


@dataclass(frozen=True)
class DeclarationFacts:
    data_entered: frozenset[str] = frozenset()
    account: str = "professional"
    device: str = "work_pc"
    output_use: frozenset[str] = frozenset()
    human_review: str = "always"
    tool_known: bool = False
    tool_status: str | None = None
    tool_max_classification: str | None = None

    @classmethod
    def build(cls, **values) -> DeclarationFacts:
        for name in ("data_entered", "output_use"):
            values[name] = frozenset(values.get(name) or ())
        return cls(**values)


@dataclass(frozen=True)
class Factor:
    code: str
    points: int
    params: tuple[tuple[str, str], ...] = ()

    @property
    def explanation(self) -> str:
        return str(FACTOR_TEXTS[self.code]) % {name: _label(name, value) for name, value in self.params}

    def as_dict(self) -> dict:
        return {"code": self.code, "points": self.points, "params": dict(self.params)}


@dataclass
class Assessment:
    score: int = 0
    level: str = "low"
    data_level: str = "C0"
    possible_breach: bool = False
    factors: list[Factor] = field(default_factory=list)

    def add(self, code: str, points: int, **params) -> None:
        if points:
            self.factors.append(Factor(code, points, tuple(params.items())))
            self.score += points


def _label(name: str, value: str) -> str:
    labels = {
        "account": DeclarationAccount,
        "device": DeclarationDevice,
        "output": DeclarationOutput,
        "review": HumanReview,
    }.get(name)
    if labels is None:
        return value
    mapping = dict(labels.choices)
    return ", ".join(str(mapping.get(code, code)) for code in value.split(","))


def data_level(data_entered: frozenset[str]) -> str:
    """The highest classification the data entered needs."""
    levels = [DATA_LEVEL.get(code, "C2") for code in data_entered] or ["C0"]
    return max(levels, key=rules.CLASSIFICATION_LEVELS.index)


def possible_breach(facts: DeclarationFacts) -> bool:
    """Personal data entered into a personal account or an unknown tool may be a breach (RGPD art. 33)."""
    personal = bool(facts.data_entered & set(PERSONAL_DATA))
    return personal and (facts.account in PERSONAL_ACCOUNTS or not facts.tool_known)


def assess(facts: DeclarationFacts) -> Assessment:
    result = Assessment(data_level=data_level(facts.data_entered))
    if not facts.tool_known:
        result.add("tool_unknown", 20)
    elif facts.tool_status == "prohibited":
        result.add("tool_prohibited", 40)
    elif facts.tool_status == "under_review":
        result.add("tool_under_review", 15)
    if (
        facts.tool_known
        and facts.tool_max_classification
        and rules.classification_exceeds(result.data_level, facts.tool_max_classification)
    ):
        result.add("data_above_tool", 40, level=result.data_level, allowed=facts.tool_max_classification)
    data = facts.data_entered
    if data & rules.SPECIAL:
        result.add("special_data", 30)
    elif data & rules.HIGHLY_PERSONAL:
        result.add("highly_personal_data", 20)
    elif "ordinary" in data:
        result.add("personal_data", 10)
    if "credentials_or_code" in data:
        result.add("credentials", 20)
    elif "confidential" in data:
        result.add("confidential", 10)
    result.add("account", ACCOUNT_POINTS.get(facts.account, 0), account=facts.account)
    result.add("device", DEVICE_POINTS.get(facts.device, 0), device=facts.device)
    worst_output = max(facts.output_use, key=lambda code: OUTPUT_POINTS.get(code, 0), default=None)
    if worst_output:
        result.add("output", OUTPUT_POINTS.get(worst_output, 0), output=worst_output)
    result.add("review", REVIEW_POINTS.get(facts.human_review, 0), review=facts.human_review)
    result.score = min(result.score, 100)
    result.level = next(level for level, threshold in LEVELS if result.score >= threshold)
    result.possible_breach = possible_breach(facts)
    return result


@dataclass(frozen=True)
class Guidance:
    """What the agent reads right after declaring: kind, concrete, without blame."""

    verdict: str  # "approved", "restricted", "under_review", "prohibited", "unknown"
    tool_name: str
    allowed_level: str | None
    alternative_name: str | None
    alternative_level: str | None
    alternative_conditions: str
    forbidden_data: tuple[str, ...]
    conditions: str
    possible_breach: bool


def guidance(
    *,
    tool_name: str,
    tool_status: str | None,
    tool_max_classification: str | None,
    tool_conditions: str,
    data_entered: frozenset[str],
    alternative: tuple[str, str, str] | None,
    breach: bool,
) -> Guidance:
    """Personalised advice: may the agent go on, up to which data, and what to use instead (`alternative`: the name,
    highest data classification and conditions of use of an approved tool of the same kind, or None)."""
    verdict = tool_status or "unknown"
    allowed = tool_max_classification if verdict in {"approved", "restricted"} else None
    limit = allowed or "C0"
    forbidden = tuple(
        sorted(code for code in data_entered if rules.classification_exceeds(DATA_LEVEL.get(code, "C2"), limit))
    )
    return Guidance(
        verdict=verdict,
        tool_name=tool_name,
        allowed_level=allowed,
        alternative_name=alternative[0] if alternative else None,
        alternative_level=alternative[1] if alternative else None,
        alternative_conditions=alternative[2] if alternative else "",
        forbidden_data=forbidden,
        conditions=tool_conditions,
        possible_breach=breach,
    )
