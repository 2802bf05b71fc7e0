"""A person's own notice settings (their address and number, which notices, what we sent them), and the
stop link in every message, which works without logging in."""
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from access.policy import or_404, roles
from accounts import throttle
from accounts.models import Role
from core.forms import EmptyForm
from core.paging import page_number
from core.render import redirect_to, render
from notices import bp
from notices import contact_services as contacts
from notices.contact_services import CodeCheck
from notices.forms import ChoicesForm, ContactCodeForm, EmailContactForm, MobileContactForm
from notices.models import Channel, NoticeKind, NoticeStatus

EVERYONE = (Role.YOUNG_PERSON, Role.PARENT, Role.PROFESSIONAL, Role.ADMIN)
CHANNELS = "any(email, sms)"  # in a route: the channel of the contact
CODES_SENT = "5 per hour"  # per person: a code goes to an address they typed, which may be someone else's

KIND_WORDS = {
    NoticeKind.MEETING_SOON: _l("a meeting is coming up"),
    NoticeKind.RATING_WAITING: _l("a rating or a questionnaire is waiting for you"),
    NoticeKind.AGREEMENT_ANSWER: _l("an agreement needs your answer"),
    NoticeKind.FAMILY_QUESTION: _l("a young person or a parent asks a question or does not agree"),
    NoticeKind.NEW_INPUT: _l("there is new input on your pathways (once a day at most)"),
    NoticeKind.CONTACT_CODE: _l("a code to confirm your address or number"),
    NoticeKind.PASSWORD_RESET: _l("a link to choose a new password"),
}
CHANNEL_WORDS = {Channel.EMAIL: _l("Email"), Channel.SMS: _l("SMS")}
STATUS_WORDS = {NoticeStatus.PENDING: _l("Waiting"), NoticeStatus.SENDING: _l("Waiting"),
                NoticeStatus.SENT: _l("Sent"), NoticeStatus.FAILED: _l("Could not be sent")}
CODE_ERRORS = {
    CodeCheck.WRONG: _l("This is not the code we sent. Check the digits and try again."),
    CodeCheck.EXPIRED: _l("The code is too old: it works for 30 minutes. Ask for a new code."),
    CodeCheck.TOO_MANY: _l("You have tried too many times. Ask for a new code."),
}


def _contact_form(channel: Channel, posted: bool = False):
    form_class = EmailContactForm if channel == Channel.EMAIL else MobileContactForm
    return form_class(prefix=channel.value) if posted else form_class(formdata=None, prefix=channel.value)


def _choices_form(posted: bool = False) -> ChoicesForm:
    form = ChoicesForm() if posted else ChoicesForm(formdata=None)
    form.kinds.choices = [(kind.value, KIND_WORDS[kind]) for kind in contacts.kinds_for(current_user.role)]
    if not posted:
        off = contacts.opted_out(current_user.id)
        form.kinds.data = [value for value, _label in form.kinds.choices if value not in off]
        form.stop_all.data = contacts.STOP_ALL in off
    return form


def _settings_page(status: int = 200, **forms):
    """The whole settings page, with `forms` (a form sent back with its errors) in place of empty ones."""
    context = {
        "contacts": contacts.contacts_of(current_user),
        "sms_offered": contacts.sms_offered(current_user),
        "only_through_parents": contacts.only_through_parents(current_user),
        "email_form": _contact_form(Channel.EMAIL),
        "sms_form": _contact_form(Channel.SMS),
        "email_code_form": ContactCodeForm(formdata=None, prefix="email-code"),
        "sms_code_form": ContactCodeForm(formdata=None, prefix="sms-code"),
        "choices_form": _choices_form(),
        "button": EmptyForm(),
        "sent": contacts.sent_notices(current_user, page_number(request.args)),
        "kind_words": KIND_WORDS, "channel_words": CHANNEL_WORDS, "status_words": STATUS_WORDS,
        "when_sent": contacts.when_sent, "channels": Channel,
    }
    context.update(forms)
    return render("notices/settings.html", status=status, **context)


def _back():
    return redirect_to(url_for("notices.settings"))


def _code_not_sent() -> None:
    flash(_("We could not send the code just now. Check the address or number, and ask for a new code in a while."),
          "warning")


@bp.get("/notices/")
@roles(*EVERYONE)
def settings():
    """The person's notices: where they go, which kinds, and the notices we have sent them."""
    return _settings_page()


@bp.post(f"/notices/contacts/<{CHANNELS}:channel>")
@roles(*EVERYONE)
def add_contact(channel: str):
    """Add an email address or a mobile number; a code is sent to it to confirm it is the person's."""
    channel = Channel(channel)
    form = _contact_form(channel, posted=True)
    key = f"{channel.value}_form"
    if channel == Channel.SMS and not contacts.sms_offered(current_user):
        abort(403)
    if contacts.contact_of(current_user, channel) is not None:
        flash(_("Remove the one you have first, then add the new one."), "warning")
        return _back()
    if not form.validate_on_submit():
        return _settings_page(status=400, **{key: form})
    if not throttle.allow(CODES_SENT, "contact-code", str(current_user.id)):
        form.address.errors.append(_("We have sent many codes to you in the last hour. Wait a while and try again."))
        return _settings_page(status=429, **{key: form})
    address = form.number if channel == Channel.SMS else form.address.data
    _contact, sent = contacts.add_contact(current_user, channel, address)
    if sent:
        flash(_("We have sent a code to %(address)s. Write it below to confirm.", address=address), "success")
    else:
        _code_not_sent()
    return _back()


@bp.post(f"/notices/contacts/<{CHANNELS}:channel>/confirm")
@roles(*EVERYONE)
def confirm_contact(channel: str):
    """Confirm an address or number with the code sent to it."""
    channel = Channel(channel)
    contact = or_404(contacts.contact_of(current_user, channel))
    form = ContactCodeForm(prefix=f"{channel.value}-code")
    key = f"{channel.value}_code_form"
    if contact.confirmed_at is not None:
        return _back()
    if not form.validate_on_submit():
        return _settings_page(status=400, **{key: form})
    result = contacts.check_code(contact, form.digits)
    if result != CodeCheck.CONFIRMED:
        form.code.errors.append(str(CODE_ERRORS[result]))
        return _settings_page(status=400, **{key: form})
    flash(_("Confirmed. Notices can go to %(address)s now.", address=contact.address), "success")
    return _back()


@bp.post(f"/notices/contacts/<{CHANNELS}:channel>/code")
@roles(*EVERYONE)
def new_code(channel: str):
    """Send a new code to an address or number that is not confirmed yet."""
    contact = or_404(contacts.contact_of(current_user, Channel(channel)))
    if EmptyForm().validate_on_submit() and contact.confirmed_at is None:
        if not throttle.allow(CODES_SENT, "contact-code", str(current_user.id)):
            flash(_("We have sent many codes to you in the last hour. Wait a while and try again."), "warning")
        elif contacts.send_code(contact):
            flash(_("We have sent a new code to %(address)s.", address=contact.address), "success")
        else:
            _code_not_sent()
    return _back()


@bp.post(f"/notices/contacts/<{CHANNELS}:channel>/remove")
@roles(*EVERYONE)
def remove_contact(channel: str):
    """Remove an address or number: no notice goes to it any more."""
    contact = or_404(contacts.contact_of(current_user, Channel(channel)))
    if EmptyForm().validate_on_submit():
        contacts.remove_contact(contact)
        flash(_("Removed. We send nothing there any more."), "success")
    return _back()


@bp.post("/notices/choices")
@roles(*EVERYONE)
def save_choices():
    """Choose which kinds of notice to get, or stop them all."""
    form = _choices_form(posted=True)
    if not form.validate_on_submit():
        return _settings_page(status=400, choices_form=form)
    contacts.save_choices(current_user, set(form.kinds.data or ()), form.stop_all.data)
    flash(_("Your choices are saved."), "success")
    return _back()


@bp.route("/notices/stop/<token>", methods=["GET", "POST"])
def stop(token: str):
    """The link in every message: stop all notices, without logging in. A GET only asks (mail
    scanners follow links); the button posts."""
    user = or_404(contacts.user_for_stop_token(token))
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        contacts.stop_all(user)
        return render("notices/stop_done.html")
    return render("notices/stop.html", form=form, token=token, status=400 if request.method == "POST" else 200)
