"""Access table rows for the professional's reading: before-the-meeting page, timeline, withholding, the access log."""
from datetime import date, timedelta

from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401
from tests.pathways import reading_data as data


def _meeting(c):
    return {"pathway_id": c.pathway_a,
            "meeting_id": data.meeting(c.app, c.pathway_a, c.kari, data.T0 + timedelta(days=7))}


def _ola_under_twelve(c):
    """Ola made 10 years old, so that the team may withhold his input."""
    from accounts.models import YoungPerson
    from core.extensions import db

    with c.app.app_context():
        db.session.get(YoungPerson, c.young_a).birth_date = date.today().replace(year=date.today().year - 10, day=1)
        db.session.commit()


def _statement_to_withhold(c):
    _ola_under_twelve(c)
    return {"pathway_id": c.pathway_a, "kind": "statement",
            "item_id": data.statement(c.app, c.pathway_a, c.ola, "Eg er lei meg")}


def _withheld_statement(c):
    return {"pathway_id": c.pathway_a, "kind": "statement",
            "item_id": data.statement(c.app, c.pathway_a, c.ola, "Eg er lei meg", withheld_by=c.kari)}


# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("pathways.meeting", "GET"): (_meeting, None, team_only(200)),
    ("pathways.withhold", "POST"): (_statement_to_withhold, lambda c: {"reason": "Vektige grunnar"}, team_only(303)),
    ("pathways.release", "POST"): (_withheld_statement, None, team_only(303)),
    ("accounts.access_log", "GET"): (None, None, only({ADMIN}, 200)),
}
