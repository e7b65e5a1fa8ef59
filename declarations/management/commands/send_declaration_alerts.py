"""Send the alerts of the anonymous declarations of the previous days now (what celery beat runs every morning)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from declarations.notifications import anonymous_declaration_alerts_send


class Command(BaseCommand):
    help = "Send the alerts of the anonymous shadow-AI declarations made before today (idempotent)."

    def handle(self, *args, **options):
        sent = anonymous_declaration_alerts_send()
        self.stdout.write(_("Alerts of anonymous declarations: %(count)d e-mails sent.") % {"count": sent})
