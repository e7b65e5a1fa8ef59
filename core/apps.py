from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app stands on: access and roles, errors, the current collectivité, the API's bases. No domain."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import security  # noqa: F401  (registers the system check of the proxy settings)
