"""The queue's tasks (notices/tasks.py) run in this process with huey's immediate mode: a refused message
is tried again after 30, 60 and 120 seconds and then recorded as failed with the error's class; notices
a worker lost are found and sent again, the others left alone; the schedule of the periodic tasks.
(tests/notices/test_worker_restart.py runs the real worker.)"""
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller

from accounts.models import Role, User
from core.extensions import db
from core.models import OSLO
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeStatus
from notices.tasks import huey, requeue_stale, send_notice, seven_in_oslo
from tests.notices.conftest import _free_port

# The app's clock in these tests: a weekday at noon in Oslo, outside the quiet hours.
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=OSLO)


@pytest.fixture()
def immediate():
    """Tasks run as they are queued, in this process; a retry waits in huey's memory schedule."""
    huey.immediate = True
    try:
        yield huey
    finally:
        huey.immediate = False


class Refusing:
    """An SMTP server that answers every message "try later", as a full or greylisting server does."""

    async def handle_DATA(self, server, session, envelope):
        return "451 4.3.0 Try again later"


@pytest.fixture()
def refusing_server(app):
    controller = Controller(Refusing(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_TLS=False)
    try:
        yield
    finally:
        app.config.update(SMTP_HOST="")
        controller.stop()


def _huey_now() -> datetime:
    """Now as huey's clock reads it: UTC, without a zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _notices(app, *states: dict) -> list[int]:
    """One parent with a confirmed address per entry of `states` (Notice fields), each with that notice."""
    ids = []
    with app.app_context():
        for n, state in enumerate(states):
            user = User(role=Role.PARENT, name=f"Forelder {n}", username=f"forelder{n}", password_hash="x", locale="nb")
            db.session.add(user)
            db.session.flush()
            db.session.add(Contact(user_id=user.id, channel=Channel.EMAIL, address=f"forelder{n}@example.no",
                                   confirmed_at=NOON - timedelta(days=1)))
            notice = Notice(user_id=user.id, kind=NoticeKind.RATING_WAITING, occasion=f"rating:{n + 1}",
                            channel=Channel.EMAIL, created_at=NOON - timedelta(hours=1),
                            **{"status": NoticeStatus.PENDING, "due_at": NOON, **state})
            db.session.add(notice)
            db.session.flush()
            ids.append(notice.id)
        db.session.commit()
    return ids


def _status(app, notice_id: int) -> tuple[NoticeStatus, str | None, int]:
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        found = notice.status, notice.error, notice.attempts
        db.session.remove()
    return found


def test_a_refused_message_is_tried_again_with_back_off_then_recorded_as_failed(app, cast, immediate, refusing_server):
    (notice_id,) = _notices(app, {})
    with app.app_context():
        waits = []
        before = _huey_now()
        send_notice(notice_id, NOON)  # the first try, at once
        for _ in range(3):
            assert _status(app, notice_id)[0] == NoticeStatus.PENDING
            (retry,) = huey.read_schedule(datetime.max)
            waits.append((retry.eta - before).total_seconds())
            before = _huey_now()
            huey.execute(retry, retry.eta)
        assert huey.read_schedule(datetime.max) == []
    assert [round(wait) for wait in waits] == [30, 60, 120]
    assert _status(app, notice_id) == (NoticeStatus.FAILED, "SMTPDataError", 4)


def test_a_retry_that_gets_through_sends_once(app, cast, immediate, mailbox):
    (notice_id,) = _notices(app, {})
    port = app.config["SMTP_PORT"]
    with app.app_context():
        app.config.update(SMTP_PORT=_free_port())  # nobody there: the first try cannot connect
        send_notice(notice_id, NOON)
        assert _status(app, notice_id)[:2] == (NoticeStatus.PENDING, "ConnectionRefusedError")
        app.config.update(SMTP_PORT=port)
        (retry,) = huey.read_schedule(datetime.max)
        huey.execute(retry, retry.eta)
    assert _status(app, notice_id)[0] == NoticeStatus.SENT
    assert len(mailbox.to("forelder0@example.no")) == 1


def test_requeue_stale_sends_what_a_worker_lost_and_leaves_the_rest(app, cast, immediate, mailbox):
    long_ago, lately = NOON - timedelta(minutes=20), NOON - timedelta(minutes=5)
    taken_by_a_killed_worker, being_sent, never_taken, being_retried, just_due, sent = _notices(
        app,
        {"status": NoticeStatus.SENDING, "taken_at": long_ago, "due_at": long_ago, "attempts": 1},
        {"status": NoticeStatus.SENDING, "taken_at": lately, "due_at": lately, "attempts": 1},
        {"due_at": long_ago},
        {"due_at": long_ago, "taken_at": NOON - timedelta(minutes=2), "attempts": 1, "error": "SMTPDataError"},
        {"due_at": lately},
        {"status": NoticeStatus.SENT, "due_at": long_ago, "taken_at": long_ago, "sent_at": long_ago, "attempts": 1},
    )
    with app.app_context():
        requeued = requeue_stale(NOON, clock_moved=True)
    assert sorted(requeued) == sorted([taken_by_a_killed_worker, never_taken])
    assert _status(app, taken_by_a_killed_worker)[0] == _status(app, never_taken)[0] == NoticeStatus.SENT
    assert _status(app, being_sent)[0] == NoticeStatus.SENDING
    assert _status(app, being_retried)[0] == _status(app, just_due)[0] == NoticeStatus.PENDING
    assert _status(app, sent)[0] == NoticeStatus.SENT
    assert sorted(m.envelope_to[0] for m in mailbox.messages) == ["forelder0@example.no", "forelder2@example.no"]
    with app.app_context():  # run again: nothing is lost any more, nothing goes twice
        assert requeue_stale(NOON, clock_moved=True) == []
    assert len(mailbox.messages) == 2


def test_a_task_for_a_notice_already_sent_sends_nothing(app, cast, immediate, mailbox):
    (notice_id,) = _notices(app, {})
    with app.app_context():
        send_notice(notice_id, NOON)
        send_notice(notice_id, NOON)  # a second copy of the task, as after a requeue
    assert len(mailbox.to("forelder0@example.no")) == 1
    assert _status(app, notice_id)[0] == NoticeStatus.SENT


@pytest.mark.parametrize(("utc", "feedback"), [
    (datetime(2026, 1, 15, 6, 0), True),    # 07:00 in Oslo in winter (UTC+1)
    (datetime(2026, 7, 15, 5, 0), True),    # 07:00 in Oslo in summer (UTC+2)
    (datetime(2026, 1, 15, 7, 0), False),   # 08:00 in Oslo
    (datetime(2026, 7, 15, 5, 1), False),
])
def test_the_schedule_every_minute_and_at_seven_in_oslo(utc, feedback):
    """huey hands periodic tasks its UTC clock without a zone; the feedback requests go at 07:00 Oslo
    time, summer and winter, and the notices are planned every minute."""
    assert seven_in_oslo(utc) is feedback
    due = sorted(task.name for task in huey.read_periodic(utc))
    assert due == (["feedback_send_due", "plan_and_send"] if feedback else ["plan_and_send"])
