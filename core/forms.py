"""Form pieces shared by the feature packages."""
from flask_babel import get_translations, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError


class _Catalogue:
    """WTForms' own messages, looked up in Stemme's catalogues (WTForms ships no nynorsk).

    The raw catalogue, not Flask-Babel's gettext/ngettext: those fill in placeholders themselves
    (ngettext with `num` only), and WTForms fills its own (`%(max)d`) afterwards."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """The base of every form: CSRF from Flask-WTF, messages in nynorsk and bokmål."""

    class Meta:
        def get_translations(self, form):
            return _Catalogue()


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that change something."""


MAX_ID = 2**31 - 1  # the largest id a database row has (a PostgreSQL integer)


def database_id(value) -> int:
    """`coerce` for fields that post a row's id: a number a database id can be, or ValueError (the
    field then says the choice is not valid) instead of an overflow in the database driver."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError("not a database id")
    return number


def plausible_date(form, field):
    """Refuse a date no one means (year 1 or 9999): date arithmetic and time zones overflow there."""
    if field.data is not None and not 1900 <= field.data.year <= 2999:
        raise ValidationError(_l("Write a real date, for example 24.03.2026."))


def not_blank(form, field):
    """Refuse a value that is only spaces, with the same words as a missing value."""
    if field.data is None or not str(field.data).strip():
        raise ValidationError(_l("Fill in this field."))


def _wtforms_messages():  # pragma: no cover - never called; lists WTForms' texts for extraction
    gettext("Not a valid date value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid choice.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Choices cannot be None.")
    gettext("This field is required.")
    gettext("Invalid input.")
    gettext("Field must be equal to %(other_name)s.")
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 1)
