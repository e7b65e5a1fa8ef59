"""A Celery worker killed (SIGKILL, the whole process group) in the middle of a document generation: nothing
partial is left in the media, the previous edition stays served, and once a worker is back the message is delivered
again (acks_late + the Redis visibility timeout) and the document is produced, whole.

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
from django.urls import reverse
from pypdf import PdfReader

from audits.documents import document_request
from audits.models import Document
from config.celery import app

from .conftest import VENV_BIN, needs_postgresql, needs_redis, subprocess_env, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), needs_postgresql, needs_redis]

Status = Document.Status
YEAR = 2025


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
    workers = [start_worker(log, media)]
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

        # When a worker is back (a short visibility timeout, swept every second, so the test need not wait an hour)
        workers.append(
            start_worker(
                log,
                media,
                CELERY_VISIBILITY_TIMEOUT="5",
                CELERY_UNACKED_RESTORE_INTERVAL="1",
                CELERY_UNACKED_RESTORE_THROTTLE="1",
            )
        )

        # Then the unacknowledged message is delivered again and the document is produced, once, whole
        done = wait_for(lambda: Document.objects.filter(pk=document.pk, status=Status.READY).first(), timeout=45)
        assert done, log.read_text()[-3000:]
        assert done.attempts == 2  # the killed run and the redelivered one: no new request was needed
        assert done.file.name != first.file.name
        content = (media / done.file.name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == done.sha256 and len(content) == done.size
        assert len(PdfReader(io.BytesIO(content)).pages) == done.pages > 1
        # the previous edition is deleted once the switch committed: nothing orphaned is left behind
        assert wait_for(lambda: files_in(media) == {done.file.name}, timeout=5)
    finally:
        for worker in workers:
            stop(worker)
