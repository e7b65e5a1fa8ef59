""" "Mes tâches" lists the committee opinions to record for whoever presides over each case (issue 18, item 2).

The rules of procedure (`selectors.presiding_member`) name the chair, or when the chair is absent or has a conflict
of interest on the case the vice-chair, then the eldest member present. The section "Committee opinions to record"
used to list every case to the chair only: a conflicted or absent chair was sent to a case they may not record, and
the member who must record it found nothing. The page, the API and the menu's badge now agree with the rule."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.access import get_access
from registry import permissions
from registry import services as svc
from registry.models import CommitteeMember, User
from reporting import my_tasks
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import both_opinions, session, submit, to_agenda

pytestmark = pytest.mark.django_db

TASKS_URL = reverse("registry:my_tasks")
API_TASKS_URL = "/api/v1/tasks/"


def fresh(user):
    """The person as a new request sees them: nothing cached (access, committee seat)."""
    return User.objects.get(pk=user.pk)


def case_in_session(collectivite, services, users, *, present=None, committee_session=None):
    """A Logement case (nobody of the committee belongs to Logement) on the agenda of a session held now."""
    use_case = UseCaseFactory(collectivite=collectivite, service=services["logement"], owner=users["chef"])
    review = both_opinions(submit(use_case), users, ask_committee=True)
    return to_agenda(review, users, committee_session or session(collectivite, users, present=present))


def vice_chair(users, seat):
    svc.committee_member_update(member=seat, acting_user=fresh(users["dpo"]), data={"is_vice_chair": True})


def to_record(user, collectivite) -> dict:
    """What each channel says the person has to record: the page's section, the API's section, the menu's badge
    (on another page) and the count of `task_counts`, next to the list of `tasks_for`."""
    user = fresh(user)
    access = get_access(user, collectivite)
    listed = my_tasks.tasks_for(user, access).get("committee_opinions")
    client = _client(user)
    page = unescape(client.get(TASKS_URL).content.decode())
    start = page.find('data-tasks="committee_opinions"')
    page_section = page[start : page.index("</section>", start)] if start >= 0 else None
    other_page = client.get(reverse("registry:tool_list")).content.decode()
    badge = re.search(r'data-menu="my-tasks">.*?(?:data-task-count="(\d+)"|</a>)', other_page, re.S)
    api = {row["key"]: row for row in _api(user).get(API_TASKS_URL).json()["sections"]}.get("committee_opinions")
    return {
        "list": None if listed is None else [item.pk for item in listed],
        "page": None if page_section is None else re.findall(r"#item-(\d+)\"", page_section),
        "api": None if api is None else [entry["id"] for entry in api["items"]],
        "api_count": None if api is None else api["count"],
        "count": my_tasks.task_counts(fresh(user), access).get("committee_opinions"),
        "badge_is_the_page_total": int(badge.group(1) or 0)
        == my_tasks.task_count(my_tasks.tasks_for(fresh(user), access)),
    }


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _api(user):
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def finds(item) -> dict:
    ids = [item.pk]
    return {
        "list": ids,
        "page": [str(item.pk)],
        "api": ids,
        "api_count": 1,
        "count": 1,
        "badge_is_the_page_total": True,
    }


NOTHING = {"list": [], "page": [], "api": [], "api_count": 0, "count": 0, "badge_is_the_page_total": True}


def test_a_conflicted_chair_no_longer_finds_the_case_in_my_tasks_and_the_vice_chair_does(
    collectivite, services, users, committee
):
    # given a vice-chair, and the chair declaring a conflict of interest on a case of the session in progress
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users)
    assert to_record(users["comite"], collectivite) == finds(item)
    assert to_record(committee["external"].user, collectivite) == NOTHING

    svc.conflict_declare(item=item, acting_user=fresh(users["comite"]), comment="Je connais le porteur du projet.")

    # then the chair is no longer sent to it, on the page, in the API or in the menu's count; the vice-chair is
    assert to_record(users["comite"], collectivite) == NOTHING
    assert to_record(committee["external"].user, collectivite) == finds(item)
    assert to_record(committee["ccas"].user, collectivite) == NOTHING

    # and once the vice-chair has recorded it, nobody has it to record any more
    for member in (committee["external"], committee["ccas"]):
        svc.vote_cast(item=item, acting_user=fresh(member.user), choice="favourable")
    svc.committee_opinion_record(item=item, acting_user=fresh(committee["external"].user), opinion="favourable")
    assert to_record(committee["external"].user, collectivite) == NOTHING


def test_an_absent_chair_is_not_sent_to_the_case_the_vice_chair_is(collectivite, services, users, committee):
    vice_chair(users, committee["external"])
    item = case_in_session(collectivite, services, users, present=[committee["external"], committee["ccas"]])

    assert to_record(users["comite"], collectivite) == NOTHING
    assert to_record(committee["external"].user, collectivite) == finds(item)


def test_without_a_vice_chair_the_eldest_member_present_finds_the_case(collectivite, services, users, committee):
    CommitteeMember.objects.filter(pk=committee["external"].pk).update(birth_date=datetime.date(1980, 4, 2))
    CommitteeMember.objects.filter(pk=committee["ccas"].pk).update(birth_date=datetime.date(1961, 9, 14))
    item = case_in_session(collectivite, services, users)
    svc.conflict_declare(item=item, acting_user=fresh(users["comite"]))

    assert to_record(committee["ccas"].user, collectivite) == finds(item)
    assert to_record(users["comite"], collectivite) == NOTHING
    assert to_record(committee["external"].user, collectivite) == NOTHING


def test_each_member_counts_exactly_the_cases_listed_for_them(collectivite, services, users, committee):
    # given two sessions in progress: the chair presides over some cases, the vice-chair over those where the chair
    # declared a conflict of interest
    vice_chair(users, committee["external"])
    first, second = session(collectivite, users), session(collectivite, users)
    items = [case_in_session(collectivite, services, users, committee_session=s) for s in (first, second, first)]
    svc.conflict_declare(item=items[1], acting_user=fresh(users["comite"]))

    found = {seat: to_record(seat.user, collectivite) for seat in committee.values()}

    assert sorted(found[committee["chair"]]["list"]) == sorted([items[0].pk, items[2].pk])
    assert found[committee["external"]]["list"] == [items[1].pk]
    assert found[committee["ccas"]]["list"] == []
    for seat, channels in found.items():
        assert channels["count"] == channels["api_count"] == len(channels["list"]) == len(channels["page"]), seat
        assert sorted(channels["api"]) == sorted(channels["list"]), seat
        assert channels["badge_is_the_page_total"], seat


def test_finding_the_cases_to_preside_costs_the_same_whatever_their_number(collectivite, services, users, committee):
    vice_chair(users, committee["external"])

    def queries(user):
        user = fresh(user)
        access = get_access(user, collectivite)
        permissions.committee_seat(user, collectivite.pk)  # cached per request: the menu asks it anyway
        with CaptureQueriesContext(connection) as badge:
            my_tasks.pending_task_count(user, access)
        with CaptureQueriesContext(connection) as page:
            my_tasks.tasks_for(user, access)
        return len(badge), len(page)

    first = session(collectivite, users)
    item = case_in_session(collectivite, services, users, committee_session=first)
    svc.conflict_declare(item=item, acting_user=fresh(users["comite"]))
    few = queries(committee["external"].user)
    second = session(collectivite, users)
    for committee_session in (first, second, second):
        more = case_in_session(collectivite, services, users, committee_session=committee_session)
        svc.conflict_declare(item=more, acting_user=fresh(users["comite"]))

    assert queries(committee["external"].user) == few
    assert len(to_record(committee["external"].user, collectivite)["list"]) == 4
    # the badge: its one query, and four to find the cases presided over (cases, votes, attendance, services)
    assert few[0] == 5
