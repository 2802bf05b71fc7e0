"""Access table rows for pathway templates and their admin pages."""
from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401


def _anxiety():
    """The anxiety template from the migration (the template tables keep their rows between tests);
    call inside an app context."""
    from sqlalchemy import select

    from core.extensions import db
    from pathways.models import PathwayTemplate

    return db.session.scalar(select(PathwayTemplate).where(PathwayTemplate.key == "anxiety"))


def _anxiety_id(c) -> dict:
    with c.app.app_context():
        return {"template_id": _anxiety().id}


def _edit_data(c) -> dict:
    """Every text of the anxiety template as its form posts them, one changed."""
    with c.app.app_context():
        template = _anxiety()
        data = {"name_nn": template.name_nn, "name_nb": "Angst (endra)",
                "summary_nn": template.summary_nn, "summary_nb": template.summary_nb}
        for step in template.steps:
            data[f"step_{step.id}_nn"], data[f"step_{step.id}_nb"] = step.name_nn, step.name_nb
            for guidance in step.guidance:
                data[f"guidance_{guidance.id}_nn"] = guidance.text_nn
                data[f"guidance_{guidance.id}_nb"] = guidance.text_nb
        return data


def _new_guidance(c) -> dict:
    """Guidance for BUP on the anxiety template's first step (it has none for BUP)."""
    with c.app.app_context():
        first = _anxiety().steps[0]
        return {"step": str(first.id), "kind": "bup", "guidance_nn": "BUP gir råd.", "guidance_nb": "BUP gir råd."}


# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    # Creating a pathway now chooses a template (this row replaces the one in tests/test_access_table.py).
    ("pathways.new", "POST"): (None, lambda c: {"name": "Ny Person", "birth_date": "2012-01-02", "title": "Søvn",
                                                "template": "anxiety"}, only(PROS, 303)),
    ("accounts.templates", "GET"): (None, None, only({ADMIN}, 200)),
    ("accounts.template", "GET"): (_anxiety_id, None, only({ADMIN}, 200)),
    ("accounts.template", "POST"): (_anxiety_id, _edit_data, only({ADMIN}, 303)),
    ("accounts.add_template_step", "POST"): (
        _anxiety_id, lambda c: {"new_step_nn": "Oppfølging", "new_step_nb": "Oppfølging"}, only({ADMIN}, 303)),
    ("accounts.add_template_guidance", "POST"): (_anxiety_id, _new_guidance, only({ADMIN}, 303)),
    ("accounts.toggle_template", "POST"): (_anxiety_id, None, only({ADMIN}, 303)),
}
