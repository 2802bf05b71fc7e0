"""The professional's views: worklist, new pathway, pathway page, team and invitations, the
before-the-meeting page and withholding for weighty reasons."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from access.log import log_reads
from access.policy import (
    handover_to_me, is_coordinator, may_withhold_from_parents, of_pathway_or_404, on_team, or_404, refuse_if_closed,
    roles, team_pathway,
)
from accounts import services as accounts
from accounts.models import Role
from core.extensions import htmx
from core.forms import EmptyForm, Form, not_blank
from core.formatting import month_name
from core.i18n import in_locale
from core.models import today_in_oslo
from core.paging import page_number
from core.render import redirect_to, render
from feedback import services as feedback_services
from feedback import team_services as feedback_team
from pathways import bp, reading, relay_services, services, worklist_services
from pathways.baton_forms import LEVELS, CloseForm, DeclineForm, HandoverForm, LevelForm, StepForm
from pathways.forms import AddMemberForm, InvitationForm, PathwayForm
from pathways.models import INPUT_KINDS, MEETING_KINDS, EventKind, Handover, HandoverState, InputKind, MeetingKind


@bp.get("/")
@roles(Role.PROFESSIONAL)
def worklist():
    """The pathways this professional is on the team of, a page at a time (sorted, filtered, searched),
    each with what is new since their last visit; the meetings coming up, handovers waiting for their
    answer, and agreement points the family asked about. It shows no family words (only who asked or
    what kind of input is new, counted), so it logs no reads. The search asks htmx for the list alone."""
    listing = worklist_services.worklist_page(current_user, worklist_services.Choices.of(request.args))
    if htmx and not htmx.history_restore_request:  # the search, asking for the list alone
        return render("pathways/worklist.html", block="results", listing=listing)
    return render("pathways/worklist.html", listing=listing,
                  coming_up=worklist_services.coming_up(current_user),
                  handovers=services.handovers_waiting_for(current_user),
                  overdue=relay_services.overdue_measures(current_user),
                  my_measures=relay_services.my_open_measures(current_user),
                  feedback_alerts=feedback_services.alerts_for_worklist(current_user))


@bp.get("/coming")
@roles(Role.PROFESSIONAL)
def coming_meetings():
    """Every meeting of the next 14 days on this professional's pathways, 25 a page, with who has prepared
    (the worklist shows the first few). No family words, so no logged reads."""
    page = page_number(request.args)
    size = worklist_services.COMING_PAGE_SIZE
    meetings = worklist_services.coming_up(current_user, limit=size, offset=(page - 1) * size)
    if not meetings.items and page > 1:  # past the last page
        return redirect_to(url_for("pathways.coming_meetings"))
    return render("pathways/coming_meetings.html", meetings=meetings)


@bp.get("/overdue")
@roles(Role.PROFESSIONAL)
def overdue():
    """Every overdue measure this professional must act on, the most overdue first, 25 a page (the
    worklist shows the first few)."""
    page = page_number(request.args)
    size = relay_services.OVERDUE_PAGE_SIZE
    measures = relay_services.overdue_measures(current_user, limit=size, offset=(page - 1) * size)
    if not measures.items and page > 1:  # past the last page
        return redirect_to(url_for("pathways.overdue"))
    return render("pathways/overdue_measures.html", overdue=measures)


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.PROFESSIONAL)
def new():
    """Create a pathway for a young person; the creator becomes its coordinator."""
    form = PathwayForm()
    if form.validate_on_submit():
        pathway = services.create_pathway(current_user, form.name.data, form.birth_date.data, form.title.data,
                                          template=form.chosen_template())
        flash(_("The pathway is created. You are its coordinator."), "success")
        return redirect_to(url_for("pathways.show", pathway_id=pathway.id))
    return render("pathways/new.html", form=form)


class WithholdForm(Form):
    reason = TextAreaField(_l("Why the parents must not see this (weighty reasons)"),
                           validators=[not_blank, Length(max=1000, message=_l("Write at most %(max)d characters."))])


def _pathway_page(pathway, withhold_form=None, withhold_key=None, refusal=None, status=200, before=None, **forms):
    """The pathway page, its timeline at the months before `before` (None: the newest); after a
    refused form, with the message beside its field (or above, in `refusal`) and what was typed kept."""
    timeline = reading.pathway_timeline(current_user, pathway, before)
    trend = feedback_team.trend_section(pathway)
    wish = services.latest_wish(pathway)
    relay = relay_services.relay_log(pathway, current_user, timeline.relay_meetings)
    age = reading.young_person_age(pathway)
    team = services.team(pathway)
    plan = services.step_plan(pathway, team)
    open_handover = next((h for h in timeline.handovers if h.state == HandoverState.PROPOSED), None)
    team_ids = {member.user_id for member in team}
    handover_form = forms.get("handover_form") or HandoverForm()
    handover_form.to_id.choices = [SelectChoice("", _("Choose a person"))] + [
        SelectChoice(str(member.user_id), member.user.name) for member in team
        if member.user_id != pathway.coordinator_id]
    level_form = forms.get("level_form") or LevelForm(
        data={"level": None if pathway.bti_level is None else str(pathway.bti_level)})
    deadline = services.level_deadline(pathway)
    response = render(
        "pathways/show.html", status=status, pathway=pathway, team=team, timeline=timeline, relay_log=relay,
        coordinator=is_coordinator(current_user, pathway), closed=pathway.closed, plan=plan,
        closed_by_name=services.user_name(pathway.closed_by_id) if pathway.closed else None,
        open_handover=open_handover,
        handover_left_team=open_handover is not None and open_handover.to_id not in team_ids,
        handover_to_me=open_handover is not None and open_handover.to_id == current_user.id,
        wish=wish, levels=LEVELS, level_deadline=deadline,
        level_deadline_passed=deadline is not None and deadline < today_in_oslo(),
        step_form=StepForm(data={"from_step": plan.current.id if plan and plan.current else ""}),
        level_form=level_form, handover_form=handover_form, decline_form=forms.get("decline_form") or DeclineForm(),
        may_withhold=may_withhold_from_parents(age) and not pathway.closed,
        withhold_form=withhold_form, withhold_key=withhold_key, refusal=refusal, csrf_form=EmptyForm(),
        labels=reading.LABELS, trend=trend, month_name=month_name,
    )
    # The young person's wish for a coordinator is their own words too.
    wish_read = [(InputKind.WISH, wish.id, wish.author_id)] if wish else []
    log_reads(current_user, pathway, trend.reads + relay.reads + timeline.reads + wish_read)
    return response


@bp.get("/<int:pathway_id>")
@on_team()
def show(pathway):
    """The pathway page: the young person, the step and level, the baton, the team and the timeline.
    `?before=YYYY-MM` pages the timeline back (anything else: the newest months); htmx asks for
    those older months alone, to add them below the ones shown."""
    before = reading.parse_month(request.args.get("before"))
    if before is None or not htmx or htmx.history_restore_request:
        return _pathway_page(pathway, before=before)
    timeline = reading.pathway_timeline(current_user, pathway, before)
    response = render("pathways/_timeline_months.html", pathway=pathway, timeline=timeline, labels=reading.LABELS,
                      month_name=month_name, closed=pathway.closed, csrf_form=EmptyForm(),
                      may_withhold=may_withhold_from_parents(reading.young_person_age(pathway)) and not pathway.closed,
                      withhold_form=None, withhold_key=None)
    log_reads(current_user, pathway, timeline.reads)
    return response


@bp.post("/<int:pathway_id>/step")
@on_team(coordinator=True)
def next_step(pathway):
    """Move the pathway to the next step of its care pathway template."""
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    or_404(pathway.template_id)
    step = services.move_to_next_step(pathway, current_user, form.seen_step())
    if step is None:
        return _pathway_page(pathway, status=409, refusal=_(
            "The pathway did not move: it is at the last step, or someone moved it while you were reading."))
    flash(_("The pathway is at the step «%(step)s» now.", step=services.localized(step, "name")), "success")
    return redirect_to(url_for("pathways.show", pathway_id=pathway.id, _anchor="step-heading"))


@bp.post("/<int:pathway_id>/level")
@on_team(coordinator=True)
def set_level(pathway):
    """Set or change the pathway's BTI level (0–3)."""
    form = LevelForm()
    if not form.validate_on_submit():
        return _pathway_page(pathway, level_form=form, status=400)
    level = int(form.level.data)
    if services.set_level(pathway, current_user, level):
        flash(_("The BTI level is %(level)s now.", level=level), "success")
    else:
        flash(_("The BTI level was %(level)s already. Nothing changed.", level=level), "info")
    return redirect_to(url_for("pathways.show", pathway_id=pathway.id, _anchor="level-heading"))


def _handover_refusal(refused: services.HandoverRefused) -> str:
    """What went wrong with a handover, in plain words."""
    reason, name = refused.reason, refused.name
    if reason == services.HandoverRefused.SELF:
        return _("You are the coordinator already. Choose someone else on the team.")
    if reason == services.HandoverRefused.LEFT_TEAM:
        if name == current_user.name:
            return _("You are no longer on the team of this pathway, so you cannot take over the baton. "
                     "Ask the coordinator.")
        return _("%(name)s has left the team and cannot take over the baton.", name=name)
    if reason == services.HandoverRefused.OPEN_ALREADY:
        return _("You have asked %(name)s to take over already. Withdraw that first if you want to ask someone "
                 "else.", name=name)
    if reason == services.HandoverRefused.ANSWERED:
        return {
            HandoverState.ACCEPTED: _("This handover is accepted already. Nothing was changed."),
            HandoverState.DECLINED: _("This handover was declined. Nothing was changed."),
            HandoverState.WITHDRAWN: _("The coordinator has withdrawn this handover. Nothing was changed."),
        }[refused.state]
    if name:
        return _("%(name)s is not on the team. Add them to the team first.", name=name)
    return _("Choose someone on the team.")


@bp.post("/<int:pathway_id>/handover")
@on_team(coordinator=True)
def propose_handover(pathway):
    """Ask another team member to take over as coordinator; nothing changes until they accept."""
    form = HandoverForm()
    if form.validate_on_submit():
        try:
            handover = services.propose_handover(pathway, current_user, form.chosen() or 0)
        except services.HandoverRefused as refused:
            form.to_id.errors = [_handover_refusal(refused)]
            status = 409 if refused.reason == services.HandoverRefused.OPEN_ALREADY else 400
            return _pathway_page(pathway, handover_form=form, status=status)
        flash(_("%(name)s is asked to take over the baton. You are the coordinator until they accept.",
                name=handover.to_user.name), "success")
        return redirect_to(url_for("pathways.show", pathway_id=pathway.id, _anchor="baton-heading"))
    return _pathway_page(pathway, handover_form=form, status=400)


def _my_handover(pathway_id: int, handover_id: int):
    """The pathway and the handover proposed to the current user; 403 for the rest of the team,
    404 for anyone else. Closed pathways refuse."""
    handover = handover_to_me(current_user, pathway_id, handover_id)
    if handover is None:
        on_the_team = team_pathway(current_user, pathway_id)
        abort(403 if on_the_team is not None and services.pathway_handover(on_the_team, handover_id) else 404)
    pathway = services.get_pathway(pathway_id)
    refuse_if_closed(pathway)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return pathway, handover


def _answer_refused(pathway, refused: services.HandoverRefused):
    """A refused answer: on the pathway page for a team member; a message page for someone who
    has left the team (they no longer see the pathway)."""
    message = _handover_refusal(refused)
    if team_pathway(current_user, pathway.id) is None:
        return render("errors/error.html", status=409, code=409, title=_("You cannot take over the baton"),
                      message=message)
    return _pathway_page(pathway, refusal=message, status=409)


@bp.post("/<int:pathway_id>/handover/<int:handover_id>/accept")
@roles(Role.PROFESSIONAL)
def accept_handover(pathway_id: int, handover_id: int):
    """Take over the baton: the person asked becomes the pathway's coordinator."""
    pathway, handover = _my_handover(pathway_id, handover_id)
    try:
        services.accept_handover(pathway, handover, current_user)
    except services.HandoverRefused as refused:
        return _answer_refused(pathway, refused)
    flash(_("You are the coordinator of this pathway now."), "success")
    return redirect_to(url_for("pathways.show", pathway_id=pathway_id, _anchor="baton-heading"))


@bp.post("/<int:pathway_id>/handover/<int:handover_id>/decline")
@roles(Role.PROFESSIONAL)
def decline_handover(pathway_id: int, handover_id: int):
    """Say no to taking over the baton, with a reason the coordinator reads."""
    pathway, handover = _my_handover(pathway_id, handover_id)
    form = DeclineForm()
    if not form.validate():
        if team_pathway(current_user, pathway_id) is None:
            return _answer_refused(pathway, services.HandoverRefused(services.HandoverRefused.LEFT_TEAM,
                                                                      current_user.name))
        return _pathway_page(pathway, decline_form=form, status=400)
    try:
        services.decline_handover(pathway, handover, current_user, form.reason.data.strip())
    except services.HandoverRefused as refused:
        return _answer_refused(pathway, refused)
    flash(_("You said no. The coordinator can read why."), "success")
    if team_pathway(current_user, pathway_id) is None:
        return redirect_to(url_for("pathways.worklist"))
    return redirect_to(url_for("pathways.show", pathway_id=pathway_id, _anchor="baton-heading"))


@bp.post("/<int:pathway_id>/handover/<int:handover_id>/withdraw")
@on_team(coordinator=True)
def withdraw_handover(pathway, handover_id: int):
    """Take back a proposal that has not been answered yet."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    handover = of_pathway_or_404(Handover, pathway, handover_id)
    try:
        services.withdraw_handover(pathway, handover)
    except services.HandoverRefused as refused:
        return _pathway_page(pathway, refusal=_handover_refusal(refused), status=409)
    flash(_("The handover is withdrawn. You are still the coordinator."), "success")
    return redirect_to(url_for("pathways.show", pathway_id=pathway.id, _anchor="baton-heading"))


@bp.route("/<int:pathway_id>/close", methods=["GET", "POST"])
@on_team(coordinator=True)
def close(pathway):
    """Close the pathway with a short summary; after that nobody can change it."""
    form = CloseForm()
    if form.validate_on_submit():
        services.close_pathway(pathway, current_user, form.summary.data.strip())
        flash(_("The pathway is closed. It can be read, but not changed."), "success")
        return redirect_to(url_for("pathways.show", pathway_id=pathway.id))
    return render("pathways/close.html", pathway=pathway, form=form, status=400 if form.errors else 200)


def _withholdable(pathway, kind: str, item_id: int):
    try:
        input_kind = InputKind(kind)
    except ValueError:
        abort(404)
    if input_kind not in reading.MODELS:  # only statements and preparations can be withheld
        abort(404)
    return input_kind, or_404(reading.withholdable_entry(pathway, input_kind, item_id))


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
    # A refused add keeps its search: the form's hidden q, cleaned by core.forms like any field.
    query = (form.q.data or "") if form is not None else request.args.get("q", "")
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
        user = or_404(services.add_member(pathway, form.user_id.data, current_user))
        flash(_("%(name)s is on the team now.", name=user.name), "success")
        return redirect_to(url_for("pathways.team", pathway_id=pathway.id, q=form.q.data or None))
    return _team_page(pathway, form, status=400)


@bp.post("/<int:pathway_id>/team/<int:user_id>/remove")
@on_team(coordinator=True)
def remove_member(pathway, user_id: int):
    """Take a professional off the team; they no longer see the pathway."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    user = or_404(services.remove_member(pathway, user_id, current_user))
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
    actor = event.actor.name if event.actor else _("Someone")
    name = event.subject_name or ""
    detail = event.detail or ""
    kind = event.kind
    if kind == EventKind.CREATED:
        return _("%(actor)s created the pathway «%(name)s».", actor=actor, name=name)
    if kind == EventKind.MEMBER_ADDED:
        return _("%(actor)s added %(name)s to the team.", actor=actor, name=name)
    if kind == EventKind.MEMBER_REMOVED:
        return _("%(actor)s took %(name)s off the team.", actor=actor, name=name)
    if kind == EventKind.INVITATION_CREATED:
        return _("%(actor)s made an invitation code for %(name)s.", actor=actor, name=name)
    if kind == EventKind.INVITATION_REDEEMED:
        return _("%(name)s used an invitation and made an account.", name=name)
    if kind == EventKind.STEP_CHANGED:
        # subject_name is the step's nynorsk name, detail its bokmål name.
        step = in_locale(name, detail or name)
        return _("%(actor)s moved the pathway to the step «%(step)s».", actor=actor, step=step)
    if kind == EventKind.LEVEL_CHANGED:
        return _("%(actor)s set the BTI level to %(level)s.", actor=actor, level=detail)
    if kind == EventKind.GOAL_ADDED:
        return _("%(actor)s added a goal: «%(goal)s».", actor=actor, goal=detail)
    if kind == EventKind.MEASURE_ADDED:
        return _("%(actor)s added a measure: «%(what)s». Responsible: %(name)s.", actor=actor, what=detail, name=name)
    if kind == EventKind.MEASURE_EVALUATED:
        return _("%(actor)s evaluated the measure «%(what)s» (responsible: %(name)s).", actor=actor, what=detail,
                 name=name)
    if kind == EventKind.HANDOVER_PROPOSED:
        return _("%(actor)s asked %(name)s to take over as coordinator.", actor=actor, name=name)
    if kind == EventKind.HANDOVER_ACCEPTED:
        return _("%(name)s took over as coordinator.", name=name)
    if kind == EventKind.HANDOVER_DECLINED:
        return _("%(name)s said no to taking over as coordinator. Why: %(reason)s", name=name, reason=detail)
    if kind == EventKind.MINUTES_WRITTEN:
        try:
            meeting = str(MEETING_KINDS[MeetingKind(detail)])
        except ValueError:
            meeting = detail
        return _("%(actor)s wrote the minutes of a meeting (%(kind)s).", actor=actor, kind=meeting)
    if kind == EventKind.CLOSED:
        return _("%(actor)s closed the pathway. Summary: %(summary)s", actor=actor, summary=detail)
    raise ValueError(kind)


@bp.app_template_global()
def localized(obj, name: str) -> str:
    """A template's name, summary or guidance in the reader's language (nynorsk or bokmål)."""
    return services.localized(obj, name)


@bp.app_template_filter()
def input_kind(kind, item_id: int) -> str:
    """Which of the family's input was read, by kind and number (the admin's access log)."""
    return str(INPUT_KINDS[InputKind(kind)]) % {"id": item_id}
