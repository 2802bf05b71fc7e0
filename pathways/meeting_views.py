"""The professional's views for meetings: scheduling one, the before-the-meeting page, and writing what
was agreed."""
from flask import Response, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from access.log import log_reads
from access.policy import of_pathway_or_404, on_team, or_404
from core import pdf
from core.forms import EmptyForm
from core.models import OSLO, utcnow
from core.render import redirect_to, render
from feedback import team_services as feedback_team
from pathways import bp, meeting_services, reading, services
from pathways.meeting_forms import AgreementForm, MeetingForm
from pathways.models import MEETING_KINDS, InputKind, Meeting, MeetingKind


@bp.route("/<int:pathway_id>/meetings/new", methods=["GET", "POST"])
@on_team()
def new_meeting(pathway):
    """Schedule a meeting on the pathway and choose who is invited."""
    form = MeetingForm()
    team = services.team(pathway)
    form.members.choices = [SelectChoice(member.user_id, member.user.name) for member in team]
    if request.method == "GET":
        form.members.data = [current_user.id]
    if form.validate_on_submit():
        meeting_services.create_meeting(
            pathway, current_user, kind=MeetingKind(form.kind.data), starts_at=form.starts_at(),
            minutes=form.minutes.data, place=form.place.data or "", video=form.video.data,
            purpose=form.purpose.data, young_person_invited=form.young_person_invited.data,
            parents_invited=form.parents_invited.data, member_ids=form.members.data or [],
        )
        flash(_("The meeting is scheduled. The young person and the parents you invited can prepare for it now."),
              "success")
        return redirect_to(url_for("pathways.show", pathway_id=pathway.id))
    return render("pathways/meeting_new.html", pathway=pathway, form=form, team=team,
                  status=400 if form.errors else 200)


def _agreements_page(pathway, meeting, form=None, status=200, refusal=None):
    agreements = meeting_services.agreements_for_meeting(meeting.id)
    response = render(
        "pathways/agreements.html", pathway=pathway, meeting=meeting, kind_label=MEETING_KINDS[meeting.kind],
        form=form or AgreementForm(), remove_form=EmptyForm(),
        agreements=agreements, refusal=refusal, status=status,
    )
    # The family's answers and questions are their own words: reading them is logged.
    log_reads(current_user, pathway, [(InputKind.ANSWER, answer.answer_id, answer.user_id)
                                               for point in agreements for answer in point.answers])
    return response


def _before_the_meeting(pathway, meeting_id: int):
    """What the before-the-meeting page and its PDF show: the template's context, and the entries of
    the family's input in it (for the access log)."""
    found = of_pathway_or_404(Meeting, pathway, meeting_id)
    data = reading.meeting_page(current_user, pathway, found)
    felt = feedback_team.last_meetings_felt(data.held)
    context = {"pathway": pathway, "page": data, "labels": reading.LABELS, "felt": felt,
               "age": reading.young_person_age(pathway)}
    return context, data.reads + felt.reads


@bp.get("/<int:pathway_id>/meetings/<int:meeting_id>")
@on_team()
def meeting(pathway, meeting_id: int):
    """Before the meeting: a summary of how the young person takes part, how the last meetings felt,
    the family's preparations side by side, statements and every agreement point still open."""
    context, reads = _before_the_meeting(pathway, meeting_id)
    response = render("pathways/meeting.html", **context,
                      feedback_asked=feedback_team.asked_for_meeting(context["page"].meeting))
    log_reads(current_user, pathway, reads)
    return response


@bp.get("/<int:pathway_id>/meetings/<int:meeting_id>/pdf")
@on_team()
def meeting_pdf(pathway, meeting_id: int):
    """The before-the-meeting page as a PDF for the health record, in the reader's language, saying
    when it was made and by whom; making it is logged like a read of the page."""
    context, reads = _before_the_meeting(pathway, meeting_id)
    html = render_template("pathways/meeting_pdf.html", **context, made_at=utcnow(), made_by=current_user,
                           pdf=True)
    response = Response(pdf.from_html(html), mimetype="application/pdf")
    # No name in the file name: it lands in a Downloads folder that others may see.
    day = context["page"].meeting.starts_at.astimezone(OSLO).date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="stemme-mote-{day}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    log_reads(current_user, pathway, reads)
    return response


@bp.route("/<int:pathway_id>/meetings/<int:meeting_id>/agreements", methods=["GET", "POST"])
@on_team()
def agreements(pathway, meeting_id: int):
    """What was agreed at a meeting, point by point, with the family's answers; add a point."""
    meeting = of_pathway_or_404(Meeting, pathway, meeting_id)
    form = AgreementForm()
    if form.validate_on_submit():
        meeting_services.add_agreement(meeting, current_user, form.what.data, form.who.data, form.due_on.data)
        flash(_("The point is added. The young person and the parents can read and answer it."), "success")
        return redirect_to(url_for("pathways.agreements", pathway_id=pathway.id, meeting_id=meeting.id))
    return _agreements_page(pathway, meeting, form, status=400 if form.errors else 200)


@bp.post("/<int:pathway_id>/meetings/<int:meeting_id>/agreements/<int:agreement_id>/remove")
@on_team()
def remove_agreement(pathway, meeting_id: int, agreement_id: int):
    """Remove a point written by mistake, as long as nobody has answered it."""
    meeting = of_pathway_or_404(Meeting, pathway, meeting_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        removed = meeting_services.remove_agreement(meeting, agreement_id)
    except meeting_services.Answered:
        return _agreements_page(pathway, meeting, status=409, refusal=_(
            "This point cannot be removed: the young person or a parent has answered it. "
            "Write a new point that says what changed."))
    or_404(removed)
    flash(_("The point is removed."), "success")
    return redirect_to(url_for("pathways.agreements", pathway_id=pathway.id, meeting_id=meeting.id))


@bp.app_template_global()
def meeting_kind(kind) -> str:
    """The name of a kind of meeting, in the reader's language."""
    return str(MEETING_KINDS[MeetingKind(kind)])
