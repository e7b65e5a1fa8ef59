"""Guided qualification (issue 16): existing use cases get the plain facts their recorded legal inputs imply where
the mapping is one-to-one (`qualification.facts_implied_by`); the other facts stay unanswered and the use case is
marked "facts to complete" (a task for its owner). No recorded legal input is lost: while a fact is missing, the
input it would derive keeps its recorded value. The register is then reclassified after `migrate` (the rule set
changed), which recomputes what each use case leaves to do.
"""

from django.db import migrations

# The legal inputs the mapping reads, and the facts it may fill (kept here as the data of this migration).
INPUTS = (
    "technique",
    "self_learning",
    "annex_iii_point",
    "art6_3_ground",
    "automation_level",
    "individual_decisions",
    "administrative_appeal",
    "profiling",
    "systematic_monitoring",
    "annex_i_product",
    "audience",
)


def fill_facts(apps, schema_editor):
    from registry.qualification import facts_implied_by, missing_facts

    UseCase = apps.get_model("registry", "UseCase")
    for use_case in UseCase.objects.all().iterator(chunk_size=500):
        facts = facts_implied_by({name: getattr(use_case, name) for name in INPUTS})
        for name, value in facts.items():
            setattr(use_case, name, value)
        use_case.facts_to_complete = bool(missing_facts(facts))
        use_case.save(update_fields=[*facts, "facts_to_complete"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_qualification_facts")]
    operations = [migrations.RunPython(fill_facts, migrations.RunPython.noop)]
