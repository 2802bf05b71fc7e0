"""The professional's views: worklist, new pathway, pathway page, team and invitations, the
before-the-meeting page and withholding for weighty reasons."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import Length

from accounts import services as accounts
from accounts.models import Role
from core.access import is_coordinator, may_withhold_from_parents, on_team, roles
from core.forms import EmptyForm, Form, not_blank
from core.render import redirect_to, render
from pathways import bp, reading, services
from pathways.forms import AddMemberForm, InvitationForm, PathwayForm
from pathways.models import InputKind


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


class WithholdForm(Form):
    reason = TextAreaField(_l("Why the parents must not see this (weighty reasons)"),
                           validators=[not_blank, Length(max=1000, message=_l("Write at most %(max)d characters."))])


def _pathway_page(pathway, withhold_form=None, withhold_key=None, refusal=None, status=200):
    """The pathway page; after a refused withholding, with the message beside that entry's reason."""
    age = reading.young_person_age(pathway)
    timeline = reading.pathway_timeline(current_user, pathway)
    return render("pathways/show.html", pathway=pathway, team=services.team(pathway), timeline=timeline,
                  coordinator=is_coordinator(current_user, pathway), may_withhold=may_withhold_from_parents(age),
                  withhold_form=withhold_form, withhold_key=withhold_key, refusal=refusal, csrf_form=EmptyForm(),
                  labels=reading, status=status)


@bp.get("/<int:pathway_id>")
@on_team()
def show(pathway):
    """The pathway page: the young person, the team, invitations, and the timeline of everything."""
    return _pathway_page(pathway)


@bp.get("/<int:pathway_id>/meetings/<int:meeting_id>")
@on_team()
def meeting(pathway, meeting_id: int):
    """Before the meeting: the family's preparations side by side, statements and last agreements."""
    found = reading.find_meeting(pathway, meeting_id)
    if found is None:
        abort(404)
    data = reading.meeting_page(current_user, pathway, found)
    return render("pathways/meeting.html", pathway=pathway, page=data, labels=reading,
                  age=reading.young_person_age(pathway))


def _withholdable(pathway, kind: str, item_id: int):
    try:
        input_kind = InputKind(kind)
    except ValueError:
        abort(404)
    entry = reading.withholdable_entry(pathway, input_kind, item_id)
    if entry is None:
        abort(404)
    return input_kind, entry


@bp.post("/<int:pathway_id>/input/<kind>/<int:item_id>/withhold")
@on_team()
def withhold(pathway, kind: str, item_id: int):
    """Withhold a young person's entry from the parents for weighty reasons (under 12 only)."""
    input_kind, entry = _withholdable(pathway, kind, item_id)
    key = f"{input_kind.value}-{entry.id}"
    if not may_withhold_from_parents(reading.young_person_age(pathway)):
        return _pathway_page(pathway, refusal=_too_old(pathway), status=409)
    form = WithholdForm()
    if form.validate_on_submit():
        reading.withhold(entry, input_kind, current_user, form.reason.data.strip())
        flash(_("The parents no longer see this. The reason is recorded."), "success")
        return redirect_to(url_for("pathways.show", pathway_id=pathway.id, _anchor=key))
    return _pathway_page(pathway, withhold_form=form, withhold_key=key, status=400)


@bp.post("/<int:pathway_id>/input/<kind>/<int:item_id>/release")
@on_team()
def release(pathway, kind: str, item_id: int):
    """Lift a withholding: the parents see the entry again as far as the age rules let them.

    Allowed at any age: an entry withheld before the young person turned 12 must not stay hidden
    from the parents for good against the young person's own choice."""
    input_kind, entry = _withholdable(pathway, kind, item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if reading.release(entry, input_kind, current_user):
        flash(_("The parents can see this again."), "success")
    return redirect_to(url_for("pathways.show", pathway_id=pathway.id, _anchor=f"{input_kind.value}-{entry.id}"))


def _too_old(pathway) -> str:
    return _("%(name)s is 12 or older and decides what the parents see. Only a young person under 12 can "
             "have input withheld from the parents by the team.", name=pathway.young_person.name)


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
