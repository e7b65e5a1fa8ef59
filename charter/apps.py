from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    """The annual AI usage charter and its acknowledgements (built in a later issue)."""

    name = "charter"
    verbose_name = _("AI usage charter")
