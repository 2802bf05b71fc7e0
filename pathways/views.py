"""The professional's views: worklist, new pathway, pathway page, team and invitations."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts import services as accounts
from accounts.models import Role
from core.access import is_coordinator, on_team, roles
from core.forms import EmptyForm
from core.render import redirect_to, render
from pathways import bp, services
from pathways.forms import AddMemberForm, InvitationForm, PathwayForm


@bp.get("/")
@roles(Role.PROFESSIONAL)
def worklist():
    """The pathways this professional is on the team of."""
    return render("pathways/worklist.html", pathways=services.worklist(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.PROFESSIONAL)
def new():
    """Create a pathway for a young person; the creator becomes its coordinator."""
    form = PathwayForm()
    if form.validate_on_submit():
        pathway = services.create_pathway(current_user, form.name.data, form.birth_date.data, form.title.data)
        flash(_("The pathway is created. You are its coordinator."), "success")
        return redirect_to(url_for("pathways.show", pathway_id=pathway.id))
    return render("pathways/new.html", form=form)


@bp.get("/<int:pathway_id>")
@on_team()
def show(pathway):
    """The pathway page: the young person, the team, invitations and history."""
    return render("pathways/show.html", pathway=pathway, team=services.team(pathway),
                  events=services.history(pathway), coordinator=is_coordinator(current_user, pathway))


def _team_page(pathway, form=None, status=200):
    query = request.values.get("q", "")
    return render(
        # The only htmx request on this page is the search, which swaps its results list.
        "pathways/team.html", block="results",
        pathway=pathway, team=services.team(pathway), query=query,
        results=services.search_professionals(pathway, query), add_form=form or AddMemberForm(),
        remove_form=EmptyForm(), coordinator=is_coordinator(current_user, pathway), status=status,
    )


@bp.get("/<int:pathway_id>/team")
@on_team()
def team(pathway):
    """The team, and a search for professionals to add (the coordinator's)."""
    return _team_page(pathway)


@bp.post("/<int:pathway_id>/team")
@on_team(coordinator=True)
def add_member(pathway):
    """Add a professional from any service to the team."""
    form = AddMemberForm()
    if form.validate_on_submit():
        user = services.add_member(pathway, form.user_id.data, current_user)
        if user is None:
            abort(404)
        flash(_("%(name)s is on the team now.", name=user.name), "success")
        return redirect_to(url_for("pathways.team", pathway_id=pathway.id, q=form.q.data or None))
    return _team_page(pathway, form, status=400)


@bp.post("/<int:pathway_id>/team/<int:user_id>/remove")
@on_team(coordinator=True)
def remove_member(pathway, user_id: int):
    """Take a professional off the team; they no longer see the pathway."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = services.remove_member(pathway, user_id, current_user)
    if user is None:
        abort(404)
    flash(_("%(name)s is no longer on the team.", name=user.name), "success")
    return redirect_to(url_for("pathways.team", pathway_id=pathway.id))


@bp.route("/<int:pathway_id>/invitations/new", methods=["GET", "POST"])
@on_team()
def invite(pathway):
    """Make a one-time code for the young person or a parent."""
    form = InvitationForm()
    if request.method == "GET":
        form.role.data = request.args.get("role", Role.YOUNG_PERSON.value)
    has_account = pathway.young_person.user_id is not None
    if form.validate_on_submit() and has_account and form.role.data == Role.YOUNG_PERSON.value:
        # A code that could never work is worse than none: say so beside the choice.
        form.role.errors = [_("%(name)s has an account already and logs in with it.", name=pathway.young_person.name)]
    elif form.validate_on_submit():
        role = Role(form.role.data)
        if role == Role.PARENT:
            name = form.parent_name.data.strip()
            responsibility = form.parental_responsibility.data == "yes"
        else:
            name, responsibility = pathway.young_person.name, None
        invitation, code = accounts.create_invitation(pathway, current_user, role, name, responsibility)
        return render("pathways/invitation_code.html", pathway=pathway, invitation=invitation, code=code,
                      redeem_url=url_for("accounts.invitation", _external=True))
    return render("pathways/invite.html", pathway=pathway, form=form)


@bp.app_template_global()
def event_text(event) -> str:
    """One line of a pathway's history, in the reader's language."""
    from pathways.models import EventKind

    actor = event.actor.name if event.actor else _("Someone")
    name = event.subject_name or ""
    texts = {
        EventKind.CREATED: _("%(actor)s created the pathway «%(name)s».", actor=actor, name=name),
        EventKind.MEMBER_ADDED: _("%(actor)s added %(name)s to the team.", actor=actor, name=name),
        EventKind.MEMBER_REMOVED: _("%(actor)s took %(name)s off the team.", actor=actor, name=name),
        EventKind.INVITATION_CREATED: _("%(actor)s made an invitation code for %(name)s.", actor=actor, name=name),
        EventKind.INVITATION_REDEEMED: _("%(name)s used an invitation and made an account.", name=name),
    }
    return texts[event.kind]
