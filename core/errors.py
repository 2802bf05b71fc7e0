"""Error pages in the user's language, each with a way back."""
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from core.extensions import db
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
CSRF_MESSAGE = (_l("The form was open too long"),
                _l("For your safety, forms stop working after a while. Go back, reload the page and send "
                   "it again. Copy your text first if it is long."))


def _page(code: int, title, message):
    return render("errors/error.html", block="content", status=code, code=code, title=title, message=message)


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, *CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code not in MESSAGES:
            return error
        return _page(error.code, *MESSAGES[error.code])

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return _page(500, *MESSAGES[500])
