"""The young person's wish for who their coordinator should be; the team sees the latest wish."""
from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from access.policy import family_pathway, or_404, refuse_if_closed, roles
from accounts.models import Role
from core.forms import Form
from core.render import redirect_to, render
from pathways import services as pathway_services
from youth import bp

SOMEONE_ELSE = "other"
NOTE_MAX = 500


class WishForm(Form):
    wished = RadioField(
        _l("Who would you like as your coordinator?"),
        validate_choice=False,  # checked below with our own words
        validators=[InputRequired(_l("Choose a person, or «Someone else».")),],
    )
    note = TextAreaField(
        _l("Anything you want to add?"),
        description=_l("For example who else you would like, or why. The team reads it."),
        validators=[Length(max=NOTE_MAX, message=_l("Write at most %(max)d characters."))],
    )

    def validate_wished(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a person, or «Someone else»."))

    def validate_note(self, field):
        if self.wished.data == SOMEONE_ELSE and not (field.data or "").strip():
            raise ValidationError(_l("Write who you would like, or what you wish for."))

    def wished_id(self) -> int | None:
        return None if self.wished.data == SOMEONE_ELSE else int(self.wished.data)


@bp.route("/my/pathways/<int:pathway_id>/coordinator-wish", methods=["GET", "POST"])
@roles(Role.YOUNG_PERSON)
def coordinator_wish(pathway_id: int):
    """Say who I would like as my coordinator: someone on my team, or someone else in my own words."""
    pathway = or_404(family_pathway(current_user, pathway_id))
    refuse_if_closed(pathway)
    team = pathway_services.team(pathway)
    latest = pathway_services.latest_wish(pathway)
    form = WishForm()
    form.wished.choices = [
        SelectChoice(str(m.user_id), f"{m.user.name}, {m.user.service_names}" if m.user.services else m.user.name)
        for m in team] + [SelectChoice(SOMEONE_ELSE, _l("Someone else"))]
    if request.method == "GET" and latest is not None:
        form.wished.data = str(latest.wished_id) if latest.wished_id else SOMEONE_ELSE
        form.note.data = latest.note or ""
    if form.validate_on_submit():
        pathway_services.save_wish(pathway, current_user, form.wished_id(), form.note.data)
        flash(_("Thank you. Your team can see your wish."), "success")
        return redirect_to(url_for("youth.home"))
    return render("youth/coordinator_wish.html", pathway=pathway, form=form, latest=latest,
                  status=400 if form.errors else 200)
