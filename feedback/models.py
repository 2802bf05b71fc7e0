"""Feedback: question sets as versioned data, requests to answer them, responses, alerts for the
team, a service's settings and its "you said, we did" answers.

A request is made for one person (the young person or a parent) when a meeting they were invited to
has been held (a rating), or when a questionnaire is sent (by a service's schedule, on demand, or when
a pathway closes). A response answers one request, keeps the version of the questions it answered,
and is shared with the team or counted only in the service's anonymous figures.
"""
import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Service, User, str_enum
from core.extensions import db
from core.models import UTCDateTime, utcnow
from pathways.models import Meeting, Pathway


class SetKind(str, enum.Enum):
    RATING = "rating"  # the short rating after a meeting
    QUESTIONNAIRE = "questionnaire"  # the longer experience questionnaire


class ScaleKind(str, enum.Enum):
    FACES = "faces"  # five steps, 1 (worst) to 5 (best), shown with faces and words
    AGREEMENT = "agreement"  # true / partly true / not true (3, 2, 1) and don't know (0, not counted)


class FeedbackScale(db.Model):
    """An answer scale; its steps carry the words in nynorsk and bokmål."""

    __tablename__ = "feedback_scales"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[ScaleKind] = mapped_column(str_enum(ScaleKind))

    steps: Mapped[list["ScaleStep"]] = relationship(
        back_populates="scale", order_by="ScaleStep.position", cascade="all, delete-orphan"
    )


class ScaleStep(db.Model):
    """One step of a scale: its stored value and its words. Value 0 means "don't know"."""

    __tablename__ = "feedback_scale_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    scale_id: Mapped[int] = mapped_column(ForeignKey("feedback_scales.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    value: Mapped[int] = mapped_column()
    label_nn: Mapped[str] = mapped_column(String(80))
    label_nb: Mapped[str] = mapped_column(String(80))

    scale: Mapped[FeedbackScale] = relationship(back_populates="steps")

    __table_args__ = (
        UniqueConstraint("scale_id", "value", name="uq_feedback_scale_steps_value"),
        CheckConstraint("value BETWEEN 0 AND 5", name="value_range"),
        CheckConstraint("length(label_nn) > 0 AND length(label_nb) > 0", name="labels_not_empty"),
    )


class QuestionSet(db.Model):
    """A set of questions: the meeting rating, or the questionnaire for ages 9–11, 12–18 or parents."""

    __tablename__ = "feedback_question_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[SetKind] = mapped_column(str_enum(SetKind))
    name_nn: Mapped[str] = mapped_column(String(120))
    name_nb: Mapped[str] = mapped_column(String(120))

    versions: Mapped[list["QuestionSetVersion"]] = relationship(
        back_populates="question_set", order_by="QuestionSetVersion.number", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("length(name_nn) > 0 AND length(name_nb) > 0", name="names_not_empty"),)


class QuestionSetVersion(db.Model):
    """One version of a set's items. Versions are never changed once answered: the admin's edit makes
    a new version, and each response keeps the version it answered. The newest version is asked."""

    __tablename__ = "feedback_set_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("feedback_question_sets.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the defaults

    question_set: Mapped[QuestionSet] = relationship(back_populates="versions")
    items: Mapped[list["FeedbackItem"]] = relationship(
        back_populates="version", order_by="FeedbackItem.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("set_id", "number", name="uq_feedback_set_versions_number"),
        CheckConstraint("number > 0", name="number_positive"),
    )


class FeedbackItem(db.Model):
    """One question of a version. `key` stays the same across versions, so that trends and reports
    follow an item whose words were changed. An item without a scale is a free text."""

    __tablename__ = "feedback_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("feedback_set_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    key: Mapped[str] = mapped_column(String(40))
    scale_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_scales.id"))
    text_nn: Mapped[str] = mapped_column(String(300))
    text_nb: Mapped[str] = mapped_column(String(300))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # The "all in all" item: a drop of two steps or more since the last meeting alerts the team.
    overall: Mapped[bool] = mapped_column(Boolean, default=False)
    # The item about what mattered to me: the form shows the topics from the person's preparation.
    shows_topics: Mapped[bool] = mapped_column(Boolean, default=False)

    version: Mapped[QuestionSetVersion] = relationship(back_populates="items")
    scale: Mapped[FeedbackScale | None] = relationship()

    __table_args__ = (
        UniqueConstraint("version_id", "key", name="uq_feedback_items_key"),
        UniqueConstraint("version_id", "position", name="uq_feedback_items_position"),
        CheckConstraint("length(text_nn) > 0 AND length(text_nb) > 0", name="texts_not_empty"),
        CheckConstraint("length(key) > 0", name="key_not_empty"),
    )


class RequestReason(str, enum.Enum):
    MEETING = "meeting"  # a rating after a held meeting
    SCHEDULE = "schedule"  # the service's questionnaire, every so many months
    ON_DEMAND = "on_demand"  # a professional sent the questionnaire
    CLOSING = "closing"  # the pathway was closed


class FeedbackRequest(db.Model):
    """An invitation to one person to answer one question set, about one meeting or about the help
    from one service. It counts in that service's report (requests, responses, response rate)."""

    __tablename__ = "feedback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[RequestReason] = mapped_column(str_enum(RequestReason))
    set_id: Mapped[int] = mapped_column(ForeignKey("feedback_question_sets.id"))
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The month (Europe/Oslo, "YYYY-MM") the request was made: the report's period and trend.
    month: Mapped[str] = mapped_column(String(7))
    # After this nothing more can be answered or changed.
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)

    question_set: Mapped[QuestionSet] = relationship()
    pathway: Mapped[Pathway] = relationship()
    user: Mapped[User] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    service: Mapped[Service] = relationship()
    response: Mapped["FeedbackResponse | None"] = relationship(back_populates="request", uselist=False)

    __table_args__ = (
        # One rating per person per meeting (questionnaires have no meeting: NULLs never collide).
        UniqueConstraint("meeting_id", "user_id", name="uq_feedback_requests_meeting_user"),
        CheckConstraint("(reason = 'meeting') = (meeting_id IS NOT NULL)", name="meeting_for_ratings"),
        CheckConstraint("closes_at > created_at", name="closes_after_made"),
        # The service report: a service's requests of one question set, month by month.
        Index("ix_feedback_requests_service_set_month", "service_id", "set_id", "month"),
    )


class ResponseSharing(str, enum.Enum):
    TEAM = "team"  # the team sees the answers (the default)
    ANONYMOUS = "anonymous"  # counted only in the service's anonymous figures


def _from_request(column: str):
    """A response's default for one of the columns it copies from its request: the request's value.
    `save_response` copies them itself; this covers every other insert (the demo data, tests)."""
    def default(context):
        requests = FeedbackRequest.__table__
        request_id = context.get_current_parameters()["request_id"]
        return context.connection.scalar(select(requests.c[column]).where(requests.c.id == request_id))
    return default


class FeedbackResponse(db.Model):
    """The answer to one request (one row per request: a double tap stores one)."""

    __tablename__ = "feedback_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("feedback_requests.id", ondelete="CASCADE"), unique=True)
    # The request's service, question set and month (never changed once made), copied when the
    # response is made: the service report counts a service's responses from its own rows in
    # ix_feedback_responses_service_set_month instead of joining every response to its request.
    service_id: Mapped[int] = mapped_column(default=_from_request("service_id"))
    set_id: Mapped[int] = mapped_column(default=_from_request("set_id"))
    month: Mapped[str] = mapped_column(String(7), default=_from_request("month"))
    version_id: Mapped[int] = mapped_column(ForeignKey("feedback_set_versions.id"))
    sharing: Mapped[ResponseSharing] = mapped_column(str_enum(ResponseSharing))
    # The person allows their free text to be quoted, without name or date, in the service's report.
    quote_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[FeedbackRequest] = relationship(back_populates="response")
    version: Mapped[QuestionSetVersion] = relationship()
    answers: Mapped[list["FeedbackAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="FeedbackAnswer.item_id"
    )

    __table_args__ = (
        # The service report: a service's responses to one question set, month by month. With
        # quote_allowed and the id, its queries (the counts per month, the join to the answers, the
        # quotable free texts) read the index alone, never the table (PostgreSQL's index-only scans).
        Index("ix_feedback_responses_service_set_month", "service_id", "set_id", "month", "quote_allowed", "id"),
    )


class FeedbackAnswer(db.Model):
    """One item's answer: a value on the item's scale, or a free text."""

    __tablename__ = "feedback_answers"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id"), primary_key=True, index=True)
    value: Mapped[int | None] = mapped_column()
    text: Mapped[str | None] = mapped_column(String(2000))

    response: Mapped[FeedbackResponse] = relationship(back_populates="answers")
    item: Mapped[FeedbackItem] = relationship()

    __table_args__ = (
        CheckConstraint("value IS NULL OR value BETWEEN 0 AND 5", name="value_range"),
        CheckConstraint("(value IS NULL) != (text IS NULL)", name="value_or_text"),
        CheckConstraint("text IS NULL OR length(text) > 0", name="text_not_empty"),
        # The service report reads the values without the table: a covering index.
        Index("ix_feedback_answers_response_item_value", "response_id", "item_id", "value"),
    )


class AlertReason(str, enum.Enum):
    LOW = "low"  # an item answered at the lowest two steps
    DROP = "drop"  # "all in all" two steps or more below the last meeting


class FeedbackAlert(db.Model):
    """A rating the team must not miss; on the worklist until a team member marks it seen."""

    __tablename__ = "feedback_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("feedback_responses.id", ondelete="CASCADE"), unique=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    reason: Mapped[AlertReason] = mapped_column(str_enum(AlertReason))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(1000))

    response: Mapped[FeedbackResponse] = relationship()
    pathway: Mapped[Pathway] = relationship()
    seen_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("(seen_at IS NULL) = (seen_by_id IS NULL)", name="seen_by_someone"),
        CheckConstraint("note IS NULL OR seen_at IS NOT NULL", name="note_when_seen"),
    )


class ServiceFeedbackSettings(db.Model):
    """How often a service sends its experience questionnaire (None: only on demand and on closing)."""

    __tablename__ = "service_feedback_settings"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    questionnaire_every_months: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        CheckConstraint("questionnaire_every_months IS NULL OR questionnaire_every_months BETWEEN 1 AND 24",
                        name="months_range"),
    )


class ServicePublication(db.Model):
    """"You said, we did": a service's short answer to what it heard, shown to its families."""

    __tablename__ = "service_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(1000))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    service: Mapped[Service] = relationship()
    author: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)
