"""Forms of the service report: the choice of questions and period (a GET form), the service's
questionnaire schedule, and "you said, we did"."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from core.forms import Form, not_blank
from feedback.report_services import MAX_MONTHS, month_index, parse_month
from pathways.meeting_forms import TOO_LONG

PUBLICATION_MAX = 1000
MONTH_FORMAT = _l("Write the month like this: 2026-03.")


def _month(form, field):
    if parse_month(field.data) is None:
        raise ValidationError(MONTH_FORMAT)


class ReportForm(Form):
    """The report's choices, sent with GET so that the URL can be kept and shared (no CSRF: it
    changes nothing). The period's fields are named `from` and `to` (added below: `from` is a
    Python keyword)."""

    class Meta:
        csrf = False

    set = SelectField(_l("Questions"), choices=[])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        first, last = parse_month(self["from"].data), parse_month(self["to"].data)
        if first and last:
            if month_index(first) > month_index(last):
                self["to"].errors.append(_l("The last month cannot be before the first month."))
                valid = False
            elif month_index(last) - month_index(first) + 1 > MAX_MONTHS:
                self["to"].errors.append(_l("Choose a period of at most %(months)s months.", months=MAX_MONTHS))
                valid = False
        return valid


# `from` cannot be a class attribute's name in Python; WTForms' form class accepts it this way.
setattr(ReportForm, "from", StringField(_l("From month"), description=_l("For example 2026-01"),
                                        validators=[_month]))
setattr(ReportForm, "to", StringField(_l("To month"), description=_l("For example 2026-12"),
                                      validators=[_month]))


NEVER = "0"
EVERY_MONTHS = (3, 6, 12)


class SettingsForm(Form):
    every = SelectField(_l("How often the experience questionnaire is sent"), choices=[],
                        description=_l("To the young people (9 years and older) and the parents on this "
                                       "service's pathways. It is always sent when a pathway closes, and "
                                       "a professional on the team can send it at any time."))

    def months(self) -> int | None:
        return None if self.every.data == NEVER else int(self.every.data)


class PublicationForm(Form):
    text = TextAreaField(
        _l("You said, we did"),
        description=_l("What you heard in the feedback and what you changed, in plain words. For example: "
                       "\u201cMany of you said the meetings were too long. From May they last at most 45 "
                       "minutes.\u201d At most 1000 characters."),
        validators=[not_blank, Length(max=PUBLICATION_MAX, message=TOO_LONG)],
    )
