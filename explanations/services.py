"""Every write on explanation requests: created by the public form or API, drafted, sent or rejected under a
signature, and purged of the person's data once the retention period has run. Each one checks its permission, locks
what it changes, writes its event and records what matters in the security trail."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Access
from core.calendar import months_later
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from core.roles import Role
from registry.models import Collectivite, UseCase, User
from security.services import record_event

from . import drafting, letters, notifications, permissions
from .models import (
    CLOSED_STATUSES,
    Element,
    ExplanationEvent,
    ExplanationRequest,
    RejectionReason,
    RequestStatus,
    Secret,
)

# The security trail's kinds for this app (security.models.SecurityEvent.Kind holds the platform's own; these are
# written as codes, shown as such until the security app declares their labels).
EVENT_RECEIVED = "explanation_received"
EVENT_VIEWED = "explanation_viewed"
EVENT_SENT = "explanation_sent"
EVENT_REJECTED = "explanation_rejected"
EVENT_PURGED = "explanation_purged"

CONFLICT = _(
    "Someone else changed this request while you were editing it. Your changes were not saved: reload the page to "
    "see the new version, then apply your changes again."
)
REQUESTER_FIELDS = ("requester_name", "requester_email", "requester_address", "requester_phone")
DECISION_FIELDS = ("decision_date", "decision_reference", "decision_service", "elements", "message")
DRAFT_FIELDS = (
    "answer_contribution",
    "answer_data",
    "answer_parameters",
    "answer_operations",
    "answer_ai_role",
    "answer_main_elements",
    "withheld",
    "withheld_explanation",
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _next_reference(collectivite: Collectivite, year: int) -> str:
    prefix = f"EXP-{year}-"
    last = (
        ExplanationRequest.objects.filter(collectivite=collectivite, reference__startswith=prefix)
        .aggregate(last=Max("reference"))
        .get("last")
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _record(request: ExplanationRequest, kind: str, *, actor=None, previous: str = "") -> ExplanationEvent:
    return ExplanationEvent.objects.create(
        request=request, kind=kind, actor=actor, from_status=previous, to_status=request.status
    )


@dataclass
class Created:
    request: ExplanationRequest
    token: str


def request_create(
    *, collectivite: Collectivite, data: dict, use_case: UseCase | None = None, received_at=None
) -> Created:
    """Record a request from the public (no account): its deadline is one month after its receipt on the French
    calendar; the person gets an acknowledgment with the follow-up link, the DPO and the service an alert."""
    if use_case is not None and use_case.collectivite_id != collectivite.pk:
        raise ApplicationError(_("This use case belongs to another collectivité."), errors={"use_case": ["?"]})
    elements = [code for code in data.get("elements") or [] if code in Element.values]
    received_at = received_at or timezone.now()
    received_on = timezone.localdate(received_at)
    token = secrets.token_urlsafe(32)
    fields = {name: data.get(name) or "" for name in REQUESTER_FIELDS}
    fields.update({name: data.get(name) or "" for name in ("decision_reference", "decision_service", "message")})
    for attempt in range(5):
        try:
            with transaction.atomic():
                # Serialise the numbering of the collectivité's requests.
                Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
                request = ExplanationRequest(
                    collectivite=collectivite,
                    reference=_next_reference(collectivite, received_on.year),
                    use_case=use_case,
                    service_id=use_case.service_id if use_case else None,
                    token_hash=token_hash(token),
                    decision_date=data.get("decision_date") or None,
                    elements=elements,
                    received_at=received_at,
                    received_on=received_on,
                    deadline=months_later(received_on, 1),
                    **fields,
                    **drafting.prefill(use_case),
                )
                request.save(force_insert=True)
                _record(request, ExplanationEvent.Kind.RECEIVED)
                record_event(
                    kind=EVENT_RECEIVED,
                    actor=None,
                    collectivite=collectivite,
                    obj=request,
                    details={"use_case": use_case.reference if use_case else None},
                )
                notifications.enqueue_received(request, token)
                return Created(request, token)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def request_viewed(*, request: ExplanationRequest, acting_user: User, access: Access) -> None:
    """Who read a person's request (their identity and contact): the security trail keeps it."""
    if not permissions.can_view_request(access, request):
        raise ForbiddenError(_("You may not see this request."))
    record_event(kind=EVENT_VIEWED, actor=acting_user, collectivite=request.collectivite_id, obj=request)


def _locked(request: ExplanationRequest, expected_version) -> ExplanationRequest:
    locked = (
        ExplanationRequest.objects.select_for_update(of=("self",))
        .select_related("collectivite", "use_case", "service")
        .get(pk=request.pk)
    )
    if expected_version is not None and str(locked.version) != str(expected_version):
        raise ConflictError(CONFLICT)
    return locked


def _check_draft(data: dict) -> None:
    errors = {}
    unknown = [code for code in data.get("withheld") or [] if code not in Secret.values]
    if unknown:
        errors["withheld"] = [_("Choose secrets from the list.")]
    if data.get("withheld") and not (data.get("withheld_explanation") or "").strip():
        errors["withheld_explanation"] = [_("Say which parts are withheld, and why.")]
    if errors:
        raise ApplicationError(_("Some fields are not valid."), errors=errors)


def draft_save(
    *,
    request: ExplanationRequest,
    acting_user: User,
    access: Access,
    data: dict,
    expected_version=None,
) -> ExplanationRequest:
    """Save the draft answer (and, for the DPO, the use case of a request that named none): versioned, so that two
    editors never overwrite each other. The first save moves the request to « in progress »."""
    with transaction.atomic():
        locked = _locked(request, expected_version)
        if not permissions.can_draft(access, locked):
            if locked.status in CLOSED_STATUSES:
                raise TransitionError(_("This request is closed: its letter was sent."))
            raise ForbiddenError(_("You may not answer this request."))
        merged = {name: data.get(name, getattr(locked, name)) for name in DRAFT_FIELDS}
        _check_draft(merged)
        if "use_case" in data and data["use_case"] != locked.use_case:
            use_case = data["use_case"]
            if not permissions.can_assign_use_case(access):
                raise ForbiddenError(_("Only the DPO says which use case a request is about."))
            if use_case is not None and use_case.collectivite_id != locked.collectivite_id:
                raise ApplicationError(
                    _("This use case belongs to another collectivité."),
                    errors={"use_case": [_("Choose a use case of your collectivité.")]},
                )
            locked.use_case = use_case
            locked.service_id = use_case.service_id if use_case else None
            # The parts the register writes are filled for a use case newly named, where still empty.
            for name, text in drafting.prefill(use_case).items():
                if not (merged.get(name) or "").strip() and name not in data:
                    merged[name] = text
        for name, value in merged.items():
            setattr(locked, name, value if value is not None else "")
        previous = locked.status
        locked.status = RequestStatus.IN_PROGRESS
        locked.version += 1
        locked.save()
        _record(locked, ExplanationEvent.Kind.DRAFT_SAVED, actor=acting_user, previous=previous)
    return locked


def default_signatory_title(access: Access, request: ExplanationRequest) -> str:
    if access.has(Role.DPO):
        return _("Data protection officer")
    if request.service_id:
        return _("Head of service, %(service)s") % {"service": request.service.name}
    return ""


def _signature(acting_user: User, access: Access, request, signatory_title: str) -> dict:
    name = acting_user.get_full_name().strip() or acting_user.get_username()
    title = (signatory_title or "").strip() or default_signatory_title(access, request)
    if not title:
        raise ApplicationError(
            _("Give the signatory's title."), errors={"signatory_title": [_("This field is required.")]}
        )
    return {"signatory_name": name, "signatory_title": title[:200]}


def _check_answer(request: ExplanationRequest) -> None:
    errors = {}
    required = ["answer_contribution", "answer_data", "answer_parameters", "answer_operations"]
    if drafting.art86_applies(request.use_case):
        required += ["answer_ai_role", "answer_main_elements"]
    for name in required:
        if not (getattr(request, name) or "").strip():
            errors[name] = [_("This part of the answer is empty: complete it before sending.")]
    if request.use_case_id is None:
        errors["use_case"] = [_("Say which use case the decision came from before answering.")]
    if errors:
        raise ApplicationError(_("The answer is not complete."), errors=errors)


def _close(locked: ExplanationRequest, *, acting_user, access, signatory_title, status, kind) -> ExplanationRequest:
    signature = _signature(acting_user, access, locked, signatory_title)
    now = timezone.now()
    today = timezone.localdate(now)
    rendered = letters.render_letter(locked, letter_date=today, **signature)
    previous = locked.status
    locked.status = status
    locked.signed_by = acting_user
    locked.signatory_name = signature["signatory_name"]
    locked.signatory_title = signature["signatory_title"]
    locked.closed_at = now
    locked.closed_on = today
    locked.letter_sha256 = hashlib.sha256(rendered.content).hexdigest()
    locked.letter.save(locked.letter_filename, ContentFile(rendered.content), save=False)
    locked.version += 1
    locked.save()
    _record(locked, kind, actor=acting_user, previous=previous)
    notifications.enqueue_letter(locked)
    return locked


def request_send(
    *, request: ExplanationRequest, acting_user: User, access: Access, signatory_title: str = "", expected_version=None
) -> ExplanationRequest:
    """Sign and send the answer: the letter's PDF is made once, stored with its fingerprint (never made again), and
    e-mailed to the person after commit."""
    with transaction.atomic():
        locked = _locked(request, expected_version)
        if not locked.is_open:
            raise TransitionError(_("This request is closed: its letter was sent."))
        if not permissions.can_sign(access, locked):
            raise ForbiddenError(_("Only the DPO or the head of the service concerned signs the answer."))
        _check_answer(locked)
        _close(
            locked,
            acting_user=acting_user,
            access=access,
            signatory_title=signatory_title,
            status=RequestStatus.SENT,
            kind=ExplanationEvent.Kind.SENT,
        )
        record_event(
            kind=EVENT_SENT,
            actor=acting_user,
            collectivite=locked.collectivite_id,
            obj=locked,
            details={"in_time": locked.answered_in_time, "letter_sha256": locked.letter_sha256},
        )
    return locked


def request_reject(
    *,
    request: ExplanationRequest,
    acting_user: User,
    access: Access,
    reason: str,
    explanation: str = "",
    signatory_title: str = "",
    expected_version=None,
) -> ExplanationRequest:
    """Reject an inadmissible request (no decision founded on an algorithm, identity not established…): the person
    gets a signed letter saying why, with the same remedies."""
    with transaction.atomic():
        locked = _locked(request, expected_version)
        if not locked.is_open:
            raise TransitionError(_("This request is closed: its letter was sent."))
        if not permissions.can_sign(access, locked):
            raise ForbiddenError(_("Only the DPO or the head of the service concerned signs the answer."))
        errors = {}
        if reason not in RejectionReason.values:
            errors["reason"] = [_("Choose the reason of the rejection.")]
        explanation = (explanation or "").strip()
        if not explanation:
            errors["explanation"] = [_("Explain the rejection to the person.")]
        if errors:
            raise ApplicationError(_("Some fields are not valid."), errors=errors)
        locked.rejection_reason = reason
        locked.rejection_explanation = explanation[:5000]
        _close(
            locked,
            acting_user=acting_user,
            access=access,
            signatory_title=signatory_title,
            status=RequestStatus.REJECTED,
            kind=ExplanationEvent.Kind.REJECTED,
        )
        record_event(
            kind=EVENT_REJECTED,
            actor=acting_user,
            collectivite=locked.collectivite_id,
            obj=locked,
            details={"reason": reason, "letter_sha256": locked.letter_sha256},
        )
    return locked


# Retention ------------------------------------------------------------------------------------------------------
ANONYMISED_FIELDS = {
    **dict.fromkeys(REQUESTER_FIELDS, ""),
    "decision_reference": "",
    "decision_service": "",
    "message": "",
    "answer_parameters": "",
    "answer_main_elements": "",
    "withheld_explanation": "",
    "rejection_explanation": "",
}


def requests_purge(*, now=None, acting_user: User | None = None) -> int:
    """Clear the person's data of the requests closed more than EXPLANATION_RETENTION_MONTHS ago: name, contact,
    free texts about their case, and the letter's file (its fingerprint stays, proof of what was sent). The dates,
    the use case, the status and the elements asked for stay: the statistics still count them."""
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.EXPLANATION_RETENTION_MONTHS)
    due = ExplanationRequest.objects.filter(
        status__in=CLOSED_STATUSES, closed_at__lte=limit, anonymised_at__isnull=True
    ).values_list("pk", flat=True)
    purged = 0
    for pk in list(due):
        with transaction.atomic():
            locked = ExplanationRequest.objects.select_for_update().filter(pk=pk, anonymised_at__isnull=True).first()
            if locked is None:
                continue
            for name, value in ANONYMISED_FIELDS.items():
                setattr(locked, name, value)
            letter = locked.letter.name
            locked.letter = ""
            locked.anonymised_at = now
            locked.save()
            _record(locked, ExplanationEvent.Kind.ANONYMISED, actor=acting_user, previous=locked.status)
            if letter:
                storage = locked.letter.storage
                transaction.on_commit(lambda name=letter, storage=storage: storage.delete(name))
            record_event(kind=EVENT_PURGED, actor=acting_user, collectivite=locked.collectivite_id, obj=locked)
            purged += 1
    return purged
