# Issue 18, item 2: who presides over a case when the chair may not (a vice-chair, else the eldest member present),
# and who presided, frozen with the committee's opinion. Filled in by hand, checked by makemigrations --check.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0015_french_admin_labels")]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="presided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="presided by",
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="presiding_role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("chair", "chair"),
                    ("vice_chair", "vice-chair"),
                    ("eldest", "eldest member present"),
                    ("longest_serving", "longest-serving member present"),
                ],
                editable=False,
                max_length=20,
                verbose_name="presiding as",
            ),
        ),
        migrations.AddField(
            model_name="committeemember",
            name="birth_date",
            field=models.DateField(
                blank=True,
                help_text=(
                    "Optional, and used for one thing only: naming the eldest member present, who presides over a "
                    "case when neither the chair nor the vice-chair may. Without it, the longest-serving member "
                    "presides."
                ),
                null=True,
                verbose_name="date of birth",
            ),
        ),
        migrations.AddField(
            model_name="committeemember",
            name="is_vice_chair",
            field=models.BooleanField(default=False, verbose_name="vice-chair"),
        ),
        migrations.AddConstraint(
            model_name="committeemember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True), ("is_vice_chair", True)),
                fields=("collectivite",),
                name="committee_one_vice_chair",
            ),
        ),
        migrations.AddConstraint(
            model_name="committeemember",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_chair", True), ("is_vice_chair", True), _negated=True),
                name="committee_chair_not_vice_chair",
            ),
        ),
    ]
