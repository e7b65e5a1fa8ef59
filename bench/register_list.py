"""Benchmark of the register list, web page and API, on the demo collectivité plus 2,000 use cases.

    .venv/bin/python benchmarks/register_list.py                      # temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registre_bench .venv/bin/python benchmarks/register_list.py

It migrates the database, loads the demo (`seed_demo`), tops the synthetic use cases up to `--use-cases`
(so running it again on the same database measures the same volume), refreshes the planner's statistics
(ANALYZE, as autovacuum does in production), then requests each page as the DPO
(who sees the whole register) with Django's test client: a few warm-up requests, then `--repeat` timed
ones. It prints the minimum, median and 95th percentile (nearest rank) time, the SQL queries of one
request and the peak Python memory allocated during one request (tracemalloc). A page that does not answer
200 is reported with its status. On a busy machine, trust the minimum and the median more than the p95.

Settings default to `config.settings.test` (DEBUG off as in production, fast password hashing); set
DJANGO_SETTINGS_MODULE to measure another configuration.
"""

from __future__ import annotations

import argparse

from _common import WARM_UP, describe_setup, print_table, run_main, seed


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--use-cases", type=int, default=2000, help="synthetic use cases on top of the demo")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file")
    return parser.parse_args()


def run(args) -> None:
    from django.test import Client

    from core.access import get_access
    from demo import register as demo
    from registry.models import Collectivite, Service, UseCase, User
    from registry.selectors import use_cases_visible_to

    seconds, added, _declarations = seed(use_cases=args.use_cases)
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

    print("Registre IA — register list benchmark")
    print(describe_setup())
    print(
        f"data: {UseCase.objects.filter(collectivite=collectivite).count()} use cases in {collectivite.name} "
        f"({added} added now, seeding took {seconds:.1f} s); logged in as dpo, who sees {visible}"
    )
    print(f"each request: {WARM_UP} warm-up, then {args.repeat} timed; queries and memory of one request")
    print()
    print_table(client, requests, args.repeat)


if __name__ == "__main__":
    run_main(parse_args, run)
