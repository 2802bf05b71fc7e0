"""What the worklist shows above and beside the list of pathways: the meetings coming up across all the
professional's pathways, with whether the young person and parents have prepared, and the agreement
points the family answered with a question or "I do not agree".

Every function runs a fixed number of SQL queries, whatever the number of pathways, meetings,
preparations or answers."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import bindparam, exists, select

from access.policy import team_sees
from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
from core.models import utcnow
from pathways.models import (
    AccessLog, Agreement, AgreementAnswer, AnswerKind, InputKind, Meeting, MeetingKind, Pathway, TeamMember,
)
from youth.models import PREPARATION_FIELDS, Preparation

COMING_UP_DAYS = 14


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
           YoungPerson.user_id)
    .join(Pathway, Pathway.id == Meeting.pathway_id)
    .join(TeamMember, TeamMember.pathway_id == Pathway.id)
    .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
    .where(TeamMember.user_id == bindparam("user_id"), Pathway.closed_at.is_(None),
           Meeting.starts_at >= bindparam("now"), Meeting.starts_at < bindparam("until"))
    .order_by(Meeting.starts_at, Meeting.id)
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


def coming_up(user: User, now: datetime | None = None) -> list[ComingMeeting]:
    """The meetings of the next 14 days on every open pathway `user` is on the team of, soonest first,
    each with the invited young person and parents and whether they have prepared:

    - "prepared": a preparation the team may read (`access.policy.team_sees`) with something written
      in it or a way of taking part chosen;
    - "started": a preparation kept "only for me", or one shared with the team that is still empty
      (the team is not shown what it says, only that it exists);
    - "not yet": no preparation (and always for a young person who has no account yet).

    Parents are listed when the meeting invites them. Three queries, whatever the number of meetings."""
    now = now or utcnow()
    rows = db.session.execute(COMING_MEETINGS, {"user_id": user.id, "now": now,
                                                "until": now + timedelta(days=COMING_UP_DAYS)}).all()
    if not rows:
        return []
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
    return meetings


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


TO_ANSWER = (
    select(Agreement.pathway_id, Agreement.meeting_id, Agreement.id, User.name, User.role, AgreementAnswer.answer,
           AgreementAnswer.at)
    .join(AgreementAnswer, AgreementAnswer.agreement_id == Agreement.id)
    .join(User, User.id == AgreementAnswer.user_id)
    .join(Pathway, Pathway.id == Agreement.pathway_id)
    .join(TeamMember, TeamMember.pathway_id == Pathway.id)
    .where(TeamMember.user_id == bindparam("user_id"), Pathway.closed_at.is_(None),
           AgreementAnswer.answer.in_([AnswerKind.QUESTION, AnswerKind.DISAGREE]),
           # Not yet read by this professional since it was given (changing the answer makes it new again):
           # reading the answers on the agreements page is logged.
           ~exists().where(AccessLog.item_kind == InputKind.ANSWER, AccessLog.item_id == AgreementAnswer.id,
                           AccessLog.reader_id == bindparam("user_id"), AccessLog.at >= AgreementAnswer.at))
    .order_by(AgreementAnswer.at.desc(), AgreementAnswer.id.desc())
)


def to_answer(user: User) -> dict[int, list[ToAnswer]]:
    """Per pathway (by id), the agreement points the young person or a parent answered with a question or
    "I do not agree" that `user` has not read since, newest first. Only who and what kind of answer: the
    worklist does not show the question's words (reading them is logged, on the agreements page).
    One query."""
    found: dict[int, list[ToAnswer]] = {}
    for row in db.session.execute(TO_ANSWER, {"user_id": user.id}):
        found.setdefault(row[0], []).append(ToAnswer(*row))
    return found
