"""The public register of algorithms (CRPA L312-1-3): what a collectivité publishes about its AI use cases.

A `Publication` holds the public wording of one use case, written by the DPO (pre-filled from the use case,
never read from it again once published), the optional fields the DPO chose to show, and the frozen public
record (`content`) built when it was last published. The public pages and the public API read `content` and
nothing else of the use case but its lifecycle: nothing internal (opinions, evidence, agents' names,
incidents) can reach them.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from registry.choices import AiActRisk, AutomationLevel, ProgressStatus
from registry.models import Collectivite, UseCase, User


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Publication(models.Model):
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="publications", verbose_name=_("collectivité")
    )
    use_case = models.OneToOneField(
        UseCase, on_delete=models.CASCADE, related_name="publication", verbose_name=_("use case")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PublicationState.choices, default=PublicationState.DRAFT, editable=False
    )
    # The optional fields the DPO chose to publish (codes of `transparency.fields.FIELDS`).
    fields = models.JSONField(_("published fields"), default=list)

    # The public wording, pre-filled from the use case and reviewed by the DPO before publication.
    name = models.CharField(_("public name"), max_length=200)
    summary = models.TextField(_("plain-language summary"), max_length=1000)
    purpose = models.TextField(_("purpose"), blank=True)
    human_intervention = models.TextField(_("human intervention"), blank=True)
    data_sources = models.TextField(_("data and sources"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    dpia_status = models.CharField(
        _("data protection impact assessment"), max_length=20, choices=ProgressStatus.choices, blank=True
    )
    fria_status = models.CharField(
        _("fundamental rights impact assessment"), max_length=20, choices=ProgressStatus.choices, blank=True
    )
    contact = models.CharField(
        _("contact"),
        max_length=254,
        help_text=_("A functional address or service (never an agent's personal address)."),
    )
    crpa_mention = models.TextField(
        _("mention to carry on decisions"),
        blank=True,
        help_text=_("The explicit mention that individual decisions taken with this algorithm carry (CRPA L311-3-1)."),
    )

    # The frozen public record (what the public pages and the public API show), built at publication.
    content = models.JSONField(_("published content"), default=dict, editable=False)
    # Copies of the record's values used to search and filter the public register.
    search_text = models.TextField(editable=False, blank=True, verbose_name=_("search text"))
    service_name = models.CharField(max_length=200, editable=False, blank=True, verbose_name=_("service name"))
    ai_act_risk = models.CharField(
        max_length=20, choices=AiActRisk.choices, editable=False, blank=True, verbose_name=_("AI Act risk")
    )
    automation_level = models.CharField(
        max_length=20, choices=AutomationLevel.choices, editable=False, blank=True, verbose_name=_("automation level")
    )

    published_version = models.PositiveIntegerField(_("use case version published"), null=True, editable=False)
    # Set when the use case changed so that its public record would read differently (see `services`).
    out_of_date = models.BooleanField(_("out of date"), default=False, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    first_published_at = models.DateTimeField(_("first published at"), null=True, editable=False)
    published_at = models.DateTimeField(_("last published at"), null=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["collectivite", "state", "name"], name="publication_public_list"),
            models.Index(fields=["state", "published_at"], name="publication_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False), name="publication_published_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.use_case.reference} — {self.name}"

    @property
    def is_public(self) -> bool:
        return self.state == PublicationState.PUBLISHED


class PublicationEvent(AppendOnlyModel):
    """Append-only trail of a publication: drafts saved, publications, updates, withdrawals."""

    class Kind(models.TextChoices):
        SAVED = "saved", _("Draft saved")
        PUBLISHED = "published", _("Published")
        REPUBLISHED = "republished", _("Public record updated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="events", verbose_name=_("publication")
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("kind"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    # The public record as published by this event (publications only), to answer "what did we publish when".
    content = models.JSONField(default=dict, blank=True, verbose_name=_("content"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.kind}"
