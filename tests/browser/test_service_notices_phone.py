"""The admin turns on SMS notices for a service on a 320 px phone with JavaScript off, with the keyboard:
the services list is a list of cards there, nothing scrolls sideways, and the page passes axe-core."""
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, fits_the_screen, log_in

SMALL_PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True,
               "has_touch": True}


def test_admin_turns_on_sms_for_a_service_on_a_small_phone(app, demo, new_context):
    page = new_context(javascript=False, **SMALL_PHONE).new_page()
    log_in(page, "admin@stemme.demo")
    page.goto("/admin")
    fits_the_screen(page)
    check_accessibility(page, javascript=False)
    row = page.locator("#services tbody tr").first
    box = row.locator("input[name=sms_notices]")
    expect(box).not_to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    row.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    # Back on the admin page (POST, then 303), which says it is saved and shows the box ticked.
    expect(page.locator(".ds-alert[role=status]")).to_be_visible()
    row = page.locator("#services tbody tr").first
    expect(row.locator("input[name=sms_notices]")).to_be_checked()
    expect(row.locator("input[name=notices_under_13]")).not_to_be_checked()
    fits_the_screen(page)
