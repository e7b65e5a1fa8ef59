"""Who sees which use case: the selector every list and detail relies on, for every role."""

import pytest

from core.access import get_access
from registry.choices import UseCaseStatus
from registry.permissions import can_change_use_case, can_view_use_case
from registry.selectors import use_case_list
from tests.registry.factories import UseCaseFactory, UserFactory
from tests.registry.reviews_support import both_opinions, submit, to_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(collectivite, services, users, other_collectivite, committee):
    owner = UserFactory(username="porteuse")
    make = lambda **kw: UseCaseFactory(collectivite=collectivite, owner=owner, **kw)  # noqa: E731
    # A public chatbot the DPO and the RSSI sent to the ethics committee, on a planned session's agenda.
    on_agenda = make(service=services["communication"], art50_features=["chatbot"], audience="public")
    to_agenda(both_opinions(submit(on_agenda), users), users)
    return {
        "com_on_agenda": on_agenda,
        "ccas_draft": make(service=services["ccas"], status=UseCaseStatus.DRAFT),
        "ccas_prod": make(service=services["ccas"], status=UseCaseStatus.IN_PRODUCTION),
        "ccas_approved": make(service=services["ccas"], status=UseCaseStatus.APPROVED),
        "logement_prod": make(service=services["logement"], status=UseCaseStatus.IN_PRODUCTION),
        "com_submitted_chatbot": make(
            service=services["communication"],
            status=UseCaseStatus.SUBMITTED,
            art50_features=["chatbot"],
            audience="public",
        ),
        "com_draft": make(service=services["communication"], status=UseCaseStatus.DRAFT),
        "agent_own": UseCaseFactory(
            collectivite=collectivite,
            owner=users["agent"],
            service=services["communication"],
            status=UseCaseStatus.DRAFT,
        ),
        "elsewhere": UseCaseFactory(collectivite=other_collectivite, status=UseCaseStatus.IN_PRODUCTION),
    }


EXPECTED = {
    "agent": {"ccas_prod", "ccas_approved", "agent_own"},
    "chef": {"ccas_draft", "ccas_prod", "ccas_approved", "logement_prod"},
    # Committee members see the cases on their sessions' agendas, not every case the committee must examine.
    "comite": {"com_on_agenda"},
    "dpo": {
        "com_on_agenda",
        "ccas_draft",
        "ccas_prod",
        "ccas_approved",
        "logement_prod",
        "com_submitted_chatbot",
        "com_draft",
        "agent_own",
    },
}
EXPECTED["rssi"] = EXPECTED["dgs"] = EXPECTED["admin"] = EXPECTED["dpo"]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_scope(role, users, collectivite, cases):
    user = users[role]
    access = get_access(user, collectivite)
    visible = {name for name, case in cases.items() if case in set(use_case_list(user, access))}
    assert visible == EXPECTED[role]
    # The object check agrees with the list, case by case.
    for name, case in cases.items():
        assert can_view_use_case(user, access, case) == (name in EXPECTED[role]), name


def test_outsider_sees_nothing_here(outsider, collectivite, cases):
    access = get_access(outsider, collectivite)
    assert not access.is_member
    assert list(use_case_list(outsider, access)) == []
    assert not can_view_use_case(outsider, access, cases["ccas_prod"])


def test_edit_rights(users, collectivite, cases):
    def can(role, name):
        user = users[role]
        return can_change_use_case(user, get_access(user, collectivite), cases[name])

    assert can("chef", "ccas_draft") and can("chef", "logement_prod")
    assert not can("chef", "com_draft")
    assert can("agent", "agent_own") and not can("agent", "ccas_prod")
    assert not can("dgs", "ccas_draft") and not can("comite", "com_submitted_chatbot")
    assert not can("comite", "com_on_agenda")  # reads the cases of its agendas, changes none
    assert can("dpo", "com_draft") and can("rssi", "com_draft") and can("admin", "com_draft")


def test_guardian_share_grants_view(users, collectivite, cases):
    from guardian.shortcuts import assign_perm

    assign_perm("registry.view_usecase", users["comite"], cases["com_draft"])
    visible = set(use_case_list(users["comite"], get_access(users["comite"], collectivite)))
    assert cases["com_draft"] in visible


def test_list_query_count_is_constant(users, collectivite, services, django_assert_max_num_queries):
    user = users["chef"]
    for count in (3, 40):
        UseCaseFactory.create_batch(count, collectivite=collectivite, service=services["ccas"])
        user = type(user).objects.get(pk=user.pk)
        access = get_access(user, collectivite)
        with django_assert_max_num_queries(2):
            labels = [(row.service.name, row.owner.username, row.tool) for row in use_case_list(user, access)]
        assert len(labels) >= count
