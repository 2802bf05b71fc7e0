"""Contacts, notice choices, the notices sent, and password-reset links."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accounts.models import str_enum
from core.extensions import db
from core.models import UTCDateTime, utcnow


class Channel(str, enum.Enum):
    EMAIL = "email"
    SMS = "sms"


class NoticeKind(str, enum.Enum):
    """What a notice is about. The first five a person may turn off; the last two answer their own
    request (a confirmation code, a reset link) and are always sent."""

    MEETING_SOON = "meeting_soon"            # 3 days and the day before a meeting
    RATING_WAITING = "rating_waiting"        # a rating or questionnaire is waiting
    AGREEMENT_ANSWER = "agreement_answer"    # an agreement needs your answer (family)
    FAMILY_QUESTION = "family_question"      # a question or "I do not agree" (professionals)
    NEW_INPUT = "new_input"                  # new input on my pathways, daily at most (professionals)
    CONTACT_CODE = "contact_code"            # the code that confirms an address or number
    PASSWORD_RESET = "password_reset"        # a link to set a new password


CHOOSABLE_KINDS = (NoticeKind.MEETING_SOON, NoticeKind.RATING_WAITING, NoticeKind.AGREEMENT_ANSWER,
                   NoticeKind.FAMILY_QUESTION, NoticeKind.NEW_INPUT)


class NoticeStatus(str, enum.Enum):
    PENDING = "pending"    # decided, waiting for the worker (or for 08:00)
    SENDING = "sending"    # a worker has taken it
    SENT = "sent"
    FAILED = "failed"      # every retry failed; the error class is kept, never the message


class Contact(db.Model):
    """A person's own e-mail address or mobile number for notices, confirmed with a code sent to it."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, length=5))
    address: Mapped[str] = mapped_column(String(254))
    # The confirmation code, hashed (accounts.passwords), until it is used; then confirmed_at is set.
    code_hash: Mapped[str | None] = mapped_column(String(255))
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "channel", name="one_contact_per_channel"),
        CheckConstraint("length(address) > 0", name="address_not_empty"),
    )


class NoticeOptOut(db.Model):
    """A kind of notice a person turned off; the kind 'all' is the stop link in every message."""

    __tablename__ = "notice_opt_outs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notice(db.Model):
    """One notice to one person on one channel. The unique key (person, kind, occasion, channel) is
    written in the transaction that decides to send it: the same occasion is never sent twice, however
    many workers run or restart. Holds no text: the message is written from kind and occasion when sent."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind))
    # What it is about, e.g. "meeting:12:3d", "rating:40", "reset:7"; with the kind, unique per person.
    occasion: Mapped[str] = mapped_column(String(80))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, length=5))
    status: Mapped[NoticeStatus] = mapped_column(str_enum(NoticeStatus, length=10), default=NoticeStatus.PENDING)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (
        UniqueConstraint("user_id", "kind", "occasion", "channel", name="one_notice_per_occasion"),
        Index("ix_notices_user_created", "user_id", "created_at"),
        Index("ix_notices_status_due", "status", "due_at"),
    )


class PasswordReset(db.Model):
    """A single-use link to set a new password, valid 30 minutes; only its SHA-256 is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(db.Model):
    """Without SMTP_HOST (and without an SMS gateway) a message is kept here instead of sent, so the demo
    shows what would have gone out; the admin reads them at /admin/outbox."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, length=5))
    address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
