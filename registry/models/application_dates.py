"""The dates from which the AI Act's obligations apply: data an administrator keeps up to date, never code.

The AI Act (art. 113) applies in stages, and the Union moved several dates (the "Digital Omnibus" of 2026
deferred the high-risk obligations). The engine stamps each AI Act obligation with the date of its row, and
the reasons say « applicable à compter du … » while that date is in the future.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import rules


class ApplicationDate(models.Model):
    class Key(models.TextChoices):
        PROHIBITED_PRACTICES = rules.PROHIBITED_PRACTICES, _("Prohibited practices (art. 5)")
        AI_LITERACY = rules.AI_LITERACY, _("AI literacy (art. 4)")
        TRANSPARENCY = rules.TRANSPARENCY, _("Transparency duties (art. 50)")
        HIGH_RISK_ANNEX_III = rules.HIGH_RISK_ANNEX_III, _("High-risk systems of Annex III (art. 6(2) to 49, 73, 86)")
        HIGH_RISK_ANNEX_I = rules.HIGH_RISK_ANNEX_I, _("High-risk systems of Annex I (art. 6(1))")

    key = models.CharField(_("obligations"), max_length=30, choices=Key.choices, unique=True)
    applies_from = models.DateField(_("applicable from"))
    source = models.TextField(_("source"), help_text=_("The text that sets this date (article, regulation)."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("AI Act date of application")
        verbose_name_plural = _("AI Act dates of application")
        ordering = ["applies_from", "key"]

    def __str__(self) -> str:
        return f"{self.get_key_display()} — {self.applies_from:%d/%m/%Y}"

    @classmethod
    def as_pairs(cls) -> tuple[tuple[str, datetime.date], ...]:
        """Every date, as `rules.Policy.application_dates` takes them (one query)."""
        return tuple(cls.objects.order_by("key").values_list("key", "applies_from"))
