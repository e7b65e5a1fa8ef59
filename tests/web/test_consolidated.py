"""The consolidated overview of a person who sees the whole register in several collectivités (a shared DPO): the
same figures as each collectivité's own dashboard, only where the person holds a role that sees everything, at a
fixed number of queries, on the web page and in the API."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from charter.models import CharterEdition
from core.middleware import SESSION_KEY
from core.roles import Role
from registry.choices import UseCaseStatus
from reporting import consolidated, statistics
from tests.registry.factories import CollectiviteFactory, MembershipFactory, ServiceFactory, UserFactory
from tests.reporting.statistics_support import checkpoint, declaration, use_case
from transparency.selectors import required_unpublished

pytestmark = [pytest.mark.django_db]

OVERVIEW_URL = "registry:consolidated"
API_URL = "api:consolidated"


def fill(collectivite, *, live=1, high=0, review=0, blocked=0, overdue=0, waiting=0, breaches=0, published=False):
    """A register with the given figures, written straight to the database."""
    service = ServiceFactory(collectivite=collectivite)
    owner = UserFactory()
    MembershipFactory(user=owner, collectivite=collectivite, role=Role.AGENT, service=service)
    cases = [use_case(collectivite, service, owner) for _n in range(live)]
    cases += [use_case(collectivite, service, owner, risk="high") for _n in range(high)]
    for _n in range(review):
        use_case(collectivite, service, owner, status=UseCaseStatus.SUBMITTED)
    for _n in range(blocked):
        use_case(collectivite, service, owner, risk="prohibited", status=UseCaseStatus.DRAFT)
    use_case(collectivite, service, owner, status=UseCaseStatus.RETIRED)  # out of the register
    # Founds individual decisions: publication required from 50 agents (CRPA L312-1-3), and not published.
    use_case(
        collectivite,
        service,
        owner,
        individual_decisions=True,
        automation_level="assist",
        personal_data_categories=["ordinary"],
    )
    for index in range(overdue):
        checkpoint(cases[index % len(cases)], due_in_days=-3 - index)
    checkpoint(cases[0], code="log_retention", due_in_days=10)  # on time
    for _n in range(waiting):
        declaration(collectivite)
    for _n in range(breaches):
        declaration(collectivite, status="closed", possible_breach=True)
    declaration(collectivite, status="closed")
    if published:
        CharterEdition.objects.create(
            collectivite=collectivite, year=timezone.localdate().year, status=CharterEdition.Status.PUBLISHED
        )
    return service


@pytest.fixture
def shared_dpo(collectivite, other_collectivite):
    """DPO of two collectivités, head of a service in a third one."""
    dpo = UserFactory(username="dpo.mutualise")
    MembershipFactory(user=dpo, collectivite=collectivite, role=Role.DPO)
    MembershipFactory(user=dpo, collectivite=other_collectivite, role=Role.DPO)
    third = CollectiviteFactory(name="Syndicat des eaux", slug="syndicat-eaux", agents_count=20)
    service = fill(third, live=4, overdue=2, waiting=3)
    MembershipFactory(user=dpo, collectivite=third, role=Role.HEAD_OF_SERVICE, service=service)
    return dpo


@pytest.fixture
def registers(collectivite, other_collectivite):
    fill(collectivite, live=3, high=2, review=1, blocked=1, overdue=2, waiting=2, breaches=1, published=True)
    fill(other_collectivite, live=1, overdue=1, waiting=4)
    return {"here": collectivite, "there": other_collectivite}


def by_slug(rows):
    return {row.collectivite.slug: row for row in rows}


def test_one_row_per_collectivite_where_the_person_sees_everything(shared_dpo, registers):
    rows = by_slug(consolidated.overview_rows(shared_dpo))

    # The third collectivité, where they only head a service, is not there
    assert set(rows) == {"bellerive", "voisine"}
    here, there = rows["bellerive"], rows["voisine"]
    assert (here.in_register, here.live, here.high_risk_live, here.in_review, here.blocked) == (8, 6, 2, 1, 1)
    assert (here.overdue_checkpoints, here.declarations_waiting, here.breaches_to_assess) == (2, 2, 1)
    assert here.public_entries_missing == 1 and here.charter_published
    # 40 agents: publishing the rules is not required there (CRPA L312-1-3)
    assert (there.in_register, there.live, there.overdue_checkpoints, there.declarations_waiting) == (2, 2, 1, 4)
    assert there.public_entries_missing == 0 and not there.charter_published


def test_the_figures_are_those_of_each_collectivite_s_own_dashboard(shared_dpo, registers):
    for row in consolidated.overview_rows(shared_dpo):
        pk = row.collectivite.pk
        register = statistics.register_figures(statistics.use_case_scope(pk))
        compliance = statistics.compliance_summary(None, statistics.compliance_access(pk), per_use_case=False)
        waiting = statistics.declarations_waiting(pk)
        assert (row.in_register, row.live, row.high_risk_live, row.in_review, row.blocked) == (
            register.in_register,
            register.live,
            register.high_risk_live,
            register.in_review,
            register.blocked,
        )
        assert row.overdue_checkpoints == compliance["overdue_total"]
        assert (row.declarations_waiting, row.breaches_to_assess) == (waiting["total"], waiting["breaches_unassessed"])
        assert row.public_entries_missing == required_unpublished(collectivite_id=pk).count()


def test_figures_a_role_does_not_show_are_left_out(collectivite, other_collectivite, registers):
    # A DGS here (no triage, no publication) and an RSSI there (triage, no publication)
    person = UserFactory(username="dgs.rssi")
    MembershipFactory(user=person, collectivite=collectivite, role=Role.DGS)
    MembershipFactory(user=person, collectivite=other_collectivite, role=Role.RSSI)

    rows = by_slug(consolidated.overview_rows(person))

    assert rows["bellerive"].declarations_waiting is None and rows["bellerive"].breaches_to_assess is None
    assert rows["bellerive"].public_entries_missing is None
    assert rows["bellerive"].overdue_checkpoints == 2
    assert rows["voisine"].declarations_waiting == 4 and rows["voisine"].public_entries_missing is None


def test_the_page_shows_figures_and_a_switch_button_never_a_use_case(shared_dpo, registers, client_for):
    response = client_for(shared_dpo).get(reverse(OVERVIEW_URL))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-collectivite="bellerive"' in html and 'data-collectivite="voisine"' in html
    # (The top bar's switcher still lists it: the person holds a role there.)
    assert 'data-collectivite="syndicat-eaux"' not in html
    for collectivite in registers.values():
        assert f'name="collectivite" value="{collectivite.pk}"' in html
    # Figures only: no reference nor name of a use case of either register
    assert "IA-" not in html and "DEC-" not in html
    # ({% translate %} writes the catalogue's text as it is: its apostrophe is not escaped)
    assert _("Overview of your collectivités") in html


@pytest.mark.parametrize("role", ["agent", "chef", "comite"])
def test_people_without_a_role_that_sees_everything_are_refused(users, client_for, role, registers):
    client = client_for(users[role])

    assert client.get(reverse(OVERVIEW_URL)).status_code == 403
    assert client.get(reverse(API_URL)).status_code == 403


def test_a_dpo_of_a_single_collectivite_sees_its_row(users, client_for, registers):
    response = client_for(users["dpo"]).get(reverse(API_URL))

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["collectivites"]] == ["bellerive"]


def test_switching_from_the_overview_lands_in_the_chosen_collectivite(shared_dpo, registers, client_for):
    client = client_for(shared_dpo)

    response = client.post(
        reverse("registry:collectivite_switch"),
        {"collectivite": registers["there"].pk, "next": reverse("registry:home")},
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == registers["there"].pk
    page = client.get(response["Location"], follow=True)
    assert page.context["current_collectivite"] == registers["there"]


def test_one_cannot_switch_to_a_collectivite_without_a_role(shared_dpo, client_for):
    elsewhere = CollectiviteFactory(slug="ailleurs")

    response = client_for(shared_dpo).post(reverse("registry:collectivite_switch"), {"collectivite": elsewhere.pk})

    assert response.status_code == 403


def test_the_api_gives_the_same_figures(shared_dpo, registers, client_for):
    response = client_for(shared_dpo).get(reverse(API_URL))

    assert response.status_code == 200
    body = response.json()
    assert body["year"] == timezone.localdate().year
    rows = {row["slug"]: row for row in body["collectivites"]}
    assert set(rows) == {"bellerive", "voisine"}
    assert rows["bellerive"]["roles"] == [Role.DPO]
    assert {
        k: rows["bellerive"][k] for k in ("in_register", "live", "overdue_checkpoints", "declarations_waiting")
    } == {
        "in_register": 8,
        "live": 6,
        "overdue_checkpoints": 2,
        "declarations_waiting": 2,
    }
    assert rows["voisine"]["charter_published"] is False


def test_the_api_takes_a_token(shared_dpo, registers, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=shared_dpo)

    assert client.get(reverse(API_URL)).status_code in (401, 403)
    response = client.get(reverse(API_URL), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and len(response.json()["collectivites"]) == 2


def test_the_login_page_for_an_anonymous_visitor(client):
    response = client.get(reverse(OVERVIEW_URL))

    assert response.status_code == 302 and reverse("login") in response["Location"]


# Queries -------------------------------------------------------------------------------------------------------------
def dpo_of(count: int):
    person = UserFactory(username=f"dpo-of-{count}")
    for number in range(count):
        collectivite = CollectiviteFactory(slug=f"commune-{count}-{number}", agents_count=60 + number)
        fill(collectivite, live=2, high=1, overdue=1, waiting=1, breaches=1, published=number % 2 == 0)
        MembershipFactory(user=person, collectivite=collectivite, role=Role.DPO)
    return person


@pytest.mark.parametrize("count", [2, 5])
def test_the_overview_costs_the_same_queries_whatever_the_number_of_collectivites(
    count, client_for, django_assert_max_num_queries
):
    person = dpo_of(count)
    client = client_for(person)

    with django_assert_max_num_queries(6):
        rows = consolidated.overview_rows(person)
    assert len(rows) == count
    # The page adds the session, the user, the current collectivité and its access, the top bar and the menu.
    with django_assert_max_num_queries(15):
        page = client.get(reverse(OVERVIEW_URL))
    assert page.status_code == 200 and page.content.decode().count("data-collectivite=") == count
    with django_assert_max_num_queries(9):
        assert client.get(reverse(API_URL)).status_code == 200


def test_an_overdue_checkpoint_of_a_use_case_no_longer_live_is_not_counted(collectivite, shared_dpo):
    service = fill(collectivite, live=1)
    owner = UserFactory()
    draft = use_case(collectivite, service, owner, status=UseCaseStatus.DRAFT)
    checkpoint(draft, due_in_days=-5)

    row = by_slug(consolidated.overview_rows(shared_dpo))["bellerive"]

    assert row.overdue_checkpoints == 0
