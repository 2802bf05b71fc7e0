"""Writes and queries for the relay log (stafettlogg): goals, measures, evaluations, the family's
comments and meeting minutes, as the team reads them; and the overdue measures on a worklist.

Overdue: a measure is overdue when its deadline is before today (Oslo) and it has no evaluation at
all. An evaluation, whenever it is dated, means someone has looked at it; the evaluation says what
next.

Every query function runs a fixed number of SQL queries whatever the number of goals, measures,
evaluations, comments or meetings, and returns plain rows with the entries of the family's input it
shows (`reads`), which the view logs."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, bindparam, exists, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from access.policy import team_sees
from accounts.models import Role, User, YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from core.paging import TOTAL, Part, split_total
from pathways.models import (
    Evaluation, EventKind, Goal, InputKind, Measure, MeasureComment, Meeting, MeetingKind, MeetingMinutes, Pathway,
    TeamMember, goal_statements,
)
from pathways.services import meetings_with_agreements, record_event

# Built once: an alias made per request costs a new set of column objects each time.
RESPONSIBLE = aliased(User, name="responsible")


# --- reading ------------------------------------------------------------------------------------

@dataclass
class LinkedStatement:
    """A statement of the young person that a goal answers (one the team may read)."""

    id: int
    text: str
    author_id: int


@dataclass
class EvaluationRow:
    evaluated_on: date
    worked: str
    next_step: str
    by_name: str


@dataclass
class CommentRow:
    """A comment from the young person or a parent on a measure."""

    author_name: str
    author_role: Role
    text: str
    at: datetime


@dataclass
class MeasureRow:
    id: int
    goal_id: int
    what: str
    responsible_id: int
    responsible_name: str
    deadline: date
    overdue: bool = False
    evaluation: EvaluationRow | None = None  # the latest
    evaluation_count: int = 0
    comments: list[CommentRow] = field(default_factory=list)


@dataclass
class GoalRow:
    id: int
    text: str
    not_for_parents: bool
    created_at: datetime
    created_by_name: str
    statements: list[LinkedStatement] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)


@dataclass
class AgreementPointRow:
    what: str
    who: str
    due_on: date | None


@dataclass
class MinutesRow:
    """A meeting that has started, with its minutes (if written) and what was agreed."""

    meeting_id: int
    kind: MeetingKind
    starts_at: datetime
    text: str | None
    written_by_name: str | None
    written_at: datetime | None
    agreements: list[AgreementPointRow] = field(default_factory=list)


@dataclass
class RelayLog:
    """The relay log of a pathway, for the team."""

    pathway_id: int
    closed: bool  # a closed pathway is read-only: no links to the forms
    goals: list[GoalRow]
    minutes: list[MinutesRow]
    reads: list = field(default_factory=list)  # the statements and comments shown, for the access log

    @property
    def overdue_count(self) -> int:
        return sum(m.overdue for g in self.goals for m in g.measures)


def is_overdue(deadline: date, evaluated: bool, today: date | None = None) -> bool:
    """The rule of this module's docstring: past its deadline and never evaluated."""
    return not evaluated and deadline < (today or today_in_oslo())


def _relay_queries():
    from youth.models import Statement

    goals = (
        select(Goal.id, Goal.text, Goal.not_for_parents, Goal.created_at, User.name,
               Statement.id, Statement.text, Statement.author_id)
        .join(User, User.id == Goal.created_by_id)
        .outerjoin(goal_statements, goal_statements.c.goal_id == Goal.id)
        .outerjoin(Statement, and_(Statement.id == goal_statements.c.statement_id, team_sees(Statement),
                                   Statement.removed_at.is_(None)))
        .where(Goal.pathway_id == bindparam("pathway_id"))
        .order_by(Goal.created_at, Goal.id, Statement.created_at, Statement.id)
    )
    # Each measure with its evaluations and the family's comments (a row per evaluation and comment
    # pair: both are few per measure).
    evaluator, commenter = aliased(User, name="evaluator"), aliased(User, name="commenter")
    measures = (
        select(Measure.id, Measure.goal_id, Measure.what, Measure.responsible_id, RESPONSIBLE.name, Measure.deadline,
               Evaluation.id, Evaluation.evaluated_on, Evaluation.worked, Evaluation.next_step, evaluator.name,
               MeasureComment.id, MeasureComment.author_id, commenter.name, MeasureComment.author_role,
               MeasureComment.text, MeasureComment.at)
        .join(RESPONSIBLE, RESPONSIBLE.id == Measure.responsible_id)
        .outerjoin(Evaluation, Evaluation.measure_id == Measure.id)
        .outerjoin(evaluator, evaluator.id == Evaluation.by_id)
        .outerjoin(MeasureComment, MeasureComment.measure_id == Measure.id)
        .outerjoin(commenter, commenter.id == MeasureComment.author_id)
        .where(Measure.pathway_id == bindparam("pathway_id"))
        .order_by(Measure.deadline, Measure.id, Evaluation.evaluated_on, Evaluation.at, Evaluation.id,
                  MeasureComment.at, MeasureComment.id)
    )
    return goals, measures


# Built once, run with the pathway's id.
GOALS, MEASURES = _relay_queries()


def relay_log(pathway: Pathway, reader: User, meetings: list | None = None) -> RelayLog:
    """The pathway's goals (oldest first) with the statements they answer and their measures (by
    deadline), each measure with its responsible person, deadline, latest evaluation, the family's
    comments and whether it is overdue (told only to the responsible person and the coordinator,
    as on the worklist); and the minutes of every meeting that has started (latest first) with
    its agreement points. Showing a statement's text or a family member's comment is a read: `reads`
    lists them. Two queries (three without `meetings`, from `services.meetings_with_agreements`),
    whatever the amount."""
    pathway_id, closed, coordinator_id = pathway.id, pathway.closed, pathway.coordinator_id
    comments_read: list = []
    today = today_in_oslo()
    goals: dict[int, GoalRow] = {}
    # Each goal with the young person's statements it answers that the team may read today.
    for goal_id, text, not_for_parents, created_at, by_name, *statement in db.session.execute(
            GOALS, {"pathway_id": pathway_id}):
        goal = goals.get(goal_id) or goals.setdefault(goal_id, GoalRow(goal_id, text, not_for_parents, created_at,
                                                                        by_name))
        if statement[0] is not None:
            goal.statements.append(LinkedStatement(*statement))
    measures: dict[int, MeasureRow] = {}
    evaluations_seen, comments_seen = set(), set()
    for row in db.session.execute(MEASURES, {"pathway_id": pathway_id}):
        measure = measures.get(row[0]) or measures.setdefault(row[0], MeasureRow(*row[:6]))
        evaluation_id, comment_id, author_id = row[6], row[11], row[12]
        if evaluation_id is not None and evaluation_id not in evaluations_seen:
            evaluations_seen.add(evaluation_id)
            measure.evaluation = EvaluationRow(*row[7:11])  # the last one wins: the latest
            measure.evaluation_count += 1
        if comment_id is not None and comment_id not in comments_seen:
            comments_seen.add(comment_id)
            measure.comments.append(CommentRow(*row[13:17]))
            comments_read.append((InputKind.COMMENT, comment_id, author_id))
    # Overdue shows only to those who must act on it: the responsible person and the coordinator.
    coordinates = reader.id == coordinator_id
    for measure in measures.values():
        mine = coordinates or measure.responsible_id == reader.id
        measure.overdue = mine and is_overdue(measure.deadline, measure.evaluation_count > 0, today)
        goals[measure.goal_id].measures.append(measure)

    # Every meeting that has started, and any with minutes written, with what was agreed.
    now = utcnow()
    minutes = [
        MinutesRow(r.meeting.id, r.meeting.kind, r.meeting.starts_at, r.minutes.text if r.minutes else None,
                   r.minutes_by, r.minutes.written_at if r.minutes else None,
                   [AgreementPointRow(a.what, a.who, a.due_on) for a in r.agreements])
        for r in (meetings if meetings is not None else meetings_with_agreements(pathway))
        if r.meeting.starts_at <= now or r.minutes is not None
    ]

    read = [(InputKind.STATEMENT, s.id, s.author_id) for g in goals.values() for s in g.statements]
    return RelayLog(pathway_id, closed, list(goals.values()), minutes, reads=read + comments_read)


@dataclass
class StatementChoice:
    id: int
    text: str
    author_id: int

    def read_entry(self):
        return (InputKind.STATEMENT, self.id, self.author_id)


def statements_to_link(pathway: Pathway) -> list[StatementChoice]:
    """The young person's statements on `pathway` the team may read (no drafts, nothing removed),
    newest first: a goal may answer any of them. Showing them is a read (`read_entry`)."""
    from youth.models import Statement

    rows = db.session.execute(
        select(Statement.id, Statement.text, Statement.author_id)
        .where(Statement.pathway_id == pathway.id, Statement.author_role == Role.YOUNG_PERSON,
               team_sees(Statement), Statement.removed_at.is_(None))
        .order_by(Statement.created_at.desc(), Statement.id.desc())
    ).all()
    return [StatementChoice(*row) for row in rows]


def goal_choices(pathway: Pathway) -> list[tuple[int, str]]:
    """The pathway's goals as (id, text), oldest first."""
    return [tuple(row) for row in db.session.execute(
        select(Goal.id, Goal.text).where(Goal.pathway_id == pathway.id).order_by(Goal.created_at, Goal.id)
    )]


def team_names(pathway: Pathway) -> dict[int, str]:
    """The team as {user id: name}, in the order they joined."""
    return {uid: name for uid, name in db.session.execute(
        select(User.id, User.name).join(TeamMember, TeamMember.user_id == User.id)
        .where(TeamMember.pathway_id == pathway.id).order_by(TeamMember.added_at, User.id)
    )}


# --- writing ------------------------------------------------------------------------------------

def add_goal(pathway: Pathway, by: User, text: str, statement_ids: list[int], not_for_parents: bool) -> Goal:
    """Write a goal, linked to the statements it answers (the caller offers only those the team may
    read); recorded on the timeline."""
    text = text.strip()
    goal = Goal(pathway_id=pathway.id, text=text, not_for_parents=not_for_parents, created_by_id=by.id,
                created_at=utcnow())
    db.session.add(goal)
    db.session.flush()
    ids = sorted(set(statement_ids))
    if ids:
        db.session.execute(insert(goal_statements), [{"goal_id": goal.id, "statement_id": sid} for sid in ids])
    record_event(pathway, EventKind.GOAL_ADDED, by, detail=text[:1000])
    db.session.commit()
    return goal


def add_measure(pathway: Pathway, by: User, goal_id: int, what: str, responsible_id: int, deadline: date) -> Measure:
    """Write a measure for one of the pathway's goals with one responsible team member and a deadline
    (the form has checked both); recorded on the timeline."""
    what = what.strip()
    measure = Measure(pathway_id=pathway.id, goal_id=goal_id, what=what, responsible_id=responsible_id,
                      deadline=deadline, created_by_id=by.id, created_at=utcnow())
    db.session.add(measure)
    responsible = db.session.get(User, responsible_id)
    record_event(pathway, EventKind.MEASURE_ADDED, by, responsible.name, detail=what)
    db.session.commit()
    return measure


def evaluate_measure(pathway: Pathway, measure: Measure, by: User, evaluated_on: date, worked: str,
                     next_step: str) -> Evaluation:
    """Evaluate a measure: when, what worked, what next. A measure can be evaluated again later."""
    evaluation = Evaluation(measure_id=measure.id, evaluated_on=evaluated_on, worked=worked.strip(),
                            next_step=next_step.strip(), by_id=by.id, at=utcnow())
    db.session.add(evaluation)
    record_event(pathway, EventKind.MEASURE_EVALUATED, by, measure.responsible.name, detail=measure.what)
    db.session.commit()
    return evaluation


def meeting_minutes(meeting: Meeting) -> MeetingMinutes | None:
    return db.session.scalar(select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting.id))


def write_minutes(pathway: Pathway, meeting: Meeting, by: User, text: str) -> MeetingMinutes:
    """Write or change a meeting's minutes; the first writing is recorded on the timeline."""
    minutes = meeting_minutes(meeting)
    if minutes is None:
        minutes = MeetingMinutes(meeting_id=meeting.id, pathway_id=pathway.id)
        db.session.add(minutes)
        record_event(pathway, EventKind.MINUTES_WRITTEN, by, detail=meeting.kind.value)
    minutes.text, minutes.written_by_id, minutes.written_at = text.strip(), by.id, utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        # The first minutes sent twice at once (a double tap): the other is stored; update it.
        db.session.rollback()
        minutes = meeting_minutes(meeting)
        minutes.text, minutes.written_by_id, minutes.written_at = text.strip(), by.id, utcnow()
        db.session.commit()
    return minutes


# --- the worklist -------------------------------------------------------------------------------

@dataclass
class OverdueMeasure:
    """An overdue measure on a professional's worklist."""

    pathway_id: int
    young_person_name: str
    measure_id: int
    what: str
    deadline: date
    responsible_name: str


def _open_measures(*conditions, columns=()):
    """Measures not yet evaluated on open pathways where the user (`user_id`) is on the team,
    matching `conditions`, by deadline: a statement built once, run with the user and today."""
    return (
        select(Pathway.id, YoungPerson.name, Measure.id, Measure.what, Measure.deadline, RESPONSIBLE.name, *columns)
        .join(Pathway, Pathway.id == Measure.pathway_id)
        .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
        .join(TeamMember, and_(TeamMember.pathway_id == Pathway.id, TeamMember.user_id == bindparam("user_id")))
        .join(RESPONSIBLE, RESPONSIBLE.id == Measure.responsible_id)
        .where(Pathway.closed_at.is_(None), ~exists().where(Evaluation.measure_id == Measure.id), *conditions)
        .order_by(Measure.deadline, Measure.id)
    )


OVERDUE_SHOWN = 10  # on the worklist; all of them on their own pages
OVERDUE_PAGE_SIZE = 25
OVERDUE = (_open_measures(or_(Measure.responsible_id == bindparam("user_id"),
                              Pathway.coordinator_id == bindparam("user_id")),
                          Measure.deadline < bindparam("today"), columns=[TOTAL])
           .limit(bindparam("limit")).offset(bindparam("offset")))
MINE_OPEN = _open_measures(Measure.responsible_id == bindparam("user_id"), Measure.deadline >= bindparam("today"))


def overdue_measures(user: User, limit: int = OVERDUE_SHOWN, offset: int = 0) -> Part[OverdueMeasure]:
    """The overdue measures (see the module docstring) `user` must act on: those they are responsible
    for, and all of those on pathways they coordinate; only on open pathways where they are on the
    team. The most overdue first, `limit` of them from `offset` on (cut in SQL), and how many there
    are in all. One query."""
    rows, total = split_total(db.session.execute(
        OVERDUE, {"user_id": user.id, "today": today_in_oslo(), "limit": limit, "offset": offset}).all())
    return Part([OverdueMeasure(*row) for row in rows], total, limit, offset)


def my_open_measures(user: User) -> list[OverdueMeasure]:
    """The measures `user` is responsible for that are not yet evaluated and not overdue (those are
    listed as overdue), on open pathways where they are on the team. Soonest deadline first. One query."""
    return [OverdueMeasure(*row) for row in db.session.execute(
        MINE_OPEN, {"user_id": user.id, "today": today_in_oslo()})]
