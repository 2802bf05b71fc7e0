"""Home pages for young people and parents, and their "what matters to me" statements."""
import secrets

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import family_pathway, for_family, or_404, own_statement, refuse_if_closed, roles
from accounts.models import Role
from core.extensions import htmx
from core.forms import EmptyForm
from core.models import today_in_oslo
from core.render import redirect_to, render
from feedback import services as feedback_services
from pathways.relay_forms import CommentForm
from youth import autosave, bp, preparation_services, relay_services, services
from youth.forms import StatementForm, sharing_explained
from youth.models import PROMPTS, Prompt, Sharing

HOME_READERS = 3  # the latest reads on the home page; the readers page has the rest


def _home(template: str, status: int = 200, **extra):
    """A home page; `extra` is the context of a form refused on it (a comment on a measure)."""
    # Ratings and questionnaires that came due since the last visit (committed before anything is loaded).
    feedback_services.make_due_requests(current_user)
    pathways = services.my_pathways(current_user)
    pathway_ids = [p.id for p in pathways]
    ages = {p.id: p.age for p in pathways}
    readers, more = services.readers_of_my_input(current_user, limit=HOME_READERS)
    statements = services.statements_for_home(current_user, ages)
    return render(
        template, pathways=pathways,
        next_meetings=preparation_services.upcoming_meetings(current_user),
        statements=statements,
        agreement_groups=preparation_services.latest_agreements(current_user),
        doing=relay_services.doing_for_home(current_user, ages),
        latest_readers=readers, more_readers=more, feedback=feedback_services.for_home(current_user, pathway_ids),
        status=status, **extra,
    )


@bp.get("/me")
@roles(Role.YOUNG_PERSON)
def home():
    """The young person's home: next meeting, what I said, what was agreed, who has read it."""
    return _home("youth/home.html")


@bp.get("/family")
@roles(Role.PARENT)
def parent_home():
    """The parent's home: the same for their own input and what their child shares with them."""
    return _home("youth/parent_home.html")


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
        home = "youth.home" if current_user.role == Role.YOUNG_PERSON else "youth.parent_home"
        return redirect_to(url_for(home, _anchor=f"measure-{measure.id}"))
    if htmx:
        # 200, so that htmx swaps the comments in with the message beside the field.
        return render(PARTIAL, block="measure_comments", measure=measure, comment_errors=form.text.errors,
                      typed_comment=form.text.data or "")
    # Without JavaScript the measure lives on the home page: show it again with the message beside the field.
    template = "youth/home.html" if current_user.role == Role.YOUNG_PERSON else "youth/parent_home.html"
    return _home(template, status=400, comment_for=measure.id, comment_errors=form.text.errors,
                 typed_comment=form.text.data or "")


# --- what matters to me -------------------------------------------------------------------------

def _home_url() -> str:
    return url_for("youth.parent_home" if current_user.role == Role.PARENT else "youth.home")


def _age(pathway) -> int:
    return pathway.young_person.age_on(today_in_oslo())


def _save_statement(form, pathway, template: str, page_context, statement=None):
    """Validate and save by the autosave protocol (youth/autosave.py): an htmx request is an autosave.
    `page_context()` is the rest of the page, computed only when the whole page is rendered."""
    def page(status=200, conflict=None, block=None):
        context = page_context() if block != "editor" else {}
        age = _age(pathway)
        return render(template, block=block, status=status, form=form, pathway=pathway, statement=statement,
                      conflict=conflict, age=age, sharing_explained=sharing_explained(current_user.role, age),
                      **context)

    def save():
        data = services.StatementData(Prompt(form.prompt.data), form.text.data, Sharing(form.sharing.data),
                                      form.wants_not_for_parents())
        try:
            return services.create_or_update_statement(current_user, pathway, data, statement=statement,
                                                       client_key=form.client_key.data or None,
                                                       base_revision=form.revision.data)
        except services.StatementGone:
            abort(404)

    def saved_message(saved) -> str:
        if saved.sharing == Sharing.PRIVATE:
            return _("Saved as a draft. Only you can see it.")
        return _("Saved. Your team can read it now.")

    return autosave.answer(form, form.validate_on_submit(), save, page, home=_home_url(), saved_message=saved_message)


@bp.route("/my/pathways/<int:pathway_id>/statements/new", methods=["GET", "POST"])
@for_family
def new_statement(pathway):
    """Write a new "what matters to me" statement; it saves itself while the person types."""
    form = StatementForm(author_role=current_user.role, age=_age(pathway))
    if request.method == "GET":
        form.client_key.data = secrets.token_urlsafe(24)
        form.revision.data = 0
    return _save_statement(form, pathway, "youth/statement_new.html",
                           lambda: {"statements": services.visible_statements(current_user, pathway)})


@bp.route("/my/statements/<int:statement_id>", methods=["GET", "POST"])
@roles(Role.YOUNG_PERSON, Role.PARENT)
def edit_statement(statement_id: int):
    """Change one's own statement; saves itself while typing, and asks when two devices disagree."""
    statement = or_404(own_statement(current_user, statement_id))
    pathway = statement.pathway
    refuse_if_closed(pathway)  # reading stays open; saving does not
    form = StatementForm(author_role=current_user.role, age=_age(pathway), data={
        "prompt": statement.prompt.value, "text": statement.text, "sharing": statement.sharing.value,
        "not_for_parents": statement.not_for_parents, "revision": statement.revision,
    })
    return _save_statement(form, pathway, "youth/statement_edit.html",
                           lambda: {"readers": services.statement_readers(statement)}, statement=statement)


@bp.post("/my/statements/<int:statement_id>/remove")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def remove_statement(statement_id: int):
    """Remove one's own statement: nobody sees it any more; its history stays for the audit."""
    statement = or_404(own_statement(current_user, statement_id))
    refuse_if_closed(statement.pathway)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_statement(statement, current_user)
    flash(_("Removed. Nobody can see it now."), "success")
    return redirect_to(_home_url())


@bp.get("/my/readers")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def readers():
    """Everyone on the team who has opened what I wrote, newest first."""
    reads, cut = services.readers_of_my_input(current_user, limit=services.READERS_LIMIT)
    return render("youth/readers.html", reads=reads, cut=cut, limit=services.READERS_LIMIT)


@bp.app_template_global()
def prompt_label(prompt) -> str:
    """The prompt a statement answers, in the reader's language."""
    return str(PROMPTS[Prompt(prompt)])


@bp.app_template_global()
def own_sharing_label(statement) -> str:
    """Who may read the author's own statement today, told to its author."""
    if statement.sharing == Sharing.PRIVATE:
        return _("Only you can see it (a draft).")
    if statement.author_role == Role.PARENT:
        if statement.sharing == Sharing.FAMILY:
            return _("Your team and your child can read it.")
        return _("Your team can read it.")
    if statement.parents_may_read:
        return _("Your team and your parents can read it.")
    return _("Your team can read it.")
