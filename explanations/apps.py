from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplanationsConfig(AppConfig):
    """Requests for the explanation of an individual decision founded on an algorithm (CRPA R311-3-1-2, AI Act
    art. 86, RGPD art. 15 and 22): the public form, the DPO's queue with its one-month deadline, the signed answer."""

    name = "explanations"
    verbose_name = _("Explanation requests")
