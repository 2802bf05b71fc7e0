"""Form pieces shared by the feature packages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class NextForm(FlaskForm):
    """A form that carries where to go afterwards."""

    next = HiddenField()


def not_blank(form, field):
    """Refuse a value that is only spaces, with the same words as a missing value."""
    if field.data is None or not str(field.data).strip():
        raise ValidationError(_l("Fill in this field."))
