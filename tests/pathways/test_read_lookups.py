"""The two lookups on the access log behind every read mark: a professional's last read of each entry
("changed since you last read", access.log.last_read_at) and who read each statement, when
(read receipts, youth.services._readers_of). They answer as the log says, and the work they ask of
the database does not grow with how often the entries were read: the log only ever grows."""
from datetime import timedelta

from sqlalchemy import event, insert, select

from access.log import last_read_at
from accounts.models import User
from core.extensions import db
from pathways.models import AccessLog, InputKind
from tests.pathways import reading_data as data
from tests.pathways.reading_data import last_reads
from youth.models import Statement
from youth.services import _readers_of

T0 = data.T0
S = InputKind.STATEMENT



def _log(app, cast, reads):
    """Log reads of statements: (reader id, their services then, statement id, minutes after T0)."""
    with app.app_context():
        db.session.execute(insert(AccessLog), [
            {"at": T0 + timedelta(minutes=minutes), "reader_id": reader, "reader_services": services,
             "pathway_id": cast.pathway_a, "item_kind": S, "item_id": item, "author_id": cast.ola}
            for reader, services, item, minutes in reads])
        db.session.commit()


def _statements(app, cast, n):
    return [data.statement(app, cast.pathway_a, cast.ola, f"Utsegn {i}") for i in range(n)]


def test_last_reads_and_read_receipts_answer_as_the_log_says(app, cast):
    one, two, never = _statements(app, cast, 3)
    _log(app, cast, [
        (cast.kari, "BUP Test", one, 1), (cast.kari, "BUP Test, PPT Test", one, 5), (cast.kari, "BUP Test", one, 3),
        (cast.per, "Skulehelse Test", one, 2), (cast.per, "Skulehelse Test", two, 4),
        (cast.per, "Skulehelse Test", two, 4),  # two reads logged at the same instant
        (cast.lise, "PPT Test", two, 1),
    ])
    entries = [(S, one, cast.ola), (S, two, cast.ola), (S, never, cast.ola)]
    with app.test_request_context():
        kari, per, admin = (db.session.get(User, i) for i in (cast.kari, cast.per, cast.admin))
        assert last_reads(kari, entries) == {(S, one): T0 + timedelta(minutes=5)}
        assert last_reads(per, entries) == {(S, one): T0 + timedelta(minutes=2), (S, two): T0 + timedelta(minutes=4)}
        assert last_reads(admin, entries) == {}

        changed = {one: T0 + timedelta(minutes=3), two: T0, never: T0}
        readers = _readers_of(S, changed)
        assert set(readers) == {one, two}
        assert [(r.name, r.services, r.at, r.before_change) for r in readers[one]] == [
            ("Kari Nordmann", "BUP Test, PPT Test", T0 + timedelta(minutes=5), False),  # the services of that read
            ("Per Hansen", "Skulehelse Test", T0 + timedelta(minutes=2), True),
        ]
        assert [(r.name, r.at) for r in readers[two]] == [
            ("Per Hansen", T0 + timedelta(minutes=4)), ("Lise Berg", T0 + timedelta(minutes=1))]
        assert _readers_of(S, {}) == {} and last_reads(kari, []) == {}


def _work(app, lookup) -> int:
    """What `lookup`'s one query on the access log costs the database: on SQLite the steps of its
    virtual machine (in tens), on PostgreSQL the rows of access_log it looks at (EXPLAIN ANALYZE)."""
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "access_log" in statement:
            seen.append((statement, parameters))

    with app.test_request_context():
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            lookup()
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        assert len(seen) == 1
        statement, parameters = seen[0]
        raw = db.session.connection().connection.dbapi_connection
        if db.engine.dialect.name == "sqlite":
            steps = [0]

            def step():
                steps[0] += 1
                return 0

            raw.set_progress_handler(step, 10)
            try:
                raw.execute(statement, parameters).fetchall()
            finally:
                raw.set_progress_handler(None, 10)
            return steps[0]
        cursor = raw.cursor()
        # Tables this small may be read whole; what counts is what the query asks of an index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
        return _rows_read(cursor.fetchone()[0][0]["Plan"])


def _rows_read(node: dict) -> int:
    """Rows of access_log a plan looked at: those it passed on and those it filtered out."""
    own = 0
    if node.get("Relation Name") == "access_log":
        looked_at = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                     + node.get("Rows Removed by Index Recheck", 0))
        own = looked_at * node["Actual Loops"]
    return own + sum(_rows_read(child) for child in node.get("Plans", []))


def test_the_lookups_do_not_grow_with_the_number_of_reads(app, cast):
    statements = _statements(app, cast, 4)
    readers = [(cast.kari, "BUP Test"), (cast.per, "Skulehelse Test"), (cast.lise, "PPT Test")]

    def reads(start, n):  # n reads of every statement by every reader
        return [(reader, services, item, start + i) for i in range(n) for reader, services in readers
                for item in statements]

    def measure():
        # As the pathway page asks it: its statements, each with Kari's last read (one query).
        return (_work(app, lambda: db.session.execute(
                    select(Statement.id, last_read_at(S, Statement.id, cast.kari))
                    .where(Statement.id.in_(statements))).all()),
                _work(app, lambda: _readers_of(S, dict.fromkeys(statements, T0))))

    _log(app, cast, reads(0, 5))
    few = measure()
    _log(app, cast, reads(10, 500))  # a hundred times as many
    many = measure()
    assert all(m > 0 for m in few)
    # A scan of every read would cost about a hundred times more here.
    assert many[0] < 2 * few[0] and many[1] < 2 * few[1], (few, many)
