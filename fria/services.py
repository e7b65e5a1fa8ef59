"""Writes on AIDFs: start one (pre-filled from the use case), save the draft (optimistic lock), submit a version to
the DPO (frozen), the DPO's review (approve or send back), the notification to the market surveillance authority, a
new version. Each checks its permission (ForbiddenError), locks the AIDF, writes its event and, for the submission,
the review and the notification, a line of the security journal."""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.services import validate_evidence
from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError
from core.workflows import refuse
from registry.choices import UseCaseStatus
from registry.models import UseCase, User
from security.models import SecurityEvent
from security.services import record_event

from . import permissions, prefill
from .models import AIPD_FIELDS, PART_FIELDS, PARTS, TEXT_MAX_LENGTH, Fria, FriaEvent, FriaStatus, FriaVersion

# The lines of the security journal.
SECURITY_SUBMITTED = SecurityEvent.Kind.FRIA_SUBMITTED
SECURITY_REVIEWED = SecurityEvent.Kind.FRIA_REVIEWED
SECURITY_NOTIFIED = SecurityEvent.Kind.FRIA_NOTIFIED

EDITABLE_FIELDS = (*PART_FIELDS, *AIPD_FIELDS)
SHORT_FIELDS = {"aipd_reference": 200}

CONFLICT = _(
    "Someone else changed this AIDF while you were editing it. Your changes were not saved: reload the page to see "
    "the new version, then apply your changes again."
)
FORBIDDEN = _("You may not take this action on the AIDF of this use case.")


def fria_of(use_case: UseCase) -> Fria | None:
    """The use case's AIDF or None; cached on the instance (the page's sections and its production blockers share
    one query)."""
    try:
        return use_case.fria
    except Fria.DoesNotExist:
        return None


def _access(user, use_case):
    return get_access(user, use_case.collectivite)


def _locked(fria: Fria, expected_version) -> Fria:
    locked = Fria.objects.select_for_update(of=("self",)).select_related("use_case__collectivite", "use_case__service")
    locked = locked.get(pk=fria.pk)
    if expected_version not in (None, "") and str(expected_version) != str(locked.version):
        raise ConflictError(CONFLICT)
    return locked


def _event(fria: Fria, kind: str, actor: User, comment: str = "") -> FriaEvent:
    return FriaEvent.objects.create(fria=fria, kind=kind, number=fria.number, actor=actor, comment=comment)


def _security(kind: str, fria: Fria, actor: User, **details) -> None:
    record_event(
        kind=kind,
        actor=actor,
        collectivite=fria.use_case.collectivite_id,
        obj=fria,
        details={"use_case": fria.use_case.reference, "number": fria.number, **details},
    )


# Starting and writing -----------------------------------------------------------------------------------------


@transaction.atomic
def fria_start(*, use_case: UseCase, acting_user: User) -> Fria:
    """The AIDF of a use case that requires one, pre-filled from what the register knows (`prefill.suggestions`).
    An AIDF already started is returned as it is."""
    locked = (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("collectivite", "service", "tool")
        .get(pk=use_case.pk)
    )
    if not permissions.can_write_fria(acting_user, _access(acting_user, locked), locked):
        if not locked.fria_required:
            raise ForbiddenError(_("The classification of this use case does not require an AIDF."))
        raise ForbiddenError(FORBIDDEN)
    existing = Fria.objects.filter(use_case=locked).first()
    if existing is not None:
        return existing
    fria = Fria.objects.create(use_case=locked, created_by=acting_user, **prefill.suggestions(locked))
    _event(fria, FriaEvent.Kind.STARTED, acting_user)
    return fria


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def validate_aipd_file(upload) -> None:
    """The AIPD file: the types and the size of the audits' evidence files, checked by content."""
    try:
        validate_evidence(upload)
    except ApplicationError as error:
        raise ApplicationError(error.message, errors={"aipd_file": error.errors.get("evidence", [])}) from error


@transaction.atomic
def fria_update(
    *, fria: Fria, acting_user: User, data: dict, expected_version=None, aipd_file=None, remove_aipd_file=False
) -> Fria:
    """Save the draft: the six parts and the AIPD link (fields not given are kept). Refused once submitted (the DPO
    reviews what was submitted) and when someone saved it since `expected_version` (ConflictError, nothing saved)."""
    locked = _locked(fria, expected_version)
    use_case = locked.use_case
    if not permissions.can_write_fria(acting_user, _access(acting_user, use_case), use_case):
        raise ForbiddenError(FORBIDDEN)
    if locked.status != FriaStatus.DRAFT:
        raise refuse(locked, _("Only an AIDF being written can be changed; this one is “%(status)s”."))
    errors = {}
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            continue
        text = (value or "").strip() if isinstance(value, str) or value is None else None
        if text is None:
            errors[name] = [_("A text is expected.")]
            continue
        limit = SHORT_FIELDS.get(name, TEXT_MAX_LENGTH)
        if len(text) > limit:
            errors[name] = [_("At most %(count)s characters.") % {"count": limit}]
            continue
        setattr(locked, name, text)
    if aipd_file:
        try:
            validate_aipd_file(aipd_file)
        except ApplicationError as error:
            errors.update(error.errors)
    if errors:
        raise ApplicationError(_("Some answers are not valid."), errors=errors)
    if aipd_file:
        locked.aipd_file_name = aipd_file.name[:255]
        locked.aipd_file_size = aipd_file.size
        locked.aipd_file_sha256 = _sha256_of(aipd_file)
        locked.aipd_file = aipd_file
    elif remove_aipd_file:
        # The file stays on disk for the frozen versions that point to it.
        locked.aipd_file, locked.aipd_file_name, locked.aipd_file_size, locked.aipd_file_sha256 = "", "", None, ""
    locked.version += 1
    locked.save()
    return locked


# The DPO's review ---------------------------------------------------------------------------------------------


def submission_errors(fria: Fria) -> dict[str, list]:
    """What is missing before the AIDF can be submitted: each of the six parts, and the AIPD it complements when the
    use case requires one (art. 27(4))."""
    errors = {}
    for part in PARTS:
        if not getattr(fria, part.field).strip():
            errors[part.field] = [
                _("Complete part (%(letter)s) before submitting: %(title)s.")
                % {"letter": part.letter, "title": part.title}
            ]
    if fria.use_case.dpia_required and not fria.aipd_reference.strip():
        errors["aipd_reference"] = [
            _("This use case requires an AIPD: give its reference, the AIDF complements it (AI Act art. 27(4)).")
        ]
    return errors


@transaction.atomic
def fria_submit(*, fria: Fria, acting_user: User, expected_version=None) -> FriaVersion:
    """Freeze the version being written and send it to the DPO."""
    locked = _locked(fria, expected_version)
    use_case = locked.use_case
    if not permissions.can_write_fria(acting_user, _access(acting_user, use_case), use_case):
        raise ForbiddenError(FORBIDDEN)
    if locked.status != FriaStatus.DRAFT:
        raise refuse(locked, _("Only an AIDF being written can be submitted; this one is “%(status)s”."))
    errors = submission_errors(locked)
    if errors:
        raise ApplicationError(
            _("The AIDF is not complete: %(count)d items are missing.") % {"count": len(errors)}, errors
        )
    version = FriaVersion.objects.create(
        fria=locked,
        number=locked.number,
        submitted_by=acting_user,
        submitted_at=timezone.now(),
        aipd_file=locked.aipd_file.name,
        aipd_file_name=locked.aipd_file_name,
        aipd_file_size=locked.aipd_file_size,
        aipd_file_sha256=locked.aipd_file_sha256,
        **locked.content(),
    )
    locked.status = FriaStatus.SUBMITTED
    locked.version += 1
    locked.save()
    _event(locked, FriaEvent.Kind.SUBMITTED, acting_user)
    _security(SECURITY_SUBMITTED, locked, acting_user)
    return version


def _current_version(fria: Fria) -> FriaVersion:
    return FriaVersion.objects.select_for_update().get(fria=fria, number=fria.number)


@transaction.atomic
def fria_review(
    *,
    fria: Fria,
    acting_user: User,
    decision: str,
    comment: str = "",
    committee_reference: str = "",
    committee_comment: str = "",
    expected_version=None,
) -> FriaVersion:
    """The DPO approves the submitted version or sends it back with comments (then a new version starts from it).
    The ethics committee's opinion, when the case went to the committee, may be recorded with the review."""
    locked = _locked(fria, expected_version)
    use_case = locked.use_case
    access = _access(acting_user, use_case)
    if not permissions.is_fria_reviewer(access) or use_case.collectivite_id != access.collectivite_id:
        raise ForbiddenError(_("Only the DPO reviews the AIDF."))
    if locked.status != FriaStatus.SUBMITTED:
        raise refuse(locked, _("Only a submitted AIDF can be reviewed; this one is “%(status)s”."))
    comment = (comment or "").strip()
    errors = {}
    if decision not in FriaVersion.Decision.values:
        errors["decision"] = [_("Choose to approve the AIDF or to send it back.")]
    elif decision == FriaVersion.Decision.RETURNED and not comment:
        errors["comment"] = [_("Say what to complete or correct: the owner reads it.")]
    for name, value, limit in (
        ("comment", comment, TEXT_MAX_LENGTH),
        ("committee_reference", committee_reference or "", 200),
        ("committee_comment", committee_comment or "", TEXT_MAX_LENGTH),
    ):
        if len(value.strip()) > limit:
            errors[name] = [_("At most %(count)s characters.") % {"count": limit}]
    if errors:
        raise ApplicationError(_("Some answers are not valid."), errors=errors)
    version = _current_version(locked)
    version.decision = decision
    version.reviewed_by = acting_user
    version.reviewed_at = timezone.now()
    version.review_comment = comment
    version.committee_reference = (committee_reference or "").strip()
    version.committee_comment = (committee_comment or "").strip()
    version.save()
    if decision == FriaVersion.Decision.APPROVED:
        locked.status = FriaStatus.APPROVED
        _event(locked, FriaEvent.Kind.APPROVED, acting_user, comment)
    else:
        _event(locked, FriaEvent.Kind.RETURNED, acting_user, comment)
        # The next version starts from the one sent back.
        locked.status = FriaStatus.DRAFT
        locked.number += 1
    locked.version += 1
    locked.save()
    _security(SECURITY_REVIEWED, locked, acting_user, decision=decision, reviewed_number=version.number)
    return version


# Notification to the market surveillance authority (art. 27(3)) ---------------------------------------------------


def default_authority(collectivite_id: int) -> str:
    """The authority the collectivité named in its last notification: the national designation of the market
    surveillance authorities is the collectivité's to name (it is not fixed in the register)."""
    last = (
        FriaVersion.objects.filter(fria__use_case__collectivite_id=collectivite_id)
        .exclude(notification_authority="")
        .order_by("-notified_on", "-pk")
        .values_list("notification_authority", flat=True)
        .first()
    )
    return last or ""


@transaction.atomic
def fria_notify(
    *,
    fria: Fria,
    acting_user: User,
    notified_on: datetime.date | None,
    means: str,
    authority: str,
    reference: str = "",
    expected_version=None,
) -> Fria:
    """Record that the results of the approved AIDF were notified to the market surveillance authority: the date,
    the means, the authority named by the collectivité and the reference of the sending."""
    locked = _locked(fria, expected_version)
    use_case = locked.use_case
    if not permissions.can_write_fria(acting_user, _access(acting_user, use_case), use_case):
        raise ForbiddenError(FORBIDDEN)
    if locked.status != FriaStatus.APPROVED:
        raise refuse(locked, _("Only an AIDF approved by the DPO can be notified; this one is “%(status)s”."))
    means, authority, reference = ((value or "").strip() for value in (means, authority, reference))
    errors = {}
    if notified_on is None:
        errors["notified_on"] = [_("Give the date of the notification.")]
    elif notified_on > timezone.localdate():
        errors["notified_on"] = [_("The notification cannot be dated in the future.")]
    if not means:
        errors["notification_means"] = [_("Say how the results were sent (online form, e-mail, letter…).")]
    if not authority:
        errors["notification_authority"] = [_("Name the market surveillance authority notified.")]
    for name, value, limit in (
        ("notification_means", means, 200),
        ("notification_authority", authority, 300),
        ("notification_reference", reference, 200),
    ):
        if len(value) > limit:
            errors[name] = [_("At most %(count)s characters.") % {"count": limit}]
    if errors:
        raise ApplicationError(_("Some answers are not valid."), errors=errors)
    values = {
        "notified_on": notified_on,
        "notification_means": means,
        "notification_reference": reference,
        "notification_authority": authority,
    }
    version = _current_version(locked)
    for name, value in values.items():
        setattr(version, name, value)
        setattr(locked, name, value)
    version.notified_by = acting_user
    version.save()
    locked.status = FriaStatus.NOTIFIED
    locked.version += 1
    locked.save()
    _event(locked, FriaEvent.Kind.NOTIFIED, acting_user, reference)
    _security(SECURITY_NOTIFIED, locked, acting_user, notified_on=notified_on.isoformat(), authority=authority)
    return locked


@transaction.atomic
def fria_reopen(*, fria: Fria, acting_user: User, expected_version=None, comment: str = "") -> Fria:
    """Start a new version from the approved one (the use case changed, art. 27(2)): the AIDF is being written
    again, and must be approved and notified again before a use case goes live."""
    locked = _locked(fria, expected_version)
    use_case = locked.use_case
    if not permissions.can_write_fria(acting_user, _access(acting_user, use_case), use_case):
        raise ForbiddenError(FORBIDDEN)
    if locked.status not in (FriaStatus.APPROVED, FriaStatus.NOTIFIED):
        raise refuse(locked, _("Only an approved AIDF can start a new version; this one is “%(status)s”."))
    locked.status = FriaStatus.DRAFT
    locked.number += 1
    locked.notified_on = None
    locked.notification_means = locked.notification_reference = locked.notification_authority = ""
    locked.version += 1
    locked.save()
    _event(locked, FriaEvent.Kind.REOPENED, acting_user, (comment or "").strip())
    return locked


# What the register asks -----------------------------------------------------------------------------------------


def production_blockers(use_case: UseCase) -> dict[str, list]:
    """A use case that requires an AIDF goes live only once its AIDF is approved by the DPO and notified to the
    market surveillance authority (AI Act art. 27(1) and (3)): one full sentence when it is not."""
    if not use_case.fria_required:
        return {}
    fria = fria_of(use_case)
    if fria is None or fria.status == FriaStatus.DRAFT:
        sentence = _(
            "This use case requires a fundamental rights impact assessment (AIDF, AI Act art. 27) before its first "
            "use: complete it and submit it to the DPO."
        )
    elif fria.status == FriaStatus.SUBMITTED:
        sentence = _("The AIDF of this use case waits for the DPO's review: it must be approved before the first use.")
    elif fria.status == FriaStatus.APPROVED:
        sentence = _(
            "The AIDF of this use case is approved but its results are not notified to the market surveillance "
            "authority yet (AI Act art. 27(3)): record the notification."
        )
    else:
        return {}
    return {"fria": [sentence]}


def due_filter(prefix: str = "") -> Q:
    """The use cases whose AIDF is due: required, not retired nor rejected, and not notified (`prefix`: the path to
    the use case, e.g. "use_case__")."""
    return (
        Q(**{f"{prefix}fria_required": True})
        & ~Q(**{f"{prefix}status__in": (UseCaseStatus.RETIRED, UseCaseStatus.REJECTED)})
        & ~Q(**{f"{prefix}fria__status": FriaStatus.NOTIFIED})
    )
