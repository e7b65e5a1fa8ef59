"""Delete the security events older than a retention period (365 days by default).

The CNIL recommends keeping such access logs from six months to one year (recommendation on logging measures,
2021): long enough to investigate an incident, no longer than needed, since they are personal data. Run it daily
(cron, or a Celery beat entry calling `call_command`)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from security.models import SecurityEvent

DEFAULT_RETENTION_DAYS = 365


class Command(BaseCommand):
    help = "Delete the security events older than --older-than-days days (default 365)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, default=DEFAULT_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="Count the events to delete, delete nothing.")

    def handle(self, *args, older_than_days, dry_run, **options):
        if older_than_days < 1:
            raise CommandError("--older-than-days must be at least 1.")
        cutoff = timezone.now() - timedelta(days=older_than_days)
        old = SecurityEvent.objects.filter(created_at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"{old.count()} security events older than {older_than_days} days would be deleted.")
            return
        # A queryset delete: the rows go in one statement (SecurityEvent.delete refuses one-by-one deletion).
        deleted, _by_model = old.delete()
        self.stdout.write(f"{deleted} security events older than {older_than_days} days deleted.")
