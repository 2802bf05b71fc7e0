"""The admin's forms for the pathway templates: the texts of one template, a new step, new guidance."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from accounts.models import SERVICE_KINDS
from core.forms import Form, database_id, not_blank
from core.i18n import in_locale

NAME_MAX, TEXT_MAX = 120, 1000


def name_rules():
    return [not_blank, Length(max=NAME_MAX, message=_l("Write at most %(max)d characters."))]


def text_rules(required: bool = True):
    rules = [Length(max=TEXT_MAX, message=_l("Write at most %(max)d characters."))]
    return [not_blank, *rules] if required else rules


class TemplateForm(Form):
    """The template's names and summaries; `template_form` adds each step's names and guidance."""

    name_nn = StringField(_l("Name in nynorsk"), validators=name_rules())
    name_nb = StringField(_l("Name in bokmål"), validators=name_rules())
    summary_nn = TextAreaField(_l("Summary in nynorsk"), validators=text_rules(required=False))
    summary_nb = TextAreaField(_l("Summary in bokmål"), validators=text_rules(required=False))


def step_field(step_id: int, lang: str) -> str:
    return f"step_{step_id}_{lang}"


def guidance_field(guidance_id: int, lang: str) -> str:
    return f"guidance_{guidance_id}_{lang}"


def template_form(template, formdata=None):
    """A form with every text of `template`, filled from it; `formdata` (a POST) overrides."""

    class EditForm(TemplateForm):
        pass

    for step in template.steps:
        number = step.position
        setattr(EditForm, step_field(step.id, "nn"), StringField(
            _("Step %(number)d, name in nynorsk", number=number), validators=name_rules(), default=step.name_nn))
        setattr(EditForm, step_field(step.id, "nb"), StringField(
            _("Step %(number)d, name in bokmål", number=number), validators=name_rules(), default=step.name_nb))
        for guidance in step.guidance:
            service = SERVICE_KINDS[guidance.service_kind]
            setattr(EditForm, guidance_field(guidance.id, "nn"), TextAreaField(
                _("Step %(number)d, %(service)s, in nynorsk", number=number, service=service),
                validators=text_rules(), default=guidance.text_nn))
            setattr(EditForm, guidance_field(guidance.id, "nb"), TextAreaField(
                _("Step %(number)d, %(service)s, in bokmål", number=number, service=service),
                validators=text_rules(), default=guidance.text_nb))
    return EditForm(formdata=formdata, obj=template)


class StepForm(Form):
    """A new step at the end of the template (field names unlike the template form's: one page)."""

    new_step_nn = StringField(_l("Name of the new step in nynorsk"), validators=name_rules())
    new_step_nb = StringField(_l("Name of the new step in bokmål"), validators=name_rules())


class GuidanceForm(Form):
    """What one step means for one more kind of service."""

    step = SelectField(_l("Step"), coerce=database_id, validators=[InputRequired(_l("Choose a step."))])
    kind = SelectField(_l("Kind of service"), validators=[InputRequired(_l("Choose a kind of service."))])
    guidance_nn = TextAreaField(_l("What it means for this service, in nynorsk"), validators=text_rules())
    guidance_nb = TextAreaField(_l("What it means for this service, in bokmål"), validators=text_rules())

    def __init__(self, template, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.step.choices = [SelectChoice(s.id, _("Step %(number)d: %(name)s", number=s.position,
                                                   name=in_locale(s.name_nn, s.name_nb)))
                             for s in template.steps]
        self.kind.choices = [SelectChoice(kind.value, label) for kind, label in SERVICE_KINDS.items()]

    def chosen_step(self):
        return next((s for s in self.template.steps if s.id == self.step.data), None)
