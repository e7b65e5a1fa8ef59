"""Human-control checkpoints on use cases, their attestations, incidents, and the reminders sent."""

import uuid
from pathlib import Path

from django.db import models
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
