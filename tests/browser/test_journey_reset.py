"""Getting back in, in the browser (acceptance 4): Ola's mother forgets her password and sets a new one
from the link in a real e-mail; Kari makes a new login code for Ola, who chooses a new password on his
phone. A used link is refused with a clear message."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User, YoungPerson
from core.extensions import db
from pathways.models import Pathway

from demo import DEMO_PASSWORD, MOTHER_EMAIL
from tests.browser.conftest import check_accessibility, fits_the_screen, log_in
from tests.helpers import translated
from tests.notices.conftest import mailbox  # noqa: F401  (the fixture: a real SMTP server)

NEW_PASSWORD = "tre raude båtar i hamna"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/password/reset/[A-Za-z0-9_-]{43}")


def test_mor_ola_resets_her_password_by_email(app, demo, new_context, mailbox):
    page = new_context().new_page()
    page.goto("/login")
    page.locator("a[href='/password/forgot']").click()  # "Forgot your password?"
    expect(page).to_have_url(re.compile(r"/password/forgot$"))
    check_accessibility(page)
    fits_the_screen(page)
    page.fill("#email", MOTHER_EMAIL)
    page.locator("form[action='/password/forgot'] button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("30")
    check_accessibility(page)

    (message,) = mailbox.to(MOTHER_EMAIL)
    body = mailbox.text(message)
    assert "Randi" not in body and "Ola" not in body and "BUP" not in body
    link = LINK.search(body).group(0)

    page.goto(link)
    check_accessibility(page)
    fits_the_screen(page)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator(".ds-alert[data-color=success]")).to_be_visible()

    page.fill("#login", "mor.ola")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator(".ds-alert[data-color=danger]")).to_be_visible()
    log_in(page, "mor.ola", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/family$"))

    # The same link again, with JavaScript off: a clear refusal and a way to ask for a new one.
    again = new_context(javascript=False).new_page()
    answer = again.goto(link)
    assert answer.status == 410
    expect(again.get_by_role("alert")).to_have_text(translated(app, "This link has been used or has expired. "
                                                               "Ask for a new one.", "nn"))
    expect(again.locator("main a[href='/password/forgot']")).to_be_visible()
    check_accessibility(again, javascript=False)


def ola_pathway(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Pathway.id).join(YoungPerson).join(User, User.id == YoungPerson.user_id)
                                 .where(User.username == "ola"))


def test_kari_makes_a_new_login_code_for_ola(app, demo, new_context):
    desk = new_context(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False).new_page()
    log_in(desk, "kari@bup.demo")
    desk.goto(f"/pathways/{ola_pathway(app)}")
    desk.locator("form[action$='/login-code'] button[type=submit]").click()
    code = desk.locator("#login-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    check_accessibility(desk)

    phone = new_context(javascript=False, viewport={"width": 320, "height": 640}).new_page()
    phone.goto("/login")
    phone.locator("a[href='/invitation']").click()
    phone.fill("#code", code.lower())
    phone.locator("form[action='/invitation'] button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/password/new$"))
    expect(phone.locator("main")).to_contain_text(translated(
        app, "Your username is %(username)s. You log in with it and the new password.", "nn", username="ola"))
    check_accessibility(phone, javascript=False)
    fits_the_screen(phone)
    phone.fill("#password", "kort")
    phone.fill("#confirm", "kort")
    phone.locator("form[action='/password/new'] button[type=submit]").click()
    expect(phone.locator("#password-error")).to_be_visible()
    check_accessibility(phone, javascript=False)
    phone.fill("#password", NEW_PASSWORD)
    phone.fill("#confirm", NEW_PASSWORD)
    phone.locator("form[action='/password/new'] button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/me$"))

    old = new_context().new_page()
    old.goto("/login")
    old.fill("#login", "ola")
    old.fill("#password", DEMO_PASSWORD)
    old.locator("form[action='/login'] button[type=submit]").click()
    expect(old.locator(".ds-alert[data-color=danger]")).to_be_visible()
    log_in(old, "ola", NEW_PASSWORD)
    expect(old).to_have_url(re.compile(r"/me$"))
