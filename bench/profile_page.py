"""Profile one page or endpoint as one user: where the time goes (pyinstrument) and each SQL query's time.

    .venv/bin/python bench/profile_page.py dpo /registre/
    .venv/bin/python bench/profile_page.py chef "/api/v1/use-cases/?page_size=50" --explain

Defaults to the scale benchmark's database (`bench/scale.py --only prepare` makes it); `--database` for another.
`--explain` runs EXPLAIN ANALYZE on the slowest queries.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("username")
    parser.add_argument("url")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/registre_scale")
    parser.add_argument("--runs", type=int, default=5, help="requests profiled together")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the three slowest queries")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", args.database)

    from _common import setup_django

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from registry.models import User

    client = Client(raise_request_exception=True)
    if args.username != "anonymous":
        client.force_login(User.objects.get(username=args.username))
    for _ in range(3):
        response = client.get(args.url)
    print(f"{args.url}: {response.status_code}, {len(response.content) / 1024:.0f} KiB")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.runs):
        client.get(args.url)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    with CaptureQueriesContext(connection) as captured:
        client.get(args.url)
    queries = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
    total = sum(float(query["time"]) for query in queries)
    print(f"{len(queries)} queries, {total * 1000:.1f} ms in the database:")
    for query in queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    if args.explain:
        with connection.cursor() as cursor:
            for query in queries[:3]:
                if not query["sql"].lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n" + query["sql"][:500])
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
