"""Hand to a worker what is waiting (what celery beat runs every minute): the e-mails and background tasks recorded in
the outbox and not done (the broker was out of reach, a worker was killed), and the documents nothing is generating.

In the embedded default (no broker, tasks run in-process) nothing else does it: run it from cron, e.g. every five
minutes. Idempotent: what is done is never sent again."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from documents.services import documents_sweep
from registry.outbox import sweep


class Command(BaseCommand):
    help = "Hand to a worker the e-mails, tasks and documents still waiting (idempotent)."

    def handle(self, *args, **options):
        entries = sweep()
        documents = documents_sweep()
        self.stdout.write(
            _(
                "Outbox: %(handed)d handed to a worker, %(failed)d not (tried again later). Documents: "
                "%(queued)d queued, %(reset)d taken back from a vanished worker, %(failed_documents)d failed."
            )
            % {**entries, **documents, "failed_documents": documents["failed"]}
        )
