import datetime

from core.calendar import days_later, is_working_day, months_later, next_working_day

D = datetime.date


def test_a_month_later_keeps_the_day_of_the_month():
    assert months_later(D(2026, 3, 10), 1) == D(2026, 4, 10)  # a Friday


def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month():
    assert months_later(D(2027, 1, 29), 1) == D(2027, 3, 1)  # 28 February 2027 is a Sunday: Monday 1 March
    assert months_later(D(2026, 3, 31), 1) == D(2026, 4, 30)


def test_a_time_limit_ending_on_a_weekend_runs_to_the_monday():
    assert months_later(D(2026, 9, 12), 1) == D(2026, 10, 12)  # 12 October 2026 is a Monday
    assert months_later(D(2026, 9, 10), 1) == D(2026, 10, 12)  # Saturday 10 October: Monday 12


def test_a_time_limit_ending_on_a_public_holiday_runs_to_the_next_working_day():
    assert not is_working_day(D(2026, 12, 25))
    assert months_later(D(2026, 11, 25), 1) == D(2026, 12, 28)  # Friday 25 December, then the weekend
    assert next_working_day(D(2026, 5, 14)) == D(2026, 5, 15)  # Ascension Thursday
    assert days_later(D(2026, 4, 21), 15) == D(2026, 5, 6)
