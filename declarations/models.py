"""Shadow-AI declarations: what agents tell us of the AI tools they already use, and their triage."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.models import AppendOnlyModel
from registry.choices import (
    BreachOutcome,
    DeclarationAccount,
    DeclarationDevice,
    DeclarationFrequency,
    DeclarationStatus,
    HumanReview,
    RiskLevel,
    ToolCategory,
)
from registry.models import Collectivite, Service, Tool, UseCase, User

from . import triage
from .random_ids import DeclarationEventQuerySet, RandomIdQuerySet, next_event_id, random_id, save_with_random_id


def _new_follow_up_code() -> str:
    return uuid.uuid4().hex


class Declaration(models.Model):
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="declarations", verbose_name=_("collectivité")
    )
    reference = models.CharField(_("reference"), max_length=30, editable=False)
    # Null for an anonymous declaration: nothing links it to its author, not even in the history.
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True, related_name="declarations"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An anonymous author follows their declaration with this secret code, shown once at submission.
    follow_up_code = models.CharField(
        max_length=32, unique=True, default=_new_follow_up_code, editable=False, verbose_name=_("follow-up code")
    )
    # Sent by the form: a double submit finds the declaration already made instead of making another.
    submission_key = models.UUIDField(unique=True, editable=False, verbose_name=_("submission key"))
    # Binds the key to whoever first sent it: a keyed hash (HMAC from SECRET_KEY) of the key with the account, or for
    # an anonymous declaration sent from a browser, the session. Never the author in clear; blank for older rows.
    submitter_digest = models.CharField(max_length=64, blank=True, editable=False, verbose_name=_("submitter digest"))

    tool = models.ForeignKey(
        Tool, verbose_name=_("tool"), on_delete=models.PROTECT, null=True, blank=True, related_name="declarations"
    )
    tool_name = models.CharField(_("tool as declared"), max_length=200, blank=True)
    category = models.CharField(_("kind of tool"), max_length=30, choices=ToolCategory.choices)
    tasks = models.TextField(_("what it is used for"))
    frequency = models.CharField(_("how often"), max_length=20, choices=DeclarationFrequency.choices)
    used_since = models.DateField(_("used since"), null=True, blank=True)
    device = models.CharField(_("device"), max_length=20, choices=DeclarationDevice.choices)
    account = models.CharField(_("account"), max_length=20, choices=DeclarationAccount.choices)
    data_entered = models.JSONField(_("data entered"), default=list, blank=True)
    output_use = models.JSONField(_("what the output becomes"), default=list, blank=True)
    human_review = models.CharField(_("human review of the output"), max_length=10, choices=HumanReview.choices)
    time_saved_minutes = models.PositiveIntegerField(_("time saved per week (minutes)"), null=True, blank=True)
    need = models.TextField(_("the need behind it"), blank=True)

    status = models.CharField(
        _("status"),
        max_length=30,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.RECEIVED,
        editable=False,
    )
    risk_score = models.PositiveSmallIntegerField(_("risk score"), default=0, editable=False)
    risk_level = models.CharField(
        _("risk"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW, editable=False
    )
    risk_factors = models.JSONField(_("risk factors"), default=list, editable=False)
    possible_breach = models.BooleanField(_("possible personal-data breach"), default=False, editable=False)
    breach_deadline = models.DateTimeField(_("breach assessment deadline"), null=True, blank=True, editable=False)
    breach_outcome = models.CharField(
        _("breach assessment"), max_length=30, choices=BreachOutcome.choices, blank=True, editable=False
    )
    breach_notes = models.TextField(_("breach assessment notes"), blank=True, editable=False)
    breach_assessed_at = models.DateTimeField(_("breach assessed at"), null=True, blank=True, editable=False)
    breach_assessed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("breach assessed by"),
    )

    answer = models.TextField(_("answer to the agent"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    use_case = models.ForeignKey(
        UseCase,
        verbose_name=_("use case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declarations",
        editable=False,
    )
    alternative_tool = models.ForeignKey(
        Tool,
        verbose_name=_("alternative offered"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    # An anonymous declaration keeps the date only: its timestamps (and its events') are midnight, Europe/Paris, of
    # the day (services.declarations), so that nothing can be matched against the sign-ins of the security journal.
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Every new declaration takes a random id (random_ids): a sequential one would tell the order of submission.
    objects = RandomIdQuerySet.as_manager()

    class Meta:
        verbose_name = _("shadow-AI declaration")
        verbose_name_plural = _("shadow-AI declarations")
        # Within one instant (the day of anonymous declarations), by reference, which says nothing of the order in
        # which anonymous declarations were made (their references are random).
        ordering = ["-risk_score", "-created_at", "-reference"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "reference"], name="declaration_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(tool__isnull=False) | ~models.Q(tool_name=""), name="declaration_names_a_tool"
            ),
        ]
        indexes = [
            models.Index(fields=["collectivite", "status", "-risk_score"]),
            models.Index(fields=["collectivite", "-risk_score", "-created_at"]),
            models.Index(fields=["collectivite", "tool"]),
            # The dashboard's and the triage queue's counts (and the queue's count of a filtered page) read only
            # these columns: an index-only scan instead of reading the table (docs/benchmarks.md).
            models.Index(
                fields=[
                    "collectivite",
                    "created_at",
                    "status",
                    "possible_breach",
                    "breach_outcome",
                    "risk_level",
                    "breach_deadline",
                ],
                name="declaration_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.tool_display}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.pk is None:
            save_with_random_id(self, super().save, random_id, *args, **kwargs)
        else:
            super().save(*args, **kwargs)

    @property
    def tool_display(self) -> str:
        return self.tool.name if self.tool_id else self.tool_name

    @property
    def anonymous(self) -> bool:
        return self.author_id is None

    def facts(self) -> triage.DeclarationFacts:
        tool = self.tool if self.tool_id else None
        return triage.DeclarationFacts.build(
            data_entered=self.data_entered,
            account=self.account,
            device=self.device,
            output_use=self.output_use,
            human_review=self.human_review,
            tool_known=tool is not None,
            tool_status=tool.status if tool else None,
            tool_max_classification=tool.max_data_classification if tool else None,
        )

    def apply_assessment(self) -> triage.Assessment:
        result = triage.assess(self.facts())
        self.risk_score = result.score
        self.risk_level = result.level
        self.risk_factors = [factor.as_dict() for factor in result.factors]
        self.possible_breach = result.possible_breach
        return result

    @property
    def factors(self) -> list[triage.Factor]:
        return [
            triage.Factor(item["code"], item["points"], tuple(item.get("params", {}).items()))
            for item in self.risk_factors
            if item.get("code") in triage.FACTOR_TEXTS
        ]


class DeclarationEvent(AppendOnlyModel):
    """Append-only trail of a declaration: submission and every triage action, with who and when."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Declared")
        ANALYSING = "analysing", _("Analysis started")
        REGULARISED = "regularised", _("Regularised")
        ALTERNATIVE_OFFERED = "alternative_offered", _("Alternative offered")
        TO_STOP = "to_stop", _("Asked to stop")
        CLOSED = "closed", _("Closed")
        BREACH_ASSESSED = "breach_assessed", _("Breach assessed")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="events", verbose_name=_("declaration")
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, verbose_name=_("kind"))
    from_status = models.CharField(
        max_length=30, choices=DeclarationStatus.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=30, choices=DeclarationStatus.choices, blank=True, verbose_name=_("to status")
    )
    message = models.TextField(blank=True, verbose_name=_("message"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))
    # Claimed by the notification task with a conditional UPDATE, so that an e-mail goes out once.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name=_("notified at"))

    # Random ids, increasing within one declaration (random_ids): its events keep their order within a day.
    objects = DeclarationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration event")
        verbose_name_plural = _("declaration events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.declaration.reference} {self.kind}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            super().save(*args, **kwargs)  # refused by the append-only base, before any new id is drawn

        def draw() -> int:
            return next_event_id(DeclarationEvent.objects.last_id(self.declaration_id))

        save_with_random_id(self, super().save, draw, *args, **kwargs)


class DeclarationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Declaration, on_delete=models.CASCADE, verbose_name=_("content object"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("declaration permission of a user")
        verbose_name_plural = _("declaration permissions of users")


class DeclarationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Declaration, on_delete=models.CASCADE, verbose_name=_("content object"))

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("declaration permission of a group")
        verbose_name_plural = _("declaration permissions of groups")
