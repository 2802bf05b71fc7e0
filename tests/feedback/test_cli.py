"""`flask feedback send-due` (feedback/cli.py): the daily command that makes the due requests."""
from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import utcnow
from feedback.cli import feedback_cli
from feedback.models import FeedbackRequest, RequestReason
from pathways.models import Meeting, MeetingKind


def add_meeting(app, cast, ended_ago: timedelta, parents_invited: bool = True) -> int:
    """A meeting on Ola's pathway set up by Kari (BUP Test) that ended `ended_ago` (negative: to come)."""
    with app.app_context():
        ends = utcnow() - ended_ago
        meeting = Meeting(pathway_id=cast.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=ends - timedelta(hours=1),
                          ends_at=ends, place="BUP", purpose="Korleis går det?", created_by_id=cast.kari,
                          parents_invited=parents_invited)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def requests(app) -> list[tuple]:
    with app.app_context():
        return sorted(db.session.execute(
            select(FeedbackRequest.meeting_id, FeedbackRequest.user_id, FeedbackRequest.reason,
                   FeedbackRequest.service_id)).all())


def test_send_due_asks_the_family_of_a_held_meeting_once(app, runner, cast):
    held = add_meeting(app, cast, timedelta(hours=2))
    add_meeting(app, cast, -timedelta(days=2))  # not held yet
    add_meeting(app, cast, timedelta(days=30))  # too long ago to be asked about

    result = runner.invoke(feedback_cli, ["send-due"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "made 2 feedback requests"
    assert requests(app) == sorted([(held, cast.ola, RequestReason.MEETING, cast.service_bup),
                                    (held, cast.mother_a, RequestReason.MEETING, cast.service_bup)])

    again = runner.invoke(feedback_cli, ["send-due"])
    assert again.exit_code == 0, again.output
    assert again.output.strip() == "made 0 feedback requests"
    assert len(requests(app)) == 2


def test_send_due_with_nothing_due_makes_nothing(app, runner, cast):
    result = runner.invoke(feedback_cli, ["send-due"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "made 0 feedback requests"
    assert requests(app) == []


def test_send_due_counts_one_request_in_the_singular(app, runner, cast):
    held = add_meeting(app, cast, timedelta(hours=2), parents_invited=False)
    result = runner.invoke(feedback_cli, ["send-due"])
    assert result.output.strip() == "made 1 feedback request"
    assert requests(app) == [(held, cast.ola, RequestReason.MEETING, cast.service_bup)]
