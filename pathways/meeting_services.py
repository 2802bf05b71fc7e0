"""Writes and queries for meetings and agreements (the professional's side).

Every query function here runs a fixed number of SQL queries, whatever the number of meetings,
preparations, agreements or answers."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import exists, select

from accounts.models import Role, User
from core.extensions import db
from pathways.models import (
    Agreement, AgreementAnswer, AnswerKind, Meeting, MeetingInvitee, MeetingKind, Pathway, TeamMember,
)


def create_meeting(pathway: Pathway, by: User, *, kind: MeetingKind, starts_at: datetime, minutes: int,
                   place: str, video: bool, purpose: str, young_person_invited: bool, parents_invited: bool,
                   member_ids: list[int]) -> Meeting:
    """Schedule a meeting; `starts_at` is aware (any zone, stored in UTC). Only `member_ids` that are
    on the pathway's team are invited."""
    starts_at = starts_at.astimezone(timezone.utc)
    meeting = Meeting(
        pathway_id=pathway.id, kind=kind, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
        place=place.strip(), video=video, purpose=purpose.strip(), young_person_invited=young_person_invited,
        parents_invited=parents_invited, created_by_id=by.id,
    )
    team = set(db.session.scalars(select(TeamMember.user_id).where(TeamMember.pathway_id == pathway.id)))
    meeting.invitees = [MeetingInvitee(user_id=user_id) for user_id in sorted(set(member_ids) & team)]
    db.session.add(meeting)
    db.session.commit()
    return meeting


# --- agreements ---------------------------------------------------------------------------------

@dataclass
class AnswerRow:
    """A family member's answer to an agreement point."""

    user_id: int
    name: str
    role: Role
    answer: AnswerKind
    question: str | None
    at: datetime
    answer_id: int = 0


@dataclass
class AgreementRow:
    """One agreement point with every answer the family gave."""

    id: int
    meeting_id: int
    what: str
    who: str
    due_on: date | None
    created_at: datetime
    created_by_name: str
    answers: list[AnswerRow] = field(default_factory=list)


def agreements_for_meeting(meeting_id: int) -> list[AgreementRow]:
    """The agreement points of one meeting in the order they were written, each with the answers of
    the young person and parents (answer, question text, who, when; oldest first). For the team:
    two queries, whatever the number of points and answers."""
    rows = db.session.execute(
        select(Agreement.id, Agreement.meeting_id, Agreement.what, Agreement.who, Agreement.due_on,
               Agreement.created_at, User.name)
        .join(User, User.id == Agreement.created_by_id)
        .where(Agreement.meeting_id == meeting_id)
        .order_by(Agreement.created_at, Agreement.id)
    ).all()
    points = {row[0]: AgreementRow(*row) for row in rows}
    if points:
        for agreement_id, *answer in db.session.execute(
            select(AgreementAnswer.agreement_id, User.id, User.name, User.role, AgreementAnswer.answer,
                   AgreementAnswer.question, AgreementAnswer.at, AgreementAnswer.id)
            .join(User, User.id == AgreementAnswer.user_id)
            .where(AgreementAnswer.agreement_id.in_(points))
            .order_by(AgreementAnswer.at, AgreementAnswer.id)
        ):
            points[agreement_id].answers.append(AnswerRow(*answer))
    return list(points.values())


def add_agreement(meeting: Meeting, by: User, what: str, who: str, due_on: date | None) -> Agreement:
    """Write one agreement point for a meeting."""
    agreement = Agreement(meeting_id=meeting.id, pathway_id=meeting.pathway_id, what=what.strip(),
                          who=who.strip(), due_on=due_on, created_by_id=by.id)
    db.session.add(agreement)
    db.session.commit()
    return agreement


class Answered(Exception):
    """The point has answers from the family: it stays, so that their answers keep their meaning."""


def remove_agreement(meeting: Meeting, agreement_id: int) -> Agreement | None:
    """Remove a point written by mistake; None if the meeting has no such point. Raises `Answered`
    if anyone in the family has answered it."""
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.meeting_id != meeting.id:
        return None
    if db.session.scalar(select(exists().where(AgreementAnswer.agreement_id == agreement.id))):
        raise Answered()
    db.session.delete(agreement)
    db.session.commit()
    return agreement
