"""The family's home page and its own pages: every meeting the young person or parent may see, and
the one thing to do next. Every query runs a fixed number of SQL statements."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, exists, select

from access.policy import FAMILY_ROLES, family_meetings_for
from accounts.models import Role, User
from core.extensions import db
from core.models import utcnow
from feedback.models import FeedbackRequest, FeedbackResponse
from pathways.models import Meeting, MeetingKind
from youth.models import Preparation


@dataclass
class FamilyMeeting:
    """A meeting as the young person or parent sees it in their list: whether they prepared it, and
    their own request to say how it went (if the meeting has one for them)."""

    id: int
    pathway_id: int
    kind: MeetingKind
    starts_at: datetime
    ends_at: datetime
    place: str
    video: bool
    purpose: str
    prepared: bool
    request_id: int | None  # the user's rating request for this meeting
    request_closes_at: datetime | None
    rated_at: datetime | None  # when the user sent their rating
    started: bool = False
    ended: bool = False

    @property
    def rating_open(self) -> bool:
        """A rating is waiting: asked for, not given, not closed."""
        return self.request_id is not None and self.rated_at is None and not self._closed

    @property
    def _closed(self) -> bool:
        return self.request_closes_at is not None and self.request_closes_at <= utcnow()


@dataclass
class FamilyMeetings:
    """All the user's meetings: those still to come (or going on now) soonest first, then the
    earlier ones newest first."""

    coming: list[FamilyMeeting]
    earlier: list[FamilyMeeting]

    @property
    def count(self) -> int:
        return len(self.coming) + len(self.earlier)

    @property
    def next(self) -> FamilyMeeting | None:
        return self.coming[0] if self.coming else None


def _all_meetings(role: Role):
    mine = exists().where(Preparation.meeting_id == Meeting.id, Preparation.author_id == bindparam("user_id"))
    return (
        select(Meeting.id, Meeting.pathway_id, Meeting.kind, Meeting.starts_at, Meeting.ends_at, Meeting.place,
               Meeting.video, Meeting.purpose, mine, FeedbackRequest.id, FeedbackRequest.closes_at,
               FeedbackResponse.submitted_at)
        .outerjoin(FeedbackRequest, and_(FeedbackRequest.meeting_id == Meeting.id,
                                         FeedbackRequest.user_id == bindparam("user_id")))
        .outerjoin(FeedbackResponse, FeedbackResponse.request_id == FeedbackRequest.id)
        .where(family_meetings_for(role))
        .order_by(Meeting.starts_at, Meeting.id)
    )


ALL_MEETINGS = {role: _all_meetings(role) for role in FAMILY_ROLES}  # built once, run with the user


def all_meetings(user: User, now: datetime | None = None) -> FamilyMeetings:
    """Every meeting `user` may see as family (access.policy.family_meetings_for), coming and past.
    One query."""
    now = now or utcnow()
    if user.role not in ALL_MEETINGS:
        return FamilyMeetings([], [])
    meetings = [FamilyMeeting(*row, started=row[3] <= now, ended=row[4] <= now)
                for row in db.session.execute(ALL_MEETINGS[user.role], {"user_id": user.id})]
    return FamilyMeetings(coming=[m for m in meetings if not m.ended],
                          earlier=[m for m in reversed(meetings) if m.ended])


@dataclass
class NextThing:
    """The one thing the home page asks for first. `kind`: "rate" (a meeting), "questionnaire",
    "prepare" (the next meeting) or "answer" (an agreement point); `item` is the feedback request,
    the meeting or the agreement point."""

    kind: str
    item: object
    meeting_starts_at: datetime | None = None  # of the meeting a point was agreed at


def next_thing(feedback_requests, meetings: FamilyMeetings, agreement_groups, closed: set[int]) -> NextThing | None:
    """The most urgent of: a meeting or questionnaire to answer (the oldest first), the next meeting
    if it is not prepared (and has not started), a point agreed that waits for the user's answer.
    Nothing on a closed pathway (`closed`: its id) is asked for. No query."""
    for request in feedback_requests:
        if not request.answered:
            return NextThing("rate" if request.reason.value == "meeting" else "questionnaire", request)
    upcoming = next((m for m in meetings.coming if m.pathway_id not in closed and not m.started), None)
    if upcoming is not None and not upcoming.prepared:
        return NextThing("prepare", upcoming)
    for group in agreement_groups:
        if group.pathway_id in closed:
            continue
        for point in group.points:
            if point.answer is None:
                return NextThing("answer", point, group.meeting_starts_at)
    return None


def waiting_answers(agreement_groups) -> int:
    """How many points the user has not answered yet."""
    return sum(1 for group in agreement_groups for point in group.points if point.answer is None)


def count_points(agreement_groups) -> int:
    return sum(len(group.points) for group in agreement_groups)
