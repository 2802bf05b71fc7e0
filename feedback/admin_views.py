"""The admin's pages for the question sets: the list, and one set's items (a save makes a new version)."""
from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import or_404, roles
from accounts.models import Role
from core.i18n import in_locale
from core.render import redirect_to, render
from feedback import bp, question_services
from feedback.admin_forms import KIND_LABELS, set_form


@bp.get("/admin/sets")
@roles(Role.ADMIN)
def admin_sets():
    """The four question sets with their current version and the responses to each version."""
    return render("feedback/admin_sets.html", rows=question_services.set_rows())


def _set_page(question_set, version, form, status=200, stale=False):
    """One set's page; a posted form comes back with its messages and everything typed."""
    return render(
        "feedback/admin_set.html", status=status, question_set=question_set, version=version, form=form,
        name=in_locale(question_set.name_nn, question_set.name_nb), history=question_services.history(question_set),
        kind_labels=KIND_LABELS, free_text=question_services.FREE_TEXT, can_hide=question_services.can_hide,
        stale=stale,
    )


@bp.route("/admin/sets/<int:set_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def admin_set(set_id: int):
    """Edit the words of a set's items, which must be answered, leave some out, add one: a new version."""
    found = or_404(question_services.question_set(set_id))
    version = question_services.newest_version(found)
    if request.method == "GET":
        return _set_page(found, version, set_form(found, version))
    form = set_form(found, version, formdata=request.form)
    if not form.validate_on_submit():
        return _set_page(found, version, form, status=400)
    try:
        made = question_services.new_version(found, current_user, form.changes(), based_on=form.based_on_number())
    except question_services.StaleVersion:
        # The form shows the newest version now; what the admin typed stays in the fields it fits.
        version = question_services.newest_version(found)
        form = set_form(found, version, formdata=request.form)
        form.based_on.data = str(version.number)
        return _set_page(found, version, form, status=409, stale=True)
    if made is None:
        flash(_("No changes: the questions are as they were."), "info")
    else:
        flash(_("Saved as version %(number)d. New answers use it; earlier answers keep their version.",
                number=made.number), "success")
    return redirect_to(url_for("feedback.admin_set", set_id=found.id))
