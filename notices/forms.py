"""Forms of a person's notice settings: an address or number to add, its code, and the kinds they want."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import Form
from notices.contact_services import normalise_mobile

# The mail server has the last word; this catches typing slips.
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class EmailContactForm(Form):
    address = EmailField(_l("Email address"), validators=[
        InputRequired(_l("Write your email address.")),
        Regexp(EMAIL, message=_l("Write a whole email address, like ola@example.no.")),
        Length(max=254),
    ], filters=[lambda value: value.strip().lower() if isinstance(value, str) else value])


class MobileContactForm(Form):
    address = StringField(_l("Mobile number"), description=_l("8 digits, for example 912 34 567."),
                          validators=[InputRequired(_l("Write your mobile number.")), Length(max=30)])

    def validate_address(self, field):
        number = normalise_mobile(field.data)
        if number is None:
            raise ValidationError(_l("Write a Norwegian mobile number: 8 digits that start with 4 or 9."))
        self.number = number


class ContactCodeForm(Form):
    code = StringField(_l("Code"), description=_l("The 6 digits we sent you."),
                       validators=[InputRequired(_l("Write the code we sent you.")), Length(max=20)])

    def validate_code(self, field):
        code = "".join(field.data.split())
        if not (len(code) == 6 and code.isdecimal() and code.isascii()):
            raise ValidationError(_l("The code is 6 digits."))
        self.digits = code


class ChoicesForm(Form):
    kinds = SelectMultipleField(_l("Send me a notice when"), widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())
    stop_all = BooleanField(_l("Stop all notices"))
