"""Read receipts that say something: who on the team read what, and when, in a few lines (issue 17).

The access log keeps every professional's view of the family's input; the family sees it grouped by
reader and day in Oslo on "Who has read what you wrote", one line per reader on their home page, and
each reader's latest read on each statement."""
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import flask_babel
import pytest
from babel.lists import format_list
from sqlalchemy import select

from accounts.models import Role, Service, User
from core.extensions import db
from core.formatting import long_date
from core.models import OSLO, today_in_oslo, utcnow
from pathways.models import AccessLog, InputKind
from tests.conftest import as_user
from tests.helpers import counting_queries, page, translated
from tests.pathways import reading_data as data
from youth import reader_services
from youth.models import Statement

WHEN = datetime(2026, 3, 12, 13, 3, tzinfo=timezone.utc)  # 14:03 in Oslo


def log_read(app, cast, reader_id, item_id, *, at=WHEN, author_id=None, services="BUP Test",
             kind=InputKind.STATEMENT):
    with app.app_context():
        db.session.add(AccessLog(at=at, reader_id=reader_id, reader_services=services, pathway_id=cast.pathway_a,
                                 item_kind=kind, item_id=item_id, author_id=author_id or cast.ola))
        db.session.commit()


def in_nb(app, function, *args):
    with app.test_request_context(), flask_babel.force_locale("nb"):
        return function(*args)


def and_list(app, parts):
    with app.test_request_context():
        return format_list(parts, locale="nb")


def groups(response) -> list[str]:
    return [li.text() for li in page(response).find_all("li", class_="read-group")]


def statements_phrase(app, n):
    return translated(app, "one of your statements", plural="%(num)d of your statements", num=n)


# --- acceptance 3: ten views of the before-the-meeting page --------------------------------------

def test_ten_views_of_the_before_the_meeting_page_are_one_group_for_kari_and_ten_views_in_the_log(app, demo_meeting):
    ids, starts_at = demo_meeting, demo_meeting["starts_at"]
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(AccessLog))
    kari_client = as_user(app, ids["kari"])
    url = ids["url"]
    for _ in range(10):
        assert kari_client.get(url).status_code == 200

    # The log holds every view: ten sets of the same entries, one row per entry and view.
    with app.app_context():
        views = defaultdict(list)
        for at, kind, item_id, author_id in db.session.execute(
                select(AccessLog.at, AccessLog.item_kind, AccessLog.item_id, AccessLog.author_id)
                .where(AccessLog.reader_id == ids["kari"]).order_by(AccessLog.id)):
            views[at].append((kind, item_id, author_id))
        after = db.session.scalar(select(db.func.count()).select_from(AccessLog))
    ten = list(views.values())[-10:]
    assert len(ten) == 10 and all(len(entries) == len(set(entries)) > 0 for entries in ten)
    assert len({frozenset(entries) for entries in ten}) == 1
    assert after - before == 10 * len(ten[0])
    olas = {(kind, item_id) for kind, item_id, author_id in ten[0] if author_id == ids["ola"]}
    statements = sum(1 for kind, _item in olas if kind == InputKind.STATEMENT)
    assert statements > 0 and any(kind == InputKind.PREPARATION for kind, _item in olas)

    # Ola's page: one group for Kari today, naming what she read.
    response = as_user(app, ids["ola"]).get("/my/readers")
    assert response.status_code == 200
    today = in_nb(app, long_date, today_in_oslo())
    karis = [line for line in groups(response) if line.startswith("Kari Nordmann, BUP Molde")]
    assert len(karis) == 1, karis
    line = karis[0]
    assert line.startswith(f"Kari Nordmann, BUP Molde — {today}: ")
    assert statements_phrase(app, statements) in line
    assert translated(app, "your preparation for the meeting on %(date)s", date=in_nb(app, long_date, starts_at)) in line
    # The page also shows how the last meetings felt: each of Ola's ratings read is named once.
    ratings = sum(1 for kind, _item in olas if kind == InputKind.FEEDBACK)
    rating_words = translated(app, "how you said the meeting on %(date)s went", date="{}").split("{}")[0]
    assert line.count(rating_words) == ratings


# --- on each statement: the latest read per reader ------------------------------------------------

def test_each_statement_shows_one_line_per_reader_with_the_day_of_the_latest_read(app, cast):
    statement_id = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    with app.app_context():
        written = db.session.get(Statement, statement_id).updated_at
    later = written + timedelta(days=3)
    for at in (written - timedelta(days=2), written + timedelta(minutes=5), later):
        log_read(app, cast, cast.kari, statement_id, at=at)
    log_read(app, cast, cast.per, statement_id, at=written - timedelta(days=1), services="Skulehelse Test")
    ola = as_user(app, cast.ola)
    lines = [li.text() for li in page(ola.get(f"/my/statements/{statement_id}")).find("ul", class_="readers")
             .find_all("li")]
    assert lines == [
        translated(app, "Read by %(name)s (%(services)s) on %(date)s", name="Kari Nordmann", services="BUP Test",
                   date=in_nb(app, long_date, later)),
        translated(app, "Read by %(name)s (%(services)s) on %(date)s", name="Per Hansen",
                   services="Skulehelse Test", date=in_nb(app, long_date, written - timedelta(days=1)))
        + " " + translated(app, "(before your last change)"),
    ]


def test_the_day_of_a_read_is_the_day_in_oslo(app, cast):
    statement_id = data.statement(app, cast.pathway_a, cast.ola, "Sein kveld")
    late = datetime(2026, 6, 10, 22, 30, tzinfo=timezone.utc)  # 00:30 on 11 June in Oslo (summer time)
    log_read(app, cast, cast.kari, statement_id, at=late)
    ola = as_user(app, cast.ola)
    line = page(ola.get(f"/my/statements/{statement_id}")).find("ul", class_="readers").text()
    assert in_nb(app, long_date, date(2026, 6, 11)) in line


@pytest.mark.parametrize("at", [
    datetime(2026, 1, 15, 22, 59, tzinfo=timezone.utc), datetime(2026, 1, 15, 23, 0, tzinfo=timezone.utc),
    datetime(2026, 3, 29, 0, 59, tzinfo=timezone.utc), datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc),
    datetime(2026, 3, 28, 22, 30, tzinfo=timezone.utc), datetime(2026, 6, 30, 21, 59, 59, 999999, tzinfo=timezone.utc),
    datetime(2026, 6, 30, 22, 0, tzinfo=timezone.utc), datetime(2026, 10, 25, 0, 59, tzinfo=timezone.utc),
    datetime(2026, 10, 24, 22, 30, tzinfo=timezone.utc), datetime(2026, 10, 25, 23, 30, tzinfo=timezone.utc),
    datetime(2027, 3, 27, 23, 30, tzinfo=timezone.utc), datetime(2027, 12, 31, 23, 0, 0, 1, tzinfo=timezone.utc),
])
def test_oslo_date_in_sql_agrees_with_zoneinfo(app, cast, at):
    log_read(app, cast, cast.kari, 1, at=at)
    with app.app_context():
        day = db.session.scalar(select(reader_services.OsloDate(AccessLog.at)).where(AccessLog.at == at))
    assert str(day) == at.astimezone(OSLO).date().isoformat()


# --- the page of who has read it ------------------------------------------------------------------

def test_reads_are_grouped_by_reader_and_day_newest_first_naming_what_was_read(app, cast):
    first, second, third = (data.statement(app, cast.pathway_a, cast.ola, text) for text in ("A", "B", "C"))
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 3, 18, 13, 0, tzinfo=timezone.utc))
    preparation = data.preparation(app, meeting_id, cast.pathway_a, cast.ola, talk_about="Skulen")
    mothers = data.statement(app, cast.pathway_a, cast.mother_a, "Mor skriv", role=Role.PARENT)
    # Kari reads three statements and the preparation, over and over, on 12 March (once after
    # midnight in Oslo, 23:30 UTC the day before); an answer and the wish the day after; Per once.
    for minutes in (0, 10, 20):
        for statement_id in (first, second, third):
            log_read(app, cast, cast.kari, statement_id, at=WHEN + timedelta(minutes=minutes))
        log_read(app, cast, cast.kari, preparation, at=WHEN + timedelta(minutes=minutes), kind=InputKind.PREPARATION)
    log_read(app, cast, cast.kari, first, at=datetime(2026, 3, 11, 23, 30, tzinfo=timezone.utc))
    log_read(app, cast, cast.kari, 77, at=WHEN + timedelta(days=1), kind=InputKind.ANSWER)
    log_read(app, cast, cast.kari, 78, at=WHEN + timedelta(days=1, minutes=1), kind=InputKind.WISH)
    log_read(app, cast, cast.per, first, at=WHEN + timedelta(hours=2), services="Skulehelse Test")
    log_read(app, cast, cast.kari, mothers, at=WHEN + timedelta(days=2), author_id=cast.mother_a)

    lines = groups(as_user(app, cast.ola).get("/my/readers"))
    day = lambda d: in_nb(app, long_date, d)  # noqa: E731
    assert lines == [
        f"Kari Nordmann, BUP Test — {day(date(2026, 3, 13))}: " + and_list(app, [
            translated(app, "your answer to what was agreed", plural="%(num)d of your answers to what was agreed",
                       num=1),
            translated(app, "your wish for a coordinator")]),
        f"Per Hansen, Skulehelse Test — {day(date(2026, 3, 12))}: {statements_phrase(app, 1)}",
        f"Kari Nordmann, BUP Test — {day(date(2026, 3, 12))}: " + and_list(app, [
            statements_phrase(app, 3),
            translated(app, "your preparation for the meeting on %(date)s", date=day(date(2026, 3, 18)))]),
    ]
    # The parent sees the reads of their own input only.
    assert groups(as_user(app, cast.mother_a).get("/my/readers")) == [
        f"Kari Nordmann, BUP Test — {day(date(2026, 3, 14))}: {statements_phrase(app, 1)}"]
    emma = page(as_user(app, cast.emma).get("/my/readers"))
    assert emma.find("li", class_="read-group") is None
    assert translated(app, "Nobody on the team has read what you wrote yet.") in emma.text()


def add_groups(app, cast, days: int, per_day: int = 1):
    """Kari reads one of Ola's statements on each of `days` days (`per_day` times)."""
    statement_id = data.statement(app, cast.pathway_a, cast.ola, "Kvar dag")
    with app.app_context():
        db.session.add_all(
            AccessLog(at=WHEN - timedelta(days=d, minutes=m), reader_id=cast.kari, reader_services="BUP Test",
                      pathway_id=cast.pathway_a, item_kind=InputKind.STATEMENT, item_id=statement_id,
                      author_id=cast.ola)
            for d in range(days) for m in range(per_day))
        db.session.commit()


def test_the_page_is_paged_newer_and_older_never_cut_off(app, cast):
    add_groups(app, cast, 45)
    ola = as_user(app, cast.ola)
    first = ola.get("/my/readers")
    assert len(groups(first)) == 20
    body = page(first)
    assert translated(app, "Ask your coordinator if you want to see all of it.") not in body.text()
    older = body.find("a", rel="next")
    assert older["href"] == "/my/readers?page=2" and older.text() == translated(app, "Older")
    assert body.find("a", rel="prev") is None
    second = page(ola.get("/my/readers?page=2"))
    assert second.find("a", rel="prev")["href"] == "/my/readers"
    assert second.find("a", rel="next")["href"] == "/my/readers?page=3"
    last = ola.get("/my/readers?page=3")
    assert len(groups(last)) == 5
    assert page(last).find("a", rel="next") is None
    assert page(last).find("a", rel="prev")["href"] == "/my/readers?page=2"
    # Every day once, newest first, over the three pages.
    days = [line.split(" — ")[1].split(":")[0] for n in (1, 2, 3)
            for line in groups(ola.get(f"/my/readers?page={n}"))]
    assert days == [in_nb(app, long_date, (WHEN - timedelta(days=d)).astimezone(OSLO).date()) for d in range(45)]
    # A page number that is no number, or below 1, is the first page; one past the end is not found.
    for bad in ("abc", "0", "-3", ""):
        response = ola.get(f"/my/readers?page={bad}")
        assert response.status_code == 200 and groups(response) == groups(first)
    assert ola.get("/my/readers?page=4").status_code == 404
    assert ola.get("/my/readers?page=99999999").status_code == 404


def test_the_page_runs_the_same_few_statements_with_many_more_reads(app, cast):
    ola = as_user(app, cast.ola)
    ola.get("/my/readers")

    def statements(url):
        with counting_queries(app) as seen:
            assert ola.get(url).status_code == 200
        return len(seen)

    add_groups(app, cast, 30, per_day=2)
    few = statements("/my/readers"), statements("/my/readers?page=2")
    add_groups(app, cast, 400, per_day=5)
    many = statements("/my/readers"), statements("/my/readers?page=2"), statements("/my/readers?page=20")
    assert few[0] == few[1] == many[0] == many[1] == many[2], (few, many)
    with app.test_request_context():
        user = db.session.get(User, cast.ola)
        with counting_queries(app) as seen:
            result = reader_services.reads_page(user, 3)
        assert len(seen) == 2 and len(result.groups) == 20 and result.older


# --- the home page: one line per reader -----------------------------------------------------------

def test_home_shows_one_line_per_reader_for_their_latest_day_at_most_three(app, cast):
    with app.app_context():
        ppt = db.session.scalar(select(Service).where(Service.name == "PPT Test"))
        extra = User(role=Role.PROFESSIONAL, name="Eva Dahl", password_hash="x", email="eva@test.no", services=[ppt])
        db.session.add(extra)
        db.session.commit()
        eva = extra.id
    first, second = (data.statement(app, cast.pathway_a, cast.ola, text) for text in ("A", "B"))
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 3, 18, 13, 0, tzinfo=timezone.utc))
    preparation = data.preparation(app, meeting_id, cast.pathway_a, cast.ola, talk_about="Skulen")
    log_read(app, cast, eva, first, at=WHEN - timedelta(days=5), services="PPT Test")  # the oldest: not shown
    log_read(app, cast, cast.kari, first, at=WHEN - timedelta(days=3))  # an older day of Kari's: not shown
    for minutes in range(3):  # Kari's latest day: two statements and the preparation, three times
        log_read(app, cast, cast.kari, first, at=WHEN + timedelta(minutes=minutes))
        log_read(app, cast, cast.kari, second, at=WHEN + timedelta(minutes=minutes))
        log_read(app, cast, cast.kari, preparation, at=WHEN + timedelta(minutes=minutes), kind=InputKind.PREPARATION)
    log_read(app, cast, cast.per, second, at=WHEN - timedelta(days=1), services="Skulehelse Test")
    log_read(app, cast, cast.lise, 5, at=WHEN - timedelta(days=2), services="PPT Test", kind=InputKind.COMMENT)

    section = page(as_user(app, cast.ola).get("/me")).find("section", **{"aria-labelledby": "readers-heading"})
    lines = [li.text() for li in section.find_all("li")]
    day = lambda d: in_nb(app, long_date, d)  # noqa: E731
    line = "%(reader)s, read %(what)s on %(date)s"
    assert lines == [
        translated(app, line, reader="Kari Nordmann, BUP Test", date=day(date(2026, 3, 12)), what=and_list(app, [
            statements_phrase(app, 2),
            translated(app, "your preparation for the meeting on %(date)s", date=day(date(2026, 3, 18)))])),
        translated(app, line, reader="Per Hansen, Skulehelse Test", date=day(date(2026, 3, 11)),
                   what=statements_phrase(app, 1)),
        translated(app, line, reader="Lise Berg, PPT Test", date=day(date(2026, 3, 10)),
                   what=translated(app, "your comment on a measure", plural="%(num)d of your comments on measures",
                                   num=1)),
    ]
    assert section.find("a", href="/my/readers") is not None
    # The parent's home: reads of the parent's own input only (none here).
    parent = page(as_user(app, cast.mother_a).get("/family")).find("section", **{"aria-labelledby": "readers-heading"})
    assert parent.find("li") is None
    assert translated(app, "Nobody on the team has read what you wrote yet.") in parent.text()


def test_home_readers_take_two_queries_however_many_reads(app, cast):
    add_groups(app, cast, 5)
    with app.test_request_context():
        user = db.session.get(User, cast.ola)
        with counting_queries(app) as seen:
            few = reader_services.latest_readers_for_home(user)
    add_groups(app, cast, 300, per_day=3)
    with app.test_request_context():
        user = db.session.get(User, cast.ola)
        with counting_queries(app) as more:
            many = reader_services.latest_readers_for_home(user)
    assert len(seen) == len(more) == 2
    assert [g.reader_name for g in few] == [g.reader_name for g in many] == ["Kari Nordmann"]
    assert many[0].statements == 2  # both statements on WHEN's day: the first's and the second's reads


# --- the log stays complete, one row per entry and page view --------------------------------------

@pytest.fixture()
def professional_pages(app, cast):
    """Ola's and his mother's input on pathway A, and the professional pages that show it."""
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, utcnow() + timedelta(days=7), invitees=[cast.per])
    data.preparation(app, meeting_id, cast.pathway_a, cast.ola, talk_about="Skulen")
    data.preparation(app, meeting_id, cast.pathway_a, cast.mother_a, role=Role.PARENT, talk_about="Søvn")
    for text in ("Eg søv dårleg", "Fotball hjelper"):
        data.statement(app, cast.pathway_a, cast.ola, text)
    data.agreement(app, meeting_id, cast.pathway_a, cast.kari, "Avtale",
                   answers=[(cast.ola, data.AnswerKind.QUESTION, "Kvifor?")])
    return [f"/pathways/{cast.pathway_a}", f"/pathways/{cast.pathway_a}/meetings/{meeting_id}",
            f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements", f"/pathways/{cast.pathway_a}/goals/new",
            f"/feedback/pathways/{cast.pathway_a}"]


def test_every_professional_page_view_logs_each_entry_it_shows_once(app, cast, professional_pages):
    kari = as_user(app, cast.kari)
    for url in professional_pages:
        with app.app_context():
            last = db.session.scalar(select(db.func.max(AccessLog.id))) or 0
        for _ in range(2):
            assert kari.get(url).status_code == 200, url
        with app.app_context():
            rows = db.session.execute(select(AccessLog.at, AccessLog.item_kind, AccessLog.item_id)
                                      .where(AccessLog.id > last)).all()
        views = defaultdict(list)
        for at, kind, item_id in rows:
            views[at].append((kind, item_id))
        if url.startswith("/feedback"):
            assert rows == [], url  # no ratings shared in this data: nothing shown, nothing logged
            continue
        assert len(views) == 2, url  # two views, two sets
        for entries in views.values():
            assert len(entries) == len(set(entries)) > 0, url
        assert len({frozenset(entries) for entries in views.values()}) == 1, url
