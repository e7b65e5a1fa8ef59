"""Loads the demo's reference content of the intercommunality (data: demo/mutualisation.py) through the
mutualisation services: the structure shares tools, checkpoint types and charter sections; its first member adopts,
adapts or declines them."""

from __future__ import annotations

from django.utils import timezone

from audits.models import CheckpointType
from charter import services as charter_services
from charter.models import CharterEdition
from demo.mutualisation import CHECKPOINT_TYPES, SECTION_TEXTS, TOOLS
from mutualisation import services
from mutualisation.models import ItemKind
from registry import services as registry_services
from registry.models import Collectivite, Tool, User


def seed_reference_content(*, structure: Collectivite, members: list[Collectivite], acting_user: User) -> dict:
    """`acting_user` is an administrator (or DPO) of the structure and of `members[0]` (the shared DPO of the demo)
    and a superuser or administrator of the structure to record the memberships. Returns the shared items."""
    for member in members:
        services.structure_member_add(structure=structure, member=member, acting_user=acting_user)
    tools = []
    for data in TOOLS:
        tool = Tool.objects.filter(collectivite=structure, name=data["name"]).first()
        tools.append(tool or registry_services.tool_create(collectivite=structure, acting_user=acting_user, data=data))
    types = [
        CheckpointType.objects.get_or_create(collectivite=structure, code=data["code"], defaults=data)[0]
        for data in CHECKPOINT_TYPES
    ]
    year = timezone.localdate().year
    edition = CharterEdition.objects.filter(collectivite=structure, year=year).first() or (
        charter_services.edition_create(collectivite=structure, acting_user=acting_user, year=year)
    )
    sections = list(edition.sections.order_by("position")[: len(SECTION_TEXTS)])
    if not edition.is_published:
        for section, (title, body) in zip(sections, SECTION_TEXTS, strict=False):
            charter_services.section_update(
                section=section, acting_user=acting_user, data={"title": title, "body": body}
            )
    sections = list(edition.sections.order_by("position")[: len(SECTION_TEXTS)])

    def share(kind, obj):
        return services.item_share(structure=structure, kind=kind, source_object=obj, acting_user=acting_user)

    items = {
        "tools": [share(ItemKind.TOOL, tool) for tool in tools],
        "checkpoint_types": [share(ItemKind.CHECKPOINT_TYPE, kind) for kind in types],
        "charter_sections": [share(ItemKind.CHARTER_SECTION, section) for section in sections],
    }
    if not members:
        return items
    first = members[0]

    def decide(service, item, **extra):
        return service(item=item, member=first, acting_user=acting_user, **extra)

    # Adopted: the writing assistant, the sample review, the common principles (replacing the default section).
    decide(services.item_adopt, items["tools"][0], confirm=True)
    decide(services.item_adopt, items["checkpoint_types"][0], confirm=True)
    decide(services.item_adopt, items["charter_sections"][0], confirm=True)
    # Adapted: the transcriber, with the commune's own conditions. Declined: the annual review with the DPO.
    decide(
        services.item_adapt,
        items["tools"][1],
        confirm=True,
        data={"conditions": "Réunions du conseil municipal uniquement, enregistrement annoncé aux participants."},
    )
    decide(services.item_decline, items["checkpoint_types"][1])
    # Then the structure tightens the writing assistant's conditions: an update waits for the member.
    tool = registry_services.tool_update(
        tool=tools[0],
        acting_user=acting_user,
        data={"conditions": "Relire chaque texte avant envoi ; jamais de données de santé."},
    )
    items["tools"][0] = share(ItemKind.TOOL, tool)
    return items
