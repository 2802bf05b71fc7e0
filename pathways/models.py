"""A pathway (forløp): one young person's course of help, its team and its history."""
import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Invitation, User, YoungPerson, str_enum
from core.extensions import db
from core.models import UTCDateTime, utcnow


class Pathway(db.Model):
    __tablename__ = "pathways"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    young_person: Mapped[YoungPerson] = relationship()
    coordinator: Mapped[User] = relationship(foreign_keys=[coordinator_id])
    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="pathway", cascade="all, delete-orphan", order_by="TeamMember.added_at"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="pathway", cascade="all, delete-orphan", order_by=Invitation.created_at.desc()
    )

    __table_args__ = (CheckConstraint("length(title) > 0", name="title_not_empty"),)


class TeamMember(db.Model):
    """A professional on a pathway's team; only team members see the pathway."""

    __tablename__ = "team_members"

    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    pathway: Mapped[Pathway] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class EventKind(str, enum.Enum):
    CREATED = "created"
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    INVITATION_CREATED = "invitation_created"
    INVITATION_REDEEMED = "invitation_redeemed"


class PathwayEvent(db.Model):
    """Something that happened on a pathway, shown on its history and kept for the audit."""

    __tablename__ = "pathway_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, length=40))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Whom the event is about: the professional added or removed, the person invited.
    subject_name: Mapped[str | None] = mapped_column(String(120))

    pathway: Mapped[Pathway] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class MeetingKind(str, enum.Enum):
    FAMILY_MEETING = "family_meeting"  # familiemøte før tilvising
    CARE_TEAM = "care_team"  # ansvarsgruppemøte
    CONVERSATION = "conversation"
    EVALUATION = "evaluation"
    OTHER = "other"


class Meeting(db.Model):
    """A meeting on a pathway; the young person and parents prepare for it until it starts."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind, length=20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    video: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(String(1000))
    young_person_invited: Mapped[bool] = mapped_column(Boolean, default=True)
    parents_invited: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when a professional marks the meeting held (the feedback issue asks after held meetings).
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pathway: Mapped[Pathway] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    invitees: Mapped[list["MeetingInvitee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("length(purpose) > 0", name="purpose_not_empty"),
        Index("ix_meetings_pathway_starts", "pathway_id", "starts_at"),
    )

    def started(self, now: datetime | None = None) -> bool:
        """Preparations freeze when the meeting starts."""
        return (now or utcnow()) >= self.starts_at


class MeetingInvitee(db.Model):
    """A professional invited to a meeting (the family is invited with the meeting's own flags)."""

    __tablename__ = "meeting_invitees"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")
    user: Mapped[User] = relationship()


class Agreement(db.Model):
    """One point of what was agreed at a meeting: who does what by when, in plain words."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(500))
    who: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    __table_args__ = (
        CheckConstraint("length(what) > 0", name="what_not_empty"),
        CheckConstraint("length(who) > 0", name="who_not_empty"),
    )


class AnswerKind(str, enum.Enum):
    AGREE = "agree"
    DISAGREE = "disagree"
    QUESTION = "question"


class AgreementAnswer(db.Model):
    """The young person's or a parent's answer to one agreement point; one per person, changeable."""

    __tablename__ = "agreement_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answer: Mapped[AnswerKind] = mapped_column(str_enum(AnswerKind))
    question: Mapped[str | None] = mapped_column(String(1000))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("agreement_id", "user_id", name="uq_agreement_answers_agreement_user"),
        CheckConstraint("answer != 'question' OR length(question) > 0", name="question_has_text"),
    )


class InputKind(str, enum.Enum):
    """The kinds of the family's own input whose reading is logged."""

    STATEMENT = "statement"
    PREPARATION = "preparation"


class AccessLog(db.Model):
    """A professional opened a young person's or a parent's input (Normen: every read is logged)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The reader's services as they were at the time of reading.
    reader_services: Mapped[str] = mapped_column(String(300))
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"))
    item_kind: Mapped[InputKind] = mapped_column(str_enum(InputKind))
    item_id: Mapped[int] = mapped_column()
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    reader: Mapped[User] = relationship(foreign_keys=[reader_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    __table_args__ = (
        # Who read an entry, and each reader's latest read of it (read receipts).
        Index("ix_access_log_item", "item_kind", "item_id", "reader_id", "at"),
        Index("ix_access_log_author_at", "author_id", "at"),
        Index("ix_access_log_reader_at", "reader_id", "at"),
        # A professional's latest read of each entry ("changed since you last read").
        Index("ix_access_log_reader_item", "reader_id", "item_kind", "item_id", "at"),
        Index("ix_access_log_pathway", "pathway_id"),
    )


class PathwayVisit(db.Model):
    """When a professional last opened a pathway page: what came after is marked new."""

    __tablename__ = "pathway_visits"

    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
