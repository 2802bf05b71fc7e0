"""Forms for the team's side of feedback: marking an alert seen (with an optional note)."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from core.forms import Form

NOTE_MAX = 1000


class SeenForm(Form):
    note = TextAreaField(
        _l("Note for the team (optional)"),
        description=_l("For example what you did, or who talks with the family. At most 1000 characters."),
        validators=[Length(max=NOTE_MAX, message=_l("Write at most %(max)d characters."))],
    )
