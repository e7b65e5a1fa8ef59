"""Human-control checkpoints on use cases, their attestations, incidents, and the reminders sent."""

import uuid
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
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


class SeriousCategory(models.TextChoices):
    """AI Act art. 3(49): what the incident directly or indirectly led to."""

    HEALTH = "a", _("(a) death of a person, or serious harm to a person's health")
    INFRASTRUCTURE = (
        "b",
        _("(b) serious and irreversible disruption of the management or operation of critical infrastructure"),
    )
    FUNDAMENTAL_RIGHTS = (
        "c",
        _("(c) infringement of obligations under Union law intended to protect fundamental rights"),
    )
    PROPERTY = "d", _("(d) serious harm to property or the environment")


class BreachRisk(models.TextChoices):
    """The DPO's assessment of a personal-data breach (RGPD art. 33(1) and 34(1))."""

    NOT_A_BREACH = "not_a_breach", _("Not a personal-data breach")
    UNLIKELY = "unlikely", _("Breach unlikely to result in a risk to the persons: no notification to the CNIL")
    RISK = "risk", _("Risk to the persons: notify the CNIL")
    HIGH = "high", _("High risk to the persons: notify the CNIL and inform the persons")


class PersonsExemption(models.TextChoices):
    """RGPD art. 34(3): when the persons need not be informed of a high-risk breach."""

    PROTECTED = "a", _("(a) the data were made unintelligible (e.g. encryption)")
    MITIGATED = "b", _("(b) subsequent measures ensure the high risk is no longer likely to materialise")
    DISPROPORTIONATE = "c", _("(c) it would involve disproportionate effort: a public communication instead")


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

    # When the collectivité became aware of the incident: every notification deadline counts from it (AI Act
    # art. 73(2), RGPD art. 33(1)). Set when the incident is recorded; the qualification may date it earlier.
    aware_at = models.DateTimeField(_("became aware at"), null=True, blank=True, editable=False)

    # The qualification (AI Act art. 3(49)), only through `audits.incidents.incident_qualify`.
    serious = models.BooleanField(_("serious incident (AI Act art. 3(49))"), null=True, blank=True, editable=False)
    serious_category = models.CharField(
        _("category of serious incident"), max_length=1, choices=SeriousCategory.choices, blank=True, editable=False
    )
    death = models.BooleanField(_("death of a person"), default=False, editable=False)
    widespread_infringement = models.BooleanField(
        _("widespread infringement (AI Act art. 3(61))"), default=False, editable=False
    )
    critical_infrastructure_disruption = models.BooleanField(
        _("serious and irreversible disruption of critical infrastructure"), default=False, editable=False
    )
    qualification_comment = models.TextField(_("reasons of the qualification"), blank=True, editable=False)
    qualified_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("qualified by"),
    )
    qualified_at = models.DateTimeField(_("qualified at"), null=True, blank=True, editable=False)

    # The DPO's assessment of a personal-data breach (RGPD art. 33 and 34), through `incident_breach_assess`.
    breach_risk = models.CharField(
        _("risk to the persons"), max_length=12, choices=BreachRisk.choices, blank=True, editable=False
    )
    cnil_not_required_reason = models.TextField(_("why the CNIL is not notified"), blank=True, editable=False)
    persons_exemption = models.CharField(
        _("why the persons are not informed (RGPD art. 34(3))"),
        max_length=1,
        choices=PersonsExemption.choices,
        blank=True,
        editable=False,
    )
    breach_comment = models.TextField(_("assessment of the breach"), blank=True, editable=False)
    breach_assessed_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("breach assessed by"),
    )
    breach_assessed_at = models.DateTimeField(_("breach assessed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["serious", "aware_at"]), models.Index(fields=["personal_data_breach"])]

    def __str__(self) -> str:
        return f"{self.use_case.reference} — {self.get_severity_display()}"

    @property
    def qualified(self) -> bool:
        return self.serious is not None


def notification_attachment_path(instance, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    collectivite_id = instance.incident.use_case.collectivite_id
    return f"incidents/{collectivite_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class IncidentNotification(AppendOnlyModel):
    """One notification of an incident to someone outside (provider, authority, CNIL, persons concerned): written once,
    never changed nor deleted; a correction or a complement is a new notification (AI Act art. 73(5))."""

    class Recipient(models.TextChoices):
        PROVIDER = "provider", _("Provider of the AI system (AI Act art. 26(5))")
        AUTHORITY = "authority", _("Market surveillance authority (AI Act art. 73)")
        CNIL = "cnil", _("CNIL (RGPD art. 33)")
        PERSONS = "persons", _("Persons concerned (RGPD art. 34)")
        OTHER = "other", _("Other (importer, distributor...)")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PORTAL = "portal", _("Online portal or form")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Telephone")

    class Stage(models.TextChoices):
        INITIAL = "initial", _("Initial report")
        COMPLETE = "complete", _("Complete report")
        FOLLOW_UP = "follow_up", _("Follow-up")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("incident")
    )
    recipient = models.CharField(_("recipient"), max_length=12, choices=Recipient.choices)
    recipient_name = models.CharField(_("name of the recipient"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    comment = models.TextField(_("comment"), blank=True)
    attachment = models.FileField(
        _("attached file"), upload_to=notification_attachment_path, blank=True, max_length=300
    )
    attachment_name = models.CharField(_("attached file name"), max_length=255, blank=True)
    attachment_size = models.PositiveIntegerField(_("attached file size"), null=True, blank=True)
    attachment_sha256 = models.CharField(_("attached file SHA-256 fingerprint"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident notification")
        verbose_name_plural = _("incident notifications")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.recipient} ({self.stage})"


class IncidentReminderLog(models.Model):
    """One row per e-mail sent about an incident's clock (qualification, due soon, overdue): the unique constraint
    makes the reminder task idempotent."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("incident"))
    clock = models.CharField(_("deadline"), max_length=12)
    kind = models.CharField(_("kind"), max_length=10)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # For overdue reminders: the week of lateness (one reminder a week while it stays overdue).
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident reminder sent")
        verbose_name_plural = _("incident reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["incident", "clock", "kind", "sequence"], name="incident_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.clock} {self.kind} #{self.sequence}"


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
