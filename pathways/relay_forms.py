"""Forms for the relay log (stafettlogg): goals, measures, evaluations and meeting minutes."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from core.forms import Form, not_blank, database_id
from core.models import today_in_oslo
from pathways.meeting_forms import DATE_FORMATS, TOO_LONG, LenientDateField

GOAL_MAX, WHAT_MAX, EVALUATION_MAX, MINUTES_MAX, COMMENT_MAX = 500, 500, 1000, 5000, 1000


class GoalForm(Form):
    text = TextAreaField(_l("The goal"), description=_l("Short, in the young person's own words where you can."),
                         validators=[not_blank, Length(max=GOAL_MAX, message=TOO_LONG)])
    # Choices are the statements the team may read; checked below with our own words.
    statements = SelectMultipleField(_l("What the young person said that this goal answers"), coerce=database_id,
                                     choices=[], validate_choice=False)
    not_for_parents = BooleanField(
        _l("Not for the parents"),
        description=_l("Tick this if the young person asked for it, or for weighty reasons. "
                       "The parents will not see this goal or its measures."))

    def validate_statements(self, field):
        allowed = {choice.value for choice in field.choices}
        if any(statement_id not in allowed for statement_id in field.data or []):
            raise ValidationError(_l("Choose only statements shown here."))


class MeasureForm(Form):
    what = TextAreaField(_l("What is done"), description=_l("In plain words the young person understands."),
                         validators=[not_blank, Length(max=WHAT_MAX, message=TOO_LONG)])
    goal = SelectField(_l("Which goal"), coerce=database_id, choices=[], validate_choice=False,
                       validators=[InputRequired(_l("Choose the goal this measure is for."))])
    responsible = SelectField(_l("Responsible"), coerce=database_id, choices=[], validate_choice=False,
                              description=_l("One person on the team."),
                              validators=[InputRequired(_l("Choose who is responsible."))])
    deadline = LenientDateField(_l("Deadline"), format=DATE_FORMATS, description=_l("For example 24.03.2026"),
                                invalid_value_message=_l("Write the date like this: 24.03.2026."),
                                validators=[InputRequired(_l("Write the deadline."))])

    def __init__(self, *args, team_names: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.team_names = team_names or {}

    def validate_goal(self, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose one of this pathway's goals."))

    def validate_responsible(self, field):
        if field.data not in self.team_names:
            raise ValidationError(_l("The responsible person must be on the team. Add them to the team first, "
                                     "or choose someone who is on it."))

    def validate_deadline(self, field):
        if field.data is not None and field.data < today_in_oslo():
            raise ValidationError(_l("The deadline cannot be in the past."))


class EvaluationForm(Form):
    evaluated_on = LenientDateField(_l("Date of the evaluation"), format=DATE_FORMATS,
                                    description=_l("For example 24.03.2026"),
                                    invalid_value_message=_l("Write the date like this: 24.03.2026."),
                                    validators=[InputRequired(_l("Write the date."))])
    worked = TextAreaField(_l("What worked"), validators=[not_blank, Length(max=EVALUATION_MAX, message=TOO_LONG)])
    next_step = TextAreaField(_l("What next"), validators=[not_blank, Length(max=EVALUATION_MAX, message=TOO_LONG)])

    def validate_evaluated_on(self, field):
        if field.data is not None and field.data > today_in_oslo():
            raise ValidationError(_l("An evaluation cannot be dated in the future."))


class MinutesForm(Form):
    text = TextAreaField(_l("Minutes"), description=_l("What was said and decided. The agreements are listed with "
                                                       "the minutes."),
                         validators=[not_blank, Length(max=MINUTES_MAX, message=TOO_LONG)])


class CommentForm(Form):
    text = TextAreaField(_l("Your comment"), validators=[not_blank, Length(max=COMMENT_MAX, message=TOO_LONG)])
