"""The broker out of reach while people work (issue 18, item 7): an agent declares a shadow-AI tool (a possible
personal-data breach: the « 72 h » alert), the RSSI gives the opinion that decides a case, its owner reports a breach
incident, the DPO asks for the annual report. Each gets their success page, told that the e-mail (the document) will
follow as soon as possible, never a 500, and each record is saved with its side effects in the outbox. Once the broker
is back, the sweep (`manage.py dispatch_pending`, what celery beat runs every minute) hands them to a worker: every
e-mail goes out exactly once (even when the sweep hands them twice), the document is generated.

Twice: in-process (SQLite or PostgreSQL, the publishing refused as Redis refuses it, tasks run eagerly), and with a
real broker pointed at a dead port then restored, and a real Celery worker (PostgreSQL and Redis, as in CI).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from contextlib import contextmanager
from html import unescape
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from audits.models import Incident
from declarations.models import Declaration, DeclarationEvent
from documents.models import Document
from registry.choices import ReviewDecision, ReviewStatus
from registry.models import OutboxEntry, UseCaseEvent
from tests.declarations.support import breach_form
from tests.documents import pdf_builder_stub
from tests.registry import reviews_support as rs

from .conftest import needs_postgresql, needs_redis, wait_for

DEAD_BROKER = "redis://127.0.0.1:1/0"
YEAR = 2026
EMAIL_LATER = "Le courriel partira dès que possible."
DOCUMENT_LATER = "Le document sera préparé dès que possible."


@pytest.fixture(autouse=True)
def _no_grace(settings):
    """The sweep hands what waits at once (in production it leaves a minute to the dispatch after commit)."""
    settings.OUTBOX_GRACE_SECONDS = 0
    cache.clear()  # the declaration form's per-person counters


@pytest.fixture
def stub_builders(monkeypatch, settings, tmp_path):
    pdf_builder_stub.use_stub_builders(monkeypatch, settings, tmp_path)


def page(response) -> str:
    return unescape(response.content.decode())


def declaration_form() -> dict:
    """Health data typed into ChatGPT on a personal account: a possible breach, the « 72 h » alert to the DPO."""
    return breach_form(tasks="Rédiger des courriers aux usagers", need="Répondre plus vite aux usagers")


def sweep() -> None:
    """`manage.py dispatch_pending`, as cron (embedded default) or celery beat (the same sweep) runs it."""
    call_command("dispatch_pending", stdout=io.StringIO())


def incident_form() -> dict:
    return {
        "occurred_at": (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "description": "Un courrier contenant le nom d'un autre usager a été envoyé.",
        "severity": "major",
        "persons_affected": "2",
        "actions_taken": "Courrier rappelé.",
        "personal_data_breach": "on",
    }


def work_while_the_broker_is_down(users, use_case, client_for) -> dict:
    """The four requests, each answered with its success page and the notice; returns what they recorded."""
    review = rs.submit(use_case)
    rs.opinion(review, users["dpo"], "dpo")
    # (what happened before the broker went away was told then: only what follows waits)
    OutboxEntry.objects.update(done_at=timezone.now())
    UseCaseEvent.objects.update(notified_at=timezone.now())
    mail.outbox.clear()

    # An agent declares a shadow-AI tool
    response = client_for(users["agent"]).post(reverse("registry:declaration_create"), declaration_form(), follow=True)
    assert response.status_code == 200 and EMAIL_LATER in page(response)
    declaration = Declaration.objects.get()
    assert declaration.possible_breach

    # The RSSI gives the last opinion: the case is decided
    response = client_for(users["rssi"]).post(
        reverse("registry:opinion_give", args=[use_case.pk, "rssi"]), {"verdict": "favourable"}, follow=True
    )
    assert response.status_code == 200 and EMAIL_LATER in page(response)
    review.refresh_from_db()
    assert (review.status, review.decision) == (ReviewStatus.DECIDED, ReviewDecision.APPROVED)

    # Its owner reports a personal-data breach
    response = client_for(use_case.owner).post(
        reverse("audits:incident_create", args=[use_case.pk]), incident_form(), follow=True
    )
    assert response.status_code == 200 and EMAIL_LATER in page(response)
    incident = Incident.objects.get()
    assert incident.breach_deadline

    # The DPO asks for the annual report
    response = client_for(users["dpo"]).post(
        reverse("audits:document_request"), {"kind": Document.Kind.ANNUAL_REPORT, "year": YEAR}, follow=True
    )
    assert response.status_code == 200 and DOCUMENT_LATER in page(response)
    document = Document.objects.get()

    # Nothing was sent, nothing was queued; everything waits in the database
    assert mail.outbox == []
    assert document.status == Document.Status.PENDING and document.dispatched_at is None
    waiting = OutboxEntry.objects.filter(done_at__isnull=True)
    assert waiting.count() >= 3 and not waiting.filter(dispatched_at__isnull=False).exists()
    assert DeclarationEvent.objects.filter(notified_at__isnull=True).count() == 1
    return {"declaration": declaration, "incident": incident, "document": document, "review": review}


def assert_everything_sent_once(users, use_case, recorded) -> None:
    sent = Counter((message.subject, tuple(message.to)) for message in mail.outbox)
    assert sent and max(sent.values()) == 1, sent
    dpo = users["dpo"].email
    subjects_to_dpo = [message.subject for message in mail.outbox if dpo in message.to]
    # The « 72 h » alerts: the declaration's and the incident's
    assert any(recorded["declaration"].reference in s and "72" in s for s in subjects_to_dpo), subjects_to_dpo
    assert any(use_case.reference in s and "72" in s for s in subjects_to_dpo), subjects_to_dpo
    # The decision, to its owner
    assert any(use_case.owner.email in message.to for message in mail.outbox)
    assert not OutboxEntry.objects.filter(done_at__isnull=True).exists()
    assert not DeclarationEvent.objects.filter(notified_at__isnull=True).exists()
    assert not UseCaseEvent.objects.filter(use_case=use_case, notified_at__isnull=True).exists()
    assert Incident.objects.get().notified_at is not None
    assert Document.objects.get().status == Document.Status.READY


# In-process --------------------------------------------------------------------------------------------------------
@contextmanager
def publishing_refused():
    """Every task handed to the broker is refused as Redis refuses it when it is down."""
    refused = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with mock.patch("celery.app.task.Task.apply_async", side_effect=refused):
        yield


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_people_get_their_page_and_every_email_goes_out_once_when_it_is_back(
    users, use_case, client_for, stub_builders
):
    with publishing_refused():
        recorded = work_while_the_broker_is_down(users, use_case, client_for)
        # the sweep, while it is still down, keeps everything waiting
        sweep()
        assert mail.outbox == [] and OutboxEntry.objects.filter(done_at__isnull=True).count() >= 3

    # When the broker is back, the sweep runs (twice: the second finds nothing left to send)
    sweep()
    OutboxEntry.objects.update(next_attempt_at=timezone.now())
    sweep()

    assert_everything_sent_once(users, use_case, recorded)


# A real broker and a real worker -----------------------------------------------------------------------------------
@contextmanager
def broker_at(url: str):
    """Point this process's publishing at another broker URL (a dead port), then back."""
    from config.celery import app

    def switch(to):
        app.conf.broker_url = app.conf.broker_write_url = to
        app._pool = None  # kombu keeps one connection pool per URL: the next publish takes the new URL's
        app.amqp._producer_pool = None

    previous = app.conf.broker_write_url or app.conf.broker_url
    switch(url)
    try:
        yield
    finally:
        switch(previous)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@needs_postgresql
@needs_redis
def test_with_redis_unreachable_nothing_is_lost_and_a_real_worker_sends_each_email_once_when_it_is_back(
    users, use_case, client_for, stub_builders
):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    # Given Redis out of reach (a dead port) while people work
    with broker_at(DEAD_BROKER):
        recorded = work_while_the_broker_is_down(users, use_case, client_for)
        sweep()  # refused too: still waiting
        assert OutboxEntry.objects.filter(done_at__isnull=True, dispatched_at__isnull=True).count() >= 3

    # When Redis is back and a worker runs, the sweep hands everything to it, twice over (a second sweep before the
    # worker is done: every entry is in the queue two times)
    sweep()
    OutboxEntry.objects.filter(done_at__isnull=True).update(next_attempt_at=timezone.now())
    Document.objects.update(dispatched_at=timezone.now() - dt.timedelta(hours=1))
    sweep()
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        done = wait_for(
            lambda: (
                not OutboxEntry.objects.filter(done_at__isnull=True).exists()
                and Document.objects.filter(status=Document.Status.READY).exists()
            ),
            timeout=60,
            interval=0.2,
        )
        assert done, list(OutboxEntry.objects.values("task", "attempts", "last_error", "done_at"))
        wait_for(lambda: False, timeout=1)  # the duplicates still in the queue run too (and send nothing)

    # Then every e-mail went out, each exactly once, and the document is there
    assert_everything_sent_once(users, use_case, recorded)
