"""Date helpers shared by the rules: parsing, ages, calendar months."""

from __future__ import annotations

import calendar
from datetime import date, datetime


def to_date(value: date | str | None) -> date | None:
    """Accept a `date`, a `datetime` or an ISO string (``YYYY-MM-DD``, time part ignored); None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise TypeError(f"not a date: {value!r}")


def age_on(birth: date | str | None, on: date) -> int | None:
    """Age in full years at `on` (None when the birth date is unknown)."""
    born = to_date(birth)
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def months_between(start: date | str, end: date) -> int:
    """Full calendar months elapsed from `start` to `end` (0 if `end` is before `start`).

    A month is complete on the same day number of a later month; from the 31st, the last day of a shorter
    month completes it (31 Jan -> 28 Feb is one month).
    """
    begin = to_date(start)
    if begin is None or end < begin:
        return 0
    months = (end.year - begin.year) * 12 + (end.month - begin.month)
    if add_months(begin, months) > end:
        months -= 1
    return max(months, 0)


def add_months(start: date, months: int) -> date:
    """`start` shifted by `months` calendar months, clamped to the last day of the target month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))
