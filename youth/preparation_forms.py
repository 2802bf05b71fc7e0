"""Forms for preparing a meeting (the young person's and a parent's own) and answering agreements."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from core.forms import Form
from pathways.models import ANSWERS, AnswerKind
from youth.models import PARENT_LABELS, PARTICIPATION, PREPARATION_FIELD_MAX, PREPARATION_FIELDS, YOUNG_LABELS, Sharing

DESCRIPTIONS = {
    "needs": _l("For example breaks, a short meeting, or taking part on video."),
    "want_there": _l("For example a friend, a teacher or someone from the team."),
}


# The page in steps a young person can take one at a time on the bus (README: "Preparing a meeting"):
# each step's title as the young person and as a parent read it, and the fields it holds. A parent
# is not asked how to take part, so a parent's fourth step is only what they need.
CONTENT_FIELDS = (*PREPARATION_FIELDS, "participation")


@dataclass(frozen=True)
class Step:
    number: int
    young_title: str
    parent_title: str
    fields: tuple[str, ...]

    def title(self, young: bool) -> str:
        return self.young_title if young else self.parent_title

    def field_names(self, young: bool) -> tuple[str, ...]:
        return self.fields if young else tuple(name for name in self.fields if name != "participation")


STEPS = (
    Step(1, YOUNG_LABELS["talk_about"], PARENT_LABELS["talk_about"], ("talk_about",)),
    Step(2, YOUNG_LABELS["not_while_present"], PARENT_LABELS["not_while_present"], ("not_while_present",)),
    Step(3, _l("Who is there"), _l("Who is there"), ("want_there", "not_there")),
    Step(4, _l("How I take part"), PARENT_LABELS["needs"], ("participation", "needs")),
    Step(5, _l("My questions and hopes"), _l("My questions and hopes"), ("questions", "hopes")),
)

# Our own words: WTForms' message for this needs a plural form the shared catalogue helper cannot fill in.
TOO_LONG = _l("Write at most %(max)d characters.")


def _text(name, labels):
    return TextAreaField(labels[name], description=DESCRIPTIONS.get(name),
                         validators=[Optional(), Length(max=PREPARATION_FIELD_MAX, message=TOO_LONG)])


class _PreparationForm(Form):
    revision = IntegerField(default=0, validators=[Optional()])

    def content(self) -> dict:
        """What was written, as `Preparation.content()` holds it (texts trimmed at the ends), of the
        fields this form has: a step of the page keeps only its own (see `keep_only`)."""
        data = {name: (self[name].data or "").strip() for name in PREPARATION_FIELDS if name in self}
        if "participation" in self:
            data["participation"] = self.participation.data or None
        return data

    def keep_only(self, content_fields, sharing: bool) -> "_PreparationForm":
        """Drop the fields of what was written that are not in `content_fields`, and unless `sharing`
        the sharing choice (whatever fields it has): a step posts and saves only its own fields, the
        overview the sharing choice and what it is sent of the rest (the choice between two devices)."""
        for name in [field.name for field in self]:
            if name in ("csrf_token", "revision") or name in content_fields:
                continue
            if name in CONTENT_FIELDS or not sharing:
                del self[name]
        return self

    def is_empty(self) -> bool:
        return not any(self.content().values())


class YoungPreparationForm(_PreparationForm):
    talk_about = _text("talk_about", YOUNG_LABELS)
    not_while_present = _text("not_while_present", YOUNG_LABELS)
    want_there = _text("want_there", YOUNG_LABELS)
    not_there = _text("not_there", YOUNG_LABELS)
    participation = RadioField(YOUNG_LABELS["participation"], validators=[Optional()],
                               choices=[SelectChoice(p.value, label) for p, label in PARTICIPATION.items()])
    needs = _text("needs", YOUNG_LABELS)
    questions = _text("questions", YOUNG_LABELS)
    hopes = _text("hopes", YOUNG_LABELS)
    # The answers depend on the young person's age: youth.sharing.choices, set by the view.
    sharing = RadioField(_l("Who may read this?"), choices=[], invalid_choice_message=_l("Choose who may read it."))


class ParentPreparationForm(_PreparationForm):
    talk_about = _text("talk_about", PARENT_LABELS)
    not_while_present = _text("not_while_present", PARENT_LABELS)
    want_there = _text("want_there", PARENT_LABELS)
    not_there = _text("not_there", PARENT_LABELS)
    needs = _text("needs", PARENT_LABELS)
    questions = _text("questions", PARENT_LABELS)
    hopes = _text("hopes", PARENT_LABELS)
    sharing = RadioField(_l("Who may read this?"), choices=[], invalid_choice_message=_l("Choose who may read it."))





class AnswerForm(Form):
    answer = RadioField(_l("Your answer"), choices=[SelectChoice(k.value, label) for k, label in ANSWERS.items()],
                        invalid_choice_message=_l("Choose an answer."))
    question = TextAreaField(_l("Your question"), validators=[Length(max=1000, message=TOO_LONG)])

    def validate_question(self, field):
        if self.answer.data == AnswerKind.QUESTION.value and not (field.data or "").strip():
            raise ValidationError(_l("Write your question."))
