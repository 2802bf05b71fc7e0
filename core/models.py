"""Column types shared by the models, and a list of rows to query against."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores UTC without a zone (SQLite has none) and always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


OSLO = ZoneInfo("Europe/Oslo")


def today_in_oslo() -> date:
    """Today's date where the young people live: ages and deadlines count from it."""
    return utcnow().astimezone(OSLO).date()


def values_cte(name: str, columns: dict[str, str], rows: list[tuple]) -> tuple[str, dict]:
    """`name (columns) AS (VALUES ...)` for a WITH clause, each value a bound parameter cast to its
    column's SQL type (`columns`: name -> type): a list of wanted rows that a query joins against,
    the same in SQLite and PostgreSQL. Returns the clause and its parameters."""
    params, lines = {}, []
    for n, row in enumerate(rows):
        cells = []
        for (column, sql_type), value in zip(columns.items(), row, strict=True):
            params[key := f"{name}_{column}_{n}"] = value
            cells.append(f"CAST(:{key} AS {sql_type})")
        lines.append(f"({', '.join(cells)})")
    return f"{name} ({', '.join(columns)}) AS (VALUES {', '.join(lines)})", params
