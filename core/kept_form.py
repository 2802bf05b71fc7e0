"""A page that gives a person back what they sent, in a form that sends it again.

Used when something they posted could not be saved through no fault of theirs: the database was
away for a moment (core.errors) or, later, the session ended while they were writing. The page needs
no database: it is built from the posted fields alone, and, when the view had built its form before
things went wrong, from that form's own fields (labels, choices, what was chosen)."""
from flask import g, has_app_context, make_response, render_template
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, SubmitField

TEMPLATE = "core/kept_form.html"
SKIPPED = {"csrf_token"}  # the page makes a fresh token

NOT_SAVED = (_l("Not saved yet"),
             _l("We could not save what you sent, because of a short break on our side. Nothing is lost: "
                "what you wrote is below. Wait a few seconds and send it again."))


def remember_form(form) -> None:
    """Called by every core.forms.Form: the forms this request built, so an error page can show one."""
    if has_app_context():
        g.setdefault("stemme_forms", []).append(form)


def posted_form(fields: list[tuple[str, str]]):
    """The form of this request that holds most of the posted fields, or None."""
    names = {name for name, _value in fields} - SKIPPED  # every form has a csrf_token
    best, best_count = None, 0
    for form in g.get("stemme_forms", []):
        count = sum(1 for name in form._fields if name in names)
        if count > best_count:
            best, best_count = form, count
    return best


def _kind(field) -> str:
    """How the page shows a form field: a hidden input, a group of choices, a check box, or a field."""
    if isinstance(field, HiddenField):
        return "hidden"
    if isinstance(field, RadioField) or (isinstance(field, SelectMultipleField) and field.option_widget is not None
                                         and getattr(field.option_widget, "input_type", "") == "checkbox"):
        return "choices"
    if isinstance(field, BooleanField):
        return "check"
    return "field"


def kept_form_page(action: str, fields: list[tuple[str, str]], title, message, status: int, *, form=None,
                   labels: dict | None = None, **headers):
    """A full page with `message` and a form posting `fields` back to `action` with a fresh CSRF token.

    `fields` are (name, value) pairs as posted (a name may repeat). With `form` (a WTForms form built
    from the same post), its fields are shown with their labels and choices, the posted choices
    selected; posted values the form does not know are kept as hidden fields. Without it every value
    is an editable field, labelled from `labels` (by field name) or with its name. `headers` are added
    to the response (e.g. `**{"Retry-After": "5"}`)."""
    fields = [(name, value) for name, value in fields if name not in SKIPPED]
    shown, extra, loose = [], [], fields
    if form is not None:
        order = {name: index for index, (name, _value) in reversed(list(enumerate(fields)))}
        shown = sorted(  # in the order they were posted, which is the order of the page they came from
            [(_kind(field), field) for field in form if field.name not in SKIPPED and not isinstance(field, SubmitField)],
            key=lambda kind_and_field: order.get(kind_and_field[1].name, len(order)))
        extra = [(name, value) for name, value in fields if name not in form._fields]
        loose = []
    # The page is the whole page even for an htmx request: the person must see it to send again.
    body = render_template(TEMPLATE, action=action, title=title, message=message, form_fields=shown, extra=extra,
                           fields=loose, labels=labels or {})
    response = make_response(body, status)
    response.vary.add("HX-Request")
    for name, value in headers.items():
        response.headers[name] = value
    return response
