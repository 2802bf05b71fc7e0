"""Language choice (nynorsk / bokmål) and the time zone, for Flask-Babel."""
from flask import request
from flask_login import current_user

LOCALES = ("nn", "nb")
DEFAULT_LOCALE = "nb"
LANG_COOKIE = "stemme_lang"
TIMEZONE = "Europe/Oslo"

# Babel's best_match does not know that Norwegian (`no`) is written in bokmål by default.
_PRIMARY = {"nn": "nn", "nb": "nb", "no": "nb"}


def in_locale(nn: str, nb: str) -> str:
    """The nynorsk or the bokmål text of data kept in both (templates, step names), by the
    reader's language: bokmål unless it is nynorsk."""
    from flask_babel import get_locale

    locale = get_locale()  # its language, not str(locale): that builds the name anew on every call
    return nn if locale is not None and locale.language == "nn" else nb


def locale_from_accept_language(accept_languages) -> str | None:
    """The first of nn/nb that the browser's Accept-Language names (highest quality first)."""
    for tag, _quality in accept_languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in _PRIMARY:
            return _PRIMARY[primary]
    return None


def select_locale() -> str:
    """The user's saved choice, then the cookie, then Accept-Language, then bokmål."""
    if current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LOCALES:
        return cookie
    return locale_from_accept_language(request.accept_languages) or DEFAULT_LOCALE


def select_timezone() -> str:
    """Everyone in Stemme lives in Norway."""
    return TIMEZONE
