"""Every page of the app, for the role that sees it, on a 320 px wide phone: axe-core finds no
violations and nothing scrolls sideways. The htmx team search works and degrades without JavaScript."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from pathways.models import Pathway
from tests.browser.conftest import check_accessibility, fits_the_screen, log_in

SMALL_PHONE = {"viewport": {"width": 320, "height": 640}}


def ola_pathway(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Pathway.id).join(Pathway.young_person).join(User).where(User.username == "ola"))


def demo_ids(app) -> dict:
    """Ids in the demo data that the page paths need."""
    from pathways.models import Meeting, MeetingKind
    from youth.models import Statement

    ola = ola_pathway(app)
    with app.app_context():
        meetings = {kind: db.session.scalar(select(Meeting.id).where(Meeting.pathway_id == ola, Meeting.kind == kind))
                    for kind in (MeetingKind.CARE_TEAM, MeetingKind.CONVERSATION)}
        statement = db.session.scalar(select(Statement.id).join(User, User.id == Statement.author_id)
                                      .where(User.username == "ola").order_by(Statement.id))
        mothers = db.session.scalar(select(Statement.id).join(User, User.id == Statement.author_id)
                                    .where(User.username == "mor.ola"))
        from pathways.models import Measure, PathwayTemplate

        measure = db.session.scalar(select(Measure.id).where(Measure.pathway_id == ola).order_by(Measure.id))
        template = db.session.scalar(select(PathwayTemplate.id).where(PathwayTemplate.key == "anxiety"))
    return {"ola": ola, "meeting": meetings[MeetingKind.CARE_TEAM], "last": meetings[MeetingKind.CONVERSATION],
            "statement": statement, "mothers": mothers, "measure": measure, "template": template,
            **feedback_ids(app)}


def feedback_ids(app) -> dict:
    """The demo's feedback: Ola's open and answered requests, his mother's open one, Kari's alert,
    the services and the meeting rating's question set."""
    from accounts.models import Service
    from feedback.models import FeedbackAlert, FeedbackRequest, FeedbackResponse, QuestionSet

    with app.app_context():
        def request_of(username, answered):
            return db.session.scalar(
                select(FeedbackRequest.id).join(User, User.id == FeedbackRequest.user_id)
                .outerjoin(FeedbackResponse).where(User.username == username,
                                                   FeedbackResponse.id.is_not(None) if answered
                                                   else FeedbackResponse.id.is_(None))
                .order_by(FeedbackRequest.id))

        services = dict(db.session.execute(select(Service.name, Service.id)).all())
        return {"open_request": request_of("ola", False), "answered_request": request_of("ola", True),
                "mothers_request": request_of("mor.ola", False),
                "alert": db.session.scalar(select(FeedbackAlert.id)),
                "bup": services["BUP Molde"], "ppt": services["PPT Averøy"],
                "rating_set": db.session.scalar(select(QuestionSet.id).where(QuestionSet.key == "meeting"))}


PAGES = [
    (None, ["/login", "/invitation", "/accessibility", "/no-such-page"]),
    ("kari@bup.demo", ["/pathways/", "/pathways/new", "/pathways/{ola}", "/pathways/{ola}/team",
                       "/pathways/{ola}/team?q=e", "/pathways/{ola}/invitations/new?role=parent",
                       "/pathways/{ola}/meetings/new", "/pathways/{ola}/meetings/{meeting}",
                       "/pathways/{ola}/meetings/{last}", "/pathways/{ola}/meetings/{last}/agreements",
                       "/pathways/{ola}/goals/new", "/pathways/{ola}/measures/new",
                       "/pathways/{ola}/measures/{measure}/evaluate", "/pathways/{ola}/meetings/{last}/minutes",
                       "/pathways/{ola}/close", "/pathways/{ola}/fhir",
                       "/feedback/pathways/{ola}", "/feedback/pathways/{ola}/alerts/{alert}", "/feedback/services",
                       "/feedback/services/{bup}/report", "/feedback/services/{bup}/report?set=questionnaire_youth",
                       "/feedback/services/{bup}/report?from=2026-13", "/feedback/services/{bup}/settings",
                       "/feedback/services/{bup}/published", "/account", "/notices/"]),
    ("per@helse.demo", ["/pathways/"]),  # his overdue measure and his open ones
    ("lise@ppt.demo", ["/pathways/{ola}", "/feedback/services/{ppt}/report"]),  # 404; too few answers
    ("ola", ["/me", "/admin", "/my/pathways/{ola}/statements/new", "/my/statements/{statement}",
             "/my/meetings/{meeting}/prepare", "/my/meetings/{last}/prepare", "/my/readers",
             "/my/pathways/{ola}/coordinator-wish", "/my/copy",  # /admin: 403
             "/feedback/requests/{open_request}", "/feedback/requests/{answered_request}"]),  # open; closed
    ("mor.ola", ["/family", "/notices/", "/my/pathways/{ola}/statements/new", "/my/meetings/{meeting}/prepare", "/my/readers",
                 "/feedback/requests/{mothers_request}"]),
    ("admin@stemme.demo", ["/admin", "/admin?q=kari", "/admin?page=2",  # a search; past the last page
                           "/admin/services/new", "/admin/professionals/new",
                           "/admin/access-log", "/admin/access-log?person=ola", "/admin/templates",
                           "/admin/templates/{template}", "/feedback/admin/sets", "/feedback/admin/sets/{rating_set}",
                           "/feedback/services/{ppt}/report", "/account"]),
]


@pytest.mark.parametrize(("login", "paths"), PAGES, ids=[login or "anonymous" for login, _ in PAGES])
def test_pages_pass_axe_and_fit_a_small_phone(app, demo, new_context, login, paths):
    """Each page, as its reader sees it, on a 320 px screen."""
    page = new_context(**SMALL_PHONE).new_page()
    if login:
        log_in(page, login)
    ids = demo_ids(app)
    for path in paths:
        page.goto(path.format(**ids))
        expect(page.locator("h1")).to_have_count(1)
        check_accessibility(page)
        fits_the_screen(page)


def test_invitation_page_keeps_to_the_phone_without_javascript(app, demo, new_context):
    """The forms with errors pass axe with JavaScript off too."""
    page = new_context(javascript=False, **SMALL_PHONE).new_page()
    page.goto("/invitation")
    page.fill("#code", "AAAA-BBBB-CCCC")
    page.locator("form[action='/invitation'] button[type=submit]").click()
    expect(page.locator(".ds-alert[data-color=danger]")).to_be_visible()
    check_accessibility(page, javascript=False)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_coordinator_finds_and_adds_a_colleague(app, demo, new_context, javascript):
    """Kari searches for Lise, adds her to Ola's team; with htmx the results come without a reload."""
    page = new_context(javascript=javascript).new_page()
    log_in(page, "kari@bup.demo")
    ola = ola_pathway(app)
    page.goto(f"/pathways/{ola}/team")
    if javascript:
        page.evaluate("window.stillTheSamePage = true")
        page.fill("#q", "lise")  # typing is enough: htmx searches after a short pause
        expect(page.locator("#search-results")).to_contain_text("Lise Berg")
        assert page.evaluate("window.stillTheSamePage") is True
        expect(page).to_have_url(re.compile(r"/team\?q=lise$"))
    else:
        page.fill("#q", "lise")
        page.locator("form[role=search] button[type=submit]").click()
        expect(page.locator("#search-results")).to_contain_text("Lise Berg")
    check_accessibility(page, javascript)
    page.locator("#search-results form button[type=submit]").click()
    expect(page.locator(".team-list").first).to_contain_text("Lise Berg")
    check_accessibility(page, javascript)

    lise = new_context(javascript=javascript).new_page()
    log_in(lise, "lise@ppt.demo")
    lise.goto(f"/pathways/{ola}")
    expect(lise.locator("h1")).to_have_text("Ola Nordvik")
