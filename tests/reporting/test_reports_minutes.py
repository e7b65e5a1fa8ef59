"""The minutes of an ethics committee session: who sat, the agenda, each case with the opinions before the committee,
the members' opinions and conflicts of interest, the tally, the committee's opinion and the decision; provisional while
the session is planned; at a fixed number of queries; asked for only by those who see the committee."""

import datetime
import hashlib
import itertools
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ForbiddenError
from core.roles import Role
from documents.models import Document
from documents.pdf import render_pdf
from documents.services import document_request
from registry import services as registry
from registry import titles
from registry.choices import AiActRisk, CommitteeOpinion, MemberVote, ReviewDecision, SessionStatus
from registry.models import CommitteeMember
from reporting.reports import minutes
from tests.registry.factories import UseCaseFactory
from tests.registry.reviews_support import opinion, session, submit
from tests.reporting.reports_support import (
    aid_use_case,
    committee_decision,
    fresh,
    member,
    missing,
    normalise,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(moment, fmt="DATE_FORMAT") -> str:
    return date_format(timezone.localtime(moment), fmt)


def _document(meeting) -> Document:
    return Document(
        collectivite=meeting.collectivite,
        kind=Document.Kind.COMMITTEE_MINUTES,
        session=meeting,
        subject_key=f"session:{meeting.pk}",
    )


def _asked_by_the_dpo(collectivite, services, users, name="Rédaction des lettres d'information"):
    """A minimal-risk use case of the Communication service the DPO sends to the committee."""
    use_case = UseCaseFactory(
        collectivite=collectivite, service=services["communication"], name=name, reference=f"COM-{next(_numbers)}"
    )
    review = submit(use_case)
    opinion(review, fresh(users["dpo"]), "dpo", "favourable", ask_committee=True, comment="Question de principe.")
    opinion(review, fresh(users["rssi"]), "rssi", "favourable")
    review.refresh_from_db()
    return review


@pytest.fixture
def sessions(collectivite, services, users, committee):
    """A closed session that decided a high-risk case and postponed another, and the planned session after it."""
    owner = member(collectivite, "porteuse", Role.AGENT, services["ccas"])
    aid = aid_use_case(collectivite, services, owner)
    postponed = _asked_by_the_dpo(collectivite, services, users)
    review, first, item = committee_decision(aid, users, committee)
    registry.agenda_add(session=first, review=postponed, acting_user=fresh(users["dpo"]))
    registry.session_close(session=first, acting_user=fresh(users["dpo"]))
    first.refresh_from_db()
    second = session(
        collectivite,
        {"dpo": fresh(users["dpo"])},
        held=False,
        held_on=first.held_on + datetime.timedelta(days=30),
        place="",
    )
    registry.agenda_add(session=second, review=postponed, acting_user=fresh(users["dpo"]))
    return SimpleNamespace(aid=aid, review=review, first=first, second=second, postponed=postponed.use_case)


def test_the_minutes_of_a_closed_session(sessions, collectivite, users, committee, django_capture_on_commit_callbacks):
    assert sessions.first.status == SessionStatus.CLOSED

    # When the DPO asks for the minutes of the closed session
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            collectivite=collectivite, acting_user=fresh(users["dpo"]), kind="committee_minutes", session=sessions.first
        )

    # Then they are generated, and say what happened
    document.refresh_from_db()
    assert document.status == Document.Status.READY, document.error
    content = document.file.read()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    pages = pdf_pages(content)
    text = pdf_text(content)
    first, aid = sessions.first, sessions.aid

    # The cover: title and the session's date; the contents list the sections
    assert missing(normalise(pages[0]), [_("Ethics committee minutes"), _date(first.held_on)]) == []
    assert missing(normalise(pages[1]), [label for _anchor, label in minutes.SECTIONS]) == []

    # The session: date, place, status, notes; the members with their quality, the chair
    assert (
        missing(
            text,
            [
                _date(first.held_on, "DATETIME_FORMAT"),
                "Salle du conseil municipal",
                SessionStatus.CLOSED.label,
                "Séance consacrée aux aides sociales.",
                str(committee["chair"]),
                str(committee["external"]),
                "Chercheuse, université de Tours",
                _("External member"),
            ],
        )
        == []
    )

    # The decided case: what the committee had before it, the votes, the conflict, the tally, opinion and decision
    assert (
        missing(
            text,
            [
                f"{aid.reference} — {aid.name}",
                aid.service.name,
                str(aid.owner),
                AiActRisk.HIGH.label,
                _("The classification requires the committee's opinion."),
                *(reason.explanation for reason in aid.reasons if reason.code.startswith("ethics_")),
                "Données de santé : accès limité aux travailleurs sociaux.",
                _("Favourable with conditions"),
                "Purger les pièces médicales après instruction.",
                "Risque d'exclusion des demandeurs sans dossier numérique.",
                _("Conflict of interest: does not vote"),
                "Je travaille au CCAS, service porteur.",
                "Avis favorable à la majorité, sous réserve d'un recours humain.",
                "Proposer un rendez-vous à tout demandeur qui le souhaite.",
                ReviewDecision.APPROVED_WITH_CONDITIONS.label,
            ],
        )
        == []
    )
    tally = normalise(f"{_('Tally:')} {MemberVote.FAVOURABLE.label} 1, {MemberVote.UNFAVOURABLE.label} 1")
    assert tally in text

    # The case the session did not examine is postponed, and its next session named
    assert (
        missing(
            text,
            [
                sessions.postponed.reference,
                _("The %(role)s (%(name)s) asked for the committee's opinion.")
                % {"role": "DPO", "name": fresh(users["dpo"])},
                _("Not examined during the session."),
                _("Postponed: the case waits for a later session."),
                _("Put on the agenda of the session of %(date)s.") % {"date": _date(sessions.second.held_on)},
            ],
        )
        == []
    )

    # Signed by the chair and the secretary, their titles agreed with each (registry.titles); not provisional
    chair_title = titles.title(titles.COMMITTEE_CHAIR, committee["chair"].user)
    secretary_title = titles.title(titles.SECRETARY, users["dpo"])
    signed = [chair_title, str(committee["chair"]), secretary_title, str(users["dpo"])]
    assert missing(normalise(pages[-1]), signed) == []
    assert normalise(_("Provisional minutes")) not in text


def test_the_minutes_of_a_planned_session_are_provisional(sessions, collectivite):
    # When the minutes of the planned session are rendered
    spec = minutes.build(_document(sessions.second))
    rendered = render_pdf(spec, collectivite=collectivite, generated_at=timezone.now())
    pages = [normalise(page) for page in pdf_pages(rendered.content)]

    # Then the cover, the subtitle and every page's header say they are provisional
    assert normalise(_("Provisional minutes: the session is not closed")).upper() in pages[0].upper()
    session_of = _("Session of %(date)s") % {"date": _date(sessions.second.held_on)}
    assert spec.subtitle == _("%(session)s — provisional minutes") % {"session": session_of}
    assert all(normalise(_("Provisional")).upper() in page.upper() for page in pages[1:])
    text = " ".join(pages)
    assert (
        missing(
            text,
            [
                _("Postponed from the session of %(date)s.") % {"date": _date(sessions.first.held_on)},
                _("The committee has not given its opinion yet."),
                _("Provisional minutes: they are signed once the session is closed."),
            ],
        )
        == []
    )


def test_building_the_minutes_costs_the_same_queries_whatever_the_agenda(
    collectivite, services, users, committee, django_assert_max_num_queries
):
    small = session(collectivite, {"dpo": fresh(users["dpo"])})
    large = session(collectivite, {"dpo": fresh(users["dpo"])}, held_on=timezone.now() - datetime.timedelta(hours=2))
    for number, meeting in enumerate([small, large, large, large]):
        review = _asked_by_the_dpo(collectivite, services, users, name=f"Usage {number}")
        item = registry.agenda_add(session=meeting, review=review, acting_user=fresh(users["dpo"]))
        registry.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="favourable")
        registry.conflict_declare(item=item, acting_user=fresh(committee["ccas"].user))
        registry.committee_opinion_record(
            item=item, acting_user=fresh(committee["chair"].user), opinion=CommitteeOpinion.FAVOURABLE
        )

    counts = []
    for meeting in (small, large):
        # 10: the session's attendance and its members' services (conflicts), and whether the secretary is the DPO.
        with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as queries:
            spec = minutes.build(_document(meeting))
        counts.append(len(queries))
        assert len(spec.context["cases"]) == meeting.items.count()
    assert counts[0] == counts[1]


def test_members_in_office_and_those_who_took_part(sessions, committee):
    # A member who left the committee after the session still appears: they gave an opinion in it
    CommitteeMember.objects.filter(pk=committee["external"].pk).update(active=False)
    context = minutes.build(_document(sessions.first)).context
    seated = {row["member"].pk: row["took_part"] for row in context["seated"]}
    assert seated == {committee["chair"].pk: True, committee["external"].pk: True, committee["ccas"].pk: True}
    assert context["chair"] == committee["chair"] and not context["provisional"]


# Who may ask for the minutes -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who, allowed",
    [
        ("dpo", True),
        ("rssi", True),
        ("dgs", True),
        ("admin", True),
        ("comite", True),  # the chair
        ("external", True),  # a member from outside the administration
        ("agent", False),
        ("chef", False),
        ("former", False),  # a member who left the committee
        ("outsider", False),
    ],
)
def test_only_those_who_see_the_committee_may_ask_for_minutes(who, allowed, collectivite, users, committee, outsider):
    meeting = session(collectivite, {"dpo": fresh(users["dpo"])})
    if who == "former":
        CommitteeMember.objects.filter(pk=committee["ccas"].pk).update(active=False)
    person = {"external": committee["external"].user, "former": committee["ccas"].user, "outsider": outsider}.get(
        who
    ) or users[who]

    def ask():
        return document_request(
            collectivite=collectivite, acting_user=fresh(person), kind="committee_minutes", session=meeting
        )

    if allowed:
        assert ask().session == meeting
    else:
        with pytest.raises(ForbiddenError):
            ask()
        assert not Document.objects.exists()


def test_a_session_of_another_collectivite_is_refused(collectivite, other_collectivite, users, outsider):
    meeting = session(collectivite, {"dpo": fresh(users["dpo"])}, held=False)
    with pytest.raises(ForbiddenError):
        document_request(
            collectivite=other_collectivite, acting_user=fresh(outsider), kind="committee_minutes", session=meeting
        )


# Who presided over a case (issue 18, item 2) ----------------------------------------------------------------------
def test_the_minutes_say_the_chair_withdrew_and_who_presided_in_her_place(collectivite, services, users, committee):
    # given the chair (Madame) declaring a conflict of interest on a case, and the vice-chair (Monsieur) recording the
    # committee's opinion on it
    chair, vice = fresh(committee["chair"].user), fresh(committee["external"].user)
    chair.first_name, chair.last_name, chair.civility = "Claire", "Martin", "madame"
    chair.save()
    vice.first_name, vice.last_name, vice.civility = "Paul", "Durand", "monsieur"
    vice.save()
    registry.committee_member_update(
        member=committee["external"], acting_user=fresh(users["dpo"]), data={"is_vice_chair": True}
    )
    meeting = session(collectivite, {"dpo": fresh(users["dpo"])})
    review = _asked_by_the_dpo(collectivite, services, users)
    item = registry.agenda_add(session=meeting, review=review, acting_user=fresh(users["dpo"]))
    registry.conflict_declare(item=item, acting_user=fresh(chair), comment="Je relis le magazine municipal.")
    registry.vote_cast(item=item, acting_user=fresh(vice), choice="favourable")
    registry.vote_cast(item=item, acting_user=fresh(committee["ccas"].user), choice="favourable")
    registry.committee_opinion_record(item=item, acting_user=fresh(vice), opinion=CommitteeOpinion.FAVOURABLE)
    registry.session_close(session=meeting, acting_user=fresh(users["dpo"]))

    # when the minutes are rendered
    spec = minutes.build(_document(meeting))
    text = pdf_text(render_pdf(spec, collectivite=collectivite, generated_at=timezone.now()).content)

    # then they say, in French agreed with each person, that the chair withdrew and who presided in her place
    expected = (
        "Claire Martin, présidente, ayant déclaré un conflit d'intérêts sur ce dossier, s'est retirée ; l'avis a été "
        "recueilli sous la présidence de Paul Durand, vice-président."
    )
    assert normalise(expected) in text
    assert normalise(titles.title(titles.VICE_CHAIR, vice)) in text  # his seat, in the attendance


def test_the_minutes_name_an_absent_chair_and_the_eldest_member_who_presided(collectivite, services, users, committee):
    chair, ccas = fresh(committee["chair"].user), fresh(committee["ccas"].user)
    chair.first_name, chair.last_name, chair.civility = "Claire", "Martin", "madame"
    chair.save()
    ccas.first_name, ccas.last_name, ccas.civility = "Lina", "Roche", "madame"
    ccas.save()
    CommitteeMember.objects.filter(pk=committee["ccas"].pk).update(birth_date=datetime.date(1958, 3, 9))
    CommitteeMember.objects.filter(pk=committee["external"].pk).update(birth_date=datetime.date(1984, 7, 1))
    meeting = session(collectivite, {"dpo": fresh(users["dpo"])}, present=[committee["external"], committee["ccas"]])
    item = registry.agenda_add(
        session=meeting, review=_asked_by_the_dpo(collectivite, services, users), acting_user=fresh(users["dpo"])
    )
    registry.vote_cast(item=item, acting_user=fresh(committee["external"].user), choice="favourable")
    registry.committee_opinion_record(item=item, acting_user=fresh(ccas), opinion=CommitteeOpinion.FAVOURABLE)

    context = minutes.build(_document(meeting)).context
    assert normalise(context["cases"][0]["presidency"]) == normalise(
        "En l'absence de Claire Martin, présidente, l'avis a été recueilli sous la présidence de Lina Roche, "
        "doyenne d'âge."
    )
