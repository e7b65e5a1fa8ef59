"""The answer drafted from the register: 1°, 2° and 4° of CRPA R311-3-1-2 (and the role of the AI system, AI Act
art. 86) pre-filled from what the register says of the use case; 3° (the parameters applied to the person's own
situation) is the service's to write. The public wording of the register entry is preferred where there is one: it
was written for the public and carries no agent's name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import labels
from registry.choices import AiActRisk, AutomationLevel, PersonalDataCategory
from registry.rules import CLASSIFICATION

PARTS = ("answer_contribution", "answer_data", "answer_parameters", "answer_operations", "answer_ai_role")


def art86_applies(use_case) -> bool:
    """AI Act art. 86: a decision based on the output of a high-risk AI system listed in Annex III, except its
    point 2 (critical infrastructure)."""
    if use_case is None:
        return False
    point = use_case.annex_iii_point or ""
    return use_case.ai_act_risk == AiActRisk.HIGH and bool(point) and not point.startswith("2")


def _publication(use_case):
    from transparency.models import PublicationState

    # A use case without publication raises RelatedObjectDoesNotExist, an AttributeError: getattr gives None.
    publication = getattr(use_case, "publication", None)
    return publication if publication is not None and publication.state == PublicationState.PUBLISHED else None


def _automation(use_case) -> str:
    from transparency.public_views import AUTOMATION_EXPLAINED

    level = use_case.automation_level
    return f"{labels.label(AutomationLevel, level)}. {AUTOMATION_EXPLAINED.get(level, '')}".strip()


def _explained(use_case) -> str:
    from transparency.public_views import AUTOMATION_EXPLAINED

    return str(AUTOMATION_EXPLAINED.get(use_case.automation_level, ""))


def prefill(use_case) -> dict[str, str]:
    """The parts of the answer the register can write, keyed by the request's fields ("" for the others)."""
    if use_case is None:
        return dict.fromkeys(PARTS, "")
    publication = _publication(use_case)
    oversight = (publication.human_intervention if publication else "") or use_case.human_oversight
    contribution = [_automation(use_case)]
    if oversight:
        contribution.append(_("Human intervention: %(text)s") % {"text": oversight})

    data = [(publication.data_sources if publication else "") or use_case.data_sources]
    categories = use_case.personal_data_categories or []
    if categories:
        data.append(
            _("Categories of personal data processed: %(list)s.")
            % {"list": ", ".join(labels.label(PersonalDataCategory, code) for code in categories)}
        )

    operations = []
    purpose = (publication.purpose if publication else "") or use_case.purpose
    if purpose:
        operations.append(_("Purpose of the processing: %(text)s") % {"text": purpose})
    if use_case.tool_id:
        operations.append(_("Tool used: %(tool)s.") % {"tool": use_case.tool.name})
    checkpoints = [
        str(checkpoint.type.display_title)
        for checkpoint in use_case.checkpoints.filter(active=True).select_related("type").order_by("type__code")
    ]
    if checkpoints:
        operations.append(
            _("Controls carried out by the services on this processing:")
            + "\n"
            + "\n".join(f"– {t}" for t in checkpoints)
        )
    reasons = [reason for reason in use_case.reasons if reason.kind == CLASSIFICATION]
    if reasons:
        operations.append(
            _("How the collectivité's register classifies this processing:")
            + "\n"
            + "\n".join(f"– {reason.explanation} ({reason.basis})" for reason in reasons)
        )
    ai_role = ""
    if art86_applies(use_case):
        ai_role = _(
            "The AI system is used in the procedure as follows: %(automation)s The decision itself is taken by the "
            "collectivité, under the human oversight described in 1°."
        ) % {"automation": _explained(use_case)}
    return {
        "answer_contribution": "\n\n".join(part for part in contribution if part),
        "answer_data": "\n\n".join(part for part in data if part),
        "answer_parameters": "",
        "answer_operations": "\n\n".join(operations),
        "answer_ai_role": ai_role,
    }
