# Issue 18: the outbox (registry.outbox) — the side effects of a write, recorded in its transaction.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0017_declaration_anonymity")]

    operations = [
        migrations.CreateModel(
            name="OutboxEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("task", models.CharField(max_length=200, verbose_name="task")),
                ("kwargs", models.JSONField(blank=True, default=dict, verbose_name="arguments")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("next_attempt_at", models.DateTimeField(verbose_name="next attempt at")),
                ("dispatched_at", models.DateTimeField(blank=True, null=True, verbose_name="handed to the broker at")),
                ("claimed_until", models.DateTimeField(blank=True, null=True, verbose_name="claimed until")),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                ("done_keys", models.JSONField(blank=True, default=list, verbose_name="e-mails already sent")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done at")),
            ],
            options={
                "verbose_name": "outbox entry",
                "verbose_name_plural": "outbox entries",
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("done_at__isnull", True)),
                        fields=["next_attempt_at"],
                        name="outbox_pending_idx",
                    )
                ],
            },
        ),
    ]
