"""Writes on publications: save the public wording, publish (or update the public record), withdraw.

Each write locks the use case then the publication (the order of `registry.services`), checks the publication's
version so that two DPOs editing the same record never overwrite each other silently, and is recorded in the
publication's trail and, for publications and withdrawals, in the use case's trail.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workflows
from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from registry.choices import ProgressStatus
from registry.models import UseCase, UseCaseEvent, User
from registry.selectors.assessments import dpia_status

from . import permissions
from .fields import (
    FIELD_CODES,
    L312_FIELD_CODES,
    PUBLISHABLE_STATUSES,
    build_record,
    default_crpa_mention,
    search_text_of,
)
from .models import Publication, PublicationEvent, PublicationState

# The public wording a DPO edits (the rest of a publication is written by the services only).
WORDING_FIELDS = (
    "name",
    "summary",
    "purpose",
    "human_intervention",
    "data_sources",
    "legal_basis",
    "dpia_status",
    "fria_status",
    "contact",
    "crpa_mention",
)
TEXT_FIELD_FOR = {
    "purpose": "purpose",
    "human_intervention": "human_intervention",
    "data_sources": "data_sources",
    "legal_basis": "legal_basis",
}


def _lock(use_case_pk: int) -> UseCase:
    return (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("collectivite", "service", "tool")
        .get(pk=use_case_pk)
    )


def _check_may_manage(acting_user: User, use_case: UseCase) -> None:
    access = get_access(acting_user, use_case.collectivite)
    if not permissions.can_manage_publication(acting_user, access, use_case):
        raise ForbiddenError(_("Only the DPO or an administrator may publish a use case in the public register."))


def _dpia_status(use_case: UseCase) -> str:
    """The DPIA's status the DPO's opinions state (`registry.selectors.assessments`), else what the classification
    says: to do where a DPIA is required, not required otherwise."""
    stated = dpia_status(use_case)
    if stated:
        return stated
    return ProgressStatus.TO_DO if use_case.dpia_required else ProgressStatus.NOT_REQUIRED


def initial_wording(use_case: UseCase) -> dict:
    """A first public wording, taken from the use case: the DPO reviews it (internal texts may name agents)."""
    collectivite = use_case.collectivite
    contact = collectivite.dpo_email or ""
    return {
        "name": use_case.name,
        "summary": use_case.summary,
        "purpose": use_case.purpose,
        "human_intervention": use_case.human_oversight,
        "data_sources": use_case.data_sources,
        "legal_basis": use_case.lawful_basis,
        "dpia_status": _dpia_status(use_case),
        "fria_status": ProgressStatus.TO_DO if use_case.fria_required else ProgressStatus.NOT_REQUIRED,
        "contact": contact,
        "crpa_mention": default_crpa_mention(
            collectivite_name=collectivite.name, name=use_case.name, contact=contact or collectivite.name
        )
        if use_case.crpa_mention_required
        else "",
    }


def publication_for_editing(*, use_case: UseCase) -> Publication:
    """The use case's publication, or an unsaved one pre-filled from the use case (nothing is written)."""
    try:
        return use_case.publication
    except Publication.DoesNotExist:
        return Publication(
            collectivite=use_case.collectivite, use_case=use_case, fields=list(FIELD_CODES), **initial_wording(use_case)
        )


def _clean(use_case: UseCase, data: dict) -> tuple[dict, list[str]]:
    errors: dict[str, list] = {}
    wording = {}
    for name in WORDING_FIELDS:
        if name in data:
            wording[name] = (
                " ".join(str(data[name] or "").split())
                if name in ("name", "contact")
                else str(data[name] or "").strip()
            )
    chosen = data.get("fields")
    if chosen is not None:
        unknown = [code for code in chosen if code not in FIELD_CODES]
        if unknown:
            errors.setdefault("fields", []).append(
                _("Unknown fields: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
            )
        chosen = [code for code in FIELD_CODES if code in set(chosen)]
    for name in ("dpia_status", "fria_status"):
        if wording.get(name) and wording[name] not in ProgressStatus.values:
            errors.setdefault(name, []).append(_("Choose one of the statuses offered."))
    if errors:
        raise ApplicationError(_("Some fields are not valid: correct them and save again."), errors=errors)
    return wording, chosen


def _validate_for_publication(publication: Publication, use_case: UseCase) -> None:
    errors: dict[str, list] = {}
    required = _("Required to publish.")
    for name in ("name", "summary", "contact"):
        if not getattr(publication, name).strip():
            errors.setdefault(name, []).append(required)
    chosen = set(publication.fields)
    if use_case.public_register_required:
        chosen |= L312_FIELD_CODES
    for code, attribute in TEXT_FIELD_FOR.items():
        if code in chosen and not getattr(publication, attribute).strip():
            errors.setdefault(attribute, []).append(
                _("This field is published: write it, or stop publishing it.")
                if code not in L312_FIELD_CODES or not use_case.public_register_required
                else _("Article L312-1-3 of the CRPA requires this to be published for this use.")
            )
    if use_case.crpa_mention_required and not publication.crpa_mention.strip():
        errors.setdefault("crpa_mention", []).append(
            _("The decisions founded on this use carry this mention (CRPA L311-3-1): write it.")
        )
    if errors:
        raise ApplicationError(_("The public record is incomplete: correct it and publish again."), errors=errors)


def _save(publication: Publication, use_case: UseCase, acting_user: User, data: dict, expected_version) -> list[str]:
    """Apply the wording and chosen fields to a locked (or new) publication; the changed field names."""
    wording, chosen = _clean(use_case, data)
    if publication.pk:
        if expected_version is None:
            raise ApplicationError(
                _("The version of the public record you edited is missing: reload the page and try again."),
                errors={"version": [_("This field is required.")]},
            )
        if publication.version != int(expected_version):
            raise ConflictError(
                _(
                    "Someone else saved this public record while you were editing it: reload the page to see "
                    "their changes, then make yours again."
                ),
                errors={"version": [_("Current version: %(version)s.") % {"version": publication.version}]},
            )
    changed = []
    for name, value in wording.items():
        if getattr(publication, name) != value:
            setattr(publication, name, value)
            changed.append(name)
    if chosen is not None and list(publication.fields) != chosen:
        publication.fields = chosen
        changed.append("fields")
    return changed


def _locked_publication(use_case: UseCase) -> Publication:
    publication = Publication.objects.select_for_update().filter(use_case=use_case).first()
    if publication is None:
        publication = publication_for_editing(use_case=use_case)
    publication.use_case = use_case
    return publication


def _move(publication: Publication, state: str, acting_user: User, kind: str, *, content=None, comment="", **changes):
    """The public record's move (`core.workflows.move`) once its caller checked it may be made: its state, what
    goes with it, one more version (unless `bump_version=False`), who did it, and its PublicationEvent."""

    def record(previous: str) -> PublicationEvent:
        return PublicationEvent.objects.create(
            publication=publication, actor=acting_user, kind=kind, content=content or {}, comment=comment
        )

    workflows.move(publication, state, field="state", updated_by=acting_user, record=record, **changes)


@transaction.atomic
def publication_save(*, use_case: UseCase, acting_user: User, data: dict, expected_version=None) -> Publication:
    """Save the public wording as a draft: the public record does not change until it is published."""
    use_case = _lock(use_case.pk)
    _check_may_manage(acting_user, use_case)
    publication = _locked_publication(use_case)
    changed = _save(publication, use_case, acting_user, data, expected_version)
    if publication.pk and not changed:
        return publication
    publication.version = (publication.version or 0) + 1 if publication.pk else 1
    publication.updated_by = acting_user
    publication.save()
    PublicationEvent.objects.create(publication=publication, actor=acting_user, kind=PublicationEvent.Kind.SAVED)
    return publication


@transaction.atomic
def publication_publish(*, use_case: UseCase, acting_user: User, data: dict | None = None, expected_version=None):
    """Publish the public record (or update it), from the wording given (or the one saved)."""
    use_case = _lock(use_case.pk)
    _check_may_manage(acting_user, use_case)
    if use_case.status not in PUBLISHABLE_STATUSES or use_case.blocked:
        raise TransitionError(
            _("A use case that is “%(status)s” cannot be published: it must have been submitted for review.")
            % {"status": use_case.get_status_display()}
            if not use_case.blocked
            else _("A blocked use case cannot be published.")
        )
    publication = _locked_publication(use_case)
    changed = _save(publication, use_case, acting_user, data, expected_version) if data is not None else []
    _validate_for_publication(publication, use_case)
    record = build_record(publication, use_case)
    was_public = publication.state == PublicationState.PUBLISHED
    if was_public and record == publication.content:
        # Nothing public changes: keep the wording edited (if any) without a new publication or a new date.
        if changed or publication.out_of_date:
            publication.version += 1
            publication.out_of_date = False
            publication.published_version = use_case.version
            publication.updated_by = acting_user
            publication.save()
            if changed:
                PublicationEvent.objects.create(
                    publication=publication, actor=acting_user, kind=PublicationEvent.Kind.SAVED
                )
        return publication
    now = timezone.now()
    publication.content = record
    publication.search_text = search_text_of(record)
    publication.service_name = record.get("service", "")
    publication.ai_act_risk = record.get("ai_act_risk", "")
    publication.automation_level = record.get("automation_level", "")
    publication.published_version = use_case.version
    publication.out_of_date = False
    publication.published_at = now
    publication.first_published_at = publication.first_published_at or now
    publication.withdrawn_at = None
    publication.withdrawal_reason = ""
    publication.version = (publication.version or 0) + 1 if publication.pk else 1
    kind = PublicationEvent.Kind.REPUBLISHED if was_public else PublicationEvent.Kind.PUBLISHED
    _move(publication, PublicationState.PUBLISHED, acting_user, kind, content=record, bump_version=False)
    if not was_public:
        UseCaseEvent.objects.create(
            use_case=use_case,
            actor=acting_user,
            kind=UseCaseEvent.Kind.PUBLISHED,
            from_status=use_case.status,
            to_status=use_case.status,
        )
    return publication


@transaction.atomic
def publication_withdraw(*, use_case: UseCase, acting_user: User, reason: str, expected_version=None) -> Publication:
    """Take a record off the public register (it answers “withdrawn” from then on); the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why the record is withdrawn from the public register."),
            errors={"reason": [_("This field is required.")]},
        )
    use_case = _lock(use_case.pk)
    _check_may_manage(acting_user, use_case)
    publication = Publication.objects.select_for_update().filter(use_case=use_case).first()
    if publication is None or publication.state != PublicationState.PUBLISHED:
        raise TransitionError(_("This use case is not in the public register."))
    if expected_version is not None and publication.version != int(expected_version):
        raise ConflictError(
            _("Someone else changed this public record meanwhile: reload the page and try again."),
            errors={"version": [_("Current version: %(version)s.") % {"version": publication.version}]},
        )
    _move(
        publication,
        PublicationState.WITHDRAWN,
        acting_user,
        PublicationEvent.Kind.WITHDRAWN,
        comment=reason,
        withdrawn_at=timezone.now(),
        withdrawal_reason=reason,
    )
    UseCaseEvent.objects.create(
        use_case=use_case,
        actor=acting_user,
        kind=UseCaseEvent.Kind.UNPUBLISHED,
        from_status=use_case.status,
        to_status=use_case.status,
        comment=reason,
    )
    return publication


def publications_mark_out_of_date(*, use_case_ids) -> int:
    """Mark the public records of these use cases whose content would change if published again (the DPO then
    sees them to update); a change that the public record does not show marks nothing. Returns how many."""
    stale = [
        publication.pk
        for publication in Publication.objects.filter(
            use_case_id__in=list(use_case_ids), state=PublicationState.PUBLISHED, out_of_date=False
        ).select_related("use_case__service", "use_case__tool")
        if build_record(publication, publication.use_case) != publication.content
    ]
    if stale:
        Publication.objects.filter(pk__in=stale).update(out_of_date=True)
    return len(stale)
