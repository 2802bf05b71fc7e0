"""Two-factor login on a phone: a new professional sets up the code app at the first login (the test
reads the key of the QR code and makes the codes with pyotp, as the app would), logs in again with a
code, then with a recovery code, which a second time is refused. With JavaScript on and off; every
new page passes axe-core and fits the phone."""
import re

import pyotp
import pytest
import segno
from playwright.sync_api import expect

from accounts.models import Role
from accounts.services import create_user
from core.extensions import db
from tests.browser.conftest import check_accessibility, fits_the_screen
from tests.conftest import next_step
from tests.helpers import translated

EMAIL, PASSWORD = "mona@bup.demo", "ein lang og god frase"


def password_step(page):
    page.goto("/login")
    page.fill("#login", EMAIL)
    page.fill("#password", PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()


def log_out(page):
    page.locator("form[action='/logout'] button").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def checked(page, javascript):
    check_accessibility(page, javascript)
    if javascript:
        fits_the_screen(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_second_factor_journey(app, demo, new_context, javascript):
    with app.app_context():
        create_user(Role.PROFESSIONAL, "Mona Moe", PASSWORD, email=EMAIL, services=[])
        db.session.remove()
    page = new_context(javascript).new_page()

    # First login: the password is right, and the app is set up before anything else opens.
    password_step(page)
    expect(page).to_have_url(re.compile(r"/login/set-up$"))
    checked(page, javascript)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    # The QR code holds the same key: the same otpauth address, drawn the same way by segno here.
    uri = pyotp.TOTP(secret).provisioning_uri(name=EMAIL, issuer_name="Stemme")
    assert f"secret={secret}" in uri
    expect(page.locator("#totp-qr")).to_have_attribute("src", segno.make(uri, error="m").svg_data_uri(scale=4, border=4))
    page.goto("/pathways/")  # nothing opens before the code
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.goto("/login/set-up")
    expect(page.locator("#totp-secret")).to_have_text(re.compile(secret[:4]))

    page.fill("#code", "12345")  # one digit short: said beside the field
    page.locator("form[action='/login/set-up'] button[type=submit]").click()
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    checked(page, javascript)

    totp = pyotp.TOTP(secret)
    step = next_step()
    page.fill("#code", totp.at(step * 30))
    page.locator("form[action='/login/set-up'] button[type=submit]").click()
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    checked(page, javascript)
    codes = page.locator("#recovery-codes code").all_inner_texts()
    page.locator("form[action='/login/set-up/done'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pathways/$"))
    log_out(page)

    # The next login: a code from the app.
    password_step(page)
    expect(page).to_have_url(re.compile(r"/login/code$"))
    checked(page, javascript)
    step = next_step(step)
    page.fill("#code", totp.at(step * 30))
    page.locator("form[action='/login/code'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pathways/$"))
    log_out(page)

    # The phone is lost: a recovery code works once.
    for attempt in ("first", "second"):
        password_step(page)
        expect(page).to_have_url(re.compile(r"/login/code$"))
        page.locator("details.recovery summary").click()
        page.fill("#recovery_code", codes[0])
        page.locator("form[action='/login/recovery-code'] button[type=submit]").click()
        if attempt == "first":
            expect(page).to_have_url(re.compile(r"/pathways/$"))
            log_out(page)
    expect(page).to_have_url(re.compile(r"/login/recovery-code$"))
    expect(page.locator("details.recovery [role=alert]")).to_have_text(
        translated(app, "This recovery code does not work. It may be used already, or mistyped.", "nn"))
    expect(page.locator("#recovery_code")).to_be_visible()  # the list is open where the error is
    checked(page, javascript)
    page.goto("/pathways/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
