"""Benchmark of the PDF documents: the annual charter, the annual audit report and one use-case audit report, on the
demo plus 1,000 synthetic use cases.

    .venv/bin/python benchmarks/documents.py                      # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_ia_docbench .venv/bin/python benchmarks/documents.py

It migrates the database, loads the demo (`seed_demo`), tops the synthetic use cases up to `--use-cases`
(in bulk: `generators.add_use_cases`), refreshes the planner's statistics (ANALYZE), picks the richest use case
of the demo (the most events, history records, reviews, checkpoints, attestations and incidents), then generates each
document `--runs` times, each time in a fresh Python process as a Celery worker's first task would: Django set up
and WeasyPrint imported first, then the builder (`audits.documents.build_spec`: the data and the template's
context) and the rendering (`audits.pdf.render_pdf`) are timed, the builder's SQL queries counted, and the
process's peak resident memory read from `getrusage(RUSAGE_SELF).ru_maxrss` once done ("RSS before" is the
resident memory just before building, Django and WeasyPrint loaded). Nothing is written to the database: the
document is an unsaved row; the PDFs are kept in a temporary directory to look at.

The table shows, per document, the median of the runs for the times and the largest peak memory.

Settings default to `config.settings.test` (DEBUG off as in production); set DJANGO_SETTINGS_MODULE to measure
another configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import describe_setup, run_main, seed, setup_django

DOCUMENTS = ("charter", "annual_report", "use_case_report")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--use-cases", type=int, default=1000, help="synthetic use cases on top of the demo")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per document")
    parser.add_argument("--year", type=int, default=None, help="year of the charter and annual report (this year)")
    parser.add_argument("--output", default=None, help="where to keep the PDFs (a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    parser.add_argument(
        "--child", nargs=4, metavar=("KIND", "COLLECTIVITE", "SUBJECT", "OUTPUT"), help=argparse.SUPPRESS
    )
    return parser.parse_args()


# --- In the child process: one document, measured ------------------------------------------------------------


def current_rss_kib() -> int:
    """The process's resident memory now (Linux), else its peak so far."""
    import resource

    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(kind: str, slug: str, subject: str, output: str) -> None:
    """`subject`: the use case's id for a use-case report, else the year."""
    import logging
    import resource
    import time

    setup_django()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    import weasyprint  # noqa: F401  (a worker has it loaded before its task)
    from django.db import connection
    from django.utils import timezone

    from documents.models import Document
    from documents.pdf import render_pdf
    from documents.services import build_spec, subject_key
    from registry.models import Collectivite, UseCase

    collectivite = Collectivite.objects.get(slug=slug)
    use_case = UseCase.objects.get(pk=int(subject)) if kind == "use_case_report" else None
    year = None if use_case else int(subject)
    document = Document(
        collectivite=collectivite,
        kind=kind,
        use_case=use_case,
        year=year,
        subject_key=subject_key(kind, use_case=use_case, year=year),
    )
    base = current_rss_kib()

    queries = []
    started = time.perf_counter()
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        spec = build_spec(document)
    built = time.perf_counter()
    rendered = render_pdf(spec, collectivite=collectivite, generated_at=timezone.now())
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = Path(output) / f"{kind}.pdf"
    path.write_bytes(rendered.content)
    print(
        json.dumps(
            {
                "build": built - started,
                "render": done - built,
                "total": done - started,
                "queries": len(queries),
                "base_kib": base,
                "peak_kib": peak,
                "pages": rendered.pages,
                "bytes": len(rendered.content),
                "path": str(path),
            }
        )
    )


# --- In the parent: the data, the runs, the table --------------------------------------------------------------


def richest_use_case(collectivite):
    """The demo's use case with the most to report (synthetic ones excluded)."""
    from django.db.models import Count

    from audits.models import Attestation
    from demo import register as demo
    from registry.models import UseCase

    cases = (
        UseCase.objects.filter(collectivite=collectivite)
        .exclude(name__startswith=demo.SYNTHETIC_PREFIX)
        .annotate(
            n_events=Count("events", distinct=True),
            n_reviews=Count("reviews", distinct=True),
            n_checkpoints=Count("checkpoints", distinct=True),
            n_incidents=Count("incidents", distinct=True),
        )
        .order_by("reference")  # a tie goes to the first reference, on every database
    )
    attestations = dict(
        Attestation.objects.filter(checkpoint__use_case__collectivite=collectivite)
        .values_list("checkpoint__use_case")
        .annotate(n=Count("pk"))
    )

    def score(case):
        history = case.history.count()
        return (
            case.n_events + case.n_reviews + case.n_checkpoints + case.n_incidents + attestations.get(case.pk, 0)
        ) + history

    return max(cases, key=score)


def run_child(kind: str, slug: str, subject: str, output: str, env: dict | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, slug, subject, output]
    finished = subprocess.run(command, capture_output=True, text=True, env=env or os.environ.copy(), check=False)
    if finished.returncode != 0:
        return {"error": (finished.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(finished.stdout.strip().splitlines()[-1])


def run(args) -> None:
    import logging

    from django.db import connections
    from django.utils import timezone

    from demo import register as demo
    from registry.models import Collectivite, UseCase

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # the demo's published charter is rendered
    seed_seconds, added, _declarations = seed(use_cases=args.use_cases)
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    year = args.year or timezone.localdate().year
    richest = richest_use_case(collectivite)
    output = args.output or tempfile.mkdtemp(prefix="registre-docbench-")
    Path(output).mkdir(parents=True, exist_ok=True)
    total_cases = UseCase.objects.filter(collectivite=collectivite).count()
    in_production = UseCase.objects.filter(collectivite=collectivite, status="in_production").count()
    connections.close_all()  # the children open their own

    print("Registre IA — PDF documents benchmark")
    print(describe_setup())
    print(
        f"data: {total_cases} use cases ({in_production} in production), {added} synthetic added now "
        f"(seeding took {seed_seconds:.1f} s); year {year}; richest use case {richest.reference} "
        f"“{richest.name}”"
    )
    print(f"each document generated {args.runs} times, each in a fresh process; PDFs in {output}")
    print()
    subjects = {"charter": str(year), "annual_report": str(year), "use_case_report": str(richest.pk)}
    labels = {
        "charter": f"annual charter {year}",
        "annual_report": f"annual audit report {year}",
        "use_case_report": f"use-case report {richest.reference}",
    }
    header = (
        f"{'document':<30} {'build s':>8} {'render s':>9} {'total s':>8} {'queries':>8} {'RSS before':>10} "
        f"{'peak MiB':>9} {'pages':>6} {'KiB':>7}"
    )
    print(header)
    print("-" * len(header))
    for kind in DOCUMENTS:
        results = [run_child(kind, collectivite.slug, subjects[kind], output) for _ in range(args.runs)]
        errors = [result["error"] for result in results if "error" in result]
        if errors:
            print(f"{labels[kind]:<30} failed: {errors[0]}", flush=True)
            continue
        median = {key: statistics.median(result[key] for result in results) for key in ("build", "render", "total")}
        last = results[-1]
        print(
            f"{labels[kind]:<30} {median['build']:>8.2f} {median['render']:>9.2f} {median['total']:>8.2f} "
            f"{last['queries']:>8} {max(r['base_kib'] for r in results) / 1024:>10.0f} "
            f"{max(r['peak_kib'] for r in results) / 1024:>9.0f} {last['pages']:>6} {last['bytes'] / 1024:>7.0f}",
            flush=True,
        )


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.child:
        child(*arguments.child)
    else:
        run_main(lambda: arguments, run)
