"""Anonymity of shadow-AI declarations (issue 18, items 4 and 5).

A submission key is bound to whoever first sent it (a keyed hash, never the author): a double submit finds the
declaration again, anyone else resending the key learns nothing of it. An anonymous declaration and its history keep
the date only, never the time of day (the security journal shows each sign-in to the second): in the database, the
pages, the API, the e-mails and the order of the lists.
"""

import datetime as dt
import importlib
import re
import uuid
import zoneinfo
from html import unescape
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.urls import reverse

from core.access import get_access
from core.errors import ConflictError
from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from declarations.notifications import anonymous_declaration_alerts_send, declaration_event_notify
from declarations.selectors import declaration_queue
from registry.models import Tool
from tests.declarations.support import breach_answers, breach_form

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# A Tuesday afternoon, to the second: what must not be found anywhere for an anonymous declaration.
AFTERNOON = dt.datetime(2026, 3, 3, 14, 37, 12, tzinfo=PARIS)
MIDNIGHT = dt.datetime(2026, 3, 3, tzinfo=PARIS)
NEXT_MORNING = dt.datetime(2026, 3, 4, 7, 5, tzinfo=PARIS)
# 14:37 in Paris (13:37 UTC), in any of the ways a page, a JSON body or an e-mail could write it.
TIME_OF_DAY = re.compile(r"1[34](:|\s?h\s?)37")
CREATE_URL = reverse("registry:declaration_create")


def _answers(**overrides):
    """Health data pasted into a personal account: a possible breach, with an alert to the DPO."""
    return breach_answers(**overrides)


def _submit(collectivite, user, *, anonymous=True, key=None, session_key=None, **overrides):
    return declaration_services.declaration_submit(
        collectivite=collectivite,
        acting_user=user,
        data=_answers(**overrides),
        anonymous=anonymous,
        submission_key=key or uuid.uuid4(),
        session_key=session_key,
    )


def _form(key, **overrides):
    return breach_form(key, **{"identity": "anonymous", **overrides})


def _text(response) -> str:
    return unescape(response.content.decode())


# Item 4: a submission key belongs to whoever first sent it --------------------------------------------------------


def test_a_colleague_resending_an_anonymous_declarations_key_learns_nothing(collectivite, users):
    key = uuid.uuid4()
    declaration, _created = _submit(collectivite, users["agent"], key=key, session_key="agent-session")

    with pytest.raises(ConflictError) as refused:
        _submit(collectivite, users["chef"], key=key, session_key="chef-session", tasks="Autre chose")

    assert declaration.reference not in str(refused.value.message)
    assert Declaration.objects.count() == 1


def test_the_same_browser_sending_an_anonymous_form_twice_finds_its_declaration(collectivite, users):
    key = uuid.uuid4()
    first, created = _submit(collectivite, users["agent"], key=key, session_key="agent-session")
    again, created_again = _submit(collectivite, users["agent"], key=key, session_key="agent-session")
    assert (created, created_again) == (True, False) and again.pk == first.pk


def test_an_anonymous_key_is_bound_to_the_session_not_to_the_account(collectivite, users):
    # the same account, from another browser session, is not told which declaration the key made
    key = uuid.uuid4()
    _submit(collectivite, users["agent"], key=key, session_key="first-session")
    with pytest.raises(ConflictError):
        _submit(collectivite, users["agent"], key=key, session_key="second-session")


def test_the_stored_digest_names_nobody_and_does_not_link_two_declarations_of_one_agent(collectivite, users):
    agent = users["agent"]
    one, _created = _submit(collectivite, agent)
    two, _created = _submit(collectivite, agent)
    for declaration in (one, two):
        assert re.fullmatch(r"[0-9a-f]{64}", declaration.submitter_digest)
        assert str(agent.pk) != declaration.submitter_digest and agent.username not in declaration.submitter_digest
    assert one.submitter_digest != two.submitter_digest


def test_a_named_declaration_made_before_the_digest_is_found_again_by_its_author_only(collectivite, users):
    key = uuid.uuid4()
    declaration, _created = _submit(collectivite, users["agent"], anonymous=False, key=key)
    Declaration.objects.filter(pk=declaration.pk).update(submitter_digest="")
    assert _submit(collectivite, users["agent"], anonymous=False, key=key)[0].pk == declaration.pk
    with pytest.raises(ConflictError):
        _submit(collectivite, users["chef"], anonymous=False, key=key)


def test_an_anonymous_declaration_made_before_the_digest_is_returned_to_nobody(collectivite, users):
    key = uuid.uuid4()
    declaration, _created = _submit(collectivite, users["agent"], key=key)
    Declaration.objects.filter(pk=declaration.pk).update(submitter_digest="")
    for user in (users["agent"], users["chef"]):
        with pytest.raises(ConflictError):
            _submit(collectivite, user, key=key)


def test_the_web_form_resent_by_someone_else_with_an_anonymous_key_shows_a_new_form(client_for, users):
    key = uuid.uuid4()
    author = client_for(users["agent"])
    first = author.post(CREATE_URL, _form(key))
    declaration = Declaration.objects.get()
    assert first.status_code == 302 and declaration.follow_up_code in first.url

    response = client_for(users["chef"]).post(CREATE_URL, _form(key, tasks="Traduire"))

    assert response.status_code == 409 and "Location" not in response
    html = _text(response)
    assert declaration.follow_up_code not in html and declaration.reference not in html
    assert f'value="{key}"' not in html
    assert "Résumer des dossiers" not in html  # the author's answers
    assert Declaration.objects.count() == 1


def test_the_author_double_submitting_the_anonymous_web_form_lands_on_its_follow_up_page(client_for, users):
    key = uuid.uuid4()
    client = client_for(users["agent"])
    first = client.post(CREATE_URL, _form(key))
    second = client.post(CREATE_URL, _form(key))
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Declaration.objects.count() == 1


# Item 5: the date only, never the time of day --------------------------------------------------------------------


def test_an_anonymous_declaration_and_its_history_keep_the_date_only(collectivite, users):
    with time_machine.travel(AFTERNOON, tick=False):
        declaration, _created = _submit(collectivite, users["agent"])
        declaration_services.declaration_start_analysis(declaration=declaration, acting_user=users["dpo"])
        declaration_services.declaration_assess_breach(
            declaration=declaration, acting_user=users["dpo"], outcome="not_a_breach", notes="Données fictives."
        )
        declaration_services.declaration_close(declaration=declaration, acting_user=users["dpo"], message="Merci.")

    declaration.refresh_from_db()
    for name in ("created_at", "updated_at", "answered_at", "breach_assessed_at"):
        assert getattr(declaration, name) == MIDNIGHT, name
    # the 72 hours are counted from the start of the day: a date, and never later than the true deadline
    assert declaration.breach_deadline == dt.datetime(2026, 3, 6, tzinfo=PARIS)
    assert {event.created_at for event in declaration.events.all()} == {MIDNIGHT}
    # a tool first seen in it enters the catalogue dated to the day only
    assert Tool.objects.get(name="ChatGPT").created_at == MIDNIGHT


def test_a_named_declaration_keeps_its_time(collectivite, users):
    with time_machine.travel(AFTERNOON, tick=False):
        declaration, _created = _submit(collectivite, users["agent"], anonymous=False)
    assert declaration.created_at == AFTERNOON and declaration.events.get().created_at == AFTERNOON


def test_anonymous_references_are_random_and_named_ones_keep_their_sequence(collectivite, users):
    named_first, _created = _submit(collectivite, users["agent"], anonymous=False)
    anonymous, _created = _submit(collectivite, users["agent"])
    named_second, _created = _submit(collectivite, users["agent"], anonymous=False)
    year = dt.date.today().year
    assert (named_first.reference, named_second.reference) == (f"DEC-{year}-0001", f"DEC-{year}-0002")
    # no number between two named declarations that would tell when it was made
    assert re.fullmatch(rf"DEC-{year}-A[A-Z2-9]{{6}}", anonymous.reference)


def test_the_queue_orders_a_days_anonymous_declarations_by_reference_not_by_when_they_were_made(collectivite, users):
    with time_machine.travel(AFTERNOON, tick=False):
        made = [_submit(collectivite, users["agent"])[0] for _i in range(3)]
    # references whose order runs against the order the declarations were made in
    for declaration, reference in zip(made, ("DEC-2026-AZZZZZ", "DEC-2026-AMMMMM", "DEC-2026-AAAAAA"), strict=True):
        Declaration.objects.filter(pk=declaration.pk).update(reference=reference)
    queue = list(declaration_queue(users["dpo"], get_access(users["dpo"], collectivite)))
    assert [d.pk for d in queue] == [d.pk for d in made]  # by reference, not the latest made first


def test_the_triage_and_follow_up_pages_show_no_time_of_day(client_for, collectivite, users):
    with time_machine.travel(AFTERNOON, tick=False):
        declaration, _created = _submit(collectivite, users["agent"])
        declaration_services.declaration_ask_to_stop(
            declaration=declaration, acting_user=users["dpo"], message="Arrêtez, merci."
        )
    dpo = client_for(users["dpo"])
    pages = {
        "triage": dpo.get(reverse("registry:declaration_triage", args=[declaration.pk])),
        "queue": dpo.get(reverse("registry:declaration_queue")),
        "dashboard": dpo.get(reverse("registry:home")),
        "follow-up": client_for(users["agent"]).get(
            reverse("registry:declaration_follow_up", args=[declaration.follow_up_code])
        ),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = _text(response)
        assert not TIME_OF_DAY.search(html), name
        assert "T00:00" not in html and "00:00" not in html, name  # dates, not midnight
    assert "3 mars 2026" in _text(pages["triage"])


def test_the_alert_of_an_anonymous_declaration_leaves_the_next_day_without_a_time(
    collectivite, users, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with time_machine.travel(AFTERNOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            declaration, _created = _submit(collectivite, users["agent"])
        event = declaration.events.get()
        # not sent the day it was made, whoever asks for it (a sweep, a retry)
        assert declaration_event_notify(event_id=event.pk) == 0
        assert anonymous_declaration_alerts_send() == 0
    assert mail.outbox == []

    with time_machine.travel(NEXT_MORNING, tick=False):
        sent = anonymous_declaration_alerts_send()
        assert anonymous_declaration_alerts_send() == 0  # once

    assert sent >= 1 and len(mail.outbox) == sent
    message = mail.outbox[0]
    assert declaration.reference in message.subject
    assert not TIME_OF_DAY.search(message.subject + message.body) and "00:00" not in message.body
    assert "6 mars 2026" in message.body  # the deadline, as a date
    assert DeclarationEvent.objects.get(pk=event.pk).notified_at is not None


def test_the_alert_of_a_named_declaration_still_leaves_at_once(collectivite, users, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(collectivite, users["agent"], anonymous=False)
    assert len(mail.outbox) >= 1


def test_the_data_migration_keeps_the_date_only_of_existing_anonymous_declarations(collectivite, users):
    migration = importlib.import_module("registry.migrations.0017_declaration_anonymity")
    anonymous, _created = _submit(collectivite, users["agent"])
    named, _created = _submit(collectivite, users["agent"], anonymous=False)
    # as they were stored before: to the second
    Declaration.objects.update(
        created_at=AFTERNOON, updated_at=AFTERNOON, breach_deadline=AFTERNOON + dt.timedelta(hours=72)
    )
    DeclarationEvent.objects.update(created_at=AFTERNOON, notified_at=AFTERNOON)

    # The declaration models the migration asks `registry` for now live in `declarations`, on the same tables.
    moved = {"Declaration": Declaration, "DeclarationEvent": DeclarationEvent}
    release_apps = SimpleNamespace(get_model=lambda app_label, name: moved.get(name) or apps.get_model(app_label, name))
    migration.keep_date_only(release_apps, None)

    anonymous.refresh_from_db()
    named.refresh_from_db()
    assert (anonymous.created_at, anonymous.updated_at) == (MIDNIGHT, MIDNIGHT)
    assert anonymous.breach_deadline == dt.datetime(2026, 3, 6, tzinfo=PARIS)
    assert anonymous.events.get().created_at == MIDNIGHT and anonymous.events.get().notified_at == MIDNIGHT
    # named declarations are left as they were
    assert named.created_at == AFTERNOON and named.events.get().created_at == AFTERNOON
