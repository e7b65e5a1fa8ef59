"""The services of shared reference content: sharing, every decision, updates, name collisions, stale pages (409)."""

import pytest
from django.db import connection
from django.utils import timezone

from audits.models import CheckpointType
from charter import services as charter_services
from charter.models import CharterEdition
from core.errors import ApplicationError, ConflictError, ForbiddenError
from mutualisation import services
from mutualisation.models import Adoption, Decision, MutualisationEvent
from registry.models import Tool, UseCaseEvent
from tests.registry.factories import CollectiviteFactory, ToolFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


# Memberships -------------------------------------------------------------------------------------------------


def test_a_collectivite_cannot_be_its_own_member(structure, structure_users):
    with pytest.raises(ApplicationError) as caught:
        services.structure_member_add(structure=structure, member=structure, acting_user=structure_users["admin"])
    assert "member" in caught.value.errors


def test_a_member_cannot_also_be_a_structure(membership, structure, collectivite, users):
    # One level only: the member may not take members, nor the structure become a member of its member.
    small = CollectiviteFactory(name="Petite commune", slug="petite")
    with pytest.raises(ApplicationError) as caught:
        services.structure_member_add(structure=collectivite, member=small, acting_user=users["admin"])
    assert "structure" in caught.value.errors
    with pytest.raises(ApplicationError) as caught:
        services.structure_member_add(structure=collectivite, member=structure, acting_user=users["admin"])
    assert caught.value.errors


def test_only_the_structure_administrators_add_members(structure, structure_users, collectivite):
    with pytest.raises(ForbiddenError):
        services.structure_member_add(structure=structure, member=collectivite, acting_user=structure_users["dpo"])


def test_removing_a_member_hides_the_items_and_keeps_its_copies(shared, membership, collectivite, users):
    services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["dpo"])
    services.structure_member_remove(
        relation=membership, acting_user=membership.structure.memberships.get(role="admin").user
    )
    assert Tool.objects.filter(collectivite=collectivite, name=shared["tool"].key).exists()
    with pytest.raises(ForbiddenError):
        services.item_decline(item=shared["tool"], member=collectivite, acting_user=users["dpo"])
    kinds = list(MutualisationEvent.objects.values_list("kind", flat=True))
    assert kinds[0] == "member_added" and "member_removed" in kinds


# Sharing -----------------------------------------------------------------------------------------------------


def test_sharing_snapshots_the_object_and_sharing_again_bumps_the_version(
    shared, structure, structure_users, structure_tool
):
    item = shared["tool"]
    assert (item.version, item.key, item.payload["conditions"]) == (1, structure_tool.name, "Pas de données de santé.")
    # Unchanged: sharing again changes nothing.
    again = services.item_share(
        structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["dpo"]
    )
    assert again.pk == item.pk and again.version == 1
    structure_tool.conditions = "Aucune donnée personnelle."
    structure_tool.save()
    again = services.item_share(
        structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["admin"]
    )
    assert (again.pk, again.version, again.payload["conditions"]) == (item.pk, 2, "Aucune donnée personnelle.")
    assert MutualisationEvent.objects.filter(item=item, kind="updated", version=2).exists()


def test_only_the_structure_own_objects_are_shared(membership, structure, structure_users, tool):
    with pytest.raises(ApplicationError) as caught:
        services.item_share(structure=structure, kind="tool", source_object=tool, acting_user=structure_users["dpo"])
    assert "source" in caught.value.errors


def test_a_structure_without_members_shares_nothing(structure, structure_users, structure_tool):
    with pytest.raises(ApplicationError):
        services.item_share(
            structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["dpo"]
        )


def test_only_the_structure_dpo_and_administrators_share(membership, structure, structure_users, structure_tool):
    with pytest.raises(ForbiddenError):
        services.item_share(
            structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["rssi"]
        )


def test_withdrawing_stops_the_offer_and_twice_is_a_conflict(shared, collectivite, users, structure_users):
    item = services.item_withdraw(item=shared["tool"], acting_user=structure_users["dpo"], expected_version=1)
    assert item.withdrawn
    with pytest.raises(ConflictError):
        services.item_withdraw(item=item, acting_user=structure_users["dpo"])
    with pytest.raises(ConflictError):
        services.item_adopt(item=item, member=collectivite, acting_user=users["dpo"])


# Decisions ---------------------------------------------------------------------------------------------------


def test_adopting_a_tool_creates_the_member_own_copy(shared, collectivite, users, structure):
    adoption = services.item_adopt(
        item=shared["tool"], member=collectivite, acting_user=users["dpo"], expected_version=1, expected_revision=0
    )
    copy = Tool.objects.get(pk=adoption.object_id)
    assert copy.collectivite == collectivite and copy.conditions == "Pas de données de santé."
    assert (adoption.decision, adoption.version, adoption.revision) == (Decision.ADOPTED, 1, 1)
    assert Tool.objects.filter(collectivite=structure).count() == 1  # the structure's own is untouched


def test_a_name_collision_is_refused_unless_the_member_confirms(shared, collectivite, users):
    mine = ToolFactory(collectivite=collectivite, name=shared["tool"].key, conditions="Mes conditions.")
    with pytest.raises(ApplicationError) as caught:
        services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["dpo"])
    assert "confirm" in caught.value.errors
    mine.refresh_from_db()
    assert mine.conditions == "Mes conditions." and not Adoption.objects.exists()
    adoption = services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["dpo"], confirm=True)
    mine.refresh_from_db()
    assert adoption.object_id == mine.pk and mine.conditions == "Pas de données de santé."


def test_adapting_keeps_the_member_changes_and_updates_never_overwrite_them(
    shared, collectivite, users, structure, structure_users, structure_tool
):
    adoption = services.item_adapt(
        item=shared["tool"], member=collectivite, acting_user=users["rssi"], data={"conditions": "Nos conditions."}
    )
    copy = Tool.objects.get(pk=adoption.object_id)
    assert (adoption.decision, copy.conditions, copy.name) == (Decision.ADAPTED, "Nos conditions.", shared["tool"].key)
    structure_tool.vendor = "Nouvel éditeur"
    structure_tool.save()
    item = services.item_share(
        structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["dpo"]
    )
    # The update is offered, not applied; replacing an adapted copy needs a confirmation.
    copy.refresh_from_db()
    assert copy.vendor != "Nouvel éditeur"
    with pytest.raises(ApplicationError) as caught:
        services.item_take_update(item=item, member=collectivite, acting_user=users["dpo"])
    assert "confirm" in caught.value.errors
    kept = services.item_keep_mine(item=item, member=collectivite, acting_user=users["dpo"])
    assert (kept.decision, kept.version) == (Decision.ADAPTED, 2)
    copy.refresh_from_db()
    assert (copy.vendor, copy.conditions) == ("Éditeur public", "Nos conditions.")


def test_an_adapted_copy_is_replaced_by_an_update_when_confirmed(
    shared, collectivite, users, structure, structure_users, structure_tool
):
    services.item_adapt(
        item=shared["tool"], member=collectivite, acting_user=users["dpo"], data={"conditions": "Nos conditions."}
    )
    structure_tool.vendor = "Nouvel éditeur"
    structure_tool.save()
    item = services.item_share(
        structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["dpo"]
    )
    adoption = services.item_take_update(item=item, member=collectivite, acting_user=users["dpo"], confirm=True)
    copy = Tool.objects.get(pk=adoption.object_id)
    assert (adoption.decision, adoption.version, copy.vendor, copy.conditions) == (
        Decision.ADOPTED,
        2,
        "Nouvel éditeur",
        "Pas de données de santé.",
    )


def test_taking_an_update_of_an_adopted_tool_reclassifies_the_use_cases_relying_on_it(
    shared, collectivite, users, structure, structure_users, structure_tool, request
):
    org_services = request.getfixturevalue("services")  # the fixture's name is this module's import's
    adoption = services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["dpo"])
    copy = Tool.objects.get(pk=adoption.object_id)
    use_case = UseCaseFactory(collectivite=collectivite, service=org_services["ccas"], owner=users["agent"], tool=copy)
    with pytest.raises(ConflictError):  # nothing to take yet
        services.item_take_update(item=shared["tool"], member=collectivite, acting_user=users["dpo"])
    structure_tool.status = "prohibited"
    structure_tool.save()
    item = services.item_share(
        structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["dpo"]
    )
    services.item_take_update(
        item=item, member=collectivite, acting_user=users["dpo"], expected_version=2, expected_revision=1
    )
    copy.refresh_from_db()
    assert copy.status == "prohibited"
    assert UseCaseEvent.objects.filter(use_case=use_case, kind=UseCaseEvent.Kind.RECLASSIFIED).exists()


def test_declining_changes_nothing_and_unlinks_an_earlier_copy(shared, collectivite, users):
    adoption = services.item_decline(item=shared["checkpoint_type"], member=collectivite, acting_user=users["admin"])
    assert adoption.decision == Decision.DECLINED
    assert not CheckpointType.objects.filter(collectivite=collectivite).exists()
    with pytest.raises(ConflictError):
        services.item_decline(item=shared["checkpoint_type"], member=collectivite, acting_user=users["admin"])
    # Declined, then adopted after all; declined again: the copy stays the member's.
    services.item_adopt(item=shared["checkpoint_type"], member=collectivite, acting_user=users["admin"])
    declined = services.item_decline(item=shared["checkpoint_type"], member=collectivite, acting_user=users["admin"])
    assert declined.object_id is None and declined.revision == 3
    assert CheckpointType.objects.filter(collectivite=collectivite, code="revue-trimestrielle").exists()


def test_adopting_a_checkpoint_type_makes_a_local_type_of_the_member(shared, collectivite, users):
    adoption = services.item_adopt(item=shared["checkpoint_type"], member=collectivite, acting_user=users["dpo"])
    kind = CheckpointType.objects.get(pk=adoption.object_id)
    assert (kind.collectivite, kind.code, kind.default_frequency) == (collectivite, "revue-trimestrielle", "quarterly")


def test_adopting_a_charter_section_creates_the_draft_of_the_year_and_asks_before_replacing(
    shared, collectivite, users
):
    item = shared["charter_section"]
    # The member has no edition: its draft of the year is created the usual way (from the default sections), which
    # already holds a section of the same key: replacing it needs a confirmation.
    with pytest.raises(ApplicationError) as caught:
        services.item_adopt(item=item, member=collectivite, acting_user=users["dpo"])
    assert "confirm" in caught.value.errors
    adoption = services.item_adopt(item=item, member=collectivite, acting_user=users["dpo"], confirm=True)
    edition = CharterEdition.objects.get(collectivite=collectivite, year=timezone.localdate().year)
    section = edition.sections.get(key=item.key)
    assert (adoption.object_id, section.title) == (section.pk, "Principes communs de l'agglomération")


def test_a_new_charter_section_is_added_at_the_end_of_the_member_draft(
    shared, collectivite, users, structure, structure_users, structure_section
):
    structure_section.key = "usage-mutualise"
    structure_section.save()
    item = services.item_share(
        structure=structure, kind="charter_section", source_object=structure_section, acting_user=structure_users["dpo"]
    )
    adoption = services.item_adopt(item=item, member=collectivite, acting_user=users["dpo"])
    edition = CharterEdition.objects.get(collectivite=collectivite)
    assert edition.sections.order_by("position").last().pk == adoption.object_id


def test_a_charter_section_is_refused_when_the_year_edition_is_published(shared, collectivite, users):
    year = timezone.localdate().year
    edition = charter_services.edition_create(collectivite=collectivite, acting_user=users["dpo"], year=year)
    CharterEdition.objects.filter(pk=edition.pk).update(status=CharterEdition.Status.PUBLISHED)
    with pytest.raises(ApplicationError) as caught:
        services.item_adopt(item=shared["charter_section"], member=collectivite, acting_user=users["dpo"], confirm=True)
    assert str(year + 1) in str(caught.value.message)
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("role", ["agent", "chef", "comite", "dgs"])
def test_other_roles_may_not_decide(shared, collectivite, users, role):
    with pytest.raises(ForbiddenError):
        services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users[role])


def test_the_rssi_decides_on_tools_only(shared, collectivite, users):
    services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["rssi"])
    with pytest.raises(ForbiddenError):
        services.item_adopt(item=shared["checkpoint_type"], member=collectivite, acting_user=users["rssi"])


def test_a_collectivite_outside_the_structure_may_not_take_its_items(shared, other_collectivite, outsider):
    with pytest.raises(ForbiddenError):
        services.item_adopt(item=shared["tool"], member=other_collectivite, acting_user=outsider)


# Stale pages -------------------------------------------------------------------------------------------------


def test_a_decision_from_a_stale_page_is_a_conflict(shared, collectivite, users):
    services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["dpo"], expected_revision=0)
    with pytest.raises(ConflictError) as caught:
        services.item_decline(item=shared["tool"], member=collectivite, acting_user=users["admin"], expected_revision=0)
    assert caught.value.status_code == 409
    assert Adoption.objects.get().decision == Decision.ADOPTED


def test_a_decision_on_a_version_the_structure_replaced_is_a_conflict(
    shared, collectivite, users, structure, structure_users, structure_tool
):
    structure_tool.vendor = "Autre"
    structure_tool.save()
    services.item_share(
        structure=structure, kind="tool", source_object=structure_tool, acting_user=structure_users["dpo"]
    )
    with pytest.raises(ConflictError):
        services.item_adopt(item=shared["tool"], member=collectivite, acting_user=users["dpo"], expected_version=1)
    assert not Tool.objects.filter(collectivite=collectivite, name=shared["tool"].key).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_decisions_at_the_same_moment_one_wins_the_other_gets_409(shared, collectivite, users):
    from tests.concurrency import race

    results = race(
        lambda: services.item_adopt(
            item=shared["tool"], member=collectivite, acting_user=users["dpo"], expected_revision=0
        ),
        lambda: services.item_decline(
            item=shared["tool"], member=collectivite, acting_user=users["admin"], expected_revision=0
        ),
    )
    assert sorted(type(result).__name__ for result in results) == ["Adoption", "ConflictError"]
    assert Adoption.objects.get().revision == 1
