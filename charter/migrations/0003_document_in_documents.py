"""The charter edition's document is a `documents.Document` (issue 19): the same table, renamed by `audits.0010`,
so the foreign key in the database already points at it; only the state changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0002_french_admin_labels"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="charteredition",
                    name="document",
                    field=models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="documents.document",
                        verbose_name="document",
                    ),
                ),
            ],
        ),
    ]
