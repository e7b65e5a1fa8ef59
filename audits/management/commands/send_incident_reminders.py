"""Send the reminders of the incidents' notification deadlines now (what celery beat runs every hour)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from audits.incident_reminders import send_incident_reminders


class Command(BaseCommand):
    help = "Send the reminders of the incidents' notification deadlines (idempotent)."

    def handle(self, *args, **options):
        run = send_incident_reminders()
        self.stdout.write(
            _("Incident reminders: %(soon)d due soon, %(overdue)d overdue; %(emails)d e-mails sent.")
            % {"soon": run.due_soon, "overdue": run.overdue, "emails": run.emails}
        )
