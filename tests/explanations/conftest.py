import pytest

from core.roles import Role
from tests.registry.factories import MembershipFactory, UserFactory

from .factories import published_decision_use_case


@pytest.fixture
def entry(use_case, users):
    """A published use case of the CCAS founding decisions (high risk, Annex III 5a)."""
    return published_decision_use_case(use_case, users["dpo"])


@pytest.fixture
def head_ccas(collectivite, services):
    user = UserFactory(username="chef-ccas", first_name="Anne", last_name="Chef", email="chef.ccas@example.org")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.HEAD_OF_SERVICE, service=services["ccas"])
    return user


@pytest.fixture
def head_communication(collectivite, services):
    user = UserFactory(username="chef-com")
    MembershipFactory(
        user=user, collectivite=collectivite, role=Role.HEAD_OF_SERVICE, service=services["communication"]
    )
    return user
