"""A pathway (forløp): one young person's course of help, its team and its history."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
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
