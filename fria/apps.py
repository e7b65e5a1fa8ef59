from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FriaConfig(AppConfig):
    """The fundamental rights impact assessment (AIDF, AI Act art. 27): its six parts, versions, DPO review and
    notification to the market surveillance authority; a use case that requires one goes live only once it is done."""

    name = "fria"
    verbose_name = _("Fundamental rights impact assessments")

    def ready(self):
        # Connected once the app registry is ready (the receivers import models).
        from registry.signals import production_blockers, use_case_page_sections

        from . import receivers

        production_blockers.connect(receivers.production_blockers, dispatch_uid="fria-production-blockers")
        use_case_page_sections.connect(receivers.use_case_page_sections, dispatch_uid="fria-use-case-page")
