"""The national checkpoint type `provider_conformity` (DOMAIN.md section 4, rule set 2026.12)."""

from django.db import migrations


def create(apps, schema_editor):
    CheckpointType = apps.get_model("audits", "CheckpointType")
    CheckpointType.objects.update_or_create(
        collectivite=None,
        code="provider_conformity",
        defaults={"title": "provider_conformity", "practice": "provider_conformity", "default_frequency": "yearly"},
    )


class Migration(migrations.Migration):
    dependencies = [("audits", "0006_attestation_evidence_sha256")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
