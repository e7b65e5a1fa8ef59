"""Requests for the explanation of an individual decision founded on an algorithm (CRPA L311-3-1 and R311-3-1-2,
AI Act art. 86, RGPD art. 15 and 22), the answer drafted by the collectivité, and the signed letter sent back.

A request is created by the public form (no account), handled by the DPO or the head of the owning service within
one month of its receipt (`deadline`, French calendar: silence for a month is a refusal, CRPA R311-13), and closed
by a signed letter: an answer (`sent`) or a refusal of an inadmissible request (`rejected`). The letter's PDF is
frozen once sent (its SHA-256 stands). The requester's personal data are cleared once the retention period after
the closing has run (`purge_explanation_requests`); the dates, the use case and the status stay for the statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from registry.models import Collectivite, Service, UseCase, User

NAME_MAX = 200
TEXT_MAX = 5000
ANSWER_MAX = 20000


class Element(models.TextChoices):
    """What a person may ask to understand (CRPA R311-3-1-2, 1° to 4°)."""

    CONTRIBUTION = "contribution", _("1° the degree and the manner in which the algorithm contributed to the decision")
    DATA = "data", _("2° the data processed and their sources")
    PARAMETERS = "parameters", _("3° the parameters and their weighting, as applied to my situation")
    OPERATIONS = "operations", _("4° the operations carried out by the processing")


class Secret(models.TextChoices):
    """The secrets protected by law that may withhold part of an answer (CRPA L311-5 and L311-6)."""

    GOVERNMENT = "government", _("Secrecy of the deliberations of the Government (L311-5, 2° a)")
    DEFENCE = "defence", _("National defence secrecy (L311-5, 2° b)")
    FOREIGN_POLICY = "foreign_policy", _("Conduct of France's foreign policy (L311-5, 2° c)")
    SECURITY = (
        "security",
        _("Security of the State, public safety, safety of persons or security of information systems (L311-5, 2° d)"),
    )
    CURRENCY = "currency", _("Currency and public credit (L311-5, 2° e)")
    PROCEEDINGS = "proceedings", _("Course of proceedings before the courts (L311-5, 2° f)")
    TAX_OFFENCES = "tax_offences", _("Investigation of tax and customs offences (L311-5, 2° g)")
    BUSINESS = "business", _("Business secrecy (L311-6, 1°)")
    PRIVACY = "privacy", _("Privacy of other persons (L311-6, 1°)")


class RejectionReason(models.TextChoices):
    NOT_ALGORITHMIC = "not_algorithmic", _("No individual decision founded on an algorithmic processing")
    IDENTITY = "identity", _("The requester's identity, or that they are the person concerned, is not established")
    NOT_OURS = "not_ours", _("The decision was not taken by the collectivité")
    ABUSIVE = "abusive", _("Manifestly abusive request (CRPA L311-2)")
    OTHER = "other", _("Other reason")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    SENT = "sent", _("Answer sent")
    REJECTED = "rejected", _("Rejected as inadmissible")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.SENT, RequestStatus.REJECTED)


class Letterhead(models.Model):
    """What the letters of a collectivité carry besides its name and logo: its postal address and a contact."""

    collectivite = models.OneToOneField(
        Collectivite, on_delete=models.CASCADE, related_name="explanation_letterhead", verbose_name=_("collectivité")
    )
    postal_address = models.TextField(_("postal address"), blank=True, max_length=500)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("A functional address (never an agent's personal address).")
    )
    place = models.CharField(
        _("place of signature"), max_length=100, blank=True, help_text=_("The town the letters are signed in.")
    )

    class Meta:
        verbose_name = _("letterhead of the explanations")
        verbose_name_plural = _("letterheads of the explanations")

    def __str__(self) -> str:
        return str(self.collectivite)


def letter_path(instance, filename: str) -> str:
    # A random name: the letter is reached through a token or a permission check, never by guessing its path.
    return f"explanations/{instance.collectivite_id}/{uuid.uuid4().hex}.pdf"


class ExplanationRequest(models.Model):
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="explanation_requests", verbose_name=_("collectivité")
    )
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    # The use case the decision came from: fixed when the person came from a register entry, chosen among the
    # published ones, or unknown (the DPO finds it).
    use_case = models.ForeignKey(
        UseCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="explanation_requests",
        verbose_name=_("use case"),
    )
    # The service answerable for it: the use case's, kept should the use case move (the queue filters on it).
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="explanation_requests",
        verbose_name=_("service"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED, editable=False
    )
    # The follow-up link's secret: only its SHA-256 is stored (the link is in the person's e-mail).
    token_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("token fingerprint"))

    # The person (cleared by the purge).
    requester_name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    requester_email = models.EmailField(_("e-mail"), blank=True)
    requester_address = models.TextField(_("postal address"), blank=True, max_length=500)
    requester_phone = models.CharField(_("telephone"), max_length=30, blank=True)

    # The decision.
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    decision_reference = models.CharField(_("reference of the decision"), max_length=100, blank=True)
    decision_service = models.CharField(_("service that took the decision"), max_length=200, blank=True)
    elements = models.JSONField(_("elements asked for"), default=list, blank=True)
    message = models.TextField(_("what the person wants to understand"), blank=True, max_length=TEXT_MAX)

    received_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    received_on = models.DateField(_("received on"), editable=False)
    deadline = models.DateField(_("deadline"), editable=False, db_index=True)

    # The draft answer (CRPA R311-3-1-2, 1° to 4°; AI Act art. 86).
    answer_contribution = models.TextField(_("1° degree and manner of contribution"), blank=True, max_length=ANSWER_MAX)
    answer_data = models.TextField(_("2° data processed and their sources"), blank=True, max_length=ANSWER_MAX)
    answer_parameters = models.TextField(
        _("3° parameters and weighting applied to the person's situation"), blank=True, max_length=ANSWER_MAX
    )
    answer_operations = models.TextField(_("4° operations carried out"), blank=True, max_length=ANSWER_MAX)
    answer_ai_role = models.TextField(
        _("role of the AI system in the decision-making procedure"), blank=True, max_length=ANSWER_MAX
    )
    answer_main_elements = models.TextField(_("main elements of the decision taken"), blank=True, max_length=ANSWER_MAX)
    withheld = models.JSONField(_("secrets withholding part of the answer"), default=list, blank=True)
    withheld_explanation = models.TextField(_("what is withheld and why"), blank=True, max_length=TEXT_MAX)

    rejection_reason = models.CharField(
        _("reason of the rejection"), max_length=20, choices=RejectionReason.choices, blank=True, editable=False
    )
    rejection_explanation = models.TextField(_("explanation of the rejection"), blank=True, max_length=TEXT_MAX)

    # The signature, frozen when the letter is sent.
    signed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("signed by")
    )
    signatory_name = models.CharField(_("signatory"), max_length=NAME_MAX, blank=True, editable=False)
    signatory_title = models.CharField(_("signatory's title"), max_length=NAME_MAX, blank=True, editable=False)
    closed_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    letter = models.FileField(_("letter"), upload_to=letter_path, blank=True, max_length=300, editable=False)
    letter_sha256 = models.CharField(_("SHA-256 fingerprint of the letter"), max_length=64, blank=True, editable=False)
    letter_emailed_at = models.DateTimeField(_("letter e-mailed at"), null=True, blank=True, editable=False)

    anonymised_at = models.DateTimeField(_("personal data cleared at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "reference"], name="explanation_reference_unique"),
        ]
        indexes = [models.Index(fields=["collectivite", "status", "deadline"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())

    def days_left(self, today=None) -> int:
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def answered_in_time(self) -> bool | None:
        return None if self.closed_on is None else self.closed_on <= self.deadline

    @property
    def element_labels(self) -> list[str]:
        labels = dict(Element.choices)
        return [labels[code] for code in self.elements if code in labels]

    @property
    def withheld_labels(self) -> list[str]:
        labels = dict(Secret.choices)
        return [labels[code] for code in self.withheld if code in labels]

    @property
    def letter_filename(self) -> str:
        return f"{self.reference}.pdf"

    def retention_ends(self):
        """When the person's data may be cleared: EXPLANATION_RETENTION_MONTHS after the closing (None: open)."""
        if self.closed_at is None:
            return None
        from dateutil.relativedelta import relativedelta

        return self.closed_at + relativedelta(months=settings.EXPLANATION_RETENTION_MONTHS)


class ExplanationEvent(AppendOnlyModel):
    """A step of a request: received, viewed, draft saved, sent, rejected, anonymised. Never any personal data."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Request received")
        DRAFT_SAVED = "draft_saved", _("Draft saved")
        SENT = "sent", _("Answer sent")
        REJECTED = "rejected", _("Request rejected")
        ANONYMISED = "anonymised", _("Personal data cleared")

    request = models.ForeignKey(
        ExplanationRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=RequestStatus.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("explanation request event")
        verbose_name_plural = _("explanation request events")
        ordering = ["created_at", "id"]


class ReminderLog(models.Model):
    """A reminder sent about a request: one per (request, kind, deadline), so a run twice sends nothing twice."""

    class Kind(models.TextChoices):
        DAYS_7 = "days_7", _("7 days before the deadline")
        DAYS_2 = "days_2", _("2 days before the deadline")
        OVERDUE = "overdue", _("Deadline passed")

    request = models.ForeignKey(
        ExplanationRequest, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("explanation reminder")
        verbose_name_plural = _("explanation reminders")
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "deadline"], name="explanation_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.deadline}"
