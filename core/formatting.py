"""Template filters and helpers: dates and times in Europe/Oslo for the chosen language."""
from datetime import date, datetime

from flask_babel import format_date, format_datetime


def long_date(value: date | datetime | None) -> str:
    """12. mars 2026"""
    return format_date(value, "long") if value else ""


def month_name(month: date) -> str:
    """A month as the reader's language names it ("desember 2026")."""
    return format_date(month, "LLLL y")


def date_time(value: datetime | None) -> str:
    """12. mars 2026, 14:03 in Oslo time."""
    return format_datetime(value, "d. MMMM y, HH:mm") if value else ""


def iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


FILTERS = {"long_date": long_date, "date_time": date_time, "iso": iso}
