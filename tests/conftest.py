"""Shared fixtures: a demo-like collectivité with one user per role, and a second collectivité next door."""

import os

import pytest
from django.test import Client

from core.roles import Role
from tests.registry.factories import (
    CollectiviteFactory,
    MembershipFactory,
    ServiceFactory,
    ToolFactory,
    UseCaseFactory,
    UserFactory,
)


def pytest_configure(config):
    """Under pytest-xdist each test process gets its own database (pytest-django) and its own Celery queue, so
    that the in-process worker of one process never runs another process's tasks."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from django.conf import settings

        from config.celery import app

        settings.CELERY_TASK_DEFAULT_QUEUE = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{worker}"
        app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _national_catalogue(request):
    """The national checkpoint types come from a data migration; a transactional test (live server, threads)
    empties every table when it ends, and under pytest-xdist such a test may run before others in the same process:
    put the national catalogue back before a database test that finds it missing (one query otherwise)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not (names & ({"db"} | TRANSACTIONAL_FIXTURES)):
        yield
        return
    transactional = bool(names & TRANSACTIONAL_FIXTURES) or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_national_catalogue()
    yield


def ensure_national_catalogue() -> None:
    """Put the national checkpoint types and the AI Act's dates of application back if a transactional test emptied
    the database (one query otherwise); the worlds built once per module or package (matrix, isolation) call it
    before building."""
    import importlib

    from django.apps import apps as django_apps

    from audits.models import CheckpointType

    if not CheckpointType.objects.filter(collectivite=None, code="provider_conformity").exists():
        for migration in ("0002_national_catalogue", "0007_provider_conformity"):
            importlib.import_module(f"audits.migrations.{migration}").create(django_apps, None)
        # The dates of application come from a data migration too, emptied by the same flush.
        importlib.import_module("registry.migrations.0009_ruleset_2026_12_data").seed_dates(django_apps, None)


@pytest.fixture(autouse=True)
def _french_by_default():
    """Tests read messages as a French user does (the default language), whatever ran before."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture
def collectivite(db):
    return CollectiviteFactory(name="Ville de Bellerive", slug="bellerive", agents_count=600)


@pytest.fixture
def other_collectivite(db):
    return CollectiviteFactory(name="Commune voisine", slug="voisine", agents_count=40)


@pytest.fixture
def services(collectivite):
    """A direction with two services below it, and an unrelated service."""
    direction = ServiceFactory(collectivite=collectivite, name="Direction des solidarités", code="DSOL")
    ccas = ServiceFactory(collectivite=collectivite, name="CCAS", code="CCAS", parent=direction)
    logement = ServiceFactory(collectivite=collectivite, name="Logement", code="LOG", parent=direction)
    communication = ServiceFactory(collectivite=collectivite, name="Communication", code="COM")
    return {"direction": direction, "ccas": ccas, "logement": logement, "communication": communication}


def _member(collectivite, username, role, service=None):
    user = UserFactory(username=username)
    MembershipFactory(user=user, collectivite=collectivite, role=role, service=service)
    return user


@pytest.fixture
def users(collectivite, services):
    """One user per role, named as the demo users."""
    return {
        "agent": _member(collectivite, "agent", Role.AGENT, services["ccas"]),
        "chef": _member(collectivite, "chef", Role.HEAD_OF_SERVICE, services["direction"]),
        "dpo": _member(collectivite, "dpo", Role.DPO),
        "rssi": _member(collectivite, "rssi", Role.RSSI),
        "comite": _member(collectivite, "comite", Role.ETHICS_COMMITTEE),
        "dgs": _member(collectivite, "dgs", Role.DGS),
        "admin": _member(collectivite, "admin", Role.ADMIN),
    }


@pytest.fixture
def outsider(other_collectivite):
    """A DPO of another collectivité: sees everything there, nothing here."""
    service = ServiceFactory(collectivite=other_collectivite, name="DG", code="DG")
    user = _member(other_collectivite, "dpo-voisin", Role.DPO)
    MembershipFactory(user=user, collectivite=other_collectivite, role=Role.AGENT, service=service)
    return user


@pytest.fixture
def tool(collectivite):
    return ToolFactory(collectivite=collectivite, name="Albert", vendor="DINUM", max_data_classification="C2")


@pytest.fixture
def use_case(collectivite, services, users, tool):
    """A draft owned by a CCAS agent who is not the demo agent."""
    owner = _member(collectivite, "porteur", Role.AGENT, services["ccas"])
    return UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=owner, tool=tool)


@pytest.fixture
def client_for():
    """A logged-in test client for a user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium: skipped on a newcomer's machine without it, required in CI."""
    import os

    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium).")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request):
    """Ordinary tests run tasks in-process; only tests marked `worker` go through the broker and a worker."""
    from config.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker_or_eager(settings):
    """A real Celery worker consuming from the configured broker (Redis in CI); in the embedded default
    (no broker), tasks already run eagerly in-process and nothing needs starting."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


@pytest.fixture
def committee(collectivite, users, services):
    """The ethics committee: the demo `comite` user chairs it, with an external member (a researcher) and a
    CCAS agent (who has a conflict of interest on the CCAS's use cases)."""
    from registry.models import CommitteeMember

    external = _member(collectivite, "externe", Role.ETHICS_COMMITTEE)
    ccas_member = _member(collectivite, "membre_ccas", Role.AGENT, services["ccas"])
    MembershipFactory(user=ccas_member, collectivite=collectivite, role=Role.ETHICS_COMMITTEE)
    return {
        "chair": CommitteeMember.objects.create(collectivite=collectivite, user=users["comite"], is_chair=True),
        "external": CommitteeMember.objects.create(
            collectivite=collectivite, user=external, external=True, affiliation="Chercheuse, université de Tours"
        ),
        "ccas": CommitteeMember.objects.create(collectivite=collectivite, user=ccas_member, affiliation="Agente"),
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the dashboard keeps its statistics there (DASHBOARD_CACHE_SECONDS) and
    a previous test's figures, for a collectivité of the same id, must not answer for this one."""
    from django.core.cache import cache

    cache.clear()
    yield
