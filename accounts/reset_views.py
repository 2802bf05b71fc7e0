"""Getting back in: "Forgot your password?" (a link by e-mail), the link's page, and a coordinator's
new login code for a young person, used at the invitation page (accounts.reset_services)."""
from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from access.policy import on_team
from accounts import bp, reset_services, throttle
from accounts.forms import ForgotPasswordForm, NewPasswordForm
from accounts.login import finish_login
from core.forms import EmptyForm
from core.render import render


def _no_store(response):
    # A page that holds a secret (the link's token, a login code) is not kept by the browser.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a link to choose a new password; the answer is the same whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        wait = reset_services.ask_refused(form.email.data, request.remote_addr or "unknown")
        if wait:
            error = _("Too many requests for a new password. Wait %(wait)s and try again.",
                      wait=throttle.wait_text(wait))
            response = render("accounts/forgot_password.html", form=form, error=error, sent=False, status=429)
            response.headers["Retry-After"] = str(wait)
            return response
        reset_services.send_reset_links(
            form.email.data, lambda token: url_for("accounts.reset_password", token=token, _external=True))
        return redirect(url_for("accounts.forgot_password", sent=1), code=303)
    sent = request.method == "GET" and request.args.get("sent") == "1"
    return render("accounts/forgot_password.html", form=form, error=None, sent=sent,
                  status=400 if form.errors else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with the link from the e-mail (once, within 30 minutes)."""
    reset = reset_services.usable_link(token)
    if reset is None:
        return _no_store(render("accounts/link_used.html", status=410))
    form = NewPasswordForm()
    if form.validate_on_submit():
        if reset_services.set_new_password(reset, form.password.data) is None:
            return _no_store(render("accounts/link_used.html", status=410))
        flash(_("Your password is changed. Log in with the new password."), "success")
        return redirect(url_for("accounts.login"), code=303)
    return _no_store(render("accounts/reset_password.html", form=form, action=request.path, username=None,
                            status=400 if form.errors else 200))


@bp.route("/password/new", methods=["GET", "POST"])
def new_password():
    """Choose a new password after typing a login code from the coordinator at the invitation page."""
    reset = reset_services.code_by_id(session.get(reset_services.CODE_SESSION_KEY))
    if reset is None:
        session.pop(reset_services.CODE_SESSION_KEY, None)
        flash(_("Type the code you were given first."), "warning")
        return redirect(url_for("accounts.invitation"), code=303)
    user = reset_services.user_of(reset)
    form = NewPasswordForm()
    if form.validate_on_submit():
        changed = reset_services.set_new_password(reset, form.password.data)
        session.pop(reset_services.CODE_SESSION_KEY, None)
        if changed is None:
            flash(_("This code does not work any more. Ask for a new one."), "warning")
            return redirect(url_for("accounts.invitation"), code=303)
        throttle.remember_device(changed)  # chosen on this phone: the person's own
        flash(_("Your new password is saved."), "success")
        return finish_login(changed, None)
    return _no_store(render("accounts/reset_password.html", form=form, action=url_for("accounts.new_password"),
                            username=user.username, status=400 if form.errors else 200))


@bp.post("/pathways/<int:pathway_id>/login-code")
@on_team(coordinator=True)
def new_login_code(pathway):
    """The coordinator makes a new one-time login code for the young person, shown once."""
    if pathway.young_person.user_id is None:
        abort(404)  # no account yet: an invitation is what they need
    if not EmptyForm().validate_on_submit():
        abort(400)
    code, expires_at = reset_services.make_login_code(pathway, current_user)
    return _no_store(render("accounts/login_code.html", pathway=pathway, name=pathway.young_person.name, code=code,
                            expires_at=expires_at, redeem_url=url_for("accounts.invitation", _external=True)))
