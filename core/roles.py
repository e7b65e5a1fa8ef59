"""The roles a person holds in a collectivité (DOMAIN.md): the vocabulary every permission rule speaks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    HEAD_OF_SERVICE = "head_of_service", _("Head of service")
    DPO = "dpo", _("Data protection officer (DPO)")
    RSSI = "rssi", _("Information security officer (RSSI)")
    ETHICS_COMMITTEE = "ethics_committee", _("Ethics committee member")
    DGS = "dgs", _("Director general of services (DGS)")
    ADMIN = "admin", _("Administrator")
