"""Every figure of every dashboard equals the list it links to (issue 17): the walk follows each figure's link with the
same person and counts the rows of the page it opens, on the demo and on a small register built here.

A dashboard marks each figure that opens a list with `data-figure-link` and its number (`data-count`, or `data-rate`
for a share); a list page prints how many rows it holds (`data-total`, on the list's title, or on the section the
link's #fragment names) and marks its rows (`data-reference`, `data-checkpoint`, `data-task`).
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from registry.choices import UseCaseStatus
from registry.models import UseCase
from tests.registry.factories import MembershipFactory, ServiceFactory, UserFactory
from tests.reporting.statistics_support import checkpoint, declaration, use_case

HOME = reverse("registry:home")
PAGE_SIZE = 50  # the register list, the triage queue and each section of "Mes tâches" show 50 rows at most
FIGURE_LINK = re.compile(r"<a\b[^>]*\bdata-figure-link=\"[^\"]*\"[^>]*>")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
ROW = re.compile(r"<(?:tr|li)\b[^>]*\bdata-(?:reference|checkpoint|task)=\"")
# The figures each dashboard must show as links, whatever the data (the register's eight for a wide view).
REGISTER_FIGURES = {
    "in_register",
    "live",
    "in_review",
    "high_risk_live",
    "blocked",
    "compliance",
    "overdue",
    "rereviews",
}
WIDE_ROLES = {"dpo", "rssi", "dgs", "admin", "chef"}


def attributes(tag: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in ATTRIBUTE.findall(tag)}


def figure_links(html: str) -> list[dict[str, str]]:
    return [attributes(tag) for tag in FIGURE_LINK.findall(html)]


def region(html: str, fragment: str) -> str:
    """The part of a page a #fragment opens: from the element of that id to the end of its section."""
    if not fragment:
        return html
    start = re.search(rf"<[^>]*\bid=\"{re.escape(fragment)}\"[^>]*>", html)
    assert start, f"#{fragment} is not on the page"
    end = html.find("</section>", start.start())
    return html[start.start() : end if end != -1 else len(html)]


def what_the_link_opens(client: Client, href: str) -> dict:
    """The count the list page prints (`data-total` or `data-rate`) and the rows it shows, for a figure's link."""
    url = urlsplit(href)
    response = client.get(f"{url.path}?{url.query}" if url.query else url.path)
    assert response.status_code == 200, href
    part = region(unescape(response.content.decode()), url.fragment)
    marked = [attributes(tag) for tag in re.findall(r"<[^>]*\bdata-(?:total|rate)=\"[^>]*>", part)]
    return {"marker": marked[0] if marked else {}, "rows": len(ROW.findall(part))}


def walk(client: Client) -> list[tuple[str, str, str, str]]:
    """Each figure of the person's dashboard, its link, what it says and what the list holds (only the ones that
    differ: the walk's failures)."""
    response = client.get(HOME)
    assert response.status_code == 200
    links = figure_links(unescape(response.content.decode()))
    differences = []
    for link in links:
        opened = what_the_link_opens(client, link["href"])
        marker = opened["marker"]
        if "data-rate" in link:
            said, found = link["data-rate"], marker.get("data-rate")
        else:
            said, found = link["data-count"], marker.get("data-total")
            if found is not None and opened["rows"] != min(int(found), PAGE_SIZE):
                differences.append((link["data-figure-link"], link["href"], found, f"{opened['rows']} rows shown"))
        if found is None:
            found = "no count on the page"
        if said != found:
            differences.append((link["data-figure-link"], link["href"], said, found))
    return differences


def names(client: Client) -> set[str]:
    return {link["data-figure-link"] for link in figure_links(unescape(client.get(HOME).content.decode()))}


# A small register built here ---------------------------------------------------------------------------------------
@pytest.fixture
def small_register(collectivite, services, users, register):
    """Next to the web tests' register: a retired use, a blocked one, a high-risk use live and one retired, a use
    due for re-review, overdue and upcoming checkpoints, declarations waiting and analysed, a breach to assess, and
    a head of service who owns a use outside their services (their list holds more than their figures)."""
    today = timezone.localdate()
    ccas, com = services["ccas"], services["communication"]
    use_case(collectivite, ccas, users["chef"], status=UseCaseStatus.RETIRED, name="Ancien tri")
    use_case(collectivite, ccas, users["chef"], risk="prohibited", status=UseCaseStatus.DRAFT, name="Notation")
    use_case(collectivite, ccas, users["chef"], risk="high", name="Attribution des aides")
    use_case(collectivite, com, users["dpo"], risk="high", status=UseCaseStatus.RETIRED, name="Ancien score")
    use_case(collectivite, com, users["chef"], status=UseCaseStatus.SUBMITTED, name="Hors de ses services")
    due = use_case(collectivite, ccas, users["dpo"], status=UseCaseStatus.APPROVED, name="Réexamen proche")
    UseCase.objects.filter(pk=due.pk).update(next_review_on=today + datetime.timedelta(days=10))
    live = register["ccas_approved"]
    checkpoint(live, owner=users["agent"], due_in_days=-4)
    checkpoint(live, "bias_review", owner=users["agent"], due_in_days=3)
    checkpoint(register["com_in_production"], "log_retention", owner=users["chef"], due_in_days=40)
    # a control of a draft does not run yet: neither "My checkpoints" nor the tasks count it
    checkpoint(register["agent_own_draft"], "bias_review", owner=users["agent"], due_in_days=-1)
    declaration(collectivite, status="received", possible_breach=True)
    declaration(collectivite, status="analysing")
    declaration(collectivite, status="alternative_offered")
    # a second head of service, of Communication only
    head = UserFactory(username="chef-com")
    MembershipFactory(user=head, collectivite=collectivite, role=Role.HEAD_OF_SERVICE, service=com)
    return {"head_of_communication": head}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ("dpo", "rssi", "dgs", "admin", "chef", "agent", "comite"))
def test_every_figure_of_each_dashboard_equals_the_list_it_opens(role, small_register, users, client_for):
    client = client_for(users[role])

    assert walk(client) == []
    if role in WIDE_ROLES:
        assert names(client) >= REGISTER_FIGURES


@pytest.mark.django_db
def test_the_checkpoints_waiting_for_an_agent_are_those_of_their_checkpoints_due_soon_or_late(
    small_register, users, client_for
):
    links = {
        link["data-figure-link"]: int(link["data-count"])
        for link in figure_links(unescape(client_for(users["agent"]).get(HOME).content.decode()))
    }

    # one overdue, one due in three days on a live use; the draft's overdue control does not run yet
    assert links["my-checkpoints-overdue"] == 1 and links["my-checkpoints-soon"] == 1
    assert links["tasks-checkpoints"] == links["my-checkpoints-overdue"] + links["my-checkpoints-soon"]


@pytest.mark.django_db
def test_the_figures_of_a_head_of_service_open_their_services_only(small_register, users, client_for):
    # given a head of service who owns a use submitted outside their services: their register shows it
    client = client_for(users["chef"])
    everything = client.get(reverse("registry:use_case_list")).content.decode()
    assert "Hors de ses services" in everything

    # then their "submitted or in review" figure does not count it, nor does the list it opens show it
    links = {link["data-figure-link"]: link for link in figure_links(unescape(client.get(HOME).content.decode()))}
    assert "scope=headed" in links["in_review"]["href"]
    opened = client.get(links["in_review"]["href"]).content.decode()
    assert "Hors de ses services" not in opened
    assert walk(client) == []
    assert walk(client_for(small_register["head_of_communication"])) == []


@pytest.mark.django_db
def test_a_figure_opens_its_list_at_once_with_the_cache_as_in_production(small_register, users, client_for, settings):
    # given the statistics cache as configured in production
    assert settings.DASHBOARD_CACHE_SECONDS > 0
    client = client_for(users["dpo"])
    assert walk(client) == []

    # when a use case goes live just after the dashboard was shown
    UseCase.objects.filter(collectivite=users["dpo"].memberships.get().collectivite, name="Notation").update(
        status=UseCaseStatus.IN_PRODUCTION
    )

    # then the figures and their lists still agree: no figure is kept while its list moves on
    assert walk(client) == []


@pytest.mark.django_db
def test_the_figures_speak_french_plurals(collectivite, services, users, client_for):
    # given one blocked use, one live and one due for re-review
    ccas = services["ccas"]
    use_case(collectivite, ccas, users["chef"], risk="prohibited", status=UseCaseStatus.DRAFT)
    due = use_case(collectivite, ccas, users["chef"], status=UseCaseStatus.APPROVED)
    UseCase.objects.filter(pk=due.pk).update(next_review_on=timezone.localdate())
    for days in (-1, -2):
        checkpoint(due, "bias_review" if days == -1 else "output_review", owner=users["agent"], due_in_days=days)

    html = unescape(client_for(users["dpo"]).get(HOME).content.decode())

    # then each label agrees with its number, in French
    assert re.search(r'data-figure="blocked">1</span> <span class="figure-label">bloqué<', html)
    assert re.search(r'data-figure="live">1</span> <span class="figure-label">approuvé ou en production<', html)
    assert re.search(r'data-figure="overdue">2</span> <span class="figure-label">contrôles en retard<', html)
    assert re.search(r'data-figure="rereviews">1</span> <span class="figure-label">réexamen ', html)
    assert re.search(r'data-figure="in_register">2</span> <span class="figure-label">usages au registre<', html)


@pytest.mark.django_db
def test_a_service_without_use_case_gives_empty_lists_that_say_zero(collectivite, users, client_for):
    # given a head of service of a service without any use case
    empty = ServiceFactory(collectivite=collectivite, name="Archives", code="ARCH")
    head = UserFactory(username="chef-archives")
    MembershipFactory(user=head, collectivite=collectivite, role=Role.HEAD_OF_SERVICE, service=empty)

    assert walk(client_for(head)) == []


@pytest.mark.django_db
def test_the_register_filter_form_offers_the_figures_groups_in_french(small_register, users, client_for):
    # given the list a figure opens
    chef = client_for(users["chef"])
    html = unescape(chef.get(reverse("registry:use_case_list"), {"status": "live", "scope": "headed"}).content.decode())

    # then its filter form shows the filter set, in French: the group of statuses and the head of service's scope
    assert '<optgroup label="Plusieurs statuts">' in html
    assert re.search(r'<option value="live" selected>Approuvés ou en production</option>', html)
    assert re.search(r'<option value="headed" selected>Les services que je dirige</option>', html)
    # the scope is a head of service's only: the DPO sees everything already
    dpo = unescape(client_for(users["dpo"]).get(reverse("registry:use_case_list")).content.decode())
    assert 'name="scope"' not in dpo
    assert '<option value="rereview">Réexamen périodique dû sous 90 jours ou en retard</option>' in dpo
