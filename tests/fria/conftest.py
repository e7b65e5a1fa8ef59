import pytest

from core.roles import Role
from tests.fria.factories import high_risk_use_case
from tests.registry.factories import MembershipFactory, ServiceFactory, UserFactory


@pytest.fixture
def owner(collectivite, services):
    user = UserFactory(username="porteur-rsa")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
    return user


@pytest.fixture
def scoring(collectivite, services, owner, tool):
    """The RSA scoring use case of the CCAS, owned by `owner`, requiring an AIDF."""
    return high_risk_use_case(collectivite=collectivite, service=services["ccas"], owner=owner, tool=tool)


@pytest.fixture
def other_head(collectivite, services):
    """The head of the communication service: not the CCAS's."""
    user = UserFactory(username="chef-com")
    MembershipFactory(
        user=user, collectivite=collectivite, role=Role.HEAD_OF_SERVICE, service=services["communication"]
    )
    return user


@pytest.fixture
def ccas_agent(collectivite, services):
    """An agent of the CCAS who does not own the use case."""
    user = UserFactory(username="agent-ccas")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
    return user


@pytest.fixture
def other_dpo(other_collectivite):
    service = ServiceFactory(collectivite=other_collectivite, name="DG", code="DG")
    user = UserFactory(username="dpo-voisin")
    MembershipFactory(user=user, collectivite=other_collectivite, role=Role.DPO)
    MembershipFactory(user=user, collectivite=other_collectivite, role=Role.AGENT, service=service)
    return user
