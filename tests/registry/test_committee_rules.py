"""The ethics committee's rules of procedure: a session is held on its date (opened with the attendance), the
committee gives its opinion only in session and with the quorum, the members with a conflict of interest are
counted out, the opinion keeps its votes, the minutes say all of it with agreed titles, and the annual report counts
only the sessions held.

Today the chair could record « l'avis du comité » on a session a month away, with one vote out of five."""

import datetime

import pytest
from django.utils import timezone, translation

from core.errors import ApplicationError, TransitionError
from documents.models import Document
from documents.pdf import render_pdf
from registry import services as svc
from registry import titles
from registry.choices import Civility, ReviewStatus, SessionStatus, UseCaseStatus
from registry.models import Attendance, CommitteeMember, CommitteeSession
from reporting import statistics
from reporting.reports import minutes
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import both_opinions, hold, session, submit, to_agenda
from tests.reporting.reports_support import normalise, pdf_text

pytestmark = pytest.mark.django_db


def fresh(user):
    user.__dict__.pop("_registry_access", None)
    user.__dict__.pop("_registry_seat", None)
    return user


def fr(error) -> str:
    with translation.override("fr"):
        return normalise(str(error.message))


@pytest.fixture
def ethics_case(collectivite, services, users):
    """A Logement case the DPO sends to the committee (nobody of the committee belongs to Logement)."""
    use_case = UseCaseFactory(collectivite=collectivite, service=services["logement"], owner=users["chef"])
    return both_opinions(submit(use_case), users, ask_committee=True)


@pytest.fixture
def ccas_case(collectivite, services, users, use_case):
    """The CCAS case: the committee's CCAS agent has a conflict of interest on it."""
    return both_opinions(submit(use_case), users, ask_committee=True)


def planned_session(collectivite, users, days=30):
    return session(collectivite, users, held=False, held_on=timezone.now() + datetime.timedelta(days=days))


# A session is held on its date ------------------------------------------------------------------------------------
def test_the_opinion_on_a_session_a_month_away_is_refused_and_the_case_stays_waiting(
    collectivite, users, committee, ethics_case
):
    # given the case on the agenda of a session one month away, a member's favourable vote impossible before it
    item = to_agenda(ethics_case, users, planned_session(collectivite, users))

    # when the chair records the committee's opinion
    with pytest.raises(TransitionError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")

    # then it is refused, and nothing is decided
    assert "n'a pas encore eu lieu" in fr(refused.value)
    ethics_case.refresh_from_db()
    assert ethics_case.status == ReviewStatus.COMMITTEE
    assert ethics_case.use_case.status == UseCaseStatus.IN_REVIEW
    item.refresh_from_db()
    assert item.opinion == ""


def test_a_session_cannot_be_opened_before_its_date_and_members_do_not_vote_before_it(
    collectivite, users, committee, ethics_case
):
    planned = planned_session(collectivite, users)
    item = to_agenda(ethics_case, users, planned)
    with pytest.raises(TransitionError) as refused:
        hold(planned, users)
    assert "ne peut être ouverte qu'à cette date" in fr(refused.value) or "à cette date" in fr(refused.value)
    with pytest.raises(TransitionError):
        svc.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="favourable")
    # A conflict of interest may be declared ahead of the session.
    svc.conflict_declare(item=item, acting_user=fresh(committee["ccas"].user), comment="Lien avec le service.")
    planned.refresh_from_db()
    assert planned.status == SessionStatus.PLANNED and not planned.was_held


def test_opening_records_every_member_in_office_the_chair_and_the_dpo_as_secretary(collectivite, users, committee):
    held = session(collectivite, users, present=[committee["chair"], committee["external"]])
    assert held.status == SessionStatus.OPEN and held.was_held
    assert held.chair == users["comite"] and held.secretary == users["dpo"]
    assert held.quorum_percent == 50
    roster = {row.member_id: row.present for row in Attendance.objects.filter(session=held)}
    assert roster == {committee["chair"].pk: True, committee["external"].pk: True, committee["ccas"].pk: False}


def test_an_absent_member_does_not_vote_until_the_secretary_records_them(collectivite, users, committee, ethics_case):
    held = session(collectivite, users, present=[committee["chair"], committee["ccas"]])
    item = to_agenda(ethics_case, users, held)
    with pytest.raises(TransitionError) as refused:
        svc.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="favourable")
    assert "présence" in fr(refused.value)
    svc.attendance_record(session=held, acting_user=users["dpo"], present=CommitteeMember.objects.all())
    svc.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="favourable")


def test_the_attendance_lists_only_the_committees_members(collectivite, users, committee, other_collectivite, outsider):
    foreign = CommitteeMember.objects.create(collectivite=other_collectivite, user=outsider)
    planned = session(collectivite, users, held=False, held_on=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(ApplicationError) as refused:
        svc.session_open(session=planned, acting_user=users["dpo"], present=[foreign.pk])
    assert set(refused.value.errors) == {"present"}
    planned.refresh_from_db()
    assert planned.status == SessionStatus.PLANNED


# The quorum ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "members, percent, required",
    [(5, 50, 3), (4, 50, 2), (3, 50, 2), (1, 50, 1), (0, 50, 1), (5, 100, 5), (6, 34, 3)],
)
def test_the_quorum_is_the_share_of_members_in_office_rounded_up(members, percent, required):
    from registry.selectors import quorum_required

    assert quorum_required(members, percent) == required


def test_without_the_quorum_the_opinion_is_refused_with_the_figures(collectivite, users, committee, ethics_case):
    # given three members in office (quorum 2 by default) and only the chair present
    item = to_agenda(ethics_case, users, session(collectivite, users, present=[committee["chair"]]))
    svc.vote_cast(item=item, acting_user=fresh(users["comite"]), choice="favourable")

    with pytest.raises(TransitionError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")

    assert fr(refused.value) == ("Le quorum n'est pas atteint : 1 membre présent sans conflit d'intérêts, 2 requis.")
    ethics_case.refresh_from_db()
    assert ethics_case.status == ReviewStatus.COMMITTEE
    # Postponing needs no quorum: it is what a session without one does.
    svc.committee_opinion_record(
        item=item, acting_user=fresh(users["comite"]), opinion="postponed", comment="Quorum non atteint."
    )


def test_the_quorum_is_set_per_collectivite(collectivite, users, committee, ethics_case):
    collectivite.committee_quorum_percent = 100
    collectivite.save(update_fields=["committee_quorum_percent"])
    item = to_agenda(ethics_case, users, session(collectivite, users, present=[committee["chair"], committee["ccas"]]))
    with pytest.raises(TransitionError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")
    assert "2 membres présents sans conflit d'intérêts, 3 requis" in fr(refused.value)


def test_a_member_with_a_conflict_of_interest_is_counted_out_of_the_quorum(collectivite, users, committee, ccas_case):
    # given the chair and the CCAS agent present: the CCAS agent has a conflict on the CCAS case, never declared
    item = to_agenda(ccas_case, users, session(collectivite, users, present=[committee["chair"], committee["ccas"]]))

    with pytest.raises(TransitionError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")
    assert "1 membre présent sans conflit d'intérêts, 2 requis" in fr(refused.value)


def test_a_declared_conflict_is_counted_out_of_the_quorum_and_the_votes(collectivite, users, committee, ethics_case):
    item = to_agenda(
        ethics_case, users, session(collectivite, users, present=[committee["chair"], committee["external"]])
    )
    svc.conflict_declare(item=item, acting_user=fresh(committee["external"].user), comment="Ancienne collègue.")
    svc.vote_cast(item=item, acting_user=fresh(users["comite"]), choice="favourable")
    with pytest.raises(TransitionError) as refused:
        svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")
    assert "1 membre présent sans conflit d'intérêts, 2 requis" in fr(refused.value)


# The opinion states its votes ------------------------------------------------------------------------------------
def test_the_opinion_keeps_the_quorum_and_the_votes_it_was_given_with(collectivite, users, committee, ccas_case):
    # given everyone present on the CCAS case: the CCAS agent declares the conflict, the others vote
    item = to_agenda(ccas_case, users, session(collectivite, users))
    svc.conflict_declare(item=item, acting_user=fresh(committee["ccas"].user))
    svc.vote_cast(item=item, acting_user=fresh(users["comite"]), choice="favourable")
    svc.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="unfavourable", comment="Non.")

    svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")

    item.refresh_from_db()
    assert (item.members_in_office, item.quorum_required, item.present_count, item.conflict_count) == (3, 2, 2, 1)
    assert (item.votes_favourable, item.votes_with_conditions, item.votes_unfavourable, item.votes_abstain) == (
        1,
        0,
        1,
        0,
    )
    # A later change of the attendance does not rewrite the record.
    svc.attendance_record(session=item.session, acting_user=users["dpo"], present=[])
    item.refresh_from_db()
    assert item.present_count == 2
    event = item.review.use_case.events.filter(kind="committee_opinion").get()
    with translation.override("fr"):
        assert "pour 1" in event.comment and "contre 1" in event.comment


# Titles agreed with the person ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role, civility, expected",
    [
        (titles.CHAIR, Civility.MADAME, "Présidente"),
        (titles.CHAIR, Civility.MONSIEUR, "Président"),
        (titles.CHAIR, "", "Présidence"),
        (titles.COMMITTEE_CHAIR, Civility.MADAME, "Présidente du comité d'éthique"),
        (titles.COMMITTEE_CHAIR, "", "Présidence du comité d'éthique"),
        (titles.DPO, Civility.MADAME, "Déléguée à la protection des données"),
        (titles.DPO, Civility.MONSIEUR, "Délégué à la protection des données"),
        (titles.DPO, "", "Délégation à la protection des données"),
        (titles.SECRETARY, Civility.MADAME, "Secrétaire de séance"),
    ],
)
def test_a_title_agrees_with_the_person(role, civility, expected):
    from types import SimpleNamespace

    with translation.override("fr"):
        title = titles.title(role, SimpleNamespace(civility=civility))
    assert title == expected
    assert "(e)" not in title


# The minutes ---------------------------------------------------------------------------------------------------------
def test_the_minutes_show_attendance_quorum_conflicts_votes_and_agreed_signatures(
    collectivite, users, committee, ccas_case, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    users["comite"].civility = Civility.MADAME
    users["comite"].save(update_fields=["civility"])
    users["dpo"].civility = Civility.MONSIEUR
    users["dpo"].save(update_fields=["civility"])
    held = session(collectivite, users, present=[committee["chair"], committee["ccas"], committee["external"]])
    item = to_agenda(ccas_case, users, held)
    svc.conflict_declare(item=item, acting_user=fresh(committee["ccas"].user), comment="Agente du CCAS.")
    svc.vote_cast(item=item, acting_user=fresh(users["comite"]), choice="favourable")
    svc.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="abstain")
    svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")
    svc.session_close(session=held, acting_user=users["dpo"])

    document = Document(
        collectivite=collectivite, kind=Document.Kind.COMMITTEE_MINUTES, session=held, subject_key=f"session:{held.pk}"
    )
    with translation.override("fr"):
        rendered = render_pdf(minutes.build(document), collectivite=collectivite, generated_at=timezone.now())
    text = pdf_text(rendered.content if hasattr(rendered, "content") else rendered)

    for phrase in [
        "Présence",
        "3 membres présents sur 3 en fonction",
        "2 membres présents sans conflit d'intérêts sur le dossier (50 % des membres en fonction",
        "Présent",
        "1 membre écarté du quorum et des votes",
        "1 pour, 0 pour avec conditions, 0 contre, 1 abstentions",
        "Présidente du comité d'éthique",
        "Secrétaire de séance",
        "Délégué à la protection des données",
        str(users["comite"]),
        str(users["dpo"]),
    ]:
        assert normalise(phrase) in text, phrase


def test_the_minutes_name_the_chair_as_a_function_when_the_form_of_address_is_not_stated(
    collectivite, users, committee
):
    held = session(collectivite, users)
    document = Document(collectivite=collectivite, kind=Document.Kind.COMMITTEE_MINUTES, session=held)
    with translation.override("fr"):
        context = minutes.build(document).context
    assert context["chair_title"] == "Présidence du comité d'éthique"
    assert context["secretary"] == users["dpo"]
    assert context["secretary_role_title"] == "Délégation à la protection des données"


# The annual report -----------------------------------------------------------------------------------------------
def test_the_annual_report_lists_only_the_sessions_held_with_the_opinions_they_gave(
    collectivite, users, committee, ethics_case
):
    now = timezone.now()
    held = session(collectivite, users, held_on=now - datetime.timedelta(hours=3))
    item = to_agenda(ethics_case, users, held)
    svc.committee_opinion_record(item=item, acting_user=fresh(users["comite"]), opinion="favourable")
    svc.session_close(session=held, acting_user=users["dpo"])
    # a session planned later this year, and one closed without being held
    future = planned_session(collectivite, users, days=1)
    not_held = session(collectivite, users, held=False, held_on=now - datetime.timedelta(hours=2))
    svc.session_close(session=not_held, acting_user=users["dpo"])
    # (an opinion recorded on the future session before the rules: it still does not count)
    CommitteeSession.objects.filter(pk=future.pk).update(status=SessionStatus.PLANNED)

    year = timezone.localtime(now).year
    if timezone.localtime(future.held_on).year != year:
        pytest.skip("the day after is next year")
    listed = statistics.decisions_of_year(collectivite.pk, year)["sessions"]

    assert [s.pk for s in listed] == [held.pk]
    assert listed[0].examined == 1
