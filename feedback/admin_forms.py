"""The admin's form for one question set: every item of the newest version (words in nynorsk and
bokmål, must it be answered, hide it from the next version) and one new item at the end."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from core.forms import Form, not_blank
from feedback import question_services
from feedback.models import FeedbackItem, QuestionSet, QuestionSetVersion, ScaleKind

TEXT_MAX = 300  # FeedbackItem.text_nn / text_nb

KIND_LABELS = {
    ScaleKind.FACES.value: _l("Five steps shown with faces, from “not true” to “completely true”"),
    ScaleKind.AGREEMENT.value: _l("True / partly true / not true / don't know"),
    question_services.FREE_TEXT: _l("Free text"),
}


def _length():
    return Length(max=TEXT_MAX, message=_l("Write at most %(max)d characters."))


def text_field(key: str, lang: str) -> str:
    return f"{lang}_{key}"


def required_field(key: str) -> str:
    return f"required_{key}"


def hide_field(key: str) -> str:
    return f"hide_{key}"


class SetForm(Form):
    """The version the admin edits; `set_form` adds the fields of each item and of the new item.
    Empty new-item texts mean no new item."""

    based_on = HiddenField()

    def __init__(self, question_set: QuestionSet, version: QuestionSetVersion, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_set, self.version = question_set, version
        kinds = question_services.NEW_ITEM_KINDS[question_set.kind]
        self.new_kind.choices = [SelectChoice(kind, str(KIND_LABELS[kind])) for kind in kinds]
        if not self.new_kind.raw_data:  # not posted: the set's scale; a posted kind is checked as given
            self.new_kind.data = kinds[0]
        if kwargs.get("formdata", True) is None:
            self.based_on.data = str(version.number)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        nn, nb = (self.new_nn.data or "").strip(), (self.new_nb.data or "").strip()
        if nn and not nb:
            self.new_nb.errors.append(_("Write the new item in bokmål too, or empty both fields."))
            valid = False
        elif nb and not nn:
            self.new_nn.errors.append(_("Write the new item in nynorsk too, or empty both fields."))
            valid = False
        for item in self.version.items:
            if self[hide_field(item.key)].data and not question_services.can_hide(item):
                self[hide_field(item.key)].errors.append(
                    _("This item cannot be hidden: the team's alert after a meeting reads it."))
                valid = False
        new_scale = bool(nn and nb) and self.new_kind.data != question_services.FREE_TEXT
        scale_items = [item for item in self.version.items if item.scale_id is not None]
        if scale_items and not new_scale and all(self[hide_field(item.key)].data for item in scale_items):
            self[hide_field(scale_items[0].key)].errors.append(
                _("Keep at least one item that is answered on a scale."))
            valid = False
        return valid

    def item_fields(self, item: FeedbackItem):
        """The item's fields: nynorsk, bokmål, must be answered, hide."""
        return (self[text_field(item.key, "nn")], self[text_field(item.key, "nb")],
                self[required_field(item.key)], self[hide_field(item.key)])

    def based_on_number(self) -> int | None:
        try:
            return int(self.based_on.data)
        except (TypeError, ValueError):
            return None

    def changes(self) -> question_services.Changes:
        items = {
            item.key: question_services.ItemEdit(
                self[text_field(item.key, "nn")].data, self[text_field(item.key, "nb")].data,
                bool(self[required_field(item.key)].data), bool(self[hide_field(item.key)].data))
            for item in self.version.items
        }
        nn, nb = (self.new_nn.data or "").strip(), (self.new_nb.data or "").strip()
        new_item = question_services.NewItem(nn, nb, self.new_kind.data) if nn and nb else None
        return question_services.Changes(items=items, new_item=new_item)


def set_form(question_set: QuestionSet, version: QuestionSetVersion, formdata=None) -> SetForm:
    """A form with every item of `version`, filled from it; `formdata` (a POST) overrides."""

    class EditForm(SetForm):
        pass

    for number, item in enumerate(version.items, 1):
        rules = [not_blank, _length()]
        setattr(EditForm, text_field(item.key, "nn"), StringField(
            _("Item %(number)d in nynorsk", number=number), validators=rules, default=item.text_nn))
        setattr(EditForm, text_field(item.key, "nb"), StringField(
            _("Item %(number)d in bokmål", number=number), validators=rules, default=item.text_nb))
        setattr(EditForm, required_field(item.key), BooleanField(
            _("Item %(number)d must be answered", number=number), default=item.required))
        setattr(EditForm, hide_field(item.key), BooleanField(
            _("Leave item %(number)d out of the next version", number=number), default=False))
    # After the items, so that the error summary lists the messages in the order of the page.
    EditForm.new_nn = StringField(_l("The new item in nynorsk"), validators=[_length()])
    EditForm.new_nb = StringField(_l("The new item in bokmål"), validators=[_length()])
    EditForm.new_kind = RadioField(_l("Answered with"))
    return EditForm(question_set, version, formdata=formdata)
