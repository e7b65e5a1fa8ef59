"""Which services a person may put a use case in, and whom they may hand it to: one rule
(`permissions.assignable_services` / `assignable_owners`), applied by the services whoever calls them (the web form,
the API, an import, a command), and offered by the forms."""

import pytest
from django.utils.translation import gettext
from guardian.shortcuts import assign_perm

from core.access import get_access
from core.errors import ForbiddenError
from core.roles import Role
from registry import permissions
from registry import services as svc
from registry.models import UseCase, UseCaseEvent
from tests.registry.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SERVICE_REFUSED = "You cannot create or move a use case in this service: choose one of yours."
OWNER_REFUSED = (
    "You cannot hand the use case to this person: choose someone who works in one of your services or heads it."
)


@pytest.fixture
def com_agent(collectivite, services):
    """An agent of the Communication service, outside the head of service's direction."""
    user = UserFactory(username="agent-com")
    MembershipFactory(user=user, collectivite=collectivite, role=Role.AGENT, service=services["communication"])
    return user


def _data(services, **overrides):
    return {
        "name": "Assistant de rédaction des courriers",
        "summary": "L'IA propose un premier jet de courrier que l'agent relit et corrige.",
        "purpose": "Répondre plus vite aux administrés.",
        "service": services["ccas"],
        "technique": "genai_text",
        "audience": "agents",
        **overrides,
    }


def _access(user, collectivite):
    return get_access(user, collectivite)


# The rule ----------------------------------------------------------------------------------------------------------


def test_a_head_of_service_may_use_the_services_of_their_direction_only(collectivite, services, users):
    offered = set(permissions.assignable_services(_access(users["chef"], collectivite)))

    assert offered == {services["direction"], services["ccas"], services["logement"]}


def test_an_agent_may_use_their_own_service_only(collectivite, services, users):
    assert set(permissions.assignable_services(_access(users["agent"], collectivite))) == {services["ccas"]}


@pytest.mark.parametrize("role", ["dpo", "rssi", "admin"])
def test_the_dpo_the_rssi_and_administrators_may_use_every_service(role, collectivite, services, users):
    assert set(permissions.assignable_services(_access(users[role], collectivite))) == set(services.values())


def test_an_agent_may_hand_a_case_to_their_colleagues_and_the_heads_above_them_only(
    collectivite, services, users, use_case, com_agent
):
    owners = set(permissions.assignable_owners(_access(users["agent"], collectivite)))

    # their CCAS colleague and the head of the direction above the CCAS; not Communication, nor the DPO
    assert {users["agent"], use_case.owner, users["chef"]} <= owners
    assert com_agent not in owners
    assert users["dpo"] not in owners


def test_the_dpo_may_hand_a_case_to_any_member(collectivite, users, com_agent, outsider):
    owners = set(permissions.assignable_owners(_access(users["dpo"], collectivite)))

    assert com_agent in owners and users["agent"] in owners
    assert outsider not in owners


# The services apply it, whoever calls them ---------------------------------------------------------------------------


def test_the_service_refuses_to_move_a_use_case_outside_the_head_of_service_s_direction(use_case, services, users):
    with pytest.raises(ForbiddenError) as refused:
        svc.use_case_update(
            use_case=use_case,
            acting_user=users["chef"],
            data={"service": services["communication"], "name": "Déplacé"},
            expected_version=1,
        )

    assert refused.value.status_code == 403
    assert [str(message) for message in refused.value.errors["service"]] == [gettext(SERVICE_REFUSED)]
    use_case.refresh_from_db()
    assert use_case.service == services["ccas"]
    assert use_case.name != "Déplacé"
    assert use_case.version == 1
    assert not use_case.events.filter(kind=UseCaseEvent.Kind.UPDATED).exists()


def test_the_service_refuses_to_create_a_use_case_in_a_service_outside_one_s_own(collectivite, services, users):
    with pytest.raises(ForbiddenError) as refused:
        svc.use_case_create(
            collectivite=collectivite, acting_user=users["agent"], data=_data(services, service=services["logement"])
        )

    assert "service" in refused.value.errors
    assert not UseCase.objects.exists()


def test_the_service_refuses_to_hand_a_use_case_to_someone_outside_one_s_services(
    collectivite, services, users, use_case, com_agent
):
    with pytest.raises(ForbiddenError) as refused:
        svc.use_case_update(use_case=use_case, acting_user=users["chef"], data={"owner": com_agent}, expected_version=1)
    assert [str(message) for message in refused.value.errors["owner"]] == [gettext(OWNER_REFUSED)]
    with pytest.raises(ForbiddenError):
        svc.use_case_create(
            collectivite=collectivite, acting_user=users["agent"], data=_data(services, owner=com_agent)
        )

    use_case.refresh_from_db()
    assert use_case.owner != com_agent
    assert UseCase.objects.count() == 1


def test_the_head_of_service_moves_a_use_case_within_their_direction(use_case, services, users):
    moved = svc.use_case_update(
        use_case=use_case, acting_user=users["chef"], data={"service": services["logement"]}, expected_version=1
    )

    assert moved.service == services["logement"]


@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_the_dpo_and_administrators_move_a_use_case_anywhere_and_hand_it_to_anyone(
    role, use_case, services, users, com_agent
):
    moved = svc.use_case_update(
        use_case=use_case,
        acting_user=users[role],
        data={"service": services["communication"], "owner": com_agent},
        expected_version=1,
    )

    assert moved.service == services["communication"]
    assert moved.owner == com_agent


def test_keeping_a_service_and_an_owner_one_could_not_choose_is_no_move(collectivite, services, users, com_agent):
    # A Communication use case, owned by a Communication agent, shared for editing with the CCAS agent
    use_case = svc.use_case_create(
        collectivite=collectivite,
        acting_user=users["dpo"],
        data=_data(services, service=services["communication"], owner=com_agent),
    )

    assign_perm("registry.change_usecase", users["agent"], use_case)

    # the CCAS agent edits it, sending back its service and owner as they are
    saved = svc.use_case_update(
        use_case=use_case,
        acting_user=users["agent"],
        data={"service": services["communication"], "owner": com_agent, "name": "Relu"},
        expected_version=1,
    )

    assert saved.name == "Relu"
    assert saved.service == services["communication"] and saved.owner == com_agent
