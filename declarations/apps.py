from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    """Shadow-AI declarations: what agents already use, declared without blame, and their triage into the register."""

    name = "declarations"
    verbose_name = _("Shadow-AI declarations")
