"""Side effects not yet carried out keep running after the upgrade: the tasks of the declarations and of the
documents moved to their apps (issue 19), so the outbox entries not done yet take the tasks' new dotted names (the
worker finds a task by that name). Entries already done keep the name they ran under."""

from django.db import migrations

RENAMED = {
    "registry.tasks.notify_declaration_event": "declarations.tasks.notify_declaration_event",
    "registry.tasks.send_anonymous_declaration_alerts": "declarations.tasks.send_anonymous_declaration_alerts",
    "audits.tasks.generate_document": "documents.tasks.generate_document",
    "audits.tasks.sweep_documents": "documents.tasks.sweep_documents",
}


def _rename(apps, schema_editor, names: dict[str, str]) -> None:
    OutboxEntry = apps.get_model("registry", "OutboxEntry")
    pending = OutboxEntry.objects.using(schema_editor.connection.alias).filter(done_at__isnull=True)
    for old, new in names.items():
        pending.filter(task=old).update(task=new)


def forwards(apps, schema_editor):
    _rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0019_declarations_move_to_their_app"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
