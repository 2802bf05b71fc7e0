"""The read journal: on SQLite, a cached page's logged reads are made durable with one flush of a
file instead of a database transaction, and folded into the access log before anyone reads it.

Why
Every view of the before-the-meeting page logs its reads (DOMAIN.md: every read is logged), also
when the page comes from the page cache. On SQLite a logged read is a write transaction: about 30
pages into the write-ahead log, a flush, and every other app process's page cache thrown away,
one process at a time. Here a hit appends one line to a file that only its own process writes,
and flushes it (`fdatasync`) before the page is sent: as durable as a COMMIT, and the processes
no longer wait for each other.

How it stays exact
- One directory per database, named by a random number the database holds (the row with the empty
  name in `read_journal`, made by migration 0007): a new database never takes in an old one's files.
- Each app process appends to its own file, one JSON line per hit, and holds a shared lock on it
  while it is open. A line is complete or, after a crash in the middle of writing it, never
  acknowledged: only complete lines are read.
- Folding takes every complete line not yet folded, inserts its rows into `access_log` and moves the
  file's position in `read_journal`, in one transaction: a line is folded exactly once, whoever
  folds and whatever crashes. A row whose pathway or people are gone meanwhile is left out, as
  deleting them would have deleted it. The transaction moves the number of logged reads
  (`page_generation` row 2) as any logged read does.
- Every request folds first (`init_app`: before anything else it does), except a page-cache hit,
  which reads no log, and static files. A process also folds once FOLD_BYTES of its own file wait,
  so that no request has a long backlog to fold. The log is read only after that: a request that
  reads it without having folded is an error under test (the SQL sent is watched, `check_read`).
- The app's `flask` commands (`db`, `users`, `demo-data`, `feedback`) fold before they run
  (`fold_before_commands`); Flask's own (`shell`, `routes`) do not.
- A fold that fails (a database locked past its timeout) is logged and the request goes on; the
  lines wait for the next fold. A line or row no fold can take (another schema's) is logged and
  left out rather than stopping every fold.
- A file whose process is gone (its lock is free) is deleted once folded; a process starts a new
  file past ROTATE_BYTES. A write that fails (a full disk) is cut off again and answered with an
  error: the page is not sent.

PostgreSQL has no journal: app processes may run on several machines, and a hit's reads go
straight into the access log.
"""
import fcntl
import functools
import json
import logging
import os
import secrets
import sqlite3
import threading

import click
from flask import current_app, g, has_request_context, request
from flask.cli import ScriptInfo
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db

EXTENSION = "stemme_read_journal"
SUFFIX = ".reads"  # the directory beside the database file
ROTATE_BYTES = 1 << 20
FOLD_BYTES = 64 << 10  # a process folds its own file once this much waits (about 90 views of a page)
_FOLDED = "stemme_reads_folded"  # on g: this request folded the journal
_DISPATCHED = "stemme_dispatched"  # on g: a request being served (not a bare test_request_context)
COLUMNS = ("at", "reader_id", "reader_services", "pathway_id", "item_kind", "item_id", "author_id")  # of a logged read
_INSERT = f"INSERT INTO access_log ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
_INSERT_IF_STILL_THERE = (  # a row at a time, only after the fast way met a deleted pathway or person
    f"INSERT INTO access_log ({', '.join(COLUMNS)}) SELECT {', '.join(':' + c for c in COLUMNS)}"
    " WHERE EXISTS (SELECT 1 FROM pathways WHERE id = :pathway_id)"
    " AND EXISTS (SELECT 1 FROM users WHERE id = :reader_id)"
    " AND EXISTS (SELECT 1 FROM users WHERE id = :author_id)"
)


class JournalPosition(db.Model):
    """How far each journal file is folded into the access log; the row with the empty name holds
    the database's journal id (the name of its directory)."""

    __tablename__ = "read_journal"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


def _home(engine) -> str | None:
    """The directory of this database's journal files: beside an SQLite file, nothing elsewhere."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    return os.path.realpath(engine.url.database) + SUFFIX  # the same for every process, however it names the file


class ReadJournal:
    """One database's journal, as seen by one process (its own file, what it knows is folded)."""

    def __init__(self, engine, home: str):
        self.engine = engine
        self.home = home
        self.directory: str | None = None  # home/<the database's journal id>, read on first use
        self.lock = threading.Lock()  # threads of one process share its file
        self.own = None  # (name, file descriptor, size) of this process's file
        self.known: dict[str, int] = {}  # file name -> position known to be folded
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        """A forked child writes its own file, never its parent's, and starts with free locks."""
        if self.own is not None:
            os.close(self.own[1])  # the parent's lock stays the parent's
        self.own = None
        self.lock = threading.Lock()

    # --- where ---

    def _directory(self) -> str | None:
        if self.directory is None:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("SELECT position FROM read_journal WHERE name = ''")
                row = cursor.fetchone()
                cursor.close()
            except self.engine.dialect.loaded_dbapi.Error:
                return None  # before migration 0007: nothing is journaled yet
            finally:
                raw.close()
            if row is None:
                return None
            self._use(row[0])
        return self.directory

    def _use(self, journal_id: int) -> None:
        directory = os.path.join(self.home, f"{journal_id:x}")
        if directory != self.directory:  # first use, or another database put in this one's place
            if self.directory is not None:
                with self.lock:  # not while a thread writes it
                    if self.own is not None:
                        os.close(self.own[1])
                        self.own = None
            self.directory, self.known = directory, {}

    # --- writing: a cached page's hit ---

    def append(self, line: bytes) -> bool:
        """Write this journal line (`Line.at`) durably; False if there is no journal yet
        (the caller then writes its rows to the database)."""
        if self._directory() is None:
            return False
        with self.lock:  # also over the flush: another thread may start a new file and close this one
            if self.directory is None:  # read under the lock: `_use` may change it
                return False
            name, fd, size = self._own_file(self.directory)
            try:
                written = 0
                while written < len(line):  # a full disk can write part of it
                    written += os.write(fd, line[written:])
                os.fdatasync(fd)  # durable before the page goes out, like a COMMIT
            except OSError:
                self.own = None  # a new file next time, whatever happens below
                try:
                    os.ftruncate(fd, size)  # no half line for the next one to join
                finally:
                    os.close(fd)
                raise
            self.own = (name, fd, size + len(line))
            backlog = size + len(line) - self.known.get(name, 0)
        if backlog >= FOLD_BYTES:
            try:
                self.fold()  # now and then, so that no reader's request has a long backlog to fold
            except Exception:  # noqa: BLE001 - the read is logged already; folding comes again
                current_app.logger.exception("folding the read journal failed; a later request folds it")
        return True

    def _own_file(self, directory: str) -> tuple[str, int, int]:
        if self.own is not None and self.own[2] >= ROTATE_BYTES:
            os.close(self.own[1])  # frees its lock: whoever folds it next deletes it
            self.own = None
        if self.own is None:
            created = not os.path.isdir(directory)
            os.makedirs(directory, exist_ok=True)
            name = f"{os.getpid()}-{secrets.token_hex(6)}.jsonl"
            path = os.path.join(directory, name)
            fd = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
            fcntl.flock(fd, fcntl.LOCK_SH)  # alive: nobody deletes it ...
            os.rename(path + ".new", path)  # ... from the moment a folder can see it
            _sync_directory(directory)  # the new name survives a crash
            if created:  # and so do the new directories
                _sync_directory(self.home)
                _sync_directory(os.path.dirname(self.home))
            self.own = (name, fd, 0)
        return self.own

    # --- folding: before the log is read ---

    def _sizes(self, directory: str) -> dict[str, int]:
        sizes = {}
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            return sizes
        for entry in entries:
            if entry.name.endswith(".jsonl"):
                try:
                    sizes[entry.name] = entry.stat().st_size
                except FileNotFoundError:
                    pass  # folded and deleted by another process just now
        return sizes

    def pending(self) -> bool:
        """Whether any file may hold lines not yet folded. A few stat calls; only when a file has
        grown past what this process knows, one plain SELECT of the positions (no lock)."""
        directory = self._directory()
        if directory is None:
            return False
        sizes = self._sizes(directory)
        if all(size <= self.known.get(name, 0) for name, size in sizes.items()):
            return False
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("SELECT name, position FROM read_journal")
            positions = dict(cursor.fetchall())
            cursor.close()
        except self.engine.dialect.loaded_dbapi.Error:
            self.directory = None  # migrated down past 0007: hits write to the database again
            return False
        finally:
            raw.close()
        if positions.get("") is not None:
            self._use(positions.pop(""))
        self.known = {name: positions[name] for name in sizes if name in positions}
        return any(size > self.known.get(name, 0) for name, size in sizes.items())

    def fold(self) -> int:
        """Fold every complete line not yet folded into the access log; the number of rows added."""
        if not self.pending():
            return 0
        added, gone = 0, []
        with _FoldLock(os.path.join(self.home, "fold.lock")):  # threads too: each fold opens its own
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("BEGIN IMMEDIATE")  # positions read and moved in one write transaction
                cursor.execute("SELECT name, position FROM read_journal")
                positions = dict(cursor.fetchall())
                journal_id = positions.pop("", None)
                if journal_id is None:  # the row migration 0007 made is gone: nothing to fold into
                    raw.rollback()
                    return 0
                self._use(journal_id)  # read where it cannot change under us
                directory, moved = self.directory, False
                files = self._sizes(directory)
                for name in files:
                    start = positions.get(name, 0)
                    rows, end, owner_gone = _read_lines(os.path.join(directory, name), start)
                    if rows:
                        added += _insert(cursor, rows)
                    if end != start:
                        cursor.execute("INSERT INTO read_journal (name, position) VALUES (?, ?)"
                                       " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                                       (name, end))
                        positions[name], moved = end, True
                    if owner_gone:
                        gone.append(name)
                if added:
                    from core.page_cache import READS, bump_statement  # (it imports this module)

                    cursor.execute(bump_statement(READS))
                cursor.close()
                raw.commit() if moved else raw.rollback()
            except BaseException:
                raw.rollback()
                raise
            finally:
                raw.close()
            for name in gone:  # folded to its last whole line, and nobody writes it any more
                os.unlink(os.path.join(directory, name))
            if gone:  # then its position (the other way round, a crash could fold it again)
                self._forget(gone)
                for name in gone:
                    positions.pop(name, None)
            self.known = positions
        return added

    def _forget(self, names: list[str]) -> None:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.executemany("DELETE FROM read_journal WHERE name = ?", [(name,) for name in names])
            cursor.close()
            raw.commit()
        finally:
            raw.close()

    def discard(self) -> None:
        """Tests: forget every file and position (the tables are emptied between tests). Only for a
        single process: another one's file would be deleted under it."""
        with self.lock:
            if self.own is not None:
                os.close(self.own[1])
            self.own = None
            directory = self._directory()
            for name in self._sizes(directory) if directory else []:
                os.unlink(os.path.join(directory, name))
            self.known = {}
            with self.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM read_journal WHERE name != ''")


class Line:
    """A cached page's journal line, encoded once when the page is stored: a hit fills in its time.

    A line is a JSON list of objects, one per access-log row (values as the database stores them),
    "at" first in each; JSON escapes every control character, so no newline falls within."""

    def __init__(self, rows: list[dict]):  # the rows without "at"
        parts = ["["]
        for i, row in enumerate(rows):
            parts[-1] += ("," if i else "") + '{"at":'
            rest = _json(row)  # '{...}': its members follow the time
            parts.append("," + rest[1:] if len(rest) > 2 else "}")
        parts[-1] += "]\n"
        self.parts = [part.encode() for part in parts]

    def at(self, at) -> bytes:
        return _json(at).encode().join(self.parts)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_as_sqlite_stores)


def _insert(cursor, rows: list[dict]) -> int:
    """Insert the rows; those whose pathway or people were deleted meanwhile are left out, as
    deleting them would have deleted the rows. The number inserted."""
    cursor.execute("SAVEPOINT fold_rows")
    try:
        cursor.executemany(_INSERT, rows)
        cursor.execute("RELEASE fold_rows")
        return len(rows)
    except sqlite3.IntegrityError:  # a foreign key: rare, so the slower way only then
        cursor.execute("ROLLBACK TO fold_rows")
        cursor.execute("RELEASE fold_rows")
    added = 0
    for row in rows:
        try:
            cursor.execute(_INSERT_IF_STILL_THERE, row)
            added += cursor.rowcount
        except sqlite3.IntegrityError:  # a row no database of this schema takes: set aside, not retried forever
            logging.getLogger(__name__).exception("read journal: a row left out: %r", row)
    return added


def _as_sqlite_stores(value):
    """A value as the sqlite3 driver would store it (a datetime: its adapter's text), so that a
    folded row is the row a direct INSERT would have made."""
    adapt = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
    if adapt is None:
        raise TypeError(f"no SQLite form for {type(value).__name__}")
    return adapt(value)


def _sync_directory(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_lines(path: str, start: int) -> tuple[list[dict], int, bool]:
    """The rows of the complete lines after `start`, where they end, and whether the file's process
    is gone (nobody holds its lock)."""
    with open(path, "rb") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            owner_gone = True
        except BlockingIOError:
            owner_gone = False
        file.seek(start)
        data = file.read()
    end = data.rfind(b"\n") + 1
    rows = []
    for line in data[:end].splitlines():
        try:
            parsed = json.loads(line)
            if not (isinstance(parsed, list) and all(isinstance(row, dict) and row.keys() == set(COLUMNS)
                                                     for row in parsed)):
                raise ValueError("not a list of access-log rows")
        except ValueError:  # never written so (see append); kept out rather than stopping every fold
            logging.getLogger(__name__).error("read journal %s: a line left out (%s): %r", path,
                                              "not rows of this schema", line[:200])
            continue
        rows.extend(parsed)
    return rows, start + end, owner_gone


class _FoldLock:
    """The app's processes fold one at a time (a file lock, handed over at once)."""

    def __init__(self, path: str):
        self.path = path

    def __enter__(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)  # closing frees the lock


# --- the app ------------------------------------------------------------------------------------

def journal() -> ReadJournal | None:
    """This app's journal on its current engine, or None (PostgreSQL, an in-memory database)."""
    journals = current_app.extensions.setdefault(EXTENSION, {})
    engine = db.engine
    if engine not in journals:
        home = _home(engine)
        journals[engine] = ReadJournal(engine, home) if home else None
    return journals[engine]


def fold() -> None:
    """Fold the journal before this request reads the access log (see the module's docstring). A
    fold that fails is logged and the request goes on (under test it fails): the reads wait in the
    journal for the next fold, and a page meanwhile shows the log without them."""
    if (current := journal()) is not None:
        try:
            current.fold()
        except Exception:
            if current_app.testing:
                raise
            current_app.logger.exception("folding the read journal failed; the next request tries again")
            return
    if has_request_context():
        g.setdefault(_FOLDED, True)


def check_read() -> None:
    """Called for each statement that reads the access log: under test, one that did not fold
    first is an error (its page could miss reads still in the journal)."""
    if (has_request_context() and _DISPATCHED in g and _FOLDED not in g and current_app.testing
            and journal() is not None):
        raise RuntimeError(f"{request.endpoint} reads the access log without folding the read journal first")


def fold_before_commands(group: click.Group) -> None:
    """`flask` commands fold first too: they may read the log, change it (a migration) or make a
    person whose id a line names."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            fold_before_commands(command)
        elif command.callback is not None and not getattr(command.callback, "folds_reads_first", False):
            command.callback = _folding_first(command.callback)


def _folding_first(callback):
    @functools.wraps(callback)
    def wrapped(*args, **kwargs):
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
        with app.app_context():
            fold()
        return callback(*args, **kwargs)

    wrapped.folds_reads_first = True  # the command objects are shared by every app made
    return wrapped


def init_app(app) -> None:
    def fold_first():
        g.setdefault(_DISPATCHED, True)
        if request.endpoint == "static":
            return
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "folds_reads_itself", False):
            return  # core.page_cache: a hit reads no log; a miss folds before the view
        fold()

    app.before_request_funcs.setdefault(None, []).insert(0, fold_first)
