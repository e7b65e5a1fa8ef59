"""A Celery worker killed (SIGKILL, the whole process group) in the middle of a document generation: nothing
partial is left in the media, the previous edition stays served, asking again while the worker's lease runs changes
nothing, and once the lease expired the sweep (`manage.py dispatch_pending`, celery beat every minute) hands the
document to a worker that is back, which produces it, whole: no waiting for the broker's one-hour visibility timeout.

A real `celery worker` (prefork, one process) on the Redis broker and the test database; the real builder and
WeasyPrint: the annual audit report takes seconds to render, which is the window the kill lands in.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config.celery import app
from documents.models import Document
from documents.services import document_request

from .conftest import VENV_BIN, needs_postgresql, needs_redis, subprocess_env, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), needs_postgresql, needs_redis]

Status = Document.Status
YEAR = 2025
LEASE = 15  # seconds


def start_worker(log: Path, media: Path, **env: str) -> subprocess.Popen:
    """A worker of its own process group (so that it and its pool child can be killed together)."""
    command = [
        str(VENV_BIN / "celery"),
        "-A",
        "config",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        f"--queues={app.conf.task_default_queue}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with open(log, "ab") as out:
        return subprocess.Popen(
            command,
            env=subprocess_env(DJANGO_MEDIA_ROOT=str(media), **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def files_in(media: Path) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_worker_killed_mid_generation_leaves_nothing_partial_and_the_document_is_produced_when_one_is_back(
    collectivite, users, use_case, client_for, settings, tmp_path
):
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    log = tmp_path / "worker.log"
    # (a short lease, so that the test need not wait ten minutes for the killed worker's to expire)
    workers = [start_worker(log, media, DOCUMENT_LEASE_SECONDS=str(LEASE))]
    try:
        # Given this year's annual report already generated once by the worker (the edition people download)
        document = document_request(
            collectivite=collectivite, acting_user=users["dpo"], kind=Document.Kind.ANNUAL_REPORT, year=YEAR
        )
        first = wait_for(lambda: Document.objects.filter(pk=document.pk, status=Status.READY).first(), timeout=40)
        assert first, log.read_text()[-3000:]
        assert files_in(media) == {first.file.name}

        # When it is asked again, and the worker is killed, with its pool process, while it renders
        document_request(
            collectivite=collectivite, acting_user=users["dpo"], kind=Document.Kind.ANNUAL_REPORT, year=YEAR
        )
        running = wait_for(lambda: Document.objects.filter(pk=document.pk, status=Status.RUNNING).exists(), 20, 0.02)
        assert running, log.read_text()[-3000:]
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)

        # Then the document is still "running" on its previous edition: no partial, no new file in the media
        killed = Document.objects.get(pk=document.pk)
        assert killed.status == Status.RUNNING and killed.attempts == 1
        assert (killed.file.name, killed.sha256) == (first.file.name, first.sha256)
        assert files_in(media) == {first.file.name}
        assert sha256(media / first.file.name) == first.sha256
        # and the previous edition is what a download serves meanwhile
        response = client_for(users["dpo"]).get(reverse("audits:document_download", args=[document.pk]))
        assert response.status_code == 200
        assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == first.sha256

        # While its lease runs, asking again changes nothing: the document is held by its (vanished) worker
        again = document_request(
            collectivite=collectivite, acting_user=users["dpo"], kind=Document.Kind.ANNUAL_REPORT, year=YEAR
        )
        assert again.status == Status.RUNNING and again.attempts == 1

        # When a worker is back (with the default one-hour visibility timeout: the killed message stays unacknowledged)
        workers.append(start_worker(log, media))
        # and the sweep runs once the killed worker's lease expired
        assert wait_for(lambda: Document.objects.get(pk=document.pk).lease_expires_at < timezone.now(), LEASE + 5)
        out = io.StringIO()
        call_command("dispatch_pending", stdout=out)
        assert "1 repris" in out.getvalue(), out.getvalue()

        # Then the document is produced, once, whole
        done = wait_for(lambda: Document.objects.filter(pk=document.pk, status=Status.READY).first(), timeout=45)
        assert done, log.read_text()[-3000:]
        assert done.attempts == 2  # the killed run and the one the sweep queued: no new request was needed
        assert done.file.name != first.file.name
        content = (media / done.file.name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == done.sha256 and len(content) == done.size
        assert len(PdfReader(io.BytesIO(content)).pages) == done.pages > 1
        # the previous edition is deleted once the switch committed: nothing orphaned is left behind
        assert wait_for(lambda: files_in(media) == {done.file.name}, timeout=5)
    finally:
        for worker in workers:
            stop(worker)
