"""Access table rows for feedback: the admin's question sets (only the admin; unknown set 404 is in
tests/feedback/test_admin_sets.py)."""
from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401


def _meeting_set(c) -> dict:
    """The meeting rating's set (the question-set tables keep their rows between tests)."""
    from sqlalchemy import select

    from core.extensions import db
    from feedback.models import QuestionSet

    with c.app.app_context():
        return {"set_id": db.session.scalar(select(QuestionSet.id).where(QuestionSet.key == "meeting"))}


def _unchanged(c) -> dict:
    """The set's form as posted with nothing changed: the admin is sent back with "No changes".
    (A real change names the admin on the new version, which conftest's cleanup cannot yet delete
    on SQLite; tests/feedback/test_admin_sets.py covers the changes.)"""
    from feedback import services

    with c.app.app_context():
        version = services.current_version("meeting")
        data = {"based_on": str(version.number), "new_nn": "", "new_nb": "", "new_kind": "faces"}
        for item in version.items:
            data[f"nn_{item.key}"], data[f"nb_{item.key}"] = item.text_nn, item.text_nb
            if item.required:
                data[f"required_{item.key}"] = "y"
        return data


# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("feedback.admin_sets", "GET"): (None, None, only({ADMIN}, 200)),
    ("feedback.admin_set", "GET"): (_meeting_set, None, only({ADMIN}, 200)),
    ("feedback.admin_set", "POST"): (_meeting_set, _unchanged, only({ADMIN}, 303)),
}
