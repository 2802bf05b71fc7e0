"""The home pages on a small phone (320 × 640), with the demo data: the young person's and the
parent's home at most three screens tall, the header at most 120 px, the next thing to do on the
first screen; axe-core on the home pages and the pages they link to, with and without JavaScript."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, fits_the_screen, log_in
from tests.helpers import translated

SMALL_PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True,
               "has_touch": True}
SCREEN = 640
MOST_SCREENS = 3
HEADER_AT_MOST = 120
PAGES = ["/my/statements", "/my/agreements", "/my/doing", "/my/meetings"]


def measure(page) -> dict:
    return page.evaluate("""() => ({
        height: document.documentElement.scrollHeight,
        header: document.querySelector('body > header').getBoundingClientRect().height,
        next: document.querySelector('#next-thing').getBoundingClientRect().toJSON(),
        meeting: document.querySelector('.next-meeting').getBoundingClientRect().toJSON(),
    })""")


@pytest.mark.parametrize(("login", "home"), [("ola", "/me"), ("mor.ola", "/family")])
def test_the_home_page_fits_a_small_phone(app, demo, new_context, login, home):
    """At 320 × 640: the page at most 1,920 px tall, the header at most 120 px, the whole card with
    the next thing to do (its button included) on the first screen; then axe on it and on each of
    its own pages, which it links to."""
    page = new_context(**SMALL_PHONE).new_page()
    log_in(page, login)
    page.goto(home)
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    size = measure(page)
    print(f"{home}: {size['height']} px tall, header {size['header']} px")
    assert size["header"] <= HEADER_AT_MOST, size
    assert size["height"] <= MOST_SCREENS * SCREEN, size
    assert 0 < size["next"]["top"] and size["next"]["bottom"] <= SCREEN, size
    next_link = page.locator("#next-thing a").first
    expect(next_link).to_be_in_viewport(ratio=1)
    fits_the_screen(page)
    check_accessibility(page)
    for path in PAGES:
        expect(page.locator(f"nav.home-pages a[href='{path}']")).to_be_visible()
    for path in PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        fits_the_screen(page)
        check_accessibility(page)
        assert page.evaluate("document.querySelector('body > header').getBoundingClientRect().height") \
            <= HEADER_AT_MOST


def test_the_young_persons_next_thing_in_the_demo_is_to_rate_the_meeting_just_held(app, demo, new_context):
    """The demo's Ola has a meeting two days ago to rate: that comes first; its button opens the rating."""
    page = new_context(**SMALL_PHONE).new_page()
    log_in(page, "ola")
    page.goto("/me")
    card = page.locator("#next-thing")
    expect(card).to_contain_text(translated(app, "Say how the meeting went", "nn"))
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/feedback/requests/\d+$"))


def test_the_header_menu_opens_without_javascript(app, demo, new_context):
    """The header keeps logging out in view; the account and the language sit in a <details> menu
    that opens with JavaScript off; the language changes from there."""
    page = new_context(javascript=False, **SMALL_PHONE).new_page()
    log_in(page, "ola")
    page.goto("/my/meetings")
    expect(page.locator("form[action='/logout'] button")).to_be_visible()
    expect(page.locator(".header-menu-panel")).to_be_hidden()
    page.locator(".header-menu > summary").click()
    expect(page.locator(".header-menu-panel a[href='/account']")).to_be_visible()
    page.locator(".header-menu-panel button[value=nb]").click()
    expect(page).to_have_url(re.compile(r"/my/meetings$"))
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    check_accessibility(page, javascript=False)


def test_answering_an_agreement_without_javascript_stays_on_the_page_of_agreements(app, demo, new_context):
    """The answer form lives on the page of agreements; without JavaScript the answer comes back there."""
    page = new_context(javascript=False, **SMALL_PHONE).new_page()
    log_in(page, "ola")
    page.goto("/my/agreements")
    point = page.locator("li.agreement").first
    point.locator("input[value=agree]").check()
    point.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/my/agreements#agreement-\d+$"))
    expect(page.locator("li.agreement").first.locator(".answer-given")).to_contain_text(
        translated(app, "I agree", "nn"))
    check_accessibility(page, javascript=False)


def test_a_professional_page_keeps_a_short_header(app, demo, new_context):
    """Professionals share the header: at 320 px it stays within 120 px, logging out in view."""
    page = new_context(**SMALL_PHONE).new_page()
    log_in(page, "kari@bup.demo")
    page.goto("/pathways/")
    assert page.evaluate("document.querySelector('body > header').getBoundingClientRect().height") <= HEADER_AT_MOST
    expect(page.locator("form[action='/logout'] button")).to_be_visible()
    fits_the_screen(page)
    check_accessibility(page)
