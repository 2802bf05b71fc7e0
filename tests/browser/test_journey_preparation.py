"""Preparing a meeting on the bus (issue 17, acceptance 4): Ola, in nynorsk, on a 320 × 640 phone,
takes the preparation one step at a time with JavaScript on and off; the save status stays in sight
while he types and screen readers hear it; a lost connection loses nothing he typed. axe-core on
every step."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from tests.browser.conftest import check_accessibility, fits_the_screen, log_in
from tests.browser.test_journey_voice import ids
from tests.helpers import translated
from youth.models import Participation, Preparation

SMALL_PHONE = {"width": 320, "height": 640}


def olas_preparation(app, meeting) -> Preparation:
    with app.app_context():
        preparation = db.session.scalar(select(Preparation).join(User, User.id == Preparation.author_id)
                                        .where(User.username == "ola", Preparation.meeting_id == meeting))
        db.session.expunge(preparation)
        return preparation


def in_sight(page, selector: str):
    """The element is wholly inside the screen as it is scrolled now."""
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"], f"{selector} is out of sight: {box}"


def saved_once_more(page, revision: int):
    """The autosave's answer came: the form holds the next revision (the status said "Saved" before)."""
    expect(page.locator("#revision")).to_have_value(str(revision + 1))


def step_heading(app, number: int):
    return re.compile(re.escape(translated(app, "Step %(n)s of %(total)s", "nn", n=number, total=5)))


def start(page, meeting):
    """From the home page to the first step, through the overview."""
    page.goto("/me")
    page.click(f"a[href='/my/meetings/{meeting}/prepare']")
    expect(page.locator("h1")).to_have_count(1)
    page.locator(f"main a[href='/my/meetings/{meeting}/prepare/1']").first.click()
    expect(page).to_have_url(re.compile(r"/prepare/1$"))


def test_the_steps_with_javascript_on_a_small_phone(app, demo, new_context):
    """Saved while typing, the status line in sight at the foot of the screen; Next to the end; send."""
    _pathway, meeting = ids(app)
    page = new_context(javascript=True, viewport=SMALL_PHONE).new_page()
    log_in(page, "ola")
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    start(page, meeting)
    saved = translated(app, "Saved %(time)s", "nn", time="").strip()
    status = page.locator("[data-save-status]")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.locator(".step-progress")).to_have_text(step_heading(app, 1))
    check_accessibility(page)
    fits_the_screen(page)

    revision = int(page.locator("#revision").input_value())
    page.locator("#talk_about").fill("")
    page.locator("#talk_about").press_sequentially("Skulen og ", delay=20)
    in_sight(page, "[data-save-status]")
    page.locator("#talk_about").press_sequentially("gymtimane", delay=20)
    saved_once_more(page, revision)
    expect(status).to_contain_text(saved)
    in_sight(page, "[data-save-status]")
    assert olas_preparation(app, meeting).talk_about == "Skulen og gymtimane"

    next_button = page.locator("button[name=go][value=next]")
    next_button.click()
    expect(page.locator(".step-progress")).to_have_text(step_heading(app, 2))
    check_accessibility(page)
    next_button.click()  # the second step as it was
    expect(page.locator(".step-progress")).to_have_text(step_heading(app, 3))
    check_accessibility(page)
    page.locator("form[data-autosave] a", has_text=translated(app, "Skip", "nn")).click()
    # The fourth step is longer than the screen: from its top, the status is still in sight.
    expect(page.locator(".step-progress")).to_have_text(step_heading(app, 4))
    check_accessibility(page)
    fits_the_screen(page)
    assert page.evaluate("document.documentElement.scrollHeight") > SMALL_PHONE["height"]
    page.evaluate("window.scrollTo(0, 0)")
    revision = int(page.locator("#revision").input_value())
    page.check("input[name=participation][value=whole]")
    saved_once_more(page, revision)
    expect(status).to_contain_text(saved)
    in_sight(page, "[data-save-status]")
    in_sight(page, "button[name=go][value=next]")
    next_button.click()
    expect(page.locator(".step-progress")).to_have_text(step_heading(app, 5))
    check_accessibility(page)
    page.fill("#questions", "Kven bestemmer kor lenge møtet varer?")
    next_button.click()

    expect(page).to_have_url(re.compile(r"/prepare$"))
    expect(page.locator("h1")).to_have_text(translated(app, "Look it over and send", "nn"))
    main = page.locator("main")
    for text in ("Skulen og gymtimane", "Kven bestemmer kor lenge møtet varer?",
                 translated(app, "I take part in the whole meeting", "nn")):
        expect(main).to_contain_text(text)
    check_accessibility(page)
    fits_the_screen(page)
    page.locator("form[data-autosave] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    preparation = olas_preparation(app, meeting)
    assert (preparation.talk_about, preparation.participation, preparation.questions) == (
        "Skulen og gymtimane", Participation.WHOLE, "Kven bestemmer kor lenge møtet varer?")
    assert preparation.not_while_present == "det som skjedde i sommar"  # the steps not changed are as they were


def test_the_steps_without_javascript(app, demo, new_context):
    """Each step is a form that posts and moves on; Back posts and goes back, keeping what was typed."""
    _pathway, meeting = ids(app)
    page = new_context(javascript=False, viewport=SMALL_PHONE).new_page()
    log_in(page, "ola")
    start(page, meeting)
    check_accessibility(page, javascript=False)
    fits_the_screen(page)
    next_button = page.locator("button[name=go][value=next]")
    page.fill("#talk_about", "Utan JavaScript")
    next_button.click()
    expect(page).to_have_url(re.compile(r"/prepare/2$"))
    check_accessibility(page, javascript=False)
    page.fill("#not_while_present", "Ingenting")
    page.locator("button[name=go][value=back]").click()
    expect(page).to_have_url(re.compile(r"/prepare/1$"))
    expect(page.locator("#talk_about")).to_have_value("Utan JavaScript")
    next_button.click()
    expect(page.locator("#not_while_present")).to_have_value("Ingenting")
    for number in (3, 4):
        next_button.click()
        expect(page).to_have_url(re.compile(rf"/prepare/{number}$"))
        check_accessibility(page, javascript=False)
        fits_the_screen(page)
    page.check("input[name=participation][value=in_writing]")
    next_button.click()
    expect(page).to_have_url(re.compile(r"/prepare/5$"))
    # (Too long a text cannot be typed here: the field's maxlength stops it; tests/youth covers the server's answer.)
    expect(page.locator("#questions")).to_have_attribute("maxlength", "1000")
    page.fill("#questions", "Kvifor?")
    next_button.click()
    expect(page).to_have_url(re.compile(r"/prepare$"))
    check_accessibility(page, javascript=False)
    page.locator("form[data-autosave] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    preparation = olas_preparation(app, meeting)
    assert (preparation.talk_about, preparation.not_while_present, preparation.participation,
            preparation.questions) == ("Utan JavaScript", "Ingenting", Participation.IN_WRITING, "Kvifor?")


def test_a_lost_connection_loses_nothing_typed(app, demo, new_context):
    """Offline: the status says not saved, the text stays in the field; back online, it is saved."""
    _pathway, meeting = ids(app)
    context = new_context(javascript=True, viewport=SMALL_PHONE)
    page = context.new_page()
    log_in(page, "ola")
    start(page, meeting)
    status = page.locator("[data-save-status]")
    revision = int(page.locator("#revision").input_value())
    context.set_offline(True)
    text = "Skrive på bussen i tunnelen"
    page.fill("#talk_about", text)
    offline = translated(app, "Not saved: no connection. What you wrote is kept here; we will try again.", "nn")
    expect(status).to_have_text(offline)
    in_sight(page, "[data-save-status]")
    expect(page.locator("#talk_about")).to_have_value(text)
    page.locator("#talk_about").press_sequentially(" og meir", delay=20)
    expect(status).to_have_text(offline)
    expect(page.locator("#talk_about")).to_have_value(text + " og meir")
    assert olas_preparation(app, meeting).talk_about != text + " og meir"

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # as the phone says when it is back
    saved_once_more(page, revision)
    expect(status).to_contain_text(translated(app, "Saved %(time)s", "nn", time="").strip())
    page.reload()
    expect(page.locator("#talk_about")).to_have_value(text + " og meir")
    assert olas_preparation(app, meeting).talk_about == text + " og meir"
