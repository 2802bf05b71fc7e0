"""Feedback on a phone, in nynorsk: Ola rates the meeting held two days ago (the demo's) in a few taps,
seeing the topics from his own preparation; Kari then sees his answer in the trend on the pathway
page and the alert on her worklist, and after she marks it seen the alert is gone. The same journey
with JavaScript off."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from feedback.models import FeedbackAlert, FeedbackRequest, FeedbackResponse
from feedback.services import MEETING_SET, current_version
from tests.browser.conftest import check_accessibility, fits_the_screen, log_in
from tests.helpers import translated

MOST_TAPS = 10
# Ola's answer: listened, what mattered, understood, what happens next, all in all.
ANSWER = [2, 1, 3, 3, 2]
BETTER = "Vi rakk ikkje å snakke om gymtimane."


def open_request(app) -> FeedbackRequest:
    """Ola's request for the meeting held two days ago (the demo's one not answered yet)."""
    with app.app_context():
        ola = db.session.scalar(select(User).where(User.username == "ola"))
        request = db.session.scalar(
            select(FeedbackRequest).outerjoin(FeedbackResponse)
            .where(FeedbackRequest.user_id == ola.id, FeedbackResponse.id.is_(None)))
        db.session.expunge(request)
        return request


def scale_item_ids(app) -> list[int]:
    with app.app_context():
        return [item.id for item in current_version(MEETING_SET).items if item.scale is not None]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_feedback_journey(app, demo, new_context, javascript):
    request = open_request(app)
    answer_url = f"/feedback/requests/{request.id}"

    # Ola, on his phone: from his home page to the saved answer.
    ola = new_context(javascript).new_page()
    log_in(ola, "ola")
    taps = 0
    ola.locator(f"main a[href='{answer_url}']").click()
    taps += 1
    expect(ola).to_have_url(re.compile(re.escape(answer_url) + "$"))
    expect(ola.locator("h1")).to_have_count(1)
    topics = ola.locator(".feedback-topics")
    for topic in ("Søvnen", "Gymtimane", "Kven eg kan snakke med på skulen"):
        expect(topics).to_contain_text(topic)
    check_accessibility(ola, javascript)
    fits_the_screen(ola)
    # The send button is in reach on the first screen already, stuck to its foot (the save bar).
    send = ola.locator("form.feedback-form .save-bar button[type=submit]").bounding_box()
    assert send is not None and 0 <= send["y"] and send["y"] + send["height"] <= ola.viewport_size["height"]
    for item_id, value in zip(scale_item_ids(app), ANSWER):
        # The radio covers its whole box (face and words): a tap anywhere on the box lands on it.
        option = ola.locator(f"#item_{item_id} input[value='{value}']")
        option.click()
        taps += 1
        expect(option).to_be_checked()
    ola.fill("textarea[name^=item_]", BETTER)  # the optional text: typing, not tapping
    ola.locator("form.feedback-form button[type=submit]").click()
    taps += 1
    assert taps <= MOST_TAPS
    expect(ola).to_have_url(re.compile(r"/me$"))
    expect(ola.locator("main")).to_contain_text(
        translated(app, "Thank you! Your answer is saved. Your team can read it.", "nn"))
    with app.app_context():
        response = db.session.scalar(select(FeedbackResponse).where(FeedbackResponse.request_id == request.id))
        assert sorted(a.value for a in response.answers if a.value is not None) == sorted(ANSWER)
        assert [a.text for a in response.answers if a.text] == [BETTER]
        alert = db.session.scalar(select(FeedbackAlert).where(FeedbackAlert.response_id == response.id))
        assert alert is not None and alert.seen_at is None
        alert_url = f"/feedback/pathways/{request.pathway_id}/alerts/{alert.id}"

    # Kari: the alert on her worklist, the answer in the trend on the pathway page.
    kari = new_context(javascript).new_page()
    log_in(kari, "kari@bup.demo")
    expect(kari).to_have_url(re.compile(r"/pathways/$"))
    expect(kari.locator(f".feedback-alerts a[href='{alert_url}']")).to_have_count(1)
    check_accessibility(kari, javascript)
    fits_the_screen(kari)

    kari.goto(f"/pathways/{request.pathway_id}")
    trend = kari.locator(".team-feedback")
    ola_trend = trend.locator(".trend-person").first
    expect(ola_trend.locator("svg[role=img]")).to_have_count(1)
    # The latest meeting is the last row of Ola's table: his five answers and his words.
    last_row = ola_trend.locator("table.trend-table tbody tr").last
    for value in ANSWER:
        expect(last_row).to_contain_text(str(value))
    expect(last_row).to_contain_text(BETTER)
    expect(ola_trend.locator("svg[role=img]")).to_have_attribute("aria-label", re.compile(r".+"))
    check_accessibility(kari, javascript)
    fits_the_screen(kari)

    # She reads it, marks it seen with a note, and it is gone from the worklist.
    kari.goto(alert_url)
    expect(kari.locator("main")).to_contain_text(BETTER)
    check_accessibility(kari, javascript)
    kari.fill("#note", "Tek det opp med Ola og Per før neste møte.")
    kari.locator(f"form[action='{alert_url}'] button[type=submit]").click()
    expect(kari).to_have_url(re.compile(r"/pathways/$"))
    expect(kari.locator(f"a[href='{alert_url}']")).to_have_count(0)
    with app.app_context():
        seen = db.session.get(FeedbackAlert, alert.id)
        assert seen.seen_at is not None and seen.note == "Tek det opp med Ola og Per før neste møte."


def test_the_rating_works_with_a_keyboard(app, demo, new_context):
    """Tab into each question, arrow keys choose the step, Enter sends: no pointer needed."""
    request = open_request(app)
    ola = new_context().new_page()
    log_in(ola, "ola")
    ola.goto(f"/feedback/requests/{request.id}")
    item_ids = scale_item_ids(app)
    ola.locator(f"#item_{item_ids[0]} input").first.focus()
    for number, item_id in enumerate(item_ids):
        if number:
            ola.keyboard.press("Tab")  # from the chosen step of one question to the next question
        expect(ola.locator(f"#item_{item_id} input:focus")).to_have_count(1)
        ola.keyboard.press("Space")  # the first step
        for _step in range(3):
            ola.keyboard.press("ArrowDown")  # … moved on to the fourth
        expect(ola.locator(f"#item_{item_id} input[value='4']")).to_be_checked()
    ola.keyboard.press("Enter")  # sends the form from a radio button
    expect(ola).to_have_url(re.compile(r"/me$"))
    with app.app_context():
        response = db.session.scalar(select(FeedbackResponse).where(FeedbackResponse.request_id == request.id))
        assert [a.value for a in response.answers if a.value is not None] == [4] * 5
