"""The page cache (core.page_cache): pages come back from memory only while nothing they show has
changed, only to the person they were made for, with that session's own CSRF token; every read a
professional makes is still logged."""
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text, update

from accounts.models import Role, User
from app import create_app
from core import page_cache, read_journal
from core.extensions import db
from pathways.models import AccessLog, InputKind, TeamMember
from tests.conftest import CSRF
from tests.helpers import extra_app, page, sign_in, translated
from tests.pathways import reading_data as data

HIT = "X-Page-Cache"


def generation(app) -> int:
    with app.app_context():
        return page_cache.current_numbers()[0]


def logged_reads(app, reader_id: int) -> int:
    with app.app_context():
        read_journal.fold()  # SQLite: a hit's reads wait in the journal until the log is read
        return db.session.scalar(select(func.count()).select_from(AccessLog).where(AccessLog.reader_id == reader_id))


def signed_in(app, user_id: int):
    client = app.test_client()
    sign_in(client, user_id)
    return client


# --- the generation ---------------------------------------------------------------------------

def test_every_writing_transaction_moves_the_generation_and_nothing_else_does(app, cast):
    before = generation(app)
    with app.app_context():  # an ORM write
        db.session.get(User, cast.ola).name = "Ola N."
        db.session.commit()
    after_orm = generation(app)
    with app.app_context(), db.engine.begin() as conn:  # a Core write outside any session
        conn.execute(update(User).where(User.id == cast.ola).values(name="Ola Nordvik"))
    after_core = generation(app)
    with app.app_context():  # reading, and a write that is rolled back
        db.session.scalar(select(User.name).where(User.id == cast.ola))
        db.session.get(User, cast.ola).name = "Ikkje lagra"
        db.session.flush()
        db.session.rollback()
    after_rollback = generation(app)
    assert (after_orm, after_core, after_rollback) == (before + 1, before + 2, before + 2)


def test_a_write_behind_a_comment_moves_the_generation_too(app, cast):
    before = generation(app)
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("/* a data fix */ UPDATE users SET name = 'Ola' WHERE id = :id"), {"id": cast.ola})
        conn.execute(text("-- and another\nUPDATE users SET name = 'Ola Nordvik' WHERE id = :id"), {"id": cast.ola})
    assert generation(app) == before + 1  # one transaction


def test_an_access_log_insert_alone_keeps_the_generation_and_moves_the_reads_number(app, cast):
    """Reads are logged on every view: they must not throw every stored page away."""
    before = generation(app)
    with app.app_context():
        reads_before = page_cache.current_numbers(with_reads=True)[1]
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(insert(AccessLog).values(
            at=page_cache.utcnow(), reader_id=cast.kari, reader_services="BUP Test", pathway_id=cast.pathway_a,
            item_kind=InputKind.STATEMENT, item_id=1, author_id=cast.ola))
    assert generation(app) == before
    with app.app_context():
        assert page_cache.current_numbers(with_reads=True) == (before, reads_before + 1)


# --- what is served ---------------------------------------------------------------------------

def test_the_second_view_is_served_from_the_cache_and_is_the_same_page(app, cast):
    ola = signed_in(app, cast.ola)
    first, second = ola.get("/me"), ola.get("/me")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers.get(HIT) is None and second.headers[HIT] == "hit"
    assert second.get_data() == first.get_data()
    assert second.headers["Cache-Control"] == "no-store"
    assert "Cookie" in second.headers["Vary"] and "HX-Request" in second.headers["Vary"]
    assert "frame-ancestors 'none'" in second.headers["Content-Security-Policy"]


def test_a_change_shows_at_once(app, cast):
    ola = signed_in(app, cast.ola)
    ola.get("/me")
    assert ola.get("/me").headers[HIT] == "hit"
    data.statement(app, cast.pathway_a, cast.ola, "Eg vil spele handball")
    fresh = ola.get("/me")
    assert fresh.headers.get(HIT) is None
    assert "Eg vil spele handball" in fresh.get_data(as_text=True)


def test_nobody_gets_another_persons_page(app, cast):
    ola, emma = signed_in(app, cast.ola), signed_in(app, cast.emma)
    for _ in range(2):
        ola_page, emma_page = ola.get("/me").get_data(as_text=True), emma.get("/me").get_data(as_text=True)
        assert "Ola Nordvik" in ola_page and "Emma Lie" not in ola_page
        assert "Emma Lie" in emma_page and "Ola Nordvik" not in emma_page
    kari, per = signed_in(app, cast.kari), signed_in(app, cast.per)
    kari.get("/pathways/"), per.get("/pathways/")
    assert per.get("/pathways/").headers[HIT] == "hit"
    assert "Trivsel" not in per.get("/pathways/").get_data(as_text=True)  # Lise's pathway, not Per's


def test_another_session_of_the_same_person_gets_its_own_csrf_token(app, cast):
    phone, laptop = signed_in(app, cast.ola), signed_in(app, cast.ola)
    phone_token = CSRF.search(phone.get("/me").get_data(as_text=True)).group(1)
    served = laptop.get("/me")
    assert served.headers[HIT] == "hit"
    laptop_tokens = set(CSRF.findall(served.get_data(as_text=True)))
    assert len(laptop_tokens) == 1 and phone_token not in laptop_tokens
    # The token works for the session that got it: logging out from the laptop is a real form post.
    assert laptop.post("/logout", data={"csrf_token": laptop_tokens.pop()}).status_code == 303
    assert laptop.get("/me").status_code == 302  # logged out: off to the login page, not a stored page
    assert phone.get("/me").status_code == 200


def test_leaving_the_team_is_a_404_at_once(app, cast):
    meeting = data.meeting(app, cast.pathway_a, cast.kari, page_cache.utcnow() + timedelta(days=3))
    per = signed_in(app, cast.per)
    url = f"/pathways/{cast.pathway_a}/meetings/{meeting}"
    per.get(url), per.get(url)
    assert per.get(url).headers[HIT] == "hit"
    with app.app_context():
        db.session.execute(TeamMember.__table__.delete().where(TeamMember.pathway_id == cast.pathway_a,
                                                              TeamMember.user_id == cast.per))
        db.session.commit()
    assert per.get(url).status_code == 404


def test_a_message_waiting_in_the_session_is_shown_not_a_stored_page(app, cast):
    ola = signed_in(app, cast.ola)
    ola.get("/me"), ola.get("/me")
    with ola.session_transaction() as session:
        session["_flashes"] = [("success", "Lagra-melding")]
    page = ola.get("/me")
    assert page.headers.get(HIT) is None and "Lagra-melding" in page.get_data(as_text=True)
    assert "Lagra-melding" not in ola.get("/me").get_data(as_text=True)


def test_htmx_requests_and_other_methods_pass_by(app, cast):
    ola = signed_in(app, cast.ola)
    ola.get("/me"), ola.get("/me")
    assert ola.get("/me", headers={"HX-Request": "true"}).headers.get(HIT) is None


def test_a_new_minute_renders_again(app, cast, monkeypatch):
    """What changes with the time alone (a meeting starting, an age at midnight) is never older than
    the current minute."""
    ola = signed_in(app, cast.ola)
    ola.get("/me"), ola.get("/me")
    assert ola.get("/me").headers[HIT] == "hit"
    later = page_cache.utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(page_cache, "utcnow", lambda: later)
    assert ola.get("/me").headers.get(HIT) is None


def test_pages_work_uncached_on_a_database_not_yet_migrated(app, tmp_path):
    """New code on a database still without migration 0006: the pages are served, not cached."""
    config = {"TESTING": True, "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
              "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "before-0006.sqlite3")}
    with extra_app(lambda: create_app(config)) as other:
        other.instance_path = str(tmp_path)
        with other.app_context():
            upgrade(revision="0005feedback")
            ola = User(role=Role.YOUNG_PERSON, name="Ola Nordvik", username="ola", password_hash="x")
            db.session.add(ola)
            db.session.commit()  # a write without the table: nothing to move, nothing fails
            ola_id = ola.id
        client = signed_in(other, ola_id)
        answers = [client.get("/me") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert [a.headers.get(HIT) for a in answers] == [None, None, None]


def test_turned_off_by_configuration(app, cast, database_url, tmp_path):
    config = {"TESTING": True, "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
              "SQLALCHEMY_DATABASE_URI": database_url, "PAGE_CACHE": False}
    with extra_app(lambda: create_app(config)) as other:
        other.instance_path = str(tmp_path)
        ola = signed_in(other, cast.ola)
        assert [ola.get("/me").headers.get(HIT) for _ in range(3)] == [None, None, None]


# --- the access log ---------------------------------------------------------------------------

def test_a_new_read_of_my_input_shows_on_my_home_page_at_once(app, cast):
    data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    meeting = data.meeting(app, cast.pathway_a, cast.kari, page_cache.utcnow() + timedelta(days=3))
    ola = signed_in(app, cast.ola)

    def readers(response) -> str:
        return page(response).find("section", aria_labelledby="readers-heading").text()

    ola.get("/me")
    stored = ola.get("/me")
    assert stored.headers[HIT] == "hit" and "Kari Nordmann" not in readers(stored)
    before = generation(app)
    signed_in(app, cast.kari).get(f"/pathways/{cast.pathway_a}/meetings/{meeting}")
    assert generation(app) == before  # only the read was written
    fresh = ola.get("/me")
    assert fresh.headers.get(HIT) is None and "Kari Nordmann" in readers(fresh)


def test_a_read_that_commits_after_a_later_one_still_shows(app, cast):
    """A read is stamped before it commits: an earlier stamp can commit after a later one."""
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    now = page_cache.utcnow()

    def log(reader, at):
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(insert(AccessLog).values(
                at=at, reader_id=reader, reader_services="Test", pathway_id=cast.pathway_a,
                item_kind=InputKind.STATEMENT, item_id=statement, author_id=cast.ola))

    def readers(response) -> str:
        return page(response).find("section", aria_labelledby="readers-heading").text()

    ola = signed_in(app, cast.ola)
    log(cast.kari, now)
    ola.get("/me")
    assert ola.get("/me").headers[HIT] == "hit"
    log(cast.per, now - timedelta(seconds=2))  # stamped before Kari's read, committed after it
    fresh = ola.get("/me")
    assert fresh.headers.get(HIT) is None and "Per Hansen" in readers(fresh)


def test_every_view_of_the_before_the_meeting_page_is_logged_hit_or_not(app, cast):
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg gruar meg til skulen")
    meeting = data.meeting(app, cast.pathway_a, cast.kari, page_cache.utcnow() + timedelta(days=3))
    data.preparation(app, meeting, cast.pathway_a, cast.ola, talk_about="skulen og søvn")
    kari = signed_in(app, cast.kari)
    url = f"/pathways/{cast.pathway_a}/meetings/{meeting}"
    answers = [kari.get(url) for _ in range(4)]
    # The first view marks the entries as new to Kari; once read, the page is stored.
    assert [a.headers.get(HIT) for a in answers] == [None, None, "hit", "hit"]
    assert logged_reads(app, cast.kari) == 4 * 2  # a statement and a preparation, four times
    with app.app_context():
        rows = db.session.execute(select(AccessLog.reader_services, AccessLog.pathway_id, AccessLog.item_kind,
                                         AccessLog.item_id, AccessLog.author_id, AccessLog.at)
                                  .where(AccessLog.reader_id == cast.kari).order_by(AccessLog.id)).all()
    by_view = [sorted(r[:5] for r in rows[n:n + 2]) for n in range(0, 8, 2)]
    assert all(view == by_view[0] for view in by_view)  # a hit logs what the page logged
    assert (InputKind.STATEMENT, statement) in {(r[2], r[3]) for r in rows}
    assert [r[5] for r in rows] == sorted(r[5] for r in rows)  # with the time of each view

    # The young person changes the statement: Kari sees the mark, and it goes once she has read it.
    with app.app_context():
        db.session.execute(text("UPDATE statements SET text = 'Eg gruar meg mindre no', updated_at = :at"
                                " WHERE id = :id"), {"at": page_cache.utcnow().replace(tzinfo=None), "id": statement})
        db.session.commit()
    mark = translated(app, "Changed since you last read")
    changed = kari.get(url)
    assert changed.headers.get(HIT) is None and "Eg gruar meg mindre no" in changed.get_data(as_text=True)
    assert mark in page(changed).text()
    again = kari.get(url)  # read now: no mark, and stored again
    assert again.headers.get(HIT) is None and mark not in page(again).text()
    assert kari.get(url).headers[HIT] == "hit"


def test_a_page_that_reads_the_log_without_saying_how_is_not_stored(app, cast, database_url, tmp_path):
    config = {"TESTING": True, "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
              "SQLALCHEMY_DATABASE_URI": database_url}
    with extra_app(lambda: create_app(config)) as other:
        other.instance_path = str(tmp_path)

        @page_cache.cached()
        def reads_the_log():
            return str(db.session.scalar(select(func.count()).select_from(AccessLog)))

        other.add_url_rule("/_test/reads-the-log", "reads_the_log", reads_the_log)
        client = signed_in(other, cast.kari)
        assert [client.get("/_test/reads-the-log").headers.get(HIT) for _ in range(3)] == [None, None, None]


# --- the store --------------------------------------------------------------------------------

def test_the_store_forgets_older_epochs_and_a_number_that_went_back():
    store = page_cache.PageCache(max_bytes=10_000)
    page = page_cache._Entry(b"x" * 100, [b"x" * 100], None, [], None, [])
    store.put((5, 1), "a", page)
    assert store.get((5, 1), "a") is page
    assert store.get((6, 1), "a") is None
    store.put((6, 1), "b", page)
    store.put((5, 1), "a", page)  # rendered under an epoch already gone: not kept
    assert store.get((6, 1), "a") is None and store.get((6, 1), "b") is page
    assert store.get((2, 1), "b") is None  # a restored database: everything goes
    assert store.get((6, 1), "b") is None


def test_the_store_keeps_to_its_size():
    store = page_cache.PageCache(max_bytes=2_000)
    for n in range(20):
        store.put((1, 1), n, page_cache._Entry(b"x" * 300, [b"x" * 300], None, [], None, []))
    assert store.bytes <= 2_000 and store.get((1, 1), 19) is not None and store.get((1, 1), 0) is None

