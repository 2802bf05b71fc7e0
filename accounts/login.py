"""How a login ends, written once for every way in (the login form, a redeemed invitation, the
second factor, and an OpenID Connect callback if one comes: README).

`finish_login` is called once the password is right. A professional or an admin then gives the
second factor first (accounts.second_factor_views), and what the caller passed (`next`, the kept
form) waits in the pending login. `end_login` starts the session: a fresh one, the person's
language, and their page, or what they wrote when their last login ran out, to send again."""
from flask import current_app, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from accounts import second_factor, services, sessions
from accounts.forms import RecoveryCodeForm, SecondFactorCodeForm
from accounts.models import Role
from core.i18n import LANG_COOKIE
from core.kept_form import kept_form_page
from core.render import render
from core.security import safe_next


def home_url(user) -> str:
    """Where each role starts."""
    return {
        Role.PROFESSIONAL: url_for("pathways.worklist"),
        Role.YOUNG_PERSON: url_for("youth.home"),
        Role.PARENT: url_for("youth.parent_home"),
        Role.ADMIN: url_for("accounts.admin"),
    }[user.role]


def admin_page_posted_from() -> str:
    """The page of the admin's list (its search and page) that a button was pressed on, from the
    form's `next` field; else the list's first page."""
    first = url_for("accounts.admin")
    target = safe_next(request.form.get("next"), first)
    return target if target.partition("?")[0] == first else first


def remember_locale(response, locale: str):
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def finish_login(user, next_url: str | None = None, kept: str | None = None):
    """The password (or the invitation) was right: professionals and admins go on to the second
    factor, everyone else is logged in."""
    if not user.needs_second_factor or second_factor.checked(user):
        return end_login(user, next_url, kept)
    carried = second_factor.hold(user, next_url, kept)
    if carried is not None:
        # Too long for the session cookie (a long kept text): the second step's page comes now, and
        # what waits goes with its forms, signed.
        return second_step_page(user, carried)
    return redirect(url_for("accounts.second_factor_code" if user.totp_secret
                            else "accounts.second_factor_setup"), code=303)


def end_login(user, next_url: str | None = None, kept: str | None = None):
    """Every factor was right: a fresh session, the person's language, then their page, or what
    they wrote when their last login ran out, to send again."""
    sessions.begin(user)
    if not user.locale:
        # The language the person was reading in (cookie or browser) becomes their choice.
        services.set_locale(user, str(get_locale()))
    found = sessions.read_kept(kept)
    if found is not None:
        response = kept_form_page(*found, title=_("Send what you wrote"),
                                  message=_("You were logged out before it was sent. Check it and send it again."),
                                  status=200)
    else:
        response = redirect(safe_next(next_url, home_url(user)), code=303)
    return remember_locale(response, user.locale)


# --- the second step's pages (accounts.second_factor_views) -----------------------------------------

def page(template: str, status: int = 200, **context):
    """A page of the second step. The person is not logged in yet, so set_security_headers does not
    add this: a secret, a code or a recovery code on the page must not be kept (shared computers)."""
    response = render(template, status=status, **context)
    response.headers["Cache-Control"] = "no-store"
    return response


def second_step_page(user, carried: str | None):
    """The code page, or the set-up page when the person has no app yet."""
    if user.totp_secret:
        return code_page(SecondFactorCodeForm(formdata=None), RecoveryCodeForm(formdata=None), carried)
    return setup_page(user, SecondFactorCodeForm(formdata=None), carried)


def setup_page(user, form, carried, error=None, status=200):
    secret = second_factor.unconfirmed_secret()
    uri = second_factor.provisioning_uri(user, secret)
    return page("accounts/second_factor_setup.html", form=form, error=error, secret=secret,
                qr=second_factor.qr_data_uri(uri), carried=carried, status=status)


def code_page(code_form, recovery_form, carried, error=None, recovery_error=None, status=200):
    return page("accounts/second_factor.html", form=code_form, recovery_form=recovery_form, error=error,
                recovery_error=recovery_error, carried=carried, status=status)
