"""Feedback views for the team: every response shared with the team, an alert to mark seen, marking
a meeting held (the family is asked how it went) and sending the experience questionnaire.

The writes are in `feedback.services`. The team never sees a response counted only in the
service's anonymous figures, not even that it exists. Every read of a response is logged."""
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from accounts.models import Role, Service, User
from core.access import on_team, team_alert
from core.extensions import db
from core.forms import EmptyForm
from core.i18n import in_locale
from core.render import redirect_to, render
from feedback import bp, services
from feedback.chart import step_words
from feedback.models import (
    AlertReason, FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, FeedbackScale, QuestionSet,
    RequestReason, ResponseSharing, ScaleKind, ScaleStep,
)
from feedback.team_forms import SeenForm
from pathways import meeting_services
from pathways.meeting_forms import MEETING_KINDS
from pathways.models import InputKind, Meeting, MeetingKind
from pathways.services import log_reads


@dataclass
class AnswerLine:
    question: str
    answer: str
    free_text: bool


@dataclass
class ResponseView:
    """A response shared with the team, as plain values (logging the read commits)."""

    id: int
    user_id: int
    name: str
    role: Role
    reason: RequestReason
    meeting_starts_at: datetime | None
    meeting_kind: MeetingKind | None
    set_name: str
    service_name: str
    submitted_at: datetime
    updated_at: datetime
    answers: list[AnswerLine] = field(default_factory=list)

    @property
    def is_rating(self) -> bool:
        return self.reason == RequestReason.MEETING


def _answer_words(kind: ScaleKind | None, value: int | None, label: str | None) -> str:
    if kind == ScaleKind.FACES:
        return step_words(value, label)
    return label or str(value)


def shared_responses(pathway, response_id: int | None = None) -> list[ResponseView]:
    """The responses on `pathway` shared with the team (or the one `response_id`, if shared),
    newest first, with their answers in the order of the questions. Three queries."""
    where = [FeedbackRequest.pathway_id == pathway.id, FeedbackResponse.sharing == ResponseSharing.TEAM]
    if response_id is not None:
        where.append(FeedbackResponse.id == response_id)
    rows = db.session.execute(
        select(FeedbackResponse.id, FeedbackRequest.user_id, User.name, User.role, FeedbackRequest.reason,
               Meeting.starts_at, Meeting.kind, QuestionSet.name_nn, QuestionSet.name_nb, Service.name,
               FeedbackResponse.submitted_at, FeedbackResponse.updated_at)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
        .join(User, User.id == FeedbackRequest.user_id)
        .join(QuestionSet, QuestionSet.id == FeedbackRequest.set_id)
        .join(Service, Service.id == FeedbackRequest.service_id)
        .outerjoin(Meeting, Meeting.id == FeedbackRequest.meeting_id)
        .where(*where)
        .order_by(FeedbackResponse.submitted_at.desc(), FeedbackResponse.id.desc())
    ).all()
    views = {
        row[0]: ResponseView(row[0], row[1], row[2], Role(row[3]), RequestReason(row[4]), row[5],
                             MeetingKind(row[6]) if row[6] else None, in_locale(row[7], row[8]), row[9],
                             row[10], row[11])
        for row in rows
    }
    if not views:
        return []
    labels = {(scale_id, value): in_locale(nn, nb) for scale_id, value, nn, nb in db.session.execute(
        select(ScaleStep.scale_id, ScaleStep.value, ScaleStep.label_nn, ScaleStep.label_nb))}
    answers = db.session.execute(
        select(FeedbackAnswer.response_id, FeedbackItem.text_nn, FeedbackItem.text_nb, FeedbackItem.scale_id,
               FeedbackScale.kind, FeedbackAnswer.value, FeedbackAnswer.text)
        .join(FeedbackItem, FeedbackItem.id == FeedbackAnswer.item_id)
        .outerjoin(FeedbackScale, FeedbackScale.id == FeedbackItem.scale_id)
        .where(FeedbackAnswer.response_id.in_(sorted(views)))
        .order_by(FeedbackAnswer.response_id, FeedbackItem.position)
    )
    for response, text_nn, text_nb, scale_id, kind, value, text in answers:
        question = in_locale(text_nn, text_nb)
        if text is not None:
            views[response].answers.append(AnswerLine(question, text, True))
        else:
            words = _answer_words(ScaleKind(kind) if kind else None, value, labels.get((scale_id, value)))
            views[response].answers.append(AnswerLine(question, words, False))
    return list(views.values())


def _log(pathway, responses: list[ResponseView]) -> None:
    log_reads(current_user, pathway, [(InputKind.FEEDBACK, r.id, r.user_id) for r in responses])


@bp.get("/pathways/<int:pathway_id>")
@on_team()
def pathway_responses(pathway):
    """Every response on the pathway that the family shared with the team, newest first."""
    name, pathway_id = pathway.young_person.name, pathway.id
    responses = shared_responses(pathway)
    _log(pathway, responses)
    return render("feedback/pathway_responses.html", pathway_id=pathway_id, young_person_name=name,
                  responses=responses, meeting_kinds=MEETING_KINDS)


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
    found = team_alert(pathway, alert_id)
    if found is None:
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
    name, pathway_id, closed = pathway.young_person.name, pathway.id, pathway.closed
    responses = shared_responses(pathway, found.response_id)
    _log(pathway, responses)
    status = 409 if refusal else 400 if form.errors else 200
    return render("feedback/alert.html", status=status, pathway_id=pathway_id, young_person_name=name,
                  alert=view, response=responses[0] if responses else None, form=form, refusal=refusal,
                  meeting_kinds=MEETING_KINDS, closed=closed)


@bp.post("/pathways/<int:pathway_id>/meetings/<int:meeting_id>/held")
@on_team()
def mark_held(pathway, meeting_id: int):
    """Mark a meeting that has started as held: the invited family is asked how it went."""
    meeting = meeting_services.pathway_meeting(pathway, meeting_id)
    if meeting is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("pathways.meeting", pathway_id=pathway.id, meeting_id=meeting.id, _anchor="held-heading")
    if not meeting.started():
        flash(_("The meeting has not started yet. Mark it as held when it has taken place."), "warning")
        return redirect_to(back)
    already = meeting.held_at is not None
    made = services.mark_held(meeting, current_user)
    if already and not made:
        flash(_("The meeting was marked as held already. Nothing was changed."), "info")
    elif made:
        flash(ngettext("The meeting is marked as held. %(num)d person in the family is asked how it went.",
                       "The meeting is marked as held. %(num)d people in the family are asked how it went.", made),
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
                "has one open from your service already, or the young person is under 9."), "warning")
    return redirect_to(url_for("pathways.show", pathway_id=pathway_id, _anchor="feedback-heading"))
