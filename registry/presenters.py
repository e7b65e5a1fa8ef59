"""What the HTML pages show of a use case: its classification and its fields, grouped and labelled.

Pure presentation: no query beyond what the object already holds, no business rule. The same
`classification_context` renders a saved use case and the live preview of an unsaved form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from . import classification_inputs, rules
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
        return str(dict(AiActRisk.choices).get(self.ai_act_risk, self.ai_act_risk))

    @property
    def rgpd_sensitivity_label(self) -> str:
        return str(dict(RgpdSensitivity.choices).get(self.rgpd_sensitivity, self.rgpd_sensitivity))

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
    labels = dict(Checkpoint.choices)
    return [
        {"code": code, "label": str(labels.get(code, code)), "basis": str(rules.CHECKPOINT_BASIS.get(code, ""))}
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
        return _("Yes") if value else _("No")
    if name in _VERDICT_VOCABULARIES:
        return str(dict(_VERDICT_VOCABULARIES[name].choices).get(value, value))
    return "—" if value in (None, "") else str(value)


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
    checkpoint_labels = dict(Checkpoint.choices)
    changes = []
    for change in details.get("changes", []):
        name, old, new = change.get("field", ""), change.get("old"), change.get("new")
        try:
            label = str(UseCase._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a verdict a later rule set no longer stores: its code stands for its label
            label = name
        label = label[:1].upper() + label[1:]
        if isinstance(old, list) or isinstance(new, list):
            added = [str(checkpoint_labels.get(code, code)) for code in new or [] if code not in (old or [])]
            removed = [str(checkpoint_labels.get(code, code)) for code in old or [] if code not in (new or [])]
            parts = []
            if added:
                parts.append(_("added: %(items)s") % {"items": ", ".join(added)})
            if removed:
                parts.append(_("removed: %(items)s") % {"items": ", ".join(removed)})
            text = _("%(label)s: %(changes)s") % {"label": label, "changes": "; ".join(parts)}
            changes.append({"field": name, "label": label, "added": added, "removed": removed, "text": text})
            continue
        old_label, new_label = _verdict_label(name, old), _verdict_label(name, new)
        text = _("%(label)s: %(old)s → %(new)s") % {"label": label, "old": old_label, "new": new_label}
        changes.append({"field": name, "label": label, "old": old_label, "new": new_label, "text": text})
    return {
        "cause": str(cause) % {"ruleset": ruleset} if cause else event.comment,
        "ruleset": ruleset,
        "previous_ruleset": details.get("previous_ruleset") or "",
        "changes": changes,
    }


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
        labels = dict(MULTI_CODE_FIELDS[name].choices)
        return ", ".join(str(labels.get(code, code)) for code in value) or pgettext("multiple choice answer", "None")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return getattr(use_case, f"get_{name}_display")()
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
