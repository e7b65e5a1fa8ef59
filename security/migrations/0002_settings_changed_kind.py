from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="securityevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login_succeeded", "Sign-in"),
                    ("login_failed", "Failed sign-in"),
                    ("logout", "Sign-out"),
                    ("locked_out", "Account locked out"),
                    ("password_changed", "Password changed"),
                    ("user_created", "Account created"),
                    ("user_deleted", "Account deleted"),
                    ("user_flags_changed", "Account status changed"),
                    ("role_granted", "Role granted"),
                    ("role_revoked", "Role revoked"),
                    ("role_changed", "Role changed"),
                    ("permission_granted", "Permission granted"),
                    ("permission_revoked", "Permission revoked"),
                    ("group_joined", "Added to a group"),
                    ("group_left", "Removed from a group"),
                    ("export", "Register exported"),
                    ("import_applied", "Import applied"),
                    ("document_download", "Document downloaded"),
                    ("evidence_download", "Evidence downloaded"),
                    ("settings_changed", "Collectivité settings changed"),
                ],
                max_length=30,
                verbose_name="event",
            ),
        ),
    ]
