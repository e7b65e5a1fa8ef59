"""Submitting and withdrawing from the use case's page: POST only, 404 out of scope, 403 when not allowed."""

from html import unescape

import pytest
from django.urls import reverse

from registry import services
from registry.choices import UseCaseStatus
from registry.models import UseCaseEvent
from tests.registry.factories import UseCaseFactory

from .helpers import fr


def submit_url(use_case):
    return reverse("registry:use_case_submit", args=[use_case.pk])


def withdraw_url(use_case):
    return reverse("registry:use_case_withdraw", args=[use_case.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["chef", "dpo", "rssi", "admin"])
def test_who_may_change_a_draft_submits_it(role, register, users, client_for):
    use_case = register["ccas_draft"]

    response = client_for(users[role]).post(submit_url(use_case), {"version": use_case.version}, follow=True)

    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("registry:use_case_detail", args=[use_case.pk])
    assert use_case.reference in unescape(response.content.decode())
    assert 'role="status"' in unescape(response.content.decode())
    event = use_case.events.first()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        UseCaseEvent.Kind.SUBMITTED,
        users[role],
        UseCaseStatus.DRAFT,
        UseCaseStatus.SUBMITTED,
    )


@pytest.mark.django_db
def test_the_owner_agent_submits_then_withdraws_their_draft(register, users, client_for):
    use_case = register["agent_own_draft"]
    client = client_for(users["agent"])

    client.post(submit_url(use_case), {"version": use_case.version})
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.SUBMITTED

    client.post(withdraw_url(use_case), {"version": use_case.version})
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "name", "action"),
    [
        ("dgs", "ccas_draft", submit_url),  # sees everything, changes nothing
        ("agent", "ccas_approved", submit_url),  # sees the service's approved uses, owns none of them
        ("comite", "ethics_submitted", withdraw_url),  # reviews it, does not own it
        ("dgs", "ethics_submitted", withdraw_url),
    ],
)
def test_a_visible_use_case_the_user_may_not_act_on_is_a_403(role, name, action, register, users, client_for):
    use_case = register[name]
    status = use_case.status

    response = client_for(users[role]).post(action(use_case), {"version": use_case.version})

    assert response.status_code == 403
    assert fr("Access denied") in unescape(response.content.decode())
    use_case.refresh_from_db()
    assert use_case.status == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("agent", "ccas_draft"),
        ("agent", "logement_draft"),
        ("chef", "com_in_production"),
        ("comite", "ccas_draft"),
        ("outsider", "ccas_draft"),
        ("dpo", "neighbour"),
    ],
)
def test_an_invisible_use_case_is_a_404_for_every_action(role, name, register, user_for, client_for):
    use_case = register[name]
    client = client_for(user_for(role))

    assert client.post(submit_url(use_case)).status_code == 404
    assert client.post(withdraw_url(use_case)).status_code == 404


@pytest.mark.django_db
def test_actions_refuse_get(register, users, client_for):
    use_case = register["ccas_draft"]
    client = client_for(users["dpo"])

    assert client.get(submit_url(use_case)).status_code == 405
    assert client.get(withdraw_url(use_case)).status_code == 405
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.DRAFT


@pytest.mark.django_db
def test_anonymous_actions_go_to_login(register, client):
    response = client.post(submit_url(register["ccas_draft"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_blocked_draft_is_not_submitted_and_the_user_is_told_why(collectivite, services, users, client_for):
    # given a draft that sends classified (C4) data to an AI tool
    use_case = UseCaseFactory(
        collectivite=collectivite, service=services["ccas"], owner=users["agent"], max_data_classification="C4"
    )
    assert use_case.blocked

    response = client_for(users["dpo"]).post(submit_url(use_case), {"version": use_case.version}, follow=True)

    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.DRAFT
    html = unescape(response.content.decode())
    assert (
        fr("This use case is blocked by the classification rules: remove the blocking reasons before submitting it.")
        in html
    )
    # and the page offers no submit button for it
    assert 'class="btn btn-primary">' + fr("Submit for review") not in html


@pytest.mark.django_db
def test_a_stale_page_does_not_overwrite_a_newer_version(register, users, client_for):
    # given the page was loaded at version 1, then someone saved version 2
    use_case = register["ccas_draft"]
    stale_version = use_case.version
    services.use_case_update(
        use_case=use_case, acting_user=users["chef"], data={"name": "Renommé"}, expected_version=stale_version
    )

    response = client_for(users["dpo"]).post(submit_url(use_case), {"version": stale_version}, follow=True)

    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.DRAFT
    assert fr(
        "This use case changed since you opened the page, so it was not submitted. Read the new version, "
        "then submit it again."
    ) in unescape(response.content.decode())


@pytest.mark.django_db
def test_submitting_twice_explains_instead_of_failing(register, users, client_for):
    use_case = register["ccas_draft"]
    client = client_for(users["dpo"])
    client.post(submit_url(use_case))

    response = client.post(submit_url(use_case), follow=True)

    assert response.status_code == 200
    assert fr("This action is not possible in the use case's current status.") in unescape(response.content.decode())
    assert use_case.events.filter(kind=UseCaseEvent.Kind.SUBMITTED).count() == 1
