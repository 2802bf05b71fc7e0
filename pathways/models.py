"""A pathway (forløp): one young person's course of help, its team and its history."""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Invitation, Role, ServiceKind, User, YoungPerson, str_enum
from core.extensions import db
from core.models import UTCDateTime, utcnow


class Pathway(db.Model):
    __tablename__ = "pathways"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The care pathway template it follows, and where it is now.
    template_id: Mapped[int | None] = mapped_column(ForeignKey("pathway_templates.id"))
    step_id: Mapped[int | None] = mapped_column(ForeignKey("template_steps.id"))
    # BTI level 0–3, set by the coordinator; level 0 has a 14-day deadline from when it was set.
    bti_level: Mapped[int | None] = mapped_column()
    bti_level_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closing_summary: Mapped[str | None] = mapped_column(String(2000))

    young_person: Mapped[YoungPerson] = relationship()
    coordinator: Mapped[User] = relationship(foreign_keys=[coordinator_id])
    template: Mapped["PathwayTemplate | None"] = relationship()
    step: Mapped["TemplateStep | None"] = relationship()
    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="pathway", cascade="all, delete-orphan", order_by="TeamMember.added_at"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="pathway", cascade="all, delete-orphan", order_by=Invitation.created_at.desc()
    )

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("bti_level IS NULL OR bti_level BETWEEN 0 AND 3", name="bti_level_range"),
        CheckConstraint("(closed_at IS NULL) = (closing_summary IS NULL)", name="closed_with_summary"),
    )

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


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
    # The relay log (stafettlogg): subject_name/detail say what changed.
    STEP_CHANGED = "step_changed"
    LEVEL_CHANGED = "level_changed"
    GOAL_ADDED = "goal_added"
    MEASURE_ADDED = "measure_added"
    MEASURE_EVALUATED = "measure_evaluated"
    HANDOVER_PROPOSED = "handover_proposed"
    HANDOVER_ACCEPTED = "handover_accepted"
    HANDOVER_DECLINED = "handover_declined"
    MINUTES_WRITTEN = "minutes_written"
    CLOSED = "closed"


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
    # More about it, where the kind needs it: the new BTI level, the step's key, a decline's reason.
    detail: Mapped[str | None] = mapped_column(String(1000))

    pathway: Mapped[Pathway] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class MeetingKind(str, enum.Enum):
    FAMILY_MEETING = "family_meeting"  # familiemøte før tilvising
    CARE_TEAM = "care_team"  # ansvarsgruppemøte
    CONVERSATION = "conversation"
    EVALUATION = "evaluation"
    OTHER = "other"


MEETING_KINDS = {
    MeetingKind.FAMILY_MEETING: _l("Family meeting before a referral"),
    MeetingKind.CARE_TEAM: _l("Care team meeting"),
    MeetingKind.CONVERSATION: _l("Conversation"),
    MeetingKind.EVALUATION: _l("Evaluation"),
    MeetingKind.OTHER: _l("Other meeting"),
}


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


ANSWERS = {
    AnswerKind.AGREE: _l("I agree"),
    AnswerKind.DISAGREE: _l("I do not agree"),
    AnswerKind.QUESTION: _l("I have a question"),
}


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
    COMMENT = "comment"  # on a measure
    ANSWER = "answer"  # to an agreement point
    WISH = "wish"  # who the young person would like as coordinator
    FEEDBACK = "feedback"  # a rating or questionnaire shared with the team


INPUT_KINDS = {
    InputKind.STATEMENT: _l("Statement %(id)s"),
    InputKind.PREPARATION: _l("Preparation %(id)s"),
    InputKind.COMMENT: _l("Comment on a measure %(id)s"),
    InputKind.ANSWER: _l("Answer to an agreement %(id)s"),
    InputKind.WISH: _l("Wish for a coordinator %(id)s"),
    InputKind.FEEDBACK: _l("Feedback %(id)s"),
}


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
        # Who read an entry, and each reader's latest read of it: read receipts, and a
        # professional's "changed since you last read" (one lookup per entry and reader).
        Index("ix_access_log_item", "item_kind", "item_id", "reader_id", "at"),
        # "Who has read what I wrote", newest first.
        Index("ix_access_log_author_at", "author_id", "at", "id"),
        Index("ix_access_log_reader_at", "reader_id", "at"),
        Index("ix_access_log_pathway", "pathway_id"),
        # The admin's search, newest first: a page of the newest reads without sorting the whole log.
        Index("ix_access_log_at", "at", "id"),
    )


class PathwayVisit(db.Model):
    """When a professional last opened a pathway page, and the time before that: what came after the
    visit before the current one is marked new (storing both lets one statement record a visit and
    answer what was new)."""

    __tablename__ = "pathway_visits"

    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    previous_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- templates and the relay log (stafettlogg) ---------------------------------------------------

class PathwayTemplate(db.Model):
    """A regional care pathway (samhandlingsforløp) or the BTI relay log: ordered steps, each saying
    who does what. Data, editable by the admin; the defaults are loaded by a migration."""

    __tablename__ = "pathway_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column()
    name_nn: Mapped[str] = mapped_column(String(120))
    name_nb: Mapped[str] = mapped_column(String(120))
    summary_nn: Mapped[str] = mapped_column(String(1000), default="")
    summary_nb: Mapped[str] = mapped_column(String(1000), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    steps: Mapped[list["TemplateStep"]] = relationship(
        back_populates="template", order_by="TemplateStep.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("length(name_nn) > 0 AND length(name_nb) > 0", name="names_not_empty"),
    )


class TemplateStep(db.Model):
    """One step of a template: assessment, measures in the municipality, evaluation, …"""

    __tablename__ = "template_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("pathway_templates.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    name_nn: Mapped[str] = mapped_column(String(120))
    name_nb: Mapped[str] = mapped_column(String(120))

    template: Mapped[PathwayTemplate] = relationship(back_populates="steps")
    guidance: Mapped[list["StepGuidance"]] = relationship(
        back_populates="step", order_by="StepGuidance.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("template_id", "position", name="uq_template_steps_template_position"),
        CheckConstraint("length(name_nn) > 0 AND length(name_nb) > 0", name="names_not_empty"),
    )


class StepGuidance(db.Model):
    """What one step means for one kind of service ("who does what"), in nynorsk and bokmål."""

    __tablename__ = "step_guidance"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("template_steps.id", ondelete="CASCADE"))
    service_kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind))
    text_nn: Mapped[str] = mapped_column(String(1000))
    text_nb: Mapped[str] = mapped_column(String(1000))

    step: Mapped[TemplateStep] = relationship(back_populates="guidance")

    __table_args__ = (UniqueConstraint("step_id", "service_kind", name="uq_step_guidance_step_kind"),)


goal_statements = Table(
    "goal_statements",
    db.metadata,
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
)


class Goal(db.Model):
    """A goal of the relay log, written with the young person; may answer some of their statements."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    # Kept from the parents (the young person's wish, or weighty reasons): like their own input.
    not_for_parents: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)


class Measure(db.Model):
    """A measure (tiltak): what is done for a goal, by one responsible professional, by a deadline."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(500))
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[Goal] = relationship()
    responsible: Mapped[User] = relationship(foreign_keys=[responsible_id])

    __table_args__ = (CheckConstraint("length(what) > 0", name="what_not_empty"),)


class Evaluation(db.Model):
    """An evaluation of a measure: when, what worked, what next. A measure evaluated is not overdue."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    worked: Mapped[str] = mapped_column(String(1000))
    next_step: Mapped[str] = mapped_column(String(1000))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("length(worked) > 0", name="worked_not_empty"),)


class MeasureComment(db.Model):
    """The young person's or a parent's comment on a measure; the team reads it."""

    __tablename__ = "measure_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_role: Mapped[Role] = mapped_column(str_enum(Role))
    text: Mapped[str] = mapped_column(String(1000))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        CheckConstraint("author_role IN ('young_person', 'parent')", name="author_is_family"),
    )


class HandoverState(str, enum.Enum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Handover(db.Model):
    """Handing over the baton: nothing changes until the proposed coordinator accepts."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[HandoverState] = mapped_column(str_enum(HandoverState))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(1000))

    from_user: Mapped[User] = relationship(foreign_keys=[from_id])
    to_user: Mapped[User] = relationship(foreign_keys=[to_id])

    __table_args__ = (
        CheckConstraint("state != 'declined' OR length(reason) > 0", name="declined_with_reason"),
        CheckConstraint("(state = 'proposed') = (decided_at IS NULL)", name="decided_unless_proposed"),
    )


class CoordinatorWish(db.Model):
    """Who the young person would like as their coordinator; the team sees it. The latest counts."""

    __tablename__ = "coordinator_wishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    wished_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    wished: Mapped[User | None] = relationship(foreign_keys=[wished_id])

    __table_args__ = (CheckConstraint("wished_id IS NOT NULL OR length(note) > 0", name="wish_says_something"),)


class MeetingMinutes(db.Model):
    """The minutes of a meeting: part of the relay log, with the meeting's agreements."""

    __tablename__ = "meeting_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), unique=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(5000))
    written_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    written_by: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)
