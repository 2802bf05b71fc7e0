"""Onboarding on a phone: Kari creates a pathway and an invitation; the young person redeems the
code on their own phone, lands on their home page in nynorsk, switches to bokmål and logs out.
Runs with JavaScript on and off; every page passes axe-core; no request leaves the app."""
import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, fits_the_screen, type_code


def translated(app, message: str, locale: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message)


def submit(page, form_action: str):
    """Press the submit button of the form that posts to `form_action`, as a person would."""
    page.locator(f"form[action='{form_action}'] button[type=submit]").first.click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_onboarding_journey(app, demo, new_context, javascript):
    """From Kari's new pathway to the young person's own home page, on two phones."""
    kari = new_context(javascript).new_page()

    kari.goto("/login")
    check_accessibility(kari, javascript)
    kari.fill("#login", "kari@bup.demo")
    kari.fill("#password", "demo-passord")
    submit(kari, "/login")
    expect(kari).to_have_url(re.compile(r"/login/code$"))  # a professional: the code from her app too
    check_accessibility(kari, javascript)
    type_code(kari, "kari@bup.demo")
    expect(kari).to_have_url(re.compile(r"/pathways/$"))
    check_accessibility(kari, javascript)

    kari.click("a[href='/pathways/new']")
    submit(kari, "/pathways/new")  # empty: the form says what is missing, beside each field
    expect(kari.locator("#name")).to_have_attribute("aria-invalid", "true")
    check_accessibility(kari, javascript)
    kari.fill("#name", "Nora Nyberg")
    kari.fill("#birth_date", "2012-04-05")
    kari.fill("#title", "Søvn og skule")
    kari.check("input[name=template][value=anxiety]")  # the care pathway it follows
    submit(kari, "/pathways/new")
    expect(kari.locator("h1")).to_have_text("Nora Nyberg")
    check_accessibility(kari, javascript)
    pathway_path = re.search(r"/pathways/\d+", kari.url).group()

    kari.click(f"a[href='{pathway_path}/invitations/new?role=young_person']")
    expect(kari.locator("input[name=role][value=young_person]")).to_be_checked()
    check_accessibility(kari, javascript)
    submit(kari, f"{pathway_path}/invitations/new")
    code = kari.locator("#invitation-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    check_accessibility(kari, javascript)

    nora = new_context(javascript).new_page()  # her own phone, set to nynorsk
    nora.goto("/invitation")
    expect(nora.locator("html")).to_have_attribute("lang", "nn")
    check_accessibility(nora, javascript)
    nora.fill("#code", code.lower().replace("-", " "))
    submit(nora, "/invitation")
    expect(nora).to_have_url(re.compile(r"/invitation/account$"))
    check_accessibility(nora, javascript)
    nora.fill("#username", "nora")
    nora.fill("#password", "passord1")  # too common: refused, and the username stays
    nora.fill("#confirm", "passord1")
    submit(nora, "/invitation/account")
    expect(nora.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(nora.locator("#username")).to_have_value("nora")
    check_accessibility(nora, javascript)
    nora.fill("#password", "grøn sykkel i regnet")
    nora.fill("#confirm", "grøn sykkel i regnet")
    submit(nora, "/invitation/account")

    expect(nora).to_have_url(re.compile(r"/me$"))
    expect(nora.locator("html")).to_have_attribute("lang", "nn")
    expect(nora.locator("h1")).to_contain_text("Nora")
    expect(nora.locator("main")).to_contain_text("Søvn og skule")
    expect(nora.locator("main")).to_contain_text("Kari Nordmann")
    expect(nora.locator("form[action='/logout'] button")).to_have_text(translated(app, "Log out", "nn"))
    check_accessibility(nora, javascript)
    if javascript:
        fits_the_screen(nora)

    nora.locator(".header-menu > summary").click()  # the language sits in the header's menu
    nora.click("button[name=lang][value=nb]")
    expect(nora).to_have_url(re.compile(r"/me$"))
    expect(nora.locator("html")).to_have_attribute("lang", "nb")
    expect(nora.locator("form[action='/logout'] button")).to_have_text(translated(app, "Log out", "nb"))
    check_accessibility(nora, javascript)

    nora.locator("form[action='/logout'] button").click()
    expect(nora).to_have_url(re.compile(r"/login"))
    expect(nora.locator("html")).to_have_attribute("lang", "nb")  # the choice outlives the session
    nora.goto("/me")
    expect(nora).to_have_url(re.compile(r"/login\?next=%2Fme$"))


def test_the_language_choice_is_kept_on_the_profile(app, demo, new_context):
    """A bokmål choice made while logged in comes back on another phone after login."""
    first = new_context().new_page()
    first.goto("/login")
    first.fill("#login", "ola")
    first.fill("#password", "demo-passord")
    submit(first, "/login")
    first.locator(".header-menu > summary").click()  # the language sits in the header's menu
    first.click("button[name=lang][value=nb]")
    expect(first.locator("html")).to_have_attribute("lang", "nb")

    second = new_context().new_page()  # nynorsk phone
    second.goto("/login")
    expect(second.locator("html")).to_have_attribute("lang", "nn")
    second.fill("#login", "ola")
    second.fill("#password", "demo-passord")
    submit(second, "/login")
    expect(second.locator("html")).to_have_attribute("lang", "nb")
