"""Forms for scheduling meetings and writing what was agreed."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, DateField, IntegerField, RadioField, SelectMultipleField, StringField, TextAreaField, TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from core.forms import Form, database_id, not_blank, plausible_date
from core.models import OSLO, utcnow
from pathways.models import MEETING_KINDS

MIN_MINUTES, MAX_MINUTES = 15, 480



# The date picker sends 2026-03-24 and the time picker 14:00; without them, people type 24.03.2026
# and 14:00 or 14.00.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
TIME_FORMATS = ["%H:%M", "%H.%M"]

# Our own words: WTForms' message for this needs a plural form the shared catalogue helper cannot fill in.
TOO_LONG = _l("Write at most %(max)d characters.")


class _EmptyIsMissing:
    """An empty date or time is a missing one: say "write the date", not "write it like this"."""

    def process_formdata(self, valuelist):
        if valuelist and not " ".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class LenientDateField(_EmptyIsMissing, DateField):
    pass


class LenientTimeField(_EmptyIsMissing, TimeField):
    pass


class MeetingForm(Form):
    kind = RadioField(
        _l("What kind of meeting?"),
        choices=[SelectChoice(kind.value, label) for kind, label in MEETING_KINDS.items()],
        invalid_choice_message=_l("Choose what kind of meeting it is."),
    )
    day = LenientDateField(_l("Date"), format=DATE_FORMATS, description=_l("For example 24.03.2026"),
                    invalid_value_message=_l("Write the date like this: 24.03.2026."),
                    validators=[InputRequired(_l("Write the date."))])
    start = LenientTimeField(_l("Starts at"), format=TIME_FORMATS, description=_l("For example 14:00"),
                      invalid_value_message=_l("Write the time like this: 14:00."),
                      validators=[InputRequired(_l("Write when the meeting starts."))])
    minutes = IntegerField(
        _l("Length in minutes"), default=60,
        validators=[InputRequired(_l("Write how many minutes the meeting lasts.")),
                    NumberRange(MIN_MINUTES, MAX_MINUTES,
                                _l("A meeting lasts from %(min)s to %(max)s minutes."))],
    )
    place = StringField(_l("Place"), description=_l("Where you meet, or leave it empty for a video meeting."),
                        validators=[Length(max=200, message=TOO_LONG)])
    video = BooleanField(_l("On video"))
    purpose = TextAreaField(
        _l("What the meeting is for"),
        description=_l("In plain words the young person understands."),
        validators=[not_blank, Length(max=1000, message=TOO_LONG)],
    )
    young_person_invited = BooleanField(_l("The young person"), default=True)
    parents_invited = BooleanField(_l("The parents"), default=True)
    # Checked below with our own words (WTForms' message for this needs a plural form).
    members = SelectMultipleField(_l("From the team"), coerce=database_id, choices=[], validate_choice=False)

    def validate_day(self, field):
        plausible_date(self, field)
        if field.data is not None and field.data < utcnow().astimezone(OSLO).date():
            raise ValidationError(_l("The meeting cannot start in the past."))

    def validate_start(self, field):
        if field.data is None or self.day.data is None or self.day.errors:
            return
        if self.starts_at() <= utcnow():
            raise ValidationError(_l("The meeting cannot start in the past."))

    def validate_members(self, field):
        team = {choice.value for choice in field.choices}
        if any(user_id not in team for user_id in field.data or []):
            raise ValidationError(_l("Choose only people on the team."))

    def validate_place(self, field):
        if not (field.data or "").strip() and not self.video.data:
            raise ValidationError(_l("Write where you meet, or tick «On video»."))

    def starts_at(self) -> datetime:
        """The start as an aware datetime in Oslo time."""
        return datetime.combine(self.day.data, self.start.data, tzinfo=OSLO)


class AgreementForm(Form):
    what = TextAreaField(_l("What was agreed"), description=_l("In plain words the young person understands."),
                         validators=[not_blank, Length(max=500, message=TOO_LONG)])
    who = StringField(_l("Who does it"), description=_l("For example: Kari, BUP; Ola; Ola's mother."),
                      validators=[not_blank, Length(max=120, message=TOO_LONG)])
    due_on = LenientDateField(_l("By when (if there is a date)"), format=DATE_FORMATS,
                       description=_l("For example 24.03.2026"),
                       invalid_value_message=_l("Write the date like this: 24.03.2026."),
                       validators=[Optional()])
