"""The deadline: one month after the receipt, carried to the next working day (French calendar)."""

import datetime

import pytest
from django.utils import timezone

from .factories import make_request

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (datetime.date(2026, 3, 10), datetime.date(2026, 4, 10)),  # a Friday
        (datetime.date(2026, 1, 31), datetime.date(2026, 3, 2)),  # 28 February 2026 is a Saturday
        (datetime.date(2026, 4, 14), datetime.date(2026, 5, 15)),  # 14 May 2026 is Ascension Day
        (datetime.date(2026, 6, 14), datetime.date(2026, 7, 15)),  # 14 July, Fête nationale
    ],
)
def test_the_deadline_is_one_month_on_the_french_calendar(collectivite, received, deadline):
    request, _token = make_request(collectivite, received_at=_at(received))
    assert request.received_on == received
    assert request.deadline == deadline


def test_references_are_numbered_per_collectivite_and_year(collectivite, other_collectivite):
    first, _ = make_request(collectivite, received_at=_at(datetime.date(2026, 3, 10)))
    second, _ = make_request(collectivite, received_at=_at(datetime.date(2026, 3, 11)))
    elsewhere, _ = make_request(other_collectivite, received_at=_at(datetime.date(2026, 3, 11)))
    assert (first.reference, second.reference, elsewhere.reference) == (
        "EXP-2026-0001",
        "EXP-2026-0002",
        "EXP-2026-0001",
    )
