"""'What we are doing about it': the relay log's goals and measures as the young person and parents
see them, and their comments on measures.

Who sees what (access.policy.family_sees_goal): the young person sees every goal and measure; a
parent not a goal marked "not for the parents", nor a goal that answers a statement the parent may
not read at the young person's age today. Measures follow their goal. A statement's text is shown
only on goals the reader sees, so never one they may not read. Comments are shown to the team and
to their author only."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, select

from access.policy import family_pathways_query, family_sees_goal
from accounts.models import Role, User, YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways.models import Evaluation, Goal, Measure, MeasureComment, Pathway, goal_statements


@dataclass
class OwnComment:
    text: str
    at: datetime


@dataclass
class FamilyMeasure:
    id: int
    goal_id: int
    pathway_id: int
    what: str
    responsible_name: str
    deadline: date
    evaluated_on: date | None = None  # the latest evaluation
    worked: str | None = None
    next_step: str | None = None
    comments: list[OwnComment] = field(default_factory=list)  # the reader's own


@dataclass
class FamilyGoal:
    id: int
    pathway_id: int
    text: str
    said: list[str] = field(default_factory=list)  # what the young person said that it answers
    measures: list[FamilyMeasure] = field(default_factory=list)


@dataclass
class _Linked:
    """What the access rule needs of a linked statement."""

    text: str
    sharing: object
    withheld_at: datetime | None
    removed_at: datetime | None


def _goals():
    from youth.models import Statement

    return (
        select(Goal.id, Goal.pathway_id, Goal.text, Goal.not_for_parents, Statement.text, Statement.sharing,
               Statement.withheld_at, Statement.removed_at)
        .outerjoin(goal_statements, goal_statements.c.goal_id == Goal.id)
        .outerjoin(Statement, Statement.id == goal_statements.c.statement_id)
        .where(Goal.pathway_id.in_(bindparam("pathway_ids", expanding=True)))
        .order_by(Goal.created_at, Goal.id, Statement.created_at, Statement.id)
    )


def _measures_of_goals():
    return (
        select(Measure.id, Measure.goal_id, Measure.pathway_id, Measure.what, User.name, Measure.deadline,
               Evaluation.evaluated_on, Evaluation.worked, Evaluation.next_step)
        .join(User, User.id == Measure.responsible_id)
        .outerjoin(Evaluation, Evaluation.measure_id == Measure.id)
        .where(Measure.goal_id.in_(bindparam("goal_ids", expanding=True)))
        .order_by(Measure.deadline, Measure.id, Evaluation.evaluated_on, Evaluation.at, Evaluation.id)
    )


# Built once, run with the pathways, goals and measures of the page.
GOALS, MEASURES = _goals(), _measures_of_goals()
ONE_MEASURE = MEASURES.where(Measure.id == bindparam("measure_id"))  # a comment's own measure
OWN_COMMENTS = (
    select(MeasureComment.measure_id, MeasureComment.text, MeasureComment.at)
    .where(MeasureComment.measure_id.in_(bindparam("measure_ids", expanding=True)),
           MeasureComment.author_id == bindparam("user_id"))
    .order_by(MeasureComment.at, MeasureComment.id)
)


def _visible_goals(user: User, ages: dict[int, int]) -> dict[int, FamilyGoal]:
    """The goals on the pathways of `ages` (pathway id -> the young person's age today; the caller has
    checked they are the user's) that `user` may see. One query."""
    if not ages:
        return {}
    goals: dict[int, tuple] = {}
    linked: dict[int, list[_Linked]] = {}
    for goal_id, pathway_id, text, not_for_parents, *statement in db.session.execute(
            GOALS, {"pathway_ids": list(ages)}):
        goals.setdefault(goal_id, (pathway_id, text, not_for_parents))
        if statement[0] is not None:
            linked.setdefault(goal_id, []).append(_Linked(*statement))
    visible = {}
    for goal_id, (pathway_id, text, not_for_parents) in goals.items():
        statements = linked.get(goal_id, [])
        if family_sees_goal(user, not_for_parents, statements, ages[pathway_id]):
            # The young person's own words, as long as they have not removed them.
            said = [s.text for s in statements if s.removed_at is None]
            visible[goal_id] = FamilyGoal(goal_id, pathway_id, text, said)
    return visible


def _measures(user: User, goals: dict[int, FamilyGoal], measure_id: int | None = None) -> dict[int, FamilyMeasure]:
    """The measures of `goals`, each with its latest evaluation and `user`'s own comments. Two queries."""
    if not goals:
        return {}
    measures: dict[int, FamilyMeasure] = {}
    query, params = (MEASURES, {}) if measure_id is None else (ONE_MEASURE, {"measure_id": measure_id})
    for row in db.session.execute(query, {"goal_ids": list(goals)} | params):
        measure = measures.setdefault(row[0], FamilyMeasure(*row[:6]))
        if row[6] is not None:  # the last evaluation wins: the latest
            measure.evaluated_on, measure.worked, measure.next_step = row[6:]
    if measures:
        for measure_id_, text, at in db.session.execute(
                OWN_COMMENTS, {"measure_ids": list(measures), "user_id": user.id}):
            measures[measure_id_].comments.append(OwnComment(text, at))
    return measures


def doing_for_home(user: User, ages: dict[int, int]) -> dict[int, list[FamilyGoal]]:
    """For each of the user's pathways (`ages`: pathway id -> the young person's age today, from
    `my_pathways`), the goals `user` may see, oldest first, each with its measures by deadline.
    Three queries, whatever the amount."""
    goals = _visible_goals(user, ages)
    for measure in _measures(user, goals).values():
        goals[measure.goal_id].measures.append(measure)
    doing: dict[int, list[FamilyGoal]] = {pid: [] for pid in ages}
    for goal in goals.values():
        doing[goal.pathway_id].append(goal)
    return doing


def goal_count(user: User, ages: dict[int, int]) -> int:
    """How many goals `user` may see on their pathways (see doing_for_home), for the home page's line.
    One query."""
    return len(_visible_goals(user, ages))


def family_measure(user: User, measure_id: int) -> FamilyMeasure | None:
    """The measure if `user` may see it as family (on their pathway, its goal visible to them), with
    their own comments; else None."""
    found = db.session.execute(
        select(Measure.pathway_id, YoungPerson.birth_date)
        .join(Pathway, Pathway.id == Measure.pathway_id).join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
        .where(Measure.id == measure_id,
               Measure.pathway_id.in_(family_pathways_query(user).with_only_columns(Pathway.id)))
    ).first()
    if found is None:
        return None
    goals = _visible_goals(user, {found.pathway_id: YoungPerson(birth_date=found.birth_date).age_on(today_in_oslo())})
    return _measures(user, goals, measure_id).get(measure_id)


def add_comment(user: User, measure_id: int, text: str) -> MeasureComment:
    """Store the young person's or a parent's comment on a measure (the caller checked they see it)."""
    comment = MeasureComment(measure_id=measure_id, author_id=user.id, author_role=Role(user.role),
                             text=text.strip(), at=utcnow())
    db.session.add(comment)
    db.session.commit()
    return comment
