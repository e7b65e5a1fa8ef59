"""Reads on shared reference content: the structure's items with its members' decisions, the items offered to a
member with where it stands on each, and the field-by-field comparison of an item with the member's copy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from registry.models import Collectivite

from .models import Adoption, Decision, ItemKind, Mutualisation, SharedItem
from .services import FIELDS, MODELS, member_edition, member_object


class Standing:
    """Where a member stands on an item."""

    NEW = "new"
    UPDATE = "update"
    ADOPTED = "adopted"
    ADAPTED = "adapted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    LABELS = {
        NEW: _("New"),
        UPDATE: _("Update available"),
        ADOPTED: _("Adopted"),
        ADAPTED: _("Adapted"),
        DECLINED: _("Declined"),
        WITHDRAWN: _("Withdrawn by the structure"),
    }


def standing(item: SharedItem, adoption: Adoption | None) -> str:
    if item.withdrawn:
        return Standing.WITHDRAWN
    if adoption is None:
        return Standing.NEW
    if adoption.decision == Decision.DECLINED:
        return Standing.DECLINED
    if adoption.version < item.version:
        return Standing.UPDATE
    return Standing.ADOPTED if adoption.decision == Decision.ADOPTED else Standing.ADAPTED


def shared_items(structure: Collectivite) -> QuerySet[SharedItem]:
    """The structure's items, with how many members adopted, adapted, declined each (one query)."""
    return (
        SharedItem.objects.filter(structure=structure)
        .annotate(
            adopted_count=Count("adoptions", filter=Q(adoptions__decision=Decision.ADOPTED)),
            adapted_count=Count("adoptions", filter=Q(adoptions__decision=Decision.ADAPTED)),
            declined_count=Count("adoptions", filter=Q(adoptions__decision=Decision.DECLINED)),
        )
        .select_related("shared_by")
        .order_by("withdrawn_at", "kind", "title")
    )


def members_of(structure: Collectivite) -> QuerySet[Mutualisation]:
    return Mutualisation.objects.filter(structure=structure, active=True).select_related("member")


def structures_of(member: Collectivite) -> QuerySet[Collectivite]:
    return Collectivite.objects.filter(mutualised_members__member=member, mutualised_members__active=True).order_by(
        "name"
    )


def offered_items(member: Collectivite) -> QuerySet[SharedItem]:
    """Items of the structures the member belongs to: those on offer, and withdrawn ones it had decided on.
    Each carries `mine`: the member's decision in a one-element list, or an empty list."""
    return (
        SharedItem.objects.filter(
            structure__mutualised_members__member=member, structure__mutualised_members__active=True
        )
        .filter(Q(withdrawn_at__isnull=True) | Q(adoptions__member=member))
        .distinct()
        .select_related("structure")
        .prefetch_related(Prefetch("adoptions", queryset=Adoption.objects.filter(member=member), to_attr="mine"))
        .order_by("structure__name", "kind", "title")
    )


def offered_item(member: Collectivite, pk: int) -> SharedItem | None:
    return offered_items(member).filter(pk=pk).first()


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    mine: str
    theirs: str

    @property
    def changed(self) -> bool:
        return self.mine != self.theirs


def _display(model, name: str, value) -> str:
    field = model._meta.get_field(name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def comparison(item: SharedItem, member: Collectivite, adoption: Adoption | None) -> tuple[object, list[FieldDiff]]:
    """The member's copy (or the object of the same name it would replace) and, field by field, what it says
    next to what the item says now."""
    from .services import _same_name

    edition = member_edition(member) if item.kind == ItemKind.CHARTER_SECTION else None
    mine = member_object(item, member, adoption, edition) or _same_name(item, member, edition)
    model = MODELS[item.kind]
    rows = [
        FieldDiff(
            name=name,
            label=str(model._meta.get_field(name).verbose_name).capitalize(),
            mine=_display(model, name, getattr(mine, name)) if mine is not None else "",
            theirs=_display(model, name, item.payload.get(name)),
        )
        for name in FIELDS[item.kind]
    ]
    return mine, rows
