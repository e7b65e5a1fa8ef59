from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Statistics, charts, dashboards, Mes tâches, the reports' contents: the one app that reads every other."""

    name = "reporting"
    verbose_name = _("Reporting")
