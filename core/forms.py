"""Form pieces shared by the feature packages."""
import re

from flask import g, request
from flask_babel import get_translations, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import BadRequest
from wtforms import HiddenField
from wtforms.validators import ValidationError
from wtforms.widgets import TextArea

from core.kept_form import remember_form

# Characters no one types: control characters (NUL among them: PostgreSQL refuses it in text) but
# tab, and in multi-line text CR and LF. Bidirectional marks and emoji are text and stay.
UNTYPEABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
UNTYPEABLE_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
UNTYPEABLE_MESSAGE = _l("This contained characters that cannot be typed, such as invisible control characters. "
                        "We have taken them out: check the text and send it again.")
FILE_MESSAGE = _l("A file cannot be sent here. Write the text in the field instead.")


class _Catalogue:
    """WTForms' own messages, looked up in Stemme's catalogues (WTForms ships no nynorsk).

    The raw catalogue, not Flask-Babel's gettext/ngettext: those fill in placeholders themselves
    (ngettext with `num` only), and WTForms fills its own (`%(max)d`) afterwards."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """The base of every form: CSRF from Flask-WTF, messages in nynorsk and bokmål, and one refusal of
    what no one types (control characters, a file in a text field) before any other check runs."""

    class Meta:
        def get_translations(self, form):
            return _Catalogue()

        def wrap_formdata(self, form, formdata):
            data = super().wrap_formdata(form, formdata)
            if isinstance(data, CombinedMultiDict) and any(part is request.files for part in data.dicts):
                # Flask-WTF adds posted files to the fields; no Stemme form takes a file.
                form._posted_files = set(request.files)
                return request.form
            if formdata is _Auto and request.is_json:
                # Nor JSON, whose values need not be text: the form is as if sent empty.
                return None
            return data

    def __init__(self, *args, **kwargs):
        self._posted_files = set()
        super().__init__(*args, **kwargs)
        remember_form(self)

    def validate(self, extra_validators=None):
        # The other checks may look the value up in the database: they see only typeable text.
        if not refuse_untypeable(self):
            return False
        return super().validate(extra_validators)


def _clean(value, pattern):
    """`value` without what `pattern` finds (a line break in one-line text becomes a space)."""
    if isinstance(value, str):
        return pattern.sub(lambda found: " " if found.group() in "\r\n" else "", value)
    if isinstance(value, list):
        return [_clean(item, pattern) for item in value]
    return value


def refuse_untypeable(form) -> bool:
    """True if every field holds typeable text. Otherwise the fields with other characters get a
    message and keep the text without them (a hidden field, which no one typed, is only cleaned), a
    field that was sent a file says so, and the request is marked refused (see `refused_status`)."""
    ok = True
    for field in form:
        if field.name in form._posted_files:
            field.errors = [FILE_MESSAGE]
            ok = False
            continue
        values = [value for value in (field.raw_data or []) if isinstance(value, str)]
        multi_line = isinstance(field, HiddenField) or isinstance(field.widget, TextArea)
        pattern = UNTYPEABLE if multi_line else UNTYPEABLE_ONE_LINE
        if not any(pattern.search(value) for value in values):
            continue
        field.raw_data = _clean(field.raw_data, pattern)
        field.data = _clean(field.data, pattern)
        if isinstance(field, HiddenField):
            continue
        field.errors = [UNTYPEABLE_MESSAGE]
        ok = False
    if not ok:
        g.stemme_input_refused = True
        for field in form:  # a form's own validate() may add to them after this
            field.errors = list(field.errors)
    return ok


def refused_status(response):
    """after_request: a form given back because of what no one types is a 400, also where the view
    shows its form again with 200 (the login page does)."""
    if g.get("stemme_input_refused") and response.status_code == 200:
        response.status_code = 400
    return response


class UntypeableQuery(BadRequest):
    """An address whose query has characters no one types (core.errors shows the page that says so)."""


def refuse_untypeable_query() -> None:
    """before_request: the query of every address (a search, `next`, a choice in a link) holds only
    what can be typed; CR and LF are let through for `next`, which core.security.safe_next cleans."""
    for name, value in request.args.items(multi=True):
        if UNTYPEABLE.search(name) or UNTYPEABLE.search(value):
            raise UntypeableQuery()


def register_input_checks(app) -> None:
    app.before_request(refuse_untypeable_query)
    app.after_request(refused_status)


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
