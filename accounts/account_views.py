"""A person's own account: a new password, logging out on every device, staying logged in."""
from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import roles
from accounts import bp, services, sessions, throttle
from accounts.forms import PasswordChangeForm
from accounts.models import AccountEventKind, Role
from core.extensions import htmx
from core.forms import EmptyForm
from core.render import redirect_to, render

EVERYONE = (Role.YOUNG_PERSON, Role.PARENT, Role.PROFESSIONAL, Role.ADMIN)


@bp.get("/account")
@roles(*EVERYONE)
def account():
    """The person's account: who they are logged in as, a new password, log out everywhere."""
    return render("accounts/account.html", form=PasswordChangeForm(formdata=None), everywhere=EmptyForm())


@bp.post("/account/password")
@roles(*EVERYONE)
def change_password():
    """Choose a new password: every other copy of the login ends, this one goes on."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not throttle.allow("5 per minute", "password-change", str(current_user.id)):
            form.current.errors.append(_("Too many attempts. Wait a minute and try again."))
        elif not services.change_password(current_user, form.current.data, form.password.data):
            form.current.errors.append(_("This is not your password now. Try again."))
        else:
            user = current_user._get_current_object()
            sessions.begin(user)  # the session version changed: a new cookie for this device
            flash(_("Your password is changed. You are logged out on your other devices."), "success")
            return redirect_to(url_for("accounts.account"))
    return render("accounts/account.html", form=form, everywhere=EmptyForm(), status=400)


@bp.post("/account/logout-everywhere")
@roles(*EVERYONE)
def logout_everywhere():
    """Log out on every device where this account is logged in, this one too."""
    if EmptyForm().validate_on_submit():
        services.record_account_event(current_user, current_user, AccountEventKind.LOGGED_OUT_EVERYWHERE)
        sessions.end_everywhere(current_user)
        flash(_("You are logged out on all your devices."), "info")
        return redirect_to(url_for("accounts.login"))
    return redirect_to(url_for("accounts.account"))


@bp.post("/account/still-here")
@roles(*EVERYONE)
def still_here():
    """The answer to "you will soon be logged out": the request itself keeps the login going."""
    if htmx:
        return "", 204
    return redirect_to(url_for("accounts.index"))
