"""The family's views for meetings: preparing one, and answering what was agreed."""
from functools import partial

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import family_meeting, marks_not_for_parents, or_404, refuse_if_closed, roles
from accounts.models import Role
from core.extensions import htmx
from core.render import redirect_to, render
from pathways.models import MEETING_KINDS, Agreement, AnswerKind
from pathways.services import pathway_of
from youth import autosave, bp
from youth import preparation_services as services
from youth.forms import sharing_explained
from youth.models import PARENT_LABELS, PARTICIPATION, YOUNG_LABELS, Sharing
from youth.preparation_forms import (
    SHARING_PARENT, SHARING_YOUNG, AnswerForm, ParentPreparationForm, YoungPreparationForm,
)

TEMPLATE = "youth/prepare.html"


def frozen_message() -> str:
    return _("The meeting has started; your preparation is kept as it was.")


def _initial(preparation) -> dict:
    if preparation is None:
        return {"sharing": Sharing.TEAM.value, "revision": 0}
    return preparation.content() | {"sharing": preparation.sharing.value,
                                    "not_for_parents": preparation.not_for_parents,
                                    "revision": preparation.revision}


def _page(meeting, form, own, age, status=200, conflict=None, alert=None, block=None):
    young = current_user.role == Role.YOUNG_PERSON
    return render(
        TEMPLATE, block=block, status=status, meeting=meeting, kind_label=MEETING_KINDS[meeting.kind],
        form=form, own=own, frozen=meeting.started(), conflict=conflict, alert=alert,
        others=services.others_preparations(current_user, meeting, age) if block != "editor" else [],
        labels={Role.YOUNG_PERSON: YOUNG_LABELS, Role.PARENT: PARENT_LABELS},
        participation_labels={p.value: label for p, label in PARTICIPATION.items()},
        sharing_labels={c.value: c.label for c in (SHARING_YOUNG if young else SHARING_PARENT)},
        show_not_for_parents=marks_not_for_parents(current_user.role, age),
        sharing_hint=sharing_explained(current_user.role, age), home=services.home_url(current_user),
        frozen_message=frozen_message(),
    )


@bp.route("/my/meetings/<int:meeting_id>/prepare", methods=["GET", "POST"])
@roles(Role.YOUNG_PERSON, Role.PARENT)
def prepare(meeting_id: int):
    """Prepare a meeting in one's own words, saved while typing, until the meeting starts."""
    meeting = or_404(family_meeting(current_user, meeting_id))
    refuse_if_closed(meeting.pathway)  # reading stays open; saving does not
    age = services.age_of_young_person(meeting)
    own = services.own_preparation(current_user, meeting)
    form_class = YoungPreparationForm if current_user.role == Role.YOUNG_PERSON else ParentPreparationForm
    form = form_class(data=_initial(own))
    page = partial(_page, meeting, form, own, age)
    if meeting.started() and request.method == "POST":
        return autosave.refused(page, frozen_message())
    valid = form.validate_on_submit()
    if valid and own is None and form.is_empty():
        form.talk_about.errors = [_("Write something in at least one of the fields before you save.")]
        valid = False
    not_for_parents = "not_for_parents" in form and bool(form.not_for_parents.data)

    def save():
        return services.save_preparation(current_user, meeting, form.content(), Sharing(form.sharing.data),
                                         not_for_parents, form.revision.data or 0)

    return autosave.answer(
        form, valid, save, page, home=services.home_url(current_user), closed=frozen_message(),
        saved_message=lambda _saved: _("Your preparation is saved. You can change it until the meeting starts."))


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
        return redirect_to(services.home_url(current_user))
    if htmx:
        # 200, so that htmx swaps the point in with the message beside the field.
        return render("youth/_agreements.html", block="agreement_item", point=point,
                      errors=form.errors, typed_answer=form.answer.data, typed_question=form.question.data or "")
    # Without JavaScript the point lives on the home page: say what is missing there.
    flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
    return redirect_to(services.home_url(current_user))
