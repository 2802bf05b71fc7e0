"""Forms for the family's own input: "what matters to me" statements."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from access.policy import AgeBand, age_band, marks_not_for_parents
from accounts.models import Role
from core.forms import Form
from youth.models import PROMPTS, STATEMENT_MAX, Prompt, Sharing

CLIENT_KEY = re.compile(r"[A-Za-z0-9_-]{16,40}")


def _revision(value):
    """The hidden revision a form was based on; anything odd counts as 0 (the oldest)."""
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def sharing_explained(role: Role, age: int) -> str:
    """One plain sentence: who else reads what this person shares, at this age."""
    if role == Role.PARENT:
        return _("Your child can read it only if you choose «My team and my child». The other parent cannot read it.")
    band = age_band(age)
    if band == AgeBand.CHILD:
        return _("Your parents can read what you share with your team.")
    if band == AgeBand.TEEN:
        return _("Your parents can read what you share with your team, unless you tick «Not for my parents».")
    return _("Your parents can read only what you choose to share with them.")


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
        choices=[],  # labels depend on who writes: set in __init__
        default=Sharing.PRIVATE.value,
        validators=[InputRequired(_l("Choose who may read it."))],
    )
    not_for_parents = BooleanField(_l("Not for my parents"))
    client_key = HiddenField()
    revision = HiddenField(filters=[_revision])

    def __init__(self, *args, author_role: Role, age: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.author_role = author_role
        self.age = age
        family = _l("My team and my child") if author_role == Role.PARENT else _l("My team and my parents")
        self.sharing.choices = [
            SelectChoice(Sharing.TEAM.value, _l("My team")),
            SelectChoice(Sharing.FAMILY.value, family),
            SelectChoice(Sharing.PRIVATE.value, _l("Only me (a draft)")),
        ]
        if not marks_not_for_parents(author_role, age):
            del self.not_for_parents

    @property
    def offers_not_for_parents(self) -> bool:
        return "not_for_parents" in self._fields

    def validate_text(self, field):
        if not field.data or not field.data.strip():
            raise ValidationError(_l("Write something first."))
        if len(field.data) > STATEMENT_MAX:
            raise ValidationError(_l("At most %(max)s characters. You have written %(count)s.",
                                     max=STATEMENT_MAX, count=len(field.data)))

    def validate_client_key(self, field):
        if field.data and not CLIENT_KEY.fullmatch(field.data):
            raise ValidationError(_l("Invalid input."))

    def validate_not_for_parents(self, field):
        if field.data and self.sharing.data == Sharing.FAMILY.value:
            raise ValidationError(_l("You chose to share it with your parents and also «Not for my parents». "
                                     "Choose one of them."))

    def wants_not_for_parents(self) -> bool | None:
        """The young person's mark, or None where the form does not offer it."""
        return bool(self.not_for_parents.data) if self.offers_not_for_parents else None
