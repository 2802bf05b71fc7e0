"""Feedback views for the team: every response shared with the team, an alert to mark seen, marking
a meeting held (the family is asked how it went) and sending the experience questionnaire.

The writes are in `feedback.services`, the queries in `feedback.team_services`. The team never sees a
response counted only in the service's anonymous figures, not even that it exists. Every read of a response is logged."""
from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from access.log import log_reads
from access.policy import of_pathway_or_404, on_team
from core.extensions import db
from core.forms import EmptyForm
from core.render import redirect_to, render
from feedback import bp, services, team_services
from feedback.models import AlertReason, FeedbackAlert, ResponseSharing
from feedback.team_forms import SeenForm
from pathways.models import MEETING_KINDS, Meeting


@bp.get("/pathways/<int:pathway_id>")
@on_team()
def pathway_responses(pathway):
    """Every response on the pathway that the family shared with the team, newest first."""
    responses = team_services.shared_responses(pathway)
    response = render("feedback/pathway_responses.html", pathway_id=pathway.id,
                      young_person_name=pathway.young_person.name, responses=responses, meeting_kinds=MEETING_KINDS)
    log_reads(current_user, pathway, team_services.response_reads(responses))
    return response


@dataclass
class AlertView:
    id: int
    reason: AlertReason
    created_at: datetime
    seen_at: datetime | None
    seen_by_name: str | None
    note: str | None


@bp.route("/pathways/<int:pathway_id>/alerts/<int:alert_id>", methods=["GET", "POST"])
@on_team()
def alert(pathway, alert_id: int):
    """A rating the team must not miss: read it, and mark it seen with an optional note."""
    found = of_pathway_or_404(FeedbackAlert, pathway, alert_id)
    # An answer made anonymous takes its alert with it; a stray one must not show that it existed.
    if found.response.sharing != ResponseSharing.TEAM:
        abort(404)
    form = SeenForm()
    refusal = None
    if request.method == "POST":
        if found.seen_at is None:
            if form.validate_on_submit():
                services.mark_alert_seen(found, current_user, form.note.data)
                flash(_("Marked as seen. It is gone from the worklists of the team."), "success")
                return redirect_to(url_for("pathways.worklist"))
        elif EmptyForm().validate_on_submit():
            refusal = _("Someone on the team marked this as seen already. Nothing was changed.")
        else:
            abort(400)
    view = AlertView(found.id, found.reason, found.created_at, found.seen_at,
                     found.seen_by.name if found.seen_by else None, found.note)
    responses = team_services.shared_responses(pathway, found.response_id)
    status = 409 if refusal else 400 if form.errors else 200
    response = render("feedback/alert.html", status=status, pathway_id=pathway.id,
                      young_person_name=pathway.young_person.name, alert=view, response=responses[0], form=form,
                      refusal=refusal, meeting_kinds=MEETING_KINDS, closed=pathway.closed)
    log_reads(current_user, pathway, team_services.response_reads(responses))
    return response


@bp.post("/pathways/<int:pathway_id>/meetings/<int:meeting_id>/held")
@on_team()
def mark_held(pathway, meeting_id: int):
    """Mark a meeting that has started as held: the invited family is asked how it went."""
    meeting = of_pathway_or_404(Meeting, pathway, meeting_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("pathways.meeting", pathway_id=pathway.id, meeting_id=meeting.id, _anchor="held-heading")
    if not meeting.started():
        flash(_("The meeting has not started yet. Mark it as held when it has taken place."), "warning")
        return redirect_to(back)
    already = meeting.held_at is not None
    made = services.mark_held(meeting, current_user)
    # Everyone asked, also those asked already because the meeting's end had passed.
    asked = team_services.asked_for_meeting(meeting)
    if already and not made:
        flash(_("The meeting was marked as held already. Nothing was changed."), "info")
    elif asked:
        flash(ngettext("The meeting is marked as held. %(num)d person in the family is asked how it went.",
                       "The meeting is marked as held. %(num)d people in the family are asked how it went.", asked),
              "success")
    else:
        flash(_("The meeting is marked as held. Nobody in the family could be asked: nobody invited to it has "
                "an account in Stemme yet."), "success")
    return redirect_to(back)


@bp.post("/pathways/<int:pathway_id>/questionnaire")
@on_team()
def send_questionnaire(pathway):
    """Send the experience questionnaire about the help to the young person and the parents."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    pathway_id = pathway.id
    sent = services.send_questionnaire(pathway, current_user)
    db.session.commit()
    if sent:
        flash(ngettext("The questionnaire is sent to %(num)d person in the family.",
                       "The questionnaire is sent to %(num)d people in the family.", sent), "success")
    else:
        flash(_("Nobody got the questionnaire: nobody in the family has an account in Stemme yet, each of them "
                "got one from your service in the last 30 days, or the young person is under 9."), "warning")
    return redirect_to(url_for("pathways.show", pathway_id=pathway_id, _anchor="feedback-heading"))
