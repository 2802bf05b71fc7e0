"""Forms for the family's own input: "what matters to me" statements."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from accounts.models import Role
from core.forms import Form
from youth import sharing as sharing_choice
from youth.models import PROMPTS, STATEMENT_MAX, Prompt

CLIENT_KEY = re.compile(r"[A-Za-z0-9_-]{16,40}")


def _revision(value):
    """The hidden revision a form was based on; anything odd counts as 0 (the oldest)."""
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


class StatementForm(Form):
    prompt = RadioField(
        _l("What is it about?"),
        choices=[SelectChoice(prompt.value, label) for prompt, label in PROMPTS.items()],
        default=Prompt.FREE.value,
        validators=[InputRequired(_l("Choose what it is about."))],
    )
    # Stored exactly as typed; only the browsers' CRLF line ends become LF (so that the length the
    # counter shows is the length stored).
    text = TextAreaField(
        _l("In your own words"),
        description=_l("At most %(max)s characters.", max=STATEMENT_MAX),
        render_kw={"maxlength": STATEMENT_MAX, "rows": 6},
        filters=[lambda value: value.replace("\r\n", "\n") if isinstance(value, str) else value],
    )
    sharing = RadioField(
        _l("Who may read it?"),
        choices=[],  # the answers depend on who writes and the young person's age: set in __init__
        validators=[InputRequired(_l("Choose who may read it."))],
    )
    client_key = HiddenField()
    revision = HiddenField(filters=[_revision])

    def __init__(self, *args, author_role: Role, age: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.author_role = author_role
        self.age = age
        self.sharing.choices = sharing_choice.choices(author_role, age)

    def validate_text(self, field):
        if not field.data or not field.data.strip():
            raise ValidationError(_l("Write something first."))
        if len(field.data) > STATEMENT_MAX:
            raise ValidationError(_l("At most %(max)s characters. You have written %(count)s.",
                                     max=STATEMENT_MAX, count=len(field.data)))

    def validate_client_key(self, field):
        if field.data and not CLIENT_KEY.fullmatch(field.data):
            raise ValidationError(_l("Invalid input."))
