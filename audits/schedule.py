"""When a checkpoint is due: pure date arithmetic on the collectivité's calendar (Europe/Paris)."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from registry.choices import LIVE_STATUSES

PERIODS = {
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
    "yearly": relativedelta(years=1),
}
DUE_SOON_DAYS = 7


def controls_run(use_case) -> bool:
    """A use case's controls run only while it is live (approved or in production): before its approval there is
    nothing in service to check, and a suspended, rejected or retired use runs no more. No rate, no attestation,
    no due date counts outside."""
    return use_case.status in LIVE_STATUSES


def next_due(start: date, frequency: str) -> date | None:
    """The next due date one period after `start`; a control made at each use has no schedule."""
    period = PERIODS.get(frequency)
    return start + period if period else None


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today


def is_due_soon(due: date | None, today: date) -> bool:
    return due is not None and today <= due <= today + timedelta(days=DUE_SOON_DAYS)


def weeks_overdue(due: date, today: date) -> int:
    """0 in the first week of lateness, 1 in the second...: one overdue reminder a week."""
    return max((today - due).days, 0) // 7
