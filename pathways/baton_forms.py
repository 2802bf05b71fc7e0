"""Forms for the coordinator's work on the pathway itself: steps, BTI level, the baton, closing."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from core.forms import Form, database_id, not_blank

# BTI (Betre tverrfagleg innsats): what each level means, in plain words.
LEVELS = {
    0: _l("Level 0: Is there reason for concern? Decide within 14 days."),
    1: _l("Level 1: Measures inside one service."),
    2: _l("Level 2: Two services work together."),
    3: _l("Level 3: Many services work together."),
}
SUMMARY_MAX = 2000
REASON_MAX = 1000


def posted_id(value: str | None) -> int | None:
    """A posted id, if it is one a database row can have ("²" or a 30-digit number are not)."""
    try:
        return database_id((value or "").strip())
    except ValueError:
        return None


class StepForm(Form):
    # The step the coordinator saw: a second click on a slow connection must not skip a step.
    from_step = HiddenField()

    def seen_step(self) -> int | None:
        return posted_id(self.from_step.data)


def _a_level(form, field):
    if field.data not in {str(level) for level in LEVELS}:
        raise ValidationError(_l("Choose one of the levels 0, 1, 2 or 3."))


class LevelForm(Form):
    level = RadioField(
        _l("BTI level"),
        choices=[SelectChoice(str(level), text) for level, text in LEVELS.items()],
        validate_choice=False,  # our own message below, in plain words
        validators=[InputRequired(_l("Choose one of the levels 0, 1, 2 or 3.")), _a_level],
    )


class HandoverForm(Form):
    to_id = SelectField(
        _l("Who should take over the baton?"),
        description=_l("Only someone on the team. Nothing changes until they accept."),
        validate_choice=False,  # the service says why a person cannot take over
        validators=[InputRequired(_l("Choose who should take over the baton."))],
    )

    def chosen(self) -> int | None:
        return posted_id(self.to_id.data)


class DeclineForm(Form):
    reason = TextAreaField(
        _l("Why do you say no?"),
        description=_l("The coordinator reads this."),
        validators=[not_blank, Length(max=REASON_MAX, message=_l("Write at most %(max)d characters."))],
    )


class CloseForm(Form):
    summary = TextAreaField(
        _l("Summary"),
        description=_l("What was done, and how it ended. The team reads it; the pathway cannot be changed after."),
        validators=[not_blank, Length(max=SUMMARY_MAX, message=_l("Write at most %(max)d characters."))],
    )
