"""Writes on use cases and the tool catalogue."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError, TransitionError
from core.validators import validate_logo
from security.services import record_event

from .. import outbox, permissions, qualification, rules
from ..choices import LIVE_STATUSES, UseCaseStatus
from ..models import Collectivite, Tool, UseCase, UseCaseEvent, User
from ..models.use_cases import (
    CLASSIFICATION_INPUT_FIELDS,
    CLASSIFICATION_OUTPUT_FIELDS,
    FACT_FIELDS,
    QUALIFICATION_OUTPUT_FIELDS,
)
from ..signals import classification_saved, production_blockers, use_cases_changed
from . import reviews

OWNER_PERMISSIONS = ("registry.view_usecase", "registry.change_usecase")
# What describes the use (the rest of what may be edited is the classification's input).
DESCRIPTIVE_FIELDS = (
    "name",
    "summary",
    "description",
    "purpose",
    "service",
    "owner",
    "tool",
    "start_date",
    "end_date",
    "lawful_basis",
    "processing_record_ref",
    "data_sources",
    "decisions_per_year",
    "human_oversight",
)
EDITABLE_FIELDS = (*DESCRIPTIVE_FIELDS, *CLASSIFICATION_INPUT_FIELDS, *FACT_FIELDS)


# A service or an owner outside what the person may assign (`permissions.assignable_services` / `_owners`).
SERVICE_OUT_OF_SCOPE = _("You cannot create or move a use case in this service: choose one of yours.")
OWNER_OUT_OF_SCOPE = _(
    "You cannot hand the use case to this person: choose someone who works in one of your services or heads it."
)


def _check_assignable(*, collectivite: Collectivite, acting_user: User, data: dict, use_case: UseCase | None) -> None:
    """Refuse (403, on the field) a service or an owner the acting person may not give the use case, whoever calls:
    the web form and the API offer the same choices. `use_case`: the saved use case being changed (its current
    service and owner stay allowed), None on creation."""
    access = get_access(acting_user, collectivite)
    errors = {}
    service, owner = data.get("service"), data.get("owner")
    moved = service is not None and (use_case is None or service.pk != use_case.service_id)
    if moved and not permissions.assignable_services(access, use_case=use_case).filter(pk=service.pk).exists():
        errors["service"] = [SERVICE_OUT_OF_SCOPE]
    handed = owner is not None and (use_case is None or owner.pk != use_case.owner_id)
    if handed and not permissions.assignable_owners(access, use_case=use_case).filter(pk=owner.pk).exists():
        errors["owner"] = [OWNER_OUT_OF_SCOPE]
    if errors:
        if "service" in errors:
            message = (
                _("You may not declare a use case for this service.")
                if use_case is None
                else _("You may not move a use case to this service.")
            )
        else:
            message = _("You may not hand this use case to this person.")
        raise ForbiddenError(message, errors=errors)


def _validated(use_case: UseCase) -> None:
    # The legal inputs follow the facts (and the DPO's overrides) before they are checked (DOMAIN.md 3b).
    use_case.apply_qualification()
    try:
        use_case.full_clean(exclude=["collectivite", "reference", "status"])
    except ValidationError as error:
        raise ApplicationError(
            _("Some fields are not valid: correct them and save again."),
            errors=error.message_dict,
        ) from error


def _next_reference(collectivite: Collectivite) -> str:
    year = timezone.localdate().year
    prefix = f"IA-{year}-"
    # Numeric maximum, so that IA-2026-10000 follows IA-2026-9999.
    last = UseCase.objects.filter(collectivite=collectivite, reference__startswith=prefix).aggregate(
        last=Max(Cast(Substr("reference", len(prefix) + 1), output_field=IntegerField()))
    )["last"]
    return f"{prefix}{(last or 0) + 1:04d}"


def use_case_classify(*, use_case: UseCase, policy: rules.Policy | None = None) -> rules.Classification:
    """Qualify the use case (its legal inputs from its facts and the DPO's overrides, DOMAIN.md 3b), then classify it
    with the current rules and the collectivité's policy (`policy`: when the caller has it already): its verdicts,
    obligations, checkpoints, reasons and rule set are set on the instance, which the caller saves in its transaction
    (then `_classification_saved`).

    Called by every service that changes what the engine reads: creation, edits, the DPO's qualification, the import,
    and the reclassifications (rule set, policy, tool, dates of application). Saving a use case does not classify it:
    a change of status leaves its classification as it was."""
    return use_case.apply_classification(policy)


def _classification_saved(use_case: UseCase) -> None:
    """Tell the other apps a use case was saved with its classification (audits: its human-control checkpoints
    follow what the classification requires), in the writing transaction."""
    classification_saved.send(sender=UseCase, use_case=use_case)


def _grant_owner(use_case: UseCase, owner: User, previous_owner: User | None = None) -> None:
    if previous_owner is not None and previous_owner.pk != owner.pk:
        for perm in OWNER_PERMISSIONS:
            remove_perm(perm, previous_owner, use_case)
    for perm in OWNER_PERMISSIONS:
        assign_perm(perm, owner, use_case)


def _apply(use_case: UseCase, data: dict) -> list[str]:
    changed = []
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            continue
        if name in ("service", "owner", "tool"):
            current = getattr(use_case, f"{name}_id")
            new = value.pk if value is not None else None
        else:
            current, new = getattr(use_case, name), value
        if current != new:
            setattr(use_case, name, value)
            changed.append(name)
    return changed


def _prefill_hosting_from_tool(data: dict) -> None:
    """Hosting answers not given explicitly are taken from the tool's catalogue entry."""
    tool = data.get("tool")
    if tool is not None:
        for name in ("hosting_zone", "hosting_qualification", "provider_reuse_disabled"):
            data.setdefault(name, getattr(tool, name))


@transaction.atomic
def use_case_create(
    *,
    collectivite: Collectivite,
    acting_user: User,
    data: dict,
    status: str = UseCaseStatus.DRAFT,
    comment: str = "",
    reference: str | None = None,
) -> UseCase:
    """Create a use case as a draft (or, for an inventory of existing uses, in the status it already has).

    `reference`: the number an imported inventory already gives the use (the caller checked it is free);
    otherwise the register numbers it."""
    if not permissions.can_create_use_case(get_access(acting_user, collectivite)):
        raise ForbiddenError(_("You may not declare a use case in this collectivité."))
    data = dict(data)
    data.setdefault("owner", acting_user)
    _check_assignable(collectivite=collectivite, acting_user=acting_user, data=data, use_case=None)
    _prefill_hosting_from_tool(data)
    if any(data.get(name) not in (None, "", []) for name in FACT_FIELDS):
        # Created through the questionnaire: a question left out is answered « Je ne sais pas » (DOMAIN.md 3b), so
        # the most demanding plausible qualification applies and the question goes to the DPO.
        data.update(qualification.left_out_as_unknown({name: data.get(name) for name in FACT_FIELDS}))
    use_case = UseCase(collectivite=collectivite, status=status)
    _apply(use_case, data)
    _validated(use_case)
    use_case_classify(use_case=use_case)
    # Lock the collectivité row so two creations cannot take the same reference.
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    use_case.reference = reference or _next_reference(collectivite)
    if status == UseCaseStatus.SUBMITTED:
        use_case.submitted_at = timezone.now()
    use_case._history_user = acting_user
    try:
        use_case.save()
    except IntegrityError as error:  # pragma: no cover - the lock above makes this a defensive guard
        raise ConflictError(_("Another use case was created at the same time: please save again.")) from error
    _grant_owner(use_case, use_case.owner)
    _classification_saved(use_case)
    kind = UseCaseEvent.Kind.CREATED if status == UseCaseStatus.DRAFT else UseCaseEvent.Kind.RECORDED
    review = (
        reviews.on_submit(use_case=use_case, acting_user=acting_user) if status == UseCaseStatus.SUBMITTED else None
    )
    event = UseCaseEvent.objects.create(
        use_case=use_case, review=review, actor=acting_user, kind=kind, to_status=status, comment=comment
    )
    if review is not None:
        reviews._notify(event)
    return use_case


@transaction.atomic
def use_case_update(*, use_case: UseCase, acting_user: User, data: dict, expected_version: int | None) -> UseCase:
    """Apply changes, refusing them if the use case was saved by someone else since `expected_version`."""
    locked = (
        UseCase.objects.select_for_update(of=("self",))
        .select_related("collectivite", "owner", "service")
        .get(pk=use_case.pk)
    )
    if not permissions.can_change_use_case(acting_user, get_access(acting_user, locked.collectivite), locked):
        raise ForbiddenError(_("You may not change this use case."))
    if expected_version is None:
        raise ApplicationError(
            _("The version of the use case you edited is missing: reload the page and try again."),
            errors={"version": [_("This field is required.")]},
        )
    if locked.version != int(expected_version):
        raise ConflictError(errors={"version": [_("Current version: %(version)s.") % {"version": locked.version}]})
    previous_owner = locked.owner
    _check_assignable(collectivite=locked.collectivite, acting_user=acting_user, data=data, use_case=locked)
    data = dict(data)
    if data.get("tool") is not None and data["tool"].pk != locked.tool_id:
        _prefill_hosting_from_tool(data)
    before = {name: getattr(locked, name) for name in CLASSIFICATION_INPUT_FIELDS}
    changed = _apply(locked, data)
    if not changed:
        return locked
    _validated(locked)
    # A legal input the facts (or the DPO) decide is not the person's to change: it is no change if the value
    # given was replaced by what the facts derive.
    changed = [
        name for name in changed if name not in CLASSIFICATION_INPUT_FIELDS or getattr(locked, name) != before[name]
    ]
    if not changed:
        return UseCase.objects.select_related("collectivite", "owner").get(pk=locked.pk)
    use_case_classify(use_case=locked)
    locked.version += 1
    locked._history_user = acting_user
    locked.save()
    if "owner" in changed:
        _grant_owner(locked, locked.owner, previous_owner)
    _classification_saved(locked)
    labels = ", ".join(str(UseCase._meta.get_field(name).verbose_name) for name in changed)
    UseCaseEvent.objects.create(
        use_case=locked,
        actor=acting_user,
        kind=UseCaseEvent.Kind.UPDATED,
        from_status=locked.status,
        to_status=locked.status,
        comment=labels,
    )
    reviews.on_change(use_case=locked, acting_user=acting_user, changed=changed)
    use_cases_changed.send(sender=UseCase, use_case_ids=[locked.pk])
    return locked


def _transition(
    use_case: UseCase,
    acting_user: User,
    *,
    allowed_from: frozenset[str],
    target: str,
    kind: str,
    comment: str = "",
    expected_version: int | None = None,
    refusal=None,
    allowed=None,
    forbidden=None,
    guard=None,
    on_moved=None,
) -> UseCase:
    """Lock the use case, check the person may act on it and its status allows the move, change it and record the
    event. The status changes alone: the classification stays as it was.

    `allowed(user, access, use_case)`: whether the acting person may take this action, whatever the status (else
    ForbiddenError with `forbidden`); `guard(use_case)` may refuse the move before the version and the status are
    checked; `on_moved(use_case)` runs after the move and may return the review the event belongs to; the event is
    then notified by e-mail after commit."""
    locked = (
        UseCase.objects.select_for_update(of=("self",)).select_related("collectivite", "service").get(pk=use_case.pk)
    )
    if allowed is not None and not allowed(acting_user, get_access(acting_user, locked.collectivite), locked):
        raise ForbiddenError(forbidden or _("You may not take this action on this use case."))
    if guard is not None:
        guard(locked)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConflictError()
    source = reviews._set_status(
        locked,
        target,
        acting_user,
        allowed_from=allowed_from,
        refusal=refusal or _("This action is not possible: the use case is “%(status)s”."),
    )
    review = on_moved(locked) if on_moved is not None else None
    event = UseCaseEvent.objects.create(
        use_case=locked,
        review=review,
        actor=acting_user,
        kind=kind,
        from_status=source,
        to_status=target,
        comment=comment,
    )
    if review is not None:
        reviews._notify(event)
    return locked


@transaction.atomic
def use_case_submit(
    *, use_case: UseCase, acting_user: User, comment: str = "", expected_version: int | None = None
) -> UseCase:
    """Send a draft to the DPO and RSSI for review: whoever answers for the use case (`may_manage_use_case`). A blocked
    use case cannot be submitted."""

    def not_blocked(locked: UseCase) -> None:
        if locked.blocked:
            raise TransitionError(
                _(
                    "This use case is blocked by the classification rules: "
                    "remove the blocking reasons before submitting it."
                ),
            )

    return _transition(
        use_case,
        acting_user,
        allowed_from=frozenset({UseCaseStatus.DRAFT}),
        target=UseCaseStatus.SUBMITTED,
        kind=UseCaseEvent.Kind.SUBMITTED,
        comment=comment,
        expected_version=expected_version,
        allowed=permissions.may_manage_use_case,
        guard=not_blocked,
        on_moved=lambda locked: reviews.on_submit(use_case=locked, acting_user=acting_user),
    )


@transaction.atomic
def use_case_withdraw(
    *, use_case: UseCase, acting_user: User, comment: str = "", expected_version: int | None = None
) -> UseCase:
    """Take a submitted use case back to draft, to complete it: whoever answers for the use case."""
    return _transition(
        use_case,
        acting_user,
        allowed_from=frozenset({UseCaseStatus.SUBMITTED}),
        target=UseCaseStatus.DRAFT,
        kind=UseCaseEvent.Kind.WITHDRAWN,
        comment=comment,
        expected_version=expected_version,
        allowed=permissions.may_manage_use_case,
        on_moved=lambda locked: reviews.on_withdraw(use_case=locked),
    )


# Why a use case was reclassified (the `cause` of its RECLASSIFIED event).
RECLASSIFY_CAUSES = {
    "ruleset": _("The classification rules changed (rule set %(ruleset)s)."),
    "policy": _("The collectivité's policy changed."),
    "tool": _("The tool's catalogue entry changed."),
    "dates": _("The AI Act's dates of application changed."),
}


def use_case_reclassify(
    *, use_case: UseCase, cause: str, acting_user: User | None = None, policy: rules.Policy | None = None
) -> bool:
    """Re-run the engine on a use case the caller has locked. Idempotent.

    A change of verdict (risk, obligations, checkpoints, block) is saved as a new version with a RECLASSIFIED event
    saying what changed, old -> new, and why; the checkpoints follow. A change of wording only (reasons, dates of
    application, rule-set version) is stored without an event. Returns whether a verdict changed."""
    before = use_case.verdicts()
    watched = (*CLASSIFICATION_OUTPUT_FIELDS, *QUALIFICATION_OUTPUT_FIELDS, *CLASSIFICATION_INPUT_FIELDS)
    stored = {name: getattr(use_case, name) for name in watched}
    previous_ruleset = use_case.classification_ruleset
    use_case_classify(use_case=use_case, policy=policy)
    changes = rules.verdict_changes(before, use_case.verdicts())
    now = {name: getattr(use_case, name) for name in watched}
    if not changes:
        if stored != now:
            # Wording, rule-set version, what is left to do, or an input the facts now derive without changing a
            # verdict: stored as it is, without a new version or an event.
            UseCase.objects.filter(pk=use_case.pk).update(
                **{name: value for name, value in now.items() if stored[name] != value}
            )
        return False
    use_case.version += 1
    use_case._history_user = acting_user
    use_case.save()
    _classification_saved(use_case)
    UseCaseEvent.objects.create(
        use_case=use_case,
        actor=acting_user,
        kind=UseCaseEvent.Kind.RECLASSIFIED,
        from_status=use_case.status,
        to_status=use_case.status,
        comment=str(RECLASSIFY_CAUSES[cause] % {"ruleset": use_case.classification_ruleset}),
        details={
            "cause": cause,
            "ruleset": use_case.classification_ruleset,
            "previous_ruleset": previous_ruleset,
            "changes": changes,
        },
    )
    use_cases_changed.send(sender=UseCase, use_case_ids=[use_case.pk])
    return True


def _reclassify_each(queryset, *, cause: str, acting_user: User | None = None) -> int:
    """Reclassify each use case of `queryset`, one transaction (a savepoint, within the caller's) and one lock each,
    the policy read once per collectivité; the count of changed verdicts. The one loop of every reclassification:
    a collectivité's policy, a new rule set, the dates of application, a tool's catalogue entry."""
    changed = 0
    policies: dict[int, rules.Policy] = {}
    for pk, collectivite_id in list(queryset.values_list("pk", "collectivite_id")):
        with transaction.atomic():
            use_case = (
                UseCase.objects.select_for_update(of=("self",))
                .select_related("collectivite", "tool")
                .filter(pk=pk)
                .first()
            )
            if use_case is None:  # deleted meanwhile
                continue
            if collectivite_id not in policies:
                policies[collectivite_id] = use_case.collectivite.policy()
            policy = policies[collectivite_id]
            changed += use_case_reclassify(use_case=use_case, cause=cause, acting_user=acting_user, policy=policy)
    return changed


def collectivite_reclassify(*, collectivite_id: int) -> int:
    """Re-run the engine on every use case of a collectivité (after its policy or size changed). Idempotent;
    returns the number of use cases whose verdicts changed."""
    return _reclassify_each(UseCase.objects.filter(collectivite_id=collectivite_id), cause="policy")


def register_reclassify(*, cause: str = "ruleset", outdated_only: bool = True) -> int:
    """Reclassify the whole register: after a new rule set (`outdated_only`: the use cases classified by another
    rule set), or after the AI Act's dates of application changed (every use case). Idempotent; returns the
    number of use cases whose verdicts changed."""
    queryset = UseCase.objects.all()
    if outdated_only:
        queryset = queryset.exclude(classification_ruleset=rules.RULESET_VERSION)
    return _reclassify_each(queryset.order_by("pk"), cause=cause)


# What the classification engine reads of a collectivité: changing one reclassifies its register.
POLICY_FIELDS = ("agents_count", "ethics_review_personal_data", "ethics_review_public_audience")
SETTINGS_CHANGED = "settings_changed"  # the security journal's kind for a change of a collectivité's settings


def _store_logo(collectivite: Collectivite, upload) -> None:
    """Check an uploaded logo (`validate_logo`: a real PNG, JPEG or WebP image within the size limits, never SVG)
    and store it under a name of ours: the file name the browser sent is never used on disk."""
    import uuid

    from PIL import Image

    try:
        validate_logo(upload)
    except ValidationError as error:
        raise ApplicationError(_("Some fields are not valid."), errors={"logo": error.messages}) from error
    upload.seek(0)
    with Image.open(upload) as image:
        extension = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[image.format]
    upload.seek(0)
    upload.name = f"{collectivite.slug}-{uuid.uuid4().hex[:12]}.{extension}"
    collectivite.logo = upload


@transaction.atomic
def collectivite_update_policy(
    *, collectivite: Collectivite, acting_user: User, data: dict, expected_version: int | None = None
) -> Collectivite:
    """Change the collectivité's settings; if they affect classification, reclassify in the background.

    `data["logo"]`: an uploaded image (checked and renamed), or None / False to remove the logo. With
    `expected_version`, the change is refused (ConflictError) if someone saved the settings since that version.
    The change is written to the security journal (who changed which settings)."""
    from ..tasks import reclassify_collectivite

    locked = Collectivite.objects.select_for_update().get(pk=collectivite.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConflictError(
            _(
                "Someone else changed these settings while you were editing them. Your changes were not saved: "
                "compare them with the current settings, then save again."
            ),
            errors={"version": [_("Current version: %(version)s.") % {"version": locked.version}]},
        )
    before = {name: getattr(locked, name) for name in POLICY_FIELDS}
    data = dict(data)
    old_logo = locked.logo.name if locked.logo else ""
    changed = []
    if "logo" in data:
        upload = data.pop("logo")
        if upload:
            _store_logo(locked, upload)
            changed.append("logo")
        elif old_logo:
            locked.logo = ""
            changed.append("logo")
    for name, value in data.items():
        if getattr(locked, name) != value:
            changed.append(name)
        setattr(locked, name, value)
    try:
        locked.full_clean()
    except ValidationError as error:
        raise ApplicationError(_("Some fields are not valid."), errors=error.message_dict) from error
    if not changed:
        return locked
    locked.version += 1
    locked.save()
    if "logo" in changed and old_logo:
        storage = locked.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    if before != {name: getattr(locked, name) for name in POLICY_FIELDS}:
        # Recorded with the change, queued after commit, and again by the sweep if the broker was out of reach.
        outbox.enqueue(reclassify_collectivite.name, collectivite_id=locked.pk)
    record_event(
        kind=SETTINGS_CHANGED,
        actor=acting_user,
        collectivite=locked,
        obj=locked,
        details={"fields": changed, "version": locked.version},
    )
    return locked


# The tool catalogue -------------------------------------------------------------------------------
# What the engine reads from a tool: changing one of these reclassifies the use cases relying on it.
TOOL_CLASSIFICATION_FIELDS = ("name", "status", "max_data_classification")


def _tool_validated(tool: Tool) -> None:
    errors = {}
    try:
        tool.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    if Tool.objects.filter(collectivite_id=tool.collectivite_id, name=tool.name).exclude(pk=tool.pk).exists():
        errors.setdefault("name", []).append(_("A tool of this name is already in the catalogue."))
    if errors:
        raise ApplicationError(_("Some fields are not valid: correct them and save again."), errors=errors)


@transaction.atomic
def tool_create(*, collectivite: Collectivite, acting_user: User, data: dict) -> Tool:
    """Add a tool to the collectivité's catalogue."""
    tool = Tool(collectivite=collectivite, **data)
    _tool_validated(tool)
    tool.save()
    return tool


@transaction.atomic
def tool_update(*, tool: Tool, acting_user: User, data: dict) -> Tool:
    """Change a catalogue entry; the use cases relying on it are reclassified in the same transaction."""
    locked = Tool.objects.select_for_update().get(pk=tool.pk)
    before = {name: getattr(locked, name) for name in TOOL_CLASSIFICATION_FIELDS}
    for name, value in data.items():
        setattr(locked, name, value)
    _tool_validated(locked)
    locked.save()
    if before != {name: getattr(locked, name) for name in TOOL_CLASSIFICATION_FIELDS}:
        _reclassify_each(UseCase.objects.filter(tool=locked).order_by("pk"), cause="tool", acting_user=acting_user)
    # The tool's name and vendor may be in public records.
    use_cases_changed.send(sender=UseCase, use_case_ids=list(locked.use_cases.values_list("pk", flat=True)))
    return locked


APPROVED_STATUSES = frozenset({UseCaseStatus.APPROVED, UseCaseStatus.APPROVED_WITH_CONDITIONS})
MANDATORY_ORIGINS = ("required", "condition")


def production_blockers_by_field(use_case: UseCase, *, checkpoints=None) -> dict[str, list[str]]:
    """What keeps the use case from going into production, by what it concerns (`status`, `blocked`, `checkpoints`,
    and what the receivers of the `production_blockers` signal answer: `fria`), one full sentence per missing item;
    empty when it can go. `checkpoints`: the use case's checkpoints already loaded
    with their type (spares a query)."""
    blockers: dict[str, list[str]] = {}
    if use_case.status not in APPROVED_STATUSES:
        blockers["status"] = [
            _("Only an approved use case can go into production; this one is “%(status)s”.")
            % {"status": use_case.get_status_display()}
        ]
    if use_case.blocked:
        blockers["blocked"] = [_("The classification rules block this use case: remove the blocking reasons first.")]
    if checkpoints is None:
        checkpoints = use_case.checkpoints.filter(
            active=True, origin__in=MANDATORY_ORIGINS, owner__isnull=True
        ).select_related("type")
    ownerless = []
    for checkpoint in checkpoints:
        if checkpoint.active and checkpoint.origin in MANDATORY_ORIGINS and checkpoint.owner_id is None:
            # A condition of approval is a sentence of its own: its final full stop does not end ours.
            title = str(checkpoint.type.display_title).strip().rstrip(".").strip()
            ownerless.append(
                _("The mandatory checkpoint “%(title)s” has no owner: name the person who will attest it.")
                % {"title": title}
            )
    if ownerless:
        blockers["checkpoints"] = ownerless
    # What the apps above the register require (fria: the AIDF approved and notified), without importing them.
    for _receiver, found in production_blockers.send(sender=UseCase, use_case=use_case):
        for field, sentences in (found or {}).items():
            blockers.setdefault(field, []).extend(sentences)
    return blockers


def use_case_production_blockers(use_case: UseCase, *, checkpoints=None) -> list[str]:
    """The sentences of `production_blockers_by_field`, in order: `use_case_put_into_production` refuses with exactly
    these, and the use case's page asks the same function whether to offer the button."""
    return [
        sentence
        for sentences in production_blockers_by_field(use_case, checkpoints=checkpoints).values()
        for sentence in sentences
    ]


@transaction.atomic
def use_case_put_into_production(*, use_case: UseCase, acting_user: User, comment: str = "") -> UseCase:
    """An approved use case goes live, only once nothing holds it back (`use_case_production_blockers`): each missing
    item is one error of the refusal, a full sentence. Whoever answers for the use case (`may_manage_use_case`)."""
    locked = (
        UseCase.objects.select_for_update(of=("self",)).select_related("collectivite", "service").get(pk=use_case.pk)
    )
    if not permissions.may_manage_use_case(acting_user, get_access(acting_user, locked.collectivite), locked):
        raise ForbiddenError(_("You may not take this action on this use case."))
    errors = production_blockers_by_field(locked)
    if errors:
        sentences = [sentence for field in errors.values() for sentence in field]
        raise TransitionError(
            sentences[0]
            if len(sentences) == 1
            else _("This use case cannot go into production yet: %(count)d items are missing.")
            % {"count": len(sentences)},
            errors=errors,
        )
    return _transition(
        use_case,
        acting_user,
        allowed_from=APPROVED_STATUSES,
        target=UseCaseStatus.IN_PRODUCTION,
        kind=UseCaseEvent.Kind.IN_PRODUCTION,
        comment=comment,
        refusal=_("Only an approved use case can go into production; this one is “%(status)s”."),
    )


@transaction.atomic
def use_case_suspend(*, use_case: UseCase, acting_user: User, reason: str) -> UseCase:
    """The DPO or the RSSI suspends a live use case in one action (AI Act art. 26(5)), with a reason."""
    if not permissions.can_suspend(get_access(acting_user, use_case.collectivite)):
        raise ForbiddenError(_("Only the DPO and the RSSI may suspend a use case."))
    if not (reason or "").strip():
        raise ApplicationError(
            _("Give the reason of the suspension: it is recorded and shown to the people concerned."),
            errors={"reason": [_("This field is required.")]},
        )
    return _transition(
        use_case,
        acting_user,
        allowed_from=frozenset(LIVE_STATUSES),
        target=UseCaseStatus.SUSPENDED,
        kind=UseCaseEvent.Kind.SUSPENDED,
        comment=reason.strip(),
        refusal=_("Only an approved or live use case can be suspended; this one is “%(status)s”."),
    )
