"""How long a login lasts, and how it ends.

A login is Flask-Login's session (the user's id and session version, see User.get_id) plus two times
kept beside it in the signed cookie: when the person logged in and when they last did something.
Everyone's login ends after SESSION_MAX_AGE; a professional's or an admin's also after
SESSION_IDLE_LIMIT without a request. Raising User.session_version ends every copy of the cookie,
wherever it went: logout does it, and so do a new password and "log out on all my devices".

Why a version and not server-side sessions: the user loader already reads the user on every request,
so comparing one more number costs nothing, and no table or store is written on each request. The
price: logging out on one device logs the person out on the others too (on a shared family phone,
that is what we want)."""
import json
import time

from flask import current_app, g, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from accounts.models import User
from core.extensions import db
from core.security import safe_next

LOGIN_AT, SEEN_AT = "login_at", "seen_at"
SEEN_EVERY = 60  # seconds: the time of the last request is written to the cookie at most this often


def begin(user: User) -> None:
    """Start a fresh session for `user` (nothing from before the login is kept)."""
    session.clear()
    # Flask-WTF keeps this request's CSRF token in `g` too; a page rendered after the login (the kept
    # form) must get a token of the new session.
    g.pop("csrf_token", None)
    login_user(user)
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def end_everywhere(user: User) -> None:
    """End this session and every copy of it and of the person's other sessions."""
    user.session_version += 1
    db.session.commit()
    end_here()


def end_here() -> None:
    logout_user()
    session.clear()


def idle_limit(user: User) -> int | None:
    """Seconds without a request after which the login ends, or None (young people and parents)."""
    if not user.needs_second_factor:
        return None
    return int(current_app.config["SESSION_IDLE_LIMIT"].total_seconds())


def ended() -> str | None:
    """Why the current login has just run out (too old, or idle too long), or None while it lasts;
    a lasting login's time of last request is brought up to date."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(time.time())
    login_at, seen_at = session.get(LOGIN_AT, 0), session.get(SEEN_AT, 0)
    limit = idle_limit(current_user)
    if now - login_at > current_app.config["SESSION_MAX_AGE"].total_seconds():
        return _("You have been logged in for 12 hours. Log in again to go on.")
    if limit is not None and now - seen_at > limit:
        return _("You were logged out because 30 minutes passed without anything happening.")
    if now - seen_at >= SEEN_EVERY:
        session[SEEN_AT] = now
    return None


def kept_fields() -> str:
    """What the request posted (but its CSRF token), with where it went, as JSON for the login form's
    hidden `kept` field: after the next login the person sends it again."""
    fields = [[name, value] for name, value in request.form.items(multi=True) if name != "csrf_token"]
    return json.dumps({"action": request.path, "fields": fields}, ensure_ascii=False)


def read_kept(value: str | None) -> tuple[str, list[tuple[str, str]]] | None:
    """The (action, fields) from a `kept` field, or None if it is empty or not what `kept_fields` makes."""
    try:
        kept = json.loads(value or "")
        action, fields = kept["action"], [(str(name), str(text)) for name, text in kept["fields"]]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(action, str) or safe_next(action, "") != action:  # a path on this site only
        return None
    return action, fields
