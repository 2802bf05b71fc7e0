"""Feedback views: the young person's and parent's answer to a feedback request (a rating after a
meeting, or the experience questionnaire). The writes are in `feedback.services`."""
from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import or_404, own_feedback_request, roles
from accounts.models import Role
from core.extensions import db
from core.formatting import long_date
from core.forms import database_id
from core.render import redirect_to, render
from feedback import bp, services
from feedback.answer_forms import SHARING, SHARING_EXPLAINED, answer_form, given_answers, initial_data
from feedback.models import FeedbackRequest, RequestReason, ResponseSharing
from youth.preparation_services import home_url

TEMPLATE = "feedback/answer.html"


def closed_message(feedback_request: FeedbackRequest) -> str:
    return _("This can no longer be answered or changed. It closed on %(date)s.",
             date=long_date(services.open_until(feedback_request)))


def heading(feedback_request: FeedbackRequest) -> str:
    if feedback_request.reason == RequestReason.MEETING:
        return _("How did the meeting go?")
    return _("What do you think of the help from %(service)s?", service=feedback_request.service.name)


def _unsent(form) -> list[tuple[str, str]]:
    """The free texts a refused form carried (the window closed while it was being written)."""
    return [(str(field.label.text), field.data.strip()) for field in form.item_fields()
            if field.item.scale is None and isinstance(field.data, str) and field.data.strip()]


def _page(feedback_request, version, form, status=200, closed=False, refused=False):
    response = feedback_request.response
    return render(
        TEMPLATE, status=status, feedback_request=feedback_request, meeting=feedback_request.meeting,
        version_id=version.id,
        is_meeting=feedback_request.reason == RequestReason.MEETING, heading=heading(feedback_request), form=form,
        sharing_labels={choice.value: choice.label for choice in SHARING},
        topics=services.preparation_topics(current_user, feedback_request), sharing_explained=SHARING_EXPLAINED,
        answered=response, open_until=services.open_until(feedback_request), closed=closed, refused=refused,
        closed_message=closed_message(feedback_request) if closed else None,
        given=given_answers(response, version) if closed and response is not None else [],
        unsent=_unsent(form) if refused else [],
        home=home_url(current_user),
    )


def _thanks(sharing: ResponseSharing) -> str:
    if sharing == ResponseSharing.TEAM:
        return _("Thank you! Your answer is saved. Your team can read it.")
    return _("Thank you! Your answer is saved. It is counted in the service's figures without your name.")


def _shown_version() -> int | None:
    """The question version the posted form was built from (its hidden field), if it is an id."""
    try:
        return database_id(request.form.get("version", ""))
    except ValueError:
        return None


@bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@roles(Role.YOUNG_PERSON, Role.PARENT)
def answer(request_id: int):
    """Answer a feedback request, or change the answer while that is still possible."""
    feedback_request = or_404(own_feedback_request(current_user, request_id))
    # Closed pathways too: the closing itself sends the questionnaire.
    version = services.version_for(feedback_request, _shown_version() if request.method == "POST" else None)
    form_class = answer_form(version)
    if not services.is_open(feedback_request):
        # A refused POST keeps what was written, to show it back; a GET shows the answer given.
        form = form_class() if request.method == "POST" else form_class(
            formdata=None, data=initial_data(feedback_request.response))
        return _page(feedback_request, version, form, status=409 if request.method == "POST" else 200,
                     closed=True, refused=request.method == "POST")
    if request.method == "GET":
        return _page(feedback_request, version, form_class(formdata=None, data=initial_data(feedback_request.response)))

    form = form_class()
    if not form.validate_on_submit():
        return _page(feedback_request, version, form, status=400)
    answers = form.answers()
    try:
        services.save_response(feedback_request, answers, version=version)
    except services.WindowClosed:  # it closed while the form was being filled in
        db.session.rollback()
        return _page(feedback_request, version, form, status=409, closed=True, refused=True)
    flash(_thanks(answers.sharing), "success")
    return redirect_to(home_url(current_user))
