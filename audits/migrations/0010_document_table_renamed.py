"""Generated documents move to their own app, `documents` (issue 19): first their table takes the name that app
gives it, rows, ids and files unchanged. `documents.0001_initial` then declares the model there (and moves its
content type), `charter.0003` points the charter edition at it, and `audits.0011` forgets the model here: the state
cannot drop it before the charter's foreign key has left it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0009_durable_side_effects"),
    ]

    operations = [
        migrations.AlterModelTable(name="document", table="documents_document"),
    ]
