"""How long a login lasts, and how it ends.

A login is Flask-Login's session (the user's id and session version, see User.get_id) plus two times
kept beside it in the signed cookie: when the person logged in and when they last did something.
Everyone's login ends after SESSION_MAX_AGE; a professional's or an admin's also after
SESSION_IDLE_LIMIT without a request. Raising User.session_version ends every copy of the cookie."""
import time

from flask import session
from flask_login import login_user

from accounts.models import User

LOGIN_AT, SEEN_AT = "login_at", "seen_at"


def begin(user: User) -> None:
    """Start a fresh session for `user` (nothing from before the login is kept)."""
    session.clear()
    login_user(user)
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
