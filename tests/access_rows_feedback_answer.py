"""Access table rows for feedback: answer (the young person's and parent's own feedback requests).

A request is answered only by the person it was made for: the table's URL names one request, so the
GET row uses Ola's rating (his mother gets 404 on it) and the POST row his mother's (Ola gets 404 on
it). Professionals and the admin never answer (403); Emma's side gets 404 on both."""
from datetime import timedelta

from tests.access_rules import FAMILY, PA, YA, only


def _rating_request(c, user_id: int) -> int:
    """A meeting on Ola's pathway that ended an hour ago; the rating request made for `user_id`."""
    from sqlalchemy import select

    from accounts.models import User
    from core.extensions import db
    from core.models import utcnow
    from feedback.models import FeedbackRequest
    from feedback.services import make_due_requests
    from pathways.models import Meeting, MeetingKind

    with c.app.app_context():
        starts = utcnow() - timedelta(hours=2)
        meeting = Meeting(pathway_id=c.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                          ends_at=starts + timedelta(hours=1), place="Skulen", purpose="Korleis går det?",
                          created_by_id=c.kari)
        db.session.add(meeting)
        db.session.commit()
        make_due_requests(db.session.get(User, user_id))
        return db.session.scalar(select(FeedbackRequest.id).where(FeedbackRequest.meeting_id == meeting.id,
                                                                  FeedbackRequest.user_id == user_id))


def _answers(c) -> dict:
    """A whole rating: 4 on every item, shared with the team."""
    from feedback.services import MEETING_SET, current_version

    with c.app.app_context():
        version = current_version(MEETING_SET)
        data = {f"item_{item.id}": "4" for item in version.items if item.scale is not None}
    return data | {"sharing": "team"}


def _own(status: int, owner: str) -> dict:
    """`owner` gets `status`; the rest of the family 404 (not theirs); professionals and the admin 403."""
    table = only({owner}, status)
    for role in FAMILY - {owner}:
        table[role] = 404
    return table


ROWS: dict = {
    ("feedback.answer", "GET"): (lambda c: {"request_id": _rating_request(c, c.ola)}, None, _own(200, YA)),
    ("feedback.answer", "POST"): (lambda c: {"request_id": _rating_request(c, c.mother_a)}, _answers, _own(303, PA)),
}
