"""Working-time arithmetic: deadlines in working days and working hours.

A working day is Monday-Friday, minus the days off recorded in `Holiday`, plus the weekend
days recorded as worked in exchange. Office hours are two periods (morning and afternoon),
8 working hours a day. A deadline of N working days is N x 8 working hours added to the
moment the clock starts: a dossier received on Friday at 10:00 with 3 working days is due
on Wednesday at 10:00; one received before opening time is due at closing time.
"""

import re
import time as time_module
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

# Office hours of a commune's one-stop desk; settings.LANGSO_OFFICE_HOURS may override.
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)
MINUTES_PER_DAY = 8 * 60
RECEIPT_LIMIT_MINUTES = 8 * 60  # Decree 45/2020: confirm or ask for supplements within 8 h
_MAX_DAYS = 3 * 366


def office_hours() -> tuple[tuple[time, time], ...]:
    return tuple(getattr(settings, "LANGSO_OFFICE_HOURS", DEFAULT_OFFICE_HOURS))


_MEMO_SIZE = 1024  # deadlines remembered per calendar (they repeat within a minute)


@dataclass
class WorkingCalendar:
    """Not changed once made: a change of the days off makes a new calendar (`calendar()`),
    so each calendar may remember the deadlines it computed."""

    days_off: set[date] = field(default_factory=set)
    working_weekend_days: set[date] = field(default_factory=set)
    periods: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
    _deadlines: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls) -> "WorkingCalendar":
        from .models import Holiday, HolidayKind

        off: set[date] = set()
        worked: set[date] = set()
        for day, kind in Holiday.objects.values_list("date", "kind"):
            (worked if kind == HolidayKind.WORKING_DAY else off).add(day)
        return cls(days_off=off, working_weekend_days=worked, periods=office_hours())

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def add_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (the day of receipt does not count)."""
        current = start
        for _ in range(_MAX_DAYS):
            if days <= 0:
                return current
            current += timedelta(days=1)
            if self.is_working_day(current):
                days -= 1
        raise ValueError("Working-time calendar exhausted")

    def _local(self, moment: datetime) -> datetime:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.replace(tzinfo=None, second=0, microsecond=0)

    def _aware(self, naive: datetime) -> datetime:
        return timezone.make_aware(naive)

    def add_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` working minutes after `start`. Every submission of a minute
        asks the same two: the answer is remembered, per local minute and time zone."""
        current = self._local(start)
        key = (current, minutes, timezone.get_current_timezone_name())
        found = self._deadlines.get(key)
        if found is None:
            if len(self._deadlines) >= _MEMO_SIZE:
                self._deadlines.clear()
            found = self._deadlines[key] = self._add_minutes(current, minutes)
        return found

    def _add_minutes(self, current: datetime, minutes: int) -> datetime:
        remaining = max(0, int(minutes))
        day = current.date()
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                for opens, closes in self.periods:
                    begin = max(current, datetime.combine(day, opens))
                    end = datetime.combine(day, closes)
                    if begin >= end:
                        continue
                    available = int((end - begin).total_seconds() // 60)
                    if remaining <= available:
                        return self._aware(begin + timedelta(minutes=remaining))
                    remaining -= available
            day += timedelta(days=1)
            current = datetime.combine(day, time.min)
        raise ValueError("Working-time calendar exhausted")

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes in [start, end)."""
        a, b = self._local(start), self._local(end)
        if b <= a:
            return 0
        total = 0
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                for opens, closes in self.periods:
                    lo = max(a, datetime.combine(day, opens))
                    hi = min(b, datetime.combine(day, closes))
                    if hi > lo:
                        total += int((hi - lo).total_seconds() // 60)
            day += timedelta(days=1)
        return total

    def working_days_after(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (used for display and tests)."""
        for _ in range(_MAX_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
                if count <= 0:
                    return day
        raise ValueError("Working-time calendar exhausted")


_cache: dict[str, tuple[float, WorkingCalendar]] = {}
CACHE_SECONDS = 60.0


def calendar() -> WorkingCalendar:
    """The working calendar, cached in the process for a minute (emptied at once when a
    Holiday row is saved or deleted in this process)."""
    cached = _cache.get("calendar")
    if cached is not None and time_module.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    fresh = WorkingCalendar.load()
    _cache["calendar"] = (time_module.monotonic(), fresh)
    return fresh


def forget_calendar(**_kwargs) -> None:
    _cache.clear()


_SUBSTITUTE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def vietnam_holidays(years: Iterable[int]) -> list[tuple[date, str, str]]:
    """Public holidays of Vietnam from the `holidays` package, in Vietnamese, with the
    weekend days worked in exchange for a bridge day ("nghỉ thay cho ngày 26/04")."""
    import holidays as holidays_pkg

    from .models import HolidayKind

    rows: list[tuple[date, str, str]] = []
    calendar_vn = holidays_pkg.country_holidays("VN", years=list(years), language="vi")
    for day, name in sorted(calendar_vn.items()):
        rows.append((day, name, HolidayKind.DAY_OFF))
        if "thay cho" in name:
            match = _SUBSTITUTE.search(name)
            if match:
                d, m, y = (int(g) for g in match.groups())
                rows.append(
                    (date(y, m, d), f"Làm bù cho ngày {day:%d/%m/%Y}", HolidayKind.WORKING_DAY)
                )
    return rows
