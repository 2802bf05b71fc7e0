"""Access table rows for meetings, preparations and agreements."""
from datetime import date, timedelta

from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401

IN_A_WEEK = (date.today() + timedelta(days=7)).isoformat()


def _meeting(c, parents_invited=True):
    """A meeting on pathway A in a week (with a point agreed), made for one row."""
    from core.extensions import db
    from core.models import utcnow
    from pathways.models import Agreement, Meeting, MeetingKind

    with c.app.app_context():
        starts = utcnow() + timedelta(days=7)
        meeting = Meeting(pathway_id=c.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                          ends_at=starts + timedelta(hours=1), place="Skulen", purpose="Korleis går det?",
                          parents_invited=parents_invited, created_by_id=c.kari)
        db.session.add(meeting)
        db.session.flush()
        agreement = Agreement(meeting_id=meeting.id, pathway_id=c.pathway_a, what="Kari ringjer skulen",
                              who="Kari", created_by_id=c.kari)
        db.session.add(agreement)
        db.session.commit()
        return {"meeting_id": meeting.id, "agreement_id": agreement.id}


def _meeting_kwargs(c):
    return {"pathway_id": c.pathway_a, "meeting_id": _meeting(c)["meeting_id"]}


def _agreement_kwargs(c):
    return {"pathway_id": c.pathway_a, **_meeting(c)}


def _prepare_kwargs(c):
    return {"meeting_id": _meeting(c)["meeting_id"]}


def _step_kwargs(c):
    return {"meeting_id": _meeting(c)["meeting_id"], "step": 3}


def _answer_kwargs(c):
    return {"agreement_id": _meeting(c)["agreement_id"]}


# The family of pathway A gets in, the family of pathway B gets 404 (it is not theirs), professionals 403.
FAMILY_A = {**only({YA, PA}, 200), YB: 404, PB: 404}

# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("pathways.new_meeting", "GET"): (lambda c: {"pathway_id": c.pathway_a}, None, team_only(200)),
    ("pathways.new_meeting", "POST"): (
        lambda c: {"pathway_id": c.pathway_a},
        lambda c: {"kind": "care_team", "day": IN_A_WEEK, "start": "14:00", "minutes": "60", "place": "Skulen",
                   "purpose": "Korleis går det på skulen?", "young_person_invited": "y", "parents_invited": "y",
                   "members": [str(c.kari)]},
        team_only(303)),
    ("pathways.agreements", "GET"): (_meeting_kwargs, None, team_only(200)),
    # The before-the-meeting page as a PDF for the health record: the same access as the page.
    ("pathways.meeting_pdf", "GET"): (_meeting_kwargs, None, team_only(200)),
    ("pathways.agreements", "POST"): (_meeting_kwargs, lambda c: {"what": "Ola skriv dagbok", "who": "Ola"},
                                      team_only(303)),
    ("pathways.remove_agreement", "POST"): (_agreement_kwargs, None, team_only(303)),
    ("youth.prepare", "GET"): (_prepare_kwargs, None, FAMILY_A),
    ("youth.prepare", "POST"): (_prepare_kwargs, lambda c: {"talk_about": "Skulen", "sharing": "team", "revision": "0"},
                                {**only({YA, PA}, 303), YB: 404, PB: 404}),
    ("youth.prepare_step", "GET"): (_step_kwargs, None, FAMILY_A),
    ("youth.prepare_step", "POST"): (_step_kwargs, lambda c: {"want_there": "Morfar", "revision": "0", "go": "next"},
                                     {**only({YA, PA}, 303), YB: 404, PB: 404}),
    ("youth.answer_agreement", "POST"): (_answer_kwargs, lambda c: {"answer": "agree"},
                                         {**only({YA, PA}, 303), YB: 404, PB: 404}),
}
