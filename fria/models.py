"""The fundamental rights impact assessment (AIDF, AI Act art. 27) of a use case: the working copy its owner writes
(`Fria`), each version frozen when it was submitted to the DPO with the DPO's review and the notification to the
market surveillance authority (`FriaVersion`), and the trail of its steps (`FriaEvent`)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from registry.models import UseCase, User


class FriaStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Submitted to the DPO")
    APPROVED = "approved", _("Approved by the DPO, to notify")
    NOTIFIED = "notified", _("Completed and notified")


class Part:
    """One of the six parts of AI Act art. 27(1): its field, its letter, its heading and what it asks."""

    def __init__(self, field: str, letter: str, title, question):
        self.field, self.letter, self.title, self.question = field, letter, title, question


# The six parts of art. 27(1), in the order of the article.
PARTS = (
    Part(
        "processes",
        "a",
        _("The deployer's processes in which the system is used"),
        _(
            "Describe the processes of the collectivité in which the system is used, in line with its intended "
            "purpose (AI Act art. 27(1)(a))."
        ),
    ),
    Part(
        "period",
        "b",
        _("Period of time and frequency of use"),
        _("Say over which period and how often the system is intended to be used (art. 27(1)(b))."),
    ),
    Part(
        "affected_persons",
        "c",
        _("Categories of natural persons and groups likely to be affected"),
        _(
            "Name the categories of natural persons and groups likely to be affected by its use in this context "
            "(art. 27(1)(c))."
        ),
    ),
    Part(
        "risks",
        "d",
        _("Specific risks of harm to those persons"),
        _(
            "Describe the specific risks of harm likely to have an impact on those categories, taking into account "
            "the information given by the provider under art. 13 (art. 27(1)(d))."
        ),
    ),
    Part(
        "human_oversight",
        "e",
        _("Human oversight measures"),
        _("Describe the human oversight measures implemented according to the instructions for use (art. 27(1)(e))."),
    ),
    Part(
        "measures",
        "f",
        _("Measures if the risks materialise, governance and complaints"),
        _(
            "Describe the measures to be taken where those risks materialise, including the arrangements for "
            "internal governance and the complaint mechanisms (art. 27(1)(f))."
        ),
    ),
)
PART_FIELDS = tuple(part.field for part in PARTS)
# What a version freezes besides the six parts: the link to the AIPD it complements (art. 27(4)).
AIPD_FIELDS = ("aipd_reference", "aipd_conclusion")
TEXT_MAX_LENGTH = 20000


def aipd_path(instance, filename: str) -> str:
    # A random name: the original name is kept in the row, never used on disk.
    return f"fria/{instance.use_case.collectivite_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class FriaContent(models.Model):
    """The six parts and the AIPD link, shared by the working copy and its frozen versions."""

    processes = models.TextField(_("(a) processes in which the system is used"), blank=True)
    period = models.TextField(_("(b) period of time and frequency of use"), blank=True)
    affected_persons = models.TextField(_("(c) categories of persons and groups affected"), blank=True)
    risks = models.TextField(_("(d) specific risks of harm"), blank=True)
    human_oversight = models.TextField(_("(e) human oversight measures"), blank=True)
    measures = models.TextField(_("(f) measures, internal governance and complaints"), blank=True)
    aipd_reference = models.CharField(
        _("reference of the AIPD"),
        max_length=200,
        blank=True,
        help_text=_("The data protection impact assessment (RGPD art. 35) this assessment complements (art. 27(4))."),
    )
    aipd_conclusion = models.TextField(_("conclusion of the AIPD"), blank=True)
    aipd_file = models.FileField(_("AIPD file"), upload_to=aipd_path, blank=True, max_length=300)
    aipd_file_name = models.CharField(_("AIPD file name"), max_length=255, blank=True)
    aipd_file_size = models.PositiveIntegerField(_("AIPD file size"), null=True, blank=True)
    aipd_file_sha256 = models.CharField(_("AIPD file SHA-256 fingerprint"), max_length=64, blank=True)

    class Meta:
        abstract = True

    def parts(self) -> list[dict]:
        """The six parts with their text, in the order of the article (for the pages and the PDF)."""
        return [{"part": part, "text": getattr(self, part.field)} for part in PARTS]


class Fria(FriaContent):
    """The AIDF of one use case: what is being written (or was last approved), its status, its version number."""

    use_case = models.OneToOneField(UseCase, on_delete=models.CASCADE, related_name="fria", verbose_name=_("use case"))
    status = models.CharField(_("status"), max_length=20, choices=FriaStatus.choices, default=FriaStatus.DRAFT)
    # The version being written or the last one submitted: a submission freezes it, the next one starts from it.
    number = models.PositiveIntegerField(_("version number"), default=1)
    # Notification of the results to the market surveillance authority (art. 27(3)), of the approved version.
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    notification_means = models.CharField(_("means of notification"), max_length=200, blank=True)
    notification_reference = models.CharField(_("reference of the notification"), max_length=200, blank=True)
    notification_authority = models.CharField(_("market surveillance authority"), max_length=300, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The optimistic lock of the forms and the API (`expected_version`).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("fundamental rights impact assessment (AIDF)")
        verbose_name_plural = _("fundamental rights impact assessments (AIDF)")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.use_case.reference} — AIDF v{self.number}"

    @property
    def completed(self) -> bool:
        """Approved by the DPO and notified to the market surveillance authority: the use case may go live."""
        return self.status == FriaStatus.NOTIFIED

    def content(self) -> dict:
        return {name: getattr(self, name) for name in (*PART_FIELDS, *AIPD_FIELDS)}


class FriaVersion(FriaContent):
    """A version as it was submitted to the DPO (never changed afterwards), the DPO's review of it and, once
    approved, its notification to the market surveillance authority."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved by the DPO")
        RETURNED = "returned", _("Sent back for changes")

    fria = models.ForeignKey(Fria, on_delete=models.CASCADE, related_name="versions", verbose_name=_("AIDF"))
    number = models.PositiveIntegerField(_("version number"))
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"))
    decision = models.CharField(_("DPO decision"), max_length=20, choices=Decision.choices, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("DPO comments"), blank=True)
    committee_reference = models.CharField(_("ethics committee opinion (reference)"), max_length=200, blank=True)
    committee_comment = models.TextField(_("ethics committee opinion (comment)"), blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    notification_means = models.CharField(_("means of notification"), max_length=200, blank=True)
    notification_reference = models.CharField(_("reference of the notification"), max_length=200, blank=True)
    notification_authority = models.CharField(_("market surveillance authority"), max_length=300, blank=True)
    notified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("notified by")
    )

    class Meta:
        verbose_name = _("AIDF version")
        verbose_name_plural = _("AIDF versions")
        ordering = ["fria_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["fria", "number"], name="fria_version_unique_number")]

    def __str__(self) -> str:
        return f"AIDF v{self.number}"


class FriaEvent(AppendOnlyModel):
    """One step of an AIDF: started, submitted, approved, sent back, notified, reopened as a new version."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Started")
        SUBMITTED = "submitted", _("Submitted to the DPO")
        APPROVED = "approved", _("Approved by the DPO")
        RETURNED = "returned", _("Sent back by the DPO")
        NOTIFIED = "notified", _("Notified to the market surveillance authority")
        REOPENED = "reopened", _("New version started")

    fria = models.ForeignKey(Fria, on_delete=models.CASCADE, related_name="events", verbose_name=_("AIDF"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField(_("version number"))
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("AIDF event")
        verbose_name_plural = _("AIDF events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"
