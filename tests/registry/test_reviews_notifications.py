"""Who is told of each step of a review, once, after commit; a failing notification never undoes a decision;
and "Mes tâches", what waits for each person, at a fixed number of queries."""

from unittest import mock

import pytest
from django.core import mail

from audits.models import Checkpoint
from core.access import get_access
from core.roles import Role
from declarations import services as declaration_services
from registry import services as svc
from registry.choices import ReviewDecision, ReviewKind, ReviewStatus, UseCaseStatus
from registry.models import Review, UseCaseEvent, User
from registry.notifications import use_case_event_notify
from reporting.my_tasks import task_count, tasks_for
from tests.registry.factories import MembershipFactory, UseCaseFactory, UserFactory
from tests.registry.reviews_support import both_opinions, opinion, submit, to_agenda

pytestmark = pytest.mark.django_db

Kind = UseCaseEvent.Kind
PUBLIC_CHATBOT = {"art50_features": ["chatbot"], "audience": "public"}
DPO, RSSI, CHAIR = "dpo@example.org", "rssi@example.org", "comite@example.org"
MEMBERS = {CHAIR, "externe@example.org", "membre_ccas@example.org"}
OWNER = "redactrice@example.org"


@pytest.fixture
def ethics_case(collectivite, services, committee):
    owner = UserFactory(username="redactrice")
    MembershipFactory(user=owner, collectivite=collectivite, role=Role.AGENT, service=services["communication"])
    return UseCaseFactory(collectivite=collectivite, service=services["communication"], owner=owner, **PUBLIC_CHATBOT)


@pytest.fixture
def told(django_capture_on_commit_callbacks):
    """Run a step, let its after-commit e-mails go, and return who received one (each e-mail has one recipient)."""

    def run(step):
        start = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = step()
        sent = mail.outbox[start:]
        assert all(len(message.to) == 1 for message in sent), "nobody sees who else was told"
        run.result = result
        return sorted(message.to[0] for message in sent)

    return run


# Who is told of what ---------------------------------------------------------------------------------------------
def test_each_step_of_a_committee_review_tells_the_right_people(ethics_case, users, committee, told):
    owner = ethics_case.owner
    # Submission: the DPO and the RSSI
    assert told(lambda: submit(ethics_case)) == [DPO, RSSI]
    review = told.result
    # Each opinion: the owner
    assert told(lambda: opinion(review, users["dpo"], "dpo")) == [OWNER]
    # The second opinion sends it to the committee: the owner once more, and the secretariat (chair, DPO)
    assert told(lambda: opinion(review, users["rssi"], "rssi")) == sorted([OWNER, OWNER, CHAIR, DPO])
    # On an agenda: the owner and every member (the DPO scheduling it is not told of their own action)
    review.refresh_from_db()
    assert told(lambda: to_agenda(review, users)) == sorted([OWNER, *MEMBERS])
    item = told.result
    # A member's vote tells nobody
    assert told(lambda: svc.vote_cast(item=item, acting_user=committee["external"].user, choice="favourable")) == []
    # The committee's opinion and the decision: the owner and the reviewers, once for the decision
    assert told(
        lambda: svc.committee_opinion_record(item=item, acting_user=users["comite"], opinion="favourable")
    ) == sorted([OWNER, DPO, RSSI])
    # Retirement by the DPO: the owner and the RSSI
    assert told(lambda: svc.use_case_retire(use_case=ethics_case, acting_user=users["dpo"], comment="Fin.")) == [
        OWNER,
        RSSI,
    ]
    assert owner.email == OWNER


def test_a_decision_without_committee_tells_the_owner_and_the_other_reviewer(use_case, users, told):
    review = submit(use_case)
    opinion(review, users["dpo"], "dpo")
    owner = use_case.owner.email
    # The RSSI's opinion (to the owner) and the decision (to the owner and the DPO; the RSSI decided)
    assert told(lambda: opinion(review, users["rssi"], "rssi")) == sorted([owner, owner, DPO])
    message = mail.outbox[-1]
    assert use_case.reference in message.subject
    assert f"/registre/{use_case.pk}/" in message.body


def test_postponement_return_stale_rereview_and_resumption_are_told(ethics_case, use_case, users, committee, told):
    owner = use_case.owner.email
    # Postponed by the committee: the owner and the reviewers
    item = to_agenda(both_opinions(submit(ethics_case), users), users)
    postponed = told(
        lambda: svc.committee_opinion_record(
            item=item, acting_user=users["comite"], opinion="postponed", comment="Dossier incomplet."
        )
    )
    assert postponed == sorted([OWNER, DPO, RSSI])
    # Returned for changes by the RSSI: the owner
    review = submit(use_case)
    assert told(
        lambda: svc.review_return_for_changes(review=review, acting_user=users["rssi"], comment="Complétez.")
    ) == [owner]
    # A material change to an approved use: the reviewers (the owner made it)
    both_opinions(submit(use_case), users)
    use_case.refresh_from_db()
    assert told(
        lambda: svc.use_case_update(
            use_case=use_case, acting_user=use_case.owner, data={"purpose": "Autre."}, expected_version=use_case.version
        )
    ) == [DPO, RSSI]
    both_opinions(Review.objects.get(use_case=use_case, status="opinions"), users)
    use_case.refresh_from_db()
    svc.use_case_put_into_production(use_case=use_case, acting_user=use_case.owner)
    # A suspension lifted by the RSSI: the owner and the DPO
    svc.use_case_suspend(use_case=use_case, acting_user=users["dpo"], reason="Incident.")
    resumed = told(lambda: svc.use_case_resume(use_case=use_case, acting_user=users["rssi"], comment="Corrigé."))
    assert resumed == sorted([owner, DPO])
    # A periodic re-review opened by the daily task: the owner and the reviewers
    use_case.refresh_from_db()
    assert told(lambda: svc.rereviews_open_due(today=use_case.next_review_on)) == sorted([owner, DPO, RSSI])


def test_quiet_steps_tell_nobody(use_case, users, told):
    submit(use_case)
    assert told(lambda: svc.use_case_withdraw(use_case=use_case, acting_user=use_case.owner)) == []
    both_opinions(submit(use_case), users, rssi="unfavourable")
    assert told(lambda: svc.use_case_rework(use_case=use_case, acting_user=use_case.owner)) == []


def test_the_contact_addresses_of_the_dpo_and_rssi_are_told_too(collectivite, use_case, told):
    type(collectivite).objects.filter(pk=collectivite.pk).update(
        dpo_email="rgpd@bellerive.example.org", rssi_email="ssi@bellerive.example.org"
    )
    assert told(lambda: submit(use_case)) == sorted(
        [DPO, RSSI, "rgpd@bellerive.example.org", "ssi@bellerive.example.org"]
    )


def test_an_inactive_owner_or_member_is_not_told(ethics_case, users, committee, told):
    User.objects.filter(pk=ethics_case.owner_id).update(is_active=False)
    User.objects.filter(pk=committee["external"].user_id).update(is_active=False)
    review = both_opinions(submit(ethics_case), users)
    assert told(lambda: to_agenda(review, users)) == sorted(MEMBERS - {"externe@example.org"})


# Once, and never at the cost of the decision -----------------------------------------------------------------------
def test_each_event_is_sent_once(use_case, users, told):
    told(lambda: submit(use_case))
    event = use_case.events.get(kind=Kind.SUBMITTED)
    assert event.__class__.objects.get(pk=event.pk).notified_at is not None
    count = len(mail.outbox)

    # When the notification runs again (a retried task, a restarted worker)
    assert use_case_event_notify(event_id=event.pk) == 0
    from registry.tasks import notify_use_case_event

    assert notify_use_case_event.run(event.pk) == 0

    # Then nothing more is sent
    assert len(mail.outbox) == count


def test_a_broker_failure_never_undoes_the_decision(use_case, users, django_capture_on_commit_callbacks):
    review = submit(use_case)
    opinion(review, users["dpo"], "dpo")
    # When the task cannot be queued as the RSSI gives the last opinion
    broken = mock.patch("registry.tasks.notify_use_case_event.delay", side_effect=ConnectionError("broker down"))
    with broken, django_capture_on_commit_callbacks(execute=True) as callbacks:
        opinion(review, users["rssi"], "rssi")
    # Then the decision stands, with its event, waiting to be told
    assert callbacks
    review.refresh_from_db()
    use_case.refresh_from_db()
    assert (review.status, review.decision) == (ReviewStatus.DECIDED, ReviewDecision.APPROVED)
    assert use_case.status == UseCaseStatus.APPROVED
    assert use_case.events.get(kind=Kind.DECIDED).notified_at is None


def test_a_mail_failure_never_undoes_the_decision_and_is_sent_later(
    use_case, users, django_capture_on_commit_callbacks
):
    review = submit(use_case)
    opinion(review, users["dpo"], "dpo")
    # When the mail server fails as the RSSI gives the last opinion
    broken = mock.patch("registry.notifications.send_mail", side_effect=OSError("SMTP down"))
    with broken, django_capture_on_commit_callbacks(execute=True):
        opinion(review, users["rssi"], "rssi")
    # Then the decision stands
    review.refresh_from_db()
    assert (review.status, review.decision) == (ReviewStatus.DECIDED, ReviewDecision.APPROVED)
    decided = use_case.events.get(kind=Kind.DECIDED)
    # And the e-mails were not lost: the event is still to be told, and the next attempt tells it
    assert decided.notified_at is None
    start = len(mail.outbox)
    assert use_case_event_notify(event_id=decided.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox[start:]) == sorted([use_case.owner.email, DPO])


@pytest.mark.django_db(transaction=True)
def test_a_notification_failure_after_a_real_commit_keeps_the_decision(use_case, users):
    review = submit(use_case)
    opinion(review, users["dpo"], "dpo")
    with mock.patch("registry.tasks.notify_use_case_event.delay", side_effect=RuntimeError("worker unreachable")):
        opinion(review, users["rssi"], "rssi")
    review.refresh_from_db()
    assert review.decision == ReviewDecision.APPROVED
    assert UseCaseEvent.objects.filter(use_case=use_case, kind=Kind.DECIDED).count() == 1


# "Mes tâches" ------------------------------------------------------------------------------------------------------
def fresh(user):
    return User.objects.get(pk=user.pk)


def tasks(user, collectivite):
    user = fresh(user)
    return tasks_for(user, get_access(user, collectivite))


def keys_with_items(found) -> set[str]:
    return {key for key, items in found.items() if items}


def test_each_person_finds_what_waits_for_them(collectivite, services, users, committee, use_case, ethics_case):
    # Given a case waiting for opinions, a case on an agenda, a rejected case, a use approved with a condition,
    # and a use whose periodic re-review is open, all owned by the same person
    owner = use_case.owner
    make = lambda **kw: UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=owner, **kw)  # noqa: E731
    waiting = submit(use_case)
    item = to_agenda(both_opinions(submit(ethics_case), users), users)
    both_opinions(submit(make()), users, dpo="unfavourable")
    live = make()
    both_opinions(submit(live), users)
    live.refresh_from_db()
    svc.rereviews_open_due(today=live.next_review_on)
    periodic = Review.objects.get(use_case=live, kind=ReviewKind.PERIODIC)
    both_opinions(submit(make()), users, rssi="favourable_with_conditions")

    # Then the DPO and the RSSI find the rounds waiting for their opinion
    assert [r.pk for r in tasks(users["dpo"], collectivite)["opinions"]] == [waiting.pk, periodic.pk]
    assert [r.pk for r in tasks(users["rssi"], collectivite)["opinions"]] == [waiting.pk, periodic.pk]
    opinion(waiting, users["dpo"], "dpo")
    assert [r.pk for r in tasks(users["dpo"], collectivite)["opinions"]] == [periodic.pk]
    assert [r.pk for r in tasks(users["rssi"], collectivite)["opinions"]] == [waiting.pk, periodic.pk]
    # The members find the case to vote on, the chair also the committee's opinion to record
    chair = tasks(users["comite"], collectivite)
    assert [i.pk for i in chair["votes"]] == [i.pk for i in chair["committee_opinions"]] == [item.pk]
    external = tasks(committee["external"].user, collectivite)
    assert [i.pk for i in external["votes"]] == [item.pk] and external["committee_opinions"] == []
    svc.vote_cast(item=item, acting_user=committee["external"].user, choice="abstain")
    assert tasks(committee["external"].user, collectivite)["votes"] == []
    # The owner finds the condition to take on, the re-review, the rejected case to rework
    mine = tasks(owner, collectivite)
    assert keys_with_items(mine) >= {"conditions", "rereviews", "rework"}
    assert [c.origin for c in mine["conditions"]] == [Checkpoint.Origin.CONDITION]
    assert [r.pk for r in mine["rereviews"]] == [periodic.pk]
    # People with nothing to do find nothing
    for role in ("agent", "dgs"):
        assert task_count(tasks(users[role], collectivite)) == 0


def test_the_secretariat_finds_the_cases_to_schedule(collectivite, users, committee, ethics_case):
    review = both_opinions(submit(ethics_case), users)
    for role in ("dpo", "admin", "comite"):
        assert [r.pk for r in tasks(users[role], collectivite)["to_schedule"]] == [review.pk]
    assert "to_schedule" not in tasks(users["rssi"], collectivite)
    to_agenda(review, users)
    assert tasks(users["dpo"], collectivite)["to_schedule"] == []


# The chair pays four queries more, whatever the number of cases, to find the cases in progress over which they
# preside (issue 18: the cases, their votes, the sessions' attendance and the members' services).
# + 1 for the AIDFs (fria), whoever the person; + 1 for the requests for an explanation (the DPO); + 1 for the
# incidents whose notifications are due (the DPO, the committee member who heads a service).
@pytest.mark.parametrize(("role", "queries"), [("dpo", 16), ("comite", 17), ("owner", 14)])
def test_my_tasks_cost_a_fixed_number_of_queries(
    role, queries, collectivite, services, users, committee, django_assert_max_num_queries
):
    # Given many cases in every state that makes a task
    owner = UserFactory(username="porteuse-multi")
    MembershipFactory(user=owner, collectivite=collectivite, role=Role.AGENT, service=services["ccas"])
    make = lambda **kw: UseCaseFactory(collectivite=collectivite, service=services["ccas"], owner=owner, **kw)  # noqa: E731
    for _ in range(4):
        submit(make())
        to_agenda(both_opinions(submit(make(**PUBLIC_CHATBOT)), users), users)
        both_opinions(submit(make()), users, dpo="unfavourable")
        both_opinions(submit(make()), users, rssi="favourable_with_conditions")
    user = owner if role == "owner" else users[role]

    # Then the whole inbox, access and committee seat included, and what the page shows of each task, costs
    # at most 13 queries, whatever the number of tasks (the guided qualification, issue 16, added one query per
    # section: the DPO's qualifications to confirm, and everyone's facts to complete)
    with django_assert_max_num_queries(queries):
        found = tasks(user, collectivite)
        shown = [row_label(section, item) for section, items in found.items() for item in items]
    assert task_count(found) >= 4 and len(shown) == task_count(found)


def row_label(section: str, item) -> str:
    """What "Mes tâches" shows of one task (the related rows its template reads)."""
    if section in ("votes", "committee_opinions"):
        return f"{item.review.use_case.reference} {item.review.use_case.service.name} {item.session.held_on}"
    if section in ("opinions", "to_schedule"):
        return f"{item.use_case.reference} {item.use_case.name} {item.use_case.service.name}"
    if section in ("conditions", "checkpoints"):
        return f"{item.use_case.reference} {item.use_case.name} {item.type.title}"
    if section == "rereviews":
        return f"{item.use_case.reference} {item.use_case.name}"
    return f"{item.reference} {item.name} {item.service.name}"


def test_a_declaration_alert_is_not_lost_when_the_mail_server_fails(collectivite, users):
    """The same rule for the shadow-AI declarations' e-mails (`declarations.notifications`)."""
    import uuid

    from declarations.models import DeclarationEvent
    from declarations.notifications import declaration_event_notify

    data = {
        "tool_name": "ChatGPT",
        "category": "general_chatbot",
        "tasks": "Courriers aux usagers",
        "frequency": "weekly",
        "device": "personal_device",
        "account": "personal_free",
        "data_entered": ["health"],
        "output_use": ["sent_to_users"],
        "human_review": "never",
    }
    with mock.patch("declarations.tasks.notify_declaration_event.delay"):
        declaration_services.declaration_submit(
            collectivite=collectivite,
            acting_user=users["agent"],
            data=data,
            anonymous=False,
            submission_key=uuid.uuid4(),
        )
    event = DeclarationEvent.objects.get()
    with mock.patch("declarations.notifications.send_mail", side_effect=OSError("SMTP down")), pytest.raises(OSError):
        declaration_event_notify(event_id=event.pk)
    assert DeclarationEvent.objects.get(pk=event.pk).notified_at is None
    assert declaration_event_notify(event_id=event.pk) >= 1
    assert declaration_event_notify(event_id=event.pk) == 0
