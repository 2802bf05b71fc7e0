"""The pathway page's timeline with two years behind it, in the browser: with JavaScript, "Older" adds
the older months in place (no page load) and keeps the keyboard on the next "Older"; without it, the
link opens the page at the older months with a way back to the newest. axe-core passes on both, and
the page never scrolls sideways on a phone."""
from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from tests.browser.conftest import check_accessibility, log_in
from tests.browser.test_pages import ola_pathway
from tests.pathways.test_timeline_paging import _history

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1, "is_mobile": False,
           "has_touch": False}


def _two_years_on_olas_pathway(app):
    pathway_id = ola_pathway(app)
    with app.app_context():
        ola = db.session.scalar(select(User.id).where(User.username == "ola"))
        kari = db.session.scalar(select(User.id).where(User.email == "kari@bup.demo"))
    _history(app, None, 24, pathway_id, ola, kari)
    return pathway_id


def test_older_months_come_in_place_with_javascript(app, demo, new_context):
    pathway_id = _two_years_on_olas_pathway(app)
    page = new_context(**DESKTOP).new_page()
    log_in(page, "kari@bup.demo")
    page.goto(f"/pathways/{pathway_id}")
    months = page.locator(".timeline-month-heading")
    expect(months.first).to_be_visible()
    shown = months.count()
    url = page.url
    page.locator("#timeline-older").focus()
    page.keyboard.press("Enter")
    expect(months).not_to_have_count(shown)
    assert months.count() > shown and page.url == url  # added in place, no new page
    expect(page.locator("#timeline-older")).to_be_focused()
    headings = months.all_text_contents()
    assert len(headings) == len(set(headings))
    check_accessibility(page)


def test_older_months_open_as_a_page_without_javascript(app, demo, new_context):
    pathway_id = _two_years_on_olas_pathway(app)
    page = new_context(javascript=False).new_page()  # a phone
    log_in(page, "kari@bup.demo")
    page.goto(f"/pathways/{pathway_id}")
    first = page.locator(".timeline-month-heading").first.text_content()
    page.locator("#timeline-older").click()
    page.wait_for_url("**/pathways/*?before=*")
    assert page.locator(".timeline-month-heading").first.text_content() != first
    expect(page.locator(".timeline-section a[href$='#timeline-heading']").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    check_accessibility(page, javascript=False)
