"""The family's views for the relay log: commenting on a measure ("what we are doing about it")."""
from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role
from core.access import refuse_if_closed, roles
from core.extensions import db, htmx
from core.render import redirect_to, render
from pathways.models import Pathway
from pathways.relay_forms import CommentForm
from youth import bp
from youth import relay_services as services

PARTIAL = "youth/_doing.html"


@bp.post("/my/measures/<int:measure_id>/comment")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def comment_measure(measure_id: int):
    """Comment on a measure the team is doing; the team reads it in the relay log."""
    measure = services.family_measure(current_user, measure_id)
    if measure is None:
        abort(404)
    refuse_if_closed(db.session.get(Pathway, measure.pathway_id))
    form = CommentForm()
    if form.validate_on_submit():
        services.add_comment(current_user, measure.id, form.text.data)
        if htmx:
            return render(PARTIAL, block="measure_comments", measure=services.family_measure(current_user, measure_id),
                          saved=True)
        flash(_("Thank you. Your comment is saved, and the team can read it."), "success")
        home = "youth.home" if current_user.role == Role.YOUNG_PERSON else "youth.parent_home"
        return redirect_to(url_for(home, _anchor=f"measure-{measure.id}"))
    if htmx:
        # 200, so that htmx swaps the comments in with the message beside the field.
        return render(PARTIAL, block="measure_comments", measure=measure, comment_errors=form.text.errors,
                      typed_comment=form.text.data or "")
    # Without JavaScript the measure lives on the home page: show it again with the message beside the field.
    from youth.views import _home

    template = "youth/home.html" if current_user.role == Role.YOUNG_PERSON else "youth/parent_home.html"
    return _home(template, status=400, comment_for=measure.id, comment_errors=form.text.errors,
                 typed_comment=form.text.data or "")
