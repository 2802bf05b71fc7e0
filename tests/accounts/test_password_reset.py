"""A new password by e-mail: the link comes from a real SMTP server's mailbox (aiosmtpd), works once and for
30 minutes, ends every login, and the page that asks for it says the same whether the address is known."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accounts.models import AccountEvent, AccountEventKind, User
from core.extensions import db
from core.models import utcnow
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeStatus, PasswordReset
from tests.conftest import PASSWORD, csrf_token, login, post
from tests.helpers import alert_text, count, field_error, page, translated
from tests.notices.conftest import mailbox  # noqa: F401  (the fixture: a real SMTP server)

NEW_PASSWORD = "grønn båt på fjorden"
MOTHER_EMAIL = "randi@example.no"
LINK = re.compile(r"http://localhost/password/reset/([A-Za-z0-9_-]{43})")
SENT = ("If the address belongs to an account with a confirmed email address, we have sent a link to it. "
        "The link works for 30 minutes. Check the spam folder too.")
USED = "This link has been used or has expired. Ask for a new one."


def confirm_email(app, user_id: int, address: str, confirmed: bool = True) -> None:
    with app.app_context():
        db.session.add(Contact(user_id=user_id, channel=Channel.EMAIL, address=address,
                               confirmed_at=utcnow() if confirmed else None))
        db.session.commit()


@pytest.fixture()
def mother_email(app, cast):
    """Ola's mother (user mor.ola, nynorsk) with a confirmed e-mail address."""
    with app.app_context():
        db.session.get(User, cast.mother_a).locale = "nn"
        db.session.commit()
    confirm_email(app, cast.mother_a, MOTHER_EMAIL)
    return MOTHER_EMAIL


def ask(client, email: str):
    return post(client, "/password/forgot", {"email": email})


def link_from(mailbox, address: str) -> str:
    (message,) = mailbox.to(address)
    return LINK.search(mailbox.text(message)).group(0)


def choose(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(link, data={"password": password, "confirm": confirm or password,
                                   "csrf_token": csrf_token(client, link)})


def test_the_login_page_links_to_the_forgotten_password_page(client, app):
    link = page(client.get("/login")).find("a", href="/password/forgot")
    assert link.text() == translated(app, "Forgot your password?")


def test_a_reset_by_email_sets_a_new_password_once(client, app, cast, mother_email, mailbox):
    response = ask(client, MOTHER_EMAIL)
    assert response.status_code == 303
    assert response.headers["Location"] == "/password/forgot?sent=1"
    assert translated(app, SENT) in page(client.get(response.headers["Location"])).find(role="status").text()

    (message,) = mailbox.to(MOTHER_EMAIL)
    body = mailbox.text(message)
    assert message["Subject"] == translated(app, "A new password for Stemme", "nn")
    # Nothing about the person in it: no name, no username, no service.
    for private in ("Randi", "Nordvik", "mor.ola", "Ola", "BUP"):
        assert private not in body
    link = LINK.search(body).group(0)
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        # Only the hash is stored, never the token.
        assert reset.token_hash != link.rsplit("/", 1)[1] and len(reset.token_hash) == 64
        notice = db.session.scalar(select(Notice))
        assert (notice.user_id, notice.kind, notice.occasion, notice.channel, notice.status) == (
            cast.mother_a, NoticeKind.PASSWORD_RESET, f"reset:{reset.id}", Channel.EMAIL, NoticeStatus.SENT)

    shown = client.get(link)
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    done = choose(client, link)
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    with app.app_context():
        assert db.session.scalar(select(PasswordReset.used_at)) is not None
        assert db.session.scalar(select(User.session_version).where(User.id == cast.mother_a)) == 1
        assert db.session.scalars(select(AccountEvent.kind).where(AccountEvent.user_id == cast.mother_a)).all() == [
            AccountEventKind.PASSWORD_RESET]

    # The old password is refused, the new one logs in.
    other = app.test_client()
    refused = other.post("/login", data={"login": "mor.ola", "password": PASSWORD,
                                         "csrf_token": csrf_token(other, "/login")})
    assert refused.status_code == 401
    assert login(other, "mor.ola", NEW_PASSWORD).headers["Location"] == "/family"

    # The link works once.
    again = client.get(link)
    assert again.status_code == 410
    assert translated(app, USED) in alert_text(again)
    assert choose(client, link, "ein annan lang frase").status_code == 410


def test_a_new_password_ends_logins_elsewhere(client, app, cast, mother_email, mailbox):
    phone = app.test_client()
    login(phone, "mor.ola")
    assert phone.get("/family").status_code == 200
    ask(client, MOTHER_EMAIL)
    choose(client, link_from(mailbox, MOTHER_EMAIL))
    assert phone.get("/family").status_code == 302


def test_the_page_says_the_same_for_an_unknown_or_unconfirmed_address(client, app, cast, mother_email, mailbox):
    confirm_email(app, cast.father_b, "jon@example.no", confirmed=False)
    answers = [ask(client, address) for address in (MOTHER_EMAIL, "nobody@example.no", "jon@example.no")]
    assert {(a.status_code, a.headers["Location"]) for a in answers} == {(303, "/password/forgot?sent=1")}
    assert [m.envelope_to for m in mailbox.messages] == [[MOTHER_EMAIL]]
    assert count(app, PasswordReset) == 1


def test_a_young_person_or_a_login_email_without_a_contact_gets_no_link(client, app, cast, mailbox):
    confirm_email(app, cast.ola, "ola@example.no")
    ask(client, "ola@example.no")
    ask(client, "kari@test.no")  # Kari's login, but not a confirmed contact
    assert mailbox.messages == []
    assert count(app, Notice) == 0


def test_a_professional_resets_and_still_gives_the_second_factor(client, app, cast, mailbox):
    confirm_email(app, cast.kari, "Kari@Test.no")
    ask(client, "kari@test.NO")
    choose(client, link_from(mailbox, "Kari@Test.no"))
    response = client.post("/login", data={"login": "kari@test.no", "password": NEW_PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 303 and response.headers["Location"] in ("/login/code", "/login/set-up")


def test_an_expired_link_is_refused(client, app, cast, mother_email, mailbox):
    ask(client, MOTHER_EMAIL)
    link = link_from(mailbox, MOTHER_EMAIL)
    with app.app_context():
        db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = choose(client, link)
    assert response.status_code == 410
    assert translated(app, USED) in alert_text(response)
    assert login(app.test_client(), "mor.ola").status_code == 303  # the old password goes on working


def test_an_unknown_link_is_refused(client, app):
    assert client.get("/password/reset/" + "A" * 43).status_code == 410
    assert client.get("/password/reset/short").status_code == 410


def test_a_weak_or_mistyped_password_is_refused_and_the_link_kept(client, app, cast, mother_email, mailbox):
    ask(client, MOTHER_EMAIL)
    link = link_from(mailbox, MOTHER_EMAIL)
    weak = choose(client, link, "passord1")
    assert weak.status_code == 400
    assert field_error(weak, "password") == translated(
        app, "This password is too common. Try a few words you remember easily.")
    mistyped = choose(client, link, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert field_error(mistyped, "confirm") == translated(app, "The two passwords are not the same.")
    assert choose(client, link).status_code == 303


def test_a_bad_address_is_answered_beside_the_field(client, app):
    response = ask(client, "not an address")
    assert response.status_code == 400
    assert field_error(response, "email") == translated(app, "Write a whole email address, like kari@bup.no.")
    assert 'value="not an address"' in response.get_data(as_text=True)


def test_asking_again_and_again_is_throttled(client, app, cast, mother_email, mailbox):
    answers = [ask(client, MOTHER_EMAIL).status_code for _ in range(4)]
    assert answers == [303, 303, 303, 429]
    assert len(mailbox.to(MOTHER_EMAIL)) == 3
    refused = ask(client, MOTHER_EMAIL)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_a_failed_send_is_recorded(client, app, cast, mother_email):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_TLS=False)
    try:
        assert ask(client, MOTHER_EMAIL).status_code == 303  # the same answer
    finally:
        app.config.update(SMTP_HOST="")
    with app.app_context():
        notice = db.session.scalar(select(Notice))
        assert (notice.status, notice.error) == (NoticeStatus.FAILED, "ConnectionRefusedError")
