from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    """Shadow-AI declarations: what agents already use, declared without blame, and their triage into the register."""

    name = "declarations"
    verbose_name = _("Shadow-AI declarations")

    def ready(self):
        # Connected once the app registry is ready (the receivers import models).
        from registry.signals import use_case_form_extension

        from .views import regularising

        # The register's creation form, opened from the triage, regularises the declarations it was opened for.
        use_case_form_extension.connect(regularising.regularising_extension, dispatch_uid="declarations-regularising")
