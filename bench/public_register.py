"""Benchmark of the public register of algorithms, on the demo collectivité plus 2,000 published records.

    .venv/bin/python benchmarks/public_register.py                      # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_bench .venv/bin/python benchmarks/public_register.py

It migrates the database, loads the demo (`seed_demo`, whose public register has six records), adds synthetic use
cases (in bulk, `generators.add_use_cases`) and publishes the publishable ones in bulk, with the record the publication
service
builds (`transparency.fields.build_record`), up to `--published` public records (running it again on the same
database measures the same volume); then refreshes the planner's statistics (ANALYZE, as autovacuum does in
production).

First table: the selectors an anonymous visitor's request runs (`transparency.selectors`), measured alone: the
first page of the list (a count and 25 records, each read with `public_record`) without and with a search and
filters, a search a visitor can make as costly as possible (six words that each scan every record), and the
detail. Second table: the same reads through the public pages, the public API and the CSV export, as an anonymous
visitor with Django's test client (a page that does not answer 200 is reported with its status). Each: a few
warm-up runs, then `--repeat` timed ones; minimum, median and 95th percentile (nearest rank), SQL queries of one
run. On a busy machine, trust the minimum and the median more than the p95.

Settings default to `config.settings.test` (DEBUG off as in production, the public rate limit raised so that the
benchmark is not answered 429); set DJANGO_SETTINGS_MODULE to measure another configuration.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import time

from _common import WARM_UP, analyse, describe_setup, percentile, print_table, run_main, seed

PAGE_SIZE = 25
BATCH_SIZE = 500
# What the synthetic records publish beside the fields CRPA L312-1-3 forces.
SYNTHETIC_FIELDS = ["service", "risk", "technique", "audience"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--published", type=int, default=2000, help="public records on top of the demo's")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per read")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args()


def publish_synthetic(collectivite, count: int) -> int:
    """Publish synthetic use cases in bulk until `count` of them are public; returns the number added."""
    from django.utils import timezone

    from demo import register as demo
    from registry.models import UseCase
    from transparency.fields import PUBLISHABLE_STATUSES, build_record, search_text_of
    from transparency.models import Publication, PublicationState

    synthetic = UseCase.objects.filter(collectivite=collectivite, name__startswith=demo.SYNTHETIC_PREFIX)
    missing = count - Publication.objects.filter(use_case__in=synthetic, state=PublicationState.PUBLISHED).count()
    candidates = (
        synthetic.filter(status__in=PUBLISHABLE_STATUSES, blocked=False, publication__isnull=True)
        .select_related("service", "tool")
        .order_by("pk")[: max(0, missing)]
    )
    now = timezone.now()
    publications = []
    for use_case in candidates:
        publication = Publication(
            collectivite=collectivite,
            use_case=use_case,
            fields=SYNTHETIC_FIELDS,
            name=use_case.name,
            summary=use_case.summary or use_case.name,
            purpose=use_case.purpose or use_case.name,
            human_intervention="Un agent relit chaque résultat avant tout usage.",
            data_sources="Données du service concerné.",
            legal_basis="Mission d'intérêt public.",
            contact="donnees-personnelles@bellerive-sur-loire.example.org",
            crpa_mention="Mention (article L311-3-1 du CRPA)." if use_case.crpa_mention_required else "",
        )
        record = build_record(publication, use_case)
        publication.content = record
        publication.search_text = search_text_of(record)
        publication.service_name = use_case.service.name
        publication.ai_act_risk = record.get("ai_act_risk", "")
        publication.automation_level = record.get("automation_level", "")
        publication.published_version = use_case.version
        publication.state = PublicationState.PUBLISHED
        publication.first_published_at = publication.published_at = now
        publications.append(publication)
    Publication.objects.bulk_create(publications, batch_size=BATCH_SIZE)
    return len(publications)


def time_read(read, repeat: int) -> dict:
    """Warm-up runs, then `repeat` timed ones; the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        rows = read()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        read()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        read()
    return {
        "rows": rows,
        "minimum": min(timings),
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": len(captured.captured_queries),
    }


def print_reads(reads: list[tuple[str, callable]], repeat: int, width: int = 62) -> None:
    header = f"{'read':<{width}} {'rows':>10} {'min ms':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    print(header)
    print("-" * len(header))
    for label, read in reads:
        result = time_read(read, repeat)
        print(
            f"{label:<{width}} {result['rows']:>10} {result['minimum']:>7.1f} {result['median']:>10.1f} "
            f"{result['p95']:>8.1f} {result['queries']:>8}",
            flush=True,
        )


def run(args) -> None:
    from django.core.paginator import Paginator
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from demo import register as demo
    from registry.models import Collectivite
    from transparency import selectors
    from transparency.models import Publication, PublicationState
    from transparency.selectors import PublicFilters

    # Enough synthetic use cases that, once drafts, rejected and blocked ones are left aside, `--published` remain.
    seconds, added_use_cases, _declarations = seed(use_cases=args.published * 2)
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    started = time.perf_counter()
    added = publish_synthetic(collectivite, args.published)
    analyse()
    publish_seconds = time.perf_counter() - started
    public = Publication.objects.filter(collectivite=collectivite, state=PublicationState.PUBLISHED)
    detail_reference = public.filter(use_case__public_register_required=True).order_by("name").first()
    reference = detail_reference.use_case.reference

    def first_page(**filters):
        def read():
            entries = selectors.public_entries(collectivite=collectivite, filters=PublicFilters(**filters))
            page = Paginator(entries, PAGE_SIZE).get_page(1)
            records = [selectors.public_record(entry) for entry in page.object_list]
            return f"{len(records)}/{page.paginator.count}"

        return read

    def detail():
        entry = selectors.public_entry(collectivite=collectivite, reference=reference)
        return f"{len(selectors.public_record(entry))} keys"

    def services():
        return len(selectors.public_services(collectivite=collectivite))

    def overview():
        sections = selectors.publications_overview(collectivite=collectivite)
        return sum(len(items) for items in sections.values())

    worst = " ".join(["zzzz"] * 6)
    reads = [
        ("public_entries: first page", first_page()),
        ("public_entries: search 'demande'", first_page(q="demande")),
        ("public_entries: search 'aide demande' (2 words)", first_page(q="aide demande")),
        ("public_entries: risk=high & automation=assist", first_page(risk="high", automation="assist")),
        ("public_entries: lifecycle=in_use (join on the use case)", first_page(lifecycle="in_use")),
        ("public_entries: lifecycle=in_development", first_page(lifecycle="in_development")),
        ("public_entries: search + service + risk + lifecycle", first_page(q="usage", service="CCAS", risk="high")),
        ("public_entries: 6 words matching nothing (worst search)", first_page(q=worst)),
        ("public_entries: page 40 (deep page)", lambda: _deep_page(collectivite, 40)),
        ("public_entry + public_record: detail", detail),
        ("public_services: the filter's options", services),
        ("publications_overview: the DPO's overview (internal)", overview),
    ]

    print("Registre IA — public register benchmark")
    print(describe_setup())
    print(
        f"data: {public.count()} public records in {collectivite.name} ({added} published now in "
        f"{publish_seconds:.1f} s; {added_use_cases} synthetic use cases added, seeding took {seconds:.1f} s); "
        f"{Publication.objects.count()} publications in all"
    )
    print(f"each read: {WARM_UP} warm-up, then {args.repeat} timed; queries of one run; page size {PAGE_SIZE}")
    print()
    print_reads(reads, args.repeat)

    urls = []
    slug = collectivite.slug
    for name, kwargs, query in (
        ("public:register", {"slug": slug}, ""),
        ("public:register", {"slug": slug}, "?q=demande&risk=high&lifecycle=in_use"),
        ("public:register", {"slug": slug}, f"?q={worst}"),
        ("public:entry", {"slug": slug, "reference": reference}, ""),
        ("public_api:use-case-list", {}, ""),
        ("public_api:use-case-list", {}, "?q=demande&risk=high"),
        ("public_api:use-case-detail", {"collectivite": slug, "reference": reference}, ""),
    ):
        try:
            urls.append(reverse(name, kwargs=kwargs) + query)
        except NoReverseMatch:
            print(f"(no {name} page yet: not measured)")
    print()
    print("The same reads through the public pages, API and export, as an anonymous visitor:")
    client = Client(raise_request_exception=False)
    print_table(client, urls, args.repeat, width=60)
    try:
        csv_url = reverse("public_exports:csv", kwargs={"slug": slug})
    except NoReverseMatch:
        return
    print()
    print("The CSV export of the whole register (a streamed response, read to its end):")
    print_reads([(csv_url, lambda: _download(client, csv_url))], args.repeat)


def _download(client, url: str) -> str:
    response = client.get(url)
    if response.status_code != 200:
        return f"status {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) - 1
    return f"{rows} rows"


def _deep_page(collectivite, number: int) -> str:
    from django.core.paginator import Paginator

    from transparency import selectors

    page = Paginator(selectors.public_entries(collectivite=collectivite), PAGE_SIZE).get_page(number)
    return f"{len([selectors.public_record(entry) for entry in page.object_list])}/{page.paginator.count}"


if __name__ == "__main__":
    run_main(parse_args, run)
