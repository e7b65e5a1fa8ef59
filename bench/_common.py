"""What the benchmarks share: Django set up on the database to measure, the demo seeded to a volume, and
one page or endpoint measured (time, SQL queries, peak memory) and printed as a table row."""

from __future__ import annotations

import gc
import io
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 3
MEMORY_RUNS = 3


def setup_django() -> str | None:
    """Point Django at the database to measure; returns the temporary directory to remove, if any."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # As in production: one database connection kept across requests, not one per request.
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "60")
    # No collectstatic for a benchmark: WhiteNoise's warning about it is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = tempfile.mkdtemp(prefix="registre-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}/bench.sqlite3"
    import django

    django.setup()
    return temporary


def seed(*, use_cases: int = 0, declarations: int = 0) -> tuple[float, int, int]:
    """Migrate, load the demo and top the synthetic use cases and declarations up to the numbers given, in bulk
    (bench/generators.py; so a second run on the same database measures the same volume); returns (seconds, use
    cases added, declarations added)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from generators import add_declarations, add_use_cases

    from declarations.models import Declaration
    from demo import register as demo
    from registry.models import Collectivite, UseCase, User

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    # New demo users get the demo password; existing ones keep theirs (the benchmark logs in without it).
    with override_settings(DEMO_ALLOW_DEFAULT_PASSWORD=True):
        call_command("seed_demo", stdout=io.StringIO())
        missing_use_cases = max(0, use_cases - UseCase.objects.filter(name__startswith=demo.SYNTHETIC_PREFIX).count())
        synthetic = Declaration.objects.filter(tasks__startswith=demo.SYNTHETIC_DECLARATION_PREFIX)
        missing_declarations = max(0, declarations - synthetic.count())
    if missing_use_cases or missing_declarations:
        collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
        dpo = User.objects.get(username="dpo")
        with transaction.atomic():
            add_use_cases(collectivite, missing_use_cases, acting_user=dpo)
            add_declarations(collectivite, missing_declarations, acting_user=dpo)
    analyse()
    return time.perf_counter() - started, missing_use_cases, missing_declarations


def analyse() -> None:
    """Refresh the planner's statistics (and, on PostgreSQL, the visibility map that index-only scans rely on)
    after the bulk load, as autovacuum would within a minute in production: measured right after the insert,
    PostgreSQL would plan for the empty tables it last saw."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def rows_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        payload = response.json()
        if isinstance(payload, dict) and isinstance(payload.get("results"), list):
            return f"{len(payload['results'])}/{payload.get('count', '?')}"
    return "—"


def measure(client, url: str, repeat: int) -> dict:
    """A few warm-up requests, then `repeat` timed ones; the SQL queries and the peak Python memory of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()
    response = None
    for _ in range(WARM_UP):
        response = client.get(url)
    result = {
        "url": url,
        "status": response.status_code,
        "rows": rows_of(response),
        "kib": len(response.content) / 1024,
    }
    if response.status_code != 200:
        return result

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Read now: the next request resets the connection's query log.
    queries = len(captured.captured_queries)
    peaks = []
    tracemalloc.start()
    for _ in range(MEMORY_RUNS):
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        client.get(url)
        peaks.append(tracemalloc.get_traced_memory()[1] - baseline)
    tracemalloc.stop()
    result.update(
        minimum=min(timings),
        median=statistics.median(timings),
        p95=percentile(timings, 0.95),
        queries=queries,
        peak_mib=statistics.median(peaks) / (1024 * 1024),
    )
    return result


def describe_setup() -> str:
    """The database, versions and settings the figures were measured with."""
    import django
    from django.conf import settings
    from django.db import connection

    database = connection.vendor
    if database == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} ({settings.DATABASES['default']['NAME']})"
    else:
        database = f"{connection.display_name} {'.'.join(map(str, divmod(connection.pg_version, 10000)))}"
    return (
        f"database: {database} | Django {django.get_version()} | Python {platform.python_version()} | "
        f"settings {os.environ['DJANGO_SETTINGS_MODULE']} | "
        f"CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}"
    )


def print_table(client, urls: list[str], repeat: int, width: int = 58) -> list[dict]:
    """Measure each URL and print one row per URL; a URL that does not answer 200 shows its status only."""
    header = f"{'request':<{width}} {'status':>6} {'rows':>9} {'min ms':>7} {'median ms':>10} {'p95 ms':>8} "
    header += f"{'queries':>8} {'peak MiB':>9} {'KiB':>7}"
    print(header)
    print("-" * len(header))
    results = []
    for url in urls:
        result = measure(client, url, repeat)
        line = f"{url:<{width}} {result['status']:>6} {result['rows']:>9} "
        if result["status"] == 200:
            line += (
                f"{result['minimum']:>7.1f} {result['median']:>10.1f} {result['p95']:>8.1f} {result['queries']:>8} "
                f"{result['peak_mib']:>9.2f} {result['kib']:>7.0f}"
            )
        else:
            line += f"{'—':>7} {'—':>10} {'—':>8} {'—':>8} {'—':>9} {result['kib']:>7.0f}"
        print(line, flush=True)
        results.append(result)
    return results


def run_main(parse_args, run) -> None:
    """Parse the arguments, set Django up, run the benchmark, and remove the temporary SQLite file."""
    import shutil

    args = parse_args()
    temporary = setup_django()
    try:
        run(args)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(temporary, ignore_errors=True)
        elif temporary:
            print(f"SQLite file kept: {temporary}/bench.sqlite3")


def describe_versions() -> str:
    """The machine and the versions, without Django set up (the parent of the scale benchmark)."""
    import psycopg

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "?",
    )
    memory = next(
        (int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line),
        0,
    )
    try:
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres") as connection:
            server = connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        server = "?"
    return (
        f"machine: {os.cpu_count()} cores ({cpu}), {memory:,} MiB | PostgreSQL {server} | "
        f"Python {platform.python_version()}"
    )
