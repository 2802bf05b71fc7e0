"""Acceptance 2: killing the worker in the middle of a batch and starting it again sends no notice twice
and loses none. The real huey consumer runs as a process of its own against the test database (SQLite
with the queue in a SQLite file; PostgreSQL with the queue in Redis), sending to a real SMTP server in
this process. The server never answers one message, so the worker hangs mid-send, and is killed there
(a real server does not accept a message before it answers 250)."""
import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from huey import RedisHuey, SqliteHuey
from sqlalchemy import func, select

from accounts.models import Role, User
from core.extensions import db
from core.models import OSLO
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeStatus
from tests.notices.conftest import Mailbox, _free_port

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).with_name("huey_consumer")
# A database of its own on the Redis that CI and development machines run (the throttle tests use 9).
REDIS = os.environ.get("STEMME_TEST_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/10")
PEOPLE = 30
STALL_AT = 10
# The app's clock in this test: noon in Oslo today, outside the quiet hours whenever the test runs. The
# tasks carry it to the worker (send_notice's `now`), which otherwise sends as of its own clock.
NOON = datetime.combine(date.today(), datetime.min.time().replace(hour=12), OSLO)


class StallingMailbox(Mailbox):
    """A mailbox whose server never answers the `stall_at`-th message: its sender waits as on a hung
    server, and the message is not accepted."""

    def __init__(self, stall_at: int):
        super().__init__()
        self.stall_at = stall_at
        self.received = 0
        self.stalled = threading.Event()
        self.release = None  # an asyncio.Event of the server's loop, made when the stall begins

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        if self.received == self.stall_at:
            self.release = asyncio.Event()
            self.stalled.set()
            await self.release.wait()
            return "421 Closing the connection"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture()
def stalling_mailbox():
    box = StallingMailbox(STALL_AT)
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        if box.release is not None:
            controller.loop.call_soon_threadsafe(box.release.set)
        controller.stop()


@pytest.fixture()
def queue_env(app, database_url, stalling_mailbox, tmp_path):
    """The environment of the worker (and of a `python -c` that enqueues as the app would): this test's
    database, the SMTP server above, and the queue's store for this database."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "HUEY_SQLITE_PATH")}
    env.update(STEMME_ENV="development", PYTHONPATH=str(ROOT), DATABASE_URL=database_url,
               SECRET_KEY=app.config["SECRET_KEY"], SMTP_HOST="127.0.0.1", SMTP_PORT=str(stalling_mailbox.port),
               SMTP_TLS="0", SMTP_USER="", SMS_GATEWAY="")
    if database_url.startswith("sqlite"):
        env["HUEY_SQLITE_PATH"] = str(tmp_path / "huey.sqlite3")
        yield env
        return
    import redis

    try:
        store = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
        store.ping()
    except redis.RedisError as error:
        if os.environ.get("STEMME_REQUIRE_REDIS"):
            pytest.fail(f"STEMME_REQUIRE_REDIS is set but Redis at {REDIS} cannot be reached: {error}", pytrace=False)
        pytest.skip(f"no Redis at {REDIS}")
    store.flushdb()
    env["REDIS_URL"] = REDIS
    try:
        yield env
    finally:
        store.flushdb()
        store.close()


def _people_with_pending_notices(app) -> dict[int, str]:
    """PEOPLE parents, each with a confirmed e-mail address and one pending notice: notice id -> address."""
    now = NOON
    with app.app_context():
        users = [User(role=Role.PARENT, name=f"Forelder {n}", username=f"forelder{n}", password_hash="x", locale="nn")
                 for n in range(PEOPLE)]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all([Contact(user_id=user.id, channel=Channel.EMAIL, address=f"forelder{n}@example.no",
                                    confirmed_at=now) for n, user in enumerate(users)])
        notices = [Notice(user_id=user.id, kind=NoticeKind.RATING_WAITING, occasion=f"rating:{1000 + n}",
                          channel=Channel.EMAIL, status=NoticeStatus.PENDING, due_at=now, created_at=now)
                   for n, user in enumerate(users)]
        db.session.add_all(notices)
        db.session.commit()
        return {notice.id: f"forelder{n}@example.no" for n, notice in enumerate(notices)}


def _in_the_queue(env: dict, code: str) -> str:
    """Run `code` as the app would, with notices.tasks imported against the worker's queue."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _queue(env: dict):
    """The worker's queue, read from this process (the store only: no task is registered here)."""
    if env.get("REDIS_URL"):
        return RedisHuey("stemme", url=env["REDIS_URL"])
    return SqliteHuey("stemme", filename=env["HUEY_SQLITE_PATH"])


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    # One worker thread (a batch is sent in order), no periodic tasks (the test runs them), quick polling.
    with log.open("a") as out:
        return subprocess.Popen([str(CONSUMER), "notices.tasks.huey", "-w", "1", "-n", "-d", "0.05", "-m", "0.5"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_for(condition, worker: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, f"the worker stopped:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"gave up waiting; the worker's log:\n{log.read_text()}"
        time.sleep(0.1)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)  # huey's graceful stop
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _statuses(app) -> dict[str, int]:
    with app.app_context():
        counted = db.session.execute(select(Notice.status, func.count()).group_by(Notice.status)).all()
        db.session.remove()
    return {status.value: number for status, number in counted}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(app, queue_env, stalling_mailbox, tmp_path):
    addresses = _people_with_pending_notices(app)
    log = tmp_path / "worker.log"
    first = _start_worker(queue_env, log)
    try:
        _in_the_queue(queue_env, "from datetime import datetime\nfrom notices.tasks import send_notice\n"
                                 f"for notice_id in {sorted(addresses)}:\n"
                                 f"    send_notice(notice_id, datetime.fromisoformat({NOON.isoformat()!r}))")
        _wait_for(stalling_mailbox.stalled.is_set, first, log)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop(first)
    assert len(stalling_mailbox.messages) == STALL_AT - 1
    assert _statuses(app).get("sent") == STALL_AT - 1

    second = _start_worker(queue_env, log)
    try:
        # Ten minutes on: the notice the killed worker had taken is found and queued again (and so is any
        # still pending, whose task then finds it already sent).
        later = NOON + timedelta(minutes=11)
        requeued = _in_the_queue(queue_env, "from datetime import datetime\nfrom notices.tasks import requeue_stale\n"
                                            f"print(len(requeue_stale(datetime.fromisoformat({later.isoformat()!r}),"
                                            " clock_moved=True)))")
        assert int(requeued) >= 1
        _wait_for(lambda: _statuses(app) == {"sent": PEOPLE}, second, log)
        # The copies of tasks requeue_stale made for notices still waiting in the queue run too.
        _wait_for(lambda: _queue(queue_env).pending_count() == 0, second, log)
        time.sleep(0.5)  # the last one taken may still be running
    finally:
        _stop(second)

    assert sorted(message.envelope_to[0] for message in stalling_mailbox.messages) == sorted(addresses.values())
    for address in addresses.values():
        assert len(stalling_mailbox.to(address)) == 1, address
    assert _statuses(app) == {"sent": PEOPLE}
