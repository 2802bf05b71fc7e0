"""The pathway page's timeline, paged by month: a pathway with five years of history costs the same
SQL and about the same page as one with a month of it, every month has its heading, "Older" reaches
back to where the pathway began, "new since your last visit" marks only what came after the previous
visit (nothing on the first one), and the reads logged are the statements shown."""
from datetime import date, timedelta

import flask_babel
import pytest
from sqlalchemy import select

from accounts.models import Role
from core.extensions import db
from feedback import services as feedback_services
from feedback.models import FeedbackRequest, RequestReason
from feedback.team_services import TREND_MEETINGS
from core.formatting import date_time, iso, month_name
from core.models import OSLO, utcnow
from pathways.models import (
    AccessLog, Agreement, EventKind, InputKind, Meeting, MeetingMinutes, PathwayEvent, PathwayVisit,
)
from pathways.reading import TIMELINE_ITEMS
from pathways.services import RELAY_MEETINGS
from tests.conftest import as_user
from tests.helpers import counting_queries, page, translated
from tests.pathways import reading_data as data
from youth.models import Preparation, Sharing, Statement

PAGE_LIMIT = 16  # tests/test_data_path.py LIMITS["pathways.show"]
PAGE_BYTES = 80_000  # the pathway page with five years behind it: about 55 KB (a month: 21 KB)


def _history(app, cast, months: int, pathway_id=None, young=None, pro=None) -> dict:
    """A meeting a month going back `months` months from now, each with the young person's
    preparation, a statement, an agreement point, minutes and an event; the pathway created before
    the first. Bulk inserts. Returns the statements' texts by id."""
    pathway_id, young, pro = pathway_id or cast.pathway_a, young or cast.ola, pro or cast.kari
    now = utcnow()
    texts = {}
    with app.app_context():
        db.session.add(PathwayEvent(pathway_id=pathway_id, kind=EventKind.CREATED, actor_id=pro,
                                    subject_name="Forløpet", at=now - timedelta(days=31 * months + 20)))
        for n in range(months):
            at = now - timedelta(days=31 * n + 3)
            meeting = Meeting(pathway_id=pathway_id, kind=data.MeetingKind.CARE_TEAM, starts_at=at,
                              ends_at=at + timedelta(hours=1), place="Skulen", video=False, purpose="Følgje opp",
                              created_by_id=pro, created_at=at - timedelta(days=14), held_at=at)
            db.session.add(meeting)
            db.session.flush()
            statement = Statement(pathway_id=pathway_id, author_id=young, author_role=Role.YOUNG_PERSON,
                                  prompt=data.Prompt.HARD, text=f"Utsegn månad {n}", sharing=Sharing.TEAM,
                                  created_at=at - timedelta(days=5), updated_at=at - timedelta(days=5))
            db.session.add_all([
                statement,
                Preparation(meeting_id=meeting.id, pathway_id=pathway_id, author_id=young,
                            author_role=Role.YOUNG_PERSON, sharing=Sharing.TEAM, talk_about=f"Tema {n}",
                            created_at=at - timedelta(days=2), updated_at=at - timedelta(days=2)),
                Agreement(meeting_id=meeting.id, pathway_id=pathway_id, what=f"Avtale månad {n}", who="Kari",
                          created_by_id=pro, created_at=at + timedelta(hours=2)),
                MeetingMinutes(meeting_id=meeting.id, pathway_id=pathway_id, text=f"Referat {n}",
                               written_by_id=pro, written_at=at + timedelta(hours=3)),
                PathwayEvent(pathway_id=pathway_id, kind=EventKind.LEVEL_CHANGED, actor_id=pro, detail="2",
                             at=at + timedelta(hours=4)),
            ])
            db.session.flush()
            texts[statement.id] = statement.text
        db.session.commit()
    return texts


def _rate_every_meeting(app, cast, pathway_id, user_id) -> int:
    """`user_id` rates every meeting on the pathway and shares it with the team; how many."""
    with app.app_context():
        version = feedback_services.current_version(feedback_services.MEETING_SET)
        requests = [FeedbackRequest(reason=RequestReason.MEETING, set_id=version.set_id, pathway_id=pathway_id,
                                    user_id=user_id, meeting_id=meeting_id, service_id=cast.service_bup,
                                    month=f"{starts_at:%Y-%m}", closes_at=utcnow() + timedelta(days=7))
                    for meeting_id, starts_at in db.session.execute(
                        select(Meeting.id, Meeting.starts_at).where(Meeting.pathway_id == pathway_id))]
        db.session.add_all(requests)
        db.session.commit()
        for request in requests:
            feedback_services.save_response(request, feedback_services.Answers(
                values={item.id: 4 for item in version.items if item.scale is not None}, texts={}))
        return len(requests)


def _get(client, url, **headers):
    """(response, SQL statements) of one GET."""
    with counting_queries(client.application) as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response, len(statements)


def _shown_statements(body) -> set[int]:
    return {int(li["id"].split("-")[1]) for li in body.find_all("li", class_="timeline-item")
            if li["id"].startswith("statement-")}


def _months(body) -> list[str]:
    return [h.text() for h in body.find_all("h3", class_="timeline-month-heading")]


def _older(body) -> str | None:
    link = body.find("div", class_="timeline-more").find("a")
    return link["href"] if link else None


def _logged(app, reader_id, after_id=0) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(AccessLog.item_kind, AccessLog.item_id).where(AccessLog.reader_id == reader_id,
                                                               AccessLog.id > after_id).order_by(AccessLog.id))]


def _last_log_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(AccessLog.id).order_by(AccessLog.id.desc()).limit(1)) or 0


def test_five_years_cost_the_same_sql_as_one_month_and_the_page_stays_short(app, cast, capsys):
    _history(app, cast, 1)  # Ola's pathway: a month
    _history(app, cast, 60, cast.pathway_b, cast.emma, cast.lise)  # Emma's: five years
    _rate_every_meeting(app, cast, cast.pathway_a, cast.ola)
    _rate_every_meeting(app, cast, cast.pathway_b, cast.emma)
    kari, lise = as_user(app, cast.kari), as_user(app, cast.lise)
    url_a, url_b = f"/pathways/{cast.pathway_a}", f"/pathways/{cast.pathway_b}"
    for client, url in ((kari, url_a), (lise, url_b)):
        client.get(url)  # the first visit stores the visit
    small, small_count = _get(kari, url_a)
    large, large_count = _get(lise, url_b)
    older, older_count = _get(lise, _older(page(large)))
    with capsys.disabled():
        print(f"\npathway page: {small_count} SQL statements, {len(small.data)} bytes (a month); "
              f"{large_count} statements, {len(large.data)} bytes (five years); "
              f"an older page {older_count} statements, {len(older.data)} bytes")
    assert small_count == large_count == older_count <= PAGE_LIMIT
    assert len(large.data) < PAGE_BYTES and len(older.data) < PAGE_BYTES
    body = page(large)
    assert len(body.find_all("li", class_="timeline-item")) < 2 * TIMELINE_ITEMS
    # The relay log's minutes: the last few meetings, not sixty.
    assert len([li for li in body.find_all("li") if (li.get("id") or "").startswith("minutes-")]) == RELAY_MEETINGS


def test_months_have_headings_and_older_reaches_where_the_pathway_began(app, cast):
    texts = _history(app, cast, 60)
    kari = as_user(app, cast.kari)
    url, seen, pages, months = f"/pathways/{cast.pathway_a}", set(), 0, []
    while url:
        response, _count = _get(kari, url)
        body = page(response)
        pages += 1
        shown = _months(body)
        assert shown, url
        months += shown
        for month in body.find_all("li", class_="timeline-month"):
            assert month.find("li", class_="timeline-item") is not None  # no heading without items
        seen |= _shown_statements(body)
        if pages > 1:
            assert translated(app, "Back to the newest") in body.text()
        url = _older(body)
        assert pages < 40
    assert seen == set(texts)  # every statement once, on some page
    assert len(months) == len(set(months))  # a month is on one page only
    assert translated(app, "This is where the pathway began.") in body.text()
    assert translated(app, "%(actor)s created the pathway «%(name)s».", actor="Kari Nordmann",
                      name="Forløpet") in body.text()
    # Month headings in the reader's language: "Desember 2026" as the newest.
    newest = utcnow().astimezone(OSLO).date().replace(day=1)
    with app.test_request_context(), flask_babel.force_locale("nb"):
        assert months[0] == month_name(newest).capitalize()
    assert 10 <= pages <= 25


def test_a_first_visit_marks_nothing_new_and_says_so_once(app, cast):
    _history(app, cast, 3)
    kari = as_user(app, cast.kari)
    body = page(kari.get(f"/pathways/{cast.pathway_a}"))
    text = body.text()
    assert text.count(translated(
        app, "This is your first visit to this pathway. From your next visit on, what came after it is marked «new».")) == 1
    assert translated(app, "New since your last visit") not in text
    assert body.find("p", class_="new-count") is None


def test_the_next_visit_marks_only_what_came_after_the_one_before(app, cast):
    _history(app, cast, 6)
    kari = as_user(app, cast.kari)
    url = f"/pathways/{cast.pathway_a}"
    kari.get(url)
    new_id = data.statement(app, cast.pathway_a, cast.ola, "Heilt ny", at=utcnow())
    body = page(kari.get(url))
    new_mark = translated(app, "New since your last visit")
    marked = [li["id"] for li in body.find_all("li", class_="timeline-item") if new_mark in li.text()]
    assert marked == [f"statement-{new_id}"]
    count_line = body.find("p", class_="new-count")
    with app.app_context():
        previous = db.session.get(PathwayVisit, (cast.pathway_a, cast.kari)).previous_seen_at
    with app.test_request_context(), flask_babel.force_locale("nb"):
        when = date_time(previous)
    assert translated(app, "%(num)d new since your last visit, %(when)s.", plural="%(num)d new since your last "
                      "visit, %(when)s.", num=1, when=when) in count_line.text()
    assert count_line.find("a")["href"] == f"#statement-{new_id}"
    assert translated(app, "This is your first visit to this pathway. From your next visit on, what came after "
                      "it is marked «new».") not in body.text()
    # A third visit: nothing new any more.
    body = page(kari.get(url))
    assert not [li for li in body.find_all("li", class_="timeline-item") if new_mark in li.text()]


def test_paging_back_keeps_the_marks_and_does_not_store_a_visit(app, cast):
    """A meeting put on the timeline afterwards, four months back, is new on the older page, and
    stays new however often the older pages are opened: only the newest page stores a visit."""
    _history(app, cast, 12)
    kari = as_user(app, cast.kari)
    url = f"/pathways/{cast.pathway_a}"
    kari.get(url)
    back = utcnow() - timedelta(days=130)
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, back)
    with app.app_context():
        db.session.execute(Meeting.__table__.update().where(Meeting.id == meeting_id).values(created_at=utcnow()))
        db.session.commit()
    kari.get(url)  # the second visit: the meeting came after the first
    with app.app_context():
        visit = db.session.get(PathwayVisit, (cast.pathway_a, cast.kari))
        stored = (visit.seen_at, visit.previous_seen_at)
    month = back.astimezone(OSLO).date().replace(day=1) + timedelta(days=32)
    before = f"{url}?before={month:%Y-%m}"
    new_mark = translated(app, "New since your last visit")
    for _ in range(2):
        body = page(kari.get(before))
        assert new_mark in body.by_id(f"meeting-{meeting_id}").text()
        with app.app_context():
            visit = db.session.get(PathwayVisit, (cast.pathway_a, cast.kari))
            assert (visit.seen_at, visit.previous_seen_at) == stored
    # The htmx request for the same months: the fragment alone, with the same mark.
    fragment = kari.get(before, headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert new_mark in page(fragment).by_id(f"meeting-{meeting_id}").text()


def test_the_reads_logged_are_the_statements_shown(app, cast):
    _history(app, cast, 24)
    data.statement(app, cast.pathway_a, cast.ola, "Berre for meg", sharing=Sharing.PRIVATE, at=utcnow())
    kari = as_user(app, cast.kari)
    url = f"/pathways/{cast.pathway_a}"
    for target, headers in ((url, {}), (None, {}), (None, {"HX-Request": "true"})):
        if target is None:
            target = older
        mark = _last_log_id(app)
        response = kari.get(target, headers=headers)
        body = page(response)
        logged = _logged(app, cast.kari, mark)
        statements = [item_id for kind, item_id in logged if kind == InputKind.STATEMENT]
        assert sorted(statements) == sorted(_shown_statements(body)) and statements, target
        if headers:
            assert all(kind == InputKind.STATEMENT for kind, _id in logged)  # the fragment shows only the timeline
        older = _older(body).split("#")[0]


@pytest.mark.parametrize("value", ["abc", "9999-99", "2026-13", "0000-01", "2026-1", "20261-01", "-2026-01", ""])
def test_a_bad_before_gives_the_newest_page(app, cast, value):
    _history(app, cast, 2)
    kari = as_user(app, cast.kari)
    newest = page(kari.get(f"/pathways/{cast.pathway_a}"))
    response = kari.get(f"/pathways/{cast.pathway_a}?before={value}")
    assert response.status_code == 200
    body = page(response)
    assert translated(app, "Back to the newest") not in body.text()
    assert _months(body) == _months(newest)


def test_before_the_pathway_began_there_is_nothing(app, cast):
    _history(app, cast, 2)
    kari = as_user(app, cast.kari)
    body = page(kari.get(f"/pathways/{cast.pathway_a}?before=2001-01"))
    assert _months(body) == [] and _older(body) is None
    with app.test_request_context(), flask_babel.force_locale("nb"):
        name = month_name(date(2001, 1, 1))
    assert translated(app, "Nothing on this pathway before %(month)s.", month=name) in body.text()


def test_the_rating_trend_shows_the_last_meetings_only(app, cast):
    """Twenty rated meetings: the trend's table holds the last TREND_MEETINGS; every rating stays on
    the page of all the feedback shared with the team."""
    _history(app, cast, 20)
    assert _rate_every_meeting(app, cast, cast.pathway_a, cast.ola) > TREND_MEETINGS
    kari = as_user(app, cast.kari)
    body = page(kari.get(f"/pathways/{cast.pathway_a}"))
    rows = body.find("table", class_="trend-table").find("tbody").find_all("tr")
    assert len(rows) == TREND_MEETINGS
    with app.app_context():
        last = list(db.session.scalars(select(Meeting.starts_at).where(Meeting.pathway_id == cast.pathway_a)
                                       .order_by(Meeting.starts_at.desc()).limit(TREND_MEETINGS)))
    with app.test_request_context():
        assert {row.find("time")["datetime"] for row in rows} == {iso(at) for at in last}


def test_a_visit_long_ago_says_the_older_pages_may_have_more_that_is_new(app, cast):
    _history(app, cast, 24)
    kari = as_user(app, cast.kari)
    url = f"/pathways/{cast.pathway_a}"
    kari.get(url)
    note = translated(app, "Your last visit was before these months: the older pages may have more that is new.")
    with app.app_context():  # that visit was a year ago
        visit = db.session.get(PathwayVisit, (cast.pathway_a, cast.kari))
        visit.seen_at = utcnow() - timedelta(days=365)
        db.session.commit()
    body = page(kari.get(url))
    assert note in body.text()
    new_mark = translated(app, "New since your last visit")
    items = body.find_all("li", class_="timeline-item")
    assert all(new_mark in li.text() for li in items if li["id"].startswith("statement-"))
    # The next page back is newer than that visit too: its items are new as well.
    older = page(kari.get(_older(body)))
    assert any(new_mark in li.text() for li in older.find_all("li", class_="timeline-item"))
    assert note not in page(kari.get(url)).text()  # the visit just now is newer than the page
