"""'What we are doing about it': the relay log's goals and measures as the young person and parents
see them, and their comments on measures.

Who sees what (access.policy.family_sees_goal): the young person sees every goal and measure; a
parent not a goal marked "not for the parents", nor a goal that answers a statement the parent may
not read at the young person's age today. Measures follow their goal. A statement's text is shown
only on goals the reader sees, so never one they may not read. Comments are shown to the team and
to their author only."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

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
class _Born:
    """A birth date, to count an age with `YoungPerson.age_on` without loading the young person."""

    birth_date: date


@dataclass
class _Linked:
    """What the access rule needs of a linked statement."""

    text: str
    sharing: object
    not_for_parents: bool
    withheld_at: datetime | None
    removed_at: datetime | None


def _visible_goals(user: User, pathway_ids: list[int]) -> dict[int, FamilyGoal]:
    """The goals on `pathway_ids` (the caller has checked they are the user's) that `user` may see.
    Three queries."""
    from youth.models import Statement

    if not pathway_ids:
        return {}
    today = today_in_oslo()
    ages = {pid: YoungPerson.age_on(_Born(born), today) for pid, born in db.session.execute(
        select(Pathway.id, YoungPerson.birth_date).join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
        .where(Pathway.id.in_(pathway_ids))
    )}
    goals = db.session.execute(
        select(Goal.id, Goal.pathway_id, Goal.text, Goal.not_for_parents)
        .where(Goal.pathway_id.in_(pathway_ids)).order_by(Goal.created_at, Goal.id)
    ).all()
    linked: dict[int, list[_Linked]] = {}
    if goals:
        for goal_id, *row in db.session.execute(
            select(goal_statements.c.goal_id, Statement.text, Statement.sharing, Statement.not_for_parents,
                   Statement.withheld_at, Statement.removed_at)
            .join(Statement, Statement.id == goal_statements.c.statement_id)
            .where(goal_statements.c.goal_id.in_([g.id for g in goals]))
            .order_by(Statement.created_at, Statement.id)
        ):
            linked.setdefault(goal_id, []).append(_Linked(*row))
    visible = {}
    for goal_id, pathway_id, text, not_for_parents in goals:
        statements = linked.get(goal_id, [])
        if family_sees_goal(user, not_for_parents, statements, ages[pathway_id]):
            # The young person's own words, as long as they have not removed them.
            said = [s.text for s in statements if s.removed_at is None]
            visible[goal_id] = FamilyGoal(goal_id, pathway_id, text, said)
    return visible


def _measures(user: User, goals: dict[int, FamilyGoal], measure_id: int | None = None) -> dict[int, FamilyMeasure]:
    """The measures of `goals`, each with its latest evaluation and `user`'s own comments. Three queries."""
    if not goals:
        return {}
    query = (
        select(Measure.id, Measure.goal_id, Measure.pathway_id, Measure.what, User.name, Measure.deadline)
        .join(User, User.id == Measure.responsible_id)
        .where(Measure.goal_id.in_(goals)).order_by(Measure.deadline, Measure.id)
    )
    if measure_id is not None:
        query = query.where(Measure.id == measure_id)
    measures = {row[0]: FamilyMeasure(*row) for row in db.session.execute(query)}
    if measures:
        for measure_id_, evaluated_on, worked, next_step in db.session.execute(
            select(Evaluation.measure_id, Evaluation.evaluated_on, Evaluation.worked, Evaluation.next_step)
            .where(Evaluation.measure_id.in_(measures)).order_by(Evaluation.evaluated_on, Evaluation.at, Evaluation.id)
        ):
            measure = measures[measure_id_]
            measure.evaluated_on, measure.worked, measure.next_step = evaluated_on, worked, next_step
        for measure_id_, text, at in db.session.execute(
            select(MeasureComment.measure_id, MeasureComment.text, MeasureComment.at)
            .where(MeasureComment.measure_id.in_(measures), MeasureComment.author_id == user.id)
            .order_by(MeasureComment.at, MeasureComment.id)
        ):
            measures[measure_id_].comments.append(OwnComment(text, at))
    return measures


def doing_for_home(user: User, pathway_ids: list[int]) -> dict[int, list[FamilyGoal]]:
    """For each of `pathway_ids` (the user's own, from `my_pathways`), the goals `user` may see, oldest
    first, each with its measures by deadline. Six queries, whatever the amount."""
    goals = _visible_goals(user, pathway_ids)
    for measure in _measures(user, goals).values():
        goals[measure.goal_id].measures.append(measure)
    doing: dict[int, list[FamilyGoal]] = {pid: [] for pid in pathway_ids}
    for goal in goals.values():
        doing[goal.pathway_id].append(goal)
    return doing


def family_measure(user: User, measure_id: int) -> FamilyMeasure | None:
    """The measure if `user` may see it as family (on their pathway, its goal visible to them), with
    their own comments; else None."""
    pathway_id = db.session.scalar(
        select(Measure.pathway_id).where(
            Measure.id == measure_id,
            Measure.pathway_id.in_(family_pathways_query(user).with_only_columns(Pathway.id)))
    )
    if pathway_id is None:
        return None
    goals = _visible_goals(user, [pathway_id])
    return _measures(user, goals, measure_id).get(measure_id)


def add_comment(user: User, measure_id: int, text: str) -> MeasureComment:
    """Store the young person's or a parent's comment on a measure (the caller checked they see it)."""
    comment = MeasureComment(measure_id=measure_id, author_id=user.id, author_role=Role(user.role),
                             text=text.strip(), at=utcnow())
    db.session.add(comment)
    db.session.commit()
    return comment
