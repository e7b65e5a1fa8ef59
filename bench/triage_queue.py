"""Benchmark of the shadow-AI triage queue, web pages and API, on the demo collectivité plus 10,000 declarations.

    .venv/bin/python benchmarks/triage_queue.py                       # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_bench2 .venv/bin/python benchmarks/triage_queue.py

It migrates the database, loads the demo (`seed_demo`), tops the synthetic declarations up to
`--declarations` (so running it again on the same database measures the same volume), refreshes the
planner's statistics (ANALYZE, as autovacuum does in production), then requests, logged in as the DPO (who
triages every declaration), the queue (first page, filtered, page 50), the view by tool and the API, with
Django's test client: a few warm-up requests, then `--repeat` timed ones. It prints the
minimum, median and 95th percentile (nearest rank) time, the SQL queries of one request and the peak Python
memory allocated during one request (tracemalloc). A page that does not answer 200 is reported with its
status. On a busy machine, trust the minimum and the median more than the p95.

Settings default to `config.settings.test` (DEBUG off as in production, fast password hashing); set
DJANGO_SETTINGS_MODULE to measure another configuration.
"""

from __future__ import annotations

import argparse

from _common import WARM_UP, describe_setup, print_table, run_main, seed


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--declarations", type=int, default=10_000, help="synthetic declarations on top of the demo")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args()


def run(args) -> None:
    from django.db.models import Count, Q
    from django.test import Client

    from core.access import get_access
    from declarations.models import Declaration
    from declarations.selectors import declarations_visible_to
    from demo import register as demo
    from registry.models import Collectivite, Service, Tool, User

    seconds, _use_cases, added = seed(declarations=args.declarations)
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    dpo = User.objects.get(username="dpo")
    visible = declarations_visible_to(dpo, get_access(dpo, collectivite)).count()
    totals = Declaration.objects.filter(collectivite=collectivite).aggregate(
        total=Count("pk"),
        anonymous=Count("pk", filter=Q(author__isnull=True)),
        breaches=Count("pk", filter=Q(possible_breach=True)),
        tools=Count("tool", distinct=True),
    )
    solidarities = Service.objects.get(collectivite=collectivite, code="DSOL")
    chatgpt = Tool.objects.get(collectivite=collectivite, name=demo.CHATGPT_FREE)
    client = Client(raise_request_exception=False)
    client.force_login(dpo)

    requests = [
        "/triage/",
        f"/triage/?status=open&risk_level=critical&service={solidarities.pk}",
        "/triage/?breach=to_assess",
        "/triage/?q=courriers",
        "/triage/?page=50",
        "/triage/par-outil/",
        "/api/v1/declarations/",
        f"/api/v1/declarations/?status=received&risk_level=critical&tool={chatgpt.pk}",
        "/api/v1/declarations/?page=50",
    ]

    print("Registre IA — triage queue benchmark")
    print(describe_setup())
    print(
        f"data: {totals['total']} declarations in {collectivite.name} ({totals['anonymous']} anonymous, "
        f"{totals['breaches']} possible breaches, {totals['tools']} tools; {added} added now, seeding took "
        f"{seconds:.1f} s); logged in as dpo, who sees {visible}"
    )
    print(f"each request: {WARM_UP} warm-up, then {args.repeat} timed; queries and memory of one request")
    print()
    print_table(client, requests, args.repeat, width=70)


if __name__ == "__main__":
    run_main(parse_args, run)
