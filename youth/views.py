"""Home pages for young people and parents, and their "what matters to me" statements."""
import secrets

from flask import abort, flash, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import Role
from core import page_cache
from core.access import CHILD_UNTIL, PARENTS_DECIDE_UNTIL, for_family, own_statement, refuse_if_closed, roles
from core.extensions import htmx
from core.forms import EmptyForm
from core.models import today_in_oslo
from core.render import redirect_to, render
from feedback import services as feedback_services
from youth import bp, preparation_services, relay_services, services
from youth.forms import StatementForm
from youth.models import Prompt, Sharing


HOME_READERS = 3  # the latest reads on the home page; the readers page has the rest


def _home(template: str, status: int = 200, **extra):
    """A home page; `extra` is the context of a form refused on it (a comment on a measure)."""
    pathways = services.my_pathways(current_user)
    pathway_ids = [p.id for p in pathways]
    # Who read the person's own input: on /me the page cache keys on the number logged reads move.
    with page_cache.declared_log_reads():
        readers, more = services.readers_of_my_input(current_user, limit=HOME_READERS)
        statements = services.statements_for_home(current_user, pathway_ids)
    return render(
        template, pathways=pathways,
        next_meetings=preparation_services.upcoming_meetings(current_user, pathway_ids),
        statements=statements,
        agreement_groups=preparation_services.latest_agreements(current_user, pathway_ids),
        doing=relay_services.doing_for_home(current_user, pathway_ids),
        latest_readers=readers, more_readers=more, feedback=feedback_services.for_home(current_user, pathway_ids),
        status=status, **extra,
    )


@bp.get("/me")
@page_cache.cached(vary_on_logged_reads=True)
@roles(Role.YOUNG_PERSON)
def home():
    """The young person's home: next meeting, what I said, what was agreed, who has read it."""
    return _home("youth/home.html")


@bp.get("/family")
@roles(Role.PARENT)
def parent_home():
    """The parent's home: the same for their own input and what their child shares with them."""
    return _home("youth/parent_home.html")


# --- what matters to me -------------------------------------------------------------------------

def _home_url() -> str:
    return url_for("youth.parent_home" if current_user.role == Role.PARENT else "youth.home")


def _age(pathway) -> int:
    return pathway.young_person.age_on(today_in_oslo())


def _statement_page(template: str, form, pathway, status: int = 200, conflict=None, **context):
    """The new or edit page, or (htmx, after a conflict) only its editor to replace the form."""
    context |= {"form": form, "pathway": pathway, "age": _age(pathway), "conflict": conflict,
                "sharing_explained": sharing_explained(current_user.role, _age(pathway))}
    if conflict is not None and htmx:
        # An autosave met a newer text from another device: the form gives way to the choice.
        response = render(template, block="editor", status=status, **context)
        response.headers["HX-Retarget"] = "#statement-editor"
        response.headers["HX-Reswap"] = "outerHTML"
        response.headers["X-Autosave"] = "not-saved"  # nothing stored: keep warning before leaving
        return response
    return render(template, status=status, **context)


def _autosave_status(message: str, revision: int | None = None):
    response = render("youth/_statement_status.html", block="status", message=message, revision=revision)
    if revision is None:
        response.headers["X-Autosave"] = "not-saved"  # stemme.js keeps warning before leaving
    return response


def _save_statement(form, pathway, template: str, statement=None, **context):
    """Validate and save; an htmx request is an autosave (see the brief's autosave protocol)."""
    if not form.validate_on_submit():
        if htmx and request.method == "POST":
            errors = [error for name, errs in form.errors.items() for error in errs]
            return _autosave_status(_("Not saved: %(reason)s", reason=" ".join(str(e) for e in errors)))
        status = 400 if request.method == "POST" else 200
        return _statement_page(template, form, pathway, status=status, statement=statement, **context)
    data = services.StatementData(Prompt(form.prompt.data), form.text.data, Sharing(form.sharing.data),
                                  form.wants_not_for_parents())
    try:
        saved, _changed = services.create_or_update_statement(
            current_user, pathway, data, statement=statement, client_key=form.client_key.data or None,
            base_revision=form.revision.data)
    except services.StatementConflict as conflict:
        # htmx swaps only 2xx answers: the choice replaces the form; a full page says 409.
        return _statement_page(template, form, pathway, status=200 if htmx else 409, statement=statement,
                               conflict=conflict.statement, **context)
    except services.StatementGone:
        abort(404)
    if htmx:
        return _autosave_status(_("Saved %(time)s", time=format_datetime(saved.updated_at, "HH:mm")),
                                saved.revision)
    flash(_("Saved as a draft. Only you can see it.") if saved.sharing == Sharing.PRIVATE
          else _("Saved. Your team can read it now."), "success")
    return redirect_to(_home_url())


@bp.route("/my/pathways/<int:pathway_id>/statements/new", methods=["GET", "POST"])
@for_family
def new_statement(pathway):
    """Write a new "what matters to me" statement; it saves itself while the person types."""
    form = StatementForm(author_role=current_user.role, age=_age(pathway))
    if request.method == "GET":
        form.client_key.data = secrets.token_urlsafe(24)
        form.revision.data = 0
    return _save_statement(form, pathway, "youth/statement_new.html",
                           statements=services.visible_statements(current_user, pathway))


@bp.route("/my/statements/<int:statement_id>", methods=["GET", "POST"])
@roles(Role.YOUNG_PERSON, Role.PARENT)
def edit_statement(statement_id: int):
    """Change one's own statement; saves itself while typing, and asks when two devices disagree."""
    statement = own_statement(current_user, statement_id)
    if statement is None:
        abort(404)
    pathway = statement.pathway
    refuse_if_closed(pathway)  # reading stays open; saving does not
    form = StatementForm(author_role=current_user.role, age=_age(pathway), data={
        "prompt": statement.prompt.value, "text": statement.text, "sharing": statement.sharing.value,
        "not_for_parents": statement.not_for_parents, "revision": statement.revision,
    })
    return _save_statement(form, pathway, "youth/statement_edit.html", statement=statement,
                           readers=services.statement_readers(statement), remove_form=EmptyForm())


@bp.post("/my/statements/<int:statement_id>/remove")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def remove_statement(statement_id: int):
    """Remove one's own statement: nobody sees it any more; its history stays for the audit."""
    statement = own_statement(current_user, statement_id)
    if statement is None:
        abort(404)
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


def sharing_explained(role: Role, age: int) -> str:
    """One plain sentence: who else sees what this person shares, at this age."""
    if role == Role.PARENT:
        return _("Your child can read it only if you choose «My team and my child». The other parent cannot read it.")
    if age < CHILD_UNTIL:
        return _("Your parents can read what you share with your team.")
    if age < PARENTS_DECIDE_UNTIL:
        return _("Your parents can read what you share with your team, unless you tick «Not for my parents».")
    return _("Your parents can read only what you choose to share with them.")


@bp.app_template_global()
def prompt_label(prompt) -> str:
    """The prompt a statement answers, in the reader's language."""
    from youth.forms import PROMPTS

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
