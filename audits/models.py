"""Human-control checkpoints on use cases, their attestations, incidents, and the reminders sent."""

import re
import unicodedata
import uuid
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Collectivite, UseCase, User

from .catalogue import CATALOGUE


class Frequency(models.TextChoices):
    EACH_USE = "each_use", _("At each use")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    YEARLY = "yearly", _("Every year")


class CheckpointType(models.Model):
    """A kind of control. The DOMAIN.md codes are national (no collectivité, texts from the code catalogue,
    translated); a collectivité's administrators add local types with their own texts."""

    collectivite = models.ForeignKey(
        Collectivite,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkpoint_types",
        verbose_name=_("collectivité"),
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    practice = models.TextField(_("what it means in practice"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    default_frequency = models.CharField(_("default frequency"), max_length=20, choices=Frequency.choices)
    evidence = models.TextField(_("evidence expected"), blank=True)

    class Meta:
        verbose_name = _("checkpoint type")
        verbose_name_plural = _("checkpoint types")
        ordering = ["collectivite_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(collectivite__isnull=True), name="checkpoint_type_national_code"
            ),
            models.UniqueConstraint(fields=["collectivite", "code"], name="checkpoint_type_local_code"),
        ]

    def __str__(self) -> str:
        return str(self.display_title)

    @property
    def national(self) -> bool:
        return self.collectivite_id is None and self.code in CATALOGUE

    @property
    def display_title(self):
        return CATALOGUE[self.code].title if self.national else self.title

    @property
    def display_practice(self):
        return CATALOGUE[self.code].practice if self.national else self.practice

    @property
    def display_evidence(self):
        return CATALOGUE[self.code].evidence if self.national else self.evidence

    @property
    def display_legal_basis(self) -> str:
        return CATALOGUE[self.code].legal_basis if self.national else self.legal_basis


class Checkpoint(models.Model):
    """A control on one use case: required by the classification engine, or added by a reviewer."""

    class Origin(models.TextChoices):
        REQUIRED = "required", _("Required by the classification")
        MANUAL = "manual", _("Added by a reviewer")
        CONDITION = "condition", _("Condition of the approval")

    use_case = models.ForeignKey(
        UseCase, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("use case")
    )
    type = models.ForeignKey(CheckpointType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    # A required checkpoint the classification no longer asks for is deactivated, never deleted: its
    # attestations stay in the history.
    active = models.BooleanField(_("active"), default=True)
    owner = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.PROTECT, null=True, blank=True, related_name="owned_checkpoints"
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    # For a condition of an approval: the condition it carries out.
    condition = models.ForeignKey(
        "registry.ReviewCondition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("condition"),
    )
    next_due = models.DateField(_("next due date"), null=True, blank=True)
    last_attested_on = models.DateField(_("last attested on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["use_case_id", "type__code"]
        constraints = [models.UniqueConstraint(fields=["use_case", "type"], name="checkpoint_unique_per_use_case")]
        indexes = [
            models.Index(fields=["active", "next_due"]),
            models.Index(fields=["owner", "active", "next_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.use_case.reference} — {self.type}"

    @property
    def mandatory(self) -> bool:
        return self.origin in (self.Origin.REQUIRED, self.Origin.CONDITION)


def evidence_path(instance, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"evidence/{instance.checkpoint.use_case.collectivite_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attestation(models.Model):
    """A dated statement by the checkpoint's owner that the control happened. Never edited nor deleted:
    a correction is a new attestation pointing to the one it corrects."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Control done, nothing to report")
        ISSUE_FOUND = "issue_found", _("Control done, an issue was found")

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="attestations", verbose_name=_("checkpoint")
    )
    attested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("attested by"))
    performed_on = models.DateField(_("control performed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True, max_length=300)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("evidence size"))
    evidence_sha256 = models.CharField(_("evidence SHA-256 fingerprint"), max_length=64, blank=True)
    corrects = models.ForeignKey(
        "self", verbose_name=_("corrects"), on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["-performed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.checkpoint} — {self.performed_on}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Attestations are never edited: record a correcting attestation.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Attestations are never deleted.")


class Incident(models.Model):
    """An incident of a use case (AI Act art. 26(5)); a personal-data breach starts the DPO's 72-hour clock."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        SERIOUS = "serious", _("Serious (AI Act art. 3(49))")

    use_case = models.ForeignKey(
        UseCase, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("use case")
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    persons_affected = models.PositiveIntegerField(_("persons affected"), default=0)
    personal_data_breach = models.BooleanField(_("personal-data breach"), default=False)
    breach_deadline = models.DateTimeField(_("breach assessment deadline"), null=True, blank=True, editable=False)
    actions_taken = models.TextField(_("actions taken"), blank=True)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("notified at"))

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.use_case.reference} — {self.get_severity_display()}"


class ReminderLog(models.Model):
    """One row per reminder sent: the unique constraint makes the reminder task idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="+", verbose_name=_("checkpoint"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    due_date = models.DateField(verbose_name=_("due date"))
    # For overdue reminders: the week of lateness (one reminder a week while it stays overdue).
    sequence = models.PositiveIntegerField(default=0, verbose_name=_("sequence"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "kind", "due_date", "sequence"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.kind} {self.due_date} #{self.sequence}"


class DigestLog(models.Model):
    """The DPO digest of one collectivité for one day, sent once."""

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="+", verbose_name=_("collectivité")
    )
    day = models.DateField(verbose_name=_("day"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [models.UniqueConstraint(fields=["collectivite", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.collectivite_id} {self.day}"


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
