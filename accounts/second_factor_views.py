"""The second step of a professional's or an admin's login (a code from an app, or a recovery code),
setting the app up at the first login, and the admin's reset of it. accounts.login.finish_login
sends people here after the right password; a right code ends the login with accounts.login.end_login."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from access.policy import or_404, roles
from accounts import bp, second_factor, services, throttle
from accounts.forms import RecoveryCodeForm, SecondFactorCodeForm
from accounts.login import admin_page_posted_from, code_page, end_login, page, setup_page
from accounts.models import AccountEventKind, Role
from core.forms import EmptyForm
from core.render import redirect_to

CODE_ATTEMPTS = "5 per minute"  # per person, codes from the app and recovery codes together
ACCOUNT_EVENTS = {
    AccountEventKind.SECOND_FACTOR_SET_UP: _l("Set up the code app"),
    AccountEventKind.SECOND_FACTOR_RESET: _l("Second factor reset"),
    AccountEventKind.RECOVERY_CODE_USED: _l("Logged in with a recovery code"),
    AccountEventKind.PASSWORD_CHANGED: _l("Changed the password"),
    AccountEventKind.LOGGED_OUT_EVERYWHERE: _l("Logged out on all devices"),
    AccountEventKind.COPY_DOWNLOADED: _l("Downloaded their own copy"),
    AccountEventKind.PASSWORD_RESET: _l("Set a new password with a reset link or a login code"),
    AccountEventKind.LOGIN_CODE_MADE: _l("A new login code was made by the coordinator"),
}


def _start_again():
    flash(_("Log in with your password first. After that, the login waits a few minutes for the code."), "warning")
    return redirect(url_for("accounts.login"), code=303)


def _allowed(user) -> bool:
    """Count one code attempt (atomically, before it is checked); False when there were too many."""
    return throttle.allow(CODE_ATTEMPTS, "second-factor", str(user.id))


def _too_many() -> str:
    return _("Too many attempts. Wait a minute and try again.")


def _carried() -> str | None:
    """Where the login goes after the code: from the form, if it came with the forms, else the session."""
    return request.form.get("carried") or second_factor.carried_in_session()


def _finish(user, carried: str | None):
    """The code was right: the login ends where it was going."""
    return end_login(user, *second_factor.uncarry(carried))


def _logged_in():
    return redirect(url_for("accounts.index"))  # to the person's own page


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor_code():
    """Step 2 of logging in: the 6-digit code from the app on the person's phone."""
    if current_user.is_authenticated:
        return _logged_in()
    user = second_factor.pending_user()
    if user is None:
        return _start_again()
    if not user.totp_secret:
        return redirect(url_for("accounts.second_factor_setup"), code=303)
    form = SecondFactorCodeForm()
    error, status = None, 200
    if form.validate_on_submit():
        if not _allowed(user):
            error, status = _too_many(), 429
        elif second_factor.check_code(user, form.code.data):
            return _finish(user, _carried())
        else:
            error, status = _("This code does not work. Type the code the app shows now: each code works once."), 401
    elif form.errors:
        status = 400
    return code_page(form, RecoveryCodeForm(formdata=None), _carried(), error=error, status=status)


@bp.post("/login/recovery-code")
def recovery_code():
    """Step 2 of logging in without the phone: one of the person's recovery codes, each used once."""
    if current_user.is_authenticated:
        return _logged_in()
    user = second_factor.pending_user()
    if user is None:
        return _start_again()
    form = RecoveryCodeForm()
    error, status = None, 400
    if form.validate_on_submit():
        if not _allowed(user):
            error, status = _too_many(), 429
        elif second_factor.use_recovery_code(user, form.recovery_code.data):
            response = _finish(user, _carried())
            flash(_("You logged in with a recovery code. It cannot be used again."), "info")  # in the new session
            return response
        else:
            error, status = _("This recovery code does not work. It may be used already, or mistyped."), 401
    return code_page(SecondFactorCodeForm(formdata=None), form, _carried(), recovery_error=error, status=status)


@bp.route("/login/set-up", methods=["GET", "POST"])
def second_factor_setup():
    """First login of a professional or an admin: set up the app that makes the codes."""
    if current_user.is_authenticated:
        return _logged_in()
    user = second_factor.pending_user()
    if user is None:
        return _start_again()
    if user.totp_secret:
        return redirect(url_for("accounts.second_factor_code"), code=303)
    form = SecondFactorCodeForm()
    error, status = None, 200
    if form.validate_on_submit():
        if not _allowed(user):
            error, status = _too_many(), 429
        else:
            codes = second_factor.confirm_setup(user, second_factor.unconfirmed_secret(), form.code.data)
            if codes is not None:
                second_factor.mark_checked()
                # Shown once, as the answer to this form: the codes are never stored in plain.
                return page("accounts/recovery_codes.html", codes=codes, form=EmptyForm(), carried=_carried())
            error = _("This code does not work. Check that the app shows Stemme, and type the code it shows now.")
            status = 401
    elif form.errors:
        status = 400
    return setup_page(user, form, _carried(), error=error, status=status)


@bp.post("/login/set-up/done")
def second_factor_done():
    """After the recovery codes are written down, the login ends."""
    if current_user.is_authenticated:
        return _logged_in()
    user = second_factor.pending_user()
    if user is None or not second_factor.checked(user) or not EmptyForm().validate_on_submit():
        return _start_again()
    return _finish(user, _carried())


@bp.post("/admin/professionals/<int:user_id>/second-factor")
@roles(Role.ADMIN)
def reset_second_factor(user_id: int):
    """Reset a professional's second factor (a lost phone): logged, and every session of theirs ends."""
    user = or_404(services.professional(user_id))
    if EmptyForm().validate_on_submit():
        second_factor.reset(user, current_user)
        flash(_("The second factor of %(name)s is reset, and %(name)s is logged out everywhere. "
                "At the next login, %(name)s sets up the app again.", name=user.name), "success")
    return redirect_to(admin_page_posted_from())


@bp.app_template_filter()
def account_event(kind) -> str:
    """What an account event was, in the reader's language."""
    return str(ACCOUNT_EVENTS[AccountEventKind(kind)])
