"""Deadlines on the French calendar: a time limit counted in months or days that ends on a Saturday, a Sunday or a
public holiday runs to the next working day (art. 642 of the code de procédure civile, which the Conseil d'État
applies to administrative time limits). Public holidays come from the `holidays` package (metropolitan France)."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.France(years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def months_later(start: datetime.date, months: int) -> datetime.date:
    """The time limit of `months` months from `start`: the same day of the month `months` later (the month's last
    day when it has no such day: 31 January + 1 month gives 28 or 29 February), carried to the next working day."""
    return next_working_day(start + relativedelta(months=months))


def days_later(start: datetime.date, days: int) -> datetime.date:
    """The time limit of `days` days from `start`, carried to the next working day."""
    return next_working_day(start + datetime.timedelta(days=days))
