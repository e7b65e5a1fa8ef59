"""Synthetic data on top of the demo, for volume tests: `seed_demo --use-cases N`, `--declarations N` and
`--checkpoints N`. Each draw is seeded, so two databases seeded alike hold the same data.

Use cases go through `use_case_create`, as the DPO's inventory records uses that already exist: each cycles over the
demo's use cases (their final state: first declaration, edits) and over the statuses, and is numbered, qualified and
classified, with its history, its "recorded" event, its owner's permissions and the checkpoints its classification
requires, as the product makes them (the demo use cases the rules block stay drafts). The review round its status
implies is then recorded as the round that preceded the inventory (`record_review_rounds`), and the DPO's confirmation
of the qualification when one was due. No e-mail goes out.

Checkpoints (`--checkpoints`) are those of such use cases, all live: the required ones the service attached, then the
others added by `checkpoint_add`, owned by synthetic people (`checkpoint_update`), due from two months ago to a month
ahead.

Declarations (`--declarations`) are inserted in bulk (`add_declarations`): `declaration_submit` would give the
anonymous ones a random reference and the date of the day, where these are numbered after the others and spread over
the last months with their triage answers, one "declared" event each.

bench/generators.py inserts use cases and checkpoints in bulk for the benchmarks' volumes (tens of thousands), from
the same templates and review rounds.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import uuid
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db.models import F, IntegerField, Max, Q
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import schedule
from audits import services as audits_services
from audits.models import Checkpoint, CheckpointType
from audits.selectors import LIVE
from core.roles import Role
from declarations import triage
from declarations.models import Declaration, DeclarationEvent, DeclarationUserObjectPermission
from demo import checkpoints as audits_demo
from demo import register as demo
from registry import qualification, services
from registry.choices import (
    BreachOutcome,
    DeclarationAccount,
    DeclarationDevice,
    DeclarationFrequency,
    DeclarationOutput,
    DeclarationStatus,
    HumanReview,
    OpinionVerdict,
    ReviewDecision,
    ReviewKind,
    ReviewStatus,
    ToolStatus,
    UseCaseStatus,
)
from registry.models import (
    Collectivite,
    Membership,
    Opinion,
    Review,
    ReviewCondition,
    Service,
    Tool,
    UseCase,
    UseCaseEvent,
    User,
)
from registry.models.use_cases import FACT_FIELDS

BATCH_SIZE = 500

# Synthetic declarations were made over the last months.
SYNTHETIC_DECLARATION_DAYS = 300
Kind = DeclarationEvent.Kind


def templates(dpo: User) -> list[dict]:
    """Each demo use case in its final state: first declaration with its plain facts (those the legal inputs imply
    when it was recorded before the questionnaire), its edits, and the legal inputs the DPO set in its story."""
    templates = []
    for spec in demo.USE_CASES:
        data = {k: v for k, v in spec.items() if k not in ("edits", "facts")}
        data.update(spec["facts"] if spec.get("facts") is not None else qualification.facts_implied_by(data))
        for _actor, changes in spec.get("edits", ()):
            data.update(changes)
        person = {"by": dpo.pk, "by_name": dpo.get_full_name() or dpo.username, "at": timezone.now().isoformat()}
        data["qualification_overrides"] = {
            input_name: {"value": value, "justification": justification, **person}
            for _when, action, *arguments in demo.REVIEW_STORIES.get(spec["name"], ())
            if action == "qualify"
            for input_name, value, justification in [arguments]
        }
        templates.append(data)
    return templates


def add_use_cases(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` use cases through `use_case_create`, cycling over the demo ones and over every status, each with
    the review round its status implies."""
    if count == 0:
        return 0
    recorder = Recorder(collectivite, acting_user=acting_user)
    statuses = itertools.cycle([value for value, _label in UseCaseStatus.choices])
    start = UseCase.objects.filter(collectivite=collectivite, name__startswith=demo.SYNTHETIC_PREFIX).count() + 1
    prefix = demo.SYNTHETIC_PREFIX
    created = [
        recorder.record(offset % len(recorder.templates), next(statuses), f"{prefix} {start + offset:05d}")
        for offset in range(count)
    ]
    recorder.finish(created)
    return count


class Recorder:
    """Records synthetic use cases through `use_case_create` (acting as `acting_user`, the DPO), one template of
    `templates()` at a time, then their review rounds (`finish`)."""

    def __init__(self, collectivite: Collectivite, *, acting_user: User):
        self.collectivite = collectivite
        self.acting_user = acting_user
        self.services = {s.code: s for s in Service.objects.filter(collectivite=collectivite)}
        self.users = {
            u.username: u
            for u in User.objects.filter(
                memberships__collectivite=collectivite, username__in={spec["owner"] for spec in demo.USE_CASES}
            ).distinct()
        }
        self.tools = {t.name: t for t in Tool.objects.filter(collectivite=collectivite)}
        self.policy = collectivite.policy()  # once: the dates of application are read from the database
        self.templates = templates(acting_user)
        self._previews: dict[int, UseCase] = {}

    def data(self, index: int) -> dict:
        """What the owner of the demo use case `index` declared, as `use_case_create` takes it."""
        template = self.templates[index]
        data = {name: value for name, value in template.items() if name in services.EDITABLE_FIELDS}
        data["service"] = self.services[template["service"]]
        data["owner"] = self.users[template["owner"]]
        data["tool"] = self.tools[template["tool"]] if template.get("tool") else None
        return data

    def preview(self, index: int) -> UseCase:
        """The use case `use_case_create` makes of template `index`, unsaved: the same hosting taken from the tool,
        the same facts left out counted as unknown, the same classification (whether the rules block it, the
        checkpoints it requires)."""
        if index not in self._previews:
            data = self.data(index)
            if data["tool"] is not None:
                for name in ("hosting_zone", "hosting_qualification", "provider_reuse_disabled"):
                    data.setdefault(name, getattr(data["tool"], name))
            if any(data.get(name) not in (None, "", []) for name in FACT_FIELDS):
                data.update(qualification.left_out_as_unknown({name: data.get(name) for name in FACT_FIELDS}))
            use_case = UseCase(collectivite=self.collectivite, **data)
            use_case.apply_classification(self.policy)
            self._previews[index] = use_case
        return self._previews[index]

    def record(self, index: int, status: str, name: str) -> UseCase:
        """Template `index` recorded in `status` (a draft when the rules block it and `status` needs them not to)."""
        if self.preview(index).blocked and status not in UNBLOCKED_STATUSES:
            status = UseCaseStatus.DRAFT
        data = self.data(index)
        data["name"] = f"{name} — {self.templates[index]['name']}"[:200]
        return services.use_case_create(
            collectivite=self.collectivite,
            acting_user=self.acting_user,
            data=data,
            status=status,
            comment=_("Synthetic use case (benchmark data)."),
        )

    def finish(self, created: list[UseCase]) -> None:
        """What preceded the inventory of `created`: the next review date of the approved ones, the DPO's
        confirmation of the qualification before her opinion, the review rounds; their e-mails count as sent."""
        today = timezone.localdate()
        for use_case in created:
            changes = {}
            if use_case.status in SYNTHETIC_APPROVED - {UseCaseStatus.RETIRED}:
                months = self.collectivite.review_months(use_case.ai_act_risk)
                changes["next_review_on"] = today + relativedelta(months=months)
            if use_case.qualification_to_confirm and use_case.status != UseCaseStatus.DRAFT:
                confirm_qualification(use_case, self.acting_user)
                changes["qualification_confirmation"] = use_case.qualification_confirmation
            if changes:
                for name, value in changes.items():
                    setattr(use_case, name, value)
                # As recorded then: the use case and the version its creation wrote.
                UseCase.objects.filter(pk=use_case.pk).update(**changes)
                UseCase.history.filter(id=use_case.pk).update(**changes)
        record_review_rounds(self.collectivite, created, dpo=self.acting_user)
        UseCaseEvent.objects.filter(use_case__in=created, notified_at__isnull=True).update(notified_at=F("created_at"))


# Statuses a use case the rules block may have.
UNBLOCKED_STATUSES = (UseCaseStatus.DRAFT, UseCaseStatus.REJECTED, UseCaseStatus.SUSPENDED)


# The synthetic use cases' review rounds: what each status implies (live ones are re-reviewed later).
SYNTHETIC_APPROVED = frozenset(
    {
        UseCaseStatus.APPROVED,
        UseCaseStatus.APPROVED_WITH_CONDITIONS,
        UseCaseStatus.IN_PRODUCTION,
        UseCaseStatus.SUSPENDED,
        UseCaseStatus.RETIRED,
    }
)
SYNTHETIC_DECISIONS = {
    UseCaseStatus.REJECTED: ReviewDecision.REJECTED,
    UseCaseStatus.APPROVED_WITH_CONDITIONS: ReviewDecision.APPROVED_WITH_CONDITIONS,
}


def record_review_rounds(collectivite: Collectivite, objects: list[UseCase], *, dpo: User) -> None:
    """One review round per synthetic use case past the draft, in bulk, as its status implies: waiting for
    opinions (submitted), with the DPO's opinion given or waiting for the committee (in review), decided with
    both opinions (the others; a condition when approved with conditions). No e-mail, no checkpoint. A use case
    that has a round already (one recorded as submitted: `use_case_create` opened it) keeps it."""
    reviewed = set(Review.objects.filter(use_case__in=objects).values_list("use_case_id", flat=True))
    rssi = User.objects.filter(memberships__collectivite=collectivite, memberships__role=Role.RSSI).first() or dpo
    now = timezone.now()
    reviews = []
    for obj in objects:
        if obj.status == UseCaseStatus.DRAFT or obj.pk in reviewed:
            continue
        decision = SYNTHETIC_DECISIONS.get(obj.status, ReviewDecision.APPROVED)
        if obj.status == UseCaseStatus.SUBMITTED:
            status = ReviewStatus.OPINIONS
        elif obj.status == UseCaseStatus.IN_REVIEW:
            status = ReviewStatus.COMMITTEE if obj.ethics_review_required else ReviewStatus.OPINIONS
        else:
            status = ReviewStatus.DECIDED
        decided = status == ReviewStatus.DECIDED
        reviews.append(
            Review(
                collectivite=collectivite,
                use_case=obj,
                number=1,
                kind=ReviewKind.INITIAL,
                status=status,
                snapshot=services.snapshot_of(obj),
                snapshot_version=obj.version,
                ethics_required=obj.ethics_review_required,
                opened_by=obj.owner,
                decision=decision if decided else "",
                decision_comment=_("Synthetic review (benchmark data).") if decided else "",
                decided_at=now if decided else None,
                decided_by=dpo if decided else None,
            )
        )
    Review.objects.bulk_create(reviews, batch_size=BATCH_SIZE)
    if any(review.pk is None for review in reviews):  # databases that do not return ids from bulk inserts
        ids = dict(Review.objects.filter(use_case__in=[r.use_case for r in reviews]).values_list("use_case_id", "pk"))
        for review in reviews:
            review.pk = review.id = ids[review.use_case.pk]
    opinions, conditions = [], []
    for review in reviews:
        if review.use_case.status == UseCaseStatus.SUBMITTED:
            continue
        rejected = review.decision == ReviewDecision.REJECTED
        verdict = OpinionVerdict.UNFAVOURABLE if rejected else OpinionVerdict.FAVOURABLE
        comment = _("Synthetic opinion (benchmark data).")
        opinions.append(Opinion(review=review, role=Role.DPO, author=dpo, verdict=verdict, comment=comment))
        if review.status != ReviewStatus.OPINIONS:
            opinions.append(Opinion(review=review, role=Role.RSSI, author=rssi, verdict=verdict, comment=comment))
        if review.decision == ReviewDecision.APPROVED_WITH_CONDITIONS:
            conditions.append(
                ReviewCondition(review=review, source=Role.DPO, text=_("Synthetic condition."), created_by=dpo)
            )
    Opinion.objects.bulk_create(opinions, batch_size=BATCH_SIZE)
    ReviewCondition.objects.bulk_create(conditions, batch_size=BATCH_SIZE)


def confirm_qualification(use_case: UseCase, dpo: User) -> None:
    """The DPO confirmed the qualification before her opinion (every synthetic round has one), as
    `services.qualification_confirm` records it."""
    outcome = use_case.qualification_outcome()
    concerned = sorted({name for question in outcome.questions for name in question.inputs})
    use_case.qualification_confirmation = {
        "questions": [question.fact for question in outcome.questions],
        "values": {name: outcome.inputs.get(name) for name in concerned},
        "comment": "",
        "by": dpo.pk,
        "by_name": dpo.get_full_name() or dpo.username,
        "at": timezone.now().isoformat(),
    }
    use_case.apply_qualification()


def add_checkpoints(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` checkpoints on as many new synthetic use cases as needed, recorded through `use_case_create`
    in a live status (so reminders and compliance count them): on each, one checkpoint per type, the required
    ones (attached by the service) first, then the others added as a reviewer would (`checkpoint_add`); each owned
    by one of the synthetic people of the collectivité (one for about SYNTHETIC_CHECKPOINTS_PER_OWNER checkpoints),
    at varied frequencies, due from 60 days ago to 30 days ahead. The last use case is one whose classification
    requires no more checkpoints than are left to add."""
    if count == 0:
        return 0
    types = checkpoint_types(collectivite)
    recorder = Recorder(collectivite, acting_user=acting_user)
    candidates = [index for index in range(len(recorder.templates)) if not recorder.preview(index).blocked]
    statuses = itertools.cycle(LIVE)
    prefix = audits_demo.SYNTHETIC_USE_CASE_PREFIX
    start = UseCase.objects.filter(collectivite=collectivite, name__startswith=prefix).count() + 1
    planned, remaining, turn = [], count, 0
    while remaining:
        size = min(len(types), remaining)
        turns = [candidates[(turn + n) % len(candidates)] for n in range(len(candidates))]
        index = next(i for i in turns if len(recorder.preview(i).required_checkpoints) <= size)
        turn = turns.index(index) + turn + 1
        planned.append((index, size))
        remaining -= size
    created = [
        recorder.record(index, next(statuses), f"{prefix} {start + number:05d}")
        for number, (index, _size) in enumerate(planned)
    ]
    recorder.finish(created)
    owners = synthetic_owners(collectivite, max(1, count // audits_demo.SYNTHETIC_CHECKPOINTS_PER_OWNER))
    rng = random.Random(f"{collectivite.slug}:checkpoints:{created[0].reference}")  # nosec B311 — reproducible demo data, not a secret
    today = timezone.localdate()
    for use_case, (_index, size) in zip(created, planned, strict=True):
        attached = {checkpoint.type_id: checkpoint for checkpoint in use_case.checkpoints.all()}
        for kind in ordered_types(types, use_case)[:size]:
            frequency, due, attested = checkpoint_schedule(rng, today)
            owner = rng.choice(owners)
            if kind.pk in attached:
                checkpoint = audits_services.checkpoint_update(
                    checkpoint=attached[kind.pk], acting_user=acting_user, owner=owner, frequency=frequency
                )
            else:
                checkpoint = audits_services.checkpoint_add(
                    use_case=use_case, acting_user=acting_user, type=kind, owner=owner, frequency=frequency
                )
            # Its first due date from the synthetic cycle, and its last attestation a period before.
            Checkpoint.objects.filter(pk=checkpoint.pk).update(next_due=due, last_attested_on=attested)
    return count


def checkpoint_types(collectivite: Collectivite) -> list[CheckpointType]:
    """The checkpoint types of the collectivité: the national ones first, then its own, by code."""
    return sorted(
        CheckpointType.objects.filter(Q(collectivite__isnull=True) | Q(collectivite=collectivite)),
        key=lambda kind: (kind.collectivite_id is not None, kind.code),
    )


def ordered_types(types: list[CheckpointType], use_case: UseCase) -> list[CheckpointType]:
    """`types` with those the use case's classification requires first."""
    required = set(use_case.required_checkpoints)
    return sorted(types, key=lambda kind: kind.collectivite_id is not None or kind.code not in required)


def checkpoint_schedule(rng: random.Random, today) -> tuple[str, object, object]:
    """A synthetic checkpoint's frequency, next due date and last attestation (None for one done at each use)."""
    frequency = weighted(rng, audits_demo.SYNTHETIC_FREQUENCIES)
    low, high = audits_demo.SYNTHETIC_DUE_RANGE
    due = None if frequency == "each_use" else today + timedelta(days=rng.randint(low, high))
    previous = due - schedule.PERIODS[frequency] if due else None
    return frequency, due, previous if previous and previous <= today else None


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# How often each answer comes up in the synthetic declarations (rough shares of what surveys report).
SYNTHETIC_WEIGHTS = {
    "status": {
        DeclarationStatus.RECEIVED: 35,
        DeclarationStatus.ANALYSING: 20,
        DeclarationStatus.ALTERNATIVE_OFFERED: 15,
        DeclarationStatus.TO_STOP: 8,
        DeclarationStatus.REGULARISED: 12,
        DeclarationStatus.CLOSED: 10,
    },
    "account": {
        DeclarationAccount.PERSONAL_FREE: 45,
        DeclarationAccount.PERSONAL_PAID: 15,
        DeclarationAccount.PROFESSIONAL: 35,
        DeclarationAccount.API: 5,
    },
    "device": {DeclarationDevice.WORK_PC: 60, DeclarationDevice.PERSONAL_DEVICE: 30, DeclarationDevice.WORK_MOBILE: 10},
    "human_review": {HumanReview.ALWAYS: 60, HumanReview.SOMETIMES: 30, HumanReview.NEVER: 10},
    "output": {
        DeclarationOutput.PERSONAL_DRAFT: 25,
        DeclarationOutput.INTERNAL: 35,
        DeclarationOutput.SENT_TO_USERS: 25,
        DeclarationOutput.PUBLISHED: 10,
        DeclarationOutput.INDIVIDUAL_DECISION: 5,
    },
    "data": {
        "public": 25,
        "internal": 30,
        "confidential": 6,
        "credentials_or_code": 4,
        "ordinary": 20,
        "financial": 4,
        "communications": 3,
        "location": 3,
        "minors_vulnerable": 2,
        "health": 2,
        "nir": 1,
        "criminal": 1,
    },
    "breach_outcome": {
        BreachOutcome.NOT_A_BREACH: 50,
        BreachOutcome.BREACH_NOT_NOTIFIED: 35,
        BreachOutcome.BREACH_NOTIFIED: 12,
        BreachOutcome.BREACH_NOTIFIED_PERSONS: 3,
    },
}
SYNTHETIC_ANONYMOUS_SHARE = 0.15
SYNTHETIC_CHATGPT_SHARE = 0.3


def add_declarations(collectivite: Collectivite, count: int, *, acting_user: User) -> int:
    """Add `count` declarations in bulk, varied at random (a seeded, reproducible draw): tools, services,
    authors (some anonymous), data, accounts, devices, statuses with their answers, breach assessments. Each
    is assessed as a submitted one is, gets its reference after the last one, one "declared" event and, when
    named, its author's permission. No notification is sent for them."""
    if count == 0:
        return 0
    tools = [t for t in Tool.objects.filter(collectivite=collectivite) if t.category != "business_software"]
    chatgpt = next((t for t in tools if t.name == demo.CHATGPT_FREE), None)
    alternatives = [t for t in tools if t.name in demo.SYNTHETIC_ALTERNATIVES and t.status == ToolStatus.APPROVED]
    use_cases = list(UseCase.objects.filter(collectivite=collectivite).exclude(name__startswith=demo.SYNTHETIC_PREFIX))
    authors = [
        (membership.user_id, membership.service_id)
        for membership in Membership.objects.filter(
            collectivite=collectivite, role__in=(Role.AGENT, Role.HEAD_OF_SERVICE), service__isnull=False
        ).order_by("pk")
    ]
    templates_by_category: dict[str, list[dict]] = {}
    for spec in demo.DECLARATIONS:
        templates_by_category.setdefault(spec["category"], []).append(spec)
    # Lock the collectivité row, as declaration_submit does, so references cannot collide.
    Collectivite.objects.select_for_update().filter(pk=collectivite.pk).first()
    prefix = f"DEC-{timezone.localdate().year}-"
    # Numbered references only: anonymous declarations take random ones (DEC-2026-A7KQ2M).
    last = Declaration.objects.filter(collectivite=collectivite, reference__regex=rf"^{prefix}[0-9]+$").aggregate(
        last=Max(Cast(Substr("reference", len(prefix) + 1), output_field=IntegerField()))
    )["last"]
    first = (last or 0) + 1
    start = Declaration.objects.filter(
        collectivite=collectivite, tasks__startswith=demo.SYNTHETIC_DECLARATION_PREFIX
    ).count()
    rng = random.Random(f"{collectivite.slug}:{start}")  # nosec B311 — reproducible demo data, not a secret
    now = timezone.now()
    moments = sorted(now - timedelta(days=rng.uniform(0, SYNTHETIC_DECLARATION_DAYS)) for _n in range(count))
    weights = SYNTHETIC_WEIGHTS
    objects = []
    for offset, declared in enumerate(moments):
        tool = chatgpt if chatgpt and rng.random() < SYNTHETIC_CHATGPT_SHARE else rng.choice(tools)
        category = tool.category
        template = rng.choice(templates_by_category.get(category) or demo.DECLARATIONS)
        if rng.random() < 0.5:
            data_entered = list(template["data_entered"])
        else:
            codes = list(weights["data"])
            data_entered = sorted(set(rng.choices(codes, weights=list(weights["data"].values()), k=rng.randint(1, 3))))
        anonymous = rng.random() < SYNTHETIC_ANONYMOUS_SHARE
        author_id, service_id = (None, None) if anonymous else rng.choice(authors)
        reference = f"{prefix}{first + offset:04d}"
        declaration = Declaration(
            collectivite=collectivite,
            reference=reference,
            author_id=author_id,
            service_id=service_id,
            submission_key=uuid.uuid5(demo.DECLARATION_KEY_NAMESPACE, f"{collectivite.slug}:{reference}"),
            tool=tool,
            category=category,
            tasks=f"{demo.SYNTHETIC_DECLARATION_PREFIX} {start + offset + 1:05d} — {template['tasks']}",
            frequency=rng.choice(DeclarationFrequency.values),
            used_since=(declared - timedelta(days=rng.randint(0, 400))).date(),
            device=weighted(rng, weights["device"]),
            account=weighted(rng, weights["account"]),
            data_entered=data_entered,
            output_use=sorted({weighted(rng, weights["output"]) for _n in range(rng.randint(1, 2))}),
            human_review=weighted(rng, weights["human_review"]),
            time_saved_minutes=rng.choice((15, 30, 45, 60, 90, 120, 180, 240)),
            need=template.get("need", ""),
            status=weighted(rng, weights["status"]),
        )
        declaration.apply_assessment()
        _synthetic_triage(declaration, declared, now, rng, acting_user, alternatives, use_cases)
        declaration.created_at = declared
        objects.append(declaration)
    with given_creation_dates(Declaration):
        Declaration.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    if any(obj.pk is None for obj in objects):  # databases that do not return ids from bulk inserts
        ids = dict(
            Declaration.objects.filter(
                collectivite=collectivite, reference__in=[o.reference for o in objects]
            ).values_list("reference", "pk")
        )
        for obj in objects:
            obj.pk = obj.id = ids[obj.reference]
    with given_creation_dates(DeclarationEvent):
        DeclarationEvent.objects.bulk_create(
            [
                DeclarationEvent(
                    declaration=obj,
                    actor_id=obj.author_id,
                    kind=Kind.SUBMITTED,
                    to_status=DeclarationStatus.RECEIVED,
                    created_at=obj.created_at,
                    notified_at=obj.created_at,
                )
                for obj in objects
            ],
            batch_size=BATCH_SIZE,
        )
    permission = Permission.objects.get(content_type__app_label="declarations", codename="view_declaration")
    DeclarationUserObjectPermission.objects.bulk_create(
        [
            DeclarationUserObjectPermission(permission=permission, user_id=obj.author_id, content_object=obj)
            for obj in objects
            if obj.author_id
        ],
        batch_size=BATCH_SIZE,
    )
    return count


def _synthetic_triage(declaration, declared, now, rng, acting_user, alternatives, use_cases) -> None:
    """The answer, links and breach assessment that match the status drawn for a synthetic declaration."""
    status = declaration.status
    if declaration.possible_breach:
        declaration.breach_deadline = declared + timedelta(hours=triage.BREACH_ASSESSMENT_HOURS)
        # Most breaches older than their deadline were assessed; recent ones are still to assess.
        if declaration.breach_deadline < now and rng.random() < 0.95:
            declaration.breach_outcome = weighted(rng, SYNTHETIC_WEIGHTS["breach_outcome"])
            declaration.breach_notes = demo.SYNTHETIC_BREACH_NOTES
            declaration.breach_assessed_at = declared + timedelta(hours=rng.uniform(2, 70))
            declaration.breach_assessed_by = acting_user
    if status in demo.SYNTHETIC_ANSWERS:
        declaration.answer = demo.SYNTHETIC_ANSWERS[status]
        declaration.answered_at = min(now, declared + timedelta(days=rng.uniform(0.5, 10)))
        declaration.version = 2
    if status == DeclarationStatus.ALTERNATIVE_OFFERED and alternatives:
        declaration.alternative_tool = rng.choice(alternatives)
    if status == DeclarationStatus.REGULARISED and use_cases:
        declaration.use_case = rng.choice(use_cases)


@contextlib.contextmanager
def given_creation_dates(*models):
    """Inserts keep the `created_at` given (dates spread over past months) instead of the moment of insertion
    (`auto_now_add`): one pass over the rows instead of an insert then an update of each."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def synthetic_owners(collectivite: Collectivite, count: int) -> list[User]:
    """`count` people of the collectivité (agents of its services, with no usable password) who own the
    synthetic checkpoints and receive their reminders."""
    prefix = audits_demo.SYNTHETIC_OWNER_PREFIX
    start = User.objects.filter(username__startswith=f"{prefix}.").count() + 1
    password = make_password(None)
    users = [
        User(
            username=f"{prefix}.{number:05d}",
            first_name="Contrôleur",
            last_name=f"Synthétique {number:05d}",
            email=f"{prefix}.{number:05d}@{collectivite.slug}.example.org",
            password=password,
        )
        for number in range(start, start + count)
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    if any(user.pk is None for user in users):  # databases that do not return ids from bulk inserts
        ids = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk"))
        for user in users:
            user.pk = user.id = ids[user.username]
    service_ids = list(Service.objects.filter(collectivite=collectivite).order_by("code").values_list("pk", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(
                user=user, collectivite=collectivite, role=Role.AGENT, service_id=service_ids[i % len(service_ids)]
            )
            for i, user in enumerate(users)
        ],
        batch_size=BATCH_SIZE,
    )
    return users
