"""The committee's rules of procedure in the browser: the secretary opens a session on its date with the attendance,
a session to come cannot be opened, and each case shows its quorum and its votes; titles agree with the person."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.choices import Civility, SessionStatus
from registry.models import Attendance
from tests.registry import reviews_support as rs
from tests.registry.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"[\s\u202f\u00a0]+", " ", unescape(response.content.decode()))


@pytest.fixture
def waiting(collectivite, services, users, committee):
    use_case = UseCaseFactory(collectivite=collectivite, service=services["logement"], owner=users["chef"])
    return rs.both_opinions(rs.submit(use_case), users, ask_committee=True)


def test_a_session_to_come_shows_no_opening_and_no_opinion_form(collectivite, users, committee, waiting, client_for):
    planned = rs.session(collectivite, users, held=False, held_on=timezone.now() + datetime.timedelta(days=30))
    rs.to_agenda(waiting, users, planned)
    url = reverse("registry:committee_session", args=[planned.pk])

    secretariat = text_of(client_for(users["dpo"]).get(url))
    chair = text_of(client_for(users["comite"]).get(url))

    assert 'id="session-open"' not in secretariat and "data-not-held" in secretariat
    assert "n'a pas encore eu lieu" in secretariat
    assert reverse("registry:committee_opinion", args=[planned.items.get().pk]) not in chair
    # Opening it anyway is refused with the reason, and nothing changes.
    response = client_for(users["dpo"]).post(reverse("registry:committee_session_open", args=[planned.pk]), follow=True)
    assert "ne peut être ouverte qu'à cette date" in text_of(response)
    planned.refresh_from_db()
    assert planned.status == SessionStatus.PLANNED


def test_the_secretary_opens_a_session_with_the_attendance_and_the_quorum_shows(
    collectivite, users, committee, waiting, client_for
):
    # given a session that starts now, with a case on its agenda
    planned = rs.session(collectivite, users, held=False, held_on=timezone.now() - datetime.timedelta(minutes=5))
    item = rs.to_agenda(waiting, users, planned)
    url = reverse("registry:committee_session", args=[planned.pk])
    assert 'id="session-open"' in text_of(client_for(users["dpo"]).get(url))

    # when the DPO opens it with the chair alone present
    response = client_for(users["dpo"]).post(
        reverse("registry:committee_session_open", args=[planned.pk]), {"present": [committee["chair"].pk]}
    )

    # then the session is in progress, the attendance recorded, and the case shows its quorum not met
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == SessionStatus.OPEN and planned.secretary == users["dpo"]
    assert Attendance.objects.filter(session=planned, present=True).count() == 1
    page = text_of(client_for(users["comite"]).get(url))
    assert 'data-item-quorum="not-met"' in page
    assert "1 membre présent sans conflit d'intérêts, 2 requis" in page
    # the chair's opinion is refused with the figures, next to nothing recorded
    refused = client_for(users["comite"]).post(
        reverse("registry:committee_opinion", args=[item.pk]), {"opinion": "favourable"}, follow=True
    )
    assert "Le quorum n'est pas atteint : 1 membre présent sans conflit d'intérêts, 2 requis." in text_of(refused)
    item.refresh_from_db()
    assert item.opinion == ""


def test_an_absent_member_is_told_to_have_their_presence_recorded(collectivite, users, committee, waiting, client_for):
    held = rs.session(collectivite, users, present=[committee["chair"], committee["ccas"]])
    rs.to_agenda(waiting, users, held)
    page = text_of(client_for(committee["external"].user).get(reverse("registry:committee_session", args=[held.pk])))
    assert "data-absent" in page and "Votre présence à cette séance n'est pas enregistrée" in page


def test_the_chairs_title_agrees_with_her(collectivite, users, committee, client_for):
    users["comite"].civility = Civility.MADAME
    users["comite"].save(update_fields=["civility"])
    page = text_of(client_for(users["dpo"]).get(reverse("registry:committee")))
    row = re.search(rf'<tr id="member-{committee["chair"].pk}".*?</tr>', page, re.S).group(0)
    assert "Présidente" in row
    users["comite"].civility = ""
    users["comite"].save(update_fields=["civility"])
    page = text_of(client_for(users["dpo"]).get(reverse("registry:committee")))
    row = re.search(rf'<tr id="member-{committee["chair"].pk}".*?</tr>', page, re.S).group(0)
    assert "Présidence" in row and "Présidente" not in row
