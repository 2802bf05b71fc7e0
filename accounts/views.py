"""Views for logging in and out, redeeming invitations, choosing a language, and admin pages."""
from datetime import datetime, time, timedelta

from flask import flash, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from access.policy import or_404, roles
from accounts import bp, reset_services, services, sessions, throttle
from accounts.forms import (
    CodeForm, LanguageForm, LoginForm, NewAccountForm, ProfessionalForm, ProfessionalSearchForm, ServiceForm,
)
from accounts.models import SERVICE_KINDS, Role, ServiceKind
from accounts.second_factor import recent_events
from accounts.login import admin_page_posted_from, finish_login, home_url, remember_locale
from core.extensions import htmx
from core.forms import EmptyForm, Form, plausible_date
from core.i18n import LOCALES
from core.models import OSLO
from core.render import redirect_to, render
from core.security import safe_next

INVITATION_SESSION_KEY = "invitation_id"


def client_address() -> str:
    return request.remote_addr or "unknown"


def retry_after(response, seconds: int):
    """A 429 page that says when to try again, for people and for scripts."""
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.before_app_request
def end_a_login_that_ran_out():
    """Before every request: a login past its time ends (accounts.sessions). A form posted after it
    ran out comes back after the next login, to be sent again."""
    reason = sessions.ended()
    if reason is None:
        return None
    kept = sessions.kept_fields() if request.method == "POST" and request.form and not htmx else None
    sessions.end_here()
    if kept is not None:
        return login_page(notice=reason, kept=kept, status=401)
    flash(reason, "warning")
    target = url_for("accounts.login", next=request.full_path if request.query_string else request.path)
    return redirect_to(target) if htmx else redirect(target)


@bp.get("/")
def index():
    """Send people to their own start page, or to the login page."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    return redirect(url_for("accounts.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with a username or an email address and a password."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    if form.validate_on_submit():
        result = services.authenticate(form.login.data, form.password.data, client_address())
        if result.user:
            return finish_login(result.user, form.next.data, form.kept.data)
        if result.wait:
            error = _("Too many attempts to log in to this account. Wait %(wait)s and try again. "
                      "This stops others from guessing passwords.", wait=throttle.wait_text(result.wait))
            return retry_after(login_page(form, error=error, status=429), result.wait)
        error = _("We could not log you in. Check the username or email and the password.")
    return login_page(form, error=error, status=401 if error else 200)


def login_page(form=None, error=None, notice=None, kept=None, status=200):
    """The login form; `kept`: what the person posted when their login ran out, sent again after."""
    form = form or LoginForm(formdata=None)
    if kept is not None:
        form.kept.data = kept
    return render("accounts/login.html", form=form, error=error, notice=notice, status=status)


def _current_locale() -> str:
    return str(get_locale())


@bp.post("/logout")
def logout():
    """Log out: this session and every copy of it end (shared phones)."""
    if current_user.is_authenticated:
        sessions.end_everywhere(current_user)
    sessions.end_here()
    flash(_("You are logged out."), "info")
    return redirect_to(url_for("accounts.login"))


@bp.post("/language")
def language():
    """Choose nynorsk or bokmål; kept on the profile and in a cookie."""
    form = LanguageForm()
    target = safe_next(form.next.data, url_for("accounts.index"))
    if not form.validate_on_submit() or form.lang.data not in LOCALES:
        return redirect(target, code=303)
    if current_user.is_authenticated:
        services.set_locale(current_user, form.lang.data)
    return remember_locale(redirect(target, code=303), form.lang.data)


@bp.route("/invitation", methods=["GET", "POST"])
def invitation():
    """Step 1 of making an account: type the code from the invitation."""
    form = CodeForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    error = None
    if form.validate_on_submit():
        # A right code is always taken, whatever others at this address typed (throttle.py says why).
        found = services.usable_invitation(form.code.data)
        if found is not None:
            session[INVITATION_SESSION_KEY] = found.id
            return redirect(url_for("accounts.new_account"), code=303)
        login_code = reset_services.usable_code(form.code.data)  # a new login code from the coordinator
        if login_code is not None:
            session[reset_services.CODE_SESSION_KEY] = login_code.id
            return redirect(url_for("accounts.new_password"), code=303)
        wait = throttle.invitation_code_refused(client_address())
        if wait:
            error = _("Too many codes that do not work have been tried from this network. Wait %(wait)s "
                      "and try again.", wait=throttle.wait_text(wait))
            return retry_after(render("accounts/invitation.html", form=form, error=error, status=429), wait)
        # The same words for a wrong, a used and an expired code: nothing to learn by guessing.
        error = _("This code does not work. Check that you typed it right. If it still does not work, "
                  "ask the person who gave it to you for a new one.")
    return render("accounts/invitation.html", form=form, error=error, status=400 if error else 200)


@bp.route("/invitation/account", methods=["GET", "POST"])
def new_account():
    """Step 2 of making an account: choose a username and a password."""
    found = services.invitation_by_id(session.get(INVITATION_SESSION_KEY))
    if found is None:
        session.pop(INVITATION_SESSION_KEY, None)
        flash(_("Type the code from your invitation first."), "warning")
        return redirect(url_for("accounts.invitation"), code=303)
    form = NewAccountForm()
    if form.validate_on_submit():
        if services.username_taken(form.username.data):
            form.username.errors.append(_("This username is taken. Choose another one."))
        else:
            user = services.redeem_invitation(found, form.username.data, form.password.data, _current_locale())
            session.pop(INVITATION_SESSION_KEY, None)
            if user is None:
                flash(_("This code does not work any more. Ask for a new one."), "warning")
                return redirect(url_for("accounts.invitation"), code=303)
            throttle.remember_device(user)  # made on this phone: the person's own
            return finish_login(user, None)
    return render("accounts/new_account.html", form=form, invitation=found)


# --- admin ------------------------------------------------------------------------------------

@bp.get("/admin")
@roles(Role.ADMIN)
def admin():
    """The admin's overview: services, professional accounts a page at a time (?q= searches their
    names and emails, ?page=N; a page number that is no number, or below 1, is page 1)."""
    form = ProfessionalSearchForm(request.args)
    search = (form.q.data or "") if form.validate() else ""
    listing = services.professionals_page(search, request.args.get("page", 1, type=int))
    return render("admin/index.html", services=services.all_services(), form=form, search=search,
                  listing=listing, events=recent_events(), status=200 if not form.errors else 400)


@bp.route("/admin/services/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new_service():
    """Add a service (BUP, school health, PPT, …)."""
    form = ServiceForm()
    if form.validate_on_submit():
        if services.service_name_taken(form.name.data):
            form.name.errors.append(_("There is already a service with this name."))
        else:
            service = services.create_service(form.name.data, ServiceKind(form.kind.data), form.municipality.data)
            flash(_("%(name)s is added.", name=service.name), "success")
            return redirect_to(url_for("accounts.admin"))
    return render("admin/service_form.html", form=form)


@bp.route("/admin/professionals/new", methods=["GET", "POST"])
@roles(Role.ADMIN)
def new_professional():
    """Make an account for a professional, in one or more services."""
    form = ProfessionalForm()
    all_services = services.all_services()
    form.services.choices = [SelectChoice(s.id, s.name) for s in all_services]
    if form.validate_on_submit():
        if services.email_taken(form.email.data):
            form.email.errors.append(_("There is already an account with this email."))
        else:
            chosen = [s for s in all_services if s.id in form.services.data]
            user = services.create_user(Role.PROFESSIONAL, form.name.data, form.password.data,
                                        email=form.email.data, services=chosen)
            flash(_("%(name)s can now log in.", name=user.name), "success")
            return redirect_to(url_for("accounts.admin"))
    return render("admin/professional_form.html", form=form)


@bp.post("/admin/professionals/<int:user_id>/active")
@roles(Role.ADMIN)
def toggle_professional(user_id: int):
    """Close or reopen a professional's account."""
    user = or_404(services.professional(user_id))
    if EmptyForm().validate_on_submit():
        services.set_active(user, not user.active)
        flash(_("%(name)s can log in again.", name=user.name) if user.active
              else _("%(name)s can no longer log in.", name=user.name), "success")
    return redirect_to(admin_page_posted_from())


class AccessLogSearchForm(Form):
    """The admin's search of the access log: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    person = StringField(_l("Person"), description=_l("Part of the name, email or username of the one who "
                                                      "read, or of the one whose input was read."),
                         validators=[Optional(), Length(max=120, message=_l("Write at most %(max)d characters."))])
    date_from = DateField(_l("From date"), format=["%Y-%m-%d", "%d.%m.%Y"], validators=[Optional(), plausible_date],
                          description=_l("For example 24.03.2026"))
    date_to = DateField(_l("To date"), format=["%Y-%m-%d", "%d.%m.%Y"], validators=[Optional(), plausible_date],
                        description=_l("For example 24.03.2026"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The to date is before the from date."))


@bp.get("/admin/access-log")
@roles(Role.ADMIN)
def access_log():
    """Search who read the family's input: by person and period (dates in Oslo time)."""
    form = AccessLogSearchForm(request.args)
    rows, cut = [], False
    if form.validate():
        since = datetime.combine(form.date_from.data, time(), OSLO) if form.date_from.data else None
        before = (datetime.combine(form.date_to.data + timedelta(days=1), time(), OSLO)
                  if form.date_to.data else None)
        rows, cut = services.search_access_log(form.person.data or "", since, before)
    return render("admin/access_log.html", form=form, rows=rows, cut=cut, limit=services.ACCESS_LOG_LIMIT,
                  status=200 if not form.errors else 400)


@bp.app_template_filter()
def service_kind(kind) -> str:
    """The name of a kind of service, in the reader's language."""
    return str(SERVICE_KINDS[ServiceKind(kind)])
