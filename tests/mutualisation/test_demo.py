"""The demo's reference content: what `seed_demo` shows of mutualisation."""

import pytest

from core.roles import Role
from demo.loaders.mutualisation import seed_reference_content
from mutualisation.models import Adoption, SharedItem
from mutualisation.selectors import Standing, offered_items, standing
from tests.registry.factories import CollectiviteFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_demo_shares_and_decides_as_described(structure, collectivite, users, other_collectivite):
    shared_dpo = users["admin"]
    MembershipFactory(user=shared_dpo, collectivite=structure, role=Role.ADMIN)
    MembershipFactory(user=shared_dpo, collectivite=structure, role=Role.DPO)
    second = CollectiviteFactory(name="Petite commune", slug="petite")
    seed_reference_content(structure=structure, members=[collectivite, second], acting_user=shared_dpo)
    counts = {
        kind: SharedItem.objects.filter(structure=structure, kind=kind).count()
        for kind in ("tool", "checkpoint_type", "charter_section")
    }
    assert counts == {"tool": 3, "checkpoint_type": 2, "charter_section": 2}
    standings = [standing(item, item.mine[0] if item.mine else None) for item in offered_items(collectivite)]
    assert sorted(standings) == sorted(
        [
            Standing.UPDATE,
            Standing.NEW,
            Standing.ADOPTED,
            Standing.ADAPTED,
            Standing.DECLINED,
            Standing.ADOPTED,
            Standing.NEW,
        ]
    )
    assert not Adoption.objects.filter(member=second).exists()
    assert not offered_items(other_collectivite).exists()
