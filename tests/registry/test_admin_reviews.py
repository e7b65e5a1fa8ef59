"""Django admin of the review workflow: review rounds, opinions, conditions, the committee's members, sessions,
agendas and votes are shown read-only, and no status of a use case, a review, an agenda item or a session can be
set from the admin: they change only through the services."""

from html import unescape

import pytest
from django.urls import reverse

from registry import services as registry
from registry.choices import ReviewStatus, SessionStatus, UseCaseStatus
from registry.models import AgendaItem, CommitteeMember, CommitteeSession, Review, UseCase, Vote
from tests.registry import reviews_support as rs
from tests.registry.factories import UseCaseFactory, UserFactory
from tests.web.helpers import fr

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def workflow(collectivite, services, users, committee, use_case):
    """A round decided with a condition, and a case on a planned session's agenda with a member's vote."""
    decided = rs.submit(use_case)
    rs.opinion(decided, users["dpo"], "dpo", "favourable_with_conditions", conditions=["Relire chaque courrier."])
    rs.opinion(decided, users["rssi"], "rssi")
    decided.refresh_from_db()
    other = UseCaseFactory(collectivite=collectivite, service=services["logement"], owner=users["chef"])
    waiting = rs.both_opinions(rs.submit(other), users, ask_committee=True)
    item = rs.to_agenda(waiting, users)
    vote = registry.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")
    return {"decided": decided, "waiting": waiting, "item": item, "vote": vote, "member": committee["external"]}


def _change_url(obj) -> str:
    return reverse(f"admin:registry_{obj._meta.model_name}_change", args=[obj.pk])


def _objects(workflow):
    return {
        "use case": workflow["decided"].use_case,
        "review": workflow["decided"],
        "agenda item": workflow["item"],
        "session": workflow["item"].session,
        "member": workflow["member"],
    }


@pytest.mark.parametrize("name", ["use case", "review", "agenda item", "session", "member"])
def test_the_change_page_shows_the_status_without_an_input_for_it(workflow, superuser_client, name):
    obj = _objects(workflow)[name]

    response = superuser_client.get(_change_url(obj))

    assert response.status_code == 200
    page = response.content.decode()
    for field in ("status", "decision", "opinion", "is_chair", "active", "choice"):
        assert f'name="{field}"' not in page, field
    assert not response.context["adminform"].form.fields


@pytest.mark.parametrize(
    "name, data",
    [
        ("use case", {"status": UseCaseStatus.APPROVED, "name": "Renommé"}),
        ("review", {"status": ReviewStatus.OPINIONS, "decision": "rejected"}),
        ("agenda item", {"opinion": "unfavourable", "opinion_comment": "Non."}),
        ("session", {"status": SessionStatus.CLOSED, "place": "Ailleurs"}),
        ("member", {"is_chair": "on", "active": "", "affiliation": "Autre"}),
    ],
)
def test_posting_a_status_changes_nothing(workflow, superuser_client, name, data):
    # Given an object of the workflow as it stands
    obj = _objects(workflow)[name]
    before = {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}
    history = UseCase.history.count()

    # When an administrator posts new values to its change page
    response = superuser_client.post(_change_url(obj), data)

    # Then the admin refuses or ignores them: nothing changed, not even a new version of the use case
    assert response.status_code in (302, 403)
    obj.refresh_from_db()
    assert {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields} == before
    assert UseCase.history.count() == history


def test_an_old_version_of_a_use_case_cannot_be_restored_from_its_history(workflow, superuser_client):
    # Given a use case approved after review, with its first version (a draft) in the history
    use_case = workflow["decided"].use_case
    assert use_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS
    draft = use_case.history.earliest("history_date")
    url = reverse("admin:registry_usecase_simple_history", args=[use_case.pk, draft.history_id])

    # When an administrator posts the old version's page (simple-history's "revert")
    page = superuser_client.get(url)
    superuser_client.post(url, {})

    # Then no "revert" is offered, and the status stays the decided one
    assert page.status_code == 200
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.APPROVED_WITH_CONDITIONS


@pytest.mark.parametrize("model", [Review, CommitteeSession, CommitteeMember, AgendaItem])
def test_nothing_of_the_workflow_is_added_nor_deleted_here(workflow, superuser_client, model):
    obj = model.objects.first()
    opts = model._meta

    assert superuser_client.get(reverse(f"admin:registry_{opts.model_name}_add")).status_code == 403
    delete = superuser_client.post(reverse(f"admin:registry_{opts.model_name}_delete", args=[obj.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_review_shows_its_opinions_and_conditions(workflow, superuser_client):
    review = workflow["decided"]

    page = unescape(superuser_client.get(_change_url(review)).content.decode())

    assert "Relire chaque courrier." in page
    for opinion in review.opinions.all():
        assert str(opinion.get_verdict_display()) in page
    assert fr("Approved with conditions") in page


def test_an_agenda_item_shows_the_members_opinions(workflow, superuser_client):
    page = unescape(superuser_client.get(_change_url(workflow["item"])).content.decode())

    assert str(workflow["member"]) in page
    assert Vote.objects.get(pk=workflow["vote"].pk).get_choice_display() in page


def test_members_and_sessions_point_to_the_committee_page(workflow, superuser_client):
    for obj in (workflow["member"], workflow["item"].session):
        page = superuser_client.get(_change_url(obj)).content.decode()
        assert f'href="{reverse("registry:committee")}"' in page


@pytest.mark.parametrize("model", [Review, CommitteeMember, CommitteeSession, AgendaItem])
def test_the_lists_cost_a_fixed_number_of_queries(
    collectivite, services, users, committee, workflow, superuser_client, django_assert_max_num_queries, model
):
    # Given more rounds and agenda items than the fixture's
    for _number in range(4):
        other = UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=users["agent"])
        rs.to_agenda(rs.both_opinions(rs.submit(other), users, ask_committee=True), users, workflow["item"].session)
    url = reverse(f"admin:registry_{model._meta.model_name}_changelist")

    # Then the list costs no query per row
    with django_assert_max_num_queries(12):
        response = superuser_client.get(url)
    assert response.status_code == 200
