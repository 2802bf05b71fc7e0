"""Forms for logging in, redeeming invitations, choosing a language, and admin of accounts."""
import re

from flask_babel import lazy_gettext as _l
from core.forms import Form, not_blank, database_id
from wtforms import EmailField, HiddenField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from accounts.models import ServiceKind
from accounts.passwords import MAX_LENGTH, MIN_LENGTH, is_common
from core.i18n import LOCALES

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # the mail server has the last word; this catches typing slips


class LoginForm(Form):
    login = StringField(_l("Username or email"), validators=[InputRequired(_l("Fill in your username or email."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Fill in your password."))])
    next = HiddenField()
    # What the person posted when their last login ran out (accounts.sessions.kept_fields).
    kept = HiddenField()


class CodeForm(Form):
    code = StringField(_l("Invitation code"), validators=[InputRequired(_l("Type the code you were given."))])


def password_rules(form, field):
    password = field.data or ""
    if len(password) < MIN_LENGTH:
        raise ValidationError(_l("The password must be at least 8 characters long."))
    if len(password) > MAX_LENGTH:
        raise ValidationError(_l("The password can be at most 256 characters long."))
    if is_common(password):
        raise ValidationError(_l("This password is too common. Try a few words you remember easily."))
    username = getattr(form, "username", None)
    if username is not None and username.data and password.lower() == username.data.strip().lower():
        raise ValidationError(_l("The password cannot be the same as the username."))


class NewAccountForm(Form):
    username = StringField(_l("Username"), validators=[InputRequired(_l("Choose a username."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Choose a password.")), password_rules])
    confirm = PasswordField(
        _l("Password again"),
        validators=[InputRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )

    def validate_username(self, field):
        value = field.data.strip().lower()
        if not USERNAME.match(value):
            raise ValidationError(
                _l("Use 3 to 40 characters: letters a–z, digits, dots, dashes or underscores. Start with a letter or digit.")
            )
        field.data = value


def new_password_field():
    return PasswordField(_l("New password"), validators=[InputRequired(_l("Choose a password.")), password_rules])


def password_again_field():
    return PasswordField(
        _l("New password again"),
        validators=[InputRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )


class PasswordChangeForm(Form):
    current = PasswordField(_l("Your password now"), validators=[InputRequired(_l("Fill in your password."))])
    password = new_password_field()
    confirm = password_again_field()


class NewPasswordForm(Form):
    """A new password, typed twice: after a reset link or a coordinator's login code."""

    password = new_password_field()
    confirm = password_again_field()


class LanguageForm(Form):
    lang = SelectField(_l("Language"), choices=[SelectChoice(code, code) for code in LOCALES])
    next = HiddenField()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def service_kind_choices():
    return [
        SelectChoice(ServiceKind.BUP.value, _l("BUP (child and adolescent mental health)")),
        SelectChoice(ServiceKind.SCHOOL_HEALTH.value, _l("School health service")),
        SelectChoice(ServiceKind.PPT.value, _l("PPT (educational-psychological service)")),
        SelectChoice(ServiceKind.CHILD_WELFARE.value, _l("Child welfare service")),
        SelectChoice(ServiceKind.GP.value, _l("GP")),
        SelectChoice(ServiceKind.OTHER.value, _l("Other")),
    ]


class ServiceForm(Form):
    name = StringField(_l("Name"), validators=[not_blank, Length(max=120)])
    kind = SelectField(_l("Kind of service"), choices=service_kind_choices)
    municipality = StringField(_l("Municipality"), validators=[not_blank, Length(max=80)])


class ProfessionalForm(Form):
    name = StringField(_l("Full name"), validators=[not_blank, Length(max=120)])
    email = EmailField(_l("Email"), validators=[
        InputRequired(_l("Fill in this field.")),
        Regexp(EMAIL, message=_l("Write a whole email address, like kari@bup.no.")),
        Length(max=254),
    ])
    services = MultiCheckboxField(_l("Services"), coerce=database_id)
    password = PasswordField(
        _l("Password for the first login"), validators=[InputRequired(_l("Choose a password.")), password_rules]
    )

    def validate_services(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one service."))


def _no_spaces(value):
    return "".join(value.split()) if isinstance(value, str) else value


class SecondFactorCodeForm(Form):
    code = StringField(_l("Code from the app"), description=_l("6 digits. The app shows a new code every 30 seconds."),
                       filters=[_no_spaces],
                       validators=[InputRequired(_l("Type the 6 digits from the app.")),
                                   Regexp(r"^\d{6}$", message=_l("The code is 6 digits."))])


class RecoveryCodeForm(Form):
    recovery_code = StringField(_l("Recovery code"), description=_l("For example K7QM-2XPD-H4RT-9WCA"),
                                validators=[InputRequired(_l("Type one of your recovery codes.")),
                                            Length(max=40, message=_l("A recovery code is shorter than this."))])


class ProfessionalSearchForm(Form):
    """The admin's search of the professionals: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search for a professional"), description=_l("Part of the name or email."),
                    validators=[Length(max=120, message=_l("Write at most %(max)d characters."))])


class ForgotPasswordForm(Form):
    email = EmailField(_l("Your email address"), validators=[
        InputRequired(_l("Fill in your email address.")),
        Regexp(EMAIL, message=_l("Write a whole email address, like kari@bup.no.")),
        Length(max=254, message=_l("Write at most %(max)d characters.")),
    ])
