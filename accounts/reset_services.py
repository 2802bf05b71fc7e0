"""Getting back in: a password-reset link by e-mail (professionals and parents with a confirmed e-mail
address), and a new one-time login code that a coordinator makes for a young person.

Both are rows of PasswordReset, single use, with only a SHA-256 stored. A link's token is 43
characters (secrets.token_urlsafe(32)), a code 12 (like an invitation's, accounts.services.new_code):
a link is looked up only as a link and a code only as a code, so neither works in the other's place.
The old password goes on working until the link or the code is used."""
import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from accounts import throttle
from accounts.models import AccountEventKind, Role, User
from accounts.passwords import hash_password
from accounts.services import (
    CODE_GROUP_LENGTH, CODE_GROUPS, INVITATION_VALID, code_hash, new_code, normalise_login, record_account_event,
)
from core.extensions import db
from core.i18n import DEFAULT_LOCALE
from core.models import utcnow
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeStatus, PasswordReset
from notices.sending import SendError, send_message

LINK_VALID = timedelta(minutes=30)
LINK_LENGTH = 43  # secrets.token_urlsafe(32)
CODE_LENGTH = CODE_GROUPS * CODE_GROUP_LENGTH
CODE_VALID = INVITATION_VALID  # given by hand, like an invitation: it may be typed days later
CODE_SESSION_KEY = "login_code_id"  # between typing the code and choosing the new password
MAY_RESET_BY_EMAIL = (Role.PROFESSIONAL, Role.PARENT)
# Each request sends an e-mail: fewer than the login's guesses, so that nobody can fill a person's
# inbox. Per address asked for, from one network; per address asked for, from anywhere; per network.
ASK_LIMITS = (("3 per 10 minutes", "reset-pair"), ("10 per day", "reset-pair"),
              ("5 per hour", "reset-email"), ("30 per hour", "reset-network"))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ask_refused(email: str, network: str) -> int:
    """Count one request for a link (accounts.throttle): 0 to go ahead, else the seconds to wait."""
    email = normalise_login(email)[:254]
    keys = {"reset-pair": (email, network), "reset-email": (email,), "reset-network": (network,)}
    return throttle.count([(limit, (name, *keys[name])) for limit, name in ASK_LIMITS])


def send_reset_links(email: str, link_for) -> int:
    """Send a reset link to every account whose confirmed e-mail contact is `email` (professionals and
    parents, active): `link_for(token)` makes the link. Each send is recorded as a notice with its
    outcome. Returns how many were sent; the page says the same whatever the number."""
    address = normalise_login(email)
    owners = db.session.execute(
        select(User, Contact.address).join(Contact, Contact.user_id == User.id)
        .where(Contact.channel == Channel.EMAIL, Contact.confirmed_at.is_not(None),
               func.lower(Contact.address) == address, User.active.is_(True), User.role.in_(MAY_RESET_BY_EMAIL))
        .order_by(User.id)).all()
    sent = 0
    for user, to in owners:
        sent += _send_link(user, to, link_for)
    return sent


def _send_link(user: User, to: str, link_for) -> bool:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    reset = PasswordReset(user_id=user.id, token_hash=_token_hash(token), expires_at=now + LINK_VALID, created_at=now)
    db.session.add(reset)
    db.session.flush()
    notice = Notice(user_id=user.id, kind=NoticeKind.PASSWORD_RESET, occasion=f"reset:{reset.id}",
                    channel=Channel.EMAIL, status=NoticeStatus.SENDING, due_at=now, created_at=now, taken_at=now,
                    attempts=1)
    db.session.add(notice)
    db.session.commit()  # the link works before the e-mail arrives
    with force_locale(user.locale or DEFAULT_LOCALE):
        subject = _("A new password for Stemme")
        body = _("Someone asked for a new password for your account in Stemme. Open this link within 30 "
                 "minutes to choose one:\n\n%(link)s\n\nThe link works once. If you did not ask for it, do "
                 "nothing: your password stays as it is.", link=link_for(token))
    try:
        send_message(Channel.EMAIL, to, subject, body)
    except SendError as error:
        notice.status, notice.error = NoticeStatus.FAILED, str(error)[:120]
    else:
        notice.status, notice.sent_at = NoticeStatus.SENT, utcnow()
    db.session.commit()
    return notice.status == NoticeStatus.SENT


def _usable(reset: PasswordReset | None) -> PasswordReset | None:
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    user = db.session.get(User, reset.user_id)
    return reset if user is not None and user.active else None


def usable_link(token: str) -> PasswordReset | None:
    """The reset for a link's token if it is unused and unexpired (and its account open), else None."""
    if len(token) != LINK_LENGTH:
        return None
    return _usable(db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token))))


def usable_code(code: str) -> PasswordReset | None:
    """The reset for a coordinator's login code if it is unused and unexpired, else None."""
    if len("".join(ch for ch in code if ch.isalnum())) != CODE_LENGTH:
        return None
    return _usable(db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == code_hash(code))))


def code_by_id(reset_id) -> PasswordReset | None:
    """Re-check a code held in the session between typing it and choosing the password."""
    return _usable(db.session.get(PasswordReset, reset_id)) if isinstance(reset_id, int) else None


def user_of(reset: PasswordReset) -> User:
    return db.session.get(User, reset.user_id)


def _close_open_ones(user_id: int, now: datetime) -> None:
    """Links and codes of `user_id` not used yet stop working (a newer one, or a new password, came)."""
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > now,
    ).values(expires_at=now))


def set_new_password(reset: PasswordReset, password: str) -> User | None:
    """Use the link or code up, once (a second use gets None), and set the new password: every
    login of the person ends, and other open links and codes stop working."""
    now = utcnow()
    used = db.session.execute(update(PasswordReset).where(
        PasswordReset.id == reset.id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > now,
    ).values(used_at=now))
    if used.rowcount != 1:
        db.session.rollback()
        return None
    _close_open_ones(reset.user_id, now)
    user = db.session.get(User, reset.user_id)
    user.password_hash = hash_password(password)
    user.session_version += 1
    record_account_event(user, user, AccountEventKind.PASSWORD_RESET)
    db.session.commit()
    return user


def make_login_code(pathway, by: User) -> tuple[str, datetime]:
    """A new one-time login code for the pathway's young person, who has an account: returns the code
    (shown once) and when it stops working. Earlier codes not used yet stop working; the pathway's
    history says who made it."""
    from pathways.models import EventKind
    from pathways.services import record_event

    young_person = pathway.young_person
    now = utcnow()
    code = new_code()
    _close_open_ones(young_person.user_id, now)
    db.session.add(PasswordReset(user_id=young_person.user_id, token_hash=code_hash(code),
                                 expires_at=now + CODE_VALID, created_at=now))
    record_event(pathway, EventKind.INVITATION_CREATED, by, young_person.name, "new_login_code")
    record_account_event(young_person.user, by, AccountEventKind.LOGIN_CODE_MADE)
    db.session.commit()
    return code, now + CODE_VALID
