"""Generated documents: the PDFs the document engine produces (the charter, audit reports, committee minutes)."""

import re
import unicodedata
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Collectivite, UseCase, User


def ascii_file_stem(text: str) -> str:
    """A file name's stem in ASCII letters, digits and dashes (accents dropped: « procès » gives « proces »)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._]+", "-", ascii_text).strip("-.") or "document"


def document_path(instance, filename: str) -> str:
    # A random name for every generation: a new file never overwrites the one being served.
    return f"documents/{instance.collectivite_id}/{instance.kind}/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    """A generated PDF: the annual charter, a use case's audit report, the annual audit report, committee minutes.

    One row per subject (e.g. the report of one use case); generating again replaces its file atomically. A published
    charter's document is frozen: never generated again, its SHA-256 fingerprint stands."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("Annual AI usage charter")
        USE_CASE_REPORT = "use_case_report", _("Use case audit report")
        ANNUAL_REPORT = "annual_report", _("Annual audit report")
        COMMITTEE_MINUTES = "committee_minutes", _("Ethics committee minutes")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="documents", verbose_name=_("collectivité")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The subject: a use case, a committee session, or a year (annual report, charter).
    use_case = models.ForeignKey(
        UseCase, on_delete=models.CASCADE, null=True, blank=True, related_name="documents", verbose_name=_("use case")
    )
    session = models.ForeignKey(
        "registry.CommitteeSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("session"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    subject_key = models.CharField(max_length=40, editable=False, verbose_name=_("subject key"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    file = models.FileField(_("file"), upload_to=document_path, blank=True, max_length=300, editable=False)
    sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    frozen = models.BooleanField(_("frozen"), default=False, editable=False)
    error = models.TextField(_("error"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False, verbose_name=_("attempts"))
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("started at"))
    # When the generation was last handed to the broker (empty: nothing is queued, the sweep queues it).
    dispatched_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("queued at"))
    # The running worker's lease, renewed as it works: once it has expired, that worker is gone (killed, lost) and
    # the sweep, or the next person asking, hands the document to another.
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("lease expires at"))
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "kind", "subject_key"], name="document_one_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject_key}"

    @property
    def filename(self) -> str:
        """The name the file is downloaded under: French, with the reference of its subject, in ASCII letters so
        that every browser and mail client keeps it as is (« rapport-usage-IA-2026-0016.pdf »)."""
        if self.kind == self.Kind.USE_CASE_REPORT and self.use_case_id:
            stem = f"rapport-usage-{self.use_case.reference}"
        elif self.kind == self.Kind.COMMITTEE_MINUTES and self.session_id:
            stem = f"proces-verbal-comite-{timezone.localtime(self.session.held_on):%Y-%m-%d}"
        elif self.kind == self.Kind.ANNUAL_REPORT:
            stem = f"rapport-annuel-IA-{self.year}"
        elif self.kind == self.Kind.CHARTER:
            stem = f"charte-IA-{self.year}"
        else:
            stem = f"document-{self.subject_key}"
        return f"{ascii_file_stem(stem)}.pdf"
