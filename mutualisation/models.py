"""A mutualising structure (an intercommunalité, a syndicat mixte) and its member collectivités; the reference
content it shares with them (tools, local checkpoint types, charter sections) and what each member decided.

A member never works on the structure's objects: adopting or adapting an item makes a copy of its own, and the
`Adoption` remembers which copy and which version of the item it came from.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Collectivite, User


class Mutualisation(models.Model):
    """A collectivité (the member) belongs to a mutualising structure. One level only: a structure is nobody's
    member, a member is nobody's structure."""

    structure = models.ForeignKey(
        Collectivite, verbose_name=_("structure"), on_delete=models.CASCADE, related_name="mutualised_members"
    )
    member = models.ForeignKey(
        Collectivite, verbose_name=_("member"), on_delete=models.CASCADE, related_name="mutualising_structures"
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership of a mutualising structure")
        verbose_name_plural = _("memberships of mutualising structures")
        ordering = ["structure__name", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "member"], name="mutualisation_unique_pair"),
            models.CheckConstraint(condition=~Q(structure=F("member")), name="mutualisation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.structure}"

    def clean(self):
        if self.structure_id and self.structure_id == self.member_id:
            raise ValidationError({"member": _("A collectivité cannot be a member of itself.")})
        active = Mutualisation.objects.filter(active=True).exclude(pk=self.pk)
        if self.structure_id and active.filter(member_id=self.structure_id).exists():
            raise ValidationError(
                {"structure": _("This collectivité is itself a member of a structure: it cannot have members.")}
            )
        if self.member_id and active.filter(structure_id=self.member_id).exists():
            raise ValidationError(
                {"member": _("This collectivité is a mutualising structure: it cannot be a member of another one.")}
            )


class ItemKind(models.TextChoices):
    TOOL = "tool", _("AI tool")
    CHECKPOINT_TYPE = "checkpoint_type", _("Checkpoint type")
    CHARTER_SECTION = "charter_section", _("Charter section")


class SharedItem(models.Model):
    """A snapshot of one of the structure's own objects, offered to its members. Sharing it again bumps `version`."""

    structure = models.ForeignKey(
        Collectivite, verbose_name=_("structure"), on_delete=models.CASCADE, related_name="shared_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    # The tool's name, the checkpoint type's code, the charter section's key.
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    payload = models.JSONField(_("content"), default=dict)
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False, verbose_name=_("source id"))
    version = models.PositiveIntegerField(_("version"), default=1)
    shared_at = models.DateTimeField(_("shared at"), default=timezone.now)
    shared_by = models.ForeignKey(
        User, verbose_name=_("shared by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared item")
        verbose_name_plural = _("shared items")
        ordering = ["structure_id", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "kind", "key"], name="shared_item_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.title} (v{self.version})"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Decision(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    ADAPTED = "adapted", _("Adapted")
    DECLINED = "declined", _("Declined")


class Adoption(models.Model):
    """What a member decided about an item, which version it took, and its own copy (`object_id`)."""

    item = models.ForeignKey(SharedItem, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("item"))
    member = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("member")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    version = models.PositiveIntegerField(_("version taken"))
    object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("object id"))
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    # Bumped by every decision: two people deciding from the same page cannot both win (409 for the second).
    revision = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("revision"))

    class Meta:
        verbose_name = _("decision on a shared item")
        verbose_name_plural = _("decisions on shared items")
        ordering = ["item_id", "member_id"]
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="adoption_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member} — {self.item} — {self.get_decision_display()}"


class MutualisationEvent(models.Model):
    """Append-only trail: memberships, items shared, updated, withdrawn, and the members' decisions."""

    class Kind(models.TextChoices):
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        SHARED = "shared", _("Shared")
        UPDATED = "updated", _("Update shared")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ADOPTED = "adopted", _("Adopted")
        ADAPTED = "adapted", _("Adapted")
        DECLINED = "declined", _("Declined")
        UPDATE_TAKEN = "update_taken", _("Update taken")
        UPDATE_KEPT_MINE = "update_kept_mine", _("Update seen, own version kept")

    structure = models.ForeignKey(Collectivite, on_delete=models.CASCADE, related_name="+", verbose_name=_("structure"))
    member = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("member")
    )
    item = models.ForeignKey(
        SharedItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("item")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    version = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("version"))
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("mutualisation event")
        verbose_name_plural = _("mutualisation events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.structure_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Mutualisation events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Mutualisation events are append-only.")
