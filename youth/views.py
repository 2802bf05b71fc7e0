"""Home pages for young people and parents, and their "what matters to me" statements."""
import secrets

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import for_family, or_404, own_statement, refuse_if_closed, roles
from accounts.models import Role
from core.forms import EmptyForm
from core.models import today_in_oslo
from core.render import redirect_to, render
from feedback import services as feedback_services
from youth import autosave, bp, home_services, preparation_services, reader_services, relay_services, services
from youth import sharing as sharing_choice
from youth.forms import StatementForm
from youth.models import PROMPTS, Prompt, Sharing


def _home(template: str):
    """A home page: the one next thing to do, the next meeting, and a line with a count for each of
    the pages it links to (youth/home_views.py)."""
    # Ratings and questionnaires that came due since the last visit (committed before anything is loaded).
    feedback_services.make_due_requests(current_user)
    pathways = services.my_pathways(current_user)
    pathway_ids = [p.id for p in pathways]
    ages = {p.id: p.age for p in pathways}
    agreement_groups = preparation_services.latest_agreements(current_user)
    meetings = home_services.all_meetings(current_user)
    feedback = feedback_services.for_home(current_user, pathway_ids)
    closed = {p.id for p in pathways if p.closed}
    return render(
        template, pathways=pathways, meetings=meetings,
        next=home_services.next_thing(feedback.requests, meetings, agreement_groups, closed),
        statement_count=services.statement_count(current_user, ages),
        agreement_count=home_services.count_points(agreement_groups),
        waiting_count=home_services.waiting_answers(agreement_groups),
        goal_count=relay_services.goal_count(current_user, ages),
        reader_lines=reader_services.latest_readers_for_home(current_user),
        feedback=feedback,
    )


@bp.get("/me")
@roles(Role.YOUNG_PERSON)
def home():
    """The young person's home: the next thing to do, the next meeting, and links to the rest."""
    return _home("youth/home.html")


@bp.get("/family")
@roles(Role.PARENT)
def parent_home():
    """The parent's home: the same for their own input and what their child shares with them."""
    return _home("youth/parent_home.html")


# --- what matters to me -------------------------------------------------------------------------

def _home_url() -> str:
    """Where a statement's author goes after saving or removing it: the list of what they have said."""
    return url_for("youth.my_statements")


def _age(pathway) -> int:
    return pathway.young_person.age_on(today_in_oslo())


def _save_statement(form, pathway, template: str, page_context, statement=None):
    """Validate and save by the autosave protocol (youth/autosave.py): an htmx request is an autosave.
    `page_context()` is the rest of the page, computed only when the whole page is rendered."""
    def page(status=200, conflict=None, block=None):
        context = page_context() if block != "editor" else {}
        age = _age(pathway)
        return render(template, block=block, status=status, form=form, pathway=pathway, statement=statement,
                      conflict=conflict, age=age, send_labels=sharing_choice.send_labels(current_user.role, age),
                      **context)

    def save():
        data = services.StatementData(Prompt(form.prompt.data), form.text.data, Sharing(form.sharing.data))
        try:
            return services.create_or_update_statement(current_user, pathway, data, statement=statement,
                                                       client_key=form.client_key.data or None,
                                                       base_revision=form.revision.data)
        except services.StatementGone:
            abort(404)

    def saved_message(saved) -> str:
        return _("Saved. %(who)s", who=sharing_choice.told(saved.sharing, current_user.role, _age(pathway)))

    return autosave.answer(form, form.validate_on_submit(), save, page, home=_home_url(), saved_message=saved_message)


@bp.route("/my/pathways/<int:pathway_id>/statements/new", methods=["GET", "POST"])
@for_family
def new_statement(pathway):
    """Write a new "what matters to me" statement; it saves itself while the person types."""
    age = _age(pathway)
    form = StatementForm(author_role=current_user.role, age=age)
    if request.method == "GET":
        form.client_key.data = secrets.token_urlsafe(24)
        form.revision.data = 0
        form.sharing.data = sharing_choice.default(current_user, age).value
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
        "revision": statement.revision,
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
    """Everyone on the team who has opened what I wrote, by reader and day, newest first, a page at a
    time (?page=N; a page number that is no number, or below 1, is page 1; one past the end is 404)."""
    number = max(request.args.get("page", 1, type=int), 1)
    result = reader_services.reads_page(current_user, number)
    if number > 1 and not result.groups:
        abort(404)
    return render("youth/readers.html", readers_page=result)


@bp.app_template_global()
def prompt_label(prompt) -> str:
    """The prompt a statement answers, in the reader's language."""
    return str(PROMPTS[Prompt(prompt)])


@bp.app_template_global()
def own_sharing_label(statement) -> str:
    """Who may read the author's own statement today, told to its author."""
    if statement.sharing == Sharing.PRIVATE or statement.author_role == Role.PARENT:
        return sharing_choice.told(statement.sharing, statement.author_role, age=0)
    if statement.parents_may_read:
        return _("Your team and your parents can read it.")
    return _("Your team can read it, your parents cannot.")
