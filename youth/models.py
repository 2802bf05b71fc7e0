"""The family's own input: "what matters to me" statements and meeting preparations, with every
version kept and every sharing choice recorded."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Role, User, str_enum
from core.extensions import db
from core.models import UTCDateTime, utcnow
from pathways.models import InputKind, Meeting, Pathway

STATEMENT_MAX = 1000
PREPARATION_FIELD_MAX = 1000


class Sharing(str, enum.Enum):
    """Who the author wants to read an entry. FAMILY is the team and the other side of the family:
    a young person's parents, or a parent's child; TEAM the team alone (but a child's parents read
    what the team reads: access.policy.parents_see). youth/sharing.py asks the question."""

    PRIVATE = "private"  # only me for now
    TEAM = "team"
    FAMILY = "family"


class Prompt(str, enum.Enum):
    GOES_WELL = "goes_well"
    HARD = "hard"
    WISH = "wish"
    KNOW_ABOUT_ME = "know_about_me"
    FREE = "free"


PROMPTS = {
    Prompt.GOES_WELL: _l("What goes well"),
    Prompt.HARD: _l("What is hard"),
    Prompt.WISH: _l("What I wish for"),
    Prompt.KNOW_ABOUT_ME: _l("What you must know about me"),
    Prompt.FREE: _l("Something else"),
}


class Participation(str, enum.Enum):
    """How the young person wants to take part in a meeting."""

    WHOLE = "whole"
    PART = "part"
    TRUSTED_ADULT = "trusted_adult"
    IN_WRITING = "in_writing"


PARTICIPATION = {
    Participation.WHOLE: _l("I take part in the whole meeting"),
    Participation.PART: _l("I take part in part of the meeting"),
    Participation.TRUSTED_ADULT: _l("An adult I trust speaks for me"),
    Participation.IN_WRITING: _l("Only in writing: I do not come, but what I write here is read"),
}

# The questions, as the young person and as a parent read them. Both also head the answers when
# someone else reads the preparation.
YOUNG_LABELS = {
    "talk_about": _l("What I want to talk about"),
    "not_while_present": _l("What I do not want talked about while I am there"),
    "want_there": _l("Who I want there"),
    "not_there": _l("Who I do not want there"),
    "participation": _l("How I want to take part"),
    "needs": _l("What I need to take part"),
    "questions": _l("My questions"),
    "hopes": _l("What I hope happens after the meeting"),
}
PARENT_LABELS = {
    "talk_about": _l("What I want to talk about"),
    "not_while_present": _l("What should not be talked about while my child is there"),
    "want_there": _l("Who I want there"),
    "not_there": _l("Who I do not want there"),
    "needs": _l("What I need to take part"),
    "questions": _l("My questions"),
    "hopes": _l("What I hope happens after the meeting"),
}


class SharedInput:
    """Columns every kind of the family's input has: its author, sharing choice and withholding."""

    author_role: Mapped[Role] = mapped_column(str_enum(Role))
    sharing: Mapped[Sharing] = mapped_column(str_enum(Sharing))
    # Under 12: a professional may withhold an entry from the parents for weighty reasons.
    withheld_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withheld_reason: Mapped[str | None] = mapped_column(String(1000))
    # Counts saves; a save based on an older revision is a conflict between two devices.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def shared_input_constraints(cls) -> tuple:
        return (
            CheckConstraint("author_role IN ('young_person', 'parent')", name="author_is_family"),
            CheckConstraint("(withheld_at IS NULL) = (withheld_reason IS NULL)", name="withheld_with_reason"),
        )


class Statement(SharedInput, db.Model):
    """One short statement under a prompt: what goes well, what is hard, what I wish for…"""

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    prompt: Mapped[Prompt] = mapped_column(str_enum(Prompt))
    text: Mapped[str] = mapped_column(String(STATEMENT_MAX))
    # Set by the form that made the statement: saving the same new form twice (autosave, a double
    # tap) updates one statement instead of making two.
    client_key: Mapped[str | None] = mapped_column(String(40))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withheld_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    pathway: Mapped[Pathway] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    withheld_by: Mapped[User | None] = relationship(foreign_keys=[withheld_by_id])

    __table_args__ = (
        *SharedInput.shared_input_constraints(),
        CheckConstraint(f"length(text) > 0 AND length(text) <= {STATEMENT_MAX}", name="text_length"),
        UniqueConstraint("author_id", "client_key", name="uq_statements_author_client_key"),
        Index("ix_statements_pathway_author", "pathway_id", "author_id"),
    )


class StatementVersion(db.Model):
    """A statement as it was after one save; kept for the audit, also after removal."""

    __tablename__ = "statement_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column()
    prompt: Mapped[Prompt] = mapped_column(str_enum(Prompt))
    text: Mapped[str] = mapped_column(String(STATEMENT_MAX))
    sharing: Mapped[Sharing] = mapped_column(str_enum(Sharing))
    # The second box "not for my parents" (12–15) of the versions saved before migration 0015.
    not_for_parents: Mapped[bool | None] = mapped_column(Boolean)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint("statement_id", "revision", name="uq_statement_versions_statement_revision"),
    )


PREPARATION_FIELDS = ("talk_about", "not_while_present", "want_there", "not_there", "needs", "questions", "hopes")


class Preparation(SharedInput, db.Model):
    """One person's preparation for one meeting; frozen when the meeting starts."""

    __tablename__ = "preparations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    talk_about: Mapped[str] = mapped_column(String(PREPARATION_FIELD_MAX), default="")
    not_while_present: Mapped[str] = mapped_column(String(PREPARATION_FIELD_MAX), default="")
    want_there: Mapped[str] = mapped_column(String(PREPARATION_FIELD_MAX), default="")
    not_there: Mapped[str] = mapped_column(String(PREPARATION_FIELD_MAX), default="")
    participation: Mapped[Participation | None] = mapped_column(str_enum(Participation))
    needs: Mapped[str] = mapped_column(String(PREPARATION_FIELD_MAX), default="")
    questions: Mapped[str] = mapped_column(String(PREPARATION_FIELD_MAX), default="")
    hopes: Mapped[str] = mapped_column(String(PREPARATION_FIELD_MAX), default="")
    withheld_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    withheld_by: Mapped[User | None] = relationship(foreign_keys=[withheld_by_id])

    __table_args__ = (
        *SharedInput.shared_input_constraints(),
        UniqueConstraint("meeting_id", "author_id", name="uq_preparations_meeting_author"),
    )

    def content(self) -> dict:
        return {name: getattr(self, name) for name in PREPARATION_FIELDS} | {
            "participation": self.participation.value if self.participation else None
        }


class PreparationVersion(db.Model):
    """A preparation as it was after one save."""

    __tablename__ = "preparation_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    preparation_id: Mapped[int] = mapped_column(ForeignKey("preparations.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column()
    content: Mapped[dict] = mapped_column(JSON)
    sharing: Mapped[Sharing] = mapped_column(str_enum(Sharing))
    # The second box "not for my parents" (12–15) of the versions saved before migration 0015.
    not_for_parents: Mapped[bool | None] = mapped_column(Boolean)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint("preparation_id", "revision", name="uq_preparation_versions_preparation_revision"),
    )


class VisibilityKind(str, enum.Enum):
    SHARING = "sharing"  # the author chose who may read
    WITHHELD = "withheld"  # a professional withheld it from the parents (weighty reasons)
    RELEASED = "released"  # a professional lifted that


class VisibilityChange(db.Model):
    """Who changed who may see an entry, when and why: the record the law asks for."""

    __tablename__ = "visibility_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[InputKind] = mapped_column(str_enum(InputKind))
    item_id: Mapped[int] = mapped_column()
    kind: Mapped[VisibilityKind] = mapped_column(str_enum(VisibilityKind))
    sharing: Mapped[Sharing | None] = mapped_column(str_enum(Sharing))
    not_for_parents: Mapped[bool | None] = mapped_column(Boolean)  # only in changes made before 0015
    reason: Mapped[str | None] = mapped_column(String(1000))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User] = relationship()

    __table_args__ = (Index("ix_visibility_changes_item", "item_kind", "item_id"),)
