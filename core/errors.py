"""Error pages in the user's language, each with a way back."""
from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import HTTPException, InternalServerError

from core.extensions import db, htmx, login_manager
from core.forms import UntypeableQuery
from core.kept_form import NOT_SAVED, kept_form_page, posted_form
from core.render import render

MESSAGES = {
    400: (_l("Something was wrong with what was sent"),
          _l("Go back and try again. If it happens again, reload the page first.")),
    403: (_l("You do not have access to this page"),
          _l("Your account cannot open this page. Go to your start page.")),
    404: (_l("We cannot find this page"),
          _l("The address may be wrong, or the page may have been moved or removed.")),
    405: (_l("Something was wrong with what was sent"),
          _l("Go back and try again. If it happens again, reload the page first.")),
    413: (_l("What you sent is too large"),
          _l("Go back, make it shorter and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("What you wrote may not have been saved. Go back and try again in a little while.")),
}
UNAVAILABLE = (_l("Stemme is not available just now"),
               _l("We cannot reach our database for a moment. Wait a few seconds and reload the page."))
RETRY_AFTER = "5"  # seconds: a database restart or a failover usually takes a few
QUERY_MESSAGE = (_l("Something was wrong with the address"),
                 _l("The address has characters in it that cannot be typed. Check the address, or go back and "
                    "try again."))
CSRF_MESSAGE = (_l("The form was open too long"),
                _l("For your safety, forms stop working after a while. Go back, reload the page and send "
                   "it again. Copy your text first if it is long."))


def _page(code: int, title, message):
    return render("errors/error.html", status=code, code=code, title=title, message=message)


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, *CSRF_MESSAGE)

    @app.errorhandler(UntypeableQuery)
    def untypeable_query(error):
        return _page(400, *QUERY_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code not in MESSAGES:
            return error
        return _page(error.code, *MESSAGES[error.code])

    @app.errorhandler(DBAPIError)
    @app.errorhandler(DisconnectionError)
    def database_away(error):
        if not connection_failed(error):
            raise error
        return _database_away()

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return _page(500, *MESSAGES[500])


# --- the database away for a moment ---------------------------------------------------------------

# SQLite's OperationalError is also "no such table" (a bug); these are its passing troubles.
SQLITE_AWAY = ("database is locked", "unable to open database file", "disk i/o error")


def connection_failed(error: Exception) -> bool:
    """The database could not be reached or the connection broke (not a mistake in a statement): a
    connection SQLAlchemy found broken and invalidated, PostgreSQL's "operational" errors (class 08,
    a server shutting down or starting), or SQLite's lock or file troubles."""
    if isinstance(error, DisconnectionError) or getattr(error, "connection_invalidated", False):
        return True
    if not isinstance(error, OperationalError):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        return any(words in str(error.orig).lower() for words in SQLITE_AWAY)
    return True


def _database_away():
    """A read is tried once more (pool_pre_ping and the invalidated connection give it a new one); a
    form is given back with what was written and a 503; anything else is a 503 page. Never the 500."""
    _rollback_keeping_user()
    if request.method in ("GET", "HEAD") and not g.get("stemme_read_retried"):
        g.stemme_read_retried = True
        try:
            return current_app.preprocess_request() or current_app.dispatch_request()
        except Exception as error:  # noqa: BLE001 - as if it were the first try: a 404 stays a 404
            return current_app.handle_user_exception(error)  # failing again: this handler, the 503 below
    headers = {"Retry-After": RETRY_AFTER}
    try:
        return _unavailable_response(headers)
    except SQLAlchemyError:  # the page needed something not loaded yet: show it as to a visitor
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()
        return _unavailable_response(headers)


def _unavailable_response(headers: dict):
    if request.method == "POST" and htmx:
        # An autosave or a button on part of a page: htmx's handler says "not saved" and tries again.
        return str(NOT_SAVED[1]), 503, headers
    if request.method == "POST":
        fields = list(request.form.items(multi=True))
        action = request.full_path if request.query_string else request.path
        return kept_form_page(action, fields, *NOT_SAVED, 503, form=posted_form(fields), **headers)
    response = _page(503, *UNAVAILABLE)
    response.headers.update(headers)
    return response


def _rollback_keeping_user() -> None:
    """Roll back, keeping what was loaded of the logged-in user (a rollback expires it, and reading
    it again would need the database): the page still shows their name, in their language."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    loaded = dict(state.dict) if state is not None and state.persistent else {}
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()
    for key, value in loaded.items():
        if key in state.mapper.column_attrs:
            set_committed_value(user, key, value)
