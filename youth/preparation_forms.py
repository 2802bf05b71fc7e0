"""Forms for preparing a meeting (the young person's and a parent's own) and answering agreements."""
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

SHARING_YOUNG = [
    SelectChoice(Sharing.TEAM.value, _l("My team")),
    SelectChoice(Sharing.FAMILY.value, _l("My team and my parents")),
    SelectChoice(Sharing.PRIVATE.value, _l("Only me (nobody else can read it yet)")),
]
SHARING_PARENT = [
    SelectChoice(Sharing.TEAM.value, _l("My team")),
    SelectChoice(Sharing.FAMILY.value, _l("My team and my child")),
    SelectChoice(Sharing.PRIVATE.value, _l("Only me (nobody else can read it yet)")),
]

# Our own words: WTForms' message for this needs a plural form the shared catalogue helper cannot fill in.
TOO_LONG = _l("Write at most %(max)d characters.")


def _text(name, labels):
    return TextAreaField(labels[name], description=DESCRIPTIONS.get(name),
                         validators=[Optional(), Length(max=PREPARATION_FIELD_MAX, message=TOO_LONG)])


class _PreparationForm(Form):
    revision = IntegerField(default=0, validators=[Optional()])

    def content(self) -> dict:
        """What was written, as `Preparation.content()` holds it (texts trimmed at the ends)."""
        data = {name: (getattr(self, name).data or "").strip() for name in PREPARATION_FIELDS}
        participation = getattr(self, "participation", None)
        data["participation"] = (participation.data or None) if participation is not None else None
        return data

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
    sharing = RadioField(_l("Who may read this?"), choices=SHARING_YOUNG, default=Sharing.TEAM.value,
                         invalid_choice_message=_l("Choose who may read it."))
    not_for_parents = BooleanField(_l("Not for my parents"),
                                   description=_l("Tick this if your parents must not read it."))

    def validate_not_for_parents(self, field):
        if field.data and self.sharing.data == Sharing.FAMILY.value:
            raise ValidationError(_l("You chose to share it with your parents. Untick «Not for my parents», "
                                     "or choose «My team»."))


class ParentPreparationForm(_PreparationForm):
    talk_about = _text("talk_about", PARENT_LABELS)
    not_while_present = _text("not_while_present", PARENT_LABELS)
    want_there = _text("want_there", PARENT_LABELS)
    not_there = _text("not_there", PARENT_LABELS)
    needs = _text("needs", PARENT_LABELS)
    questions = _text("questions", PARENT_LABELS)
    hopes = _text("hopes", PARENT_LABELS)
    sharing = RadioField(_l("Who may read this?"), choices=SHARING_PARENT, default=Sharing.TEAM.value,
                         invalid_choice_message=_l("Choose who may read it."))





class AnswerForm(Form):
    answer = RadioField(_l("Your answer"), choices=[SelectChoice(k.value, label) for k, label in ANSWERS.items()],
                        invalid_choice_message=_l("Choose an answer."))
    question = TextAreaField(_l("Your question"), validators=[Length(max=1000, message=TOO_LONG)])

    def validate_question(self, field):
        if self.answer.data == AnswerKind.QUESTION.value and not (field.data or "").strip():
            raise ValidationError(_l("Write your question."))
