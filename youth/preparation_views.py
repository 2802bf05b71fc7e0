"""The family's views for meetings: preparing one, and answering what was agreed."""
from functools import partial

from flask import abort, flash, request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import family_meeting, or_404, refuse_if_closed, roles
from accounts.models import Role
from core.extensions import htmx
from core.formatting import date_time
from core.models import utcnow
from core.render import redirect_to, render
from pathways.models import MEETING_KINDS, Agreement, AnswerKind
from pathways.services import pathway_of
from youth import autosave, bp
from youth import preparation_services as services
from youth import sharing as sharing_choice
from youth.models import PARENT_LABELS, PARTICIPATION, YOUNG_LABELS, Sharing
from youth.preparation_forms import CONTENT_FIELDS, STEPS, AnswerForm, ParentPreparationForm, YoungPreparationForm

TEMPLATE = "youth/prepare.html"  # the overview: look it over, choose who may read it, send
STEP_TEMPLATE = "youth/prepare_step.html"


def frozen_message() -> str:
    return _("The meeting has started; your preparation is kept as it was.")


def _initial(preparation, age: int) -> dict:
    if preparation is None:
        return {"sharing": sharing_choice.default(current_user, age).value, "revision": 0}
    return preparation.content() | {"sharing": preparation.sharing.value, "revision": preparation.revision}


def _form(own, age: int, content_fields, sharing: bool):
    """The person's form loaded with what is stored, holding only `content_fields` of what was
    written and, if `sharing`, the sharing question (youth/sharing.py: its answers for this age)."""
    form_class = YoungPreparationForm if current_user.role == Role.YOUNG_PERSON else ParentPreparationForm
    form = form_class(data=_initial(own, age))
    form.sharing.choices = sharing_choice.choices(current_user.role, age)
    return form.keep_only(content_fields, sharing)


def _saved_text(own) -> str:
    """The status line as the page opens: when it was last saved (the time alone if today)."""
    if own is None:
        return ""
    today = format_date(utcnow(), "yyyy-MM-dd") == format_date(own.updated_at, "yyyy-MM-dd")
    return _("Saved %(time)s", time=format_datetime(own.updated_at, "HH:mm") if today else date_time(own.updated_at))


def _common(meeting, own) -> dict:
    return {"meeting": meeting, "kind_label": MEETING_KINDS[meeting.kind], "own": own, "frozen": meeting.started(),
            "young": current_user.role == Role.YOUNG_PERSON, "steps": STEPS,
            "labels": {Role.YOUNG_PERSON: YOUNG_LABELS, Role.PARENT: PARENT_LABELS},
            "participation_labels": {p.value: label for p, label in PARTICIPATION.items()},
            "home": services.home_url(current_user), "frozen_message": frozen_message(),
            "saved_text": _saved_text(own)}


def _page(meeting, form, own, age, status=200, conflict=None, alert=None, block=None):
    return render(
        TEMPLATE, block=block, status=status, form=form, conflict=conflict, alert=alert,
        others=services.others_preparations(current_user, meeting, age) if block != "editor" else [],
        sharing_labels={c.value: c.label for c in sharing_choice.choices(current_user.role, age)},
        send_labels=sharing_choice.send_labels(current_user.role, age), **_common(meeting, own),
    )


def _step_url(meeting, number: int) -> str:
    """A step's address; before the first and after the last, the overview."""
    if 1 <= number <= len(STEPS):
        return url_for("youth.prepare_step", meeting_id=meeting.id, step=number)
    return url_for("youth.prepare", meeting_id=meeting.id)


def _step_page(meeting, form, own, step, status=200, conflict=None, alert=None, block=None):
    young = current_user.role == Role.YOUNG_PERSON
    names = step.field_names(young)
    return render(
        STEP_TEMPLATE, block=block, status=status, form=form, conflict=conflict, alert=alert, step=step,
        names=names, title=step.title(young), single=len(names) == 1 and names[0] != "participation",
        total=len(STEPS), url=_step_url(meeting, step.number), back_url=_step_url(meeting, step.number - 1),
        next_url=_step_url(meeting, step.number + 1), overview_url=_step_url(meeting, 0), **_common(meeting, own),
    )


@bp.route("/my/meetings/<int:meeting_id>/prepare", methods=["GET", "POST"])
@roles(Role.YOUNG_PERSON, Role.PARENT)
def prepare(meeting_id: int):
    """Look over one's preparation of a meeting, choose who may read it and send it (the steps are
    `prepare_step`); frozen when the meeting starts. Takes what is posted of the steps' fields too."""
    meeting = or_404(family_meeting(current_user, meeting_id))
    refuse_if_closed(meeting.pathway)  # reading stays open; saving does not
    age = services.age_of_young_person(meeting)
    own = services.own_preparation(current_user, meeting)
    form = _form(own, age, [name for name in CONTENT_FIELDS if name in request.form], sharing=True)
    page = partial(_page, meeting, form, own, age)
    if meeting.started() and request.method == "POST":
        return autosave.refused(page, frozen_message())
    valid = form.validate_on_submit()
    if valid and own is None and form.is_empty():
        reason = _("Write something in at least one of the fields before you save.")
        return autosave.status(_("Not saved: %(reason)s", reason=reason)) if htmx else page(status=400, alert=reason)

    def save():
        return services.save_preparation(current_user, meeting, form.content(), Sharing(form.sharing.data),
                                         form.revision.data or 0)

    return autosave.answer(
        form, valid, save, page, home=services.home_url(current_user), closed=frozen_message(),
        saved_message=lambda _saved: _("Your preparation is saved. You can change it until the meeting starts."))


@bp.route("/my/meetings/<int:meeting_id>/prepare/<int:step>", methods=["GET", "POST"])
@roles(Role.YOUNG_PERSON, Role.PARENT)
def prepare_step(meeting_id: int, step: int):
    """One step of preparing a meeting: saved while typing, or posted to go to the next (or back)."""
    meeting = or_404(family_meeting(current_user, meeting_id))
    if not 1 <= step <= len(STEPS):
        abort(404)
    refuse_if_closed(meeting.pathway)
    age = services.age_of_young_person(meeting)
    current = STEPS[step - 1]
    own = services.own_preparation(current_user, meeting)
    form = _form(own, age, current.field_names(current_user.role == Role.YOUNG_PERSON), sharing=False)
    if request.method == "POST" and "participation" in form and "participation" not in request.form:
        form.participation.data = None  # a step posted with no answer chosen has none (not the stored one)
    page = partial(_step_page, meeting, form, own, current)
    if meeting.started() and request.method == "POST":
        return autosave.refused(page, frozen_message())
    valid = form.validate_on_submit()
    go_to = _step_url(meeting, step - 1 if request.form.get("go") == "back" else step + 1)
    if valid and own is None and form.is_empty():
        # Nothing written yet, here or before: nothing to store (an empty entry would count as prepared).
        return autosave.status("", 0) if htmx else redirect_to(go_to)
    # A step leaves who may read it as stored; a new preparation starts as the overview would.
    sharing = Sharing(_initial(own, age)["sharing"])

    def save():
        return services.save_preparation(current_user, meeting, form.content(), sharing, form.revision.data or 0)

    return autosave.answer(form, valid, save, page, home=go_to, closed=frozen_message(), saved_message=None)


@bp.post("/my/agreements/<int:agreement_id>/answer")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def answer_agreement(agreement_id: int):
    """Answer one agreement point: I agree, I do not agree, or I have a question."""
    point = or_404(services.family_agreement_point(current_user, agreement_id))
    refuse_if_closed(pathway_of(Agreement, agreement_id))
    form = AnswerForm()
    if form.validate_on_submit():
        services.answer_agreement(current_user, point.id, AnswerKind(form.answer.data), form.question.data)
        if htmx:
            return render("youth/_agreements.html", block="agreement_item",
                          point=services.family_agreement_point(current_user, agreement_id), saved=True)
        flash(_("Thank you. Your answer is saved, and the team can read it."), "success")
        return redirect_to(url_for("youth.my_agreements", _anchor=f"agreement-{point.id}"))
    typed = {"errors": form.errors, "typed_answer": form.answer.data, "typed_question": form.question.data or ""}
    if htmx:
        # 200, so that htmx swaps the point in with the message beside the field.
        return render("youth/_agreements.html", block="agreement_item", point=point, **typed)
    # Without JavaScript the point lives on the page of agreements: that page again, the message beside the field.
    return render("youth/agreements.html", status=400, answer_for=point.id,
                  agreement_groups=services.latest_agreements(current_user), **typed)
