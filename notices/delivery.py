"""Sending one decided notice: take it, write its message, hand it over, record the outcome.

Taking it is one UPDATE that only succeeds while the notice is pending, committed before anything is
sent: of two workers given the same notice, one sends it and the other finds it taken. A failed send
puts the notice back to pending for the queue's next try (or marks it failed on the last one) and
re-raises, so that the queue's retry and back-off see it."""
from datetime import datetime

from sqlalchemy import exists, select, update

from accounts.models import User
from core.extensions import db
from core.models import OSLO, utcnow
from notices.messages import Message, compose
from notices.models import CHOOSABLE_KINDS, Channel, Contact, Notice, NoticeKind, NoticeOptOut, NoticeStatus
from notices.planning import OPT_OUT_ALL, in_quiet_hours
from notices.sending import SendError, send_message
from pathways.models import Meeting
from youth.models import Preparation


def _take(notice_id: int, now: datetime) -> bool:
    taken = db.session.execute(
        update(Notice)
        .where(Notice.id == notice_id, Notice.status == NoticeStatus.PENDING)
        .values(status=NoticeStatus.SENDING, taken_at=now, attempts=Notice.attempts + 1)
    )
    db.session.commit()
    return taken.rowcount == 1


def _finish(notice: Notice, status: NoticeStatus, error: str | None = None, sent_at: datetime | None = None) -> None:
    notice.status, notice.error, notice.sent_at = status, error and error[:120], sent_at
    db.session.commit()


def _address(notice: Notice) -> str | None:
    """The person's confirmed address on the notice's channel, if they still have one and an account."""
    return db.session.scalar(
        select(Contact.address).join(User, User.id == Contact.user_id)
        .where(Contact.user_id == notice.user_id, Contact.channel == notice.channel,
               Contact.confirmed_at.is_not(None), User.active.is_(True))
    )


def _stopped(notice: Notice) -> bool:
    """The person turned this kind off, or followed the stop link, after it was decided."""
    return notice.kind in CHOOSABLE_KINDS and db.session.scalar(select(exists().where(
        NoticeOptOut.user_id == notice.user_id, NoticeOptOut.kind.in_([notice.kind.value, OPT_OUT_ALL]))))


def _message(notice: Notice, now: datetime) -> Message | None:
    """The message, written now in the person's language; None if a meeting it is about has been
    removed or has started since."""
    locale = db.session.scalar(select(User.locale).where(User.id == notice.user_id))
    if notice.kind != NoticeKind.MEETING_SOON:
        return compose(notice.kind, notice.user_id, locale)
    meeting_id = int(notice.occasion.split(":")[1])
    prepared = exists().where(Preparation.meeting_id == Meeting.id, Preparation.author_id == notice.user_id)
    found = db.session.execute(
        select(Meeting.starts_at, prepared).where(Meeting.id == meeting_id, Meeting.held_at.is_(None))
    ).first()
    if found is None or found.starts_at <= now:
        return None
    days = (found.starts_at.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days
    return compose(notice.kind, notice.user_id, locale, days=days, prepared=found[1])


def deliver(notice_id: int, now: datetime | None = None, final_attempt: bool = False) -> bool:
    """Send the pending notice `notice_id`. Returns True if it was sent now; False if it was not
    pending (another worker has it, or it is done), if it is quiet hours (it stays pending and goes
    from 08:00), or if it can no longer be sent (no confirmed contact, stopped, its meeting gone: marked
    failed with the reason). On SendError: back to pending, or failed when `final_attempt`; re-raised."""
    now = now or utcnow()
    if in_quiet_hours(now) or not _take(notice_id, now):
        return False
    notice = db.session.get(Notice, notice_id)
    address = _address(notice)
    if address is None:
        _finish(notice, NoticeStatus.FAILED, "no_contact")
        return False
    if _stopped(notice):
        _finish(notice, NoticeStatus.FAILED, "stopped")
        return False
    message = _message(notice, now)
    if message is None:
        _finish(notice, NoticeStatus.FAILED, "no_longer_due")
        return False
    text = message.body if notice.channel == Channel.EMAIL else message.sms
    try:
        send_message(notice.channel, address, message.subject, text, stop_url=message.stop_url)
    except SendError as error:
        db.session.rollback()  # nothing half-written (an outbox row) stays
        notice = db.session.get(Notice, notice_id)
        # The class of what went wrong, never its message (it may hold an address).
        reason = type(error.__cause__ or error).__name__
        _finish(notice, NoticeStatus.FAILED if final_attempt else NoticeStatus.PENDING, reason)
        raise
    _finish(notice, NoticeStatus.SENT, sent_at=now)
    return True
