"""The pages the family's home page links to: what I have said, what we agreed, what the team is
doing (with a comment form on each measure), and all my meetings."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import family_pathway, or_404, refuse_if_closed, roles
from accounts.models import Role
from core.extensions import htmx
from core.render import redirect_to, render
from pathways.relay_forms import CommentForm
from youth import bp, home_services, preparation_services, relay_services, services


def _pathways():
    """The user's pathways, and the young person's age on each (pathway id -> age)."""
    pathways = services.my_pathways(current_user)
    return pathways, {p.id: p.age for p in pathways}


@bp.get("/my/statements")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def my_statements():
    """What I have said (a parent: what they and their child have said), with links to change it."""
    pathways, ages = _pathways()
    return render("youth/statements.html", pathways=pathways,
                  statements=services.statements_for_home(current_user, ages))


@bp.get("/my/agreements")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def my_agreements():
    """What was agreed at the latest meeting on each pathway, each point with its answer form."""
    return render("youth/agreements.html", agreement_groups=preparation_services.latest_agreements(current_user))


def _doing_page(status: int = 200, **extra):
    pathways, ages = _pathways()
    return render("youth/doing.html", status=status, pathways=pathways,
                  doing=relay_services.doing_for_home(current_user, ages), **extra)


@bp.get("/my/doing")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def my_doing():
    """What the team is doing: the goals and measures the user may see, a comment form on each measure."""
    return _doing_page()


@bp.get("/my/meetings")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def my_meetings():
    """All my meetings, coming (soonest first) and earlier (newest first), with preparing and rating."""
    return render("youth/meetings.html", meetings=home_services.all_meetings(current_user),
                  pathways=services.my_pathways(current_user))


# --- comments on what the team is doing (the relay log) -------------------------------------------

PARTIAL = "youth/_doing.html"


@bp.post("/my/measures/<int:measure_id>/comment")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def comment_measure(measure_id: int):
    """Comment on a measure the team is doing; the team reads it in the relay log."""
    measure = or_404(relay_services.family_measure(current_user, measure_id))
    refuse_if_closed(family_pathway(current_user, measure.pathway_id))
    form = CommentForm()
    if form.validate_on_submit():
        relay_services.add_comment(current_user, measure.id, form.text.data)
        if htmx:
            return render(PARTIAL, block="measure_comments",
                          measure=relay_services.family_measure(current_user, measure_id), saved=True)
        flash(_("Thank you. Your comment is saved, and the team can read it."), "success")
        return redirect_to(url_for("youth.my_doing", _anchor=f"measure-{measure.id}"))
    if htmx:
        # 200, so that htmx swaps the comments in with the message beside the field.
        return render(PARTIAL, block="measure_comments", measure=measure, comment_errors=form.text.errors,
                      typed_comment=form.text.data or "")
    # Without JavaScript: the page of measures again, with the message beside the field.
    return _doing_page(status=400, comment_for=measure.id, comment_errors=form.text.errors,
                       typed_comment=form.text.data or "")
