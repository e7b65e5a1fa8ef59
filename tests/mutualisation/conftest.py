"""A mutualising structure (an agglomeration) with its own DPO, agent and content, whose member is the demo-like
collectivité of `tests/conftest.py`; the neighbour (`other_collectivite`) belongs to another structure."""

import pytest

from audits.models import CheckpointType
from charter import services as charter_services
from core.roles import Role
from mutualisation import services
from registry.choices import CollectiviteType
from tests.registry.factories import CollectiviteFactory, MembershipFactory, ToolFactory, UserFactory


def member(collectivite, username, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, collectivite=collectivite, role=role)
    return user


@pytest.fixture
def structure(db):
    return CollectiviteFactory(name="Agglomération du Val", slug="agglo-val", kind=CollectiviteType.EPCI)


@pytest.fixture
def structure_users(structure):
    return {
        "dpo": member(structure, "dpo-agglo", Role.DPO),
        "admin": member(structure, "admin-agglo", Role.ADMIN),
        "rssi": member(structure, "rssi-agglo", Role.RSSI),
    }


@pytest.fixture
def membership(structure, structure_users, collectivite, users):
    return services.structure_member_add(structure=structure, member=collectivite, acting_user=structure_users["admin"])


@pytest.fixture
def structure_tool(structure):
    return ToolFactory(
        collectivite=structure,
        name="Assistant rédactionnel mutualisé",
        vendor="Éditeur public",
        status="approved",
        max_data_classification="C1",
        conditions="Pas de données de santé.",
    )


@pytest.fixture
def structure_type(structure):
    return CheckpointType.objects.create(
        collectivite=structure,
        code="revue-trimestrielle",
        title="Revue trimestrielle des réponses",
        practice="Relire un échantillon de réponses chaque trimestre.",
        default_frequency="quarterly",
    )


@pytest.fixture
def structure_section(structure, structure_users):
    edition = charter_services.edition_create(collectivite=structure, acting_user=structure_users["dpo"], year=2026)
    section = edition.sections.order_by("position").first()
    return charter_services.section_update(
        section=section,
        acting_user=structure_users["dpo"],
        data={"title": "Principes communs de l'agglomération", "body": "Un texte commun."},
    )


@pytest.fixture
def shared(membership, structure, structure_users, structure_tool, structure_type, structure_section):
    """One item of each kind, shared by the structure's DPO."""
    dpo = structure_users["dpo"]
    return {
        "tool": services.item_share(structure=structure, kind="tool", source_object=structure_tool, acting_user=dpo),
        "checkpoint_type": services.item_share(
            structure=structure, kind="checkpoint_type", source_object=structure_type, acting_user=dpo
        ),
        "charter_section": services.item_share(
            structure=structure, kind="charter_section", source_object=structure_section, acting_user=dpo
        ),
    }


@pytest.fixture
def neighbour_item(other_collectivite, outsider):
    """An item of another structure, whose member is the neighbour: out of our sight."""
    syndicat = CollectiviteFactory(name="Syndicat mixte", slug="syndicat", kind=CollectiviteType.SYNDICAT)
    admin = member(syndicat, "admin-syndicat", Role.ADMIN)
    services.structure_member_add(structure=syndicat, member=other_collectivite, acting_user=admin)
    tool = ToolFactory(collectivite=syndicat, name="Outil du syndicat")
    return services.item_share(structure=syndicat, kind="tool", source_object=tool, acting_user=admin)
