"""A cache of whole rendered pages, per person, that is never stale on data.

The young person's home, the professional's worklist and the before-the-meeting page are read far
more often than anything on them changes. Each is rendered once and then served from memory (per
app process) to the same person, until anything in the database changes.

How it stays right
- The database keeps a number, the *generation* (row 1 of `page_generation`). Every transaction that
  writes anything, from any process using this code (the app, `flask` commands, migrations), adds
  one to it in the same transaction, just before COMMIT (`_bump`, an engine event: no code path can
  forget it). The one exception is an INSERT into the access log; see below.
- A request reads the generation first, before anything else it reads, so a page is only ever stored
  under a generation at most as new as its data. An entry is found only under the same generation.
- The key holds the person (the session's user id), the whole URL, the language
  cookie and Accept-Language, and the minute (Europe/Oslo has whole-minute offsets): what changes with
  the time alone (a meeting that starts, an age that changes at midnight, a deadline) is at most as
  old as the current minute, and exactly right at whole minutes.
- Only full-page GETs with status 200 are stored; not htmx requests, not a page with a message
  waiting in the session (flash), not a page whose view chose not to be (`skip`).
- The CSRF token in a stored page is the one of the session it was made for: every serving puts in
  the token of the session asking.
- A hit does not run the view and so not its access rules: it is served only to the person it was
  rendered for, under the same data and minute, which is all those rules decide on.

The access log
Every professional's read is logged, so logging must not throw pages away. Its INSERTs do not change
the generation; instead every page that *reads* the log must say how its content depends on it:
- `vary_on_logged_reads=True` (the young person's home): the key also holds a second number (row 2
  of `page_generation`), which every transaction that logs a read moves in the same way; its reads of
  the log sit inside `declared_log_reads()`. (Any read logged anywhere then renders `/me` again:
  exact and cheap, where counting one person's logged reads would grow with them, and the latest
  read's time or id can commit out of order.)
- A professional's "what did I read last" query sits inside `declared_log_reads()`, and the view
  calls `skip()` when anything on the page is new or changed since that person's last read: a
  stored page then shows what further reads cannot change. The reads the page logs
  (`replay_reads`) are logged again on every hit (on SQLite through `core.read_journal`: a flush
  of a file, folded into the log before anyone reads it).
A page that reads the log outside `declared_log_reads()` (seen on the SQL sent) is not stored.
"""
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps

from flask import Response, current_app, g, has_request_context, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import BigInteger, event, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import Pool

from core import read_journal
from core.extensions import db, htmx
from core.i18n import LANG_COOKIE
from core.models import utcnow

EXTENSION = "stemme_page_cache"
MAX_BYTES = 16 * 1024 * 1024  # per process; least recently used pages go first
_DIRTY = "stemme_writes"  # on a DBAPI connection's info: this transaction wrote
_LOGGED = "stemme_logged_reads"  # and this one logged a read
DATA, READS = 1, 2  # the rows of page_generation

_LEAD = r"(?:\s+|/\*.*?\*/|--[^\n]*(?:\n|$))*"  # white space and comments before the first word
_WRITE = re.compile(_LEAD + r"(?:INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|CREATE|DROP|ALTER)\b", re.I | re.S)
_WRITE_IN_CTE = re.compile(_LEAD + r"WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b", re.I | re.S)
_LOG_INSERT = re.compile(r'\s*INSERT\s+INTO\s+"?access_log"?[\s(]', re.I)
_READS_LOG = re.compile(r'\baccess_log\b', re.I)


class PageGeneration(db.Model):
    """Row 1 (DATA): every writing transaction adds one, unless it only logs reads; row 2 (READS):
    every transaction that logs a read adds one (see the module's docstring)."""

    __tablename__ = "page_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)


# --- the generation: every write adds one -------------------------------------------------------

@event.listens_for(Engine, "before_cursor_execute")
def _watch(conn, cursor, statement, parameters, context, executemany):
    if _WRITE.match(statement) or _WRITE_IN_CTE.match(statement):
        logged = bool(_LOG_INSERT.match(statement))
        conn.info[_LOGGED if logged else _DIRTY] = True
        if not logged and _READS_LOG.search(statement):
            read_journal.check_read()  # changing the log as it stands: the journal first
    elif _READS_LOG.search(statement):
        read_journal.check_read()
        if has_request_context() and "page_render" in g:
            g.page_render.saw_log_read()


@event.listens_for(Engine, "commit")
def _bump(conn):
    """Just before COMMIT, in the same transaction: the generation moves with the data."""
    rows = [row for row, flag in ((DATA, _DIRTY), (READS, _LOGGED)) if conn.info.pop(flag, False)]
    if not rows:
        return
    dbapi_connection = conn.connection.dbapi_connection
    if not _generation_table_exists(dbapi_connection):
        return  # not before the migration that makes the table
    cursor = dbapi_connection.cursor()
    try:
        for row in rows:
            cursor.execute(bump_statement(row))
    finally:
        cursor.close()


def bump_statement(row: int) -> str:
    """The SQL that moves a number (DATA or READS), for writers on a DBAPI connection too."""
    return f"UPDATE page_generation SET n = n + 1 WHERE id = {int(row)}"


def _generation_table_exists(dbapi_connection) -> bool:
    """Asked without an error (an error would end a PostgreSQL transaction)."""
    cursor = dbapi_connection.cursor()
    try:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'page_generation'")
        else:
            cursor.execute("SELECT to_regclass('page_generation') IS NOT NULL")
        return bool(cursor.fetchone()[0])
    finally:
        cursor.close()


@event.listens_for(Engine, "rollback")
def _forget_on_rollback(conn):
    conn.info.pop(_DIRTY, None)
    conn.info.pop(_LOGGED, None)


@event.listens_for(Pool, "reset")
def _forget_on_reset(dbapi_connection, connection_record, reset_state):
    connection_record.info.pop(_DIRTY, None)
    connection_record.info.pop(_LOGGED, None)


def current_numbers(with_reads: bool = False) -> tuple[int | None, int | None]:
    """The generation of the data (None where the table is missing, before migration 0006: then
    nothing is cached) and, `with_reads`, the number that every logged read moves.

    Straight on a pooled DBAPI connection, one statement: this runs on every cached page, hit or
    not, and SQLAlchemy's statement building would cost more than the query."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if with_reads:
            cursor.execute(f"SELECT n, (SELECT n FROM page_generation WHERE id = {READS})"
                           f" FROM page_generation WHERE id = {DATA}")
        else:
            cursor.execute(f"SELECT n, NULL FROM page_generation WHERE id = {DATA}")
        row = cursor.fetchone()
        cursor.close()
    except db.engine.dialect.loaded_dbapi.Error:
        raw.rollback()  # PostgreSQL: the failed statement ended the transaction
        if _generation_table_exists(raw.dbapi_connection):
            raise
        return None, None  # code newer than the database: serve pages uncached until it is migrated
    finally:
        raw.close()  # back to the pool, rolled back
    return (row[0], row[1]) if row else (None, None)


# --- what a render tells the cache --------------------------------------------------------------

@dataclass
class _Render:
    """What the view did while rendering, for the decision to store it."""

    skipped: bool = False
    log_reads_seen: int = 0
    log_reads_declared: int = 0
    declaring: bool = False
    replay: list[dict] = field(default_factory=list)

    def saw_log_read(self):
        self.log_reads_seen += 1
        if self.declaring:
            self.log_reads_declared += 1


def _render() -> _Render | None:
    return g.get("page_render") if has_request_context() else None


def skip() -> None:
    """This render must not be stored (it shows something that serving it again would get wrong)."""
    if (render := _render()) is not None:
        render.skipped = True


@contextmanager
def declared_log_reads():
    """Around a read of the access log whose effect on the page is accounted for: the reads of the
    person's own input on a page with `vary_on_logged_reads`, or a professional's "when did I
    last read these", after which the caller calls `skip()` if anything shown is new or changed."""
    render = _render()
    if render is None:
        yield
        return
    render.declaring = True
    try:
        yield
    finally:
        render.declaring = False


def replay_reads(rows: list[dict]) -> None:
    """The access-log rows this render logged: a hit logs them again, with the time of the hit."""
    if (render := _render()) is not None:
        render.replay.extend(rows)  # `_LogWriter.prepare` keeps all but the time


# --- the cache ----------------------------------------------------------------------------------

@dataclass
class _Entry:
    body: bytes
    parts: list[bytes]  # the body, split where the CSRF token was
    session_token: str | None  # the session's raw CSRF token the body's token was made from
    headers: list[tuple[str, str]]
    reads: int | None
    replay: "_Replay"

    @property
    def size(self) -> int:
        return 2 * len(self.body) + 200


class PageCache:
    """The pages of one epoch (generation and minute); a new epoch empties it."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self.epoch = None
        self.entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self.bytes = 0
        self.log_writer: _LogWriter | None = None
        self.lock = threading.Lock()  # threaded servers; gunicorn's sync workers have one thread

    def get(self, epoch, key) -> _Entry | None:
        with self.lock:
            if epoch != self.epoch:
                if self.epoch is not None and epoch < self.epoch:
                    self._clear(epoch)  # the number went back (a restored database, a clock set back)
                return None
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def _clear(self, epoch) -> None:
        self.epoch, self.bytes = epoch, 0
        self.entries.clear()

    def put(self, epoch, key, entry: _Entry) -> None:
        with self.lock:
            if epoch != self.epoch:
                if self.epoch is not None and epoch < self.epoch:
                    return  # rendered under an epoch already gone
                self._clear(epoch)
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.entries[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes and self.entries:
                _key, dropped = self.entries.popitem(last=False)
                self.bytes -= dropped.size


def init_app(app) -> None:
    if app.config.get("PAGE_CACHE", True):
        app.extensions[EXTENSION] = PageCache(app.config.get("PAGE_CACHE_MAX_BYTES", MAX_BYTES))


def _minute() -> int:
    return int(utcnow().timestamp() // 60)


def cached(vary_on_logged_reads: bool = False):
    """Serve this GET view from the page cache (outermost decorator: a hit runs no view code)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            cache = current_app.extensions.get(EXTENSION)
            user_id = session.get("_user_id")
            if cache is None or request.method != "GET" or htmx or not user_id or "_flashes" in session:
                read_journal.fold()
                return view(*args, **kwargs)
            environ = request.environ  # the address as sent: `request.url` would rebuild it (costly)
            key = (request.endpoint, environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
                   environ.get("SCRIPT_NAME"), environ.get("PATH_INFO"), environ.get("QUERY_STRING"),
                   user_id, request.cookies.get(LANG_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE"))
            if vary_on_logged_reads:
                read_journal.fold()  # the number of logged reads counts the journal's too
            # First: nothing the page reads after this can be older than the number says.
            number, reads = current_numbers(with_reads=vary_on_logged_reads)
            if number is None:
                read_journal.fold()
                return view(*args, **kwargs)
            epoch = (number, _minute())
            entry = cache.get(epoch, key)
            if entry is not None and entry.reads == reads:
                if entry.replay.rows:
                    _log_writer(cache).write(entry.replay)
                return _serve(entry)
            read_journal.fold()  # a render may read the log
            g.page_render = _Render()
            response = current_app.make_response(view(*args, **kwargs))
            render = g.pop("page_render")
            log_accounted = render.log_reads_seen == render.log_reads_declared
            if response.status_code == 200 and not response.is_streamed and not render.skipped and log_accounted:
                cache.put(epoch, key, _entry(response, reads, _log_writer(cache).prepare(render.replay)))
            return response

        wrapped.folds_reads_itself = True  # core.read_journal: not before a hit, which reads no log
        return wrapped

    return decorator


class _LogWriter:
    """Logs a page's reads again on a hit: on SQLite into the read journal (core.read_journal), one
    flush of a file; elsewhere straight on a DBAPI connection, one INSERT and COMMIT.

    The values go through the columns' own bind processors (the same conversion SQLAlchemy makes),
    so the rows are those `pathways.services.log_reads` writes."""

    def __init__(self, engine):
        from pathways.models import AccessLog

        table = AccessLog.__table__
        dialect = engine.dialect
        self.engine = engine
        compiled = insert(table).compile(dialect=dialect, column_keys=list(read_journal.COLUMNS))
        self.sql = str(compiled)
        self.order = list(compiled.positiontup) if compiled.positional else None
        self.process = {name: table.c[name].type.bind_processor(dialect) or (lambda value: value)
                        for name in read_journal.COLUMNS}

    def prepare(self, rows: list[dict]) -> "_Replay":
        """A page's logged rows, converted once when it is stored (all but the time)."""
        prepared = [{name: self.process[name](row[name]) for name in read_journal.COLUMNS if name != "at"}
                    for row in rows]
        return _Replay(prepared, read_journal.Line(prepared) if self.engine.dialect.name == "sqlite" else None)

    def write(self, replay: "_Replay") -> None:
        at = self.process["at"](utcnow())
        journal = read_journal.journal()
        if journal is not None and replay.line is not None and journal.append(replay.line.at(at)):
            return  # SQLite
        rows = [row | {"at": at} for row in replay.rows]
        params = [tuple(row[name] for name in self.order) for row in rows] if self.order else rows
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.executemany(self.sql, params)
            cursor.execute(bump_statement(READS))
            cursor.close()
            raw.commit()
        finally:
            raw.close()


@dataclass
class _Replay:
    """A stored page's logged rows, all but the time, and on SQLite their journal line."""

    rows: list[dict]
    line: "read_journal.Line | None"


def _log_writer(cache: "PageCache") -> _LogWriter:
    if cache.log_writer is None or cache.log_writer.engine is not db.engine:
        cache.log_writer = _LogWriter(db.engine)
    return cache.log_writer


def _entry(response: Response, reads, replay) -> _Entry:
    body = response.get_data()
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")  # Flask-WTF's name in g and in the session
    token = g.get(field)
    parts = body.split(token.encode()) if token else [body]
    headers = [(name, value) for name, value in response.headers.items() if name.lower() == "content-type"]
    return _Entry(body, parts, session.get(field), headers, reads, replay)


def _serve(entry: _Entry) -> Response:
    config = current_app.config
    same_session = (session.get(config.get("WTF_CSRF_FIELD_NAME", "csrf_token")) == entry.session_token
                    and config.get("WTF_CSRF_TIME_LIMIT", 3600) is None)
    if len(entry.parts) == 1 or same_session:
        body = entry.body  # no form, or the same session's token, which does not expire
    else:
        body = generate_csrf().encode().join(entry.parts)  # another session of the same person
    # Every stored page is behind login: core.security sees no-store and need not load the user.
    return Response(body, 200, entry.headers + [("Cache-Control", "no-store"), ("Vary", "HX-Request, Cookie"),
                                                ("X-Page-Cache", "hit")])
