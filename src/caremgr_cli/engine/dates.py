"""Calendar months, shared by the engine's projections and the cohort summary's "within 6 and
12 months". Plain Python: the summary imports it without loading the engine's models."""

from __future__ import annotations

from datetime import date, timedelta


def shift_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the end of a shorter month;
    ValueError past the end of the calendar (year 9999)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, days_in(year, month)))


def days_in(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day
