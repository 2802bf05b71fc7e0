"""A login that ends where it should, in the browser: the warning before a professional's idle
limit (and staying logged in), and a person's own account page: a new password, log out everywhere."""
import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, fits_the_screen, log_in


def test_kari_is_warned_before_her_login_runs_out_and_stays(app, demo, new_context):
    """Twenty-five quiet minutes on the worklist: the warning shows; "Stay logged in" keeps her in
    without leaving the page."""
    page = new_context().new_page()
    page.clock.install()
    log_in(page, "kari@bup.demo")
    page.goto("/pathways/")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    page.evaluate("window.stillTheSamePage = true")
    page.clock.run_for("25:01")
    expect(warning).to_be_visible()
    check_accessibility(page)
    fits_the_screen(page)
    with page.expect_response(re.compile(r"/account/still-here$")) as answer:
        warning.get_by_role("button").click()
    assert answer.value.status == 204
    expect(warning).to_be_hidden()
    assert page.evaluate("window.stillTheSamePage") is True


def test_ola_changes_his_password_and_logs_out_everywhere(app, demo, new_context):
    page = new_context(javascript=False, **{"viewport": {"width": 320, "height": 640}}).new_page()
    log_in(page, "ola")
    other_phone = new_context().new_page()
    log_in(other_phone, "ola")
    page.locator(".header-menu > summary").click()  # the account sits in the header's menu (no JavaScript needed)
    page.get_by_role("link", name=re.compile("Ola Nordvik")).click()
    expect(page).to_have_url(re.compile(r"/account$"))
    check_accessibility(page, javascript=False)
    fits_the_screen(page)

    page.fill("#current", "not my password")
    page.fill("#password", "sykkel i regnet om natta")
    page.fill("#confirm", "sykkel i regnet om natta")
    page.locator("form[action='/account/password'] button[type=submit]").click()
    expect(page.locator("#current-error")).to_be_visible()
    check_accessibility(page, javascript=False)

    page.fill("#current", "demo-passord")
    page.fill("#password", "sykkel i regnet om natta")
    page.fill("#confirm", "sykkel i regnet om natta")
    page.locator("form[action='/account/password'] button[type=submit]").click()
    expect(page.locator(".ds-alert[data-color=success]")).to_be_visible()
    other_phone.goto("/me")
    expect(other_phone).to_have_url(re.compile(r"/login"))

    page.locator("form[action='/account/logout-everywhere'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/login"))
    log_in(page, "ola", "sykkel i regnet om natta")
