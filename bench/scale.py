"""Scale benchmark: a large collectivité on PostgreSQL, measured page by page, under load, and against raw SQL.

    .venv/bin/python bench/scale.py                       # everything (≈ 10 min the first time, ≈ 6 min after)
    .venv/bin/python bench/scale.py --only requests,raw   # some parts: prepare, requests, raw, documents, load

Needs PostgreSQL and Redis (the machine's, by default: `--database`, `--reference-database`, `--broker`). Results and
how to read them: docs/benchmarks.md.

1. prepare — two databases, created if missing: the *scale* one (the demo collectivité topped up in bulk by
   `bench/generate.py` to 50 services, 5,000 people, 10,000 use cases with their classification, reviews and
   checkpoints, 100,000 attestations, 50,000 declarations, their object permissions and 2,000 public records)
   and the *reference* one, generated alike at a tenth of those volumes (the same 50 services). Running it again adds
   nothing. Then VACUUM ANALYZE, as autovacuum would.
2. requests — each page and endpoint as the DPO and as a head of service ("chef", 200 use cases in their
   service at scale), with Django's test client in one process (middleware, sessions, templates: all but the
   socket): warm-up, then `--repeat` timed requests; median and 95th percentile (nearest rank); the SQL queries of
   one request; the median and queries at a tenth of the volume beside them — the same count at both volumes shows
   the count does not grow with the data.
3. raw — the API register list (DPO, 50 rows): the whole request, the selector and serializer without HTTP, and
   one hand-written SQL query returning the same rows and columns as JSON; the ratios show what the layers cost.
4. documents — the annual charter and the annual audit report of the tenth database (1,000 use cases, the size
   of the target), each generated in a fresh process as a Celery worker's first task: time and peak resident
   memory. (At 10,000 use cases the annual report runs to hundreds of pages: docs/benchmarks.md.)
5. load — gunicorn (`--workers`, production settings, DEBUG off) on loopback, Locust as load generator on the same
   machine (so the two share its cores): the API list (DPO token) then the declaration submit (agents' tokens,
   one new declaration a request, notifications queued to Redis for a real Celery worker), each `--load-seconds`
   long with `--load-users` users; requests/s, median and p95, failures; then the resident memory of a gunicorn
   worker and of the Celery worker once it has also generated a use-case audit report.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(HERE))

PARTS = ("prepare", "requests", "raw", "documents", "load")
# Targets of issue 8 (ms for the medians).
MEDIAN_TARGET_MS = 50
SLOW_PAGE_TARGET_MS = 100  # the dashboard and the triage queue
API_LIST_TARGET_RPS = 150
CHARTER_TARGET_S, CHARTER_TARGET_MIB = 15, 600
HEAD_OF_SERVICE = "chef"
# The end of the tasks of the declarations the load part submits (bench/locustfile.py), removed afterwards.
LOAD_MARK = "(charge)"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts among {', '.join(PARTS)}")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/registre_scale")
    parser.add_argument("--reference-database", default="postgres://postgres@127.0.0.1:5432/registre_scale_tenth")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14", help="Redis database for the load part")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--load-seconds", type=int, default=20, help="duration of each load run")
    parser.add_argument("--load-users", type=int, default=16, help="concurrent Locust users")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (the README's production line)")
    parser.add_argument("--fresh", action="store_true", help="drop both databases first and generate them anew")
    parser.add_argument("--json", default=None, help="also write every figure to this JSON file")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- Child processes: Django set up on one database ----------------------------------------------------------


def child_env(database: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DJANGO_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def run_child(part: str, database: str, args, **extra: str) -> dict:
    """Run `part` in a fresh process on `database`; its last stdout line is the JSON result."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", part, "--repeat", str(args.repeat)]
    finished = subprocess.run(
        command, env=child_env(database, **extra), capture_output=True, text=True, check=False, cwd=ROOT
    )
    for line in finished.stdout.splitlines()[:-1]:
        print(line, flush=True)
    if finished.returncode != 0:
        raise SystemExit(f"{part} on {database} failed:\n{finished.stderr[-4000:]}")
    return json.loads(finished.stdout.splitlines()[-1])


def create_database(url: str, *, fresh: bool = False) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # nosec B608 — our own database
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')  # nosec B608 — our own database name


def child_prepare(args) -> dict:
    import generate
    from _common import analyse, seed

    from demo import register as demo
    from registry.models import Collectivite

    seconds, _uc, _decl = seed()
    timings = {"migrate + demo": seconds}
    fraction = float(os.environ["BENCH_SCALE"])
    full = generate.Volumes()
    volumes = generate.Volumes(
        services=full.services,
        **{
            name: round(getattr(full, name) * fraction)
            for name in ("users", "use_cases", "attestations", "declarations")
        },
        published=round(full.published * fraction),
    )
    timings.update(generate.generate(volumes, log=lambda line: print(line, flush=True)))
    started = time.perf_counter()
    analyse()
    timings["analyse"] = time.perf_counter() - started
    collectivite = Collectivite.objects.get(slug=demo.COLLECTIVITE["slug"])
    return {"timings": timings, "counts": generate.counts(collectivite)}


def page_subjects():
    """The DPO, the head of service, and the use case whose page is measured: in the head's service, with the
    most attestations (so its page shows the most)."""
    from django.db.models import Count

    from core.access import get_access
    from registry.models import UseCase, User
    from registry.selectors import use_cases_visible_to

    dpo = User.objects.get(username="dpo")
    head = User.objects.get(username=HEAD_OF_SERVICE)
    collectivite = dpo.memberships.first().collectivite
    visible = use_cases_visible_to(head, get_access(head, collectivite))
    use_case = (
        UseCase.objects.filter(pk__in=visible.values("pk"), status="in_production")
        .annotate(attestations=Count("checkpoints__attestations"))
        .order_by("-attestations", "pk")
        .first()
    )
    return dpo, head, collectivite, use_case


def request_plan(use_case, head_service_id) -> list[tuple[str, str, int]]:
    """(label, URL, median target in ms) — each measured for the DPO and the head of service."""
    return [
        ("dashboard", "/", SLOW_PAGE_TARGET_MS),
        ("register list (web)", "/registre/", MEDIAN_TARGET_MS),
        (
            "register list (web), filters",
            f"/registre/?service={head_service_id}&status=in_production&q=usage",
            MEDIAN_TARGET_MS,
        ),
        ("register list (API), 50 rows", "/api/v1/use-cases/?page_size=50", MEDIAN_TARGET_MS),
        (
            "register list (API), filters",
            "/api/v1/use-cases/?page_size=50&ai_act_risk=high&status=in_production&search=usage",
            MEDIAN_TARGET_MS,
        ),
        ("use-case page", f"/registre/{use_case.pk}/", MEDIAN_TARGET_MS),
        ("use case (API)", f"/api/v1/use-cases/{use_case.pk}/", MEDIAN_TARGET_MS),
        ("triage queue", "/triage/", SLOW_PAGE_TARGET_MS),
        ("triage queue, filters", "/triage/?status=open&risk_level=critical", SLOW_PAGE_TARGET_MS),
        ("Mes tâches", "/mes-taches/", MEDIAN_TARGET_MS),
        ("Mes tâches (API)", "/api/v1/tasks/", MEDIAN_TARGET_MS),
    ]


def child_requests(args) -> dict:
    from _common import measure
    from django.test import Client

    from registry.models import Membership

    dpo, head, collectivite, use_case = page_subjects()
    head_service = Membership.objects.filter(user=head, role="head_of_service").values_list("service_id", flat=True)[0]
    results = []
    for role, user in (("DPO", dpo), ("head of service", head)):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for label, url, target in request_plan(use_case, head_service):
            result = measure(client, url, args.repeat)
            results.append({"role": role, "label": label, "target": target, **result})
            print(f"  {role:<16} {label:<34} {result.get('median', 0):7.1f} ms", file=sys.stderr, flush=True)
    anonymous = Client(raise_request_exception=False)
    for label, url in (
        ("public register API", "/api/v1/public/use-cases/"),
        ("public register API, search", "/api/v1/public/use-cases/?q=usage&ai_act_risk=high"),
    ):
        result = measure(anonymous, url, args.repeat)
        results.append({"role": "anonymous", "label": label, "target": MEDIAN_TARGET_MS, **result})
    return {"use_case": use_case.reference, "results": results}


RAW_LIST_SQL = """
SELECT u.id, u.reference, u.name, u.summary, u.service_id, u.owner_id, u.tool_id, u.status, u.ai_act_risk,
       u.rgpd_sensitivity, u.dpia_required, u.fria_required, u.eu_registration_required, u.crpa_mention_required,
       u.public_register_required, u.ethics_review_required, u.blocked, u.version, u.created_at, u.updated_at,
       u.submitted_at, u.next_review_on,
       s.code AS service_code, s.name AS service_name,
       o.username AS owner_username, o.first_name AS owner_first_name, o.last_name AS owner_last_name,
       t.name AS tool_name, t.status AS tool_status
FROM registry_usecase u
JOIN registry_service s ON s.id = u.service_id
JOIN registry_user o ON o.id = u.owner_id
LEFT JOIN registry_tool t ON t.id = u.tool_id
WHERE u.collectivite_id = %s
ORDER BY u.updated_at DESC, u.id DESC
LIMIT 50
"""


def child_raw(args) -> dict:
    """The register list as the DPO sees it (50 rows, the list's columns): through HTTP, through the selector and
    the API's serializer, through one SQL query returning the same columns."""
    from _common import measure
    from django.db import connection
    from django.test import Client
    from django.test.client import RequestFactory
    from rest_framework.renderers import JSONRenderer
    from rest_framework.request import Request

    from core.access import get_access
    from registry.api.serializers import UseCaseListSerializer
    from registry.selectors import use_case_rows

    dpo, _head, collectivite, _use_case = page_subjects()
    client = Client(raise_request_exception=False)
    client.force_login(dpo)
    http = measure(client, "/api/v1/use-cases/?page_size=50", args.repeat)
    request = Request(RequestFactory().get("/api/v1/use-cases/"))
    request.user = dpo

    def orm():
        access = get_access(dpo, collectivite)
        rows = list(use_case_rows(dpo, access)[:50])
        context = {"request": request, "access": access, "collectivite": collectivite}
        return JSONRenderer().render(UseCaseListSerializer(rows, many=True, context=context).data)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_LIST_SQL, [collectivite.pk])
            columns = [column.name for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return json.dumps(rows, default=str).encode()

    return {"http": http, "orm": time_call(orm, args.repeat), "raw": time_call(raw, args.repeat)}


def time_call(function, repeat: int) -> dict:
    from _common import WARM_UP, percentile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        body = function()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        function()
    return {
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": len(captured.captured_queries),
        "kib": len(body) / 1024,
    }


def child_tokens(args) -> dict:
    """API tokens for the load part: the DPO's, and one for each of 400 agents (the per-agent declaration limit
    of production stays in force)."""
    from rest_framework.authtoken.models import Token

    from registry.models import Membership, User

    dpo, _head, collectivite, _use_case = page_subjects()
    agents = list(
        User.objects.filter(
            memberships__collectivite=collectivite, memberships__role="agent", username__startswith="bench.agent."
        ).order_by("pk")[:400]
    )
    for user in [dpo, *agents]:
        Token.objects.get_or_create(user=user)
    tokens = dict(Token.objects.filter(user__in=[dpo, *agents]).values_list("user__username", "key"))
    services = dict(Membership.objects.filter(user__in=agents).values_list("user__username", "service_id"))
    return {
        "dpo": tokens["dpo"],
        "agents": [tokens[agent.username] for agent in agents],
        "collectivite": collectivite.pk,
        "services": services,
        "year": time.localtime().tm_year,
    }


def child_report(args) -> dict:
    """Ask for the audit report of the measured use case as the DPO would; the task goes to the broker for the
    Celery worker."""
    from django.db import transaction

    from documents.services import document_request

    dpo, _head, collectivite, use_case = page_subjects()
    with transaction.atomic():
        document = document_request(
            collectivite=collectivite, acting_user=dpo, kind="use_case_report", use_case=use_case
        )
    return {"document": document.pk}


def child_cleanup(args) -> dict:
    """Remove what the load part declared, so that the scale database keeps its volumes from run to run."""
    from declarations.models import Declaration

    deleted, _by_model = Declaration.objects.filter(tasks__endswith=LOAD_MARK).delete()
    return {"deleted": deleted}


def child_document_status(args) -> dict:
    from documents.models import Document

    document = Document.objects.get(pk=int(os.environ["BENCH_DOCUMENT"]))
    return {"status": document.status, "started": str(document.started_at), "generated": str(document.generated_at)}


CHILDREN = {
    "prepare": child_prepare,
    "requests": child_requests,
    "raw": child_raw,
    "tokens": child_tokens,
    "report": child_report,
    "document_status": child_document_status,
    "cleanup": child_cleanup,
}


# --- The parent: parts, tables ---------------------------------------------------------------------------------


def part_prepare(args, figures):
    for name, url, scale in (("reference (a tenth)", args.reference_database, "0.1"), ("scale", args.database, "1")):
        create_database(url, fresh=args.fresh)
        print(f"{name}: {url}", flush=True)
        result = run_child("prepare", url, args, BENCH_SCALE=scale)
        figures.setdefault("prepare", {})[name] = result
        print(
            "  "
            + ", ".join(f"{count:,} {what}" for what, count in result["counts"].items())
            + f" — {sum(result['timings'].values()):.0f} s",
            flush=True,
        )


def part_requests(args, figures):
    reference = run_child("requests", args.reference_database, args)
    scale = run_child("requests", args.database, args)
    figures["requests"] = {"reference": reference, "scale": scale}
    print(f"use-case page: {scale['use_case']} (scale), {reference['use_case']} (a tenth)")
    header = (
        f"{'role':<16} {'request':<34} {'status':>6} {'rows':>11} {'median ms':>10} {'p95 ms':>7} "
        f"{'target':>7} {'at 1/10':>8} {'queries':>8} {'at 1/10':>8}  verdict"
    )
    print(header)
    print("-" * len(header))
    for big, small in zip(scale["results"], reference["results"], strict=True):
        if big["status"] != 200:
            print(f"{big['role']:<16} {big['label']:<34} {big['status']:>6}  (not allowed for this role)")
            continue
        ok_time = big["median"] < big["target"]
        ok_queries = big["queries"] <= small.get("queries", big["queries"])
        verdict = (
            "ok"
            if ok_time and ok_queries
            else "MISS " + ("time " if not ok_time else "") + ("queries" if not ok_queries else "")
        )
        print(
            f"{big['role']:<16} {big['label']:<34} {big['status']:>6} {big['rows']:>11} {big['median']:>10.1f} "
            f"{big['p95']:>7.1f} {'<' + str(big['target']):>7} {small.get('median', 0):>8.1f} {big['queries']:>8} "
            f"{small.get('queries', '—'):>8}  "
            f"{verdict}",
            flush=True,
        )


def part_raw(args, figures):
    result = run_child("raw", args.database, args)
    figures["raw"] = result
    raw = result["raw"]["median"]
    print(f"{'register list, DPO, 50 rows':<44} {'median ms':>10} {'p95 ms':>7} {'queries':>8} {'KiB':>6} {'× raw':>6}")
    for label, key in (
        ("HTTP request (middleware, auth, DRF, JSON)", "http"),
        ("selector + serializer + JSON, no HTTP", "orm"),
        ("one raw SQL query + json.dumps", "raw"),
    ):
        row = result[key]
        print(
            f"{label:<44} {row['median']:>10.2f} {row['p95']:>7.2f} {row['queries']:>8} {row['kib']:>6.0f} "
            f"{row['median'] / raw:>6.1f}"
        )


def part_documents(args, figures):
    """On the tenth database: 1,000 use cases, the size of the target."""
    import documents

    year = time.localtime().tm_year
    output = tempfile.mkdtemp(prefix="registre-scale-docs-")
    env = child_env(args.reference_database)
    rows = {}
    for kind, label in (("charter", "annual charter"), ("annual_report", "annual audit report")):
        runs = [documents.run_child(kind, "bellerive-sur-loire", str(year), output, env=env) for _ in range(2)]
        if any("error" in run for run in runs):
            print(f"{label}: failed: {runs[0].get('error')}")
            continue
        rows[kind] = {
            "total": statistics.median(run["total"] for run in runs),
            "build": statistics.median(run["build"] for run in runs),
            "render": statistics.median(run["render"] for run in runs),
            "peak_mib": max(run["peak_kib"] for run in runs) / 1024,
            "queries": runs[-1]["queries"],
            "pages": runs[-1]["pages"],
        }
    figures["documents"] = rows
    print(f"PDFs in {output}")
    print(f"{'document':<22} {'build s':>8} {'render s':>9} {'total s':>8} {'peak MiB':>9} {'queries':>8} {'pages':>6}")
    for kind, row in rows.items():
        print(
            f"{kind:<22} {row['build']:>8.2f} {row['render']:>9.2f} {row['total']:>8.2f} {row['peak_mib']:>9.0f} "
            f"{row['queries']:>8} {row['pages']:>6}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process, in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def wait_until(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit("timed out")


def production_env(args) -> dict[str, str]:
    return child_env(
        args.database,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        CELERY_BROKER_URL=args.broker,
        EMAIL_URL="dummymail://",
    )


def locust(args, base: str, user_class: str, tokens_file: str, output: str) -> dict:
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(args.load_users),
        "--spawn-rate",
        str(args.load_users),
        "--run-time",
        f"{args.load_seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        base,
        "--csv",
        output,
        user_class,
    ]
    env = {**os.environ, "BENCH_TOKENS": tokens_file, "BENCH_MAX_REQUESTS": str(args.load_seconds * 1000)}
    subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=args.load_seconds + 60)
    import csv

    with open(f"{output}_stats.csv", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "median": float(row["Median Response Time"]),
        "p95": float(row["95%"]),
    }


def part_load(args, figures):
    tokens = run_child("tokens", args.database, args)
    work = Path(tempfile.mkdtemp(prefix="registre-scale-load-"))
    tokens_file = work / "tokens.json"
    tokens_file.write_text(json.dumps(tokens))
    env = production_env(args)
    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    processes = []
    try:
        gunicorn = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi", f"--bind=127.0.0.1:{port}", f"--workers={args.workers}"],
            env=env,
            cwd=ROOT,
            stdout=open(work / "gunicorn.log", "wb"),  # noqa: SIM115 — closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(gunicorn)
        celery = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "config", "worker", "--concurrency=1", "--loglevel=WARNING"],
            env=env,
            cwd=ROOT,
            stdout=open(work / "celery.log", "wb"),  # noqa: SIM115 — closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(celery)

        def up():
            import urllib.request

            try:
                with urllib.request.urlopen(f"{base}/api/v1/public/use-cases/", timeout=5) as response:  # nosec B310
                    return response.status == 200
            except OSError:
                return False

        wait_until(up, 60)
        results = {}
        for label, user_class in (("API list, 50 rows (DPO)", "ApiList"), ("declaration submit (agents)", "Declare")):
            results[label] = locust(args, base, user_class, str(tokens_file), str(work / user_class))
        workers = children_of(gunicorn.pid)
        gunicorn_rss = [rss_mib(pid) for pid in workers]
        report = run_child("report", args.database, args, CELERY_BROKER_URL=args.broker)
        started = time.perf_counter()
        wait_until(
            lambda: (
                run_child("document_status", args.database, args, BENCH_DOCUMENT=str(report["document"]))["status"]
                in ("ready", "failed")
            ),
            600,
        )
        report_seconds = time.perf_counter() - started
        celery_pids = [celery.pid, *children_of(celery.pid)]
        celery_rss = {pid: rss_mib(pid) for pid in celery_pids}
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        removed = run_child("cleanup", args.database, args)["deleted"]
        print(f"(the load's declarations removed afterwards: {removed} rows with their events and permissions)")
    figures["load"] = {
        "runs": results,
        "gunicorn_workers_mib": gunicorn_rss,
        "celery_mib": list(celery_rss.values()),
        "report_seconds": report_seconds,
    }
    print(
        f"gunicorn: {args.workers} sync workers, production settings; Locust: {args.load_users} users, "
        f"{args.load_seconds} s a run, on the same 2 cores"
    )
    print(f"{'load run':<30} {'requests':>9} {'failures':>9} {'req/s':>7} {'median ms':>10} {'p95 ms':>7}")
    for label, row in results.items():
        print(
            f"{label:<30} {row['requests']:>9} {row['failures']:>9} {row['rps']:>7.1f} {row['median']:>10.0f} "
            f"{row['p95']:>7.0f}"
        )
    now = [rss for rss, _peak in gunicorn_rss]
    print(
        f"gunicorn worker RSS after the load: {min(now):.0f}–{max(now):.0f} MiB "
        f"(peak {max(peak for _rss, peak in gunicorn_rss):.0f} MiB)"
    )
    print(
        "Celery: main process "
        + ", ".join(f"{rss:.0f} MiB (peak {peak:.0f})" for rss, peak in list(celery_rss.values())[:1])
        + "; pool process after the declarations' notifications and a use-case audit report "
        + ", ".join(f"{rss:.0f} MiB (peak {peak:.0f})" for rss, peak in list(celery_rss.values())[1:])
        + f"; the report took {report_seconds:.1f} s from request to ready"
    )


def main() -> None:
    args = parse_args()
    if args.child:
        from _common import setup_django

        setup_django()
        result = CHILDREN[args.child](args)
        print(json.dumps(result, default=str))
        return
    from _common import describe_versions

    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown part(s): {', '.join(sorted(unknown))}")
    print("Registre IA — scale benchmark")
    print(describe_versions())
    figures = {}
    for part in PARTS:
        if part in parts:
            print(f"\n== {part} ==", flush=True)
            started = time.perf_counter()
            globals()[f"part_{part}"](args, figures)
            print(f"({part}: {time.perf_counter() - started:.0f} s)", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main()
