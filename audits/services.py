"""Writes on checkpoints, attestations and incidents. Views, API, tasks and commands call these."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError, ConflictError, TransitionError
from registry.models import UseCase, User
from registry.outbox import enqueue

from . import schedule
from .catalogue import CATALOGUE
from .models import Attestation, Checkpoint, CheckpointType, Frequency, Incident

__all__ = [
    "ForbiddenError",
    "attestation_record",
    "checkpoint_add",
    "checkpoint_update",
    "checkpoints_from_conditions",
    "checkpoints_sync",
    "incident_record",
    "validate_evidence",
]

# Evidence files: what is accepted, recognised by content (magic bytes) and not only by name.
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".txt": (),
    ".csv": (),
}


class ForbiddenError(ApplicationError):
    status_code = 403


def _today() -> date:
    return timezone.localdate()


def _sha256_of(upload) -> str:
    """The evidence's fingerprint, printed in the audit reports (computed once, on upload)."""
    import hashlib

    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def validate_evidence(upload) -> None:
    """Type by extension and content, size under EVIDENCE_MAX_BYTES: a clear French message otherwise."""
    from pathlib import Path

    max_bytes = getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
    suffix = Path(upload.name or "").suffix.lower()
    allowed = ", ".join(sorted(EVIDENCE_SIGNATURES))
    if suffix not in EVIDENCE_SIGNATURES:
        raise ApplicationError(
            _("This type of file is not accepted."),
            errors={"evidence": [_("Accepted files: %(types)s.") % {"types": allowed}]},
        )
    if not upload.size:
        raise ApplicationError(_("The file is empty."), errors={"evidence": [_("Choose a file that is not empty.")]})
    if upload.size > max_bytes:
        raise ApplicationError(
            _("The file is too large."),
            errors={"evidence": [_("At most %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}]},
        )
    head = upload.read(16)
    upload.seek(0)
    signatures = EVIDENCE_SIGNATURES[suffix]
    if signatures and not any(head.startswith(signature) for signature in signatures):
        raise ApplicationError(
            _("The file's content does not match its type."),
            errors={"evidence": [_("The file does not look like a %(type)s file.") % {"type": suffix}]},
        )
    if not signatures and b"\x00" in head:
        raise ApplicationError(
            _("The file's content does not match its type."),
            errors={"evidence": [_("A text file cannot contain binary data.")]},
        )


def checkpoints_sync(*, use_case: UseCase) -> None:
    """Attach the checkpoints the classification requires, reactivate those required again, and deactivate
    (never delete) required ones no longer asked for, so their attestations stay in the history."""
    required = set(use_case.required_checkpoints)
    types = {t.code: t for t in CheckpointType.objects.filter(collectivite__isnull=True, code__in=required)}
    for code in required - set(types):
        # The national rows come from a data migration; recreate any that went missing (e.g. a flushed table).
        if code in CATALOGUE:
            types[code], _created = CheckpointType.objects.get_or_create(
                collectivite=None,
                code=code,
                defaults={"title": code, "practice": code, "default_frequency": CATALOGUE[code].default_frequency},
            )
    existing = {c.type.code: c for c in use_case.checkpoints.select_related("type")}
    today = _today()
    for code in required:
        checkpoint = existing.get(code)
        if checkpoint is None and code in types:
            kind = types[code]
            Checkpoint.objects.create(
                use_case=use_case,
                type=kind,
                origin=Checkpoint.Origin.REQUIRED,
                owner=use_case.owner,
                frequency=kind.default_frequency,
                next_due=schedule.next_due(today, kind.default_frequency),
            )
        elif checkpoint is not None and not checkpoint.active:
            checkpoint.active = True
            checkpoint.origin = Checkpoint.Origin.REQUIRED
            checkpoint.next_due = checkpoint.next_due or schedule.next_due(today, checkpoint.frequency)
            checkpoint.save(update_fields=["active", "origin", "next_due", "updated_at"])
        elif checkpoint is not None and checkpoint.origin != Checkpoint.Origin.REQUIRED:
            # A reviewer had added it by hand; the classification now requires it.
            checkpoint.origin = Checkpoint.Origin.REQUIRED
            checkpoint.save(update_fields=["origin", "updated_at"])
    for code, checkpoint in existing.items():
        if code not in required and checkpoint.origin == Checkpoint.Origin.REQUIRED and checkpoint.active:
            checkpoint.active = False
            checkpoint.save(update_fields=["active", "updated_at"])


@transaction.atomic
def checkpoint_type_save(*, collectivite, data: dict, checkpoint_type: CheckpointType | None = None) -> CheckpointType:
    """Create or change a local checkpoint type of the collectivité (a national code is never taken); the same
    checks as the admin's form."""
    from django.core.exceptions import ValidationError

    kind = (
        CheckpointType.objects.select_for_update().get(pk=checkpoint_type.pk) if checkpoint_type else CheckpointType()
    )
    kind.collectivite = collectivite
    for name, value in data.items():
        setattr(kind, name, value)
    errors = {}
    try:
        kind.full_clean(validate_constraints=False, validate_unique=False)
    except ValidationError as error:
        errors = error.message_dict
    if kind.code in CATALOGUE:
        errors.setdefault("code", []).append(_("This code is a national checkpoint's: choose another one."))
    if CheckpointType.objects.filter(collectivite=collectivite, code=kind.code).exclude(pk=kind.pk).exists():
        errors.setdefault("code", []).append(_("A checkpoint type with this code already exists."))
    if errors:
        raise ApplicationError(_("Some fields are not valid: correct them and save again."), errors=errors)
    kind.save()
    return kind


def _check_owner(use_case: UseCase, owner: User | None) -> None:
    if owner is not None and not owner.memberships.filter(collectivite_id=use_case.collectivite_id).exists():
        raise ApplicationError(
            _("The owner must be a member of the collectivité."),
            errors={"owner": [_("Choose a person of the collectivité.")]},
        )


@transaction.atomic
def checkpoint_update(
    *,
    checkpoint: Checkpoint,
    acting_user: User,
    owner: User | None,
    frequency: str,
    expected_version: int | None = None,
) -> Checkpoint:
    locked = Checkpoint.objects.select_for_update(of=("self",)).select_related("use_case").get(pk=checkpoint.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConflictError(_("Someone else changed this checkpoint meanwhile: reload the page and try again."))
    if frequency not in Frequency.values:
        raise ApplicationError(
            _("Choose a frequency."),
            errors={"frequency": [_("Allowed values: %(allowed)s.") % {"allowed": ", ".join(Frequency.values)}]},
        )
    if locked.mandatory and owner is None:
        raise ApplicationError(
            _("A mandatory checkpoint needs an owner."), errors={"owner": [_("This field is required.")]}
        )
    _check_owner(locked.use_case, owner)
    if frequency != locked.frequency:
        locked.next_due = schedule.next_due(locked.last_attested_on or _today(), frequency)
    locked.owner = owner
    locked.frequency = frequency
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def checkpoint_add(
    *, use_case: UseCase, acting_user: User, type: CheckpointType, owner: User, frequency: str | None = None
) -> Checkpoint:
    """A reviewer adds a checkpoint (national or local type) the classification did not require."""
    if type.collectivite_id not in (None, use_case.collectivite_id):
        raise ApplicationError(_("This checkpoint type belongs to another collectivité."), errors={"type": []})
    if owner is None:
        raise ApplicationError(
            _("Choose who is responsible for the control."), errors={"owner": [_("This field is required.")]}
        )
    _check_owner(use_case, owner)
    frequency = frequency or type.default_frequency
    existing = use_case.checkpoints.filter(type=type).first()
    if existing is not None:
        if existing.active:
            raise ApplicationError(
                _("This use case already has this checkpoint."), errors={"type": [_("Already on this use case.")]}
            )
        existing.active = True
        existing.owner = owner
        existing.frequency = frequency
        existing.next_due = schedule.next_due(_today(), frequency)
        existing.version += 1
        existing.save()
        return existing
    return Checkpoint.objects.create(
        use_case=use_case,
        type=type,
        origin=Checkpoint.Origin.MANUAL,
        owner=owner,
        frequency=frequency,
        next_due=schedule.next_due(_today(), frequency),
    )


def not_running_message(use_case: UseCase) -> str:
    return _(
        "Nothing can be attested on this use case: it is “%(status)s”, and its controls run only while it is "
        "approved or in production."
    ) % {"status": use_case.get_status_display()}


@transaction.atomic
def attestation_record(
    *,
    checkpoint: Checkpoint,
    acting_user: User,
    performed_on: date | None = None,
    outcome: str = Attestation.Outcome.OK,
    comment: str = "",
    evidence=None,
    corrects: Attestation | None = None,
) -> Attestation:
    """The owner states the control happened, on a live use case only (its controls run: `schedule.controls_run`).
    Moves the next due date one period after the control."""
    locked = Checkpoint.objects.select_for_update(of=("self",)).select_related("use_case").get(pk=checkpoint.pk)
    if locked.owner_id != acting_user.pk:
        raise ForbiddenError(_("Only the owner of this checkpoint can attest it."))
    if not locked.active:
        raise ApplicationError(_("This checkpoint is no longer required: it cannot be attested."))
    if not schedule.controls_run(locked.use_case):
        raise TransitionError(not_running_message(locked.use_case))
    performed_on = performed_on or _today()
    errors = {}
    if performed_on > _today():
        errors["performed_on"] = [_("The control cannot have happened in the future.")]
    if performed_on < _today() - timedelta(days=366):
        errors["performed_on"] = [_("The control is more than a year old: record it with its real date.")]
    if outcome not in Attestation.Outcome.values:
        errors["outcome"] = [_("Allowed values: %(allowed)s.") % {"allowed": ", ".join(Attestation.Outcome.values)}]
    if outcome == Attestation.Outcome.ISSUE_FOUND and not (comment or "").strip():
        errors["comment"] = [_("Describe the issue found.")]
    if corrects is not None and corrects.checkpoint_id != locked.pk:
        errors["corrects"] = [_("This attestation belongs to another checkpoint.")]
    if errors:
        raise ApplicationError(_("Some answers are not valid."), errors=errors)
    if evidence:
        validate_evidence(evidence)
    attestation = Attestation(
        checkpoint=locked,
        attested_by=acting_user,
        performed_on=performed_on,
        outcome=outcome,
        comment=(comment or "").strip(),
        corrects=corrects,
    )
    if evidence:
        attestation.evidence_name = evidence.name[:255]
        attestation.evidence_size = evidence.size
        attestation.evidence_sha256 = _sha256_of(evidence)
        attestation.evidence = evidence
    attestation.save()
    if locked.last_attested_on is None or performed_on >= locked.last_attested_on:
        locked.last_attested_on = performed_on
        locked.next_due = schedule.next_due(performed_on, locked.frequency)
    locked.version += 1
    locked.save()
    return attestation


@transaction.atomic
def incident_record(*, use_case: UseCase, acting_user: User, data: dict) -> Incident:
    """Record an incident (AI Act art. 26(5)); a personal-data breach gets its 72-hour deadline (RGPD art. 33)."""
    errors = {}
    occurred_at = data.get("occurred_at")
    if occurred_at is None:
        errors["occurred_at"] = [_("This field is required.")]
    elif occurred_at > timezone.now():
        errors["occurred_at"] = [_("An incident cannot have happened in the future.")]
    if not (data.get("description") or "").strip():
        errors["description"] = [_("Describe what happened.")]
    if data.get("severity") not in Incident.Severity.values:
        errors["severity"] = [_("Allowed values: %(allowed)s.") % {"allowed": ", ".join(Incident.Severity.values)}]
    if errors:
        raise ApplicationError(_("Some answers are missing or not valid."), errors=errors)
    incident = Incident.objects.create(
        use_case=use_case,
        occurred_at=occurred_at,
        description=data["description"].strip(),
        severity=data["severity"],
        persons_affected=data.get("persons_affected") or 0,
        personal_data_breach=bool(data.get("personal_data_breach")),
        actions_taken=(data.get("actions_taken") or "").strip(),
        reported_by=acting_user,
    )
    # The collectivité is aware of the incident when it is recorded (the qualification may date it earlier).
    incident.aware_at = incident.created_at
    update_fields = ["aware_at"]
    if incident.personal_data_breach:
        # The clock starts when the collectivité becomes aware of the breach: now.
        incident.breach_deadline = incident.aware_at + timedelta(hours=72)
        update_fields.append("breach_deadline")
    incident.save(update_fields=update_fields)
    # The DPO and the RSSI are told after commit; recorded in this transaction, the e-mail is never lost
    # (`registry.outbox`), and a broker out of reach is no error for the person reporting.
    from .notifications import NOTIFY_INCIDENT

    enqueue(NOTIFY_INCIDENT, incident_id=incident.pk)
    return incident


def checkpoints_from_conditions(*, review, acting_user) -> list[Checkpoint]:
    """Turn the conditions of an approval into checkpoints of the use case, each waiting for an owner to be named.

    A condition is its own control (a local checkpoint type of the collectivité, titled by the condition);
    the use case's owner or the DPO then names who attests it, and how often."""
    use_case = review.use_case
    created = []
    today = _today()
    for condition in review.conditions.filter(checkpoints__isnull=True):
        kind, _created = CheckpointType.objects.get_or_create(
            collectivite_id=use_case.collectivite_id,
            code=f"condition-{condition.pk}",
            defaults={
                "title": condition.text[:200],
                "practice": condition.text,
                "legal_basis": str(_("Condition of the approval of %(reference)s") % {"reference": use_case.reference}),
                "default_frequency": Frequency.QUARTERLY,
            },
        )
        created.append(
            Checkpoint.objects.create(
                use_case=use_case,
                type=kind,
                origin=Checkpoint.Origin.CONDITION,
                condition=condition,
                owner=None,
                frequency=kind.default_frequency,
                next_due=schedule.next_due(today, kind.default_frequency),
            )
        )
    return created
