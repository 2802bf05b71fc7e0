"""The read journal (core.read_journal): on SQLite, a cached page's logged reads are flushed to a file
and folded into the access log, exactly once, before anyone reads the log.

These tests run on their own SQLite file whatever database the suite uses: PostgreSQL has no
journal (the last test)."""
import itertools
import json
import os
import sqlite3
import threading
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select

from accounts.models import Role, Service, ServiceKind, User, YoungPerson
from app import create_app
from core import page_cache, read_journal
from core.extensions import db
from pathways.models import AccessLog, Pathway, TeamMember
from tests.helpers import extra_app, sign_in
from tests.pathways import reading_data as data

HIT = "X-Page-Cache"
_names = itertools.count(1)


def _config(url: str) -> dict:
    return {"TESTING": True, "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": url}


@pytest.fixture(scope="module")
def journal_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("journal") / "journal.sqlite3"
    with extra_app(lambda: create_app(_config(f"sqlite:///{path}"))) as app:
        with app.app_context():
            upgrade()
        app.database_path = str(path)
        yield app


def _family(app, password_hash="x") -> dict:
    """A professional on a young person's pathway, one statement, a meeting in three days and the
    young person's preparation for it."""
    n = next(_names)
    with app.app_context():
        bup = Service(name=f"BUP {n}", kind=ServiceKind.BUP, municipality="Molde")
        kari = User(role=Role.PROFESSIONAL, name=f"Kari {n}", email=f"kari{n}@test.no", password_hash=password_hash,
                    services=[bup])
        ola = User(role=Role.YOUNG_PERSON, name=f"Ola {n}", username=f"ola{n}", password_hash=password_hash)
        young = YoungPerson(name=f"Ola {n}", birth_date=page_cache.utcnow().date().replace(year=2011), user=ola)
        db.session.add_all([kari, ola, young])
        db.session.flush()
        pathway = Pathway(young_person=young, title="Søvn", coordinator=kari)
        pathway.members = [TeamMember(user=kari, added_by_id=kari.id)]
        db.session.add(pathway)
        db.session.commit()
        ids = {"kari": kari.id, "ola": ola.id, "pathway": pathway.id}
    ids["statement"] = data.statement(app, ids["pathway"], ids["ola"], "Eg søv dårleg")
    ids["meeting"] = data.meeting(app, ids["pathway"], ids["kari"], page_cache.utcnow() + timedelta(days=3))
    data.preparation(app, ids["meeting"], ids["pathway"], ids["ola"], talk_about="skulen og søvn")
    return ids


def _client(app, user_id):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def _stored(app, reader_id) -> list[tuple]:
    """The access log as it is in the database file, read past the app (which would fold first)."""
    with sqlite3.connect(app.database_path) as conn:
        return conn.execute("SELECT reader_services, pathway_id, item_kind, item_id, author_id, at, typeof(at)"
                            " FROM access_log WHERE reader_id = ? ORDER BY id", (reader_id,)).fetchall()


def _journal_lines(app) -> int:
    with app.app_context():
        directory = read_journal.journal()._directory()
    lines = 0
    for entry in os.scandir(directory) if os.path.isdir(directory) else []:
        if entry.name.endswith(".jsonl"):
            with open(entry.path, "rb") as file:
                lines += file.read().count(b"\n")
    return lines


def _line(rows: list[dict]) -> bytes:
    """Rows as the journal holds them: one JSON list of objects per line, a time as SQLite stores it."""
    return json.dumps(rows, default=str).encode() + b"\n"


def _rows(ids: dict, n: int = 1) -> list[dict]:
    return [{"at": page_cache.utcnow().replace(tzinfo=None), "reader_id": ids["kari"], "reader_services": "BUP",
             "pathway_id": ids["pathway"], "item_kind": "statement", "item_id": ids["statement"],
             "author_id": ids["ola"]} for _ in range(n)]


def test_a_hit_flushes_its_reads_to_the_journal_and_the_next_request_folds_them(journal_app):
    ids = _family(journal_app)
    kari = _client(journal_app, ids["kari"])
    url = f"/pathways/{ids['pathway']}/meetings/{ids['meeting']}"
    before_lines = _journal_lines(journal_app)
    answers = [kari.get(url) for _ in range(4)]
    assert [a.headers.get(HIT) for a in answers] == [None, None, "hit", "hit"]
    # The two renders wrote to the database; the two hits one journal line each, not yet folded.
    assert len(_stored(journal_app, ids["kari"])) == 2 * 2
    assert _journal_lines(journal_app) == before_lines + 2
    with journal_app.app_context():
        reads_before = page_cache.current_numbers(with_reads=True)[1]

    # Any request folds first: here the young person's own home page.
    assert _client(journal_app, ids["ola"]).get("/me").status_code == 200
    rows = _stored(journal_app, ids["kari"])
    assert len(rows) == 4 * 2
    by_view = [sorted(row[:5] for row in rows[n:n + 2]) for n in range(0, 8, 2)]
    assert all(view == by_view[0] for view in by_view)  # a hit logs what the render logged
    assert {row[6] for row in rows} == {"text"}  # the time stored as the ORM stores it
    assert [row[5] for row in rows] == sorted(row[5] for row in rows)
    assert all(len(row[5]) == len(rows[0][5]) for row in rows)
    with journal_app.app_context():
        assert page_cache.current_numbers(with_reads=True)[1] > reads_before  # /me shows the new reads


def test_a_stored_pages_line_is_the_line_of_its_rows_with_the_time_of_the_hit():
    at = page_cache.utcnow().replace(tzinfo=None)
    rows = [{"at": at, "reader_id": 7, "reader_services": 'BUP "Molde"\nPPT – ære', "pathway_id": 3,
             "item_kind": "statement", "item_id": n, "author_id": 9} for n in (1, 2)]
    template = read_journal.Line([{k: v for k, v in row.items() if k != "at"} for row in rows])
    made = template.at(at)
    assert made.endswith(b"\n") and made.count(b"\n") == 1
    assert json.loads(made) == json.loads(_line(rows))
    assert json.loads(read_journal.Line([]).at(at)) == []


def test_folding_takes_each_line_once_whoever_folds(journal_app):
    ids = _family(journal_app)
    with journal_app.app_context():
        engine, home = db.engine, read_journal.journal().home
        one, two = read_journal.ReadJournal(engine, home), read_journal.ReadJournal(engine, home)  # two processes
        assert one.append(_line(_rows(ids, 3))) and two.append(_line(_rows(ids, 2)))
        two.fold()
        one.fold()
        two.fold()
        assert _count(ids) == 5
        for _ in range(5):
            one.append(_line(_rows(ids)))
            two.append(_line(_rows(ids)))
        threads = [threading.Thread(target=journal.fold) for journal in (one, two, one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert _count(ids) == 15
        read_journal.journal().discard()  # the app's own journal lets go of its file first


def _count(ids) -> int:
    return db.session.scalar(select(func.count()).select_from(AccessLog).where(AccessLog.reader_id == ids["kari"]))


def test_a_gone_process_file_is_folded_to_its_last_whole_line_and_then_deleted(journal_app):
    ids = _family(journal_app)
    with journal_app.app_context():
        journal = read_journal.journal()
        directory = journal._directory()
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, "999999-gone.jsonl")
        whole = _line(_rows(ids, 2))
        with open(path, "wb") as file:  # nobody holds its lock: its process is gone
            file.write(whole + whole[:40])  # a crash in the middle of the second line
        read_journal.fold()
        assert _count(ids) == 2
        assert not os.path.exists(path)
        read_journal.fold()  # nothing twice; the position of a deleted file goes too
        assert _count(ids) == 2
        names = db.session.scalars(select(read_journal.JournalPosition.name)).all()
        assert "999999-gone.jsonl" not in names


def test_reads_of_a_pathway_deleted_meanwhile_are_left_out(journal_app):
    ids = _family(journal_app)
    with journal_app.app_context():
        journal = read_journal.journal()
        gone = dict(ids, pathway=10 ** 9)
        journal.append(_line(_rows(gone, 2) + _rows(ids, 1)))
        assert journal.fold() == 1
        assert _count(ids) == 1
        assert not journal.pending()


def test_a_process_starts_a_new_file_past_the_limit_and_the_old_one_goes_once_folded(journal_app, monkeypatch):
    ids = _family(journal_app)
    monkeypatch.setattr(read_journal, "ROTATE_BYTES", 1)
    with journal_app.app_context():
        journal = read_journal.ReadJournal(db.engine, read_journal.journal().home)
        journal.append(_line(_rows(ids)))
        first = journal.own[0]
        journal.append(_line(_rows(ids)))
        second = journal.own[0]
        assert first != second
        journal.fold()
        files = os.listdir(journal._directory())
        assert first not in files and second in files  # the old one is let go and deleted; ours stays
        assert _count(ids) == 2
        read_journal.journal().discard()


def test_a_process_folds_its_own_file_once_enough_waits(journal_app, monkeypatch):
    ids = _family(journal_app)
    with journal_app.app_context():
        journal = read_journal.journal()
        journal.fold()
        monkeypatch.setattr(read_journal, "FOLD_BYTES", 3 * len(_line(_rows(ids, 2))))
        journal.append(_line(_rows(ids, 2)))
        journal.append(_line(_rows(ids, 2)))
        assert _count(ids) == 0  # two lines wait
        journal.append(_line(_rows(ids, 2)))
        assert _count(ids) == 6 and not journal.pending()  # the third folds all three


def test_a_write_that_fails_is_cut_off_and_the_next_line_starts_clean(journal_app, monkeypatch):
    ids = _family(journal_app)
    with journal_app.app_context():
        journal = read_journal.ReadJournal(db.engine, read_journal.journal().home)
        journal.append(_line(_rows(ids)))
        name = journal.own[0]
        real_write = os.write

        def disk_full(fd, data):
            real_write(fd, data[:25])  # part of the line, then the disk is full
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(read_journal.os, "write", disk_full)
        with pytest.raises(OSError):
            journal.append(_line(_rows(ids)))  # the page is not sent
        monkeypatch.setattr(read_journal.os, "write", real_write)
        assert journal.own is None  # a new file for the next line
        with open(os.path.join(journal._directory(), name), "rb") as file:
            assert file.read().count(b"\n") == 1 and file.tell() == len(_line(_rows(ids)))
        journal.append(_line(_rows(ids)))
        read_journal.fold()
        assert _count(ids) == 2
        read_journal.journal().discard()


def test_a_line_that_is_not_json_is_left_out_and_the_rest_folded(journal_app, caplog):
    ids = _family(journal_app)
    with journal_app.app_context():
        directory = read_journal.journal()._directory()
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "999998-broken.jsonl"), "wb") as file:
            file.write(b"{not json\n" + _line(_rows(ids, 2)))
        read_journal.fold()
        assert _count(ids) == 2
        assert "a line left out" in caplog.text


def test_a_line_of_another_shape_is_left_out_and_the_app_goes_on(journal_app, caplog):
    ids = _family(journal_app)
    with journal_app.app_context():
        directory = read_journal.journal()._directory()
        os.makedirs(directory, exist_ok=True)
        wrong = [dict(row, new_column=1) for row in _rows(ids)]  # written by code of another schema
        with open(os.path.join(directory, "999997-other.jsonl"), "wb") as file:
            file.write(_line(wrong) + b'{"a": 1}\n' + _line(_rows(ids, 2)))
        read_journal.fold()
        assert _count(ids) == 2
        assert caplog.text.count("a line left out") == 2


def test_a_flask_command_folds_first(journal_app):
    ids = _family(journal_app)
    with journal_app.app_context():
        read_journal.ReadJournal(db.engine, read_journal.journal().home).append(_line(_rows(ids, 3)))
    assert len(_stored(journal_app, ids["kari"])) == 0
    result = journal_app.test_cli_runner().invoke(args=["feedback", "send-due"])
    assert result.exit_code == 0, result.output
    assert len(_stored(journal_app, ids["kari"])) == 3


def test_a_database_put_in_another_ones_place_does_not_take_in_its_lines(journal_app, tmp_path):
    ids = _family(journal_app)
    path = tmp_path / "swapped.sqlite3"
    with extra_app(lambda: create_app(_config(f"sqlite:///{path}"))) as other:
        with other.app_context():
            upgrade()
            journal = read_journal.journal()
            first = journal._directory()
            journal.append(_line(_rows(dict(ids, kari=1, ola=1, pathway=1), 2)))  # lines of the first database
            with db.engine.begin() as conn:  # a new database at the same path: a new journal id
                conn.exec_driver_sql("UPDATE read_journal SET position = position + 1 WHERE name = ''")
            assert journal.fold() == 0
            assert journal._directory() != first and journal.own is None


def test_a_request_that_reads_the_log_without_folding_is_an_error_under_test(journal_app):
    def reads_the_log():
        return str(db.session.scalar(select(func.count()).select_from(AccessLog)))

    reads_the_log.folds_reads_itself = True  # claims to fold, and does not
    with extra_app(lambda: create_app(_config(f"sqlite:///{journal_app.database_path}"))) as other:
        other.add_url_rule("/_test/unfolded-read", "unfolded_read", reads_the_log)
        other.add_url_rule("/_test/read", "read", lambda: reads_the_log())  # folds before, as every view
        assert other.test_client().get("/_test/read").status_code == 200
        with pytest.raises(RuntimeError, match="without folding"):
            other.test_client().get("/_test/unfolded-read")


def test_each_database_has_its_own_journal(journal_app, tmp_path):
    other_path = tmp_path / "other.sqlite3"
    with extra_app(lambda: create_app(_config(f"sqlite:///{other_path}"))) as other:
        with other.app_context():
            upgrade()
            other_directory = read_journal.journal()._directory()
    with journal_app.app_context():
        directory = read_journal.journal()._directory()
    assert os.path.dirname(directory) == journal_app.database_path + ".reads"
    assert os.path.dirname(other_directory) == str(other_path) + ".reads"
    assert os.path.basename(directory) != os.path.basename(other_directory)  # a new database, a new id


def test_postgresql_and_a_database_in_memory_have_no_journal():
    assert read_journal._home(create_engine("postgresql+psycopg://postgres@127.0.0.1/test")) is None
    assert read_journal._home(create_engine("sqlite://")) is None
    on_file = create_engine("sqlite:////srv/stemme/stemme.sqlite3")
    assert read_journal._home(on_file) == "/srv/stemme/stemme.sqlite3.reads"
