"""Read receipts for the young person and the parent: who on the team read what they wrote, and when.

The access log holds every professional's read of the family's input (Normen), one row per entry and
page view, so a professional who opens the before-the-meeting page ten times leaves ten rows for
each entry on it. The family is shown those reads grouped by reader and by day in Oslo ("Kari
Nordmann, BUP Molde — 7 December: 3 of your statements and your preparation for the meeting on
13 December"), newest first, a page of groups at a time.

Two queries, whatever the size of the log:

1. the groups: the author's reads (`ix_access_log_author_at`) grouped by reader and Oslo day, with
   each group's latest read, newest first, one page of them (LIMIT/OFFSET; one row more tells
   whether there is an older page). The home page takes each reader's latest read instead, three
   readers.
2. what was read in those groups: the same reads, limited to those readers and those days (a time
   range per reader in `ix_access_log_reader_at`), grouped by entry, with the meeting a preparation
   or a rating belongs to. Its rows are at most the distinct entries each reader read on each day
   shown, however often they opened them.

The Oslo day is computed in SQL (`OsloDate`): PostgreSQL converts with its time zone database;
SQLite has none, so the expression applies the rule Norway has followed since 1996 (summer time,
UTC+2, from 01:00 UTC on the last Sunday in March to 01:00 UTC on the last Sunday in October;
otherwise UTC+1). Python turns the days back into UTC ranges with zoneinfo for the second query.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cache

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import Date, and_, bindparam, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from accounts.models import User
from core.extensions import db
from core.formatting import long_date
from core.models import OSLO
from feedback.models import FeedbackRequest, FeedbackResponse
from pathways.models import AccessLog, InputKind, Meeting
from youth.models import Preparation

GROUPS_PER_PAGE = 20  # groups (reader and day) on a page of "who has read what you wrote"
HOME_READERS = 3  # readers on the home page, each with their latest day


class OsloDate(FunctionElement):
    """SQL: the date in Oslo of a UTC timestamp column (stored without a zone, see UTCDateTime)."""

    type = Date()
    inherit_cache = True
    name = "oslo_date"


@compiles(OsloDate, "postgresql")
def _oslo_date_postgresql(element, compiler, **kw):
    at = compiler.process(next(iter(element.clauses)), **kw)
    return f"CAST(timezone('Europe/Oslo', timezone('UTC', {at})) AS DATE)"


@compiles(OsloDate)
def _oslo_date_sqlite(element, compiler, **kw):
    at = compiler.process(next(iter(element.clauses)), **kw)
    # The last Sunday of a month: the first Sunday on or after the 1st of the next month, less 7 days.
    year = f"strftime('%Y', {at})"
    summer_from = f"date({year} || '-04-01', 'weekday 0', '-7 days') || ' 01:00:00'"
    summer_to = f"date({year} || '-11-01', 'weekday 0', '-7 days') || ' 01:00:00'"
    # Whole seconds: SQLite rounds a time to milliseconds, and 23:59:59.9999 would become the next day.
    return (f"date(substr({at}, 1, 19), CASE WHEN {at} >= {summer_from} AND {at} < {summer_to}"
            " THEN '+2 hours' ELSE '+1 hours' END)")


@dataclass
class ReadGroup:
    """What one professional read of the user's input on one day in Oslo."""

    reader_id: int
    reader_name: str
    day: date
    latest: datetime  # the group's latest read
    reader_services: str = ""  # as they were at that read
    statements: int = 0
    comments: int = 0
    answers: int = 0
    wish: bool = False
    preparations: list[datetime | None] = field(default_factory=list)  # each one's meeting start
    ratings: list[datetime | None] = field(default_factory=list)  # each one's meeting start (None: questionnaire)

    @property
    def reader(self) -> str:
        """"Kari Nordmann, BUP Molde"."""
        return f"{self.reader_name}, {self.reader_services}" if self.reader_services else self.reader_name

    @property
    def what(self) -> str:
        """What was read, in words: "3 of your statements and your preparation for the meeting on …"."""
        parts = []
        if self.statements:
            parts.append(ngettext("one of your statements", "%(num)d of your statements", self.statements))
        for starts_at in sorted(self.preparations, key=lambda s: (s is None, s)):
            parts.append(_("your preparation for the meeting on %(date)s", date=long_date(starts_at))
                         if starts_at else _("your preparation for a meeting"))
        if self.comments:
            parts.append(ngettext("your comment on a measure", "%(num)d of your comments on measures",
                                  self.comments))
        if self.answers:
            parts.append(ngettext("your answer to what was agreed", "%(num)d of your answers to what was agreed",
                                  self.answers))
        if self.wish:
            parts.append(_("your wish for a coordinator"))
        meetings = sorted({s for s in self.ratings if s is not None})
        for starts_at in meetings:
            parts.append(_("how you said the meeting on %(date)s went", date=long_date(starts_at)))
        if None in self.ratings:
            parts.append(_("your answers about the help"))
        return format_list(parts, locale=get_locale() or "nb")


@dataclass
class ReadersPage:
    """A page of "who has read what you wrote"."""

    groups: list[ReadGroup]
    page: int
    older: bool  # there is a page after this one


def _oslo_day_range(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where `day` in Oslo begins and where the next day begins."""
    start = datetime.combine(day, time(0), OSLO).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), OSLO).astimezone(timezone.utc)
    return start, end


def _meeting_of(kind: InputKind, subquery):
    return case((AccessLog.item_kind == kind, subquery.scalar_subquery()), else_=None)


@cache
def _fill_query(slots: int):
    """Query 2 for up to `slots` groups, built once per number of slots with bound parameters
    (building it, and its cache key, cost more than running it); unused slots repeat a range."""
    day = OsloDate(AccessLog.at)
    ranges = [and_(AccessLog.reader_id == bindparam(f"reader_{n}"), AccessLog.at >= bindparam(f"start_{n}"),
                   AccessLog.at < bindparam(f"end_{n}")) for n in range(slots)]
    item = AccessLog.item_id
    return (
        select(AccessLog.reader_id, day.label("day"), AccessLog.item_kind, AccessLog.item_id,
               func.max(AccessLog.at), func.max(AccessLog.reader_services),
               _meeting_of(InputKind.PREPARATION, select(Meeting.starts_at)
                           .join(Preparation, Preparation.meeting_id == Meeting.id).where(Preparation.id == item)),
               _meeting_of(InputKind.FEEDBACK, select(Meeting.starts_at)
                           .join(FeedbackRequest, FeedbackRequest.meeting_id == Meeting.id)
                           .join(FeedbackResponse, FeedbackResponse.request_id == FeedbackRequest.id)
                           .where(FeedbackResponse.id == item)))
        .where(AccessLog.author_id == bindparam("author"), or_(*ranges))
        .group_by(AccessLog.reader_id, day, AccessLog.item_kind, AccessLog.item_id)
    )


def _fill(groups: list[ReadGroup], author_id: int) -> None:
    """What each group's reader read on its day (query 2 of the module's docstring)."""
    if not groups:
        return
    slots = HOME_READERS if len(groups) <= HOME_READERS else max(len(groups), GROUPS_PER_PAGE)
    parameters = {"author": author_id}
    for n in range(slots):
        group = groups[min(n, len(groups) - 1)]
        parameters[f"reader_{n}"] = group.reader_id
        parameters[f"start_{n}"], parameters[f"end_{n}"] = _oslo_day_range(group.day)
    rows = db.session.execute(_fill_query(slots), parameters).all()
    by_key = {(g.reader_id, g.day): g for g in groups}
    newest: dict[tuple[int, date], datetime] = {}
    for reader_id, read_day, kind, _item_id, at, services, prepared_for, rated in rows:
        read_day = _as_date(read_day)
        group = by_key.get((reader_id, read_day))
        if group is None:  # cannot happen: each range is one reader's day; kept safe
            continue
        if (reader_id, read_day) not in newest or at > newest[(reader_id, read_day)]:
            newest[(reader_id, read_day)] = at
            group.reader_services = services or ""
        kind = InputKind(kind)
        if kind == InputKind.STATEMENT:
            group.statements += 1
        elif kind == InputKind.PREPARATION:
            group.preparations.append(prepared_for)
        elif kind == InputKind.COMMENT:
            group.comments += 1
        elif kind == InputKind.ANSWER:
            group.answers += 1
        elif kind == InputKind.WISH:
            group.wish = True
        elif kind == InputKind.FEEDBACK:
            group.ratings.append(rated)


def reads_page(user: User, page: int = 1, per_page: int = GROUPS_PER_PAGE) -> ReadersPage:
    """One page of the reads of `user`'s own input by professionals, grouped by reader and Oslo day,
    newest first. Two queries (see the module's docstring); a page past the last has no groups."""
    page = max(page, 1)
    day = OsloDate(AccessLog.at)
    latest = func.max(AccessLog.at).label("latest")
    rows = db.session.execute(
        select(AccessLog.reader_id, User.name, day.label("day"), latest)
        .join(User, User.id == AccessLog.reader_id)
        .where(AccessLog.author_id == user.id)
        .group_by(AccessLog.reader_id, User.name, day)
        .order_by(latest.desc(), AccessLog.reader_id)
        .limit(per_page + 1).offset((page - 1) * per_page)
    ).all()
    groups = [ReadGroup(reader_id, name, _as_date(read_day), at) for reader_id, name, read_day, at in rows[:per_page]]
    _fill(groups, user.id)
    return ReadersPage(groups, page, older=len(rows) > per_page)


@cache
def _latest_readers_query(readers: int):
    """Query 1 of the home page, built once (see `_fill_query`)."""
    latest = func.max(AccessLog.at).label("latest")
    return (select(AccessLog.reader_id, User.name, latest)
            .join(User, User.id == AccessLog.reader_id)
            .where(AccessLog.author_id == bindparam("author"))
            .group_by(AccessLog.reader_id, User.name)
            .order_by(latest.desc(), AccessLog.reader_id)
            .limit(readers))


def latest_readers_for_home(user: User, readers: int = HOME_READERS) -> list[ReadGroup]:
    """The `readers` professionals who last read `user`'s own input, newest first, each with what
    they read on the day of their latest read. Two queries."""
    rows = db.session.execute(_latest_readers_query(readers), {"author": user.id}).all()
    groups = [ReadGroup(reader_id, name, at.astimezone(OSLO).date(), at) for reader_id, name, at in rows]
    _fill(groups, user.id)
    return groups


def _as_date(value) -> date:
    """SQLite hands the day back as text where the Date type does not reach (an aggregate's label)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))

