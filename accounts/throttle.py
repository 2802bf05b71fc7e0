"""Throttling of guesses (passwords, invitation codes, second-factor codes) with Flask-Limiter's
counters: each attempt is counted atomically before it is checked, so concurrent guesses cannot
slip past the limit. The counters are moving windows (core.extensions), in this process's memory
or, when REDIS_URL is set, in Redis, so that every app process counts together.

The login rule (accounts.services.authenticate), chosen to slow guessing down without letting
anyone lock a person out:

- An attempt is counted for the account together with the address it comes from, in four stacked
  windows: 5 a minute, 10 in 10 minutes, 20 an hour, 40 a day (PAIR_LIMITS). The waits grow: the
  6th attempt in a minute waits until the first is a minute old, the 11th until the first of the ten
  is ten minutes old, and so on; one address gets at most 40 guesses a day at one account. A right
  password clears the pair's windows: a person's own typos never pile up.
- What many people share has windows of one minute only, so that someone else's failures can
  refuse a right password for a minute at the most: 10 attempts a minute at one account from all
  addresses together (ACCOUNT_LIMIT, against a guesser with many addresses), and 60 a minute from
  one address at all accounts (ADDRESS_LIMIT: a whole school can sit behind one address). Each
  refusal lasts a minute at most; a guesser with many addresses who refills them minute after
  minute can keep new browsers waiting for as long as that goes on, never the person's own.
- A refused attempt fills no window: a guesser who keeps pressing does not push their wait further.
- A browser where the right password for an account has been typed (or the account was made from
  an invitation) carries a signed device cookie naming that account. Its attempts are counted for
  the account together with that device, in the same four windows, and against nothing else: a
  classmate guessing on the school's network, or a guesser anywhere, cannot slow the person down on
  their own phone at all. (Without the cookie, on a browser never used for the account, a guesser
  at the same address and the person are the same pair and share its waits: nothing tells them
  apart.)
- An attempt is counted before the password is checked: of 40 guesses sent at the same moment, 5
  reach the password check and 35 are told to wait (429 with Retry-After).

Invitation codes: see invitation_code_refused.
"""
import hashlib
import hmac
import math
import secrets
import time
from datetime import timedelta

from flask import after_this_request, current_app, has_app_context, request
from flask_babel import format_timedelta
from itsdangerous import BadSignature, URLSafeSerializer
from limits import RateLimitItem, parse

from core.extensions import limiter

PAIR_LIMITS = ("5 per minute", "10 per 10 minutes", "20 per hour", "40 per day")
ACCOUNT_LIMIT = "10 per minute"
ADDRESS_LIMIT = "60 per minute"
# Wrong invitation codes from one address (see invitation_code_refused).
WRONG_CODE_LIMIT = "30 per minute"

DEVICE_COOKIE = "stemme_device"
DEVICE_COOKIE_AGE = 365 * 24 * 3600
DEVICE_ACCOUNTS = 5  # a shared family phone: the accounts it remembers, newest first


def _namespace() -> str:
    # Several deployments can share one Redis: each counts under its own prefix.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") if has_app_context() else None
    return prefix or "stemme"


def allow(limit: str, *keys: str) -> bool:
    """Count one attempt against `limit` (e.g. "5 per minute") for `keys`; False once it is used up."""
    return limiter.limiter.hit(parse(limit), _namespace(), *keys)


def wait_seconds(limit: str | RateLimitItem, *keys: str) -> int:
    """How long until `limit` for `keys`, used up, takes one attempt more (at least 1 second)."""
    item = parse(limit) if isinstance(limit, str) else limit
    reset = limiter.limiter.get_window_stats(item, _namespace(), *keys).reset_time
    return max(1, math.ceil(reset - time.time()))


def wait_text(seconds: int) -> str:
    """How long to wait, in the reader's language, rounded up: "45 sekund", "10 minutt", "1 time"."""
    for unit in (86400, 3600, 60):
        if seconds > unit:
            seconds = math.ceil(seconds / unit) * unit
            break
    return format_timedelta(timedelta(seconds=seconds), threshold=1, add_direction=False)


def count(rules) -> int:
    """Count one attempt against every (limit, keys) in `rules`: 0 when each took it, else the
    seconds until all of them take one more.

    Full limits are looked for first, without counting, so that a refused attempt fills no window
    (a guesser who keeps pressing does not push their own wait further, nor fill the limits others
    share). Then each limit is counted atomically; one filled by a concurrent attempt in between
    refuses this one."""
    items = [(parse(limit), keys) for limit, keys in rules]
    if waits := _waits(items):
        return max(waits)
    for item, keys in items:
        if not limiter.limiter.hit(item, _namespace(), *keys):
            return max(_waits(items) or [wait_seconds(item, *keys)])
    return 0


def _waits(items) -> list[int]:
    """The waits of the limits that are used up (a limit with room has none)."""
    return [wait_seconds(item, *keys) for item, keys in items if not limiter.limiter.test(item, _namespace(), *keys)]


def account_key(user, login: str) -> str:
    """The account an attempt is at: the user (by email and by username alike), or what was typed."""
    return f"user:{user.id}" if user is not None else "login:" + login[:280]


def login_attempt(account: str, address: str, device: str | None) -> int:
    """Count a login attempt by the rule above: 0 to go ahead and check the password, else the
    seconds to wait."""
    if device is not None:
        return count([(limit, ("login-device", account, device)) for limit in PAIR_LIMITS])
    return count([(limit, ("login-pair", account, address)) for limit in PAIR_LIMITS]
                 + [(ACCOUNT_LIMIT, ("login-account", account)), (ADDRESS_LIMIT, ("login-address", address))])


def login_succeeded(account: str, address: str, device: str | None, user) -> None:
    """A right password: the pair's (or device's) windows start again, and this browser is known."""
    keys = ("login-device", account, device) if device is not None else ("login-pair", account, address)
    for text in PAIR_LIMITS:
        limiter.limiter.clear(parse(text), _namespace(), *keys)
    remember_device(user)


def invitation_code_refused(address: str) -> int:
    """A wrong invitation code from `address`: 0 to say so, or the seconds to wait once 30 wrong
    codes in a minute have come from there.

    The code is looked up first and a right one is always taken, whatever others at the same address
    typed: a code is 12 characters from 29 (about 58 bits), valid 14 days and used once, so even at
    1,000 guesses a second for its whole life, against 10,000 open invitations at once, a guesser
    finds one with a chance of about 1 in 30,000. Any limit a right code had to pass could only
    lock out the person holding it (a school or a family behind one address). The count of wrong
    codes makes a flood from one address get short 429 answers and shows up as such."""
    return count([(WRONG_CODE_LIMIT, ("invitation-wrong", address))])


# --- the device cookie ------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="stemme-login-device")


def _tag(user_id: int) -> str:
    """The account as the cookie names it: not its id, which is nobody's business on a shared phone."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"device-account:{user_id}".encode(), hashlib.sha256).hexdigest()[:16]


def _device_cookie() -> dict | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("d"), str) and isinstance(value.get("a"), list)):
        return None
    return value


def known_device(user) -> str | None:
    """The id of this browser if the right password for `user` has been typed on it, else None."""
    value = _device_cookie()
    if user is None or value is None or _tag(user.id) not in value["a"]:
        return None
    return value["d"]


def remember_device(user) -> None:
    """Set (or extend) the device cookie with `user` on the response to this request."""
    value = _device_cookie() or {"d": secrets.token_urlsafe(16), "a": []}
    tag = _tag(user.id)
    accounts = [tag] + [other for other in value["a"] if other != tag][:DEVICE_ACCOUNTS - 1]
    signed = _serializer().dumps({"d": value["d"], "a": accounts})

    @after_this_request
    def set_cookie(response):
        response.set_cookie(DEVICE_COOKIE, signed, max_age=DEVICE_COOKIE_AGE, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response
