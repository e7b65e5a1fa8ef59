from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FriaConfig(AppConfig):
    """The fundamental rights impact assessment (AIDF, AI Act art. 27): its six parts, versions, DPO review and
    notification to the market surveillance authority; a use case that requires one goes live only once it is done."""

    name = "fria"
    verbose_name = _("Fundamental rights impact assessments")
