"""Access table rows for the relay log: goals, measures, evaluations, comments and minutes."""
from datetime import timedelta

from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401


def _goal(c) -> int:
    from core.extensions import db
    from pathways.models import Goal

    with c.app.app_context():
        goal = Goal(pathway_id=c.pathway_a, text="Sove betre", created_by_id=c.kari)
        db.session.add(goal)
        db.session.commit()
        return goal.id


def _measure(c) -> int:
    from core.extensions import db
    from core.models import today_in_oslo
    from pathways.models import Measure

    goal_id = _goal(c)
    with c.app.app_context():
        measure = Measure(pathway_id=c.pathway_a, goal_id=goal_id, what="Samtale kvar veke", responsible_id=c.per,
                          deadline=today_in_oslo() + timedelta(days=14), created_by_id=c.kari)
        db.session.add(measure)
        db.session.commit()
        return measure.id


def _meeting(c) -> int:
    from core.extensions import db
    from core.models import utcnow
    from pathways.models import Meeting, MeetingKind

    with c.app.app_context():
        starts = utcnow() - timedelta(days=1)
        meeting = Meeting(pathway_id=c.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                          ends_at=starts + timedelta(hours=1), place="Skulen", purpose="Korleis går det?",
                          created_by_id=c.kari)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def _in_two_weeks() -> str:
    from core.models import today_in_oslo

    return (today_in_oslo() + timedelta(days=14)).isoformat()


def _today() -> str:
    from core.models import today_in_oslo

    return today_in_oslo().isoformat()


PATHWAY_A = lambda c: {"pathway_id": c.pathway_a}  # noqa: E731

# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("pathways.new_goal", "GET"): (PATHWAY_A, None, team_only(200)),
    ("pathways.new_goal", "POST"): (PATHWAY_A, lambda c: {"text": "Sove betre"}, team_only(303)),
    ("pathways.new_measure", "GET"): (PATHWAY_A, None, team_only(200)),
    ("pathways.new_measure", "POST"): (
        PATHWAY_A,
        lambda c: {"what": "Samtale", "goal": str(_goal(c)), "responsible": str(c.per), "deadline": _in_two_weeks()},
        team_only(303)),
    ("pathways.evaluate_measure", "GET"): (
        lambda c: {"pathway_id": c.pathway_a, "measure_id": _measure(c)}, None, team_only(200)),
    ("pathways.evaluate_measure", "POST"): (
        lambda c: {"pathway_id": c.pathway_a, "measure_id": _measure(c)},
        lambda c: {"evaluated_on": _today(), "worked": "Betre søvn", "next_step": "Held fram"}, team_only(303)),
    ("pathways.minutes", "GET"): (
        lambda c: {"pathway_id": c.pathway_a, "meeting_id": _meeting(c)}, None, team_only(200)),
    ("pathways.minutes", "POST"): (
        lambda c: {"pathway_id": c.pathway_a, "meeting_id": _meeting(c)}, lambda c: {"text": "Vi snakka om søvn."},
        team_only(303)),
    # Ola and his mother see the measure (its goal is for everyone); Emma's side does not.
    ("youth.comment_measure", "POST"): (
        lambda c: {"measure_id": _measure(c)}, lambda c: {"text": "Det hjelper"},
        expect(403, anonymous=LOGIN, young_a=303, parent_a=303, young_b=404, parent_b=404)),
}
