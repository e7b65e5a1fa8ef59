"""API fixtures: clients authenticated by token, and a register where each role sees something different."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.roles import Role
from tests.registry.factories import MembershipFactory, UseCaseFactory, UserFactory


@pytest.fixture
def api_for():
    """An API client sending `Authorization: Token <token>` for the user (as an integration would)."""

    def make(user):
        token, _created = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def anonymous():
    return APIClient()


# A public-facing chatbot: the ethics committee reviews it once it is submitted (DOMAIN.md section 3).
ETHICS = {"art50_features": ["chatbot"], "audience": "public"}


@pytest.fixture
def register(collectivite, other_collectivite, services, users, use_case, outsider):
    """Use cases spread so that every role sees a different part of the register.

    `use_case` (from the shared conftest) is a CCAS draft owned by another CCAS agent, "porteur".
    """
    porteur = use_case.owner
    type(use_case).objects.filter(pk=use_case.pk).update(name="ccas_draft")
    use_case.refresh_from_db()

    def make(key, service, status="draft", owner=porteur, **fields):
        return UseCaseFactory(
            collectivite=collectivite, service=services[service], owner=owner, status=status, name=key, **fields
        )

    cases = {
        "ccas_draft": use_case,
        "ccas_approved": make("ccas_approved", "ccas", "approved"),
        "ccas_in_production": make("ccas_in_production", "ccas", "in_production"),
        "ccas_submitted": make("ccas_submitted", "ccas", "submitted"),
        "agent_own_draft": make("agent_own_draft", "ccas", owner=users["agent"]),
        "logement_approved": make("logement_approved", "logement", "approved"),
        "com_submitted_ethics": make("com_submitted_ethics", "communication", "submitted", **ETHICS),
        "com_draft_ethics": make("com_draft_ethics", "communication", "draft", **ETHICS),
        "com_approved": make("com_approved", "communication", "approved"),
    }
    cases["elsewhere"] = UseCaseFactory(collectivite=other_collectivite, owner=outsider, status="approved")
    return cases


# What each role sees of `register` (the other collectivité's use case is never among them).
ALL_HERE = {
    "ccas_draft",
    "ccas_approved",
    "ccas_in_production",
    "ccas_submitted",
    "agent_own_draft",
    "logement_approved",
    "com_submitted_ethics",
    "com_draft_ethics",
    "com_approved",
}
VISIBLE = {
    "agent": {"ccas_approved", "ccas_in_production", "agent_own_draft"},
    "chef": {
        "ccas_draft",
        "ccas_approved",
        "ccas_in_production",
        "ccas_submitted",
        "agent_own_draft",
        "logement_approved",
    },
    "dpo": ALL_HERE,
    "rssi": ALL_HERE,
    "dgs": ALL_HERE,
    "admin": ALL_HERE,
    # Committee members see only the cases on their sessions' agendas (issue 5): none here.
    "comite": set(),
}


@pytest.fixture
def no_role_user(db):
    """Someone with an account but no role in any collectivité."""
    return UserFactory(username="sans-role")


@pytest.fixture
def second_role_user(collectivite, services):
    """An agent of the logement service (to check nothing leaks between services)."""
    user = UserFactory(username="agent-logement")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.AGENT, service=services["logement"])
    return user


@pytest.fixture
def application_dates(db):
    """The AI Act's dates of application as the data migration seeds them (the shared conftest puts them back after a
    transactional test emptied the table)."""
