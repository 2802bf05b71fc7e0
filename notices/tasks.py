"""The task queue (huey) that sends notices and runs the schedule; `make run` starts its worker beside the
app, production runs `huey_consumer notices.tasks.huey` (see the README).

The queue's store is chosen from the environment when this module is imported: Redis when REDIS_URL is
set (production, several workers), else a SQLite file in the instance folder (`make run`, no extra
server; HUEY_SQLITE_PATH moves it). The queue only says "try notice 12 now"; what was sent is decided in
the database (notices.delivery takes a notice with a conditional UPDATE), so a task run twice sends once,
and a task lost with a killed worker is found again by `requeue_stale`.

Periodic tasks, so that no outside cron is needed:
- every minute: plan the notices that fall due, enqueue them, and enqueue again those a worker lost;
- every day at 07:00 Oslo time: the feedback requests that are due (`flask feedback send-due` is kept).
"""
import os
import threading
from contextlib import nullcontext
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import has_app_context
from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy import and_, or_, update

from core.extensions import db
from core.models import OSLO, utcnow
from feedback import services as feedback_services
from notices import delivery, planning
from notices.models import CHOOSABLE_KINDS, Notice, NoticeStatus

# A notice taken this long ago and not sent, or due this long ago and never taken, was lost (its worker
# was killed, or its task was never stored): it is queued again.
STALE_AFTER = timedelta(minutes=10)
INSTANCE = Path(__file__).resolve().parent.parent / "instance"  # the Flask app's instance folder


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return RedisHuey("stemme", url=os.environ["REDIS_URL"])
    path = Path(os.environ.get("HUEY_SQLITE_PATH") or INSTANCE / "huey.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("stemme", filename=str(path))


huey = _make_huey()

_app = None
_app_lock = threading.Lock()


def app_context():
    """The app context a task runs in: the active one (tests, a `flask` command), else one of the app
    this worker process made for itself, from the environment, the first time it needed it."""
    global _app
    if has_app_context():
        return nullcontext()
    with _app_lock:
        if _app is None:
            from app import create_app

            _app = create_app()
    return _app.app_context()


@huey.task(retries=3, retry_delay=30, retry_backoff=2, context=True)
def send_notice(notice_id: int, now: datetime | None = None, task=None) -> None:
    """Send one notice. A refused or unreachable server raises, and huey tries again after 30 s, 60 s and
    120 s; the last try marks the notice failed (delivery keeps the error's class). `now` is for a test
    that moves the app's clock; without it the notice is sent as of the moment the task runs."""
    with app_context():
        delivery.deliver(notice_id, now=now, final_attempt=task is None or task.retries == 0)


def requeue_stale(now: datetime, clock_moved: bool = False) -> list[int]:
    """Notices lost by a killed worker (taken over STALE_AFTER ago and still 'sending') or never taken
    (due over STALE_AFTER ago, still 'pending', not just tried): back to pending in one UPDATE, and a new
    task for each. A task still waiting somewhere in the queue for one of them then finds it sent and
    does nothing. With `clock_moved` (a test), the tasks send as of `now` too."""
    cutoff = now - STALE_AFTER
    stale = and_(Notice.kind.in_(CHOOSABLE_KINDS), or_(  # codes and reset links are sent by their request
        and_(Notice.status == NoticeStatus.SENDING, Notice.taken_at < cutoff),
        and_(Notice.status == NoticeStatus.PENDING, Notice.due_at < cutoff,
             or_(Notice.taken_at.is_(None), Notice.taken_at < cutoff)),
    ))
    with app_context():
        ids = list(db.session.scalars(
            update(Notice).where(stale).values(status=NoticeStatus.PENDING).returning(Notice.id)))
        db.session.commit()
    for notice_id in ids:
        send_notice(notice_id, now if clock_moved else None)
    return ids


@huey.periodic_task(crontab(minute="*"))
def plan_and_send() -> None:
    """Every minute: make the notices that fall due, queue them, and queue again the ones lost."""
    with app_context():
        now = utcnow()
        for notice_id in planning.plan_due(now):  # due now: planning decides nothing in quiet hours
            send_notice(notice_id)
        requeue_stale(now)


def seven_in_oslo(timestamp: datetime) -> bool:
    """huey's clock is UTC (utc=True, the default) and hands periodic tasks a naive UTC time; 07:00 in
    Oslo is 06:00 UTC in winter and 05:00 in summer, so the check is made in Oslo time."""
    local = timestamp.replace(tzinfo=timezone.utc).astimezone(OSLO)
    return local.hour == 7 and local.minute == 0


@huey.periodic_task(seven_in_oslo)
def feedback_send_due() -> None:
    """Every day at 07:00 Oslo time: the feedback requests that are due (what `flask feedback send-due`
    does, which an outside cron used to run)."""
    with app_context():
        feedback_services.send_due_for_everyone()
        db.session.commit()
