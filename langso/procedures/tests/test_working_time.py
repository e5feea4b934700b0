from datetime import date

from langso.procedures.models import Holiday, HolidayKind
from langso.procedures.working_time import WorkingCalendar, calendar, vietnam_holidays

from .conftest import local


def test_days_are_counted_from_the_submission_moment_skipping_the_weekend(db):
    cal = WorkingCalendar()
    # Friday 6 March 2026 10:00 + 3 working days = Wednesday 11 March 10:00
    assert cal.add_minutes(local(2026, 3, 6, 10, 0), 3 * 480) == local(2026, 3, 11, 10, 0)


def test_a_submission_outside_office_hours_starts_at_the_next_opening(db):
    cal = WorkingCalendar()
    # Saturday evening + 1 working day = Monday closing time
    assert cal.add_minutes(local(2026, 3, 7, 20, 0), 480) == local(2026, 3, 9, 17, 0)
    # lunch break is not working time: 11:00 + 1 hour = 13:30
    assert cal.add_minutes(local(2026, 3, 9, 11, 0), 60) == local(2026, 3, 9, 13, 30)


def test_the_seeded_calendar_skips_tet_2026(db):
    cal = calendar()
    # Friday 13 Feb 2026 9:00 + 2 working days: 16-20 Feb are Tết, so Tuesday 24 Feb 9:00
    assert cal.add_minutes(local(2026, 2, 13, 9, 0), 2 * 480) == local(2026, 2, 24, 9, 0)


def test_reunification_day_labour_day_and_national_day_are_days_off(db):
    cal = calendar()
    for day in (date(2026, 4, 30), date(2026, 5, 1), date(2026, 9, 2), date(2026, 1, 1)):
        assert not cal.is_working_day(day), day
    # Wednesday 29 April 2026 9:00 + 2 working days -> Tuesday 5 May 9:00
    assert cal.add_minutes(local(2026, 4, 29, 9, 0), 2 * 480) == local(2026, 5, 5, 9, 0)


def test_a_weekend_day_worked_in_exchange_counts_as_a_working_day(db):
    Holiday.objects.update_or_create(
        date=date(2026, 3, 7), defaults={"name": "Làm bù", "kind": HolidayKind.WORKING_DAY}
    )
    cal = calendar()
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.add_minutes(local(2026, 3, 6, 17, 0), 480) == local(2026, 3, 7, 17, 0)


def test_an_administrator_added_holiday_moves_the_deadline(db):
    before = calendar().add_minutes(local(2026, 3, 9, 9, 0), 480)
    Holiday.objects.create(date=date(2026, 3, 10), name="Nghỉ đột xuất")
    after = calendar().add_minutes(local(2026, 3, 9, 9, 0), 480)
    assert (before, after) == (local(2026, 3, 10, 9, 0), local(2026, 3, 11, 9, 0))


def test_a_remembered_deadline_is_the_one_of_its_minute_and_time_zone(db):
    from datetime import UTC, datetime

    from django.utils import timezone

    cal = WorkingCalendar()
    first = cal.add_minutes(local(2026, 3, 9, 9, 0, 10), 480)
    assert cal.add_minutes(local(2026, 3, 9, 9, 0, 50), 480) == first == local(2026, 3, 10, 9, 0)
    assert cal.add_minutes(local(2026, 3, 9, 9, 1), 480) == local(2026, 3, 10, 9, 1)
    with timezone.override("UTC"):  # the same local minute, another zone: another moment
        utc = cal.add_minutes(datetime(2026, 3, 9, 9, 0, tzinfo=UTC), 480)
    assert utc == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_working_minutes_between_two_moments_exclude_nights_lunch_and_weekends(db):
    cal = WorkingCalendar()
    assert cal.minutes_between(local(2026, 3, 6, 16, 0), local(2026, 3, 9, 8, 30)) == 120
    assert cal.minutes_between(local(2026, 3, 9, 11, 0), local(2026, 3, 9, 14, 0)) == 90
    assert cal.minutes_between(local(2026, 3, 9, 14, 0), local(2026, 3, 9, 11, 0)) == 0


def test_the_holidays_package_gives_substitute_working_days():
    rows = vietnam_holidays([2025])
    assert (date(2025, 4, 26), "Làm bù cho ngày 02/05/2025", HolidayKind.WORKING_DAY) in rows
    assert any(d == date(2025, 1, 29) and k == HolidayKind.DAY_OFF for d, _n, k in rows)
