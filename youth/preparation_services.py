"""Meeting preparations by the young person and each parent, their answers to agreements, and the
meetings and agreements their home pages show. Every query runs a fixed number of SQL queries."""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from access.policy import FAMILY_ROLES, family_input_visible, family_meetings_condition, family_meetings_for
from accounts.models import Role, User
from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways.models import Agreement, AgreementAnswer, AnswerKind, InputKind, Meeting, MeetingKind
from youth import autosave
from youth.models import PREPARATION_FIELDS, Participation, Preparation, PreparationVersion, Sharing


def age_of_young_person(meeting: Meeting) -> int:
    """The young person's age today (the sharing rules count from it)."""
    return meeting.pathway.young_person.age_on(today_in_oslo())


# --- the preparation page -----------------------------------------------------------------------

def own_preparation(user: User, meeting: Meeting) -> Preparation | None:
    return db.session.scalar(
        select(Preparation).where(Preparation.meeting_id == meeting.id, Preparation.author_id == user.id)
    )


def others_preparations(user: User, meeting: Meeting, age: int) -> list[Preparation]:
    """The other family members' preparations for `meeting` that `user` may read (see access.policy):
    a parent sees the young person's by the age rules, the young person sees what a parent shared
    with them. Never another parent's. One query, authors loaded with it."""
    return list(db.session.scalars(
        select(Preparation)
        .where(Preparation.meeting_id == meeting.id, Preparation.author_id != user.id,
               family_input_visible(Preparation, user, age))
        .options(selectinload(Preparation.author))
        .order_by(Preparation.author_role.desc(), Preparation.id)
    ))


def _record_version(preparation: Preparation, by: User) -> None:
    db.session.add(PreparationVersion(preparation_id=preparation.id, revision=preparation.revision,
                                      content=preparation.content(), sharing=preparation.sharing,
                                      saved_at=preparation.updated_at,
                                      saved_by_id=by.id))


def save_preparation(user: User, meeting: Meeting, content: dict, sharing: Sharing,
                     revision: int, now: datetime | None = None) -> autosave.Result:
    """Store `user`'s preparation for `meeting` from a form loaded at `revision` (0: none yet) by the
    protocol of youth/autosave.py: any difference from a newer one, the sharing choice included, is a
    conflict. Only the fields in `content` change (a step of the page sends its own; the others keep
    what is stored). Refused (CLOSED, nothing stored) once the meeting has started."""
    if meeting.started(now):
        return autosave.Result(own_preparation(user, meeting), autosave.Outcome.CLOSED)
    young = user.role == Role.YOUNG_PERSON
    values = {name: content[name] for name in PREPARATION_FIELDS if name in content}
    if "participation" in content:
        participation = content["participation"] if young else None
        values["participation"] = Participation(participation) if participation else None
    values["sharing"] = sharing

    def make():
        return Preparation(meeting_id=meeting.id, pathway_id=meeting.pathway_id, author_id=user.id,
                           author_role=user.role, **{name: "" for name in PREPARATION_FIELDS})

    return autosave.save(lambda: own_preparation(user, meeting), make, lambda _stored: values, revision, user,
                         item_kind=InputKind.PREPARATION, record_version=_record_version)


# --- home pages ---------------------------------------------------------------------------------

@dataclass
class AgreementPoint:
    """One agreement point as the family reads it, with this user's own answer (if any)."""

    id: int
    what: str
    who: str
    due_on: date | None
    answer: AnswerKind | None = None
    question: str | None = None
    answered_at: datetime | None = None


@dataclass
class AgreementGroup:
    """The points of the most recent meeting with agreements on one pathway."""

    pathway_id: int
    meeting_id: int
    meeting_kind: MeetingKind
    meeting_starts_at: datetime
    points: list[AgreementPoint] = field(default_factory=list)


def _latest_agreements(role: Role):
    return (
        select(Meeting.id, Meeting.pathway_id, Meeting.kind, Meeting.starts_at, Agreement.id, Agreement.what,
               Agreement.who, Agreement.due_on, AgreementAnswer.answer, AgreementAnswer.question, AgreementAnswer.at)
        .join(Agreement, Agreement.meeting_id == Meeting.id)
        .outerjoin(AgreementAnswer, and_(AgreementAnswer.agreement_id == Agreement.id,
                                         AgreementAnswer.user_id == bindparam("user_id")))
        .where(family_meetings_for(role))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc(), Agreement.created_at, Agreement.id)
    )


LATEST_AGREEMENTS = {role: _latest_agreements(role) for role in FAMILY_ROLES}  # built once, run with the user


def latest_agreements(user: User) -> list[AgreementGroup]:
    """For each pathway of `user`, the points of the most recent meeting (by start) that has points and
    that `user` may see as family, each with `user`'s own answer. One query."""
    if user.role not in LATEST_AGREEMENTS:
        return []
    groups: dict[int, AgreementGroup] = {}  # by pathway: the first meeting met is the latest
    for meeting_id, pathway_id, kind, starts_at, *point in db.session.execute(
            LATEST_AGREEMENTS[user.role], {"user_id": user.id}):
        group = groups.setdefault(pathway_id, AgreementGroup(pathway_id, meeting_id, kind, starts_at))
        if group.meeting_id == meeting_id:
            group.points.append(AgreementPoint(*point))
    return sorted(groups.values(), key=lambda g: g.meeting_starts_at, reverse=True)


def family_agreement_point(user: User, agreement_id: int) -> AgreementPoint | None:
    """One point `user` may see as family (the rule of its meeting), with their answer; else None."""
    row = db.session.execute(
        select(Agreement.id, Agreement.what, Agreement.who, Agreement.due_on,
               AgreementAnswer.answer, AgreementAnswer.question, AgreementAnswer.at)
        .join(Meeting, Meeting.id == Agreement.meeting_id)
        .outerjoin(AgreementAnswer, and_(AgreementAnswer.agreement_id == Agreement.id,
                                         AgreementAnswer.user_id == user.id))
        .where(Agreement.id == agreement_id, family_meetings_condition(user))
    ).first()
    return AgreementPoint(*row) if row else None


def answer_agreement(user: User, agreement_id: int, answer: AnswerKind, question: str | None) -> AgreementAnswer:
    """Store `user`'s answer to a point: one per person, a new answer replaces the old one. The
    question text is kept only with the answer "I have a question"."""
    question = (question or "").strip() if answer == AnswerKind.QUESTION else None
    for attempt in (1, 2):
        row = db.session.scalar(select(AgreementAnswer).where(AgreementAnswer.agreement_id == agreement_id,
                                                              AgreementAnswer.user_id == user.id))
        if row is None:
            row = AgreementAnswer(agreement_id=agreement_id, user_id=user.id)
            db.session.add(row)
        row.answer, row.question, row.at = answer, question, utcnow()
        try:
            db.session.commit()
            return row
        except IntegrityError:
            # The same answer sent twice at once: the other one is stored; update that instead.
            db.session.rollback()
    raise RuntimeError("the answer could not be saved")  # pragma: no cover


def home_url(user: User) -> str:
    """The family member's home page path."""
    from flask import url_for

    return url_for("youth.home") if user.role == Role.YOUNG_PERSON else url_for("youth.parent_home")

