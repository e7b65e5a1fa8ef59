"""The home page: a dashboard per role, nothing of another collectivité, a fixed number of queries."""

import re
from html import unescape

import pytest
from django.urls import reverse

from registry.choices import UseCaseStatus
from tests.registry.factories import UserFactory
from tests.reporting.statistics_support import checkpoint, declaration, published_charter, use_case

from .helpers import fr

HOME = reverse("registry:home")
EXPECTED_BLOCKS = {
    "dpo": {"tasks", "overdue", "rereviews", "declarations", "annual-report", "explanations"},
    "rssi": {"tasks", "overdue", "rereviews", "declarations", "annual-report"},
    "admin": {"tasks", "overdue", "rereviews", "declarations", "annual-report", "explanations"},
    "dgs": {"tasks", "overdue", "rereviews", "annual-report"},
    "chef": {
        "tasks",
        "overdue",
        "rereviews",
        "my-checkpoints",
        "my-declarations",
        "declare",
        "charter",
        "explanations",
    },
    "agent": {"tasks", "my-checkpoints", "my-declarations", "declare", "charter"},
    "comite": {"tasks", "my-checkpoints", "my-declarations", "declare", "charter"},
}


def page(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def blocks(html: str) -> set[str]:
    return set(re.findall(r'data-dashboard="([^"]+)"', html))


def figure(html: str, name: str, scope: str = "overview") -> str:
    block = re.search(rf'data-figures="{scope}".*?</ul>', html, re.S).group(0)
    return re.search(rf'data-figure="{name}">([^<]+)<', block).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXPECTED_BLOCKS)
def test_each_role_sees_its_dashboard(role, register, users, client_for):
    html = page(client_for(users[role]).get(HOME))

    assert blocks(html) == EXPECTED_BLOCKS[role]
    assert ('data-figures="overview"' in html) == (role in {"dpo", "rssi", "admin", "dgs"})
    assert ('data-figures="services"' in html) == (role == "chef")


@pytest.mark.django_db
def test_visitors_log_in_and_people_without_a_role_are_told(client, client_for):
    assert client.get(HOME)["Location"] == reverse("login")
    response = client_for(UserFactory(username="sans-role")).get(HOME)
    assert response.status_code == 403
    assert response.templates[0].name == "registry/no_role.html"


@pytest.mark.django_db
def test_the_dpo_sees_the_whole_register_and_nothing_of_the_neighbour(register, users, client_for):
    # given the register (six use cases here, one next door) and an overdue control
    checkpoint(register["com_in_production"], owner=users["agent"], due_in_days=-3)

    html = page(client_for(users["dpo"]).get(HOME))

    assert figure(html, "in_register") == "6"
    assert figure(html, "live") == "2"
    assert figure(html, "overdue") == "1"
    assert register["com_in_production"].reference in html
    # the charts: an image each, with its data as a table
    assert html.count('role="img"') >= 4
    assert "CCAS" in html and "Communication" in html
    assert register["neighbour"].name not in html
    assert register["neighbour"].service.name not in html


@pytest.mark.django_db
def test_an_algorithm_that_is_not_an_ai_system_is_shown_apart_in_the_risk_chart(
    collectivite, services, register, users, client_for
):
    # given rules written by people in production next to the register's AI uses
    use_case(collectivite, services["communication"], users["dpo"], risk="out_of_scope", name="Barème des tarifs")

    html = page(client_for(users["dpo"]).get(HOME))

    # then the register's figure counts it (the list it opens holds it), and the risk chart names it in words
    assert figure(html, "in_register") == "7"
    chart = re.search(r'data-chart="dash-risk".*?</figure>', html, re.S).group(0)
    assert f'data-label="{fr("Not an AI system")}"' in chart
    assert re.search(rf"<th[^>]*>{re.escape(fr('Not an AI system'))}</th>\s*<td[^>]*>1</td>", chart)


@pytest.mark.django_db
def test_a_head_of_service_sees_their_services_only(register, users, client_for):
    html = page(client_for(users["chef"]).get(HOME))

    # the direction's CCAS and Logement, not Communication
    assert figure(html, "in_register", scope="services") == "4"
    services_chart = re.search(r'data-chart="dash-service".*?</figure>', html, re.S).group(0)
    assert "CCAS" in services_chart and "Logement" in services_chart
    assert "Communication" not in services_chart


@pytest.mark.django_db
def test_triage_roles_see_the_latest_declarations_and_the_dgs_does_not(collectivite, register, users, client_for):
    made = declaration(collectivite, tool_name="Outil déclaré", possible_breach=True)

    dpo = page(client_for(users["dpo"]).get(HOME))
    dgs = page(client_for(users["dgs"]).get(HOME))

    assert made.reference in dpo
    assert reverse("registry:declaration_triage", args=[made.pk]) in dpo
    assert made.reference not in dgs


@pytest.mark.django_db
def test_an_agent_sees_their_declarations_checkpoints_and_tasks(collectivite, register, users, client_for):
    mine = declaration(collectivite, author=users["agent"], tool_name="Mon outil")
    someone_elses = declaration(collectivite, author=users["chef"], tool_name="Outil du chef")
    due = checkpoint(register["ccas_approved"], "output_review", owner=users["agent"], due_in_days=2)

    html = page(client_for(users["agent"]).get(HOME))

    assert "Mon outil" in html and someone_elses.tool_name not in html
    assert reverse("registry:declaration_detail", args=[mine.pk]) in html
    assert reverse("audits:checkpoint_detail", args=[due.pk]) in html
    section = re.search(r'data-task-section="checkpoints">(.*?)</li>', html, re.S).group(1)
    assert f"{reverse('registry:my_tasks')}#tasks-checkpoints" in section
    assert re.search(r">\s*1\s*</span>", section)
    assert reverse("registry:declaration_create") in html


@pytest.mark.django_db
def test_an_agent_is_asked_to_acknowledge_the_published_charter(collectivite, register, users, client_for):
    from charter.models import CharterAcknowledgement

    edition = published_charter(collectivite, 2026)

    html = page(client_for(users["agent"]).get(HOME))
    assert 'data-charter="to-acknowledge"' in html

    CharterAcknowledgement.objects.create(edition=edition, user=users["agent"])
    html = page(client_for(users["agent"]).get(HOME))
    assert 'data-charter="acknowledged"' in html


@pytest.mark.django_db
def test_the_annual_report_can_be_asked_from_the_dashboard(register, users, client_for):
    html = page(client_for(users["dpo"]).get(HOME))

    assert 'data-document-widget="annual_report"' in html
    assert reverse("audits:document_request") in html
    assert 'data-document-widget="annual_report"' not in page(client_for(users["chef"]).get(HOME))


def _grow(collectivite, services, users, how_many):
    for number in range(how_many):
        service = (services["ccas"], services["logement"], services["communication"])[number % 3]
        risk = ("minimal", "limited", "high")[number % 3]
        status = (UseCaseStatus.IN_PRODUCTION, UseCaseStatus.DRAFT, UseCaseStatus.APPROVED)[number % 3]
        case = use_case(collectivite, service, users["chef"], risk=risk, status=status)
        checkpoint(case, owner=users["agent"], due_in_days=-2 if number % 2 else 5)
        declaration(collectivite, author=users["agent"] if number % 2 else None, possible_breach=number % 4 == 0)


# Queries of a dashboard, whatever the size of the register (session, user and memberships included).
# + 1 for the register's blocks: the incidents whose notification is overdue (AI Act 73, RGPD 33); + 1 for the
# requests for an explanation, open and overdue, of those who answer them (the DPO, the administrator; the head of
# service reads them in the query of their own block).
QUERY_BUDGET = {"dpo": 19, "rssi": 18, "admin": 19, "dgs": 15, "chef": 21, "agent": 12, "comite": 12}


@pytest.mark.django_db
@pytest.mark.parametrize("role", QUERY_BUDGET)
@pytest.mark.parametrize("how_many", [3, 30])
def test_a_dashboard_costs_a_fixed_number_of_queries(
    role, how_many, collectivite, services, users, client_for, django_assert_max_num_queries
):
    _grow(collectivite, services, users, how_many)
    published_charter(collectivite, 2026, acknowledged_by=[users["agent"]])
    client = client_for(users[role])

    with django_assert_max_num_queries(QUERY_BUDGET[role]):
        response = client.get(HOME)

    assert fr("Dashboard") in page(response)


@pytest.mark.django_db
def test_the_overdue_count_is_every_overdue_control_while_the_list_shows_the_first_ones(register, users, client_for):
    # given more overdue controls than the dashboard lists (one per checkpoint type, on the same live use case)
    from audits.models import CheckpointType
    from reporting.views.dashboard import LIST_SIZE

    codes = list(CheckpointType.objects.filter(collectivite__isnull=True).values_list("code", flat=True))
    assert len(codes) > LIST_SIZE
    for days, code in enumerate(codes, start=1):
        checkpoint(register["com_in_production"], code, owner=users["agent"], due_in_days=-days)

    response = client_for(users["dpo"]).get(HOME)

    # the figure counts them all, the list shows the most overdue first, and links to the rest
    assert figure(page(response), "overdue") == str(len(codes))
    listed = response.context["overview"]["overdue"]
    assert len(listed) == LIST_SIZE
    assert [c.days_late for c in listed] == sorted((c.days_late for c in listed), reverse=True)
    assert listed[0].days_late == len(codes)


@pytest.mark.django_db
def test_the_figures_are_live_while_the_declarations_chart_is_kept_a_minute(
    collectivite, register, users, client_for, settings
):
    # given the cache as configured in production (DASHBOARD_CACHE_SECONDS, a minute)
    from registry.models import UseCase

    assert settings.DASHBOARD_CACHE_SECONDS == 60
    client = client_for(users["dpo"])
    html = page(client.get(HOME))
    before, chart_before = figure(html, "in_register"), declarations_chart(html)

    # when a use case is recorded and a declaration made since
    clone = UseCase.objects.get(pk=register["com_in_production"].pk)
    clone.pk = None
    clone.reference = "IA-2099-0001"
    clone.save()
    declaration(collectivite, tool_name="Outil déclaré après")

    # then the figure counts it at once (it opens the register's list, which shows it), the declarations' chart of
    # twelve months (no list behind it) is that of the last minute, unless the cache is off
    html = page(client.get(HOME))
    assert figure(html, "in_register") == str(int(before) + 1)
    assert declarations_chart(html) == chart_before
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert declarations_chart(page(client.get(HOME))) != chart_before


def declarations_chart(html: str) -> str:
    return re.search(r'data-chart="dash-declarations".*?</figure>', html, re.S).group(0)
