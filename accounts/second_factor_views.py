"""The second step of a professional's or an admin's login (a code from an app, or a recovery code),
setting the app up at the first login, and the admin's reset of it.

`second_factor_first` wraps accounts.views.finish_login, the one place a login ends: a professional
or an admin is sent here first, and what finish_login's caller passed (`next`, the kept form, …)
waits until the code is right. This module sits below accounts.views (which applies the wrapper),
so it reaches finish_login through the wrapper, never by importing it."""
import functools

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from access.policy import or_404, roles
from accounts import bp, second_factor, services, throttle
from accounts.forms import RecoveryCodeForm, SecondFactorCodeForm
from accounts.models import AccountEventKind, Role
from core.forms import EmptyForm
from core.render import redirect_to, render

CODE_ATTEMPTS = "5 per minute"  # per person, codes from the app and recovery codes together
# What finish_login's caller passed goes in the session cookie when it is this short (`next`, a
# short kept form); longer (a long text kept when the login ran out), it goes with the forms.
CARRIED_IN_SESSION = 1000
ACCOUNT_EVENTS = {
    AccountEventKind.SECOND_FACTOR_SET_UP: _l("Set up the code app"),
    AccountEventKind.SECOND_FACTOR_RESET: _l("Second factor reset"),
    AccountEventKind.RECOVERY_CODE_USED: _l("Logged in with a recovery code"),
    AccountEventKind.PASSWORD_CHANGED: _l("Changed the password"),
    AccountEventKind.LOGGED_OUT_EVERYWHERE: _l("Logged out on all devices"),
}


def _page(template: str, status: int = 200, **context):
    # The person is not logged in yet, so set_security_headers does not add this: a secret, a code
    # or a recovery code on the page must not be kept by the browser (shared computers).
    response = render(template, status=status, **context)
    response.headers["Cache-Control"] = "no-store"
    return response


def _start_again():
    flash(_("Log in with your password first. After that, the login waits a few minutes for the code."), "warning")
    return redirect(url_for("accounts.login"), code=303)


def _allowed(user) -> bool:
    """Count one code attempt (atomically, before it is checked); False when there were too many."""
    return throttle.allow(CODE_ATTEMPTS, "second-factor", str(user.id))


def _too_many() -> str:
    return _("Too many attempts. Wait a minute and try again.")


_ends_login = {}  # "finish_login": accounts.views.finish_login itself, kept by second_factor_first


def second_factor_first(finish_login):
    """Make `finish_login` ask a professional or an admin for the second factor first. Young people
    and parents, and a login whose second factor was checked elsewhere (HelseID), go straight through."""
    _ends_login["finish_login"] = finish_login

    @functools.wraps(finish_login)
    def wrapper(user, *args, **kwargs):
        if not user.needs_second_factor or second_factor.checked(user):
            return finish_login(user, *args, **kwargs)
        carried = second_factor.carry(args, kwargs)
        if len(carried) > CARRIED_IN_SESSION:
            # Too much for the session cookie: the second step's page comes now, carrying it.
            second_factor.hold(user)
            return _second_step_page(user, carried)
        second_factor.hold(user, carried)
        return redirect(url_for("accounts.second_factor_code" if user.totp_secret
                                else "accounts.second_factor_setup"), code=303)

    return wrapper


def _carried() -> str | None:
    """What finish_login's caller passed: from the form, if it came with the forms, else the session."""
    return request.form.get("carried") or second_factor.carried_in_session()


def _finish(user, carried: str | None):
    """The code was right: the login ends as its caller asked."""
    found = second_factor.uncarry(carried)
    if found is None:  # not what carry made (or nothing at all): the person's own page
        found = ([None], {})  # finish_login(user, next_url=None)
    args, kwargs = found
    return _ends_login["finish_login"](user, *args, **kwargs)


def _second_step_page(user, carried):
    if user.totp_secret:
        return _code_page(SecondFactorCodeForm(formdata=None), RecoveryCodeForm(formdata=None), carried)
    return _setup_page(user, SecondFactorCodeForm(formdata=None), carried)


def _setup_page(user, form, carried, error=None, status=200):
    secret = second_factor.unconfirmed_secret()
    uri = second_factor.provisioning_uri(user, secret)
    return _page("accounts/second_factor_setup.html", form=form, error=error, secret=secret,
                 qr=second_factor.qr_data_uri(uri), carried=carried, status=status)


def _code_page(code_form, recovery_form, carried, error=None, recovery_error=None, status=200):
    return _page("accounts/second_factor.html", form=code_form, recovery_form=recovery_form, error=error,
                 recovery_error=recovery_error, carried=carried, status=status)


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
    return _code_page(form, RecoveryCodeForm(formdata=None), _carried(), error=error, status=status)


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
    return _code_page(SecondFactorCodeForm(formdata=None), form, _carried(), recovery_error=error, status=status)


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
                return _page("accounts/recovery_codes.html", codes=codes, form=EmptyForm(), carried=_carried())
            error, status = _("This code does not work. Check that the app shows Stemme, and type the code it shows now."), 401
    elif form.errors:
        status = 400
    return _setup_page(user, form, _carried(), error=error, status=status)


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
    return redirect_to(url_for("accounts.admin"))


@bp.app_template_filter()
def account_event(kind) -> str:
    """What an account event was, in the reader's language."""
    return str(ACCOUNT_EVENTS[AccountEventKind(kind)])
