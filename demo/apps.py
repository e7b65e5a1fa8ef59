from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo collectivité (`seed_demo`), written through the services, outside the domain."""

    name = "demo"
    verbose_name = _("Demo data")
