"""Benchmark of the register's export (CSV, XLSX) and import (preview, apply) on the demo collectivité.

    .venv/bin/python benchmarks/exchange.py                      # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_bench .venv/bin/python benchmarks/exchange.py

It migrates the database, loads the demo and tops the synthetic use cases up to `--use-cases` (9,960 by
default: about 10,000 with the demo's), then measures, as the DPO, the export of the whole register as CSV and
as XLSX, and the preview and the apply of a file of `--lines` new use cases (1,000 by default; the apply is
rolled back, so a second run measures the same thing). Each row gives the wall time, the SQL queries and the
peak Python memory allocated (tracemalloc) of one run, after one warm-up run.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

from _common import describe_setup, run_main, seed


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # 9,960 synthetic use cases and the demo's make about 10,000 (the demo numbers at most 9,999 a year).
    parser.add_argument("--use-cases", type=int, default=9960, help="synthetic use cases on top of the demo")
    parser.add_argument("--lines", type=int, default=1000, help="lines of the imported file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args()


def measure(function) -> dict:
    """One warm-up run, then one run timed, one counted and one traced."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    gc.collect()
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    with CaptureQueriesContext(connection) as captured:
        function()
    queries = len(captured.captured_queries)
    tracemalloc.start()
    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    function()
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    return {"seconds": seconds, "queries": queries, "peak_mib": peak / (1024 * 1024), "result": result}


def run(args) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from demo import register as demo
    from exchange import export, services
    from registry.models import Collectivite, UseCase, User

    seconds, added, _declarations = seed(use_cases=args.use_cases)
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    dpo = User.objects.get(username="dpo")
    register = UseCase.objects.filter(collectivite=collectivite)
    count = register.count()
    service = collectivite.services.order_by("path").first()

    header = "reference;name;summary;purpose;service;technique;audience;personal_data_categories;start_date"
    lines = [
        f"BENCH-{n:05d};Usage importé {n};Un assistant aide les agents, ligne {n}.;Gagner du temps.;"
        f"{service.code};genai_text;agents;ordinary | financial;2025-01-{1 + n % 28:02d}"
        for n in range(args.lines)
    ]
    content = ("\r\n".join([header, *lines]) + "\r\n").encode("utf-8")

    def export_csv():
        return len(export.csv_bytes(register, collectivite))

    def export_xlsx():
        return len(export.xlsx_bytes(register, collectivite))

    def preview():
        record = services.import_preview(
            collectivite=collectivite, acting_user=dpo, uploaded_file=SimpleUploadedFile("bench.csv", content)
        )
        return record

    def preview_and_apply():
        with transaction.atomic():
            record = preview()
            assert record.counts["create"] == args.lines, record.counts
            started = time.perf_counter()
            services.import_apply(import_=record, acting_user=dpo)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    print("Registre IA — import and export benchmark")
    print(describe_setup())
    print(f"data: {count} use cases in {collectivite.name} ({added} added now, seeding took {seconds:.1f} s)")
    print(f"imported file: {args.lines} new use cases, {len(content) / 1024:.0f} KiB")
    print()
    header_row = f"{'operation':<40} {'seconds':>8} {'queries':>8} {'peak MiB':>9} {'output':>12}"
    print(header_row)
    print("-" * len(header_row))
    for label, function in (
        (f"export CSV ({count} use cases)", export_csv),
        (f"export XLSX ({count} use cases)", export_xlsx),
        (f"import preview ({args.lines} lines)", lambda: preview().counts["create"]),
    ):
        with transaction.atomic():
            measured = measure(function)
            transaction.set_rollback(True)
        output = measured["result"]
        output = f"{output / 1024:.0f} KiB" if label.startswith("export") else f"{output} new"
        print(
            f"{label:<40} {measured['seconds']:>8.2f} {measured['queries']:>8} "
            f"{measured['peak_mib']:>9.1f} {output:>12}"
        )
    measured = measure(preview_and_apply)
    label = f"import preview + apply ({args.lines} lines)"
    print(
        f"{label:<40} {measured['seconds']:>8.2f} {measured['queries']:>8} {measured['peak_mib']:>9.1f} "
        f"{'apply ' + format(measured['result'], '.2f') + ' s':>12}"
    )


if __name__ == "__main__":
    run_main(parse_args, run)
