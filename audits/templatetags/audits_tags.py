"""Template helpers of the checkpoint pages: due-date badges with text, attestation histories, permissions.

Everything here works on rows already loaded by `audits.selectors` (prefetched attestations): no query.
"""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registry.choices import UseCaseStatus

from .. import permissions, schedule

# Statuses before the approval: the controls are known, they have not started.
PRE_APPROVAL = frozenset({UseCaseStatus.DRAFT, UseCaseStatus.SUBMITTED, UseCaseStatus.IN_REVIEW})

register = template.Library()


def due_state(checkpoint, today: date | None = None) -> str:
    """overdue / soon / ok / each_use (no schedule) / inactive / not_running (the use case is not live)."""
    if not checkpoint.active:
        return "inactive"
    if not schedule.controls_run(checkpoint.use_case):
        return "not_running"
    if checkpoint.next_due is None:
        return "each_use"
    today = today or timezone.localdate()
    if schedule.is_overdue(checkpoint.next_due, today):
        return "overdue"
    if schedule.is_due_soon(checkpoint.next_due, today):
        return "soon"
    return "ok"


def due_label(checkpoint, today: date | None = None) -> str:
    today = today or timezone.localdate()
    state = due_state(checkpoint, today)
    if state == "inactive":
        return _("No longer required")
    if state == "each_use":
        return _("At each use")
    if state == "not_running":
        return not_running_label(checkpoint.use_case)
    days = (checkpoint.next_due - today).days
    if state == "overdue":
        return ngettext("Overdue by %(days)s day", "Overdue by %(days)s days", -days) % {"days": -days}
    if state == "soon":
        if days == 0:
            return _("Due today")
        return ngettext("Due in %(days)s day", "Due in %(days)s days", days) % {"days": days}
    return _("On schedule")


def not_running_label(use_case) -> str:
    if use_case.status in PRE_APPROVAL:
        return _("Starts once the use is approved")
    return _("Not due: the use is not running")


@register.filter
def controls_run(use_case) -> bool:
    """`{% if use_case|controls_run %}`: its controls run (the use case is live)."""
    return schedule.controls_run(use_case)


@register.filter
def before_approval(use_case) -> bool:
    return use_case.status in PRE_APPROVAL


@register.simple_tag
def due_badge(checkpoint, today: date | None = None):
    """`{% due_badge checkpoint %}`: the due state as a text badge (the colour only adds to the text)."""
    state = due_state(checkpoint, today)
    return format_html(
        '<span class="badge badge-due-{}" data-due-state="{}">{}</span>', state, state, due_label(checkpoint, today)
    )


@register.filter
def due_state_of(checkpoint) -> str:
    return due_state(checkpoint)


@register.filter
def attestable_by(checkpoint, user) -> bool:
    return permissions.can_attest(user, checkpoint)


@register.filter
def can_see_compliance(access) -> bool:
    return access is not None and access.is_member and permissions.can_see_compliance(access)


@register.simple_tag
def attestation_rows(checkpoint) -> list[dict]:
    """`{% attestation_rows checkpoint as rows %}`: the attestations, newest first, each with the one it
    corrects and those correcting it, from the prefetched attestations of the checkpoint."""
    attestations = list(checkpoint.attestations.all())
    by_pk = {a.pk: a for a in attestations}
    corrected_by: dict[int, list] = {}
    for attestation in attestations:
        if attestation.corrects_id:
            corrected_by.setdefault(attestation.corrects_id, []).append(attestation)
    return [
        {
            "attestation": a,
            "corrects": by_pk.get(a.corrects_id),
            "corrected_by": corrected_by.get(a.pk, []),
        }
        for a in attestations
    ]


@register.simple_tag
def checkpoint_groups(checkpoints) -> dict:
    """`{% checkpoint_groups checkpoints as groups %}`: active ones first, those no longer required apart,
    and the mandatory active ones without an owner (they hold the use case back from production)."""
    active = [c for c in checkpoints if c.active]
    return {
        "active": active,
        "inactive": [c for c in checkpoints if not c.active],
        "ownerless": [c for c in active if c.mandatory and c.owner_id is None],
    }


@register.filter
def last_attestation(checkpoint):
    attestations = list(checkpoint.attestations.all())
    return attestations[0] if attestations else None
