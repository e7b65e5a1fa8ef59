"""A large collectivité generated in bulk on top of the demo, for the scale benchmark (`bench/scale.py`).

Tops the demo collectivité up to the volumes asked (running it again on the same database adds nothing):
services, people (one head per new service, agents spread over every service), use cases spread over the
services (classified by the rules engine, with history, "recorded" event, review round and the owner's object
permissions: `generators.bulk_use_cases`), the human-control checkpoints their classification requires on the live
ones, past attestations of those checkpoints, shadow-AI declarations (`generators.add_declarations`, with their
authors' object permissions), the ethics committee's permissions on the cases it examines, and public records.
Every insert is a bulk one; the draw is seeded, so two databases generated alike hold the same register.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Volumes:
    services: int = 50
    users: int = 5000
    use_cases: int = 10000
    attestations: int = 100000
    declarations: int = 50000
    published: int = 2000


BENCH_SERVICE_PREFIX = "BENCH"
BENCH_USER_PREFIX = "bench"
# Share of the attestations that found an issue.
ISSUE_SHARE = 0.04


def generate(volumes: Volumes, *, log=print) -> dict[str, float]:
    """Top the demo collectivité up to `volumes`; returns the seconds each step took."""
    from django.db import transaction

    from demo import register as demo
    from registry.models import Collectivite, User

    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    dpo = User.objects.get(username="dpo")
    seconds = {}
    steps = (
        ("services", lambda: _services(collectivite, volumes.services)),
        ("people", lambda: _people(collectivite, volumes.users)),
        ("use cases", lambda: _use_cases(collectivite, volumes.use_cases, dpo)),
        ("checkpoints", lambda: _checkpoints(collectivite)),
        ("attestations", lambda: _attestations(collectivite, volumes.attestations)),
        ("declarations", lambda: _declarations(collectivite, volumes.declarations, dpo)),
        ("committee permissions", lambda: _committee_permissions(collectivite)),
        ("public records", lambda: _published(collectivite, volumes.published)),
    )
    for name, step in steps:
        started = time.perf_counter()
        with transaction.atomic():
            added = step()
        seconds[name] = time.perf_counter() - started
        log(f"  {name}: {added} added in {seconds[name]:.1f} s")
    return seconds


def _services(collectivite, target: int) -> int:
    """New top-level directions, each with its path (`Service.save` computes it one by one)."""
    from registry.models import Service

    missing = target - Service.objects.filter(collectivite=collectivite).count()
    if missing <= 0:
        return 0
    start = Service.objects.filter(collectivite=collectivite, code__startswith=BENCH_SERVICE_PREFIX).count() + 1
    services = Service.objects.bulk_create(
        [
            Service(
                collectivite=collectivite, code=f"{BENCH_SERVICE_PREFIX}{n:02d}", name=f"Direction synthétique {n:02d}"
            )
            for n in range(start, start + missing)
        ]
    )
    for service in services:
        service.path = f"{service.pk:06d}/"
    Service.objects.bulk_update(services, ["path"])
    return len(services)


def _people(collectivite, target: int) -> int:
    """One head for each new service without one, then agents spread over every service, up to `target` members."""
    from django.contrib.auth.hashers import make_password

    from core.roles import Role
    from registry.models import Membership, Service, User

    members = User.objects.filter(memberships__collectivite=collectivite).distinct().count()
    missing = target - members
    if missing <= 0:
        return 0
    services = list(Service.objects.filter(collectivite=collectivite).order_by("path"))
    headed = set(
        Membership.objects.filter(collectivite=collectivite, role=Role.HEAD_OF_SERVICE).values_list(
            "service_id", flat=True
        )
    )
    start = User.objects.filter(username__startswith=f"{BENCH_USER_PREFIX}.").count() + 1
    password = make_password(None)  # nobody logs in with a password: the benchmark logs in directly
    people = []
    for offset, number in enumerate(range(start, start + missing)):
        heads = [service for service in services if service.pk not in headed]
        if heads:
            service, role = heads[0], Role.HEAD_OF_SERVICE
            headed.add(service.pk)
            username = f"{BENCH_USER_PREFIX}.chef.{number:05d}"
        else:
            service, role = services[offset % len(services)], Role.AGENT
            username = f"{BENCH_USER_PREFIX}.agent.{number:05d}"
        user = User(
            username=username,
            first_name="Agent" if role == Role.AGENT else "Chef",
            last_name=f"Synthétique {number:05d}",
            email=f"{username}@{collectivite.slug}.example.org",
            password=password,
        )
        people.append((user, service, role))
    User.objects.bulk_create([user for user, _service, _role in people], batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(user=user, collectivite=collectivite, role=role, service=service)
            for user, service, role in people
        ],
        batch_size=1000,
    )
    return len(people)


def _use_cases(collectivite, target: int, dpo) -> int:
    """Use cases cycling over the demo's, spread evenly over the services; each owned by its service's head
    (one in four) or by one of its agents."""
    from generators import bulk_use_cases

    from core.roles import Role
    from registry.models import Membership, Service, UseCase, User

    missing = target - UseCase.objects.filter(collectivite=collectivite).count()
    if missing <= 0:
        return 0
    services = list(Service.objects.filter(collectivite=collectivite).order_by("path"))
    people = {service.pk: {"heads": [], "agents": []} for service in services}
    users = User.objects.in_bulk(
        Membership.objects.filter(collectivite=collectivite, service__isnull=False).values_list("user_id", flat=True)
    )
    for membership in Membership.objects.filter(collectivite=collectivite, service__isnull=False).order_by("pk"):
        kind = "heads" if membership.role == Role.HEAD_OF_SERVICE else "agents"
        people[membership.service_id][kind].append(users[membership.user_id])
    rng = random.Random(f"{collectivite.slug}:bench-use-cases")  # nosec B311 — reproducible benchmark data

    def placement(offset: int):
        service = services[offset % len(services)]
        heads, agents = people[service.pk]["heads"], people[service.pk]["agents"]
        owners = heads if heads and (rng.random() < 0.25 or not agents) else agents or [dpo]
        return service, rng.choice(owners)

    # In batches: the rows of one batch are kept in memory with their history and reviews.
    added = 0
    while added < missing:
        batch = min(2000, missing - added)
        bulk_use_cases(collectivite, batch, acting_user=dpo, placement=lambda n, base=added: placement(base + n))
        added += batch
    return added


def _checkpoints(collectivite) -> int:
    """The checkpoints the classification requires, on every live use case that has none, owned by the use
    case's owner, due from two months ago to a month ahead (some overdue, as in real life)."""
    from django.utils import timezone

    from audits import schedule
    from audits.models import Checkpoint, CheckpointType
    from audits.selectors import LIVE
    from registry.models import UseCase

    types = {kind.code: kind for kind in CheckpointType.objects.filter(collectivite__isnull=True)}
    live = (
        UseCase.objects.filter(collectivite=collectivite, status__in=LIVE, checkpoints__isnull=True)
        .only("pk", "owner_id", "required_checkpoints")
        .order_by("pk")
    )
    rng = random.Random(f"{collectivite.slug}:bench-checkpoints")  # nosec B311 — reproducible benchmark data
    today = timezone.localdate()
    objects = []
    for use_case in live.iterator(chunk_size=2000):
        for code in use_case.required_checkpoints:
            kind = types.get(code)
            if kind is None:
                continue
            frequency = kind.default_frequency
            due = None if frequency == "each_use" else today + timedelta(days=rng.randint(-60, 30))
            previous = due - schedule.PERIODS[frequency] if due else None
            objects.append(
                Checkpoint(
                    use_case_id=use_case.pk,
                    type=kind,
                    origin=Checkpoint.Origin.REQUIRED,
                    owner_id=use_case.owner_id,
                    frequency=frequency,
                    next_due=due,
                    last_attested_on=previous if previous and previous <= today else None,
                )
            )
    Checkpoint.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def _attestations(collectivite, target: int) -> int:
    """Past attestations spread over the checkpoints, one per period back from the last one (at most two
    years back), by the checkpoint's owner; a few found an issue."""
    from django.db.models.functions import Coalesce
    from django.utils import timezone
    from generators import given_creation_dates

    from audits import schedule
    from audits.models import Attestation, Checkpoint

    missing = target - Attestation.objects.filter(checkpoint__use_case__collectivite=collectivite).count()
    if missing <= 0:
        return 0
    checkpoints = list(
        Checkpoint.objects.filter(use_case__collectivite=collectivite)
        .values_list("pk", Coalesce("owner_id", "use_case__owner_id"), "frequency", "last_attested_on")
        .order_by("pk")
    )
    if not checkpoints:
        return 0
    rng = random.Random(f"{collectivite.slug}:bench-attestations")  # nosec B311 — reproducible benchmark data
    today = timezone.localdate()
    # Each checkpoint attested once a period over a window of years, as long as needed to reach the target.
    years = 2
    while sum(_periods_in(frequency, years) for _pk, _owner, frequency, _last in checkpoints) < missing:
        years += 1
    capacity = sum(_periods_in(frequency, years) for _pk, _owner, frequency, _last in checkpoints)
    share = missing / capacity
    objects = []
    for pk, owner_id, frequency, last in checkpoints:
        moment = last or today - timedelta(days=rng.randint(1, 30))
        period = schedule.PERIODS.get(frequency) or timedelta(days=7)
        wanted = _periods_in(frequency, years) * share
        for _n in range(int(wanted) + (rng.random() < wanted % 1)):
            if len(objects) >= missing:
                break
            objects.append(
                Attestation(
                    checkpoint_id=pk,
                    attested_by_id=owner_id,
                    performed_on=moment,
                    outcome=Attestation.Outcome.ISSUE_FOUND if rng.random() < ISSUE_SHARE else Attestation.Outcome.OK,
                    comment="Contrôle fait (donnée synthétique).",
                    created_at=timezone.make_aware(timezone.datetime.combine(moment, timezone.datetime.min.time())),
                )
            )
            moment -= period
    with given_creation_dates(Attestation):
        Attestation.objects.bulk_create(objects, batch_size=5000)
    return len(objects)


def _periods_in(frequency: str, years: int) -> int:
    """How many times a checkpoint of this frequency is attested in `years` (weekly for one done at each use)."""
    return {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}.get(frequency, 52) * years


def _declarations(collectivite, target: int, dpo) -> int:
    from generators import add_declarations

    from declarations.models import Declaration

    missing = target - Declaration.objects.filter(collectivite=collectivite).count()
    added = 0
    while added < max(0, missing):
        added += add_declarations(collectivite, min(10000, missing - added), acting_user=dpo)
    return added


def _committee_permissions(collectivite) -> int:
    """The committee members' permission on each case waiting for the committee (the review service grants it
    one case at a time when a case is put before the committee)."""
    from django.contrib.auth.models import Permission

    from registry.choices import ReviewStatus
    from registry.models import CommitteeMember, Review, UseCaseUserObjectPermission

    permission = Permission.objects.get(content_type__app_label="registry", codename="review_usecase")
    members = list(CommitteeMember.objects.filter(collectivite=collectivite).values_list("user_id", flat=True))
    cases = Review.objects.filter(collectivite=collectivite, status=ReviewStatus.COMMITTEE).values_list(
        "use_case_id", flat=True
    )
    granted = set(
        UseCaseUserObjectPermission.objects.filter(permission=permission, content_object__in=cases).values_list(
            "user_id", "content_object_id"
        )
    )
    objects = [
        UseCaseUserObjectPermission(permission=permission, user_id=user, content_object_id=case)
        for case in cases
        for user in members
        if (user, case) not in granted
    ]
    UseCaseUserObjectPermission.objects.bulk_create(objects, batch_size=5000)
    return len(objects)


def _published(collectivite, target: int) -> int:
    from public_register import publish_synthetic

    return publish_synthetic(collectivite, target)


def counts(collectivite) -> dict[str, int]:
    """What the register holds, as the benchmark's header shows it."""
    from audits.models import Attestation, Checkpoint
    from declarations.models import Declaration, DeclarationUserObjectPermission
    from registry.models import Service, UseCase, UseCaseUserObjectPermission, User
    from transparency.models import Publication

    return {
        "services": Service.objects.filter(collectivite=collectivite).count(),
        "people": User.objects.filter(memberships__collectivite=collectivite).distinct().count(),
        "use cases": UseCase.objects.filter(collectivite=collectivite).count(),
        "checkpoints": Checkpoint.objects.filter(use_case__collectivite=collectivite).count(),
        "attestations": Attestation.objects.filter(checkpoint__use_case__collectivite=collectivite).count(),
        "declarations": Declaration.objects.filter(collectivite=collectivite).count(),
        "object permissions": UseCaseUserObjectPermission.objects.count()
        + DeclarationUserObjectPermission.objects.count(),
        "public records": Publication.objects.filter(collectivite=collectivite, state="published").count(),
    }
