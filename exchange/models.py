"""An import of a register file: the file as received, what it would do line by line (the plan), and its outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Collectivite


class RegisterImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Refused")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="register_imports", verbose_name=_("collectivité")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    # The file itself, so that applying reads exactly what was previewed (a refused file is not kept).
    content = models.BinaryField(editable=False, default=b"", verbose_name=_("content"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    # {"lines": [{line, action, reference, name, changes: [{field, old, new}], errors: [{line, column, message}],
    #   notes}], "warnings": [...]}
    plan = models.JSONField(_("plan"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    message = models.TextField(_("why the file was refused"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # After apply: [{line, action, reference, use_case_id}].
    result = models.JSONField(_("result"), default=list, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def has_errors(self) -> bool:
        return bool(self.counts.get("error"))

    @property
    def can_apply(self) -> bool:
        return self.status == self.Status.PREVIEWED and not self.has_errors

    @property
    def changes_count(self) -> int:
        return self.counts.get("create", 0) + self.counts.get("update", 0)
