"""Benchmark of the register list, web page and API, on the demo collectivité plus 2,000 use cases.

    .venv/bin/python benchmarks/register_list.py                      # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_bench .venv/bin/python benchmarks/register_list.py

It migrates the database, loads the demo (`seed_demo`), tops the synthetic use cases up to `--use-cases`
(so running it again on the same database measures the same volume), then requests each page as the DPO
(who sees the whole register) with Django's test client: a few warm-up requests, then `--repeat` timed
ones. It prints the minimum, median and 95th percentile (nearest rank) time, the SQL queries of one
request and the peak Python memory allocated during one request (tracemalloc). A page that does not answer
200 is reported with its status. On a busy machine, trust the minimum and the median more than the p95.

Settings default to `config.settings.test` (DEBUG off as in production, fast password hashing); set
DJANGO_SETTINGS_MODULE to measure another configuration.
"""

from __future__ import annotations

import argparse
import gc
import io
import math
import os
import platform
import shutil
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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--use-cases", type=int, default=2000, help="synthetic use cases on top of the demo")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args()


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


def seed(target: int) -> tuple[float, int]:
    """Migrate, load the demo and top the synthetic use cases up to `target`; returns (seconds, added)."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    from registry import demo
    from registry.models import UseCase

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    # New demo users get the demo password; existing ones keep theirs (the benchmark logs in without it).
    with override_settings(DEMO_ALLOW_DEFAULT_PASSWORD=True):
        call_command("seed_demo", stdout=io.StringIO())
        existing = UseCase.objects.filter(name__startswith=demo.SYNTHETIC_PREFIX).count()
        missing = max(0, target - existing)
        if missing:
            call_command("seed_demo", use_cases=missing, stdout=io.StringIO())
    return time.perf_counter() - started, missing


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


def main() -> None:
    args = parse_args()
    temporary = setup_django()
    try:
        run(args)
    finally:
        if temporary and not args.keep:
            shutil.rmtree(temporary, ignore_errors=True)
        elif temporary:
            print(f"SQLite file kept: {temporary}/bench.sqlite3")


def run(args) -> None:
    import django
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from registry import demo
    from registry.models import Collectivite, Service, UseCase, User
    from registry.permissions import get_access
    from registry.selectors import use_cases_visible_to

    seconds, added = seed(args.use_cases)
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    dpo = User.objects.get(username="dpo")
    visible = use_cases_visible_to(dpo, get_access(dpo, collectivite)).count()
    solidarities = Service.objects.get(collectivite=collectivite, code="DSOL")
    client = Client(raise_request_exception=False)
    client.force_login(dpo)

    requests = [
        "/registre/",
        f"/registre/?service={solidarities.pk}&ai_act_risk=high&q=demande",
        "/registre/?page=20",
        "/api/v1/use-cases/",
        "/api/v1/use-cases/?page_size=200",
        "/api/v1/use-cases/?ai_act_risk=high&search=demande",
    ]

    database = connection.vendor
    if database == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} ({settings.DATABASES['default']['NAME']})"
    else:
        database = f"{connection.display_name} {'.'.join(map(str, divmod(connection.pg_version, 10000)))}"
    print("Registre IA — register list benchmark")
    print(
        f"database: {database} | Django {django.get_version()} | Python {platform.python_version()} | "
        f"settings {os.environ['DJANGO_SETTINGS_MODULE']} | "
        f"CONN_MAX_AGE {settings.DATABASES['default']['CONN_MAX_AGE']}"
    )
    print(
        f"data: {UseCase.objects.filter(collectivite=collectivite).count()} use cases in {collectivite.name} "
        f"({added} added now, seeding took {seconds:.1f} s); logged in as dpo, who sees {visible}"
    )
    print(f"each request: {WARM_UP} warm-up, then {args.repeat} timed; queries and memory of one request")
    print()
    header = f"{'request':<58} {'status':>6} {'rows':>9} {'min ms':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8} "
    header += f"{'peak MiB':>9} {'KiB':>7}"
    print(header)
    print("-" * len(header))
    for url in requests:
        result = measure(client, url, args.repeat)
        line = f"{url:<58} {result['status']:>6} {result['rows']:>9} "
        if result["status"] == 200:
            line += (
                f"{result['minimum']:>7.1f} {result['median']:>10.1f} {result['p95']:>8.1f} {result['queries']:>8} "
                f"{result['peak_mib']:>9.2f} {result['kib']:>7.0f}"
            )
        else:
            line += f"{'—':>7} {'—':>10} {'—':>8} {'—':>8} {'—':>9} {result['kib']:>7.0f}"
        print(line)


if __name__ == "__main__":
    main()
