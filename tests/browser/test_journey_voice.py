"""The young person's voice on a phone, in nynorsk: Ola writes what matters to him (one entry not
for his parents) and prepares the care team meeting; Kari reads it all on the before-the-meeting
page; Ola sees that Kari read it; his mother sees what he shared and nowhere what he did not;
Lise, not on the team, sees none of it. The preparation also works with JavaScript off."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from pathways.models import Meeting, MeetingKind, Pathway
from tests.browser.conftest import check_accessibility, fits_the_screen, log_in
from tests.helpers import translated
from youth.models import Preparation

SHARED = ["Eg vil ha meir tid til gitaren", "Matte er vanskeleg etter lunsj"]
HIDDEN = "Eg tenkjer mykje på pappa, men det skal ikkje mamma vite"
DEMO_HIDDEN = "Eg har kjærast, men det vil eg ikkje at foreldra mine skal vite"


def ids(app) -> tuple[int, int]:
    """Ola's pathway and its care team meeting, from the demo data."""
    with app.app_context():
        pathway = db.session.scalar(select(Pathway.id).join(Pathway.young_person).join(User)
                                    .where(User.username == "ola"))
        meeting = db.session.scalar(select(Meeting.id).where(Meeting.pathway_id == pathway,
                                                             Meeting.kind == MeetingKind.CARE_TEAM))
        return pathway, meeting


SEND = {"family": "Send to my team and my parents", "team": "Send to my team", "private": "Keep it for me only"}


def write_statement(page, app, pathway, text, sharing, javascript=True):
    page.goto("/my/statements")
    page.click(f"a[href='/my/pathways/{pathway}/statements/new']")
    check_accessibility(page, javascript)
    page.check("input[name=prompt][value=free]")
    page.fill("#text", text)
    page.check(f"input[name=sharing][value={sharing}]")
    # The button says where the text goes, for the answer checked now.
    button = page.locator("form.statement-form button[type=submit]")
    expect(button).to_have_text(translated(app, SEND[sharing], "nn"), use_inner_text=True)
    button.click()
    expect(page).to_have_url(re.compile(r"/my/statements$"))
    expect(page.locator("main")).to_contain_text(text)


def prepare(page, app, meeting, javascript):
    """Ola's preparation, step by step: part of the meeting, one topic not while he is there."""
    page.goto("/me")
    page.click(f"a[href='/my/meetings/{meeting}/prepare']")
    expect(page.locator("h1")).to_have_count(1)
    check_accessibility(page, javascript)
    fits_the_screen(page)
    page.locator(f"main a[href='/my/meetings/{meeting}/prepare/1']").first.click()
    page.fill("#talk_about", "Skulen, søvnen og gymtimane")
    if javascript:
        # Saved while typing, without a click.
        expect(page.locator("[data-save-status]")).to_contain_text(
            translated(app, "Saved %(time)s", "nn", time="").strip())
    next_button = page.locator("button[name=go][value=next]")
    next_button.click()
    page.fill("#not_while_present", "Det som skjedde i sommar")
    next_button.click()
    expect(page).to_have_url(re.compile(r"/prepare/3$"))
    next_button.click()
    page.check("input[name=participation][value=part]")
    next_button.click()
    expect(page).to_have_url(re.compile(r"/prepare/5$"))
    next_button.click()
    expect(page).to_have_url(re.compile(r"/prepare$"))
    page.locator("form[data-autosave] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/me$"))


@pytest.mark.parametrize("javascript", [True], ids=["js"])
def test_voice_journey(app, demo, new_context, javascript):
    """From Ola's phone to Kari's before-the-meeting page and back; his mother and Lise see only
    what they may."""
    pathway, meeting = ids(app)
    ola = new_context(javascript).new_page()
    log_in(ola, "ola")
    expect(ola.locator("html")).to_have_attribute("lang", "nn")
    check_accessibility(ola, javascript)
    fits_the_screen(ola)

    write_statement(ola, app, pathway, SHARED[0], "family")
    write_statement(ola, app, pathway, SHARED[1], "family")
    write_statement(ola, app, pathway, HIDDEN, "team")  # Ola is 15: "my team, not my parents"
    check_accessibility(ola, javascript)
    prepare(ola, app, meeting, javascript)

    kari = new_context(javascript).new_page()
    log_in(kari, "kari@bup.demo")
    kari.goto(f"/pathways/{pathway}/meetings/{meeting}")
    main = kari.locator("main")
    for text in [*SHARED, HIDDEN, "Skulen, søvnen og gymtimane", "Det som skjedde i sommar"]:
        expect(main).to_contain_text(text)
    check_accessibility(kari, javascript)
    fits_the_screen(kari)
    kari.goto(f"/pathways/{pathway}")
    expect(kari.locator("main")).to_contain_text(HIDDEN)
    check_accessibility(kari, javascript)

    # On each statement (the page of what he has said), and in the home page's list of readers.
    ola.goto("/my/statements")
    expect(ola.locator("li.statement", has_text=SHARED[0])).to_contain_text("Kari Nordmann")
    ola.goto("/me")
    expect(ola.locator("section[aria-labelledby=readers-heading]")).to_contain_text("Kari Nordmann, BUP Molde")
    ola.click("a[href='/my/readers']")
    expect(ola.locator("main")).to_contain_text("Kari Nordmann")
    expect(ola.locator("main")).to_contain_text("BUP Molde")
    check_accessibility(ola, javascript)
    fits_the_screen(ola)

    mother = new_context(javascript).new_page()
    log_in(mother, "mor.ola")
    mother.goto("/my/statements")
    main = mother.locator("main")
    for text in SHARED:
        expect(main).to_contain_text(text)
    for hidden in (HIDDEN, DEMO_HIDDEN, "Det som skjedde i sommar"):
        expect(main).not_to_contain_text(hidden)
    check_accessibility(mother, javascript)
    fits_the_screen(mother)
    mother.goto(f"/my/meetings/{meeting}/prepare")
    expect(mother.locator("main")).not_to_contain_text("Det som skjedde i sommar")
    expect(mother.locator("main")).not_to_contain_text(HIDDEN)
    check_accessibility(mother, javascript)
    mother.goto("/my/readers")
    expect(mother.locator("main")).not_to_contain_text(HIDDEN)

    lise = new_context(javascript).new_page()
    log_in(lise, "lise@ppt.demo")
    expect(lise.locator("main")).not_to_contain_text("Ola Nordvik")
    for path in (f"/pathways/{pathway}", f"/pathways/{pathway}/meetings/{meeting}"):
        response = lise.goto(path)
        assert response.status == 404
        for text in [*SHARED, HIDDEN]:
            expect(lise.locator("main")).not_to_contain_text(text)


def test_preparation_without_javascript(app, demo, new_context):
    """With JavaScript off the Save button stores the preparation; Kari sees it."""
    pathway, meeting = ids(app)
    ola = new_context(javascript=False).new_page()
    log_in(ola, "ola")
    prepare(ola, app, meeting, javascript=False)
    check_accessibility(ola, javascript=False)

    kari = new_context(javascript=False).new_page()
    log_in(kari, "kari@bup.demo")
    kari.goto(f"/pathways/{pathway}/meetings/{meeting}")
    expect(kari.locator("main")).to_contain_text("Skulen, søvnen og gymtimane")
    expect(kari.locator("main")).to_contain_text("Det som skjedde i sommar")
    check_accessibility(kari, javascript=False)


def test_statement_without_javascript(app, demo, new_context):
    """With JavaScript off a statement is written, refused when empty, and saved with the button."""
    pathway, _meeting = ids(app)
    ola = new_context(javascript=False).new_page()
    log_in(ola, "ola")
    ola.goto(f"/my/pathways/{pathway}/statements/new")
    ola.locator("form.statement-form button[type=submit]").click()  # empty: refused beside the field
    expect(ola.locator("#text")).to_have_attribute("aria-invalid", "true")
    check_accessibility(ola, javascript=False)
    write_statement(ola, app, pathway, SHARED[0], "family", javascript=False)


def test_autosave_on_two_devices(app, demo, new_context):
    """With JavaScript, on the preparation form: a save when the page is hidden (the phone locked)
    stores at once and takes the new revision from the answer as htmx's own saves do; the laptop,
    opened before, then meets the choice between both versions in place of its form, is warned
    before leaving it, and keeps its own."""
    _pathway, meeting = ids(app)
    phone, laptop = (new_context(javascript=True).new_page() for _ in range(2))
    for page in (phone, laptop):
        log_in(page, "ola")
        page.goto(f"/my/meetings/{meeting}/prepare/1")
    revision = int(phone.locator("#revision").input_value())
    # htmx may not send this form: only the save when the page is hidden can store it.
    phone.evaluate("document.querySelector('form[data-autosave]').setAttribute('hx-disable', '')")
    phone.fill("#talk_about", "Frå telefonen")
    phone.evaluate("""() => {
        Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    expect(phone.locator("[data-save-status]")).to_contain_text(translated(app, "Saved %(time)s", "nn", time="").strip())
    expect(phone.locator("#revision")).to_have_value(str(revision + 1))

    laptop.fill("#talk_about", "Frå PC-en")
    choice = laptop.locator("#autosave-editor .conflict")
    expect(choice).to_contain_text("Frå telefonen")
    expect(choice).to_contain_text("Frå PC-en")
    expect(laptop.locator("form[data-autosave]")).to_have_count(0)
    check_accessibility(laptop, True)
    assert laptop.evaluate("""() => {
        const leaving = new Event("beforeunload", {cancelable: true});
        window.dispatchEvent(leaving);
        return leaving.defaultPrevented;
    }""")
    laptop.get_by_role("button", name=translated(app, "Keep what I wrote here", "nn")).click()
    expect(laptop).to_have_url(re.compile(r"/prepare/2$"))  # kept, and on to the next step
    with app.app_context():
        stored = db.session.scalar(select(Preparation.talk_about).join(User, User.id == Preparation.author_id)
                                   .where(User.username == "ola", Preparation.meeting_id == meeting))
    assert stored == "Frå PC-en"
