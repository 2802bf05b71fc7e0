"""The second factor of a professional's or an admin's login (Normen): a TOTP app set up at the first
login, ten single-use recovery codes, and the admin's reset.

Between the password and the code the person is not logged in: the session holds a pending login
(their id with its session version, and when the password was right) that runs out after
PENDING_LIFETIME, and where the login goes after the code (accounts.login)."""
import time

import pyotp
import segno
from flask import current_app, session
from itsdangerous import BadSignature, URLSafeSerializer
from pyotp.exceptions import OTPVerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from accounts import services
from accounts.models import AccountEvent, AccountEventKind, RecoveryCode, User
from core.extensions import db
from core.models import utcnow

ISSUER = "Stemme"
PENDING_KEY = "pending_login"
PENDING_LIFETIME = 5 * 60  # seconds from the right password to the right code
# What waits for the code goes in the session cookie when it is this short (`next`, a short kept
# form); longer (a long text kept when the login ran out), it goes with the forms.
CARRIED_IN_SESSION = 1000
RECOVERY_CODE_COUNT = 10
# Four groups of services.new_code: 16 characters from 29 is about 78 bits, so a plain SHA-256
# (services.code_hash) is enough to store them (nobody can try them all).
RECOVERY_GROUPS = 4
RECENT_EVENTS = 10


# --- the pending login ------------------------------------------------------------------------

def hold(user: User, next_url: str | None, kept: str | None) -> str | None:
    """The password was right: remember who and when, and where the login goes after the code
    (`next_url`, or the `kept` form to send again). Returns None when that waits in the session,
    or, when it is too long for the session cookie, the signed text the second step's forms carry."""
    carried = carry(next_url, kept)
    in_session = len(carried) <= CARRIED_IN_SESSION
    session[PENDING_KEY] = {"user": user.get_id(), "at": int(time.time()), "checked": False,
                            "carried": carried if in_session else None}
    return None if in_session else carried


def pending_user() -> User | None:
    """The person whose password was right a moment ago, or None (no pending login, it ran out, or
    the account changed since: closed, or its sessions ended)."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if int(time.time()) - pending.get("at", 0) > PENDING_LIFETIME:
        forget_pending()
        return None
    user_id = str(pending.get("user", "")).partition(":")[0]
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or user.get_id() != pending["user"] or not user.active or not user.needs_second_factor:
        forget_pending()
        return None
    return user


def carried_in_session() -> str | None:
    return session[PENDING_KEY].get("carried")


def mark_checked() -> None:
    """The code was right (the recovery codes are being shown): the login may end now."""
    pending = {k: v for k, v in session[PENDING_KEY].items() if k != "secret"}
    session[PENDING_KEY] = {**pending, "checked": True, "at": int(time.time())}


def checked(user: User) -> bool:
    """True once the pending login of `user` has passed the second factor."""
    pending = session.get(PENDING_KEY)
    return (isinstance(pending, dict) and pending.get("checked") is True and pending.get("user") == user.get_id()
            and int(time.time()) - pending.get("at", 0) <= PENDING_LIFETIME)


def checked_elsewhere(user: User) -> None:
    """The second factor was checked by the login service itself (HelseID gives two factors): the
    next finish_login for `user` goes straight through. For an OpenID Connect callback (README)."""
    session[PENDING_KEY] = {"user": user.get_id(), "at": int(time.time()), "checked": True}


def forget_pending() -> None:
    session.pop(PENDING_KEY, None)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="stemme-second-factor-carried")


def carry(next_url: str | None, kept: str | None) -> str:
    """Where the login goes after the code, as one signed text: it may go with the second step's
    forms, and nobody can change it on the way."""
    return _serializer().dumps({"next": next_url, "kept": kept})


def uncarry(text: str | None) -> tuple[str | None, str | None]:
    """(next_url, kept) from `carry`; (None, None), the person's own page, if it is not what it made."""
    try:
        carried = _serializer().loads(text or "")
        return carried["next"], carried["kept"]
    except (BadSignature, ValueError, TypeError, KeyError):
        return None, None


# --- setting up the app -------------------------------------------------------------------------

def unconfirmed_secret() -> str:
    """The secret being set up, kept in the session (not in the database) until a code confirms it.
    The session cookie is signed, not encrypted: only the browser setting it up holds the key."""
    pending = session[PENDING_KEY]
    if not pending.get("secret"):
        pending = {**pending, "secret": pyotp.random_base32()}
        session[PENDING_KEY] = pending
    return pending["secret"]


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address the QR code holds: the app names the account "Stemme (email)"."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.login_name, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG data: address, made here (no third party ever sees the secret)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=4)


def confirm_setup(user: User, secret: str, code: str) -> list[str] | None:
    """Store `secret` if `code` is right for it, with new recovery codes (returned in plain, shown
    once); None if the code is wrong or the person's second factor was set up meanwhile."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    stored = db.session.execute(
        update(User).where(User.id == user.id, User.totp_secret.is_(None))
        .values(totp_secret=secret, totp_last_step=step)
    )
    if stored.rowcount != 1:
        db.session.rollback()
        return None
    codes = [services.new_code(RECOVERY_GROUPS) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=services.code_hash(plain)) for plain in codes)
    services.record_account_event(user, None, AccountEventKind.SECOND_FACTOR_SET_UP)
    db.session.commit()
    return codes


# --- checking a code ------------------------------------------------------------------------------

def clean_code(code: str) -> str:
    return "".join((code or "").split())


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (30 s) whose code `code` is, the one before or after now included; else None."""
    code = clean_code(code)
    totp = pyotp.TOTP(secret)
    if not (code.isdigit() and len(code) == totp.digits):
        return None
    try:
        # TOTP.verify(valid_window=1) that also says which step matched.
        return totp.verify_and_get_timecode(code, for_time=time.time() if now is None else now, valid_window=1)
    except OTPVerificationError:
        return None


def check_code(user: User, code: str) -> bool:
    """True if `code` is the app's code for now and its time step has not been used before (a code
    seen once, by someone looking over a shoulder, does not work again)."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None:
        return False
    # One statement that checks and records: two requests with the same code cannot both pass.
    accepted = db.session.execute(
        update(User).where(User.id == user.id, User.totp_secret == user.totp_secret,
                           (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    db.session.commit()
    return accepted.rowcount == 1


def use_recovery_code(user: User, code: str) -> bool:
    """True once for each of the person's recovery codes; the use is logged."""
    used = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == services.code_hash(code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        db.session.rollback()
        return False
    services.record_account_event(user, None, AccountEventKind.RECOVERY_CODE_USED)
    db.session.commit()
    return True


# --- the admin's reset ------------------------------------------------------------------------

def reset(user: User, by: User) -> None:
    """Forget the person's app and recovery codes (they set it up again at their next login) and end
    every session they have; logged with the admin who did it."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.totp_secret = None
    user.totp_last_step = None
    user.session_version = User.session_version + 1
    services.record_account_event(user, by, AccountEventKind.SECOND_FACTOR_RESET)
    db.session.commit()


def recent_events(limit: int = RECENT_EVENTS) -> list[AccountEvent]:
    """The newest account events, with the person and whoever did it (one query)."""
    return list(db.session.scalars(
        select(AccountEvent).options(joinedload(AccountEvent.user), joinedload(AccountEvent.by))
        .order_by(AccountEvent.at.desc(), AccountEvent.id.desc()).limit(limit)
    ))
