"""Concurrent load on loopback: the app under gunicorn (2 workers × 4 threads, as in production) on the test
database, N agents each submitting K declarations at once (and sending each one twice, as a double click or a
client retry would), while others read the register. No request fails, and exactly N×K declarations exist, each once.
Bounded: 16 agents × 6 declarations, 60 seconds at most."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from rest_framework.authtoken.models import Token

from core.roles import Role
from declarations.models import Declaration
from tests.registry.factories import MembershipFactory, UserFactory

from .conftest import VENV_BIN, needs_postgresql, subprocess_env, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), needs_postgresql]

AGENTS, PER_AGENT = 16, 6
ANSWERS = {
    "tool_name": "ChatGPT",
    "category": "general_chatbot",
    "tasks": "Rédiger des courriers aux usagers",
    "frequency": "weekly",
    "device": "personal_device",
    "account": "personal_free",
    "data_entered": ["ordinary", "internal"],
    "output_use": ["sent_to_users"],
    "human_review": "always",
    "time_saved_minutes": 90,
    "need": "Répondre plus vite",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--threads=4",
                "--timeout=60",
            ],
            # One agent's declarations stay under the per-user limit; the limit itself is tested elsewhere.
            env=subprocess_env(DECLARATION_RATE_LIMIT=str(PER_AGENT * 2), CELERY_BROKER_URL=""),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(f"{base}/api/v1/", timeout=10).status_code < 500
        except requests.RequestException:
            return False

    try:
        assert wait_for(up, timeout=30, interval=0.2), log.read_text()[-3000:]
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_concurrent_declarations_are_each_recorded_once_and_no_request_fails(collectivite, services, users, server):
    # Given N agents, each with an API token
    tokens = []
    for index in range(AGENTS):
        agent = UserFactory(username=f"agent_charge_{index}")
        MembershipFactory(user=agent, collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
        tokens.append(Token.objects.create(user=agent).key)
    reader = Token.objects.create(user=users["dpo"]).key

    def declare(token: str) -> list[tuple[int, int, str]]:
        """One agent: K declarations, each sent twice with the same submission key; a register read between."""
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        outcomes = []
        for _ in range(PER_AGENT):
            key = str(uuid.uuid4())
            for attempt in (1, 2):
                response = session.post(f"{server}/api/v1/declarations/", json={**ANSWERS, "submission_key": key})
                outcomes.append((attempt, response.status_code, key))
        return outcomes

    def read_register(_index: int) -> list[int]:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {reader}"
        return [session.get(f"{server}/api/v1/use-cases/").status_code for _ in range(PER_AGENT)]

    # When they all submit at once, while the DPO's tools read the register
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=AGENTS + 4) as pool:
        submissions = pool.map(declare, tokens)
        reads = pool.map(read_register, range(4))
        outcomes = [outcome for agent in submissions for outcome in agent]
        read_statuses = [status for reader_statuses in reads for status in reader_statuses]
    elapsed = time.monotonic() - started

    # Then no request failed: every first sending created (201), every second one found it (200), every read answered
    assert sorted({(attempt, status) for attempt, status, _key in outcomes}) == [(1, 201), (2, 200)]
    assert set(read_statuses) == {200}
    # And exactly N×K declarations exist, one per submission key: none lost, none duplicated
    keys = {key for _attempt, _status, key in outcomes}
    assert len(keys) == AGENTS * PER_AGENT
    recorded = list(Declaration.objects.filter(collectivite=collectivite).values_list("submission_key", flat=True))
    assert len(recorded) == AGENTS * PER_AGENT
    assert {str(key) for key in recorded} == keys
    assert elapsed < 60
