"""Reclassify the register with the current rules: `python manage.py reclassify [--all]`."""

from django.core.management.base import BaseCommand

from registry import rules, services


class Command(BaseCommand):
    help = "Reclassify the use cases classified by an older rule set (--all: every use case)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Reclassify every use case, not only outdated ones.")

    def handle(self, *args, **options):
        changed = services.register_reclassify(outdated_only=not options["all"])
        self.stdout.write(f"Rule set {rules.RULESET_VERSION}: {changed} use case(s) with changed verdicts.")
