"""“Mes tâches”: every section of `my_tasks.tasks_for` with a direct link per item and an empty state, the count
in the main menu (equal to the page's, for one query), and fixed query counts."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits import services as audit_services
from audits.models import Checkpoint
from core.access import get_access
from registry import services as svc
from reporting import my_tasks
from reporting.my_tasks import pending_task_count
from tests.registry import reviews_support as rs
from tests.registry.factories import UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db
TASKS_URL = reverse("registry:my_tasks")


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def section(html: str, code: str) -> str:
    start = html.index(f'data-tasks="{code}"')
    return html[start : html.index("</section>", start)]


def shown_sections(html: str) -> list[str]:
    return re.findall(r'data-tasks="([a-z_]+)"', html)


def menu_count(html: str) -> int:
    match = re.search(r'data-menu="my-tasks">.*?(?:data-task-count="(\d+)"|</a>)', html, re.S)
    return int(match.group(1) or 0)


@pytest.fixture
def work(collectivite, services, users, tool, committee, use_case):
    """Something in every section.

    - `waiting`: submitted, no opinion yet (the DPO's and the RSSI's opinions to give).
    - `to_schedule`: health data, both opinions given: awaiting a place on an agenda.
    - `on_agenda`: health data in Communication, on a planned session's agenda, no vote yet.
    - `approved`: approved with a DPO condition, owned by `porteur`: a checkpoint without owner.
    - `rejected`: owned by `porteur`, rejected.
    - `periodic`: approved, owned by `porteur`, its re-review due and opened.
    And a checkpoint of the RSSI due tomorrow.
    """
    owner = use_case.owner

    def case(**fields):
        fields.setdefault("service", services["ccas"])
        fields.setdefault("owner", owner)
        return UseCaseFactory(collectivite=collectivite, tool=tool, **fields)

    waiting = case(name="Avis à donner")
    rs.submit(waiting)
    to_schedule = case(name="À inscrire", personal_data_categories=["health"])
    rs.both_opinions(rs.submit(to_schedule), users)
    on_agenda = case(name="À l'ordre du jour", personal_data_categories=["health"], service=services["communication"])
    item = rs.to_agenda(rs.both_opinions(rs.submit(on_agenda), users), users)
    approved = case(name="Approuvé sous condition")
    rs.both_opinions(rs.submit(approved), users, dpo="favourable_with_conditions")
    rejected = case(name="Rejeté")
    rs.both_opinions(rs.submit(rejected), users, rssi="unfavourable")
    periodic = case(name="À réexaminer")
    rs.both_opinions(rs.submit(periodic), users)
    periodic.refresh_from_db()
    svc.rereviews_open_due(today=periodic.next_review_on + datetime.timedelta(days=1))
    due = Checkpoint.objects.filter(use_case=approved).first()
    audit_services.checkpoint_update(
        checkpoint=due, acting_user=users["dpo"], owner=users["rssi"], frequency=due.frequency
    )
    Checkpoint.objects.filter(pk=due.pk).update(next_due=timezone.localdate() + datetime.timedelta(days=1))
    condition = Checkpoint.objects.create(
        use_case=approved,
        type=due.type.__class__.objects.create(collectivite=collectivite, code="condition-x", title="Condition X"),
        origin=Checkpoint.Origin.CONDITION,
        frequency="quarterly",
    )
    return {
        "waiting": waiting,
        "to_schedule": to_schedule,
        "on_agenda": on_agenda,
        "item": item,
        "approved": approved,
        "rejected": rejected,
        "periodic": periodic,
        "due": due,
        "condition": condition,
        "owner": owner,
    }


# Who sees which section -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "dpo",
            [
                "opinions",
                "qualifications",
                "to_schedule",
                "conditions",
                "rereviews",
                "rework",
                "facts",
                "checkpoints",
                "publications",
                "explanations",
            ],
        ),
        (
            "admin",
            [
                "to_schedule",
                "conditions",
                "rereviews",
                "rework",
                "facts",
                "checkpoints",
                "publications",
                "explanations",
            ],
        ),
        ("rssi", ["opinions", "conditions", "rereviews", "rework", "facts", "checkpoints"]),
        (
            "comite",
            ["to_schedule", "votes", "committee_opinions", "conditions", "rereviews", "rework", "facts", "checkpoints"],
        ),
        # every member may come to preside over a case (the chair absent or with a conflict of interest)
        ("external", ["votes", "committee_opinions", "conditions", "rereviews", "rework", "facts", "checkpoints"]),
        ("owner", ["conditions", "rereviews", "rework", "facts", "checkpoints"]),
        ("agent", ["conditions", "rereviews", "rework", "facts", "checkpoints"]),
        ("dgs", ["conditions", "rereviews", "rework", "facts", "checkpoints"]),
    ],
)
def test_each_person_sees_the_sections_of_their_roles(who, expected, work, users, committee, client_for):
    user = {"owner": work["owner"], "external": committee["external"].user}.get(who) or users[who]

    assert shown_sections(html_of(client_for(user).get(TASKS_URL))) == expected


def test_the_reviewers_are_sent_to_the_opinion_form(work, users, client_for):
    html = section(html_of(client_for(users["dpo"]).get(TASKS_URL)), "opinions")

    assert f'data-task="{work["waiting"].reference}"' in html
    assert reverse("registry:opinion_give", args=[work["waiting"].pk, "dpo"]) in html
    assert reverse("registry:opinion_give", args=[work["waiting"].pk, "rssi"]) not in html


def test_the_secretariat_is_sent_to_the_committee_to_schedule(work, users, client_for):
    html = section(html_of(client_for(users["dpo"]).get(TASKS_URL)), "to_schedule")

    assert f'data-task="{work["to_schedule"].reference}"' in html
    assert f'data-task="{work["on_agenda"].reference}"' not in html
    assert reverse("registry:committee") + "#awaiting" in html


def test_members_are_sent_to_the_session_to_vote_and_the_chair_to_record_the_opinion(
    work, users, committee, client_for
):
    link = reverse("registry:committee_session", args=[work["item"].session_id]) + f"#item-{work['item'].pk}"

    chair = html_of(client_for(users["comite"]).get(TASKS_URL))
    member = html_of(client_for(committee["external"].user).get(TASKS_URL))

    assert link in section(chair, "votes")
    assert link in section(chair, "committee_opinions")
    assert link in section(member, "votes")


def test_a_member_who_voted_has_nothing_left_to_vote(work, users, committee, client_for):
    svc.vote_cast(item=work["item"], acting_user=committee["external"].user, choice="favourable")

    html = section(html_of(client_for(committee["external"].user).get(TASKS_URL)), "votes")

    assert "data-task=" not in html
    assert "data-empty" in html


def test_the_owner_names_an_owner_for_conditions_reworks_and_rereviews(work, client_for):
    html = html_of(client_for(work["owner"]).get(TASKS_URL))

    conditions = section(html, "conditions")
    assert reverse("audits:checkpoint_edit", args=[work["condition"].pk]) in conditions
    assert reverse("registry:use_case_rework", args=[work["rejected"].pk]) in section(html, "rework")
    assert reverse("registry:use_case_detail", args=[work["periodic"].pk]) in section(html, "rereviews")
    assert "data-empty" in section(html, "checkpoints")


def test_a_checkpoint_due_within_a_week_links_to_its_attestation(work, users, client_for):
    html = section(html_of(client_for(users["rssi"]).get(TASKS_URL)), "checkpoints")

    assert reverse("audits:checkpoint_attest", args=[work["due"].pk]) in html


def test_every_empty_section_says_so(collectivite, users, client_for):
    html = html_of(client_for(users["dpo"]).get(TASKS_URL))

    for code in shown_sections(html):
        assert "data-empty" in section(html, code), code
    assert 'data-task-count="0"' in html


def test_who_holds_no_role_gets_the_no_role_page(collectivite, client_for):
    response = client_for(UserFactory()).get(TASKS_URL)

    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(TASKS_URL)["Location"].startswith(reverse("login"))


def test_another_collectivite_sees_none_of_these_tasks(work, outsider, client_for):
    html = html_of(client_for(outsider).get(TASKS_URL))

    assert "data-task=" not in html


# The count in the menu ---------------------------------------------------------------------------------


def _everyone(users, committee, work, outsider):
    return [*users.values(), committee["external"].user, committee["ccas"].user, work["owner"], outsider]


def test_the_menu_count_is_the_count_of_the_tasks_page_for_everyone(
    work, users, committee, outsider, collectivite, other_collectivite
):
    for user in _everyone(users, committee, work, outsider):
        here = other_collectivite if user == outsider else collectivite
        access = get_access(user, here)
        expected = my_tasks.task_count(my_tasks.tasks_for(user, access))
        assert pending_task_count(user, access) == expected, user.username


def test_the_menu_shows_the_count_on_every_page_and_none_when_nothing_waits(work, users, client_for):
    dpo = client_for(users["dpo"])
    expected = my_tasks.task_count(
        my_tasks.tasks_for(users["dpo"], get_access(users["dpo"], work["waiting"].collectivite))
    )

    for url in (reverse("registry:use_case_list"), TASKS_URL, reverse("registry:tool_list")):
        assert menu_count(html_of(dpo.get(url))) == expected, url
    assert menu_count(html_of(client_for(users["agent"]).get(reverse("registry:tool_list")))) == 0


# One query; a committee member with a case in a session in progress pays four more, whatever the number of cases, to
# find those they preside over (`selectors.items_to_preside`, issue 18: the chair is not always the one who records the
# committee's opinion): the cases, their votes, the sessions' attendance and the members' services.
@pytest.mark.parametrize(("who", "queries"), [("comite", 5), ("dpo", 1), ("owner", 1)])
def test_the_menu_count_costs_one_query(who, queries, work, users, collectivite, django_assert_num_queries):
    from registry.models import User

    # a fresh user object: nothing cached, not even the committee seat
    user = User.objects.get(pk=work["owner"].pk if who == "owner" else users[who].pk)
    access = get_access(user, collectivite)

    with django_assert_num_queries(queries):
        assert pending_task_count(user, access) > 0


def test_the_tasks_page_does_not_count_twice(work, users, client_for):
    """The page has its lists: the menu takes their count instead of running its own query."""
    client = client_for(users["dpo"])
    client.get(TASKS_URL)

    with CaptureQueriesContext(connection) as queries:
        client.get(TASKS_URL)

    assert not [q for q in queries.captured_queries if "COUNT(*) FROM (SELECT" in q["sql"]]


# The page's cost -------------------------------------------------------------------------------------


def test_the_tasks_page_costs_the_same_queries_whatever_the_number_of_tasks(
    collectivite, services, users, tool, committee, client_for, django_assert_max_num_queries
):
    client = client_for(users["comite"])

    def add(count):
        for _ in range(count):
            use_case = UseCaseFactory(
                collectivite=collectivite,
                service=services["communication"],
                owner=users["dpo"],
                tool=tool,
                personal_data_categories=["health"],
            )
            rs.to_agenda(rs.both_opinions(rs.submit(use_case), users), users)

    add(1)
    client.get(TASKS_URL)
    with CaptureQueriesContext(connection) as few:
        client.get(TASKS_URL)
    add(6)
    with CaptureQueriesContext(connection) as many:
        html = html_of(client.get(TASKS_URL))

    assert html.count("data-task=") == 14  # 7 votes and 7 opinions to record for the chair
    assert len(many) == len(few)
    with django_assert_max_num_queries(TASKS_QUERIES):
        client.get(TASKS_URL)


# 13 today: the session, the user and their roles, the menu's collectivités, the committee seat, one query per
# section of the chair (7: to schedule, votes, committee opinions, conditions, re-reviews, rework, checkpoints); and
# four to find the cases of the sessions in progress over which the person presides (issue 18: the cases, their
# votes, the attendance and the members' services), whatever their number.
TASKS_QUERIES = 20  # 18, + the incidents whose notifications are due (AI Act 73, RGPD 33), + the AIDFs (fria)


def test_a_long_section_shows_its_first_items_and_says_how_many_there_are(
    collectivite, services, users, tool, client_for, django_assert_max_num_queries
):
    # Given 4 rounds waiting for the DPO's opinion, and sections cut at 3 items
    for _ in range(4):
        rs.submit(UseCaseFactory(collectivite=collectivite, service=services["communication"], tool=tool))
    access = get_access(users["dpo"], collectivite)

    # When the tasks are read with a limit of 3
    # 12, + the incidents whose notifications are due, + the AIDFs, + the requests for an explanation
    with django_assert_max_num_queries(15):
        tasks = my_tasks.tasks_for(users["dpo"], access, limit=3)

    # Then the section holds 3 rounds but counts 4, and the total counts them all
    assert (len(tasks["opinions"]), tasks["opinions"].total) == (3, 4)
    assert my_tasks.task_count(tasks) == pending_task_count(users["dpo"], access)


def test_the_tasks_page_says_when_a_section_is_cut(collectivite, services, users, tool, client_for, monkeypatch):
    # Given more rounds waiting for the DPO than a section shows
    monkeypatch.setattr("reporting.my_tasks.TASKS_PER_SECTION", 2)
    monkeypatch.setattr(my_tasks.tasks_for, "__kwdefaults__", {"limit": 2})
    for _ in range(3):
        rs.submit(UseCaseFactory(collectivite=collectivite, service=services["communication"], tool=tool))

    # When the DPO opens the page
    html = html_of(client_for(users["dpo"]).get(TASKS_URL))

    # Then it shows 2 of the 3, says so, and links to the review queue
    opinions = section(html, "opinions")
    assert opinions.count("data-task=") == 2
    assert "data-more" in opinions and reverse("registry:review_list") in opinions


def test_a_capped_count_stops_each_section_at_the_cap(work, users, collectivite):
    access = get_access(users["dpo"], collectivite)
    exact = my_tasks.task_counts(users["dpo"], access)
    biggest = max(exact.values())
    assert biggest >= 2

    capped = my_tasks.task_counts(users["dpo"], access, cap=biggest - 1)

    assert capped == {name: min(count, biggest - 1) for name, count in exact.items()}
    assert pending_task_count(users["dpo"], access, cap=1) == 1


def test_the_menu_says_99_plus_beyond_99(work, users, client_for, monkeypatch):
    from reporting.templatetags import review_tags

    assert [review_tags.badge_count(n) for n in (1, 99, 100, 5000)] == ["1", "99", "99+", "99+"]
    # the menu asks for at most BADGE_CAP + 1: with a cap of 1, any backlog shows as "1+"
    monkeypatch.setattr(review_tags, "BADGE_CAP", 1)
    html = html_of(client_for(users["dpo"]).get(reverse("registry:tool_list")))
    assert 'data-task-count="2">1+<' in html
