"""The annual AI usage charter: one edition per year, its text sections, and the agents' acknowledgements.

An edition is a draft the DPO and the DGS edit, then the DGS publishes it: its content (sections and the register's
data as they were) is frozen in `snapshot`, fingerprinted, and its PDF stored for good. Statuses change only
through `charter.services`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from registry.models import Collectivite, User


class CharterEdition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="charter_editions", verbose_name=_("collectivité")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        User, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # SHA-256 of the canonical JSON of `snapshot`: what the published edition says, whatever its PDF file.
    content_fingerprint = models.CharField(
        _("content fingerprint (SHA-256)"), max_length=64, blank=True, editable=False
    )
    snapshot = models.JSONField(_("frozen content"), default=dict, blank=True, editable=False)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("document"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("charter edition")
        verbose_name_plural = _("charter editions")
        ordering = ["collectivite_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["collectivite", "year"], name="charter_edition_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.collectivite} — {self.year} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class CharterSection(models.Model):
    """A text section of an edition: plain text, paragraphs separated by a blank line, bullets starting with "- "."""

    edition = models.ForeignKey(
        CharterEdition, on_delete=models.CASCADE, related_name="sections", verbose_name=_("edition")
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("charter section")
        verbose_name_plural = _("charter sections")
        ordering = ["edition_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="charter_section_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class CharterAcknowledgement(models.Model):
    """An agent says they read a published edition: once per edition and person."""

    edition = models.ForeignKey(
        CharterEdition, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="charter_acknowledgements", verbose_name=_("user")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter acknowledgement")
        verbose_name_plural = _("charter acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="charter_acknowledged_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.edition.year}"


class CharterEvent(AppendOnlyModel):
    """Append-only trail of an edition: created, a section changed, published."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Edition created")
        SECTION_UPDATED = "section_updated", _("Section changed")
        PUBLISHED = "published", _("Edition published")

    edition = models.ForeignKey(
        CharterEdition, on_delete=models.CASCADE, related_name="events", verbose_name=_("edition")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    section = models.ForeignKey(
        CharterSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("section")
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("charter event")
        verbose_name_plural = _("charter events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.edition_id} {self.kind}"
