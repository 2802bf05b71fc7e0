"""A person adds, confirms (with a code read from the real e-mail or the outbox), and removes their own
e-mail address and mobile number on the notices page."""
import re
from datetime import timedelta

from sqlalchemy import select, update

from accounts.models import Service
from core.extensions import db
from core.models import utcnow
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeStatus, OutboxMessage
from tests.conftest import post
from tests.helpers import count, field_error, page, sign_in, translated

CODE = re.compile(r"\b(\d{6})\b")


def _add_email(client, address="ola@example.no"):
    return post(client, "/notices/contacts/email", {"email-address": address})


def _code_in(mailbox, address: str, nth: int = -1) -> str:
    message = mailbox.to(address)[nth]
    return CODE.search(mailbox.text(message)).group(1)


def _confirm(client, code: str, channel: str = "email"):
    return post(client, f"/notices/contacts/{channel}/confirm", {f"{channel}-code-code": code})


def _contact(app, user_id, channel=Channel.EMAIL) -> Contact | None:
    with app.app_context():
        contact = db.session.scalar(select(Contact).where(Contact.user_id == user_id, Contact.channel == channel))
        db.session.expunge_all()
        return contact


def test_a_code_is_sent_by_email_and_confirms_the_address(app, client, cast, mailbox):
    sign_in(client, cast.ola)
    added = _add_email(client, "  Ola@Example.no ")
    assert added.status_code == 303 and added.headers["Location"] == "/notices/"
    (message,) = mailbox.to("ola@example.no")
    body = mailbox.text(message)
    code = CODE.search(body).group(1)
    # Only the code: no name, no service, nothing anyone wrote.
    assert body.strip() == translated(app, "Your code for Stemme is %(code)s. It works for 30 minutes.", code=code)
    assert message["Subject"] == translated(app, "Your code for Stemme")
    assert "Ola" not in body and "BUP" not in body and "Ola" not in message["Subject"]
    assert _contact(app, cast.ola).confirmed_at is None

    shown = client.get("/notices/")
    assert translated(app, "Not confirmed yet") in page(shown).text()
    confirmed = _confirm(client, f"{code[:3]} {code[3:]}")  # as it is often typed
    assert confirmed.status_code == 303
    contact = _contact(app, cast.ola)
    assert contact.address == "ola@example.no" and contact.confirmed_at is not None and contact.code_hash is None

    after = page(client.get("/notices/"))
    assert translated(app, "Confirmed") in after.text()
    rows = after.by_id("sent-notices").find_all("tr")[1:]
    assert [row.text() for row in rows] == [" ".join([
        translated(app, "a code to confirm your address or number"), translated(app, "Email"),
        rows[0].find("time").text(), translated(app, "Sent")])]


def test_a_wrong_code_is_refused_and_kept(app, client, cast, mailbox):
    sign_in(client, cast.ola)
    _add_email(client)
    code = _code_in(mailbox, "ola@example.no")
    wrong = "000000" if code != "000000" else "111111"
    refused = _confirm(client, wrong)
    assert refused.status_code == 400
    assert field_error(refused, "email-code-code") == translated(
        app, "This is not the code we sent. Check the digits and try again.")
    assert page(refused).by_id("email-code-code")["value"] == wrong
    not_digits = _confirm(client, "12ab56")
    assert field_error(not_digits, "email-code-code") == translated(app, "The code is 6 digits.")
    assert _contact(app, cast.ola).confirmed_at is None


def test_an_expired_code_is_refused(app, client, cast, mailbox):
    sign_in(client, cast.ola)
    _add_email(client)
    code = _code_in(mailbox, "ola@example.no")
    with app.app_context():
        db.session.execute(update(Contact).values(code_expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    refused = _confirm(client, code)
    assert refused.status_code == 400
    assert field_error(refused, "email-code-code") == translated(
        app, "The code is too old: it works for 30 minutes. Ask for a new code.")
    assert _contact(app, cast.ola).confirmed_at is None


def test_after_five_tries_only_a_new_code_works(app, client, cast, mailbox):
    sign_in(client, cast.ola)
    _add_email(client)
    code = _code_in(mailbox, "ola@example.no")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert _confirm(client, wrong).status_code == 400
    refused = _confirm(client, code)  # the right code, too late
    assert field_error(refused, "email-code-code") == translated(app, "You have tried too many times. Ask for a new code.")
    assert _contact(app, cast.ola).confirmed_at is None

    assert post(client, "/notices/contacts/email/code").status_code == 303
    assert len(mailbox.to("ola@example.no")) == 2
    new = _code_in(mailbox, "ola@example.no")
    if new != code:  # the old code stopped working
        assert _confirm(client, code).status_code == 400
    assert _confirm(client, new).status_code == 303
    assert _contact(app, cast.ola).confirmed_at is not None
    assert count(app, Notice, Notice.kind == NoticeKind.CONTACT_CODE, Notice.status == NoticeStatus.SENT) == 2


def test_a_bad_address_gets_a_message_and_keeps_what_was_typed(app, client, cast):
    sign_in(client, cast.per)
    refused = _add_email(client, "per.test.no")
    assert refused.status_code == 400
    assert field_error(refused, "email-address") == translated(app, "Write a whole email address, like ola@example.no.")
    assert page(refused).by_id("email-address")["value"] == "per.test.no"
    assert count(app, Contact) == 0


def test_one_address_per_channel_change_means_remove_and_add(app, client, cast, mailbox):
    sign_in(client, cast.mother_a)
    _add_email(client, "randi@example.no")
    again = _add_email(client, "randi2@example.no")
    assert again.status_code == 303
    assert _contact(app, cast.mother_a).address == "randi@example.no"
    assert mailbox.to("randi2@example.no") == []
    assert post(client, "/notices/contacts/email/remove").status_code == 303
    assert _contact(app, cast.mother_a) is None
    _add_email(client, "randi2@example.no")
    assert _contact(app, cast.mother_a).address == "randi2@example.no"
    assert len(mailbox.to("randi2@example.no")) == 1


def test_sms_only_where_a_service_offers_it(app, client, cast):
    sign_in(client, cast.ola)
    assert translated(app, "Your service does not send notices by SMS. You can get them by email.") in \
        page(client.get("/notices/")).text()
    assert post(client, "/notices/contacts/sms", {"sms-address": "91234567"}).status_code == 403

    with app.app_context():  # Kari, on Ola's team, is at BUP Test
        db.session.get(Service, cast.service_bup).sms_notices = True
        db.session.commit()
    refused = post(client, "/notices/contacts/sms", {"sms-address": "22 33 44 55"})
    assert refused.status_code == 400
    assert field_error(refused, "sms-address") == translated(
        app, "Write a Norwegian mobile number: 8 digits that start with 4 or 9.")
    assert page(refused).by_id("sms-address")["value"] == "22 33 44 55"

    assert post(client, "/notices/contacts/sms", {"sms-address": "0047 912 34 567"}).status_code == 303
    assert _contact(app, cast.ola, Channel.SMS).address == "+4791234567"
    with app.app_context():  # no SMS gateway configured: the outbox keeps it
        (sms,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == Channel.SMS)).all()
        assert sms.address == "+4791234567" and sms.subject is None
        code = CODE.search(sms.body).group(1)
    assert _confirm(client, code, "sms").status_code == 303
    assert _contact(app, cast.ola, Channel.SMS).confirmed_at is not None


def test_a_code_that_cannot_be_sent_is_recorded_as_failed(app, client, cast):
    sign_in(client, cast.kari)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_TLS=False)
    try:
        added = _add_email(client, "kari@example.no")
    finally:
        app.config.update(SMTP_HOST="")
    assert added.status_code == 303
    shown = page(client.get("/notices/"))
    assert translated(app, "We could not send the code just now. Check the address or number, and ask for a new "
                           "code in a while.") in shown.text()
    assert translated(app, "Could not be sent") in shown.by_id("sent-notices").text()
    assert count(app, Notice, Notice.status == NoticeStatus.FAILED, Notice.user_id == cast.kari) == 1
