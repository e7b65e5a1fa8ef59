from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Checkpoint attestations, incidents and reminders; it follows the register through its signals."""

    name = "audits"
    verbose_name = _("Audits and controls")

    def ready(self):
        # Connected once the app registry is ready (the receivers import models).
        from registry.signals import classification_saved, review_approved, use_case_page_sections

        from . import receivers

        classification_saved.connect(receivers.sync_checkpoints, dispatch_uid="audits-sync-checkpoints")
        review_approved.connect(receivers.checkpoints_for_conditions, dispatch_uid="audits-conditions")
        use_case_page_sections.connect(receivers.use_case_page_sections, dispatch_uid="audits-use-case-page")
