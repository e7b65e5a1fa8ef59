"""What the HTML pages show of a use case: its classification and its fields, grouped and labelled.

Pure presentation: no query beyond what the object already holds, no business rule. The same
`classification_context` renders a saved use case and the live preview of an unsaved form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.labels import EMPTY, joined_labels, label, labels, yes_no

from . import classification_inputs, qualification, rules
from .choices import AiActRisk, Checkpoint, RgpdSensitivity
from .models.use_cases import CLASSIFICATION_RESULT_FIELDS

OBLIGATION_FLAGS = (
    # (attribute, label, basis)
    ("dpia_required", gettext_lazy("Data protection impact assessment (AIPD)"), gettext_lazy("RGPD, art. 35")),
    (
        "fria_required",
        gettext_lazy("Fundamental rights impact assessment (AIDF)"),
        gettext_lazy("AI Act, art. 27"),
    ),
    ("eu_registration_required", gettext_lazy("Registration in the EU database"), gettext_lazy("AI Act, art. 49")),
    ("crpa_mention_required", gettext_lazy("Explicit mention on decisions"), gettext_lazy("CRPA, art. L311-3-1")),
    (
        "public_register_required",
        gettext_lazy("Online publication of the algorithm's rules"),
        gettext_lazy("CRPA, art. L312-1-3"),
    ),
    ("ethics_review_required", gettext_lazy("Ethics committee review"), gettext_lazy("rule of the collectivité")),
)


@dataclass
class ClassificationView:
    """A classification as the `_classification.html` partial reads it."""

    ai_act_risk: str
    rgpd_sensitivity: str
    ai_system: bool = True
    ruleset: str = ""
    dpia_required: bool = False
    fria_required: bool = False
    eu_registration_required: bool = False
    crpa_mention_required: bool = False
    public_register_required: bool = False
    ethics_review_required: bool = False
    blocked: bool = False
    reasons: list[rules.Reason] = field(default_factory=list)
    checkpoints: list[dict] = field(default_factory=list)

    @property
    def ai_act_risk_label(self) -> str:
        return label(AiActRisk, self.ai_act_risk)

    @property
    def rgpd_sensitivity_label(self) -> str:
        return label(RgpdSensitivity, self.rgpd_sensitivity)

    @property
    def blocking_reasons(self) -> list[rules.Reason]:
        return [reason for reason in self.reasons if reason.kind == rules.BLOCKING]

    @property
    def reason_groups(self) -> list[dict]:
        """Reasons by kind, in the engine's order (blocking first), skipping empty kinds."""
        groups = []
        for kind in rules.KIND_ORDER:
            members = [reason for reason in self.reasons if reason.kind == kind]
            if members:
                groups.append({"kind": kind, "label": str(rules.KIND_LABELS[kind]), "reasons": members})
        return groups

    @property
    def obligations(self) -> list[dict]:
        """Every obligation the engine decides on, required or not, so a 'no' is visible too; a required one that
        does not apply yet says from when (the AI Act's dates of application)."""
        return [
            {
                "code": name,
                "label": str(label),
                "basis": str(basis),
                "required": bool(getattr(self, name)),
                "applies_from": _pending_from(self.reasons, name) if getattr(self, name) else None,
            }
            for name, label, basis in OBLIGATION_FLAGS
        ]

    @property
    def ai_act_applies_from(self):
        """The date from which the AI Act's risk regime applies to this use, while it is in the future."""
        return _pending_from(self.reasons, rules.AI_ACT_RISK, kinds=(rules.CLASSIFICATION,))


def _pending_from(reasons, verdict: str, kinds=None):
    """The earliest future date of application among the reasons supporting a verdict (None if all apply)."""
    dates = [
        reason.applies_from
        for reason in reasons
        if verdict in reason.supports and reason.pending and (kinds is None or reason.kind in kinds)
    ]
    return min(dates) if dates else None


def checkpoint_items(codes) -> list[dict]:
    return [
        {"code": code, "label": label(Checkpoint, code), "basis": str(rules.CHECKPOINT_BASIS.get(code, ""))}
        for code in codes
    ]


def present_classification(obj) -> ClassificationView:
    """A `ClassificationView` from a saved `UseCase` or from a `rules.Classification` (live preview)."""
    values = {name: getattr(obj, name) for name in CLASSIFICATION_RESULT_FIELDS}
    if isinstance(obj, rules.Classification):
        checkpoints = checkpoint_items(obj.required_checkpoints)
        ruleset = obj.ruleset
    else:
        checkpoints = list(obj.checkpoint_items)
        ruleset = obj.classification_ruleset
    return ClassificationView(**values, ruleset=ruleset, reasons=list(obj.reasons), checkpoints=checkpoints)


def classification_context(obj) -> dict:
    """Template context for `{% include "registry/_classification.html" %}`: `{"classification": ...}`."""
    return {"classification": present_classification(obj)}


# The trail of events ------------------------------------------------------------------------------------

_VERDICT_VOCABULARIES = {"ai_act_risk": AiActRisk, "rgpd_sensitivity": RgpdSensitivity}


def _verdict_label(name: str, value) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    if name in _VERDICT_VOCABULARIES:
        return label(_VERDICT_VOCABULARIES[name], value)
    return EMPTY if value in (None, "") else str(value)


def reclassification(event) -> dict | None:
    """What a RECLASSIFIED event of a use case's trail says, in the reader's language: why it happened (its cause),
    by which rule set, and each verdict that changed, old -> new (« Risque AI Act : Risque élevé → Pas un système
    d'IA »; for the checkpoints, those added and removed). None for any other event.

    Built from the event's structured `details` (codes, not text), so a French reader and an English reader each
    read it in their language whatever the language of the process that reclassified."""
    from .models import UseCase, UseCaseEvent
    from .services.use_cases import RECLASSIFY_CAUSES

    if event.kind != UseCaseEvent.Kind.RECLASSIFIED:
        return None
    details = event.details or {}
    ruleset = details.get("ruleset") or ""
    cause = RECLASSIFY_CAUSES.get(details.get("cause"))
    changes = []
    for change in details.get("changes", []):
        name, old, new = change.get("field", ""), change.get("old"), change.get("new")
        try:
            field_label = str(UseCase._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a verdict a later rule set no longer stores: its code stands for its label
            field_label = name
        field_label = field_label[:1].upper() + field_label[1:]
        if isinstance(old, list) or isinstance(new, list):
            added = labels(Checkpoint, [code for code in new or [] if code not in (old or [])])
            removed = labels(Checkpoint, [code for code in old or [] if code not in (new or [])])
            parts = []
            if added:
                parts.append(_("added: %(items)s") % {"items": ", ".join(added)})
            if removed:
                parts.append(_("removed: %(items)s") % {"items": ", ".join(removed)})
            text = _("%(label)s: %(changes)s") % {"label": field_label, "changes": "; ".join(parts)}
            changes.append({"field": name, "label": field_label, "added": added, "removed": removed, "text": text})
            continue
        old_label, new_label = _verdict_label(name, old), _verdict_label(name, new)
        text = _("%(label)s: %(old)s → %(new)s") % {"label": field_label, "old": old_label, "new": new_label}
        changes.append({"field": name, "label": field_label, "old": old_label, "new": new_label, "text": text})
    return {
        "cause": str(cause) % {"ruleset": ruleset} if cause else event.comment,
        "ruleset": ruleset,
        "previous_ruleset": details.get("previous_ruleset") or "",
        "changes": changes,
    }


# The guided qualification (DOMAIN.md 3b) -----------------------------------------------------------------

SOURCE_LABELS = {
    qualification.FACTS_SOURCE: gettext_lazy("from the answers"),
    qualification.OVERRIDE_SOURCE: gettext_lazy("set by the DPO"),
    qualification.STORED_SOURCE: gettext_lazy("recorded before the questionnaire"),
}
# The legal answers the live panel always shows; the others when they say something (a yes, a point, a type).
_ALWAYS_SHOWN = ("technique", "annex_iii_point", "automation_level", "audience", "ai_act_role")
_QUIET_VALUES = (None, "", False, [], "none", "deployer")


# « None » agrees in French with what the answer lists: « Pratiques interdites : aucune », « Types de la liste de
# la CNIL : aucun ».
_FEMININE_ANSWERS = frozenset({"art5_practices", "art50_features", "personal_data_categories"})


def none_answer(name: str) -> str:
    """The answer of a multiple choice where nothing is ticked."""
    if name in _FEMININE_ANSWERS:
        return pgettext("multiple choice answer, feminine", "None")
    return pgettext("multiple choice answer", "None")


def input_label(name: str) -> str:
    item = classification_inputs.BY_NAME.get(name)
    return capfirst(str(item.label)) if item is not None else name


def input_value_label(name: str, value) -> str:
    """A legal input's value as a reader sees it: the label of its code(s), yes or no, the "none" of an optional
    code (« Aucun de ces domaines », « Pas d'exemption »)."""
    item = classification_inputs.BY_NAME.get(name)
    if isinstance(value, bool):
        return yes_no(value)
    if item is None or item.choices is None:
        return EMPTY if value in (None, "", []) else str(value)
    if item.multiple:
        return joined_labels(item.choices, value, none=none_answer(name))
    if value in (None, ""):
        return str(item.empty_label) if item.empty_label else EMPTY
    return label(item.choices, value)


def _override_view(name: str, override: dict, derived) -> dict:
    at = parse_datetime(override.get("at") or "")
    return {
        "justification": override.get("justification", ""),
        "by_name": override.get("by_name", ""),
        "at": at,
        # What the facts gave when the override was set, and what they give now.
        "derived_then": input_value_label(name, override.get("derived")),
        "derived_now": input_value_label(name, qualification._plain(derived.value)) if derived is not None else "",
    }


def qualification_context(outcome: qualification.Outcome, *, use_case=None) -> dict:
    """What the live panel and the use case's page show of a qualification: each legal answer with its value, the
    answers it comes from and its article (« Annexe III, point 5 a) — parce que : … »), where it comes from (the
    answers, the DPO's override with its justification, or the value recorded before the questionnaire); the
    questions for the DPO with their reason; the facts still to answer; the overrides the facts no longer support.

    `use_case`: the saved use case (its overrides, its confirmation); None or unsaved for the form of a new one,
    where an answer not given yet is no "recorded" value and is left out (the form lists it)."""
    saved = use_case is not None and use_case.pk is not None
    derivation = outcome.derivation
    overrides = dict(use_case.qualification_overrides) if use_case is not None else {}
    names = list(qualification.DERIVED_INPUTS)
    names += [name for name in derivation.amended if name not in names]
    names += [name for name in overrides if name not in names]
    rows = []
    for name in names:
        source = outcome.sources.get(name)
        if source is None or (source == qualification.STORED_SOURCE and not saved):
            continue
        derived = derivation.derived.get(name) or derivation.amended.get(name)
        value = outcome.inputs.get(name)
        because = [item.text for item in derived.because] if derived is not None else []
        if source in (qualification.STORED_SOURCE, qualification.OVERRIDE_SOURCE):
            # The answers' reasons support the derived value only: a value set by the DPO rests on its
            # justification (shown with the source), a recorded one on nothing the questionnaire says.
            because = []
        override = overrides.get(name) if source == qualification.OVERRIDE_SOURCE else None
        source_label = SOURCE_LABELS[source]
        if override is not None and name in qualification.RSSI_OVERRIDABLE:
            source_label = gettext_lazy("set by the RSSI")
        rows.append(
            {
                "name": name,
                "label": input_label(name),
                "value": input_value_label(name, value),
                "because": because,
                "article": str(qualification.INPUT_ARTICLES.get(name, "")),
                "source": source,
                "source_label": str(source_label),
                "override": _override_view(name, override, derived) if override is not None else None,
                "to_review": name in outcome.overrides_to_review,
                "notable": override is not None
                or (bool(because) and (name in _ALWAYS_SHOWN or value not in _QUIET_VALUES)),
            }
        )
    questions = [
        {
            "fact": question.fact,
            "text": question.text,
            "reason": question.reason,
            "reason_label": question.reason_label,
            "inputs": [input_label(name) for name in question.inputs],
        }
        for question in outcome.questions
    ]
    confirmation = dict(use_case.qualification_confirmation) if saved else {}
    to_confirm = use_case.qualification_to_confirm if saved else bool(questions)
    answers = []
    if use_case is not None:
        for fact in qualification.FACTS:
            value = getattr(use_case, fact.name)
            codes = value if isinstance(value, list) else [value] if value else []
            if codes:
                answers.append(
                    {
                        "name": fact.name,
                        "question": str(fact.question),
                        "answer": "; ".join(fact.label_of(code) for code in codes),
                    }
                )
    return {
        "rows": rows,
        "notable_rows": [row for row in rows if row["notable"]],
        "other_rows": [row for row in rows if not row["notable"]],
        "questions": questions,
        "missing": [
            {"name": name, "text": str(qualification.FACTS_BY_NAME[name].question)} for name in outcome.missing
        ],
        "to_review": [input_label(name) for name in outcome.overrides_to_review],
        "to_confirm": to_confirm,
        "confirmation": (
            {**confirmation, "at": parse_datetime(confirmation.get("at") or "")}
            if confirmation and not to_confirm
            else None
        ),
        "answers": answers,
    }


def expert_rows(context: dict, use_case, names) -> list[dict]:
    """The legal answers a DPO (or the RSSI) may set directly, as the expert view shows them: the rows of
    `qualification_context`, and for an answer asked directly in the form (the prohibited practices, the security
    axis) its value as answered."""
    by_name = {row["name"]: row for row in context["rows"]}
    rows = []
    for name in names:
        row = by_name.get(name)
        if row is None:
            row = {
                "name": name,
                "label": input_label(name),
                "value": input_value_label(name, getattr(use_case, name)),
                "because": [],
                "article": str(qualification.INPUT_ARTICLES.get(name, "")),
                "source": "answer",
                "source_label": _("answered in the form"),
                "override": None,
                "to_review": False,
                "notable": True,
            }
        rows.append(row)
    return rows


def qualification_event(event) -> dict | None:
    """What a qualification event of a use case's trail says, in the reader's language: the legal answer the DPO (or
    the RSSI) set or lifted, old -> new, or the questions the DPO confirmed. None for any other event."""
    from .models import UseCaseEvent

    details = event.details or {}
    if event.kind == UseCaseEvent.Kind.QUALIFICATION_CONFIRMED:
        questions = [
            str(qualification.FACTS_BY_NAME[name].question)
            for name in details.get("questions", [])
            if name in qualification.FACTS_BY_NAME
        ]
        reviewed = [input_label(name) for name in details.get("overrides", [])]
        lines = []
        if questions:
            lines.append(_("Questions confirmed: %(questions)s") % {"questions": " ; ".join(questions)})
        if reviewed:
            lines.append(
                _("Legal answers kept after a change of the answers: %(inputs)s") % {"inputs": ", ".join(reviewed)}
            )
        return {"lines": lines}
    if event.kind in (UseCaseEvent.Kind.QUALIFIED, UseCaseEvent.Kind.UNQUALIFIED):
        name = details.get("input", "")
        text = _("%(label)s: %(old)s → %(new)s") % {
            "label": input_label(name),
            "old": input_value_label(name, details.get("old")),
            "new": input_value_label(name, details.get("new")),
        }
        return {"lines": [text]}
    return None


# The use case's fields ----------------------------------------------------------------------------------

# The descriptive fields each section shows before and after the classification inputs of its group
# (`classification_inputs`).
_SECTION_EXTRAS = {
    "decisions": ((), ("decisions_per_year", "human_oversight")),
    "data": ((), ("data_sources", "processing_record_ref")),
    "hosting": (("tool",), ()),
}

SECTIONS = (
    (
        "identity",
        gettext_lazy("Identity"),
        ("reference", "name", "summary", "description", "service", "owner", "status", "start_date", "end_date"),
    ),
    ("purpose", gettext_lazy("Purpose"), ("purpose", "lawful_basis")),
    *(
        (
            group.slug,
            group.title,
            (
                *_SECTION_EXTRAS.get(group.slug, ((), ()))[0],
                *classification_inputs.in_group(group.slug),
                *_SECTION_EXTRAS.get(group.slug, ((), ()))[1],
            ),
        )
        for group in classification_inputs.GROUPS
    ),
)


def display_value(use_case, name: str) -> str:
    """A field's value as a reader sees it: labels for codes, yes/no, dates in the active locale."""
    from .models import UseCase
    from .models.use_cases import MULTI_CODE_FIELDS

    model_field = UseCase._meta.get_field(name)
    value = getattr(use_case, name)
    if name in MULTI_CODE_FIELDS:
        return joined_labels(MULTI_CODE_FIELDS[name], value, none=none_answer(name))
    if isinstance(value, bool):
        return yes_no(value)
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return label(model_field, value)
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def use_case_sections(use_case) -> list[dict]:
    """The use case's fields in titled groups, each field with its French label and displayed value."""
    from .models import UseCase

    sections = []
    for code, title, names in SECTIONS:
        rows = []
        for name in names:
            model_field = UseCase._meta.get_field(name)
            rows.append(
                {
                    "name": name,
                    "label": str(model_field.verbose_name),
                    "value": display_value(use_case, name),
                    "multiline": model_field.get_internal_type() == "TextField",
                }
            )
        sections.append({"code": code, "title": str(title), "rows": rows})
    return sections
