"""Clear the personal data of the explanation requests closed more than EXPLANATION_RETENTION_MONTHS ago."""

from django.conf import settings
from django.core.management.base import BaseCommand

from explanations.services import requests_purge


class Command(BaseCommand):
    help = "Clear the requesters' personal data of the explanation requests past their retention period."

    def handle(self, *args, **options):
        purged = requests_purge()
        self.stdout.write(
            f"{purged} request(s) anonymised (retention: {settings.EXPLANATION_RETENTION_MONTHS} months after closing)."
        )
