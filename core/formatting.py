"""Template filters: dates and times in Europe/Oslo for the chosen language, and labels."""
from datetime import date, datetime

from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from accounts.models import ServiceKind
from pathways.models import InputKind

SERVICE_KINDS = {
    ServiceKind.BUP: _l("BUP"),
    ServiceKind.SCHOOL_HEALTH: _l("School health service"),
    ServiceKind.PPT: _l("PPT"),
    ServiceKind.CHILD_WELFARE: _l("Child welfare service"),
    ServiceKind.GP: _l("GP"),
    ServiceKind.OTHER: _l("Other service"),
}


INPUT_KINDS = {
    InputKind.STATEMENT: _l("Statement %(id)s"),
    InputKind.PREPARATION: _l("Preparation %(id)s"),
    InputKind.COMMENT: _l("Comment on a measure %(id)s"),
    InputKind.ANSWER: _l("Answer to an agreement %(id)s"),
    InputKind.WISH: _l("Wish for a coordinator %(id)s"),
    InputKind.FEEDBACK: _l("Feedback %(id)s"),
}


def long_date(value: date | datetime | None) -> str:
    """12. mars 2026"""
    return format_date(value, "long") if value else ""


def date_time(value: datetime | None) -> str:
    """12. mars 2026, 14:03 in Oslo time."""
    return format_datetime(value, "d. MMMM y, HH:mm") if value else ""


def iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


def service_kind(kind: ServiceKind) -> str:
    return str(SERVICE_KINDS[kind])


def input_kind(kind: InputKind, item_id: int) -> str:
    """Which of the family's input was read, by kind and number (the admin's access log)."""
    return str(INPUT_KINDS[InputKind(kind)]) % {"id": item_id}


FILTERS = {"long_date": long_date, "date_time": date_time, "iso": iso, "service_kind": service_kind,
           "input_kind": input_kind}
