"""Benchmark of the review workflow on the demo plus 9,000 use cases with their review rounds.

    .venv/bin/python benchmarks/reviews.py                      # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_ia_bench .venv/bin/python benchmarks/reviews.py

It migrates the database, loads the demo (`seed_demo`: the committee, its sessions and every use case's review
history), tops the synthetic use cases up to `--use-cases` (in bulk, `generators.add_use_cases`: each past the draft
has the
review round its status implies — waiting for opinions, for the committee, or decided), refreshes the planner's
statistics (ANALYZE), then measures:

- "Mes tâches" (`reporting.my_tasks.tasks_for`) of the DPO, the RSSI and the committee's chair, and the review list
  selector (`selectors.review_list`, count and first page) as the DPO;
- the same as web pages (`/mes-taches/`, `/examens/`), through Django's test client;
- the periodic re-review task (`services.rereviews_open_due`) on `--due` live use cases whose review date has
  passed, in batches of the task's default size and in one call;
- a full opinion → decision: the DPO's opinion, then the RSSI's that decides the round (conditions become
  checkpoints); and the chair's committee opinion that decides a case of the planned session.

Every write runs in a transaction rolled back afterwards, so each repetition starts from the same data and a
second run on the same database measures the same thing. Times are the minimum, median and 95th percentile
(nearest rank) of `--repeat` runs after a warm-up; queries are those of one run. On a busy machine, trust the
minimum and the median more than the p95.

Settings default to `config.settings.test` (DEBUG off as in production, fast password hashing); set
DJANGO_SETTINGS_MODULE to measure another configuration.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time

from _common import WARM_UP, describe_setup, percentile, print_table, run_main, seed


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--use-cases", type=int, default=9000, help="synthetic use cases on top of the demo (at most 9,999 a year)"
    )
    parser.add_argument("--due", type=int, default=2000, help="live use cases whose re-review falls due")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each read")
    parser.add_argument("--write-repeat", type=int, default=10, help="timed runs of each write")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args()


class QueryCounter:
    """Counts the SQL queries run (without keeping them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Rollback(Exception):
    """Leaves the measuring transaction, undoing what the measured call wrote."""


def measure(label: str, call, repeat: int, *, prepare=None, write: bool = False) -> dict:
    """`call(prepared)` timed `repeat` times after a warm-up; a write runs in a transaction rolled back each time,
    `prepare()` (not timed) giving it what it acts on."""
    from django.db import connection, transaction

    def once(counter=None) -> tuple[float, object]:
        try:
            with transaction.atomic():
                prepared = prepare() if prepare else None
                started = time.perf_counter()
                if counter is None:
                    result = call(prepared)
                else:
                    with connection.execute_wrapper(counter):
                        result = call(prepared)
                seconds = time.perf_counter() - started
                if write:
                    raise Rollback
        except Rollback:
            pass
        return seconds, result

    for _ in range(1 if write else WARM_UP):
        once()
    timings = [once()[0] * 1000 for _ in range(repeat)]
    counter = QueryCounter()
    _seconds, result = once(counter)
    return {
        "label": label,
        "minimum": min(timings),
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": counter.count,
        "result": result,
    }


def print_rows(rows: list[dict], width: int = 64) -> None:
    header = f"{'call':<{width}} {'min ms':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  result"
    print(header)
    print("-" * (len(header) + 20))
    for row in rows:
        print(
            f"{row['label']:<{width}} {row['minimum']:>8.1f} {row['median']:>10.1f} {row['p95']:>8.1f} "
            f"{row['queries']:>8}  {row['shown']}",
            flush=True,
        )


def run(args) -> None:
    from django.db.models import Count, Exists, OuterRef
    from django.test import Client
    from django.utils import timezone

    from core.access import get_access
    from demo import register as demo
    from registry import selectors, services
    from registry.choices import OPEN_REVIEW_STATUSES, ReviewStatus, SessionStatus, UseCaseStatus
    from registry.models import AgendaItem, Collectivite, Review, UseCase, User
    from reporting import my_tasks

    seconds, added, _declarations = seed(use_cases=args.use_cases)
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    people = {name: User.objects.get(username=name) for name in ("dpo", "rssi", "comite")}
    access = {name: get_access(user, collectivite) for name, user in people.items()}
    rounds = dict(
        Review.objects.filter(collectivite=collectivite).values_list("status").annotate(n=Count("pk")).order_by()
    )

    print("Registre IA — review workflow benchmark")
    print(describe_setup())
    print(
        f"data: {UseCase.objects.filter(collectivite=collectivite).count()} use cases in {collectivite.name} "
        f"({added} added now, seeding took {seconds:.1f} s); review rounds: "
        + ", ".join(f"{count} {status}" for status, count in sorted(rounds.items()))
    )
    print(f"reads: {WARM_UP} warm-up, then {args.repeat} timed; writes: 1 warm-up, then {args.write_repeat} timed")
    print()

    # Reads -------------------------------------------------------------------------------------------------
    rows = []
    for name in ("dpo", "rssi", "comite"):
        row = measure(
            f"tasks_for({name})", lambda _p, name=name: my_tasks.tasks_for(people[name], access[name]), args.repeat
        )
        row["shown"] = ", ".join(f"{key} {len(items)}" for key, items in row["result"].items() if items)
        rows.append(row)

    def review_list_page(_prepared):
        queryset = selectors.review_list(people["dpo"], access["dpo"])
        return queryset.count(), len(list(queryset[:50]))

    row = measure("review_list(dpo): count + first 50 rows", review_list_page, args.repeat)
    row["shown"] = f"{row['result'][1]}/{row['result'][0]} rounds"
    rows.append(row)

    # Writes ------------------------------------------------------------------------------------------------
    today = timezone.localdate()
    live = (UseCaseStatus.APPROVED, UseCaseStatus.APPROVED_WITH_CONDITIONS, UseCaseStatus.IN_PRODUCTION)
    open_round = Review.objects.filter(use_case=OuterRef("pk"), status__in=OPEN_REVIEW_STATUSES)
    candidates = list(
        UseCase.objects.filter(collectivite=collectivite, status__in=live, name__startswith=demo.SYNTHETIC_PREFIX)
        .exclude(Exists(open_round))
        .order_by("pk")
        .values_list("pk", flat=True)[: args.due]
    )

    def make_due():
        UseCase.objects.filter(pk__in=candidates).update(next_review_on=today - datetime.timedelta(days=1))

    def open_in_batches(_prepared):
        opened = batches = 0
        while True:
            count = services.rereviews_open_due(today=today)
            batches += 1
            opened += count
            if count == 0:
                return opened, batches

    row = measure(
        f"rereviews_open_due on {len(candidates)} due, batches of 500",
        open_in_batches,
        max(3, args.write_repeat // 3),
        prepare=make_due,
        write=True,
    )
    row["shown"] = f"{row['result'][0]} opened in {row['result'][1]} calls"
    rows.append(row)
    row = measure(
        f"rereviews_open_due on {len(candidates)} due, one call",
        lambda _p: services.rereviews_open_due(today=today, limit=len(candidates) + 100),
        max(3, args.write_repeat // 3),
        prepare=make_due,
        write=True,
    )
    row["shown"] = f"{row['result']} opened"
    rows.append(row)

    # Rounds waiting for both opinions, that opinions alone decide (no committee).
    waiting = list(
        Review.objects.filter(
            collectivite=collectivite, status=ReviewStatus.OPINIONS, ethics_required=False, opinions__isnull=True
        ).order_by("pk")[: args.write_repeat + 2]
    )
    cycle = iter(waiting * (args.write_repeat + 2))
    conditions = ["Relire chaque document produit avant diffusion."]

    def first_opinion(review):
        return services.opinion_give(
            review=review,
            acting_user=people["dpo"],
            role="dpo",
            data={"verdict": "favourable_with_conditions", "comment": "Avis de la DPO.", "conditions": conditions},
        )

    def with_dpo_opinion():
        review = next(cycle)
        first_opinion(review)
        return review

    row = measure(
        "opinion_give: the DPO's opinion", first_opinion, args.write_repeat, prepare=lambda: next(cycle), write=True
    )
    row["shown"] = "use case → in review"
    rows.append(row)

    def deciding_opinion(review):
        services.opinion_give(
            review=review, acting_user=people["rssi"], role="rssi", data={"verdict": "favourable", "comment": ""}
        )
        review.refresh_from_db()
        return review.decision

    row = measure(
        "opinion_give: the RSSI's, which decides (condition → checkpoint)",
        deciding_opinion,
        args.write_repeat,
        prepare=with_dpo_opinion,
        write=True,
    )
    row["shown"] = f"decision {row['result']}"
    rows.append(row)

    items = list(
        AgendaItem.objects.filter(session__collectivite=collectivite, session__status=SessionStatus.PLANNED, opinion="")
    )
    item_cycle = iter(items * (args.write_repeat + 2))

    def committee_decides(item):
        services.committee_opinion_record(
            item=item, acting_user=people["comite"], opinion="favourable", comment="Avis favorable du comité."
        )
        return Review.objects.get(pk=item.review_id).decision

    if items:
        row = measure(
            "committee_opinion_record: the chair's, which decides",
            committee_decides,
            args.write_repeat,
            prepare=lambda: next(item_cycle),
            write=True,
        )
        row["shown"] = f"decision {row['result']}"
        rows.append(row)

    print_rows(rows)
    print()

    # Pages -------------------------------------------------------------------------------------------------
    for name, urls in (("dpo", ["/mes-taches/", "/examens/", "/examens/?page=10"]), ("comite", ["/mes-taches/"])):
        client = Client(raise_request_exception=False)
        client.force_login(people[name])
        print(f"pages as {name}:")
        print_table(client, urls, args.repeat)
        print()


if __name__ == "__main__":
    run_main(parse_args, run)
