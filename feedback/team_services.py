"""What the team reads of the family's feedback: the trend of the meeting ratings on the pathway page
(drawn by `feedback.chart`), every response shared with the team, and how many were asked after a
meeting. The team never sees a response counted only in the service's anonymous figures.

The pathway views call `trend_section` and `asked_for_meeting` (they may import feedback's services,
never its views); the feedback views call the rest.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from accounts.models import Role, Service, User
from core.extensions import db
from core.i18n import in_locale
from feedback.chart import STEPS, Chart, Series, line_chart
from feedback.models import (
    FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, FeedbackScale, QuestionSet, QuestionSetVersion,
    RequestReason, ResponseSharing, ScaleKind, ScaleStep,
)
from feedback.services import MEETING_SET
from pathways.models import InputKind, Meeting, MeetingKind, Pathway

# --- the trend on the pathway page ------------------------------------------------------------------

@dataclass
class TrendPoint:
    meeting_id: int
    meeting_starts_at: datetime
    values: dict[str, int]  # item key -> value
    text: str | None  # the free text, if any
    response_id: int


@dataclass
class Trend:
    """One person's ratings across the pathway's meetings, oldest first, shared with the team."""

    user_id: int
    name: str
    role: Role
    points: list[TrendPoint]


@dataclass
class TeamFeedback:
    trends: list[Trend]


# The pathway page shows each person's last TREND_MEETINGS ratings, however long the pathway; every
# rating is on the page of all the feedback shared with the team (`pathway_responses`).
TREND_MEETINGS = 12
_NEWEST_RATINGS = (
    select(FeedbackResponse.id, func.row_number().over(
        partition_by=FeedbackRequest.user_id, order_by=(Meeting.starts_at.desc(), Meeting.id.desc())).label("n"))
    .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
    .join(Meeting, Meeting.id == FeedbackRequest.meeting_id)
    .where(FeedbackRequest.pathway_id == bindparam("pathway_id"), FeedbackResponse.sharing == ResponseSharing.TEAM)
    .subquery()
)
# Built once, run with the pathway's id.
SHARED_RATINGS = (
    select(FeedbackResponse.id, FeedbackRequest.user_id, User.name, User.role, Meeting.id, Meeting.starts_at,
           FeedbackItem.key, FeedbackAnswer.value, FeedbackAnswer.text)
    .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
    .join(User, User.id == FeedbackRequest.user_id)
    .join(Meeting, Meeting.id == FeedbackRequest.meeting_id)
    .join(FeedbackAnswer, FeedbackAnswer.response_id == FeedbackResponse.id)
    .join(FeedbackItem, FeedbackItem.id == FeedbackAnswer.item_id)
    .where(FeedbackRequest.pathway_id == bindparam("pathway_id"), FeedbackResponse.sharing == ResponseSharing.TEAM,
           FeedbackResponse.id.in_(select(_NEWEST_RATINGS.c.id).where(_NEWEST_RATINGS.c.n <= TREND_MEETINGS)))
    .order_by(User.role.desc(), User.name, FeedbackRequest.user_id, Meeting.starts_at, Meeting.id)
)


def team_feedback(pathway: Pathway) -> TeamFeedback:
    """The ratings on `pathway` that were shared with the team, per person (their last TREND_MEETINGS),
    for the trend chart and its table (`trend_section` names the items). One query."""
    rows = db.session.execute(SHARED_RATINGS, {"pathway_id": pathway.id}).all()
    trends: dict[int, Trend] = {}
    points: dict[int, TrendPoint] = {}
    for response_id, user_id, name, role, meeting_id, starts_at, key, value, text in rows:
        trend = trends.setdefault(user_id, Trend(user_id, name, Role(role), []))
        point = points.get(response_id)
        if point is None:
            point = points[response_id] = TrendPoint(meeting_id, starts_at, {}, None, response_id)
            trend.points.append(point)
        if value is not None:
            point.values[key] = value
        elif text is not None:
            point.text = text
    ordered = sorted(trends.values(), key=lambda t: (t.role != Role.YOUNG_PERSON, t.name))
    return TeamFeedback(trends=ordered)


@dataclass
class TrendRow:
    """One meeting in the table: its date, a cell per item, the free text."""

    meeting_starts_at: datetime
    cells: list[str]
    text: str | None


@dataclass
class PersonTrend:
    user_id: int
    name: str
    role: Role
    chart: Chart
    columns: list[str]
    text_column: str
    rows: list[TrendRow]
    key: str  # for ids on the page
    lowest: str  # the words of step 1 and step 5
    highest: str


@dataclass
class TrendSection:
    people: list[PersonTrend] = field(default_factory=list)
    reads: list = field(default_factory=list)  # the responses shown, for the access log


NEWEST_MEETING_ITEMS = (
    select(FeedbackItem.key, FeedbackItem.text_nn, FeedbackItem.text_nb, FeedbackItem.scale_id,
           ScaleStep.value, ScaleStep.label_nn, ScaleStep.label_nb)
    .outerjoin(ScaleStep, ScaleStep.scale_id == FeedbackItem.scale_id)
    .where(FeedbackItem.version_id == (
        select(QuestionSetVersion.id).join(QuestionSet).where(QuestionSet.key == MEETING_SET)
        .order_by(QuestionSetVersion.number.desc()).limit(1).scalar_subquery()))
    .order_by(FeedbackItem.position)
)


def _newest_meeting_items():
    """The items of the newest meeting-rating version as plain rows, and the words of their steps."""
    items, labels = {}, {}
    for key, text_nn, text_nb, scale_id, value, label_nn, label_nb in db.session.execute(NEWEST_MEETING_ITEMS):
        items.setdefault(key, (key, text_nn, text_nb, scale_id))
        if value is not None:
            labels[(scale_id, value)] = in_locale(label_nn, label_nb)
    return list(items.values()), labels


def step_words(value: int | None, label: str | None) -> str:
    """A faces value as the table shows it: "4 – Stemmer godt"."""
    if value is None:
        return _("Not answered")
    return f"{value} – {label}" if label else str(value)


def short_date(moment: datetime) -> str:
    """A meeting's date on the chart's x axis, in Norway (12.3.): the table has the whole date."""
    return format_date(moment, "d.M.")


def trend_section(pathway: Pathway) -> TrendSection:
    """The ratings shared with the team on `pathway`, per person (young person first), as a chart
    and a table each; `reads` lists the responses shown."""
    feedback = team_feedback(pathway)
    if not feedback.trends:
        return TrendSection()
    trends = [(t.user_id, t.name, t.role, [(p.meeting_starts_at, dict(p.values), p.text) for p in t.points])
              for t in feedback.trends]
    items, labels = _newest_meeting_items()
    scale_items = [(key, in_locale(nn, nb), scale_id) for key, nn, nb, scale_id in items if scale_id is not None]
    text_item = next((in_locale(nn, nb) for key, nn, nb, scale_id in items if scale_id is None), None)
    y_labels = {}
    if scale_items:
        y_labels = {value: labels.get((scale_items[0][2], value), "") for value in STEPS}
    section = TrendSection(reads=[(InputKind.FEEDBACK, p.response_id, t.user_id)
                                  for t in feedback.trends for p in t.points])
    for user_id, name, role, points in trends:
        key = f"trend-{user_id}"
        dates = [starts_at for starts_at, _values, _text in points]
        series = [Series(label, [values.get(item_key) for _at, values, _text in points])
                  for item_key, label, _scale in scale_items]
        title = (_("How the meetings felt for %(name)s (young person)", name=name) if role == Role.YOUNG_PERSON
                 else _("How the meetings felt for %(name)s (parent)", name=name))
        description = ngettext(
            "Ratings of %(num)d meeting, on %(first)s, on a scale from 1 (%(low)s) to 5 (%(high)s). "
            "One line per question. The same figures are in the table below the chart.",
            "Ratings of %(num)d meetings, from %(first)s to %(last)s, on a scale from 1 (%(low)s) to 5 "
            "(%(high)s). One line per question. The same figures are in the table below the chart.",
            len(dates), first=format_date(dates[0], "long"), last=format_date(dates[-1], "long"),
            low=y_labels.get(1, ""), high=y_labels.get(5, ""))
        chart = line_chart(key + "-chart", title, description, [short_date(at) for at in dates], series)
        rows = [TrendRow(at, [step_words(values.get(item_key), labels.get((scale_id, values.get(item_key))))
                              for item_key, _label, scale_id in scale_items], text)
                for at, values, text in points]
        section.people.append(PersonTrend(user_id, name, role, chart, [label for _k, label, _s in scale_items],
                                          text_item or _("Free text"), rows, key, y_labels.get(1, ""),
                                          y_labels.get(5, "")))
    return section


# --- how the last meetings felt, on the before-the-meeting page ----------------------------------

@dataclass
class Felt:
    """One person's rating of one meeting, shared with the team: the average of the faces (1-5, higher
    is better) and their own words ("what could have been better")."""

    response_id: int
    user_id: int
    name: str
    role: Role
    values: list[int]
    text: str | None

    @property
    def average(self) -> float | None:
        return sum(self.values) / len(self.values) if self.values else None

    @property
    def figure(self) -> str:
        """The average as the reader writes numbers (2,4 in Norwegian)."""
        return _figure(self.average) if self.values else ""


@dataclass
class MeetingFelt:
    meeting: Meeting
    ratings: list[Felt]  # young person first


@dataclass
class LastMeetingsFelt:
    meetings: list[MeetingFelt]  # newest first
    trend: str  # one line, "" when nobody shared a rating
    reads: list = field(default_factory=list)  # the responses shown, for the access log


RATINGS_OF_MEETINGS = (
    select(FeedbackResponse.id, FeedbackRequest.user_id, User.name, User.role, FeedbackRequest.meeting_id,
           FeedbackAnswer.value, FeedbackAnswer.text)
    .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
    .join(User, User.id == FeedbackRequest.user_id)
    .join(FeedbackAnswer, FeedbackAnswer.response_id == FeedbackResponse.id)
    .join(FeedbackItem, FeedbackItem.id == FeedbackAnswer.item_id)
    .where(FeedbackRequest.meeting_id.in_(bindparam("meeting_ids", expanding=True)),
           FeedbackResponse.sharing == ResponseSharing.TEAM)
    .order_by(User.role.desc(), User.name, FeedbackRequest.user_id, FeedbackItem.position)
)


def _figure(value: float) -> str:
    return format_decimal(round(value, 1), "0.0")


def _trend_line(meetings: list[MeetingFelt]) -> str:
    """Per person, their averages from the oldest of the meetings to the newest, and whether the
    newest is better, worse or about the same as the one before, in one line."""
    people: dict[int, tuple[str, list[float]]] = {}
    for felt in reversed(meetings):  # oldest first
        for rating in felt.ratings:
            if rating.average is not None:
                people.setdefault(rating.user_id, (rating.name, []))[1].append(rating.average)
    parts = []
    for name, averages in people.values():
        figures = " → ".join(_figure(a) for a in averages)
        if len(averages) < 2:
            parts.append(_("%(name)s: %(figures)s", name=name, figures=figures))
        elif averages[-1] - averages[-2] >= 0.5:
            parts.append(_("%(name)s: %(figures)s, better than the time before", name=name, figures=figures))
        elif averages[-2] - averages[-1] >= 0.5:
            parts.append(_("%(name)s: %(figures)s, worse than the time before", name=name, figures=figures))
        else:
            parts.append(_("%(name)s: %(figures)s, about the same", name=name, figures=figures))
    return "; ".join(parts)


def last_meetings_felt(meetings: list[Meeting]) -> LastMeetingsFelt:
    """How `meetings` (the last held ones, newest first) felt for the young person and the parents who
    shared their rating with the team: the average per person and meeting, their own words, and the
    trend in one line. One query (none without meetings); `reads` lists the responses shown."""
    felt = {m.id: MeetingFelt(m, []) for m in meetings}
    if not felt:
        return LastMeetingsFelt([], "")
    ratings: dict[int, Felt] = {}
    rows = db.session.execute(RATINGS_OF_MEETINGS, {"meeting_ids": list(felt)})
    for response_id, user_id, name, role, meeting_id, value, text in rows:
        rating = ratings.get(response_id)
        if rating is None:
            rating = ratings[response_id] = Felt(response_id, user_id, name, Role(role), [], None)
            felt[meeting_id].ratings.append(rating)
        if value is not None:
            rating.values.append(value)
        elif text:
            rating.text = text
    for item in felt.values():
        item.ratings.sort(key=lambda r: (r.role != Role.YOUNG_PERSON, r.name))
    shown = list(felt.values())
    return LastMeetingsFelt(shown, _trend_line(shown),
                            [(InputKind.FEEDBACK, r.response_id, r.user_id) for r in ratings.values()])


ASKED = select(func.count(FeedbackRequest.id)).where(FeedbackRequest.meeting_id == bindparam("meeting_id"))


def asked_for_meeting(meeting: Meeting) -> int:
    """How many of the family were asked how the meeting went."""
    return db.session.scalar(ASKED, {"meeting_id": meeting.id})


# --- every response shared with the team -----------------------------------------------------

@dataclass
class AnswerLine:
    question: str
    answer: str
    free_text: bool


@dataclass
class ResponseView:
    """A response shared with the team, as plain values (logging the read commits)."""

    id: int
    user_id: int
    name: str
    role: Role
    reason: RequestReason
    meeting_starts_at: datetime | None
    meeting_kind: MeetingKind | None
    set_name: str
    service_name: str
    submitted_at: datetime
    updated_at: datetime
    answers: list[AnswerLine] = field(default_factory=list)

    @property
    def is_rating(self) -> bool:
        return self.reason == RequestReason.MEETING


def _answer_words(kind: ScaleKind | None, value: int | None, label: str | None) -> str:
    if kind == ScaleKind.FACES:
        return step_words(value, label)
    return label or str(value)


def shared_responses(pathway, response_id: int | None = None) -> list[ResponseView]:
    """The responses on `pathway` shared with the team (or the one `response_id`, if shared),
    newest first, with their answers in the order of the questions. Three queries."""
    where = [FeedbackRequest.pathway_id == pathway.id, FeedbackResponse.sharing == ResponseSharing.TEAM]
    if response_id is not None:
        where.append(FeedbackResponse.id == response_id)
    rows = db.session.execute(
        select(FeedbackResponse.id, FeedbackRequest.user_id, User.name, User.role, FeedbackRequest.reason,
               Meeting.starts_at, Meeting.kind, QuestionSet.name_nn, QuestionSet.name_nb, Service.name,
               FeedbackResponse.submitted_at, FeedbackResponse.updated_at)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
        .join(User, User.id == FeedbackRequest.user_id)
        .join(QuestionSet, QuestionSet.id == FeedbackRequest.set_id)
        .join(Service, Service.id == FeedbackRequest.service_id)
        .outerjoin(Meeting, Meeting.id == FeedbackRequest.meeting_id)
        .where(*where)
        .order_by(FeedbackResponse.submitted_at.desc(), FeedbackResponse.id.desc())
    ).all()
    views = {
        row[0]: ResponseView(row[0], row[1], row[2], Role(row[3]), RequestReason(row[4]), row[5],
                             MeetingKind(row[6]) if row[6] else None, in_locale(row[7], row[8]), row[9],
                             row[10], row[11])
        for row in rows
    }
    if not views:
        return []
    labels = {(scale_id, value): in_locale(nn, nb) for scale_id, value, nn, nb in db.session.execute(
        select(ScaleStep.scale_id, ScaleStep.value, ScaleStep.label_nn, ScaleStep.label_nb))}
    answers = db.session.execute(
        select(FeedbackAnswer.response_id, FeedbackItem.text_nn, FeedbackItem.text_nb, FeedbackItem.scale_id,
               FeedbackScale.kind, FeedbackAnswer.value, FeedbackAnswer.text)
        .join(FeedbackItem, FeedbackItem.id == FeedbackAnswer.item_id)
        .outerjoin(FeedbackScale, FeedbackScale.id == FeedbackItem.scale_id)
        .where(FeedbackAnswer.response_id.in_(sorted(views)))
        .order_by(FeedbackAnswer.response_id, FeedbackItem.position)
    )
    for response, text_nn, text_nb, scale_id, kind, value, text in answers:
        question = in_locale(text_nn, text_nb)
        if text is not None:
            views[response].answers.append(AnswerLine(question, text, True))
        else:
            words = _answer_words(ScaleKind(kind) if kind else None, value, labels.get((scale_id, value)))
            views[response].answers.append(AnswerLine(question, words, False))
    return list(views.values())


def response_reads(responses: list[ResponseView]) -> list:
    """The responses shown, as entries of the access log (Normen)."""
    return [(InputKind.FEEDBACK, r.id, r.user_id) for r in responses]
