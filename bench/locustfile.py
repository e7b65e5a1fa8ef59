"""Locust users of the scale benchmark's load part (`bench/scale.py --only load`); not meant to run alone.

`BENCH_TOKENS` names the JSON file the benchmark wrote (the DPO's token, agents' tokens, their services);
`BENCH_MAX_REQUESTS` bounds the run in count as `--run-time` bounds it in time.
"""

from __future__ import annotations

import itertools
import json
import os
import uuid

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

TOKENS = json.loads(open(os.environ["BENCH_TOKENS"]).read())  # noqa: SIM115 — read once at import
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))
SENT = itertools.count()
AGENTS = itertools.cycle(TOKENS["agents"])

ANSWERS = {
    "tool_name": "ChatGPT",
    "category": "general_chatbot",
    "tasks": "Rédiger des courriers aux usagers (charge)",
    "frequency": "weekly",
    "device": "personal_device",
    "account": "personal_free",
    "data_entered": ["ordinary", "internal"],
    "output_use": ["sent_to_users"],
    "human_review": "always",
    "time_saved_minutes": 30,
    "need": "Répondre plus vite",
}


class Bounded(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def bounded(self):
        if next(SENT) >= MAX_REQUESTS:
            raise StopUser()


class ApiList(Bounded):
    """The DPO reading the register through the API, 50 rows a page, one page after another."""

    @task
    def register(self):
        self.bounded()
        self.client.get(
            "/api/v1/use-cases/?page_size=50",
            headers={"Authorization": f"Token {TOKENS['dpo']}"},
            name="/api/v1/use-cases/",
        )


class Declare(Bounded):
    """Agents declaring a tool through the API, each request a new declaration (a new submission key); each
    simulated user takes the next agent's token (the per-agent limit of production stays in force)."""

    def on_start(self):
        self.token = next(AGENTS)

    @task
    def declare(self):
        self.bounded()
        self.client.post(
            "/api/v1/declarations/",
            json={**ANSWERS, "submission_key": str(uuid.uuid4())},
            headers={"Authorization": f"Token {self.token}"},
            name="/api/v1/declarations/",
        )
        self.token = next(AGENTS)
