"""Writes on shadow-AI declarations: the agent's submission and the DPO / RSSI triage actions.

A declaration moves through its statuses only here; each action records who and when, and sends the
agent its message (by e-mail when the declaration is named, and on "Mes déclarations" or the follow-up
page in every case). Each write checks who may do it (`declarations.permissions`), whoever calls it (a page, the
API, a command), and refuses anyone else with a `ForbiddenError`.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm

from core import workflows
from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from declarations import triage
from declarations.models import Declaration, DeclarationEvent
from declarations.permissions import can_declare, can_triage
from registry import outbox
from registry.choices import (
    BreachOutcome,
    DeclarationAccount,
    DeclarationDevice,
    DeclarationFrequency,
    DeclarationOutput,
    DeclarationStatus,
    DeclaredData,
    HumanReview,
    ToolCategory,
    ToolStatus,
)
from registry.models import Collectivite, Service, Tool, UseCase, User

__all__ = [
    "DECLARATION_FIELDS",
    "RateLimitError",
    "declaration_ask_to_stop",
    "declaration_assess_breach",
    "declaration_close",
    "declaration_offer_alternative",
    "declaration_regularise",
    "declaration_start_analysis",
    "declaration_submit",
    "start_of_day",
]

# What the agent fills in.
DECLARATION_FIELDS = (
    "tool",
    "tool_name",
    "category",
    "tasks",
    "frequency",
    "used_since",
    "device",
    "account",
    "data_entered",
    "output_use",
    "human_review",
    "time_saved_minutes",
    "need",
    "service",
)
OPEN_STATUSES = frozenset(
    {
        DeclarationStatus.RECEIVED,
        DeclarationStatus.ANALYSING,
        DeclarationStatus.ALTERNATIVE_OFFERED,
        DeclarationStatus.TO_STOP,
    }
)
Kind = DeclarationEvent.Kind
# The task that sends a declaration event's e-mails (`declarations.tasks`), as the outbox names it.
NOTIFY_DECLARATION_EVENT = "declarations.tasks.notify_declaration_event"
# The dedicated salt of the HMAC binding a submission key to whoever sent it.
SUBMITTER_DIGEST_SALT = "registry.declarations.submitter"
# The timestamps an anonymous declaration keeps to the day only.
DATE_ONLY_FIELDS = ("created_at", "updated_at", "answered_at", "breach_assessed_at")
# Anonymous references: random, so that their order says nothing of when they were made (no look-alike characters).
ANONYMOUS_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RateLimitError(ApplicationError):
    status_code = 429


def _check_may_declare(acting_user: User, collectivite: Collectivite) -> None:
    if not can_declare(get_access(acting_user, collectivite)):
        raise ForbiddenError(_("You may not declare in this collectivité."))


def _check_may_triage(acting_user: User, declaration: Declaration) -> None:
    """Only the DPO, the RSSI and the administrators of the declaration's collectivité act on it."""
    if not can_triage(get_access(acting_user, declaration.collectivite)):
        raise ForbiddenError(_("Only the DPO, the RSSI and administrators triage declarations."))


def _check_rate(user: User) -> None:
    """At most DECLARATION_RATE_LIMIT declarations per user and hour (the counter holds no declaration id)."""
    limit = getattr(settings, "DECLARATION_RATE_LIMIT", 20)
    key = f"registre-ia:declarations-per-hour:{user.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise RateLimitError(
            _("You have sent many declarations in the last hour. Please wait a little before sending another one.")
        )


def _validate(data: dict, collectivite: Collectivite) -> dict:
    errors: dict[str, list] = {}

    def check_codes(name, choices, *, multiple=False, required=True):
        value = data.get(name)
        allowed = [code for code, _label in choices]
        values = value if multiple else [value]
        if multiple and not isinstance(value, list | tuple):
            errors[name] = [_("A list of codes is expected.")]
            return
        if required and (not values or values == [None] or values == [""]):
            errors[name] = [_("This field is required.")]
            return
        unknown = [v for v in values if v not in allowed and not (v in (None, "") and not required)]
        if unknown:
            errors[name] = [
                _("Unknown code(s): %(unknown)s. Allowed values: %(allowed)s.")
                % {"unknown": ", ".join(map(str, unknown)), "allowed": ", ".join(allowed)}
            ]

    check_codes("category", ToolCategory.choices)
    check_codes("frequency", DeclarationFrequency.choices)
    check_codes("device", DeclarationDevice.choices)
    check_codes("account", DeclarationAccount.choices)
    check_codes("human_review", HumanReview.choices)
    check_codes("data_entered", DeclaredData.choices, multiple=True)
    check_codes("output_use", DeclarationOutput.choices, multiple=True)
    if not (data.get("tasks") or "").strip():
        errors["tasks"] = [_("Say in a few words what you use the tool for.")]
    tool, tool_name = data.get("tool"), (data.get("tool_name") or "").strip()
    if tool is None and not tool_name:
        errors["tool"] = [_("Choose the tool in the list, or type its name.")]
    if tool is not None and tool.collectivite_id != collectivite.pk:
        errors["tool"] = [_("This tool belongs to another collectivité's catalogue.")]
    service = data.get("service")
    if service is not None and service.collectivite_id != collectivite.pk:
        errors["service"] = [_("This service belongs to another collectivité.")]
    used_since = data.get("used_since")
    if used_since and used_since > timezone.localdate():
        errors["used_since"] = [_("This date is in the future.")]
    if errors:
        raise ApplicationError(_("Some answers are missing or not valid: see the messages below."), errors=errors)
    return {**data, "tool_name": tool_name}


def _tool_from_free_text(collectivite: Collectivite, name: str, category: str, *, date_only: bool = False) -> Tool:
    """A tool first seen in a declaration enters the catalogue as under review (dated to the day only when the
    declaration is anonymous: its creation would tell when the declaration was made)."""
    existing = Tool.objects.filter(collectivite=collectivite, name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            tool = Tool.objects.create(
                collectivite=collectivite,
                name=name[:200],
                vendor=str(_("Unknown (declared by an agent)")),
                category=category,
                hosting_zone="unknown",
                status=ToolStatus.UNDER_REVIEW,
                max_data_classification="C0",
                description=str(_("First seen in a shadow-AI declaration.")),
            )
            if date_only:
                tool.created_at = start_of_day(tool.created_at)
                Tool.objects.filter(pk=tool.pk).update(created_at=tool.created_at)
            return tool
    except IntegrityError:  # declared at the same moment by someone else
        return Tool.objects.get(collectivite=collectivite, name=name[:200])


def _next_reference(collectivite: Collectivite, *, anonymous: bool = False) -> str:
    """Named declarations are numbered in sequence (DEC-2026-0042). An anonymous one takes a random reference
    (DEC-2026-A7KQ2M) and no number: a number between two named declarations would tell when it was made."""
    prefix = f"DEC-{timezone.localdate().year}-"
    if anonymous:
        while True:
            reference = prefix + "A" + "".join(secrets.choice(ANONYMOUS_REFERENCE_ALPHABET) for _i in range(6))
            if not Declaration.objects.filter(collectivite=collectivite, reference=reference).exists():
                return reference
    last = (
        Declaration.objects.filter(collectivite=collectivite, reference__regex=rf"^{prefix}[0-9]+$")
        .aggregate(last=Max(Cast(Substr("reference", len(prefix) + 1), output_field=IntegerField())))
        .get("last")
    )
    return f"{prefix}{(last or 0) + 1:04d}"


def start_of_day(moment: datetime | None = None) -> datetime:
    """Midnight, Europe/Paris (the default time zone), of the day of `moment` (now by default): all an anonymous
    declaration keeps of when it was made."""
    zone = timezone.get_default_timezone()
    day = timezone.localtime(moment or timezone.now(), zone).date()
    return timezone.make_aware(datetime.combine(day, time.min), zone)


def _submitter_digest(*, submission_key, acting_user: User, anonymous: bool, session_key: str | None) -> str:
    """A keyed hash binding the submission key to its sender: the account, or for an anonymous declaration the
    browser session when there is one (a session ends; an account would stay linkable by whoever holds the server's
    secret). The key is part of the message, so two declarations of one person have unrelated digests."""
    sender = f"session:{session_key}" if anonymous and session_key else f"user:{acting_user.pk}"
    return salted_hmac(SUBMITTER_DIGEST_SALT, f"{submission_key}|{sender}", algorithm="sha256").hexdigest()


def _sent_by(existing: Declaration, *, collectivite: Collectivite, acting_user: User, digest: str) -> bool:
    if existing.collectivite_id != collectivite.pk:
        return False
    if existing.submitter_digest:
        return constant_time_compare(existing.submitter_digest, digest)
    # Declarations made before the digest existed: only a named author may find theirs again.
    return existing.author_id is not None and existing.author_id == acting_user.pk


def _keep_date_only(declaration: Declaration) -> None:
    """An anonymous declaration keeps the date only, not the time of day, of every timestamp it carries: the
    security journal shows each sign-in to the second, and nothing may be matched against it."""
    if not declaration.anonymous:
        return
    day_only = {
        name: start_of_day(getattr(declaration, name)) for name in DATE_ONLY_FIELDS if getattr(declaration, name)
    }
    Declaration.objects.filter(pk=declaration.pk).update(**day_only)  # an update: `auto_now` stays out of it
    for name, value in day_only.items():
        setattr(declaration, name, value)


def _record_event(declaration: Declaration, **fields) -> DeclarationEvent:
    event = DeclarationEvent.objects.create(declaration=declaration, **fields)
    if declaration.anonymous:
        event.created_at = start_of_day(event.created_at)
        DeclarationEvent.objects.filter(pk=event.pk).update(created_at=event.created_at)
    return event


def _notify(event: DeclarationEvent) -> None:
    """Its e-mails are recorded in this transaction (the outbox) and go out after commit, or later if the broker is
    out of reach (`registry.outbox`): never lost, never an error for the person."""
    if event.kind == Kind.SUBMITTED and event.declaration.anonymous:
        # Its alert goes out in the next day's batch (notifications.anonymous_declaration_alerts_send): an e-mail sent
        # now would carry the time of day the declaration was made.
        return
    outbox.enqueue(NOTIFY_DECLARATION_EVENT, event_id=event.pk)


@transaction.atomic
def declaration_submit(
    *,
    collectivite: Collectivite,
    acting_user: User,
    data: dict,
    anonymous: bool,
    submission_key,
    session_key: str | None = None,
    rate_limited: bool = True,
) -> tuple[Declaration, bool]:
    """Record what an agent declares. Returns (declaration, created): a repeated submission_key (a double
    submit) returns the declaration already made, to whoever first sent it only (`submitter_digest`); anyone else
    gets a ConflictError that says nothing of it. Anonymous declarations keep no link to their author, and the
    date only of when they were made. `session_key`: the browser session, which an anonymous declaration is bound
    to rather than the account. `rate_limited=False` is for loaders of known data (seed_demo), never for what a
    person sends."""
    _check_may_declare(acting_user, collectivite)
    digest = _submitter_digest(
        submission_key=submission_key, acting_user=acting_user, anonymous=anonymous, session_key=session_key
    )
    existing = Declaration.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return _already_sent(existing, collectivite=collectivite, acting_user=acting_user, digest=digest), False
    data = _validate({name: data.get(name) for name in DECLARATION_FIELDS}, collectivite)
    if rate_limited:
        _check_rate(acting_user)
    if data["tool"] is None:
        data["tool"] = _tool_from_free_text(collectivite, data["tool_name"], data["category"], date_only=anonymous)
    if data["service"] is None and not anonymous:
        data["service"] = _service_for(acting_user, collectivite)
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    declaration = Declaration(
        collectivite=collectivite,
        author=None if anonymous else acting_user,
        submission_key=submission_key,
        submitter_digest=digest,
        reference=_next_reference(collectivite, anonymous=anonymous),
        **{name: value for name, value in data.items() if value is not None or name in ("service", "tool")},
    )
    declaration.data_entered = list(data.get("data_entered") or [])
    declaration.output_use = list(data.get("output_use") or [])
    declaration.apply_assessment()
    if declaration.possible_breach:
        # Anonymous: counted from the start of the day (a date, never later than the true deadline).
        start = start_of_day() if anonymous else timezone.now()
        declaration.breach_deadline = start + timedelta(hours=triage.BREACH_ASSESSMENT_HOURS)
    try:
        declaration.full_clean(exclude=["submission_key", "follow_up_code", "reference"])
    except ValidationError as error:
        raise ApplicationError(_("Some answers are not valid."), errors=error.message_dict) from error
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:  # the same form sent twice at the same instant
        existing = Declaration.objects.get(submission_key=submission_key)
        return _already_sent(existing, collectivite=collectivite, acting_user=acting_user, digest=digest), False
    _keep_date_only(declaration)
    if not anonymous:
        assign_perm("declarations.view_declaration", acting_user, declaration)
    event = _record_event(
        declaration,
        actor=None if anonymous else acting_user,
        kind=Kind.SUBMITTED,
        to_status=DeclarationStatus.RECEIVED,
    )
    _notify(event)
    return declaration, True


def _already_sent(existing: Declaration, *, collectivite: Collectivite, acting_user: User, digest: str) -> Declaration:
    """A double submit finds the declaration already made; a key sent by anyone else reveals nothing of it."""
    if not _sent_by(existing, collectivite=collectivite, acting_user=acting_user, digest=digest):
        raise ConflictError(
            _("This form was already sent. Open a new declaration form and send it again."),
            errors={"submission_key": [_("This key was already used: send a new one.")]},
        )
    return existing


def _transition(
    declaration: Declaration,
    acting_user: User,
    *,
    allowed_from: frozenset,
    target: str,
    kind: str,
    message: str = "",
    require_message: bool = True,
    **changes,
) -> Declaration:
    _check_may_triage(acting_user, declaration)
    locked = Declaration.objects.select_for_update(of=("self",)).get(pk=declaration.pk)
    # The status is checked here, before the message (not by `workflows.move`): a wrong status is refused first.
    if locked.status not in allowed_from:
        raise workflows.refuse(locked, _("This action is not possible: the declaration is “%(status)s”."))
    message = (message or "").strip()
    if require_message and not message:
        raise ApplicationError(
            _("Write a message to the agent: it is what they will read."),
            errors={"message": [_("This field is required.")]},
        )
    if message:
        changes.update(answer=message, answered_at=timezone.now())
    previous = workflows.move(locked, target, **changes)[0]
    _keep_date_only(locked)
    event = _record_event(locked, actor=acting_user, kind=kind, from_status=previous, to_status=target, message=message)
    if message:
        _notify(event)
    return locked


@transaction.atomic
def declaration_start_analysis(*, declaration: Declaration, acting_user: User) -> Declaration:
    return _transition(
        declaration,
        acting_user,
        allowed_from=frozenset({DeclarationStatus.RECEIVED}),
        target=DeclarationStatus.ANALYSING,
        kind=Kind.ANALYSING,
        require_message=False,
    )


@transaction.atomic
def declaration_regularise(
    *, declarations: list[Declaration], acting_user: User, use_case: UseCase, message: str
) -> list[Declaration]:
    """Attach one or several declarations to a use case of the register (new or existing)."""
    if not declarations:
        raise ApplicationError(_("Choose at least one declaration."))
    for declaration in declarations:
        _check_may_triage(acting_user, declaration)
    done = []
    for declaration in declarations:
        if declaration.collectivite_id != use_case.collectivite_id:
            raise ApplicationError(_("This use case belongs to another collectivité."), errors={"use_case": []})
        done.append(
            _transition(
                declaration,
                acting_user,
                allowed_from=OPEN_STATUSES,
                target=DeclarationStatus.REGULARISED,
                kind=Kind.REGULARISED,
                message=message,
                use_case=use_case,
            )
        )
    return done


@transaction.atomic
def declaration_offer_alternative(
    *, declaration: Declaration, acting_user: User, alternative_tool: Tool, message: str
) -> Declaration:
    _check_may_triage(acting_user, declaration)
    if alternative_tool.collectivite_id != declaration.collectivite_id:
        raise ApplicationError(
            _("This tool belongs to another collectivité's catalogue."), errors={"alternative_tool": []}
        )
    if alternative_tool.status not in (ToolStatus.APPROVED, ToolStatus.RESTRICTED):
        raise ApplicationError(
            _("Offer a tool the collectivité has approved."),
            errors={"alternative_tool": [_("This tool is not approved.")]},
        )
    return _transition(
        declaration,
        acting_user,
        allowed_from=OPEN_STATUSES,
        target=DeclarationStatus.ALTERNATIVE_OFFERED,
        kind=Kind.ALTERNATIVE_OFFERED,
        message=message,
        alternative_tool=alternative_tool,
    )


@transaction.atomic
def declaration_ask_to_stop(*, declaration: Declaration, acting_user: User, message: str) -> Declaration:
    return _transition(
        declaration,
        acting_user,
        allowed_from=OPEN_STATUSES,
        target=DeclarationStatus.TO_STOP,
        kind=Kind.TO_STOP,
        message=message,
    )


@transaction.atomic
def declaration_close(*, declaration: Declaration, acting_user: User, message: str) -> Declaration:
    return _transition(
        declaration,
        acting_user,
        allowed_from=frozenset(set(DeclarationStatus.values) - {DeclarationStatus.CLOSED}),
        target=DeclarationStatus.CLOSED,
        kind=Kind.CLOSED,
        message=message,
    )


@transaction.atomic
def declaration_assess_breach(*, declaration: Declaration, acting_user: User, outcome: str, notes: str) -> Declaration:
    """The DPO records the outcome of the breach assessment (RGPD art. 33: within 72 hours)."""
    _check_may_triage(acting_user, declaration)
    if outcome not in BreachOutcome.values:
        raise ApplicationError(
            _("Choose the outcome of the assessment."),
            errors={"outcome": [_("Allowed values: %(allowed)s.") % {"allowed": ", ".join(BreachOutcome.values)}]},
        )
    locked = Declaration.objects.select_for_update(of=("self",)).get(pk=declaration.pk)
    if not locked.possible_breach:
        raise TransitionError(_("This declaration was not flagged as a possible breach."))
    locked.breach_outcome = outcome
    locked.breach_notes = (notes or "").strip()
    locked.breach_assessed_at = timezone.now()
    locked.breach_assessed_by = acting_user
    locked.version += 1
    locked.save()
    _keep_date_only(locked)
    _record_event(
        locked,
        actor=acting_user,
        kind=Kind.BREACH_ASSESSED,
        from_status=locked.status,
        to_status=locked.status,
        message=f"{BreachOutcome(outcome).label} — {locked.breach_notes}".strip(" —"),
    )
    return locked


def _service_for(user: User, collectivite: Collectivite) -> Service | None:
    """The service an agent belongs to, used when a named declaration does not say."""
    membership = user.memberships.filter(collectivite=collectivite, service__isnull=False).select_related("service")
    first = membership.first()
    return first.service if first else None
