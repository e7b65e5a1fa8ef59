"""Every write on shared reference content: memberships of a structure, sharing and withdrawing items, and the
members' decisions (adopt, adapt, decline, take an update).

A member's copy is written through the services of the app that owns it where they exist (the tool catalogue's
`tool_create`/`tool_update`, which reclassify the use cases relying on a tool; the charter's `edition_create` and
`section_update`). Decisions carry the item version and the decision revision the person read: a stale page
gets a `ConflictError` (409) and nothing is written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits import services as audits_services
from audits.models import CheckpointType
from charter import services as charter_services
from charter.models import CharterEdition, CharterSection
from core import typography
from core.access import get_access
from core.errors import ApplicationError, ConflictError, ForbiddenError
from core.roles import Role
from registry import services as registry_services
from registry.models import Collectivite, Tool, User

from . import permissions
from .models import Adoption, Decision, ItemKind, Mutualisation, MutualisationEvent, SharedItem

__all__ = [
    "item_adapt",
    "item_adopt",
    "item_decline",
    "item_keep_mine",
    "item_share",
    "item_take_update",
    "item_withdraw",
    "structure_member_add",
    "structure_member_remove",
]

# The fields copied from the structure's object to the member's; the first one is the item's key.
FIELDS = {
    ItemKind.TOOL: (
        "name",
        "vendor",
        "category",
        "description",
        "url",
        "hosting_zone",
        "hosting_qualification",
        "provider_reuse_disabled",
        "status",
        "max_data_classification",
        "conditions",
    ),
    ItemKind.CHECKPOINT_TYPE: ("code", "title", "practice", "legal_basis", "default_frequency", "evidence"),
    ItemKind.CHARTER_SECTION: ("key", "title", "body"),
}
MODELS = {ItemKind.TOOL: Tool, ItemKind.CHECKPOINT_TYPE: CheckpointType, ItemKind.CHARTER_SECTION: CharterSection}


def key_field(kind: str) -> str:
    return FIELDS[kind][0]


def adaptable_fields(kind: str) -> tuple[str, ...]:
    """What a member may change in its adapted copy: everything but the key (name, code, section key)."""
    return FIELDS[kind][1:]


def _event(structure_id, kind, *, member_id=None, item=None, actor=None, comment="") -> MutualisationEvent:
    return MutualisationEvent.objects.create(
        structure_id=structure_id,
        member_id=member_id,
        item=item,
        kind=kind,
        version=item.version if item is not None else None,
        actor=actor,
        comment=str(comment),
    )


# Memberships -------------------------------------------------------------------------------------------------


def _check_structure_admin(acting_user: User, structure: Collectivite) -> None:
    if not (acting_user.is_superuser or get_access(acting_user, structure).has(Role.ADMIN)):
        raise ForbiddenError(_("Only the structure's administrators manage its members."))


@transaction.atomic
def structure_member_add(*, structure: Collectivite, member: Collectivite, acting_user: User) -> Mutualisation:
    """`member` joins the mutualising `structure` (or joins it again). One level only, never itself."""
    _check_structure_admin(acting_user, structure)
    # Both collectivités locked: two memberships added at once cannot build a chain between them.
    list(Collectivite.objects.select_for_update().filter(pk__in=[structure.pk, member.pk]).order_by("pk"))
    relation = Mutualisation.objects.select_for_update().filter(structure=structure, member=member).first()
    if relation is not None and relation.active:
        return relation
    relation = relation or Mutualisation(structure=structure, member=member)
    relation.active = True
    try:
        relation.full_clean(validate_constraints=False, validate_unique=False)
    except ValidationError as error:
        raise ApplicationError(_("The membership was not recorded."), errors=error.message_dict) from error
    relation.save()
    _event(structure.pk, MutualisationEvent.Kind.MEMBER_ADDED, member_id=member.pk, actor=acting_user)
    return relation


@transaction.atomic
def structure_member_remove(*, relation: Mutualisation, acting_user: User) -> Mutualisation:
    """The member leaves the structure: it no longer sees its items; the copies it took stay its own."""
    _check_structure_admin(acting_user, relation.structure)
    locked = Mutualisation.objects.select_for_update().get(pk=relation.pk)
    if locked.active:
        locked.active = False
        locked.save(update_fields=["active"])
        _event(
            locked.structure_id, MutualisationEvent.Kind.MEMBER_REMOVED, member_id=locked.member_id, actor=acting_user
        )
    return locked


def has_members(structure: Collectivite) -> bool:
    return Mutualisation.objects.filter(structure=structure, active=True).exists()


def is_member(member: Collectivite, structure_id: int) -> bool:
    return Mutualisation.objects.filter(structure_id=structure_id, member=member, active=True).exists()


# The structure's side ----------------------------------------------------------------------------------------


def structure_edition(structure: Collectivite) -> CharterEdition | None:
    """The structure's edition whose sections it shares: the latest published one, else its latest draft."""
    editions = CharterEdition.objects.filter(collectivite=structure).order_by("-year")
    return editions.filter(status=CharterEdition.Status.PUBLISHED).first() or editions.first()


def shareable_sources(structure: Collectivite) -> dict:
    """The structure's own objects it may share, by kind."""
    edition = structure_edition(structure)
    return {
        ItemKind.TOOL: Tool.objects.filter(collectivite=structure).order_by("name"),
        ItemKind.CHECKPOINT_TYPE: CheckpointType.objects.filter(collectivite=structure)
        .exclude(code__startswith="condition-")
        .order_by("code"),
        ItemKind.CHARTER_SECTION: (
            edition.sections.order_by("position") if edition is not None else CharterSection.objects.none()
        ),
    }


def _belongs_to(kind: str, source_object, structure: Collectivite) -> bool:
    if kind == ItemKind.TOOL:
        return isinstance(source_object, Tool) and source_object.collectivite_id == structure.pk
    if kind == ItemKind.CHECKPOINT_TYPE:
        return (
            isinstance(source_object, CheckpointType)
            and source_object.collectivite_id == structure.pk
            and not source_object.code.startswith("condition-")
        )
    return isinstance(source_object, CharterSection) and source_object.edition.collectivite_id == structure.pk


def snapshot(kind: str, source_object) -> dict:
    return {name: getattr(source_object, name) for name in FIELDS[kind]}


@transaction.atomic
def item_share(*, structure: Collectivite, kind: str, source_object, acting_user: User) -> SharedItem:
    """Offer a snapshot of one of the structure's own objects to its members; sharing it again is an update."""
    if not permissions.can_manage_shared(get_access(acting_user, structure)):
        raise ForbiddenError(_("Only the structure's DPO and administrators share reference content."))
    if kind not in FIELDS or not _belongs_to(kind, source_object, structure):
        raise ApplicationError(
            _("Choose one of the structure's own tools, checkpoint types or charter sections."),
            errors={"source": [_("Choose one of the structure's own tools, checkpoint types or charter sections.")]},
        )
    # Locking the structure serialises its shares: two people sharing the same object make one item, one version.
    Collectivite.objects.select_for_update().filter(pk=structure.pk).first()
    if not has_members(structure):
        raise ApplicationError(
            _("%(name)s has no member collectivité: there is nobody to share with.") % {"name": structure.name}
        )
    payload = snapshot(kind, source_object)
    key = str(payload[key_field(kind)])
    title = str(source_object.name if kind == ItemKind.TOOL else source_object.title)[:200]
    item = SharedItem.objects.select_for_update().filter(structure=structure, kind=kind, key=key).first()
    if item is None:
        try:
            with transaction.atomic():
                item = SharedItem.objects.create(
                    structure=structure,
                    kind=kind,
                    key=key,
                    title=title,
                    payload=payload,
                    source_id=source_object.pk,
                    shared_by=acting_user,
                )
        except IntegrityError as error:
            raise ConflictError(_("Someone else shared this item at the same moment: reload the page.")) from error
        _event(structure.pk, MutualisationEvent.Kind.SHARED, item=item, actor=acting_user)
        return item
    if not item.withdrawn and item.payload == payload and item.title == title:
        return item
    was_withdrawn = item.withdrawn
    item.payload, item.title, item.source_id = payload, title, source_object.pk
    item.version += 1
    item.withdrawn_at = None
    item.shared_at = timezone.now()
    item.shared_by = acting_user
    item.save()
    kind_of_event = MutualisationEvent.Kind.SHARED if was_withdrawn else MutualisationEvent.Kind.UPDATED
    _event(structure.pk, kind_of_event, item=item, actor=acting_user)
    return item


@transaction.atomic
def item_withdraw(*, item: SharedItem, acting_user: User, expected_version: int | None = None) -> SharedItem:
    """The structure stops offering the item. Members keep the copies they took."""
    locked = SharedItem.objects.select_for_update().select_related("structure").get(pk=item.pk)
    if not permissions.can_manage_shared(get_access(acting_user, locked.structure)):
        raise ForbiddenError(_("Only the structure's DPO and administrators withdraw shared content."))
    if locked.withdrawn:
        raise ConflictError(_("This item is already withdrawn."))
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError(_("This item was shared again since you read the page: reload it, then withdraw it."))
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    _event(locked.structure_id, MutualisationEvent.Kind.WITHDRAWN, item=locked, actor=acting_user)
    return locked


# The members' side -------------------------------------------------------------------------------------------


def member_edition(member: Collectivite) -> CharterEdition | None:
    """The member's draft edition that receives charter sections: this year's, else a later one."""
    return (
        CharterEdition.objects.filter(
            collectivite=member, status=CharterEdition.Status.DRAFT, year__gte=timezone.localdate().year
        )
        .order_by("year")
        .first()
    )


def _member_edition_for_writing(member: Collectivite, acting_user: User) -> CharterEdition:
    edition = member_edition(member)
    if edition is not None:
        return edition
    year = timezone.localdate().year
    if CharterEdition.objects.filter(collectivite=member, year=year).exists():
        raise ApplicationError(
            _(
                "The %(year)d charter of %(name)s is published and final. Create the %(next)d draft edition first "
                "(Charter, then Editions), then take this section into it."
            )
            % {"year": year, "next": year + 1, "name": typography.after_de(member.name)}
        )
    # No edition this year: the draft is made the usual way (from the latest edition, or the default text).
    return charter_services.edition_create(collectivite=member, acting_user=acting_user, year=year)


def member_object(item: SharedItem, member: Collectivite, adoption: Adoption | None, edition=None):
    """The member's own copy the adoption points to (for a charter section: the section of the same key in the
    member's draft edition), or None."""
    if adoption is None or adoption.decision == Decision.DECLINED:
        return None
    if item.kind == ItemKind.CHARTER_SECTION:
        edition = edition if edition is not None else member_edition(member)
        return edition.sections.filter(key=item.key).first() if edition is not None else None
    if adoption.object_id is None:
        return None
    return MODELS[item.kind].objects.filter(collectivite=member, pk=adoption.object_id).first()


def _same_name(item: SharedItem, member: Collectivite, edition=None):
    """A member object that would collide with the item's copy (same tool name, type code, section key)."""
    if item.kind == ItemKind.TOOL:
        return Tool.objects.filter(collectivite=member, name=item.key).first()
    if item.kind == ItemKind.CHECKPOINT_TYPE:
        return CheckpointType.objects.filter(collectivite=member, code=item.key).first()
    return edition.sections.filter(key=item.key).first() if edition is not None else None


def _collision_message(item: SharedItem):
    if item.kind == ItemKind.TOOL:
        text = _("Your catalogue already has a tool named “%(key)s”.")
    elif item.kind == ItemKind.CHECKPOINT_TYPE:
        text = _("Your collectivité already has a checkpoint type coded “%(key)s”.")
    else:
        text = _("Your draft charter already has a section “%(key)s”.")
    return (
        str(text % {"key": item.key})
        + " "
        + str(_("Tick the box to link it to the shared content and replace its content; otherwise nothing is changed."))
    )


def _section_write(edition: CharterEdition, target, data: dict, acting_user: User, structure) -> CharterSection:
    if target is not None:
        return charter_services.section_update(
            section=target, acting_user=acting_user, data={"title": data["title"], "body": data["body"]}
        )
    return charter_services.section_add(
        edition=edition,
        key=data["key"],
        acting_user=acting_user,
        data=data,
        comment=str(_("Section taken from the reference content of %(structure)s.") % {"structure": structure.name}),
    )


def _write_copy(item: SharedItem, member: Collectivite, target, data: dict, acting_user: User, edition):
    if item.kind == ItemKind.TOOL:
        if target is None:
            return registry_services.tool_create(collectivite=member, acting_user=acting_user, data=data)
        return registry_services.tool_update(tool=target, acting_user=acting_user, data=data)
    if item.kind == ItemKind.CHECKPOINT_TYPE:
        return audits_services.checkpoint_type_save(collectivite=member, checkpoint_type=target, data=data)
    return _section_write(edition, target, data, acting_user, item.structure)


def _locked(item: SharedItem, member: Collectivite, acting_user: User, expected_version, expected_revision):
    """Check who acts and what they read; lock the item and the member's decision."""
    locked = SharedItem.objects.select_for_update(of=("self",)).select_related("structure").get(pk=item.pk)
    if not is_member(member, locked.structure_id):
        raise ForbiddenError(
            _("%(member)s is not a member of %(structure)s.") % {"member": member.name, "structure": locked.structure}
        )
    if not permissions.can_decide(get_access(acting_user, member), locked):
        raise ForbiddenError(_("Only the DPO and administrators (the RSSI for tools) decide on shared content."))
    adoption = Adoption.objects.select_for_update().filter(item=locked, member=member).first()
    if expected_revision is not None and int(expected_revision) != (adoption.revision if adoption else 0):
        raise ConflictError(
            _(
                "Someone else decided on this item while you were reading it. Nothing was changed: read their "
                "decision, then decide again if needed."
            )
        )
    if locked.withdrawn:
        raise ConflictError(_("The structure withdrew this item: it can no longer be taken."))
    if expected_version is not None and int(expected_version) != locked.version:
        raise ConflictError(
            _(
                "%(structure)s updated this item while you were reading it. Nothing was changed: read the new "
                "version, then decide again."
            )
            % {"structure": locked.structure}
        )
    return locked, adoption


def _record(item, member, adoption, acting_user, decision, object_id, event_kind) -> Adoption:
    if adoption is None:
        adoption = Adoption(item=item, member=member, revision=0)
    adoption.decision = decision
    adoption.version = item.version
    adoption.object_id = object_id
    adoption.decided_by = acting_user
    adoption.decided_at = timezone.now()
    adoption.revision += 1
    adoption.save()
    _event(item.structure_id, event_kind, member_id=member.pk, item=item, actor=acting_user)
    return adoption


def _take(item, member, acting_user, *, decision, data, confirm, expected_version, expected_revision, event_kind):
    locked, adoption = _locked(item, member, acting_user, expected_version, expected_revision)
    content = dict(locked.payload)
    for name in adaptable_fields(locked.kind):
        if data and name in data:
            content[name] = data[name]
    edition = _member_edition_for_writing(member, acting_user) if locked.kind == ItemKind.CHARTER_SECTION else None
    target = member_object(locked, member, adoption, edition)
    if target is None:
        target = _same_name(locked, member, edition)
        if target is not None and not confirm:
            message = _collision_message(locked)
            raise ApplicationError(message, errors={"confirm": [message]})
    elif adoption.decision == Decision.ADAPTED and decision == Decision.ADOPTED and not confirm:
        message = str(
            _("Your adapted version will be replaced by the shared one: tick the box to confirm, or keep yours.")
        )
        raise ApplicationError(message, errors={"confirm": [message]})
    copy = _write_copy(locked, member, target, content, acting_user, edition)
    return _record(locked, member, adoption, acting_user, decision, copy.pk, event_kind)


@transaction.atomic
def item_adopt(
    *,
    item: SharedItem,
    member: Collectivite,
    acting_user: User,
    confirm: bool = False,
    expected_version: int | None = None,
    expected_revision: int | None = None,
) -> Adoption:
    """Take the item as it is: the member gets its own copy, kept in step with the structure's updates.
    An object of the member with the same name is linked and overwritten only if `confirm`."""
    return _take(
        item,
        member,
        acting_user,
        decision=Decision.ADOPTED,
        data=None,
        confirm=confirm,
        expected_version=expected_version,
        expected_revision=expected_revision,
        event_kind=MutualisationEvent.Kind.ADOPTED,
    )


@transaction.atomic
def item_adapt(
    *,
    item: SharedItem,
    member: Collectivite,
    acting_user: User,
    data: dict | None = None,
    confirm: bool = False,
    expected_version: int | None = None,
    expected_revision: int | None = None,
) -> Adoption:
    """Take a copy with the member's changes (`data`, any field but the key). Later updates are offered for
    comparison, never written over it."""
    return _take(
        item,
        member,
        acting_user,
        decision=Decision.ADAPTED,
        data=data,
        confirm=confirm,
        expected_version=expected_version,
        expected_revision=expected_revision,
        event_kind=MutualisationEvent.Kind.ADAPTED,
    )


@transaction.atomic
def item_decline(
    *,
    item: SharedItem,
    member: Collectivite,
    acting_user: User,
    expected_version: int | None = None,
    expected_revision: int | None = None,
) -> Adoption:
    """The member does not take the item. A copy taken earlier stays the member's, no longer linked."""
    locked, adoption = _locked(item, member, acting_user, expected_version, expected_revision)
    if adoption is not None and adoption.decision == Decision.DECLINED:
        raise ConflictError(_("This item is already declined."))
    return _record(locked, member, adoption, acting_user, Decision.DECLINED, None, MutualisationEvent.Kind.DECLINED)


def _pending(adoption: Adoption | None, item: SharedItem) -> Adoption:
    if adoption is None or adoption.decision == Decision.DECLINED or adoption.version >= item.version:
        raise ConflictError(_("There is no update of this item to take."))
    return adoption


@transaction.atomic
def item_take_update(
    *,
    item: SharedItem,
    member: Collectivite,
    acting_user: User,
    confirm: bool = False,
    expected_version: int | None = None,
    expected_revision: int | None = None,
) -> Adoption:
    """Bring the member's copy to the item's new version. An adapted copy is replaced only if `confirm`."""
    locked, adoption = _locked(item, member, acting_user, expected_version, expected_revision)
    _pending(adoption, locked)
    return _take(
        locked,
        member,
        acting_user,
        decision=Decision.ADOPTED,
        data=None,
        confirm=confirm,
        expected_version=None,
        expected_revision=None,
        event_kind=MutualisationEvent.Kind.UPDATE_TAKEN,
    )


@transaction.atomic
def item_keep_mine(
    *,
    item: SharedItem,
    member: Collectivite,
    acting_user: User,
    expected_version: int | None = None,
    expected_revision: int | None = None,
) -> Adoption:
    """The member read the update of an adapted item and keeps its own version: the update is no longer pending."""
    locked, adoption = _locked(item, member, acting_user, expected_version, expected_revision)
    adoption = _pending(adoption, locked)
    return _record(
        locked,
        member,
        adoption,
        acting_user,
        adoption.decision,
        adoption.object_id,
        MutualisationEvent.Kind.UPDATE_KEPT_MINE,
    )
