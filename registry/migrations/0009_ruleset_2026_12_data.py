"""Rule set 2026.12 (issue 15): the AI Act's dates of application become data, and the answers the former rules
derived are carried over as inputs, so that no obligation disappears silently when the register is reclassified.

- The dates of application (AI Act art. 113, as amended by the 2026 "Digital Omnibus" on AI) are seeded.
- `technique` keeps its codes: `rules` keeps its meaning of "written by people" (now: not an AI system).
- Systematic monitoring was inferred from Annex III points 3(d) (monitoring students during tests) and 4(b)
  (monitoring of workers): it is now an answer, set where the former rule saw it.
- The CNIL's list type "social support" was inferred from Annex III point 5(a): it is now an answer, set there.

The reclassification itself runs after the migrations (`registry.signals`: every use case whose stored rule set
is older is reclassified by the `reclassify_register` task, each changed verdict recorded in its history), with
the current models and services: a data migration must not rely on them.
"""

import datetime

from django.db import migrations

OMNIBUS = (
    "Règlement (UE) 2024/1689, art. 113, modifié par le règlement « omnibus numérique » sur l'IA "
    "(accord politique du 7 mai 2026, adopté par le Conseil le 29 juin 2026)"
)
DATES = (
    ("prohibited_practices", datetime.date(2025, 2, 2), "Règlement (UE) 2024/1689, art. 113, point a)"),
    ("ai_literacy", datetime.date(2025, 2, 2), "Règlement (UE) 2024/1689, art. 113, point a)"),
    ("transparency", datetime.date(2026, 8, 2), "Règlement (UE) 2024/1689, art. 113, premier alinéa"),
    ("high_risk_annex_iii", datetime.date(2027, 12, 2), OMNIBUS),
    ("high_risk_annex_i", datetime.date(2028, 8, 2), OMNIBUS),
)


def seed_dates(apps, schema_editor):
    ApplicationDate = apps.get_model("registry", "ApplicationDate")
    for key, applies_from, source in DATES:
        ApplicationDate.objects.get_or_create(key=key, defaults={"applies_from": applies_from, "source": source})


def carry_over_inputs(apps, schema_editor):
    UseCase = apps.get_model("registry", "UseCase")
    UseCase.objects.filter(annex_iii_point__in=("3d", "4b")).update(systematic_monitoring=True)
    for use_case in UseCase.objects.filter(annex_iii_point="5a").only("pk", "cnil_list_types"):
        if "social_support" not in use_case.cnil_list_types:
            use_case.cnil_list_types = [*use_case.cnil_list_types, "social_support"]
            use_case.save(update_fields=["cnil_list_types"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_ruleset_2026_12")]
    operations = [
        migrations.RunPython(seed_dates, migrations.RunPython.noop),
        migrations.RunPython(carry_over_inputs, migrations.RunPython.noop),
    ]
