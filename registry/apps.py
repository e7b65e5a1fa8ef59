from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("AI register")

    def ready(self):
        from . import signals
        from .models import ApplicationDate

        post_migrate.connect(signals.reclassify_after_migrate, sender=self, dispatch_uid="registry-reclassify-migrate")
        for signal in (post_save, post_delete):
            signal.connect(
                signals.reclassify_after_dates_change, sender=ApplicationDate, dispatch_uid=f"registry-dates-{signal}"
            )
