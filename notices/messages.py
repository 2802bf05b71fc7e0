"""The words of each notice, in the recipient's language (nn or nb), for e-mail and SMS.

A notice says only that something is waiting in Stemme and where to log in: never health information,
never a name, never what anyone wrote, never a service (a lock screen, or a shared inbox, can be read
by others). The same safe text goes by e-mail and by SMS. Every message ends with the link that stops
all notices (`stop_url`), which works without logging in and never expires."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext as _, ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from notices.models import NoticeKind

DEFAULT_LOCALE = "nb"
STOP_SALT = "stop-notices"
LOGIN_PATH = "/login"


@dataclass(frozen=True)
class Message:
    subject: str  # e-mail only
    body: str  # the e-mail's plain text
    sms: str
    stop_url: str


def _public(path: str) -> str:
    """An address on the public site: the worker has no request to take it from (config PUBLIC_URL)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def _stop_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=STOP_SALT)


def stop_url(user_id: int) -> str:
    """The link in every message that stops all notices to `user_id` (the route `notices.stop`)."""
    return _public(f"/notices/stop/{_stop_serializer().dumps(user_id)}")


def stop_token_user(token: str) -> int | None:
    """The user id a stop link was made for, or None if the token was not made by us."""
    try:
        user_id = _stop_serializer().loads(token)
    except BadSignature:
        return None
    return user_id if isinstance(user_id, int) else None


def _meeting_sentence(days: int) -> str:
    if days <= 0:
        return _("You have a meeting in Stemme today.")
    if days == 1:
        return _("You have a meeting in Stemme tomorrow.")
    return ngettext("You have a meeting in Stemme in %(num)d day.", "You have a meeting in Stemme in %(num)d days.", days)


def _what(kind: NoticeKind, login: str, days: int | None, prepared: bool | None) -> str:
    """The one or two sentences that say what is waiting, with the link to log in."""
    if kind == NoticeKind.MEETING_SOON:
        then = (_("Log in to see it: %(link)s", link=login) if prepared
                else _("Log in to prepare for it: %(link)s", link=login))
        return f"{_meeting_sentence(days or 0)} {then}"
    if kind == NoticeKind.RATING_WAITING:
        return _("You have questions waiting in Stemme. Log in to answer them: %(link)s", link=login)
    if kind == NoticeKind.AGREEMENT_ANSWER:
        return _("Something agreed at a meeting is waiting for your answer in Stemme. Log in to answer: %(link)s",
                 link=login)
    if kind == NoticeKind.FAMILY_QUESTION:
        return _("Someone on one of your pathways is waiting for an answer from you in Stemme. "
                 "Log in to see it: %(link)s", link=login)
    if kind == NoticeKind.NEW_INPUT:
        return _("There is new input on your pathways in Stemme. Log in to read it: %(link)s", link=login)
    raise ValueError(f"no reminder text for {kind}")


def compose(kind: NoticeKind, user_id: int, locale: str | None, *, days: int | None = None,
            prepared: bool | None = None) -> Message:
    """The message for one reminder to `user_id`, in `locale` (bokmål if they have not chosen).
    A meeting reminder says in how many `days` (Oslo dates) it is, and asks the person to prepare
    unless they have (`prepared`)."""
    stop = stop_url(user_id)
    with force_locale(locale or DEFAULT_LOCALE):
        what = _what(kind, _public(LOGIN_PATH), days, prepared)
        stop_line = _("To stop all notices from Stemme: %(link)s", link=stop)
        subject = _("Reminder from Stemme")
        automatic = _("This message was sent automatically. Please do not reply to it.")
    return Message(subject=subject, body=f"{what}\n\n{automatic}\n{stop_line}\n", sms=f"{what}\n{stop_line}",
                   stop_url=stop)
