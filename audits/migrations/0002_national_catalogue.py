"""The national checkpoint types of DOMAIN.md section 4 (their texts come from audits/catalogue.py)."""

from django.db import migrations

DEFAULT_FREQUENCIES = {
    "output_review": "monthly",
    "decision_validation": "monthly",
    "source_verification": "monthly",
    "bias_review": "quarterly",
    "log_retention": "quarterly",
    "oversight_training": "yearly",
    "transparency_notice": "quarterly",
    "crpa_mention": "quarterly",
    "data_minimisation": "monthly",
    "incident_monitoring": "monthly",
    "workers_informed": "yearly",
}


def create(apps, schema_editor):
    CheckpointType = apps.get_model("audits", "CheckpointType")
    for code, frequency in DEFAULT_FREQUENCIES.items():
        CheckpointType.objects.update_or_create(
            collectivite=None, code=code, defaults={"title": code, "practice": code, "default_frequency": frequency}
        )


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
