"""The document model now lives in `documents` (issue 19): the state forgets it here. No database operation: its
table, renamed by `audits.0010`, is the one `documents.0001_initial` declares."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0010_document_table_renamed"),
        ("charter", "0003_document_in_documents"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Document")],
        ),
    ]
