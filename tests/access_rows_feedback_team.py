"""Access table rows for feedback: team (the responses shared with the team, alerts, marking a
meeting held, sending the questionnaire). Only the pathway's team gets in; a professional not on it
gets 404, like a pathway that does not exist."""
from datetime import timedelta

from tests.access_rules import team_only


def _held_meeting(c, mark=False) -> int:
    """A care team meeting on Ola's pathway that started yesterday (marked held if `mark`)."""
    from accounts.models import User
    from core.extensions import db
    from core.models import utcnow
    from feedback import services
    from pathways.models import Meeting, MeetingKind

    with c.app.app_context():
        starts = utcnow() - timedelta(days=1)
        meeting = Meeting(pathway_id=c.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                          ends_at=starts + timedelta(hours=1), place="Skulen", purpose="Korleis går det?",
                          created_by_id=c.kari)
        db.session.add(meeting)
        db.session.commit()
        if mark:
            services.mark_held(meeting, db.session.get(User, c.kari))
        return meeting.id


def _alert(c) -> int:
    """Ola's low rating of a held meeting, shared with the team: an alert on his pathway."""
    from sqlalchemy import select

    from core.extensions import db
    from feedback import services
    from feedback.models import FeedbackAlert, FeedbackRequest

    meeting_id = _held_meeting(c, mark=True)
    with c.app.app_context():
        request = db.session.scalar(select(FeedbackRequest).where(FeedbackRequest.meeting_id == meeting_id,
                                                                  FeedbackRequest.user_id == c.ola))
        version = services.current_version(services.MEETING_SET)
        services.save_response(request, services.Answers(
            values={item.id: 1 for item in version.items if item.scale is not None}, texts={}))
        return db.session.scalar(select(FeedbackAlert.id).where(FeedbackAlert.pathway_id == c.pathway_a))


PATHWAY_A = lambda c: {"pathway_id": c.pathway_a}  # noqa: E731
ALERT = lambda c: {"pathway_id": c.pathway_a, "alert_id": _alert(c)}  # noqa: E731

# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("feedback.pathway_responses", "GET"): (PATHWAY_A, None, team_only(200)),
    ("feedback.alert", "GET"): (ALERT, None, team_only(200)),
    ("feedback.alert", "POST"): (ALERT, lambda c: {"note": "Eg ringjer Ola."}, team_only(303)),
    ("feedback.mark_held", "POST"): (
        lambda c: {"pathway_id": c.pathway_a, "meeting_id": _held_meeting(c)}, None, team_only(303)),
    ("feedback.send_questionnaire", "POST"): (PATHWAY_A, None, team_only(303)),
}
