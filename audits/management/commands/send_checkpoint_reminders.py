"""Send the checkpoint reminders and the DPO digest now (what celery beat runs every morning)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from audits.reminders import send_checkpoint_reminders


class Command(BaseCommand):
    help = "Send the checkpoint reminders due today and the DPO digest (idempotent)."

    def handle(self, *args, **options):
        run = send_checkpoint_reminders()
        if run.skipped_locked:
            self.stdout.write(_("Another run is in progress: nothing sent."))
            return
        self.stdout.write(
            _("Reminders: %(soon)d due soon, %(overdue)d overdue; %(emails)d e-mails and %(digests)d digests sent.")
            % {"soon": run.due_soon, "overdue": run.overdue, "emails": run.emails, "digests": run.digests}
        )
