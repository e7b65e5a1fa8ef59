from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Checkpoint attestations, audit reports and the activity trail (built in later issues)."""

    name = "audits"
    verbose_name = _("Audits and controls")
