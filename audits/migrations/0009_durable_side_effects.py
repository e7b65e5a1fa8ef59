# Issue 18: a document's generation is handed to the broker (dispatched_at) and held by a worker's lease.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audits", "0008_french_admin_labels")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="dispatched_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="queued at"),
        ),
        migrations.AddField(
            model_name="document",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="lease expires at"),
        ),
    ]
