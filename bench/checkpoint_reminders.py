"""Benchmark of the human-control reminders and the compliance summary, on the demo plus 100,000 checkpoints.

    .venv/bin/python benchmarks/checkpoint_reminders.py                # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_bench4 .venv/bin/python benchmarks/checkpoint_reminders.py

It migrates the database, loads the demo (`seed_demo`), tops the synthetic checkpoints up to `--checkpoints`
(`generators.add_checkpoints`, in bulk: live use cases, one owner for about 25 checkpoints, varied frequencies, next due
dates from 60 days ago to 30 days ahead), refreshes the planner's statistics (ANALYZE), then measures what
celery beat runs every morning, `audits.reminders.send_checkpoint_reminders()`, with the in-memory e-mail
backend:

- the first run, which has every reminder to send (the reminders logged by an earlier benchmark on the same
  database are forgotten first): wall time, SQL queries, reminders, e-mails;
- the same first run again (after forgetting its reminders) under tracemalloc, for the peak Python memory:
  tracing slows Python down, so it is not the timed run;
- a second run, which must send nothing (idempotence): its time and queries;

then the compliance summary the DPO sees (`audits.selectors.compliance_summary`): minimum and median of
`--repeat` runs, SQL queries and peak Python memory of one.

Settings default to `config.settings.test` (DEBUG off as in production, fast password hashing); set
DJANGO_SETTINGS_MODULE to measure another configuration.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

from _common import analyse, describe_setup, run_main, seed


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoints", type=int, default=100_000, help="synthetic checkpoints on top of the demo")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of the compliance summary")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args()


class QueryCounter:
    """Counts the SQL queries run (without keeping them, which would weigh on the memory measured)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def top_up_checkpoints(wanted: int) -> tuple[float, int]:
    from django.db import transaction
    from generators import add_checkpoints

    from audits.models import Checkpoint
    from demo import checkpoints as demo
    from demo import register
    from registry.models import Collectivite, User

    started = time.perf_counter()
    missing = max(
        0, wanted - Checkpoint.objects.filter(use_case__name__startswith=demo.SYNTHETIC_USE_CASE_PREFIX).count()
    )
    if missing:
        collectivite = Collectivite.objects.get(slug=register.COLLECTIVITE["slug"])
        with transaction.atomic():
            add_checkpoints(collectivite, missing, acting_user=User.objects.get(username="dpo"))
        analyse()
    return time.perf_counter() - started, missing


def forget_reminders() -> None:
    from audits.models import DigestLog, ReminderLog

    ReminderLog.objects.all().delete()
    DigestLog.objects.all().delete()


def reminders_run(*, traced: bool = False) -> dict:
    """One run of the reminder task, in-process: seconds, queries, its counts, e-mails sent, peak memory."""
    from django.core import mail
    from django.db import connection

    from audits.reminders import send_checkpoint_reminders

    mail.outbox = []
    counter = QueryCounter()
    gc.collect()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        run = send_checkpoint_reminders()
    seconds = time.perf_counter() - started
    peak = None
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    return {
        "seconds": seconds,
        "queries": counter.count,
        "run": run,
        "emails": len(mail.outbox),
        "lines": sum(message.body.count("\n- ") for message in mail.outbox),
        "kib": sum(len(message.body) for message in mail.outbox) / 1024,
        "peak_mib": peak,
    }


def compliance_runs(user, access, repeat: int) -> dict:
    from django.db import connection

    from audits.selectors import compliance_summary

    for _ in range(2):
        compliance_summary(user, access)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        compliance_summary(user, access)
        timings.append((time.perf_counter() - started) * 1000)
    counter = QueryCounter()
    gc.collect()
    tracemalloc.start()
    with connection.execute_wrapper(counter):
        summary = compliance_summary(user, access)
    peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    tracemalloc.stop()
    return {
        "minimum": min(timings),
        "median": statistics.median(timings),
        "queries": counter.count,
        "peak_mib": peak,
        "summary": summary,
    }


def run(args) -> None:
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.test.utils import override_settings
    from django.utils import timezone

    from audits.models import Checkpoint
    from audits.schedule import DUE_SOON_DAYS
    from audits.selectors import LIVE
    from core.access import get_access
    from demo import register as demo
    from registry.models import Collectivite, User

    seed_seconds, _use_cases, _declarations = seed()
    top_up_seconds, added = top_up_checkpoints(args.checkpoints)
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    today = timezone.localdate()
    live = Q(active=True, use_case__status__in=LIVE, next_due__isnull=False)
    totals = Checkpoint.objects.aggregate(
        total=Count("pk"),
        live=Count("pk", filter=live),
        overdue=Count("pk", filter=live & Q(next_due__lt=today)),
        due_soon=Count("pk", filter=live & Q(next_due__gte=today, next_due__lte=today + timedelta(days=DUE_SOON_DAYS))),
        owners=Count("owner", distinct=True),
    )

    print("Registre IA — human-control reminders benchmark")
    print(describe_setup())
    print(
        f"data: {totals['total']} checkpoints ({totals['live']} scheduled on live use cases: {totals['overdue']} "
        f"overdue, {totals['due_soon']} due within {DUE_SOON_DAYS} days), {totals['owners']} owners; "
        f"{added} added now (seeding took {seed_seconds + top_up_seconds:.1f} s)"
    )
    print("e-mail backend: in memory (locmem); the reminders already logged are forgotten before the first run")
    print()

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        forget_reminders()
        first = reminders_run()
        forget_reminders()
        traced = reminders_run(traced=True)
        second = reminders_run()

    header = f"{'run':<40} {'seconds':>8} {'queries':>8} {'reminders':>10} {'e-mails':>8} {'lines':>7} {'KiB':>7}"
    header += f" {'peak MiB':>9}"
    print(header)
    print("-" * len(header))
    for label, result in (
        ("send_checkpoint_reminders(), first run", first),
        ("  same, under tracemalloc (memory only)", traced),
        ("send_checkpoint_reminders(), second run", second),
    ):
        reminders = result["run"].due_soon + result["run"].overdue
        peak = f"{result['peak_mib']:>9.1f}" if result["peak_mib"] is not None else f"{'—':>9}"
        print(
            f"{label:<40} {result['seconds']:>8.2f} {result['queries']:>8} {reminders:>10} {result['emails']:>8} "
            f"{result['lines']:>7} {result['kib']:>7.0f} {peak}"
        )
    run_first = first["run"]
    print(
        f"first run: {run_first.due_soon} due soon + {run_first.overdue} overdue reminders, "
        f"{run_first.emails} owner e-mails and {run_first.digests} DPO digest(s); "
        f"{1000 * first['seconds'] / max(1, totals['live']):.3f} ms per scheduled checkpoint"
    )
    print()

    dpo = User.objects.get(username="dpo")
    compliance = compliance_runs(dpo, get_access(dpo, collectivite), args.repeat)
    summary = compliance["summary"]
    print(f"{'compliance_summary(dpo)':<40} {'min ms':>8} {'median ms':>10} {'queries':>8} {'peak MiB':>9}")
    print(
        f"{'':<40} {compliance['minimum']:>8.1f} {compliance['median']:>10.1f} {compliance['queries']:>8} "
        f"{compliance['peak_mib']:>9.1f}"
    )
    print(
        f"overall {summary['overall'].rate}% on time over {summary['overall'].total} checkpoints, "
        f"{len(summary['services'])} services, {len(summary['use_cases'])} use cases, "
        f"{len(summary['overdue'])} overdue listed (at most 500)"
    )


if __name__ == "__main__":
    run_main(parse_args, run)
