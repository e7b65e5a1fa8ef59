"""The ids of shadow-AI declarations and of their events say nothing of when they were made (issue 18, item 5).

A sequential id would let the named declarations just before and after an anonymous one (whose times are exact)
bracket when it was made. Every new declaration, named or anonymous, takes a random id in [2**31, 2**53) (exact in
JSON); the events of one declaration take random ids that increase, so that its history keeps its order within a day.
"""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from core.validators import as_id
from declarations import models as declaration_models
from declarations import services as declaration_services
from declarations.models import Declaration, DeclarationEvent
from declarations.random_ids import RANDOM_ID_MAX, RANDOM_ID_MIN
from demo.loaders.synthetic import add_declarations
from reporting.statistics import recent_declarations
from tests.declarations.support import breach_answers

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
AFTERNOON = dt.datetime(2026, 3, 3, 14, 37, 12, tzinfo=PARIS)
# Two ids drawn at random in [2**31, 2**53) are this close with a chance of about one in 2**32.
FAR = 2**20


def _submit(collectivite, user, *, anonymous=True, **overrides):
    data = breach_answers(**overrides)
    declaration, _created = declaration_services.declaration_submit(
        collectivite=collectivite, acting_user=user, data=data, anonymous=anonymous, submission_key=uuid.uuid4()
    )
    return declaration


def _draw(monkeypatch, *ids):
    """The next declarations take these ids, in turn."""
    draws = iter(ids)
    monkeypatch.setattr(declaration_models, "random_id", lambda: next(draws))


def _in_range(pk: int) -> bool:
    return RANDOM_ID_MIN <= pk < RANDOM_ID_MAX


def test_declaration_ids_do_not_reveal_the_order_of_submission(collectivite, users):
    made = [_submit(collectivite, users["agent"], anonymous=n % 2 == 1) for n in range(6)]  # named, anonymous, …
    ids = [declaration.pk for declaration in made]
    assert all(_in_range(pk) for pk in ids), ids
    # sequential ids would follow each other; random ones are far apart, in no particular order
    assert not any(later == earlier + 1 for earlier, later in zip(ids, ids[1:], strict=False)), ids
    assert all(abs(later - earlier) > FAR for earlier, later in zip(ids, ids[1:], strict=False)), ids
    assert len(set(ids)) == len(ids)


def test_declaration_events_ids_are_random_and_keep_a_days_history_in_order(collectivite, users):
    with time_machine.travel(AFTERNOON, tick=False):
        anonymous = _submit(collectivite, users["agent"])
        named = _submit(collectivite, users["agent"], anonymous=False)
        declaration_services.declaration_start_analysis(declaration=anonymous, acting_user=users["dpo"])
        declaration_services.declaration_ask_to_stop(
            declaration=anonymous, acting_user=users["dpo"], message="Arrêtez, merci."
        )
        declaration_services.declaration_close(declaration=anonymous, acting_user=users["dpo"], message="Merci.")

    events = list(anonymous.events.all())
    # all at midnight, still in the order they happened
    assert [event.kind for event in events] == ["submitted", "analysing", "to_stop", "closed"]
    assert all(_in_range(event.pk) for event in events)
    named_event = named.events.get()
    assert _in_range(named_event.pk)
    # the named declaration's event, recorded between two of the anonymous one's, is nowhere near them
    assert all(abs(event.pk - named_event.pk) > FAR for event in events)


def test_declarations_and_events_added_in_bulk_take_random_ids(collectivite, users, tool):
    add_declarations(collectivite, 8, acting_user=users["dpo"])
    ids = sorted(Declaration.objects.filter(collectivite=collectivite).values_list("pk", flat=True))
    assert len(ids) == 8 and all(_in_range(pk) for pk in ids)
    assert all(later - earlier > FAR for earlier, later in zip(ids, ids[1:], strict=False)), ids
    assert all(_in_range(pk) for pk in DeclarationEvent.objects.values_list("pk", flat=True))
    # the next one made through the service too (with AUTOINCREMENT, an automatic id would be the largest plus one)
    following = _submit(collectivite, users["agent"], anonymous=False)
    assert _in_range(following.pk) and following.pk != max(ids) + 1


def test_a_random_id_already_taken_is_drawn_again(collectivite, users, monkeypatch):
    first = _submit(collectivite, users["agent"], anonymous=False)
    _draw(monkeypatch, first.pk, first.pk, RANDOM_ID_MAX - 1)
    second = _submit(collectivite, users["agent"])
    assert second.pk == RANDOM_ID_MAX - 1
    assert Declaration.objects.count() == 2 and second.events.count() == 1


def test_a_declaration_with_a_random_id_opens_in_the_triage_page_the_api_and_the_regularisation(
    client_for, collectivite, users
):
    declaration = _submit(collectivite, users["agent"])
    assert as_id(str(RANDOM_ID_MAX - 1)) == RANDOM_ID_MAX - 1
    client = client_for(users["dpo"])
    assert client.get(reverse("registry:declaration_triage", args=[declaration.pk])).status_code == 200
    response = client.get(f"/api/v1/declarations/{declaration.pk}/")
    assert response.status_code == 200 and response.json()["id"] == declaration.pk
    queue = client.get(reverse("registry:declaration_queue"))
    assert f'value="{declaration.pk}"' in queue.content.decode()
    response = client.post(reverse("registry:declaration_regularise"), {"declarations": [str(declaration.pk)]})
    assert response.status_code in (200, 302)
    assert "Choose at least one declaration" not in response.content.decode()


def test_the_latest_declarations_order_a_days_anonymous_ones_by_reference_not_by_id(collectivite, users, monkeypatch):
    _draw(monkeypatch, 3 * 2**40, 2 * 2**40, 2**40)
    with time_machine.travel(AFTERNOON, tick=False):
        made = [_submit(collectivite, users["agent"]) for _n in range(3)]
    # by id, the first made would come first; by reference, the last
    for declaration, reference in zip(made, ("DEC-2026-AAAAAA", "DEC-2026-AMMMMM", "DEC-2026-AZZZZZ"), strict=True):
        Declaration.objects.filter(pk=declaration.pk).update(reference=reference)
    expected = ["DEC-2026-AZZZZZ", "DEC-2026-AMMMMM", "DEC-2026-AAAAAA"]
    assert [d.reference for d in recent_declarations(collectivite.pk)] == expected


def test_the_api_sorted_by_date_orders_a_days_anonymous_declarations_by_reference(
    client_for, collectivite, users, monkeypatch
):
    _draw(monkeypatch, 3 * 2**40, 2 * 2**40, 2**40)  # by id, the first made would come first
    with time_machine.travel(AFTERNOON, tick=False):
        made = [_submit(collectivite, users["agent"]) for _n in range(3)]
    for declaration, reference in zip(made, ("DEC-2026-AAAAAA", "DEC-2026-AMMMMM", "DEC-2026-AZZZZZ"), strict=True):
        Declaration.objects.filter(pk=declaration.pk).update(reference=reference)
    response = client_for(users["dpo"]).get("/api/v1/declarations/", {"ordering": "created_at"})
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["reference"] for row in rows] == ["DEC-2026-AZZZZZ", "DEC-2026-AMMMMM", "DEC-2026-AAAAAA"]
