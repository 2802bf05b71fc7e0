"""Writes and queries for meetings and agreements (the professional's side).

Every query function here runs a fixed number of SQL queries, whatever the number of meetings,
preparations, agreements or answers."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import exists, func, select

from accounts.models import ParentLink, Role, User
from core.access import team_sees
from core.extensions import db
from core.models import utcnow
from pathways.models import Agreement, AgreementAnswer, AnswerKind, Meeting, MeetingInvitee, MeetingKind, Pathway, TeamMember


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


def pathway_meeting(pathway: Pathway, meeting_id: int) -> Meeting | None:
    """The meeting if it belongs to `pathway` (the caller has checked the pathway), else None."""
    meeting = db.session.get(Meeting, meeting_id)
    return meeting if meeting is not None and meeting.pathway_id == pathway.id else None


# --- meetings on the pathway page -------------------------------------------------------------

@dataclass
class PreparedBy:
    """One family member invited to a meeting, and whether the team can read their preparation."""

    user_id: int | None
    name: str
    role: Role
    prepared: bool


@dataclass
class MeetingSummary:
    """A meeting as the pathway page lists it."""

    id: int
    kind: MeetingKind
    starts_at: datetime
    ends_at: datetime
    place: str
    video: bool
    purpose: str
    upcoming: bool
    held_at: datetime | None
    invited_professionals: list[str] = field(default_factory=list)
    # The young person first (if invited), then each parent with parental responsibility (if invited).
    family: list[PreparedBy] = field(default_factory=list)
    agreement_count: int = 0

    @property
    def young_person_prepared(self) -> bool:
        return any(p.prepared for p in self.family if p.role == Role.YOUNG_PERSON)


def meetings_for_pathway(pathway: Pathway, now: datetime | None = None) -> tuple[list[MeetingSummary],
                                                                                   list[MeetingSummary]]:
    """The pathway's meetings for the team, as `(upcoming, past)`.

    Upcoming (not yet ended) come soonest first, past ones latest first. Each says which
    professionals are invited, how many agreement points it has, and for the young person and each
    parent with parental responsibility who is invited, whether they have prepared. "Prepared" means
    a preparation the team may read exists (a draft marked "only me" does not count, and is not
    revealed). The young person and parents without an account are listed as not prepared.
    Six queries at most, whatever the number of meetings and preparations."""
    from youth.models import Preparation

    now = now or utcnow()
    meetings = list(db.session.scalars(
        select(Meeting).where(Meeting.pathway_id == pathway.id).order_by(Meeting.starts_at, Meeting.id)
    ))
    ids = [m.id for m in meetings]
    invitees: dict[int, list[str]] = {}
    prepared: set[tuple[int, int]] = set()
    agreement_counts: dict[int, int] = {}
    if ids:
        for meeting_id, name in db.session.execute(
            select(MeetingInvitee.meeting_id, User.name).join(User, User.id == MeetingInvitee.user_id)
            .where(MeetingInvitee.meeting_id.in_(ids)).order_by(User.name)
        ):
            invitees.setdefault(meeting_id, []).append(name)
        prepared = {(meeting_id, author_id) for meeting_id, author_id in db.session.execute(
            select(Preparation.meeting_id, Preparation.author_id)
            .where(Preparation.meeting_id.in_(ids), team_sees(Preparation))
        )}
        agreement_counts = {meeting_id: n for meeting_id, n in db.session.execute(
            select(Agreement.meeting_id, func.count()).where(Agreement.meeting_id.in_(ids))
            .group_by(Agreement.meeting_id)
        )}
    young_person = pathway.young_person
    young_user = (young_person.user_id, young_person.name)
    parents = db.session.execute(
        select(User.id, User.name).join(ParentLink, ParentLink.user_id == User.id)
        .where(ParentLink.young_person_id == pathway.young_person_id,
               ParentLink.parental_responsibility.is_(True))
        .order_by(User.name)
    ).all()

    upcoming, past = [], []
    for meeting in meetings:
        family = []
        if meeting.young_person_invited:
            family.append(PreparedBy(young_user[0], young_user[1], Role.YOUNG_PERSON,
                                     (meeting.id, young_user[0]) in prepared))
        if meeting.parents_invited:
            family.extend(PreparedBy(uid, name, Role.PARENT, (meeting.id, uid) in prepared) for uid, name in parents)
        summary = MeetingSummary(
            id=meeting.id, kind=meeting.kind, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
            place=meeting.place, video=meeting.video, purpose=meeting.purpose, upcoming=meeting.ends_at > now,
            held_at=meeting.held_at, invited_professionals=invitees.get(meeting.id, []), family=family,
            agreement_count=agreement_counts.get(meeting.id, 0),
        )
        (upcoming if summary.upcoming else past).append(summary)
    past.reverse()
    return upcoming, past


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


def last_held_meeting_before(meeting: Meeting, now: datetime | None = None) -> Meeting | None:
    """The meeting on the same pathway that came last before `meeting`: it started before `meeting`
    starts and has started by now (marked held or not). None if there is none. One query; pass its
    id to `agreements_for_meeting` for "what we agreed last time"."""
    now = now or utcnow()
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.pathway_id == meeting.pathway_id, Meeting.id != meeting.id,
               Meeting.starts_at < meeting.starts_at, Meeting.starts_at <= now)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1)
    )


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
