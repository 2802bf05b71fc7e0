"""Forms for creating pathways, adding to the team and inviting the family."""
from datetime import date

from flask_babel import lazy_gettext as _l
from core.i18n import in_locale
from core.forms import MAX_ID, Form, not_blank
from wtforms import DateField, HiddenField, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from accounts.models import Role
from pathways import template_services

MAX_AGE = 25


class PathwayForm(Form):
    name = StringField(_l("The young person's name"), validators=[not_blank, Length(max=120)])
    # The date picker sends 2012-03-24; without one, people type 24.03.2012.
    birth_date = DateField(_l("Birth date"), format=["%Y-%m-%d", "%d.%m.%Y"],
                           validators=[InputRequired(_l("Write the birth date."))])
    title = StringField(
        _l("Short title"),
        description=_l("What the pathway is about, in a few words the young person may read."),
        validators=[not_blank, Length(max=120)],
    )
    # The care pathway template (samhandlingsforløp, BTI relay log or "other"); the value is its key.
    template = RadioField(_l("Which care pathway does it follow?"),
                          validators=[InputRequired(_l("Choose a care pathway."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = template_services.active_templates()
        self.template.choices = [SelectChoice(t.key, in_locale(t.name_nn, t.name_nb))
                                 for t in self.templates]

    def summaries(self) -> dict[str, str]:
        """Each offered template's summary in the reader's language, by key."""
        return {t.key: in_locale(t.summary_nn, t.summary_nb) for t in self.templates}

    def chosen_template(self):
        """The template chosen (after validation), or None."""
        return next((t for t in self.templates if t.key == self.template.data), None)

    def validate_birth_date(self, field):
        if field.data is None:  # not a date: the field has said so already
            return
        today = date.today()
        if field.data > today:
            raise ValidationError(_l("The birth date cannot be in the future."))
        if today.year - field.data.year - ((today.month, today.day) < (field.data.month, field.data.day)) > MAX_AGE:
            raise ValidationError(_l("Stemme is for children and young people up to 25 years."))


class AddMemberForm(Form):
    user_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    q = HiddenField()


class InvitationForm(Form):
    role = RadioField(
        _l("Who do you invite?"),
        choices=[SelectChoice(Role.YOUNG_PERSON.value, _l("The young person")),
                 SelectChoice(Role.PARENT.value, _l("A parent"))],
        validators=[InputRequired(_l("Choose who you invite."))],
    )
    parent_name = StringField(_l("The parent's name"), validators=[Length(max=120)])
    parental_responsibility = RadioField(
        _l("Does the parent have parental responsibility (foreldreansvar)?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validate_choice=False,  # checked below, and only when a parent is invited
    )

    def validate_parent_name(self, field):
        if self.role.data == Role.PARENT.value and not (field.data or "").strip():
            raise ValidationError(_l("Write the parent's name."))

    def validate_parental_responsibility(self, field):
        if self.role.data == Role.PARENT.value and field.data not in ("yes", "no"):
            raise ValidationError(_l("Choose yes or no."))
