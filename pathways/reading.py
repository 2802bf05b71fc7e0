"""The professional's reading of the family's input: the pathway timeline, the before-the-meeting
page, and withholding a young person's input from the parents for weighty reasons.

Every page here loads a fixed number of queries whatever the amount of data and marks what changed
since the reader last read it. Each returns the entries it shows (`reads`): the view logs them with
`services.log_reads` once the page is rendered, in the request's own transaction."""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, literal_column, null, or_, select, type_coerce, union_all
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from access.log import last_read_at
from access.policy import team_sees
from accounts.models import ParentLink, Role, User
from core.extensions import db
from core.models import OSLO, today_in_oslo, utcnow
from pathways.models import (
    ANSWERS, MEETING_KINDS, Agreement, AgreementAnswer, Handover, HandoverState, InputKind, Meeting, MeetingInvitee,
    MeetingKind, Pathway, PathwayEvent, PathwayVisit,
)
from pathways.services import HANDOVERS, HISTORY, RELAY_MEETINGS, meetings_with_agreements
from youth.models import (
    PARENT_LABELS, PARTICIPATION, PREPARATION_FIELDS, PROMPTS, YOUNG_LABELS, Participation, Preparation, Prompt,
    Sharing, Statement, VisibilityChange, VisibilityKind,
)

# The family's own words for prompts, questions and answers, as they saw them when they wrote.
QUESTIONS = {Role.YOUNG_PERSON: YOUNG_LABELS, Role.PARENT: PARENT_LABELS}
# The order of the questions on the page: as the family answered them.
QUESTION_ORDER = ("talk_about", "not_while_present", "want_there", "not_there", "participation", "needs",
                  "questions", "hopes")
# As the team reads it (drafts never reach the team).
SHARING = {
    Sharing.TEAM: _l("Shared with the team"),
    Sharing.FAMILY: _l("Shared with the team and the family"),
}
# The words the pathway page and the before-the-meeting page use (`labels` in their templates).
LABELS = {"PROMPTS": PROMPTS, "MEETING_KINDS": MEETING_KINDS, "PARTICIPATION": PARTICIPATION, "ANSWERS": ANSWERS,
          "QUESTIONS": QUESTIONS, "QUESTION_ORDER": QUESTION_ORDER, "SHARING": SHARING}


@dataclass
class Entry:
    """A statement or preparation as a professional reads it."""

    kind: InputKind
    id: int
    author_id: int
    author_name: str
    author_role: Role
    sharing: Sharing
    not_for_parents: bool  # the young person chose "my team, not my parents"
    withheld_at: datetime | None
    withheld_reason: str | None
    created_at: datetime
    updated_at: datetime
    # Changed after the reader last opened it (False when they never did: then all of it is new).
    changed_since_read: bool = False
    read_before: bool = False
    # Statements: the prompt and text. Preparations: the meeting and the answers.
    prompt: Prompt | None = None
    text: str = ""
    meeting_id: int | None = None
    answers: dict = field(default_factory=dict)
    participation: Participation | None = None

    @property
    def key(self) -> str:
        return f"{self.kind.value}-{self.id}"

    @property
    def from_young_person(self) -> bool:
        return self.author_role == Role.YOUNG_PERSON

    def read_entry(self):
        return (self.kind, self.id, self.author_id)

    def is_empty(self) -> bool:
        return not any(self.answers.values()) and self.participation is None


def _entry(item, kind: InputKind, author_name: str, last_read: datetime | None) -> Entry:
    entry = Entry(kind=kind, id=item.id, author_id=item.author_id, author_name=author_name,
                  author_role=item.author_role, sharing=item.sharing,
                  not_for_parents=item.author_role == Role.YOUNG_PERSON and item.sharing == Sharing.TEAM,
                  withheld_at=item.withheld_at, withheld_reason=item.withheld_reason,
                  created_at=item.created_at, updated_at=item.updated_at, read_before=last_read is not None,
                  changed_since_read=last_read is not None and item.updated_at > last_read)
    if kind == InputKind.STATEMENT:
        entry.prompt, entry.text = item.prompt, item.text
    else:
        entry.meeting_id, entry.participation = item.meeting_id, item.participation
        entry.answers = {name: getattr(item, name) for name in PREPARATION_FIELDS}
    return entry


def _statements_query(young_person_only: bool):
    query = (
        select(Statement, User.name, last_read_at(InputKind.STATEMENT, Statement.id, bindparam("reader_id")))
        .join(User, User.id == Statement.author_id)
        .where(Statement.pathway_id == bindparam("pathway_id"), team_sees(Statement), Statement.removed_at.is_(None))
        .order_by(Statement.updated_at.desc(), Statement.id.desc())
    )
    return query.where(Statement.author_role == Role.YOUNG_PERSON) if young_person_only else query


def _preparations_query(of_meeting: bool):
    column = Preparation.meeting_id if of_meeting else Preparation.pathway_id
    return (
        select(Preparation, User.name, last_read_at(InputKind.PREPARATION, Preparation.id, bindparam("reader_id")))
        .join(User, User.id == Preparation.author_id)
        .where(team_sees(Preparation), column == bindparam("of"))
        .order_by(Preparation.updated_at.desc(), Preparation.id.desc())
    )


# Built once, run with the reader and the pathway or meeting.
STATEMENTS = {young_person_only: _statements_query(young_person_only) for young_person_only in (False, True)}
PREPARATIONS = {"pathway": _preparations_query(False), "meeting": _preparations_query(True)}


def visible_statements(reader: User, pathway_id: int, young_person_only: bool = False) -> list[Entry]:
    """The statements on a pathway the team may read (no drafts, nothing removed), newest change first,
    each marked if changed since `reader` last read it."""
    rows = db.session.execute(STATEMENTS[young_person_only], {"reader_id": reader.id, "pathway_id": pathway_id})
    return [_entry(s, InputKind.STATEMENT, name, read) for s, name, read in rows]


def visible_preparations(reader: User, of: str, item_id: int) -> list[Entry]:
    """Preparations the team may read (no drafts) on a pathway or for a meeting (`of`), each marked if
    changed since `reader` last read it."""
    rows = db.session.execute(PREPARATIONS[of], {"reader_id": reader.id, "of": item_id})
    return [_entry(p, InputKind.PREPARATION, name, read) for p, name, read in rows]


def young_person_age(pathway: Pathway) -> int:
    return pathway.young_person.age_on(today_in_oslo())


# --- the pathway page's timeline ---------------------------------------------------------------
#
# The timeline is read a page at a time, in whole months, newest first: a page holds the months of
# the newest TIMELINE_ITEMS items before its upper bound (`?before=YYYY-MM`: the first day of a month;
# the newest page has none and shows the meetings planned too). Twenty items are about three months of
# a busy pathway (a meeting a month with its preparations and agreements, statements, events): what a
# professional looks back over in the minutes before a meeting, and about 3,500 px at 1280 px. One query
# (`TIMELINE_ANCHOR`) finds the window and whether anything is older; every source is then read for
# that window only.

TIMELINE_ITEMS = 20
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass
class MeetingRef:
    """The meeting a preparation is for, as the timeline names it."""

    id: int
    kind: MeetingKind
    starts_at: datetime


@dataclass
class TimelineItem:
    """One line of the timeline. `kind`: statement, meeting, preparation, agreement, event or
    withdrawn (a handover of the baton the coordinator took back: it has no event of its own)."""

    kind: str
    at: datetime
    new: bool
    entry: Entry | None = None
    meeting: Meeting | MeetingRef | None = None
    agreement: Agreement | None = None
    event: object = None
    handover: Handover | None = None
    minutes: bool = False  # a meeting whose minutes are written

    @property
    def key(self) -> str:
        """The item's id on the page (the jump link to the first new item goes there)."""
        if self.entry is not None:
            return self.entry.key
        thing = self.agreement or self.handover or self.event or self.meeting
        return f"{self.kind}-{thing.id}"


@dataclass
class TimelineMonth:
    month: date  # its first day
    items: list[TimelineItem]


@dataclass
class Timeline:
    months: list[TimelineMonth]
    first_visit: bool
    previous_visit: datetime | None
    before: date | None = None  # the page's upper bound (None: the newest page)
    older: date | None = None  # the upper bound of the next page back (None: this is the first event)
    start: datetime | None = None  # the first moment of the oldest month shown
    handovers: list[Handover] = field(default_factory=list)  # the open one, and those withdrawn in the window
    relay_meetings: list = field(default_factory=list)  # the relay log's meetings (services.MeetingRecord)
    reads: list = field(default_factory=list)  # the statements shown, for the access log

    @property
    def items(self) -> list[TimelineItem]:
        return [item for month in self.months for item in month.items]

    @property
    def new_items(self) -> list[TimelineItem]:
        return [item for item in self.items if item.new]

    @property
    def new_on_older_pages(self) -> bool:
        """Whether the previous visit is older than this page: older pages may have new items too."""
        return self.previous_visit is not None and self.older is not None and self.previous_visit < self.start


def month_start(month: date) -> datetime:
    """The first moment of `month` in Oslo, in UTC."""
    return datetime(month.year, month.month, 1, tzinfo=OSLO).astimezone(UTC)


def month_of(at: datetime) -> date:
    return at.astimezone(OSLO).date().replace(day=1)


def parse_month(value: str | None) -> date | None:
    """`?before=` as the first day of its month (YYYY-MM), or None for anything else: the newest page."""
    if not value or len(value) != 7 or value[4] != "-" or not (value[:4] + value[5:]).isdigit():
        return None
    year, month = int(value[:4]), int(value[5:])
    return date(year, month, 1) if 1900 <= year <= 9999 and 1 <= month <= 12 else None


def _timeline_anchor():
    """SQL: the times of the newest TIMELINE_ITEMS items before `top` (flag False), and the time of the
    oldest item of all (flag True), over every source the timeline shows, with its own conditions."""
    pathway_id = bindparam("pathway_id")
    times = union_all(
        select(Statement.updated_at.label("at")).where(Statement.pathway_id == pathway_id, team_sees(Statement),
                                                       Statement.removed_at.is_(None)),
        select(Preparation.updated_at).where(Preparation.pathway_id == pathway_id, team_sees(Preparation)),
        select(Meeting.starts_at).where(Meeting.pathway_id == pathway_id),
        select(Agreement.created_at).where(Agreement.pathway_id == pathway_id),
        select(PathwayEvent.at).where(PathwayEvent.pathway_id == pathway_id),
        select(Handover.decided_at).where(Handover.pathway_id == pathway_id, Handover.state == HandoverState.WITHDRAWN),
    ).cte("timeline_times")
    newest = (select(times.c.at).where(times.c.at < bindparam("top"))
              .order_by(times.c.at.desc()).limit(TIMELINE_ITEMS).subquery())
    return select(literal_column("0").label("oldest"), newest.c.at).union_all(
        select(literal_column("1"), func.min(times.c.at)))


def _entries_in_window():
    """SQL: the statements (the team may read, not removed) and preparations (not drafts) changed in
    [start, top), with who wrote them, when the reader last read each, and a preparation's meeting:
    one query for both (the timeline shows of a preparation only who prepared for which meeting)."""
    def in_window(column):
        return and_(column >= bindparam("start"), column < bindparam("top"))

    def common(model, kind: InputKind):
        return (literal_column(f"'{kind.value}'").label("kind"), model.id, model.author_id, User.name,
                model.author_role, model.sharing, model.withheld_at, model.withheld_reason, model.created_at,
                model.updated_at, last_read_at(kind, model.id, bindparam("reader_id")).label("last_read"))

    statements = (
        select(*common(Statement, InputKind.STATEMENT), Statement.prompt, Statement.text,
               type_coerce(null(), Meeting.id.type), type_coerce(null(), Meeting.kind.type),
               type_coerce(null(), Meeting.starts_at.type))
        .join(User, User.id == Statement.author_id)
        .where(Statement.pathway_id == bindparam("pathway_id"), team_sees(Statement), Statement.removed_at.is_(None),
               in_window(Statement.updated_at)))
    preparations = (
        select(*common(Preparation, InputKind.PREPARATION), type_coerce(null(), Statement.prompt.type),
               type_coerce(null(), Statement.text.type), Meeting.id, Meeting.kind, Meeting.starts_at)
        .join(User, User.id == Preparation.author_id).join(Meeting, Meeting.id == Preparation.meeting_id)
        .where(Preparation.pathway_id == bindparam("pathway_id"), team_sees(Preparation),
               in_window(Preparation.updated_at)))
    return union_all(statements, preparations)


# Built once, run with the reader, the pathway and the window.
TIMELINE_ANCHOR = _timeline_anchor()
ENTRIES_IN_WINDOW = _entries_in_window()
HISTORY_IN_WINDOW = HISTORY.where(PathwayEvent.at >= bindparam("start"), PathwayEvent.at < bindparam("top"))
# The open handover (the baton section asks for it) and those withdrawn in the window.
HANDOVERS_IN_WINDOW = HANDOVERS.where(or_(
    Handover.state == HandoverState.PROPOSED,
    and_(Handover.state == HandoverState.WITHDRAWN, Handover.decided_at >= bindparam("start"),
         Handover.decided_at < bindparam("top"))))
PREVIOUS_VISIT = select(PathwayVisit.previous_seen_at).where(PathwayVisit.pathway_id == bindparam("pathway_id"),
                                                             PathwayVisit.user_id == bindparam("user_id"))


def _window_entry(row) -> Entry:
    """An Entry from a row of ENTRIES_IN_WINDOW (the meeting's id, kind and start are its last three)."""
    kind = InputKind(row.kind)
    entry = Entry(kind=kind, id=row.id, author_id=row.author_id, author_name=row.name, author_role=row.author_role,
                  sharing=row.sharing, not_for_parents=row.author_role == Role.YOUNG_PERSON and row.sharing == Sharing.TEAM,
                  withheld_at=row.withheld_at, withheld_reason=row.withheld_reason, created_at=row.created_at,
                  updated_at=row.updated_at, read_before=row.last_read is not None,
                  changed_since_read=row.last_read is not None and row.updated_at > row.last_read)
    if kind == InputKind.STATEMENT:
        entry.prompt, entry.text = row.prompt, row.text
    else:
        entry.meeting_id = row[-3]
    return entry


def _store_visit(pathway_id: int, user_id: int, at: datetime) -> datetime | None:
    """Store the reader's visit and return the time of their visit before it (None: the first),
    in one statement: two tabs opening the pathway for the first time at the same moment must not
    collide on the key."""
    upsert = sqlite_insert if db.session.get_bind().dialect.name == "sqlite" else postgresql_insert
    statement = upsert(PathwayVisit).values(pathway_id=pathway_id, user_id=user_id, seen_at=at)
    return db.session.scalar(statement.on_conflict_do_update(
        index_elements=[PathwayVisit.pathway_id, PathwayVisit.user_id],
        set_={"previous_seen_at": PathwayVisit.seen_at, "seen_at": at},
    ).returning(PathwayVisit.previous_seen_at))


def pathway_timeline(reader: User, pathway: Pathway, before: date | None = None) -> Timeline:
    """One page of the timeline, newest first, grouped by month, each item marked new if it came after
    the reader's previous visit (nothing on their first visit: then all would be). The newest page
    stores the visit (committed with the page's reads); an older page (`before`) only reads it, so
    paging back keeps the marks. Six queries, whatever the length of the pathway."""
    ids = {"pathway_id": pathway.id}
    if before is None:
        previous = _store_visit(pathway.id, reader.id, utcnow())
    else:
        previous = db.session.scalar(PREVIOUS_VISIT, {**ids, "user_id": reader.id})
    top = FAR_FUTURE if before is None else month_start(before)
    newest, oldest = [], None
    for is_oldest, at in db.session.execute(TIMELINE_ANCHOR, {**ids, "top": top}):
        if int(is_oldest):
            oldest = at
        else:
            newest.append(at)
    start = month_start(month_of(min(newest))) if newest else top
    window = {**ids, "start": start, "top": top}
    rows = db.session.execute(ENTRIES_IN_WINDOW, {**window, "reader_id": reader.id}).all()
    records = meetings_with_agreements(pathway, (start, top))
    events = list(db.session.scalars(HISTORY_IN_WINDOW, window))
    handovers = list(db.session.scalars(HANDOVERS_IN_WINDOW, window))

    def is_new(at: datetime) -> bool:
        return previous is not None and at > previous

    def in_window(at: datetime) -> bool:
        return start <= at < top

    items, statements = [], []
    for row in rows:
        entry = _window_entry(row)
        if entry.kind == InputKind.STATEMENT:
            statements.append(entry)
            items.append(TimelineItem("statement", entry.updated_at, is_new(entry.updated_at), entry=entry))
        else:
            meeting = MeetingRef(row[-3], row[-2], row[-1])
            items.append(TimelineItem("preparation", entry.updated_at, is_new(entry.updated_at), entry=entry,
                                      meeting=meeting))
    for record in records:
        m = record.meeting
        if in_window(m.starts_at):
            items.append(TimelineItem("meeting", m.starts_at, is_new(m.created_at), meeting=m,
                                      minutes=record.minutes is not None))
        items += [TimelineItem("agreement", a.created_at, is_new(a.created_at), agreement=a, meeting=m)
                  for a in record.agreements if in_window(a.created_at)]
    items += [TimelineItem("event", e.at, is_new(e.at), event=e) for e in events]
    items += [TimelineItem("withdrawn", h.decided_at, is_new(h.decided_at), handover=h)
              for h in handovers if h.state == HandoverState.WITHDRAWN]
    items.sort(key=lambda item: item.at, reverse=True)
    months: list[TimelineMonth] = []
    for item in items:
        month = month_of(item.at)
        if not months or months[-1].month != month:
            months.append(TimelineMonth(month, []))
        months[-1].items.append(item)
    relay = [r for r in records if r.meeting.starts_at <= utcnow() or r.minutes is not None][:RELAY_MEETINGS]
    return Timeline(months=months, first_visit=previous is None, previous_visit=previous, before=before,
                    older=month_of(start) if oldest is not None and oldest < start else None, start=start,
                    handovers=handovers, relay_meetings=relay, reads=[s.read_entry() for s in statements])


# --- the before-the-meeting page ----------------------------------------------------------------

@dataclass
class Column:
    """One person's preparation on the before-the-meeting page (None: not prepared yet)."""

    name: str
    role: Role
    preparation: Entry | None


@dataclass
class AgreementWithAnswers:
    agreement: Agreement
    answers: list[AgreementAnswer]
    meeting_kind: MeetingKind | None = None  # the meeting it was agreed at
    meeting_starts_at: datetime | None = None


@dataclass
class Summary:
    """The top of the before-the-meeting page, read in ten seconds: the young person's own preparation
    for this meeting, as far as the team may read it (`prepared` False: nothing shared with the team)."""

    prepared: bool
    participation: Participation | None = None
    needs: str = ""
    want_there: str = ""
    not_there: str = ""
    not_while_present: str = ""

    @property
    def in_writing(self) -> bool:
        return self.participation == Participation.IN_WRITING

    @classmethod
    def of(cls, preparation: Entry | None) -> "Summary":
        if preparation is None or preparation.is_empty():
            return cls(prepared=False)
        answers = preparation.answers
        return cls(True, preparation.participation, answers["needs"], answers["want_there"], answers["not_there"],
                   answers["not_while_present"])


@dataclass
class MeetingPage:
    meeting: Meeting
    previous: Meeting | None
    young_person: Column
    parents: list[Column]
    statements: list[Entry]
    agreements: list[AgreementWithAnswers]  # every point still open, from earlier meetings
    invitees: list[User]
    parent_names: list[str]
    changed_since_meeting: set[int]
    summary: Summary
    held: list[Meeting] = field(default_factory=list)  # the last three held before this one, newest first
    reads: list = field(default_factory=list)  # what the page shows of the family's input


# The before-the-meeting page's own queries, built once and run with the ids.
PREVIOUS_MEETING = (select(Meeting).where(Meeting.pathway_id == bindparam("pathway_id"),
                                          Meeting.starts_at < bindparam("starts_at"))
                    .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1))
LAST_HELD = (select(Meeting).where(Meeting.pathway_id == bindparam("pathway_id"),
                                   Meeting.starts_at < bindparam("starts_at"), Meeting.held_at.is_not(None))
             .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(3))
PARENTS = (select(User).join(ParentLink, ParentLink.user_id == User.id)
           .where(ParentLink.young_person_id == bindparam("young_person_id"),
                  ParentLink.parental_responsibility.is_(True))
           .order_by(User.name, User.id))
OPEN_POINTS = (select(Agreement, Meeting.kind, Meeting.starts_at, AgreementAnswer)
               .join(Meeting, Meeting.id == Agreement.meeting_id)
               .outerjoin(AgreementAnswer, AgreementAnswer.agreement_id == Agreement.id)
               .where(Agreement.pathway_id == bindparam("pathway_id"), Meeting.starts_at < bindparam("starts_at"),
                      or_(Agreement.due_on >= bindparam("since_day"),
                          and_(Agreement.due_on.is_(None), Meeting.starts_at >= bindparam("since_start"))))
               .options(joinedload(AgreementAnswer.user))
               .order_by(Meeting.starts_at, Agreement.created_at, Agreement.id, AgreementAnswer.at))
INVITEES = (select(User).join(MeetingInvitee, MeetingInvitee.user_id == User.id)
            .where(MeetingInvitee.meeting_id == bindparam("meeting_id"))
            .options(joinedload(User.services)).order_by(User.name))
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def open_points(pathway: Pathway, meeting: Meeting, last_held: Meeting | None) -> list[AgreementWithAnswers]:
    """Every agreement point still open when `meeting` starts, from any earlier meeting on the pathway,
    with the family's answers. One query.

    An agreement point has no status of its own (nobody marks it done): a meeting is where the team
    and the family follow it up. So a point is open until a meeting has been held on or after its due
    date: it is open if its due date falls after the day of the last meeting held before this one
    (`last_held`), or, without a due date, if it was agreed at that meeting or later. Without any
    meeting held before, every earlier point is open."""
    since_day = date(1970, 1, 1) if last_held is None else last_held.starts_at.astimezone(OSLO).date()
    since_start = EARLIEST if last_held is None else last_held.starts_at
    points: dict[int, AgreementWithAnswers] = {}
    rows = db.session.execute(OPEN_POINTS, {"pathway_id": pathway.id, "starts_at": meeting.starts_at,
                                            "since_day": since_day, "since_start": since_start})
    for point, kind, starts_at, answer in rows:
        with_answers = points.setdefault(point.id, AgreementWithAnswers(point, [], kind, starts_at))
        if answer is not None:
            with_answers.answers.append(answer)
    return list(points.values())


def meeting_page(reader: User, pathway: Pathway, meeting: Meeting) -> MeetingPage:
    """What the team reads before a meeting. `reads`: every preparation and statement shown, and the
    family's answers to the agreement points still open (their own words too)."""
    young = pathway.young_person
    previous = db.session.scalar(PREVIOUS_MEETING, {"pathway_id": pathway.id, "starts_at": meeting.starts_at})
    held = list(db.session.scalars(LAST_HELD, {"pathway_id": pathway.id, "starts_at": meeting.starts_at}))
    parents = list(db.session.scalars(PARENTS, {"young_person_id": young.id}))
    preparations = visible_preparations(reader, "meeting", meeting.id)
    statements = visible_statements(reader, pathway.id, young_person_only=True)
    by_author = {p.author_id: p for p in preparations}
    young_column = Column(young.name, Role.YOUNG_PERSON, by_author.get(young.user_id) if young.user_id else None)
    parent_columns = [Column(p.name, Role.PARENT, by_author.get(p.id)) for p in parents]
    if not meeting.parents_invited:
        parent_columns = [c for c in parent_columns if c.preparation is not None]
    changed = {s.id for s in statements if previous is not None and s.updated_at > previous.starts_at}
    shown = [c.preparation for c in [young_column, *parent_columns] if c.preparation is not None]
    agreements = open_points(pathway, meeting, held[0] if held else None)
    invitees = list(db.session.scalars(INVITEES, {"meeting_id": meeting.id}).unique())
    reads = [e.read_entry() for e in shown + statements]
    reads += [(InputKind.ANSWER, answer.id, answer.user_id) for point in agreements for answer in point.answers]
    return MeetingPage(meeting=meeting, previous=previous, young_person=young_column, parents=parent_columns,
                       statements=statements, agreements=agreements, invitees=invitees,
                       parent_names=[c.name for c in parent_columns], changed_since_meeting=changed,
                       summary=Summary.of(young_column.preparation), held=held, reads=reads)


# --- weighty reasons ----------------------------------------------------------------------------

MODELS = {InputKind.STATEMENT: Statement, InputKind.PREPARATION: Preparation}


def withholdable_entry(pathway: Pathway, kind: InputKind, item_id: int):
    """The young person's entry on `pathway` that the team can see (not a draft, not removed), or None."""
    model = MODELS[kind]
    query = select(model).where(model.id == item_id, model.pathway_id == pathway.id,
                                model.author_role == Role.YOUNG_PERSON, team_sees(model))
    if model is Statement:
        query = query.where(Statement.removed_at.is_(None))
    return db.session.scalar(query)


def withhold(entry, kind: InputKind, by: User, reason: str) -> None:
    """Withhold the entry from the parents for weighty reasons, with the reason (recorded)."""
    now = utcnow()
    entry.withheld_at, entry.withheld_by_id, entry.withheld_reason = now, by.id, reason
    db.session.add(VisibilityChange(item_kind=kind, item_id=entry.id, kind=VisibilityKind.WITHHELD,
                                    reason=reason, by_id=by.id, at=now))
    db.session.commit()


def release(entry, kind: InputKind, by: User) -> bool:
    """Let the parents see the entry again (their age rules still apply); False if it was not withheld."""
    if entry.withheld_at is None:
        return False
    entry.withheld_at = entry.withheld_by_id = entry.withheld_reason = None
    db.session.add(VisibilityChange(item_kind=kind, item_id=entry.id, kind=VisibilityKind.RELEASED,
                                    by_id=by.id, at=utcnow()))
    db.session.commit()
    return True
