# Issue 18: a submission key is bound to whoever first sent it (a keyed hash, never the author), and an anonymous
# declaration keeps the date only, not the time of day, of its timestamps and of its events'.
import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations, models

DATE_ONLY_FIELDS = ("created_at", "updated_at", "answered_at", "breach_assessed_at")
BREACH_ASSESSMENT_HOURS = 72


def _start_of_day(moment, zone):
    return datetime.datetime.combine(moment.astimezone(zone).date(), datetime.time.min, tzinfo=zone)


def keep_date_only(apps, schema_editor):
    """Existing anonymous declarations (no author) and their events: every timestamp to midnight, Europe/Paris, of its
    day; a breach deadline counted from the start of the day it was declared (earlier, never later)."""
    Declaration = apps.get_model("registry", "Declaration")
    DeclarationEvent = apps.get_model("registry", "DeclarationEvent")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    declarations = []
    for declaration in Declaration.objects.filter(author__isnull=True).iterator():
        if declaration.breach_deadline is not None:
            start = _start_of_day(declaration.created_at, zone)
            declaration.breach_deadline = start + datetime.timedelta(hours=BREACH_ASSESSMENT_HOURS)
        for name in DATE_ONLY_FIELDS:
            value = getattr(declaration, name)
            if value is not None:
                setattr(declaration, name, _start_of_day(value, zone))
        declarations.append(declaration)
    Declaration.objects.bulk_update(declarations, [*DATE_ONLY_FIELDS, "breach_deadline"], batch_size=500)
    events = []
    for event in DeclarationEvent.objects.filter(declaration__author__isnull=True).iterator():
        event.created_at = _start_of_day(event.created_at, zone)
        if event.notified_at is not None:
            event.notified_at = _start_of_day(event.notified_at, zone)
        events.append(event)
    DeclarationEvent.objects.bulk_update(events, ["created_at", "notified_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("registry", "0016_committee_presiding")]

    operations = [
        migrations.AlterModelOptions(
            name="declaration",
            options={
                "ordering": ["-risk_score", "-created_at", "-reference"],
                "verbose_name": "shadow-AI declaration",
                "verbose_name_plural": "shadow-AI declarations",
            },
        ),
        migrations.AddField(
            model_name="declaration",
            name="submitter_digest",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="submitter digest"),
        ),
        migrations.RunPython(keep_date_only, migrations.RunPython.noop, elidable=True),
    ]
