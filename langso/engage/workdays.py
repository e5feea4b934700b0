"""Deadlines in working days, from the one calendar procedures keeps (the `Holiday` rows an
official corrects, weekend days worked in exchange): docs/architecture.md."""

from datetime import date

from langso.procedures.queries import working_days_after


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the day of receipt does not count)."""
    return working_days_after(start, days)
