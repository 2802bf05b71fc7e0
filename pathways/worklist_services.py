"""The worklist: the professional's pathways a page at a time (sorted, filtered and searched in SQL),
what is new on each since their last visit, the meetings coming up across all their pathways with
whether the young person and parents have prepared, and the agreement points the family answered
with a question or "I do not agree".

Every function runs a fixed number of SQL queries, whatever the number of pathways, meetings,
preparations or answers. Nothing here shows the family's words, so nothing here is a logged read."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import and_, bindparam, exists, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import GenericFunction

from access.policy import team_sees
from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.paging import TOTAL, Part, page_number, split_total
from feedback.models import FeedbackRequest, FeedbackResponse, ResponseSharing
from pathways.models import (
    AccessLog, Agreement, AgreementAnswer, AnswerKind, InputKind, Meeting, MeetingKind, Pathway, PathwayVisit,
    TeamMember,
)
from youth.models import PREPARATION_FIELDS, Preparation, Statement

COMING_UP_DAYS = 14
COMING_UP_SHOWN = 10  # on the worklist; the rest on their own pages
COMING_PAGE_SIZE = 25


class Prepared(str, Enum):
    """How far an invited young person or parent has come with preparing for a meeting."""

    PREPARED = "prepared"
    STARTED = "started"
    NOT_YET = "not yet"


@dataclass
class Preparer:
    """An invited young person or parent, and whether they have prepared."""

    name: str
    role: Role
    status: Prepared


@dataclass
class ComingMeeting:
    """One meeting coming up, as the worklist shows it."""

    id: int
    pathway_id: int
    kind: MeetingKind
    starts_at: datetime
    ends_at: datetime
    place: str
    video: bool
    young_person_name: str
    preparers: list[Preparer] = field(default_factory=list)


# Built once, executed with the user's id and the window (building a statement costs more than running it).
COMING_MEETINGS = (
    select(Meeting.id, Meeting.pathway_id, Meeting.kind, Meeting.starts_at, Meeting.ends_at, Meeting.place,
           Meeting.video, Meeting.young_person_invited, Meeting.parents_invited, YoungPerson.id, YoungPerson.name,
           YoungPerson.user_id, TOTAL)
    .join(Pathway, Pathway.id == Meeting.pathway_id)
    .join(TeamMember, TeamMember.pathway_id == Pathway.id)
    .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
    .where(TeamMember.user_id == bindparam("user_id"), Pathway.closed_at.is_(None),
           Meeting.starts_at >= bindparam("now"), Meeting.starts_at < bindparam("until"))
    .order_by(Meeting.starts_at, Meeting.id)
    .limit(bindparam("limit")).offset(bindparam("offset"))
)
# The parents who prepare (those with parental responsibility, as on the before-the-meeting page).
PARENTS = (
    select(ParentLink.young_person_id, User.id, User.name)
    .join(User, User.id == ParentLink.user_id)
    .where(ParentLink.young_person_id.in_(bindparam("young_person_ids", expanding=True)),
           ParentLink.parental_responsibility.is_(True))
    .order_by(User.name, User.id)
)
PREPARATIONS = (
    select(Preparation.meeting_id, Preparation.author_id, team_sees(Preparation), Preparation.participation,
           *(getattr(Preparation, name) for name in PREPARATION_FIELDS))
    .where(Preparation.meeting_id.in_(bindparam("meeting_ids", expanding=True)))
)


def _status(shared: bool, participation, *answers: str) -> Prepared:
    has_content = participation is not None or any((answer or "").strip() for answer in answers)
    return Prepared.PREPARED if shared and has_content else Prepared.STARTED


def coming_up(user: User, now: datetime | None = None, limit: int = COMING_UP_SHOWN,
              offset: int = 0) -> Part[ComingMeeting]:
    """The meetings of the next 14 days on every open pathway `user` is on the team of, soonest first,
    `limit` of them from `offset` on (cut in SQL) and how many there are in all, each with the invited
    young person and parents and whether they have prepared:

    - "prepared": a preparation the team may read (`access.policy.team_sees`) with something written
      in it or a way of taking part chosen;
    - "started": a preparation kept "only for me", or one shared with the team that is still empty
      (the team is not shown what it says, only that it exists);
    - "not yet": no preparation (and always for a young person who has no account yet).

    Parents are listed when the meeting invites them. Three queries, whatever the number of meetings."""
    now = now or utcnow()
    rows, total = split_total(db.session.execute(COMING_MEETINGS, {
        "user_id": user.id, "now": now, "until": now + timedelta(days=COMING_UP_DAYS), "limit": limit,
        "offset": offset}).all())
    if not rows:
        return Part([], total, limit, offset)
    parents: dict[int, list[tuple[int, str]]] = {}
    for young_person_id, parent_id, name in db.session.execute(
            PARENTS, {"young_person_ids": sorted({row[9] for row in rows})}):
        parents.setdefault(young_person_id, []).append((parent_id, name))
    prepared = {(meeting_id, author_id): _status(bool(shared), participation, *answers)
                for meeting_id, author_id, shared, participation, *answers
                in db.session.execute(PREPARATIONS, {"meeting_ids": [row[0] for row in rows]})}
    meetings = []
    for (meeting_id, pathway_id, kind, starts_at, ends_at, place, video, young_invited, parents_invited,
         young_person_id, young_name, young_user_id) in rows:
        meeting = ComingMeeting(meeting_id, pathway_id, kind, starts_at, ends_at, place, video, young_name)
        if young_invited:
            status = prepared.get((meeting_id, young_user_id), Prepared.NOT_YET) if young_user_id else Prepared.NOT_YET
            meeting.preparers.append(Preparer(young_name, Role.YOUNG_PERSON, status))
        if parents_invited:
            meeting.preparers += [Preparer(name, Role.PARENT, prepared.get((meeting_id, parent_id), Prepared.NOT_YET))
                                  for parent_id, name in parents.get(young_person_id, [])]
        meetings.append(meeting)
    return Part(meetings, total, limit, offset)


@dataclass
class ToAnswer:
    """An agreement point the young person or a parent answered with a question or "I do not agree"."""

    pathway_id: int
    meeting_id: int
    agreement_id: int
    name: str
    role: Role
    answer: AnswerKind
    at: datetime


def _unread_since(kind: InputKind, item_id, since):
    """SQL: `user_id` has not read the entry (`item_id` a column) since `since` (its last change):
    one lookup in `ix_access_log_item`. Reading it on the agreements page or the before-the-meeting
    page is logged, and ends it being new."""
    return ~exists().where(AccessLog.item_kind == kind, AccessLog.item_id == item_id,
                           AccessLog.reader_id == bindparam("user_id"), AccessLog.at >= since)


QUESTIONS = (AnswerKind.QUESTION, AnswerKind.DISAGREE)
TO_ANSWER = (
    select(Agreement.pathway_id, Agreement.meeting_id, Agreement.id, User.name, User.role, AgreementAnswer.answer,
           AgreementAnswer.at)
    .join(AgreementAnswer, AgreementAnswer.agreement_id == Agreement.id)
    .join(User, User.id == AgreementAnswer.user_id)
    .join(Pathway, Pathway.id == Agreement.pathway_id)
    # The ids are the page's pathways, which are the user's own (`worklist_page`).
    .where(Agreement.pathway_id.in_(bindparam("pathway_ids", expanding=True)), Pathway.closed_at.is_(None),
           AgreementAnswer.answer.in_(QUESTIONS),
           # Not yet read by this professional since it was given (changing the answer makes it new again).
           _unread_since(InputKind.ANSWER, AgreementAnswer.id, AgreementAnswer.at))
    .order_by(AgreementAnswer.at.desc(), AgreementAnswer.id.desc())
)


def to_answer(user: User, pathway_ids: list[int]) -> dict[int, list[ToAnswer]]:
    """Per pathway of `pathway_ids` (the user's own), the agreement points the young person or a parent
    answered with a question or "I do not agree" that `user` has not read since, newest first. Only who
    and what kind of answer: the worklist does not show the question's words (reading them is logged,
    on the agreements page). One query."""
    found: dict[int, list[ToAnswer]] = {}
    if not pathway_ids:
        return found
    for row in db.session.execute(TO_ANSWER, {"user_id": user.id, "pathway_ids": pathway_ids}):
        found.setdefault(row[0], []).append(ToAnswer(*row))
    return found


# --- the list of pathways -----------------------------------------------------------------------

PAGE_SIZE = 25


class Sort(str, Enum):
    """The orders of the list. Open pathways always come before closed ones (kept, read-only)."""

    MEETING = "meeting"  # the soonest next meeting first; then those with none, by name
    NEWEST = "newest"  # the newest input from the family first; then those with none, by name
    NAME = "name"  # the young person's name


@dataclass
class Choices:
    """What the professional asked the list for (the GET form and the paging links)."""

    sort: Sort = Sort.MEETING
    mine: bool = False  # only where I am the coordinator
    q: str = ""  # part of the young person's name
    page: int = 1

    @classmethod
    def of(cls, args: Mapping[str, str]) -> "Choices":
        """From a query string; anything unknown falls back to the default (never an error)."""
        try:
            sort = Sort(args.get("sort", ""))
        except ValueError:
            sort = Sort.MEETING
        return cls(sort=sort, mine=args.get("mine") == "1", q=" ".join(args.get("q", "").split())[:100],
                   page=page_number(args))

    def args(self, page: int | None = None) -> dict:
        """The query string for `page` keeping the sort, the filter and the search (defaults left out)."""
        args = {"sort": self.sort.value if self.sort != Sort.MEETING else None, "mine": "1" if self.mine else None,
                "q": self.q or None, "page": page if page and page > 1 else None}
        return {key: value for key, value in args.items() if value is not None}


@dataclass
class NewSince:
    """What came on one pathway after the professional's last visit to its page, counted (only what the
    team may read; what they read elsewhere since, e.g. on the before-the-meeting page, is not new)."""

    statements: int = 0
    preparations: int = 0
    answers: int = 0  # "I agree"
    questions: int = 0  # a question or "I do not agree"
    feedback: int = 0  # ratings and questionnaires shared with the team

    @property
    def total(self) -> int:
        return self.statements + self.preparations + self.answers + self.questions + self.feedback


@dataclass
class WorklistRow:
    """One pathway on the worklist."""

    id: int
    young_person_name: str
    title: str
    coordinator_name: str
    coordinator: bool
    closed_at: datetime | None
    next_meeting: datetime | None
    newest_input: datetime | None
    last_visit: datetime | None  # None: never opened
    new: NewSince = field(default_factory=NewSince)
    to_answer: list[ToAnswer] = field(default_factory=list)


@dataclass
class WorklistPage:
    rows: list[WorklistRow]
    total: int  # pathways matching the choices, on every page
    all_mine: int  # every pathway on my worklist, whatever the choices
    choices: Choices
    pages: int

    @property
    def first(self) -> int:
        return (self.choices.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


class greatest(GenericFunction):
    """The largest of its arguments: GREATEST in PostgreSQL, the many-argument max() in SQLite."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "no input": NULL would make SQLite's max() NULL
COORDINATOR = aliased(User, name="coordinator")


def _newest(column, *where):
    return func.coalesce(select(func.max(column)).where(*where).scalar_subquery(), literal(EPOCH, UTCDateTime()))


# Correlated on the outer pathway: each a MIN/MAX over one pathway's rows through its pathway index
# (ix_meetings_pathway_starts for the meetings).
NEXT_MEETING = (select(func.min(Meeting.starts_at))
                .where(Meeting.pathway_id == Pathway.id, Meeting.starts_at >= bindparam("now"))
                .scalar_subquery())
NEWEST_INPUT = greatest(
    _newest(Statement.updated_at, Statement.pathway_id == Pathway.id, team_sees(Statement),
            Statement.removed_at.is_(None)),
    _newest(Preparation.updated_at, Preparation.pathway_id == Pathway.id, team_sees(Preparation)),
    _newest(AgreementAnswer.at, AgreementAnswer.agreement_id == Agreement.id, Agreement.pathway_id == Pathway.id),
    _newest(FeedbackResponse.updated_at, FeedbackResponse.request_id == FeedbackRequest.id,
            FeedbackRequest.pathway_id == Pathway.id, FeedbackResponse.sharing == ResponseSharing.TEAM),
)


def _fold(text):
    """SQL: `text` in lower case, the Norwegian and other common letters too (SQLite's lower() folds
    only A–Z), so that a search for "øy" finds "Øystein"."""
    for upper, lower in zip("ÆØÅÄÖÜÉ", "æøåäöüé", strict=True):
        text = func.replace(text, upper, lower)
    return func.lower(text)


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _mine(choices: Choices):
    """The conditions on the user's pathways (a `TeamMember` row of theirs is joined) for `choices`."""
    where = [TeamMember.user_id == bindparam("user_id")]
    if choices.mine:
        where.append(Pathway.coordinator_id == bindparam("user_id"))
    if choices.q:
        where.append(_fold(YoungPerson.name).like(bindparam("pattern"), escape="\\"))
    return where


def _order(sort: Sort) -> list:
    name = [YoungPerson.name, Pathway.id]
    closed_last = Pathway.closed_at.is_not(None)
    if sort == Sort.MEETING:
        return [closed_last, NEXT_MEETING.is_(None), NEXT_MEETING, *name]
    if sort == Sort.NEWEST:
        return [closed_last, NEWEST_INPUT.desc(), *name]
    return [closed_last, *name]


def _page_query(choices: Choices):
    return (
        select(Pathway.id, YoungPerson.name, Pathway.title, COORDINATOR.name, Pathway.coordinator_id,
               Pathway.closed_at, NEXT_MEETING, NEWEST_INPUT, PathwayVisit.seen_at)
        .join(TeamMember, TeamMember.pathway_id == Pathway.id)
        .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
        .join(COORDINATOR, COORDINATOR.id == Pathway.coordinator_id)
        .outerjoin(PathwayVisit, and_(PathwayVisit.pathway_id == Pathway.id,
                                      PathwayVisit.user_id == bindparam("user_id")))
        .where(*_mine(choices))
        .order_by(*_order(choices.sort))
        .limit(PAGE_SIZE).offset(bindparam("offset"))
    )


def _count_query(choices: Choices):
    """The number of pathways matching `choices`, and of all the user's pathways, in one row."""
    every = select(func.count()).select_from(TeamMember).where(TeamMember.user_id == bindparam("user_id"))
    return (select(func.count(), every.scalar_subquery()).select_from(Pathway)
            .join(TeamMember, TeamMember.pathway_id == Pathway.id)
            .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
            .where(*_mine(choices)))


# Built once for each sort, filter and whether there is a search (building a statement costs more than
# running it); run with the user, the time and the search's pattern.
QUERIES = {(sort, mine, search): (_count_query(Choices(sort, mine, "x" if search else "")),
                                  _page_query(Choices(sort, mine, "x" if search else "")))
           for sort in Sort for mine in (False, True) for search in (False, True)}


def _visit(model_pathway_id):
    return and_(PathwayVisit.pathway_id == model_pathway_id, PathwayVisit.user_id == bindparam("user_id"))


def _counted(kind: str, pathway_id, *where):
    return (select(literal(kind), pathway_id, func.count())
            .join(PathwayVisit, _visit(pathway_id))
            .where(pathway_id.in_(bindparam("pathway_ids", expanding=True)), *where)
            .group_by(pathway_id))


def _answers(kind: str, answers):
    return _counted(kind, Agreement.pathway_id, AgreementAnswer.agreement_id == Agreement.id, answers,
                    AgreementAnswer.at > PathwayVisit.seen_at,
                    _unread_since(InputKind.ANSWER, AgreementAnswer.id, AgreementAnswer.at))


# What came after the user's last visit to each page's pathway and that they have not read since,
# counted per kind and pathway in one statement (GROUP BY over the page's ids, each through the
# input's pathway index). A pathway never visited has no PathwayVisit row, so nothing is counted.
NEW_SINCE = union_all(
    _counted("statements", Statement.pathway_id, team_sees(Statement), Statement.removed_at.is_(None),
             Statement.updated_at > PathwayVisit.seen_at,
             _unread_since(InputKind.STATEMENT, Statement.id, Statement.updated_at)),
    _counted("preparations", Preparation.pathway_id, team_sees(Preparation),
             Preparation.updated_at > PathwayVisit.seen_at,
             _unread_since(InputKind.PREPARATION, Preparation.id, Preparation.updated_at)),
    _answers("answers", AgreementAnswer.answer == AnswerKind.AGREE),
    _answers("questions", AgreementAnswer.answer.in_(QUESTIONS)),
    _counted("feedback", FeedbackRequest.pathway_id, FeedbackResponse.request_id == FeedbackRequest.id,
             FeedbackResponse.sharing == ResponseSharing.TEAM, FeedbackResponse.updated_at > PathwayVisit.seen_at,
             _unread_since(InputKind.FEEDBACK, FeedbackResponse.id, FeedbackResponse.updated_at)),
)


def new_since(user: User, pathway_ids: list[int]) -> dict[int, NewSince]:
    """Per pathway of `pathway_ids` (the user's own) they have visited, what is new since. One query."""
    found: dict[int, NewSince] = {}
    if not pathway_ids:
        return found
    for kind, pathway_id, count in db.session.execute(NEW_SINCE, {"user_id": user.id, "pathway_ids": pathway_ids}):
        setattr(found.setdefault(pathway_id, NewSince()), kind, count)
    return found


def worklist_page(user: User, choices: Choices, now: datetime | None = None) -> WorklistPage:
    """One page of the user's pathways for `choices`: sorted, filtered and searched in SQL, each with
    what is new since their last visit and what the family asked. Four queries, whatever the number of
    pathways and of input on them. A page after the last gives the last page."""
    counting, paging = QUERIES[choices.sort, choices.mine, bool(choices.q)]
    params = {"user_id": user.id, "pattern": _like(choices.q)}
    total, all_mine = db.session.execute(counting, params).one()
    pages = max(1, -(-total // PAGE_SIZE))
    choices.page = min(choices.page, pages)
    rows = [WorklistRow(pathway_id, name, title, coordinator, coordinator_id == user.id, closed_at, next_meeting,
                        None if newest is None or newest <= EPOCH else newest, seen_at)
            for pathway_id, name, title, coordinator, coordinator_id, closed_at, next_meeting, newest, seen_at
            in db.session.execute(paging, params | {"now": now or utcnow(), "offset": (choices.page - 1) * PAGE_SIZE})]
    ids = [row.id for row in rows]
    counts, answers = new_since(user, ids), to_answer(user, ids)
    for row in rows:
        row.new = counts.get(row.id, NewSince())
        row.to_answer = answers.get(row.id, [])
    return WorklistPage(rows, total, all_mine, choices, pages)
