"""The form a young person or parent answers a feedback request with, built from the request's
version of the questions: one radio group per scale item, one text box per free-text item, and the
choice of who sees the answer."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError

from core.forms import Form, not_blank
from core.i18n import in_locale
from feedback.models import FeedbackAnswer, FeedbackResponse, QuestionSetVersion, ResponseSharing, ScaleKind
from feedback.services import Answers

TEXT_MAX = 2000
# Our own words: WTForms' message for this needs a plural form the shared catalogue helper cannot fill in.
TOO_LONG = _l("Write at most %(max)d characters.")
OPTIONAL_TEXT = _l("You may leave this empty. At most %(max)d characters.", max=TEXT_MAX)
REQUIRED_TEXT = _l("At most %(max)d characters.", max=TEXT_MAX)
NOT_ANSWERED = _l("Choose an answer to this question.")
NOT_ON_SCALE = _l("That answer is not one of the choices. Choose one of the answers shown.")

SHARING = [
    SelectChoice(ResponseSharing.TEAM.value, _l("Share with my team")),
    SelectChoice(ResponseSharing.ANONYMOUS.value, _l("Only count it in the service's anonymous figures")),
]
SHARING_EXPLAINED = {
    ResponseSharing.TEAM.value: _l("Your team can read what you answered and wrote."),
    ResponseSharing.ANONYMOUS.value: _l("Nobody sees your answer on its own: it only counts together with "
                                        "everyone else's, without your name."),
}

# A posted value that is not a number: never a step of any scale (steps are 0 to 5).
NOT_A_NUMBER = -1


def _step_value(value) -> int | None:
    """`coerce` for a scale item: the posted step as a number, None if nothing was chosen, and a
    value no scale has for anything else (the validator then says so beside the question)."""
    if value is None or value == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return NOT_A_NUMBER


class ScaleField(RadioField):
    """One scale item: its steps as radio buttons. Knows its item and whether it is a faces scale."""

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, coerce=_step_value, validate_choice=False, **kwargs)
        self.item = item

    @property
    def faces(self) -> bool:
        return self.item.scale.kind == ScaleKind.FACES


class OnScale:
    """The answer is one of the item's steps; a required item must be answered."""

    def __init__(self, values: set[int], required: bool):
        self.values, self.required = values, required

    def __call__(self, form, field):
        if not field.raw_data or field.raw_data[0] in ("", None):
            if self.required:
                raise StopValidation(str(NOT_ANSWERED))
            raise StopValidation()  # optional and not answered: nothing to check
        if field.data not in self.values:
            raise ValidationError(str(NOT_ON_SCALE))


class FreeTextField(TextAreaField):
    """One free-text item (optional, unless the admin made it required)."""

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item


class AnswerForm(Form):
    """The fixed part: who sees the answer, and whether comments may be quoted. The items are added
    per version by `answer_form`."""

    sharing = RadioField(_l("Who may see your answer?"), choices=SHARING, default=ResponseSharing.TEAM.value)
    quote_allowed = BooleanField(_l("My comments may be quoted in the service's report, without my name"))

    item_names: list[str] = []

    def item_fields(self) -> list:
        return [self[name] for name in self.item_names]

    def answers(self) -> Answers:
        """What was chosen and written, for `feedback.services.save_response`."""
        values, texts = {}, {}
        for field in self.item_fields():
            if isinstance(field, ScaleField):
                values[field.item.id] = field.data
            else:
                texts[field.item.id] = (field.data or "").strip()
        return Answers(values=values, texts=texts, sharing=ResponseSharing(self.sharing.data),
                       quote_allowed=bool(self.quote_allowed.data))

    def first_input_id(self, name: str) -> str:
        """Where the error summary's link for a field leads: the first radio of a group."""
        field = self[name]
        return f"{field.id}-0" if isinstance(field, RadioField) else field.id


def field_name(item) -> str:
    return f"item_{item.id}"


def answer_form(version: QuestionSetVersion) -> type[AnswerForm]:
    """A form class for `version`: its items in order, with the texts in the reader's language."""
    fields, names = {}, []
    for item in version.items:
        name = field_name(item)
        label = in_locale(item.text_nn, item.text_nb)
        if item.scale is not None:
            steps = item.scale.steps
            fields[name] = ScaleField(
                label, item=item,
                choices=[SelectChoice(str(step.value), in_locale(step.label_nn, step.label_nb)) for step in steps],
                validators=[OnScale({step.value for step in steps}, item.required)],
            )
        else:
            fields[name] = FreeTextField(
                label, item=item, description=REQUIRED_TEXT if item.required else OPTIONAL_TEXT,
                validators=[not_blank if item.required else Optional(), Length(max=TEXT_MAX, message=TOO_LONG)])
        names.append(name)
    return type("VersionAnswerForm", (AnswerForm,), {**fields, "item_names": names})


def initial_data(response: FeedbackResponse | None) -> dict:
    """The form's values from a stored answer (to change it), or the defaults."""
    if response is None:
        return {"sharing": ResponseSharing.TEAM.value, "quote_allowed": False}
    data = {"sharing": response.sharing.value, "quote_allowed": response.quote_allowed}
    for answer in response.answers:
        data[f"item_{answer.item_id}"] = answer.value if answer.value is not None else answer.text
    return data


def given_answers(response: FeedbackResponse, version: QuestionSetVersion) -> list[tuple[str, str]]:
    """A stored answer to show read-only: (question, the chosen step's words or the text), in order."""
    by_item: dict[int, FeedbackAnswer] = {answer.item_id: answer for answer in response.answers}
    shown = []
    for item in version.items:
        answer = by_item.get(item.id)
        if answer is None:
            continue
        if answer.value is not None and item.scale is not None:
            step = next((s for s in item.scale.steps if s.value == answer.value), None)
            words = in_locale(step.label_nn, step.label_nb) if step is not None else str(answer.value)
        else:
            words = answer.text or ""
        shown.append((in_locale(item.text_nn, item.text_nb), words))
    return shown
