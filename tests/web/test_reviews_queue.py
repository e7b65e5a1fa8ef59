"""The review queue (/examens/): who may open it, what each one sees, open rounds first, filters, pages, and a
query count that does not grow with the rows."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.registry import reviews_support as rs
from tests.registry.factories import UseCaseFactory

pytestmark = pytest.mark.django_db
QUEUE_URL = reverse("registry:review_list")


def references(response) -> list[str]:
    """The use cases listed, in their order."""
    return re.findall(r'<tr data-review="\d+" data-reference="([^"]+)"', unescape(response.content.decode()))


def new_case(collectivite, services, users, tool, **fields):
    fields.setdefault("service", services["ccas"])
    fields.setdefault("owner", users["agent"])
    return UseCaseFactory(collectivite=collectivite, tool=tool, **fields)


@pytest.fixture
def queue(collectivite, services, users, tool, committee):
    """An open round awaiting opinions, one the DPO already answered, one decided, one at the committee on an
    agenda (health data), and a round of the collectivité next door."""
    waiting = new_case(collectivite, services, users, tool, name="En attente")
    rs.submit(waiting)
    dpo_done = new_case(collectivite, services, users, tool, name="Avis DPO donné")
    rs.opinion(rs.submit(dpo_done), users["dpo"], "dpo")
    decided = new_case(collectivite, services, users, tool, name="Décidé")
    rs.both_opinions(rs.submit(decided), users)
    on_agenda = new_case(collectivite, services, users, tool, name="Au comité", personal_data_categories=["health"])
    review = rs.both_opinions(rs.submit(on_agenda), users)
    rs.to_agenda(review, users)
    return {"waiting": waiting, "dpo_done": dpo_done, "decided": decided, "on_agenda": on_agenda}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("dpo", 200), ("rssi", 200), ("dgs", 200), ("admin", 200), ("comite", 200), ("agent", 403), ("chef", 403)],
)
def test_the_queue_is_for_those_who_follow_reviews(role, expected, queue, users, client_for):
    assert client_for(users[role]).get(QUEUE_URL).status_code == expected


def test_a_member_without_a_seat_on_the_committee_may_not_open_the_queue(collectivite, users, client_for):
    # the `comite` user holds the committee role but no seat (no `committee` fixture here)
    assert client_for(users["comite"]).get(QUEUE_URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(QUEUE_URL)["Location"].startswith(reverse("login"))


def test_open_rounds_come_first_then_the_closed_ones(queue, users, client_for):
    listed = references(client_for(users["dpo"]).get(QUEUE_URL))

    assert set(listed) == {uc.reference for uc in queue.values()}
    assert listed[-1] == queue["decided"].reference


def test_a_committee_member_sees_only_the_cases_on_their_agendas(queue, users, client_for):
    assert references(client_for(users["comite"]).get(QUEUE_URL)) == [queue["on_agenda"].reference]


def test_another_collectivite_sees_none_of_these_reviews(queue, outsider, client_for):
    assert references(client_for(outsider).get(QUEUE_URL)) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, {"waiting", "dpo_done", "on_agenda"}),
        ({"status": "decided"}, {"decided"}),
        ({"status": "committee"}, {"on_agenda"}),
        ({"kind": "periodic"}, set()),
        ({"kind": "initial"}, {"waiting", "dpo_done", "decided", "on_agenda"}),
        ({"q": "attente"}, {"waiting"}),
    ],
)
def test_filters(query, expected, queue, users, client_for):
    listed = references(client_for(users["dpo"]).get(QUEUE_URL, query))

    assert set(listed) == {queue[name].reference for name in expected}


@pytest.mark.parametrize(("role", "expected"), [("dpo", {"waiting"}), ("rssi", {"waiting", "dpo_done"})])
def test_waiting_for_my_opinion(role, expected, queue, users, client_for):
    listed = references(client_for(users[role]).get(QUEUE_URL, {"mine": "yes"}))

    assert set(listed) == {queue[name].reference for name in expected}


def test_the_my_opinion_filter_is_offered_to_reviewers_only(queue, users, client_for):
    assert 'name="mine"' in client_for(users["dpo"]).get(QUEUE_URL).content.decode()
    assert 'name="mine"' not in client_for(users["dgs"]).get(QUEUE_URL).content.decode()


def test_the_service_filter_includes_the_services_below(queue, services, users, tool, collectivite, client_for):
    other = new_case(collectivite, services, users, tool, service=services["communication"], owner=users["dpo"])
    rs.submit(other)

    listed = references(client_for(users["dpo"]).get(QUEUE_URL, {"service": services["direction"].pk}))

    assert other.reference not in listed
    assert queue["waiting"].reference in listed


def test_a_filter_with_no_match_says_so(queue, users, client_for):
    html = client_for(users["dpo"]).get(QUEUE_URL, {"kind": "periodic"}).content.decode()

    assert 'id="empty-state"' in html
    assert f'href="{QUEUE_URL}"' in html


def test_the_queue_is_paginated(collectivite, services, users, tool, client_for, settings):
    import registry.views.reviews as views

    for _ in range(3):
        rs.submit(new_case(collectivite, services, users, tool))
    previous, views.PAGE_SIZE = views.PAGE_SIZE, 2
    try:
        first = client_for(users["dpo"]).get(QUEUE_URL)
        second = client_for(users["dpo"]).get(QUEUE_URL, {"page": 2})
    finally:
        views.PAGE_SIZE = previous

    assert len(references(first)) == 2
    assert len(references(second)) == 1
    assert "page=2" in first.content.decode()


def test_the_queue_costs_the_same_queries_for_3_or_30_rounds(
    collectivite, services, users, tool, client_for, django_assert_max_num_queries
):
    def add(count):
        for index in range(count):
            review = rs.submit(new_case(collectivite, services, users, tool))
            if index % 2:
                rs.opinion(review, users["dpo"], "dpo", "favourable_with_conditions")

    client = client_for(users["dpo"])
    add(3)
    client.get(QUEUE_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE_URL)
    add(27)
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE_URL, {"status": "open"})

    assert len(many) == len(few)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        client.get(QUEUE_URL)


# 12 today: session, user, memberships, the collectivités of the menu, the count of the page, its rows with their
# opinions, the filter's services and tools, the committee seat, and the menu's task count.
QUEUE_QUERIES = 13


def test_services_and_tools_of_another_collectivite_are_not_offered(queue, outsider, users, client_for):
    html = unescape(client_for(users["dpo"]).get(QUEUE_URL).content.decode())

    assert "DG — DG" not in html  # the outsider's service
    assert "CCAS — CCAS" in html
