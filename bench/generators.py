"""Bulk generators of synthetic data for the benchmarks, on top of the demo (`seed_demo`): use cases and
human-control checkpoints by the ten thousand, a batch of inserts at a time, and declarations.

`seed_demo --use-cases N` and `--checkpoints N` write each use case through `use_case_create` (demo/loaders/
synthetic.py): right for a demo, too slow for a benchmark's volumes. These insert the same rows in bulk, from the
same templates (the demo's use cases in their final state, with the legal inputs the DPO set), each classified by
the rules engine, numbered after the others, with its history, its "recorded" event, its owner's permissions and
the review round its status implies; no e-mail, no checkpoint but those `add_checkpoints` adds. Declarations come
from `seed_demo`'s own bulk generator (`add_declarations`).

Import this module once Django is set up (`_common.setup_django`).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import Checkpoint
from audits.selectors import LIVE
from demo import checkpoints as checkpoints_demo
from demo import register as demo
from demo.loaders.synthetic import (
    BATCH_SIZE,
    SYNTHETIC_APPROVED,
    UNBLOCKED_STATUSES,
    add_declarations,
    checkpoint_schedule,
    checkpoint_types,
    confirm_qualification,
    given_creation_dates,
    ordered_types,
    record_review_rounds,
    synthetic_owners,
    templates,
)
from registry import services
from registry.choices import UseCaseStatus
from registry.models import Collectivite, Service, Tool, UseCase, UseCaseEvent, UseCaseUserObjectPermission, User

__all__ = ["add_checkpoints", "add_declarations", "add_use_cases", "bulk_use_cases", "given_creation_dates"]


def add_use_cases(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` use cases cycling over the demo ones and over every status, in bulk."""
    if count == 0:
        return 0
    bulk_use_cases(collectivite, count, acting_user=acting_user)
    return count


def bulk_use_cases(
    collectivite: Collectivite,
    count: int,
    *,
    acting_user: User,
    statuses: tuple[str, ...] | None = None,
    name_prefix: str = demo.SYNTHETIC_PREFIX,
    placement: Callable[[int], tuple[Service, User]] | None = None,
) -> list[UseCase]:
    """`count` use cases cycling over the demo ones and over `statuses` (every status by default), created in
    bulk with their history, "recorded" event, owner permissions and review round. With `statuses` given, the demo
    use cases the rules block are left out, so that every one gets a status of the list. `placement(n)` gives the
    n-th one's service and owner (the demo use case's by default)."""
    services_by_code = {s.code: s for s in Service.objects.filter(collectivite=collectivite)}
    users_by_name = {
        u.username: u
        for u in User.objects.filter(
            memberships__collectivite=collectivite, username__in={spec["owner"] for spec in demo.USE_CASES}
        ).distinct()
    }
    tools_by_name = {t.name: t for t in Tool.objects.filter(collectivite=collectivite)}
    policy = collectivite.policy()  # once: the dates of application are read from the database
    drawn = templates(acting_user)
    if statuses is not None:
        drawn = [t for t in drawn if not _unsaved_use_case(collectivite, t, tools_by_name, policy).blocked]
    statuses = itertools.cycle(statuses or [value for value, _label in UseCaseStatus.choices])
    # Lock the collectivité row, as use_case_create does, so references cannot collide.
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    prefix = f"IA-{timezone.localdate().year}-"
    numbers = [
        int(reference[len(prefix) :])
        for reference in UseCase.objects.filter(collectivite=collectivite, reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        if reference[len(prefix) :].isdigit()
    ]
    first = max(numbers, default=0) + 1
    start = UseCase.objects.filter(collectivite=collectivite, name__startswith=name_prefix).count() + 1
    now = timezone.now()
    objects = []
    for offset in range(count):
        template = drawn[offset % len(drawn)]
        status = next(statuses)
        if placement is None:
            service, owner = services_by_code[template["service"]], users_by_name[template["owner"]]
        else:
            service, owner = placement(offset)
        use_case = _unsaved_use_case(
            collectivite,
            template,
            tools_by_name,
            policy,
            reference=f"{prefix}{first + offset:04d}",
            name=f"{name_prefix} {start + offset:05d} — {template['name']}"[:200],
            service=service,
            owner=owner,
            status=status,
            submitted_at=now if status == UseCaseStatus.SUBMITTED else None,
        )
        if use_case.blocked and status not in UNBLOCKED_STATUSES:
            use_case.status = UseCaseStatus.DRAFT
        if use_case.status in SYNTHETIC_APPROVED - {UseCaseStatus.RETIRED}:
            months = collectivite.review_months(use_case.ai_act_risk)
            use_case.next_review_on = timezone.localdate() + relativedelta(months=months)
        if use_case.qualification_to_confirm and use_case.status != UseCaseStatus.DRAFT:
            confirm_qualification(use_case, acting_user)
        objects.append(use_case)
    UseCase.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if any(obj.pk is None for obj in objects):  # databases that do not return ids from bulk inserts
        ids = dict(
            UseCase.objects.filter(collectivite=collectivite, reference__in=[o.reference for o in objects]).values_list(
                "reference", "pk"
            )
        )
        for obj in objects:
            obj.pk = obj.id = ids[obj.reference]
    UseCase.history.bulk_history_create(objects, batch_size=BATCH_SIZE, default_user=acting_user)
    UseCaseEvent.objects.bulk_create(
        [
            UseCaseEvent(
                use_case=obj,
                actor=acting_user,
                kind=UseCaseEvent.Kind.RECORDED,
                to_status=obj.status,
                comment=_("Synthetic use case (benchmark data)."),
                # No e-mail for benchmark data.
                notified_at=now,
            )
            for obj in objects
        ],
        batch_size=BATCH_SIZE,
    )
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="registry", codename__in=[p.split(".")[1] for p in services.OWNER_PERMISSIONS]
        )
    )
    UseCaseUserObjectPermission.objects.bulk_create(
        [
            UseCaseUserObjectPermission(permission=permission, user_id=obj.owner_id, content_object=obj)
            for obj in objects
            for permission in permissions
        ],
        batch_size=BATCH_SIZE,
    )
    record_review_rounds(collectivite, objects, dpo=acting_user)
    return objects


def _unsaved_use_case(
    collectivite: Collectivite, template: dict, tools_by_name: dict, policy=None, **identity
) -> UseCase:
    """A classified, unsaved use case with the classification inputs of a demo one (hosting from its tool)."""
    fields = {k: v for k, v in template.items() if k not in ("name", "status", "service", "owner", "tool")}
    tool = tools_by_name[template["tool"]] if template.get("tool") else None
    if tool is not None:
        for name in ("hosting_zone", "hosting_qualification", "provider_reuse_disabled"):
            fields.setdefault(name, getattr(tool, name))
    use_case = UseCase(collectivite=collectivite, tool=tool, **fields, **identity)
    use_case.apply_classification(policy)
    return use_case


def add_checkpoints(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` checkpoints in bulk: on as many new synthetic use cases as needed (all live, so reminders and
    compliance count them), one checkpoint per type (the required ones first, then the others as if a reviewer
    added them), owned by synthetic people of the collectivité (one for about SYNTHETIC_CHECKPOINTS_PER_OWNER
    checkpoints), at varied frequencies, due from 60 days ago to 30 days ahead (a seeded, reproducible draw)."""
    if count == 0:
        return 0
    types = checkpoint_types(collectivite)
    use_cases = bulk_use_cases(
        collectivite,
        -(-count // len(types)),
        acting_user=acting_user,
        statuses=LIVE,
        name_prefix=checkpoints_demo.SYNTHETIC_USE_CASE_PREFIX,
    )
    owners = synthetic_owners(collectivite, max(1, count // checkpoints_demo.SYNTHETIC_CHECKPOINTS_PER_OWNER))
    rng = random.Random(f"{collectivite.slug}:checkpoints:{use_cases[0].reference}")  # nosec B311 — reproducible benchmark data
    today = timezone.localdate()
    objects = []
    remaining = count
    for use_case in use_cases:
        required = set(use_case.required_checkpoints)
        ordered = ordered_types(types, use_case)
        for kind in ordered[:remaining]:
            frequency, due, attested = checkpoint_schedule(rng, today)
            objects.append(
                Checkpoint(
                    use_case=use_case,
                    type=kind,
                    origin=Checkpoint.Origin.REQUIRED
                    if kind.collectivite_id is None and kind.code in required
                    else Checkpoint.Origin.MANUAL,
                    owner=rng.choice(owners),
                    frequency=frequency,
                    next_due=due,
                    last_attested_on=attested,
                )
            )
        remaining -= min(len(ordered), remaining)
    Checkpoint.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    return count
