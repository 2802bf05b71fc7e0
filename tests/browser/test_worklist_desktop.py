"""Kari's worklist at 1280 × 900 with the demo data (acceptance 1 of issue 18): Ola's care team meeting
under "coming up" with Ola and his mother prepared; Ola asks about an agreement point through his own
page; Kari's worklist shows it to answer, linked to the point; once she has read it there, it is no
longer new. Then the search with JavaScript off (the GET form) and on (htmx narrows as one types),
axe-core on both, and the page on a 320 px phone."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from tests.browser.conftest import check_accessibility, fits_the_screen, log_in
from tests.helpers import translated

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _names(app):
    with app.app_context():
        return {login: db.session.scalar(select(User.name).where(User.username == login)) for login in ("ola", "mor.ola")}


def _new_questions(app, text: str) -> int:
    """How many new questions or disagreements the pathway's card counts (0: none said)."""
    return next((n for n in range(50, 0, -1) if translated(
        app, "%(num)d new question or disagreement about an agreement",
        plural="%(num)d new questions or disagreements about agreements", locale="nn", num=n) in " ".join(text.split())), 0)


def test_karis_worklist_coming_up_then_olas_question_to_answer_then_read(app, demo, new_context):
    names = _names(app)
    kari = new_context(**DESKTOP).new_page()
    log_in(kari, "kari@bup.demo")
    kari.goto("/pathways/")
    care_team = translated(app, "Care team meeting", locale="nn")
    meeting = kari.locator("#coming-up-heading + ul li.coming-meeting", has_text=care_team).filter(has_text=names["ola"])
    expect(meeting).to_have_count(1)
    for name in names.values():
        expect(meeting.locator(".preparers")).to_contain_text(
            translated(app, "%(name)s: %(status)s", locale="nn", name=name,
                       status=translated(app, "prepared", locale="nn")))
    expect(meeting.locator("a[href*='/meetings/']")).to_have_count(1)
    check_accessibility(kari)
    fits_the_screen(kari)

    # Ola, on his own phone, answers the first agreement point with a question.
    ola = new_context(**PHONE).new_page()
    log_in(ola, "ola")
    ola.goto("/my/agreements")
    point = ola.locator("li.agreement").first
    point_id = point.get_attribute("id").removeprefix("agreement-")
    point.locator("input[type=radio][value=question]").check()
    point.locator("textarea[name=question]").fill("Kva betyr det for meg?")
    point.locator("button[type=submit]").click()
    expect(ola.locator(f"#agreement-{point_id}")).to_contain_text("Kva betyr det for meg?")

    # Kari's worklist: to answer, linked to the point; her pathway's count of new questions has it.
    kari.goto("/pathways/?q=Ola")
    link = kari.locator(f"ul.to-answer a[href$='#agreement-{point_id}']")
    expect(link).to_have_count(1)
    expect(link).to_contain_text(translated(app, "%(name)s asked a question about an agreement", locale="nn",
                                            name=names["ola"]))
    card = kari.locator("li.worklist-pathway", has=link)
    pathway_id = card.get_attribute("id").removeprefix("pathway-")
    before = card.inner_text()
    assert "Kva betyr det for meg?" not in before  # whether, never what: the worklist logs no reads
    link.click()
    expect(kari).to_have_url(re.compile(rf"/agreements#agreement-{point_id}$"))
    expect(kari.locator("body")).to_contain_text("Kva betyr det for meg?")  # read (and logged) here

    kari.goto("/pathways/?q=Ola")
    expect(kari.locator(f"a[href$='#agreement-{point_id}']")).to_have_count(0)
    after = kari.locator(f"#pathway-{pathway_id}").inner_text()
    if translated(app, "Not opened yet", locale="nn") not in before:  # counted since her last visit
        assert _new_questions(app, after) == _new_questions(app, before) - 1, (before, after)


def test_the_worklist_search_without_and_with_javascript(app, demo, new_context):
    names = _names(app)
    # JavaScript off: the GET form.
    plain = new_context(javascript=False, **DESKTOP).new_page()
    log_in(plain, "kari@bup.demo")
    plain.goto("/pathways/")
    plain.fill("#worklist-q", names["ola"].split()[0])
    plain.locator("form.worklist-filter button[type=submit]").click()
    expect(plain).to_have_url(re.compile(r"/pathways/\?q="))
    cards = plain.locator("li.worklist-pathway h3")
    expect(cards).to_have_count(1)
    expect(cards).to_have_text(names["ola"])
    check_accessibility(plain, javascript=False)
    plain.fill("#worklist-q", "Zorro")
    plain.locator("form.worklist-filter button[type=submit]").click()
    expect(plain.locator("#worklist-results")).to_contain_text("«Zorro»")

    # JavaScript on: typing narrows the list without loading the page, and the address follows.
    page = new_context(**DESKTOP).new_page()
    log_in(page, "kari@bup.demo")
    page.goto("/pathways/")
    expect(page.locator("li.worklist-pathway").first).to_be_visible()
    page.evaluate("window.__same_page = true")
    page.locator("#worklist-q").press_sequentially(names["ola"].split()[0], delay=40)
    expect(page.locator("li.worklist-pathway h3")).to_have_text([names["ola"]])
    expect(page).to_have_url(re.compile(r"q=Ola"))
    assert page.evaluate("window.__same_page === true")  # no page load
    page.select_option("#worklist-sort", "name")
    expect(page).to_have_url(re.compile(r"sort=name"))
    assert page.evaluate("window.__same_page === true")
    check_accessibility(page)

    phone = new_context(**PHONE).new_page()
    log_in(phone, "kari@bup.demo")
    phone.goto("/pathways/")
    fits_the_screen(phone)
    check_accessibility(phone)
