"""The sessions recorded before the rules of procedure: a past session that was closed, or that gave an opinion, is
taken as held on its date (a planned one is then in session); its attendance was not recorded, and its minutes say
so. A session dated in the future stays planned, whatever was recorded on it: it was not held."""

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone


def mark_held(apps, schema_editor):
    CommitteeSession = apps.get_model("registry", "CommitteeSession")
    past = CommitteeSession.objects.filter(held_on__lte=timezone.now(), opened_at__isnull=True)
    held = list(past.filter(Q(status="closed") | Q(items__opinion__gt="")).values_list("pk", flat=True).distinct())
    CommitteeSession.objects.filter(pk__in=held, status="planned").update(status="open")
    CommitteeSession.objects.filter(pk__in=held).update(opened_at=F("held_on"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0013_committee_rules_of_procedure")]

    operations = [migrations.RunPython(mark_held, migrations.RunPython.noop)]
