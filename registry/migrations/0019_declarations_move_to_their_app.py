"""The shadow-AI declarations move to their own app, `declarations` (issue 19): their rows stay where they are.

The database keeps every row and every id: its tables are renamed to the names the `declarations` app gives them
(AlterModelTable), and the three indexes Django named after the old table take the names it computes for the new one
(RenameIndex: `declaration_counts` and the constraints have names of their own, kept). The migration state forgets
the models here; `declarations.0001_initial` declares them there, with no database operation, and renames their
content types so that permissions and object permissions (guardian) keep pointing at the same rows."""

from django.db import migrations

TABLES = {
    "declaration": "declarations_declaration",
    "declarationevent": "declarations_declarationevent",
    "declarationuserobjectpermission": "declarations_declarationuserobjectpermission",
    "declarationgroupobjectpermission": "declarations_declarationgroupobjectpermission",
}

# Old name (computed from registry_declaration) -> new name (computed from declarations_declaration).
INDEXES = {
    "registry_de_collect_a3d3b0_idx": "declaration_collect_cfb78b_idx",
    "registry_de_collect_573566_idx": "declaration_collect_5209cf_idx",
    "registry_de_collect_10bacd_idx": "declaration_collect_c7b285_idx",
}


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0018_durable_side_effects"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                *(migrations.AlterModelTable(name=model, table=table) for model, table in TABLES.items()),
                *(
                    migrations.RenameIndex(model_name="declaration", new_name=new, old_name=old)
                    for old, new in INDEXES.items()
                ),
            ],
            state_operations=[
                migrations.DeleteModel(name="DeclarationUserObjectPermission"),
                migrations.DeleteModel(name="DeclarationGroupObjectPermission"),
                migrations.DeleteModel(name="DeclarationEvent"),
                migrations.DeleteModel(name="Declaration"),
            ],
        ),
    ]
