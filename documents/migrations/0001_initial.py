"""Generated documents in their own app (issue 19): the model `audits` declared until
`audits.0010_document_table_renamed`, which renamed its table to this name.

The state declares it here with no database operation (the table, its rows, ids and files are already there), then
its content type moves from the `audits` label to `documents` before anything could create a new one (Django creates
the content types it misses after `migrate`, in `post_migrate`): the security journal, the admin's log and any
permission keep pointing at the same content type, with the same id. `charter.0003` then points the charter edition's
document at this model, and `audits.0011` forgets the old one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import documents.models


def _move_content_type(apps, schema_editor, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if types.filter(app_label=old_label, model="document").exists():
        # A content type under the new label can only have been made by the new code running before this migration
        # (ContentType.objects.get_for_model creates what it does not find): the old one takes its place.
        for duplicate in types.filter(app_label=new_label, model="document"):
            Permission.objects.using(schema_editor.connection.alias).filter(content_type=duplicate).delete()
            duplicate.delete()
        types.filter(app_label=old_label, model="document").update(app_label=new_label)
    ContentType.objects.clear_cache()


def content_type_forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "audits", "documents")


def content_type_backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, "documents", "audits")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("audits", "0010_document_table_renamed"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0018_durable_side_effects"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Document',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('charter', 'Annual AI usage charter'), ('use_case_report', 'Use case audit report'), ('annual_report', 'Annual audit report'), ('committee_minutes', 'Ethics committee minutes')], max_length=20, verbose_name='kind')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                        ('subject_key', models.CharField(editable=False, max_length=40, verbose_name='subject key')),
                        ('status', models.CharField(choices=[('pending', 'Waiting'), ('running', 'Being generated'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', editable=False, max_length=10, verbose_name='status')),
                        ('file', models.FileField(blank=True, editable=False, max_length=300, upload_to=documents.models.document_path, verbose_name='file')),
                        ('sha256', models.CharField(blank=True, editable=False, max_length=64, verbose_name='SHA-256 fingerprint')),
                        ('size', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='size')),
                        ('pages', models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name='pages')),
                        ('frozen', models.BooleanField(default=False, editable=False, verbose_name='frozen')),
                        ('error', models.TextField(blank=True, editable=False, verbose_name='error')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='attempts')),
                        ('requested_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='requested at')),
                        ('started_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='started at')),
                        ('dispatched_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='queued at')),
                        ('lease_expires_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='lease expires at')),
                        ('generated_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='generated at')),
                        ('collectivite', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='registry.collectivite', verbose_name='collectivité')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('session', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='registry.committeesession', verbose_name='session')),
                        ('use_case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='registry.usecase', verbose_name='use case')),
                    ],
                    options={
                        'verbose_name': 'document',
                        'verbose_name_plural': 'documents',
                        'ordering': ['-requested_at', '-id'],
                        'constraints': [models.UniqueConstraint(fields=('collectivite', 'kind', 'subject_key'), name='document_one_per_subject')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_forwards, content_type_backwards, elidable=False),
    ]
