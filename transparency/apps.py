from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Public register of algorithms")

    def ready(self):
        # Imported once the app registry is ready (the services import models).
        from registry.signals import use_cases_changed

        from .services import publications_mark_out_of_date

        def mark(sender, use_case_ids, **kwargs):
            publications_mark_out_of_date(use_case_ids=use_case_ids)

        use_cases_changed.connect(mark, dispatch_uid="transparency-out-of-date", weak=False)
