"""The shadow-AI declarations in their own app (issue 19): the models the register declared until
`registry.0019_declarations_move_to_their_app`, which renamed their tables to these names.

The state declares them here with no database operation (the tables, their rows and ids, are already there), then
their content types move from the `registry` label to `declarations` before anything could create new ones (Django
creates the content types it misses after `migrate`, in `post_migrate`): a permission (`view_declaration`) and
every object permission given on a declaration (guardian) keep pointing at the same content type, with the same id."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import declarations.models

MODELS = ("declaration", "declarationevent", "declarationuserobjectpermission", "declarationgroupobjectpermission")


def _move_content_types(apps, schema_editor, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=old_label, model=model).exists():
            continue  # a new database: Django creates the content type under its new label after the migrations
        # A content type under the new label can only have been made by the new code running before this migration
        # (ContentType.objects.get_for_model creates what it does not find): nothing was granted with it, the tables
        # being still under their old names; the old one, which every grant points to, takes its place.
        for duplicate in types.filter(app_label=new_label, model=model):
            Permission.objects.using(schema_editor.connection.alias).filter(content_type=duplicate).delete()
            duplicate.delete()
        types.filter(app_label=old_label, model=model).update(app_label=new_label)
    ContentType.objects.clear_cache()


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "registry", "declarations")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "declarations", "registry")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0019_declarations_move_to_their_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Declaration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reference', models.CharField(editable=False, max_length=30, verbose_name='reference')),
                        ('follow_up_code', models.CharField(default=declarations.models._new_follow_up_code, editable=False, max_length=32, unique=True, verbose_name='follow-up code')),
                        ('submission_key', models.UUIDField(editable=False, unique=True, verbose_name='submission key')),
                        ('submitter_digest', models.CharField(blank=True, editable=False, max_length=64, verbose_name='submitter digest')),
                        ('tool_name', models.CharField(blank=True, max_length=200, verbose_name='tool as declared')),
                        ('category', models.CharField(choices=[('general_chatbot', 'General-purpose chatbot'), ('code', 'Code assistant'), ('transcription', 'Transcription'), ('translation', 'Translation'), ('image', 'Image generation'), ('browser_extension', 'Browser extension'), ('office_suite_feature', 'Office-suite feature'), ('business_software', 'Business software with AI'), ('other', 'Other')], max_length=30, verbose_name='kind of tool')),
                        ('tasks', models.TextField(verbose_name='what it is used for')),
                        ('frequency', models.CharField(choices=[('occasional', 'Occasionally'), ('monthly', 'Every month'), ('weekly', 'Every week'), ('daily', 'Every day')], max_length=20, verbose_name='how often')),
                        ('used_since', models.DateField(blank=True, null=True, verbose_name='used since')),
                        ('device', models.CharField(choices=[('work_pc', 'Work computer'), ('work_mobile', 'Work phone or tablet'), ('personal_device', 'Personal device')], max_length=20, verbose_name='device')),
                        ('account', models.CharField(choices=[('personal_free', 'Personal free account'), ('personal_paid', 'Personal paid account'), ('professional', 'Professional account provided by the collectivité'), ('api', 'API access')], max_length=20, verbose_name='account')),
                        ('data_entered', models.JSONField(blank=True, default=list, verbose_name='data entered')),
                        ('output_use', models.JSONField(blank=True, default=list, verbose_name='what the output becomes')),
                        ('human_review', models.CharField(choices=[('always', 'Always'), ('sometimes', 'Sometimes'), ('never', 'Never')], max_length=10, verbose_name='human review of the output')),
                        ('time_saved_minutes', models.PositiveIntegerField(blank=True, null=True, verbose_name='time saved per week (minutes)')),
                        ('need', models.TextField(blank=True, verbose_name='the need behind it')),
                        ('status', models.CharField(choices=[('received', 'Received'), ('analysing', 'Being analysed'), ('regularised', 'Regularised'), ('alternative_offered', 'Alternative offered'), ('to_stop', 'To stop'), ('closed', 'Closed')], default='received', editable=False, max_length=30, verbose_name='status')),
                        ('risk_score', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='risk score')),
                        ('risk_level', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('critical', 'Critical')], default='low', editable=False, max_length=10, verbose_name='risk')),
                        ('risk_factors', models.JSONField(default=list, editable=False, verbose_name='risk factors')),
                        ('possible_breach', models.BooleanField(default=False, editable=False, verbose_name='possible personal-data breach')),
                        ('breach_deadline', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='breach assessment deadline')),
                        ('breach_outcome', models.CharField(blank=True, choices=[('not_a_breach', 'Not a personal-data breach'), ('breach_not_notified', 'Breach unlikely to result in a risk: recorded, not notified'), ('breach_notified', 'Breach notified to the CNIL'), ('breach_notified_persons', 'Breach notified to the CNIL and to the persons')], editable=False, max_length=30, verbose_name='breach assessment')),
                        ('breach_notes', models.TextField(blank=True, editable=False, verbose_name='breach assessment notes')),
                        ('breach_assessed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='breach assessed at')),
                        ('answer', models.TextField(blank=True, editable=False, verbose_name='answer to the agent')),
                        ('answered_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='answered at')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='declared at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('alternative_tool', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.tool', verbose_name='alternative offered')),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='declarations', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('breach_assessed_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='breach assessed by')),
                        ('collectivite', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='declarations', to='registry.collectivite', verbose_name='collectivité')),
                        ('service', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.service', verbose_name='service')),
                        ('tool', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='declarations', to='registry.tool', verbose_name='tool')),
                        ('use_case', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='declarations', to='registry.usecase', verbose_name='use case')),
                    ],
                    options={
                        'verbose_name': 'shadow-AI declaration',
                        'verbose_name_plural': 'shadow-AI declarations',
                        'ordering': ['-risk_score', '-created_at', '-reference'],
                    },
                ),
                migrations.CreateModel(
                    name='DeclarationEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('submitted', 'Declared'), ('analysing', 'Analysis started'), ('regularised', 'Regularised'), ('alternative_offered', 'Alternative offered'), ('to_stop', 'Asked to stop'), ('closed', 'Closed'), ('breach_assessed', 'Breach assessed')], max_length=30, verbose_name='kind')),
                        ('from_status', models.CharField(blank=True, choices=[('received', 'Received'), ('analysing', 'Being analysed'), ('regularised', 'Regularised'), ('alternative_offered', 'Alternative offered'), ('to_stop', 'To stop'), ('closed', 'Closed')], max_length=30, verbose_name='from status')),
                        ('to_status', models.CharField(blank=True, choices=[('received', 'Received'), ('analysing', 'Being analysed'), ('regularised', 'Regularised'), ('alternative_offered', 'Alternative offered'), ('to_stop', 'To stop'), ('closed', 'Closed')], max_length=30, verbose_name='to status')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                        ('notified_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='notified at')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='actor')),
                        ('declaration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='declarations.declaration', verbose_name='declaration')),
                    ],
                    options={
                        'verbose_name': 'declaration event',
                        'verbose_name_plural': 'declaration events',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='DeclarationGroupObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='declarations.declaration', verbose_name='content object')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                    ],
                    options={
                        'verbose_name': 'declaration permission of a group',
                        'verbose_name_plural': 'declaration permissions of groups',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='DeclarationUserObjectPermission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='declarations.declaration', verbose_name='content object')),
                        ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'declaration permission of a user',
                        'verbose_name_plural': 'declaration permissions of users',
                        'abstract': False,
                    },
                ),
                migrations.AddIndex(
                    model_name='declaration',
                    index=models.Index(fields=['collectivite', 'status', '-risk_score'], name='declaration_collect_cfb78b_idx'),
                ),
                migrations.AddIndex(
                    model_name='declaration',
                    index=models.Index(fields=['collectivite', '-risk_score', '-created_at'], name='declaration_collect_5209cf_idx'),
                ),
                migrations.AddIndex(
                    model_name='declaration',
                    index=models.Index(fields=['collectivite', 'tool'], name='declaration_collect_c7b285_idx'),
                ),
                migrations.AddIndex(
                    model_name='declaration',
                    index=models.Index(fields=['collectivite', 'created_at', 'status', 'possible_breach', 'breach_outcome', 'risk_level', 'breach_deadline'], name='declaration_counts'),
                ),
                migrations.AddConstraint(
                    model_name='declaration',
                    constraint=models.UniqueConstraint(fields=('collectivite', 'reference'), name='declaration_reference_unique'),
                ),
                migrations.AddConstraint(
                    model_name='declaration',
                    constraint=models.CheckConstraint(condition=models.Q(('tool__isnull', False), models.Q(('tool_name', ''), _negated=True), _connector='OR'), name='declaration_names_a_tool'),
                ),
                migrations.AlterUniqueTogether(
                    name='declarationgroupobjectpermission',
                    unique_together={('group', 'permission', 'content_object')},
                ),
                migrations.AlterUniqueTogether(
                    name='declarationuserobjectpermission',
                    unique_together={('user', 'permission', 'content_object')},
                ),
            ],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards, elidable=False),
    ]
