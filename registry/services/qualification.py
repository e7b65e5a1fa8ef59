"""The DPO's part in the guided qualification (DOMAIN.md 3b): confirming the answers that were not known, and setting
a legal input directly with a written justification (an override that survives later edits of the facts until the
DPO lifts it). The RSSI may do the same on the security axis."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError

from .. import classification_inputs, permissions, qualification
from ..models import UseCase, UseCaseEvent, User
from ..signals import use_cases_changed
from . import reviews

MAX_JUSTIFICATION = 4000


def _locked(use_case: UseCase, expected_version: int | None) -> UseCase:
    locked = UseCase.objects.select_for_update(of=("self",)).select_related("collectivite", "tool").get(pk=use_case.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise ConflictError(errors={"version": [_("Current version: %(version)s.") % {"version": locked.version}]})
    return locked


def _person(user: User) -> dict:
    return {"by": user.pk, "by_name": user.get_full_name() or user.username, "at": timezone.now().isoformat()}


def _save(use_case: UseCase, acting_user: User, kind: str, comment: str, details: dict, changed: list[str]) -> None:
    """Classify and save the new qualification, record the event, sync the checkpoints, and let a review follow the
    change."""
    from .use_cases import _classification_saved, use_case_classify

    use_case_classify(use_case=use_case)
    use_case.version += 1
    use_case._history_user = acting_user
    use_case.save()
    _classification_saved(use_case)
    UseCaseEvent.objects.create(
        use_case=use_case,
        actor=acting_user,
        kind=kind,
        from_status=use_case.status,
        to_status=use_case.status,
        comment=comment,
        details=details,
    )
    if changed:
        reviews.on_change(use_case=use_case, acting_user=acting_user, changed=changed)
    use_cases_changed.send(sender=UseCase, use_case_ids=[use_case.pk])


def _clean_value(name: str, value):
    """A legal input's value as the model stores it, checked against its declaration."""
    item = classification_inputs.BY_NAME[name]
    field = UseCase._meta.get_field(name)
    if item.kind == classification_inputs.CODES:
        if not isinstance(value, list | tuple):
            raise ApplicationError(
                _("Some fields are not valid."), errors={"value": [_("A list of codes is expected.")]}
            )
        value = [code for code in item.choices.values if code in value]
    elif item.kind == classification_inputs.BOOL:
        if not isinstance(value, bool):
            raise ApplicationError(_("Some fields are not valid."), errors={"value": [_("Yes or no is expected.")]})
    elif item.kind == classification_inputs.OPTIONAL_CODE and value in (None, ""):
        value = ""
    elif value not in item.choices.values:
        allowed = ", ".join(item.choices.values)
        raise ApplicationError(
            _("Some fields are not valid."),
            errors={"value": [_("Allowed values: %(allowed)s.") % {"allowed": allowed}]},
        )
    try:
        field.clean(value, None)
    except ValidationError as error:  # a code outside the choices
        raise ApplicationError(_("Some fields are not valid."), errors={"value": error.messages}) from error
    return value


@transaction.atomic
def qualification_override_set(
    *,
    use_case: UseCase,
    acting_user: User,
    input_name: str,
    value,
    justification: str,
    expected_version: int | None = None,
) -> UseCase:
    """The DPO (the RSSI on the security axis) sets a legal input directly, with a written justification. The value
    the facts derive is kept beside it; the override survives later edits of the facts until it is lifted."""
    locked = _locked(use_case, expected_version)
    access = get_access(acting_user, locked.collectivite)
    if input_name not in qualification.OVERRIDABLE:
        raise ApplicationError(
            _("Some fields are not valid."), errors={"input": [_("This answer cannot be set directly.")]}
        )
    if input_name not in permissions.qualifiable_inputs(access):
        raise ForbiddenError(
            _("Only the DPO sets the legal qualification directly, and the RSSI the security answers.")
        )
    justification = (justification or "").strip()
    if not justification:
        raise ApplicationError(
            _("Say why you set this answer: the justification is kept with it."),
            errors={"justification": [_("A written justification is required.")]},
        )
    if len(justification) > MAX_JUSTIFICATION:
        raise ApplicationError(
            _("Some fields are not valid."),
            errors={"justification": [_("At most %(count)s characters.") % {"count": MAX_JUSTIFICATION}]},
        )
    value = _clean_value(input_name, value)
    outcome = locked.qualification_outcome()
    derived = outcome.derivation.derived.get(input_name) or outcome.derivation.amended.get(input_name)
    previous = getattr(locked, input_name)
    overrides = dict(locked.qualification_overrides)
    overrides[input_name] = {
        "value": value,
        "justification": justification,
        "derived": qualification._plain(derived.value) if derived is not None else previous,
        **_person(acting_user),
    }
    locked.qualification_overrides = overrides
    # The override must leave the answers coherent, as the form and the API require.
    setattr(locked, input_name, value)
    from .use_cases import _validated

    _validated(locked)
    label = classification_inputs.BY_NAME[input_name].label
    _save(
        locked,
        acting_user,
        UseCaseEvent.Kind.QUALIFIED,
        justification,
        {"input": input_name, "old": qualification._plain(previous), "new": value, "label": str(label)},
        [input_name] if qualification._plain(previous) != value else [],
    )
    return locked


@transaction.atomic
def qualification_override_lift(
    *, use_case: UseCase, acting_user: User, input_name: str, comment: str = "", expected_version: int | None = None
) -> UseCase:
    """The DPO (or the RSSI on the security axis) lifts an override: the facts decide the input again."""
    locked = _locked(use_case, expected_version)
    access = get_access(acting_user, locked.collectivite)
    if input_name not in permissions.qualifiable_inputs(access):
        raise ForbiddenError(
            _("Only the DPO lifts the legal qualification they set, and the RSSI the security answers.")
        )
    overrides = dict(locked.qualification_overrides)
    if input_name not in overrides:
        raise ConflictError(_("This answer is not set by the DPO: there is nothing to lift."))
    previous = overrides.pop(input_name)["value"]
    locked.qualification_overrides = overrides
    locked.apply_qualification()
    now = qualification._plain(getattr(locked, input_name))
    _save(
        locked,
        acting_user,
        UseCaseEvent.Kind.UNQUALIFIED,
        (comment or "").strip(),
        {"input": input_name, "old": previous, "new": now},
        [input_name] if previous != now else [],
    )
    return locked


@transaction.atomic
def qualification_confirm(
    *, use_case: UseCase, acting_user: User, comment: str = "", expected_version: int | None = None
) -> UseCase:
    """The DPO confirms the qualification as the facts give it, for the questions that were not known or
    contradictory: the use case may then receive a favourable opinion. A later change of those answers that changes
    the legal inputs asks for a new confirmation."""
    locked = _locked(use_case, expected_version)
    access = get_access(acting_user, locked.collectivite)
    if not permissions.can_confirm_qualification(access, locked):
        raise ForbiddenError(_("Only the DPO confirms the qualification of a use case."))
    outcome = locked.qualification_outcome()
    if not locked.qualification_to_confirm or not (outcome.questions or outcome.overrides_to_review):
        raise ConflictError(_("No question of this use case waits for the DPO's confirmation."))
    # An override the facts no longer support is kept as it is: confirming it records what the facts now derive.
    overrides = dict(locked.qualification_overrides)
    for name in outcome.overrides_to_review:
        derived = outcome.derivation.derived.get(name) or outcome.derivation.amended.get(name)
        overrides[name] = {**overrides[name], "derived": qualification._plain(derived.value)}
    locked.qualification_overrides = overrides
    concerned = sorted({name for question in outcome.questions for name in question.inputs})
    locked.qualification_confirmation = {
        "questions": [question.fact for question in outcome.questions],
        "values": {name: qualification._plain(outcome.inputs.get(name)) for name in concerned},
        "comment": (comment or "").strip(),
        **_person(acting_user),
    }
    _save(
        locked,
        acting_user,
        UseCaseEvent.Kind.QUALIFICATION_CONFIRMED,
        (comment or "").strip(),
        {
            "questions": [question.fact for question in outcome.questions],
            "overrides": list(outcome.overrides_to_review),
        },
        [],
    )
    return locked
