"""The catalogue of AI tools a collectivité knows of, with what each may receive."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import DataClassification, HostingQualification, HostingZone, ToolCategory, ToolStatus
from .organisation import Collectivite


class Tool(models.Model):
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="tools", verbose_name=_("collectivité")
    )
    name = models.CharField(_("name"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=ToolCategory.choices)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("website"), blank=True)
    hosting_zone = models.CharField(_("hosting zone"), max_length=20, choices=HostingZone.choices)
    hosting_qualification = models.CharField(
        _("hosting qualification"),
        max_length=20,
        choices=HostingQualification.choices,
        default=HostingQualification.NONE,
    )
    provider_reuse_disabled = models.BooleanField(
        _("vendor does not reuse our data"),
        default=False,
        help_text=_("The vendor does not train its models on our data."),
    )
    status = models.CharField(_("status"), max_length=20, choices=ToolStatus.choices, default=ToolStatus.UNDER_REVIEW)
    max_data_classification = models.CharField(
        _("highest data classification allowed"),
        max_length=2,
        choices=DataClassification.choices,
        default=DataClassification.C0,
    )
    conditions = models.TextField(_("conditions of use"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("AI tool")
        verbose_name_plural = _("AI tools")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "name"], name="tool_name_unique_per_collectivite")
        ]

    def __str__(self) -> str:
        return self.name
