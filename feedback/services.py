"""Feedback requests, responses and alerts: every write and every non-trivial query of the feedback
the family gives and the team reads. The service report is in `feedback.report_services`.

When a request is made
- A rating: when a meeting has been held (a professional marked it held, or its end time passed),
  for the young person (if invited to it and with an account) and each parent with parental
  responsibility (if the parents were invited). Requests for meetings whose end passed are made when
  the person next opens their home page (`make_due_requests`) or by `flask feedback send-due`.
- A questionnaire: by a service's schedule (every so many months, also in `make_due_requests`), on
  demand by a professional on the team, and when a pathway closes. The version asked depends on the
  person: parents, 12–18, or 9–11 (children under 9 are not asked).

Windows: a request can be answered for `ANSWER_DAYS`; an answer can be changed for `CHANGE_DAYS`
after it was first given; after that it is closed.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from access.policy import FAMILY_ROLES, family_meetings_for, family_pathway_ids
from accounts.models import ParentLink, Role, Service, User, YoungPerson, professional_services
from core.extensions import db
from core.models import OSLO, today_in_oslo, utcnow
from feedback.models import (
    AlertReason, FeedbackAlert, FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, QuestionSet,
    QuestionSetVersion, RequestReason, ResponseSharing, ScaleKind, ServiceFeedbackSettings, ServicePublication,
)
from pathways.models import Meeting, Pathway, TeamMember
from youth.models import Preparation

ANSWER_DAYS = 14
QUESTIONNAIRE_ANSWER_DAYS = 30
CHANGE_DAYS = 7
# A rating at or below this step (of five) alerts the team; so does an "all in all" this much lower
# than the same person's rating of the meeting before.
ALERT_AT_OR_BELOW = 2
ALERT_DROP = 2
# Ratings are asked for meetings held at most this long ago (older ones would be closed anyway).
RECENT = timedelta(days=ANSWER_DAYS)
CHILD_QUESTIONNAIRE_FROM = 9
YOUTH_QUESTIONNAIRE_FROM = 12

MEETING_SET = "meeting"
QUESTIONNAIRE_SETS = {"child": "questionnaire_child", "youth": "questionnaire_youth",
                      "parent": "questionnaire_parent"}


def month_of(moment: datetime) -> str:
    """The month of `moment` in Norway, as "YYYY-MM"."""
    return moment.astimezone(OSLO).strftime("%Y-%m")


# --- question sets ------------------------------------------------------------------------------

def current_version(set_key: str) -> QuestionSetVersion:
    """The newest version of a question set, with its items and their scales' steps."""
    return db.session.scalar(
        select(QuestionSetVersion).join(QuestionSet).where(QuestionSet.key == set_key)
        .order_by(QuestionSetVersion.number.desc()).limit(1)
        .options(selectinload(QuestionSetVersion.items).joinedload(FeedbackItem.scale))
    )


def version_for(request: FeedbackRequest, shown_version_id: int | None = None) -> QuestionSetVersion:
    """The version a request is answered with: the one already answered; else the one the form was
    shown with (`shown_version_id`, if it is a version of the request's set), so that an admin's edit
    while the form is open loses nothing; else the newest."""
    wanted = request.response.version_id if request.response is not None else shown_version_id
    if wanted is not None:
        version = db.session.scalar(
            select(QuestionSetVersion).where(QuestionSetVersion.id == wanted,
                                             QuestionSetVersion.set_id == request.set_id)
            .options(selectinload(QuestionSetVersion.items).joinedload(FeedbackItem.scale))
        )
        if version is not None:
            return version
    return current_version(request.question_set.key)


def questionnaire_set_key(role: Role, age: int) -> str | None:
    """Which questionnaire a person gets: parents theirs, young people by age; None under 9."""
    if role == Role.PARENT:
        return QUESTIONNAIRE_SETS["parent"]
    if age >= YOUTH_QUESTIONNAIRE_FROM:
        return QUESTIONNAIRE_SETS["youth"]
    if age >= CHILD_QUESTIONNAIRE_FROM:
        return QUESTIONNAIRE_SETS["child"]
    return None


def _set_ids() -> dict[str, int]:
    return dict(db.session.execute(select(QuestionSet.key, QuestionSet.id)).all())


# --- making requests ----------------------------------------------------------------------------

def meeting_service_id(meeting: Meeting) -> int | None:
    """The service a meeting's ratings count for: the first service of whoever set the meeting up,
    else the coordinator's; None if neither belongs to a service."""
    return _first_service(meeting.created_by_id) or _first_service(meeting.pathway.coordinator_id)


def _family_of(pathway: Pathway) -> list[tuple[int, Role]]:
    """The accounts of the young person and of the parents with parental responsibility."""
    people = []
    if pathway.young_person.user_id is not None:
        people.append((pathway.young_person.user_id, Role.YOUNG_PERSON))
    parents = db.session.scalars(
        select(ParentLink.user_id).where(ParentLink.young_person_id == pathway.young_person_id,
                                         ParentLink.parental_responsibility.is_(True))
        .order_by(ParentLink.user_id)
    )
    people.extend((user_id, Role.PARENT) for user_id in parents)
    return people


def _new_request(reason: RequestReason, set_id: int, pathway_id: int, user_id: int, service_id: int,
                 now: datetime, meeting_id: int | None = None) -> FeedbackRequest:
    days = ANSWER_DAYS if reason == RequestReason.MEETING else QUESTIONNAIRE_ANSWER_DAYS
    return FeedbackRequest(reason=reason, set_id=set_id, pathway_id=pathway_id, user_id=user_id,
                           meeting_id=meeting_id, service_id=service_id, created_at=now, month=month_of(now),
                           closes_at=now + timedelta(days=days))


def _add_ratings(meeting: Meeting, user_ids: list[int], now: datetime) -> int:
    """Add the rating requests for `user_ids` on `meeting` that do not exist yet; a request made at
    the same moment by another process is left to it. Returns how many were made."""
    service_id = meeting_service_id(meeting)
    if service_id is None or not user_ids:
        return 0
    existing = set(db.session.scalars(
        select(FeedbackRequest.user_id).where(FeedbackRequest.meeting_id == meeting.id)
    ))
    set_id = _set_ids()[MEETING_SET]
    made = 0
    for user_id in user_ids:
        if user_id in existing:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(_new_request(RequestReason.MEETING, set_id, meeting.pathway_id, user_id,
                                            service_id, now, meeting_id=meeting.id))
            made += 1
        except IntegrityError:  # made by another request just now (two tabs): one is enough
            pass
    return made


def invited_family(meeting: Meeting) -> list[int]:
    """The family accounts invited to `meeting`: the young person if invited, parents if invited."""
    return [user_id for user_id, role in _family_of(meeting.pathway)
            if (meeting.young_person_invited if role == Role.YOUNG_PERSON else meeting.parents_invited)]


def mark_held(meeting: Meeting, by: User) -> int:
    """A professional marks the meeting held: its family is asked at once. Returns requests made."""
    now = utcnow()
    if meeting.held_at is None:
        meeting.held_at = now
    made = _add_ratings(meeting, invited_family(meeting), now)
    db.session.commit()
    return made


def _due_ratings(role: Role):
    """Meetings `:user_id` was invited to as family, held (marked, or their end passed) since
    `:recent_since` and not yet asked about."""
    invited = family_meetings_for(role)
    if role == Role.YOUNG_PERSON:
        invited = and_(invited, Meeting.young_person_invited.is_(True))
    held = or_(and_(Meeting.held_at.is_not(None), Meeting.held_at >= bindparam("recent_since")),
               and_(Meeting.ends_at <= bindparam("now"), Meeting.ends_at >= bindparam("recent_since")))
    asked = select(FeedbackRequest.id).where(FeedbackRequest.meeting_id == Meeting.id,
                                             FeedbackRequest.user_id == bindparam("user_id")).exists()
    return select(Meeting).where(invited, held, ~asked).options(joinedload(Meeting.pathway))


def _scheduled(role: Role):
    """Open pathways of `:user_id` whose team has a service that sends its questionnaire every so many
    months, with when that service last sent one to the user."""
    last_sent = (
        select(func.max(FeedbackRequest.created_at))
        .where(FeedbackRequest.user_id == bindparam("user_id"), FeedbackRequest.service_id == Service.id,
               FeedbackRequest.pathway_id == Pathway.id, FeedbackRequest.reason != RequestReason.MEETING)
        .scalar_subquery()
    )
    return (
        select(Pathway, Service.id, ServiceFeedbackSettings.questionnaire_every_months, last_sent)
        .join(TeamMember, TeamMember.pathway_id == Pathway.id)
        .join(professional_services, professional_services.c.user_id == TeamMember.user_id)
        .join(Service, Service.id == professional_services.c.service_id)
        .join(ServiceFeedbackSettings, ServiceFeedbackSettings.service_id == Service.id)
        .where(Pathway.id.in_(family_pathway_ids(role)), Pathway.closed_at.is_(None),
               ServiceFeedbackSettings.questionnaire_every_months.is_not(None))
        .distinct()
    )


# Built once per role and run with the user and the time: every home page asks them.
DUE_RATINGS = {role: _due_ratings(role) for role in FAMILY_ROLES}
SCHEDULED = {role: _scheduled(role) for role in FAMILY_ROLES}


def make_due_requests(user: User, now: datetime | None = None) -> int:
    """Make the requests that are due for `user` (a young person or parent): ratings of meetings held
    recently that they were invited to, and questionnaires their services' schedules call for. Commits
    only when it made some; returns how many."""
    if user.role not in FAMILY_ROLES:
        return 0
    now = now or utcnow()
    params = {"user_id": user.id, "now": now, "recent_since": now - RECENT}
    meetings = db.session.scalars(DUE_RATINGS[user.role], params).all()
    made = sum(_add_ratings(meeting, [user.id], now) for meeting in meetings)
    made += _make_scheduled_questionnaires(user, now)
    if made:
        db.session.commit()
    return made


def _make_scheduled_questionnaires(user: User, now: datetime) -> int:
    """A questionnaire from each service on the user's open pathways that sends one every so many
    months, when the last one (or the pathway's start) is that long ago."""
    rows = db.session.execute(SCHEDULED[user.role], {"user_id": user.id}).all()
    set_ids, made = None, 0
    for pathway, service_id, months, last in rows:
        since = last or pathway.created_at
        if since > now - timedelta(days=round(months * 30.44)):
            continue
        key = questionnaire_set_key(user.role, pathway.young_person.age_on(today_in_oslo()))
        if key is None:
            continue
        set_ids = set_ids or _set_ids()
        db.session.add(_new_request(RequestReason.SCHEDULE, set_ids[key], pathway.id, user.id, service_id, now))
        made += 1
    return made


def send_questionnaire(pathway: Pathway, by: User, reason: RequestReason = RequestReason.ON_DEMAND) -> int:
    """Send the experience questionnaire to the young person (9 and over) and the parents on the
    pathway, for the service of `by` (else the coordinator's). Nobody gets a second one from the same
    service within `QUESTIONNAIRE_ANSWER_DAYS` of the last, answered or not: whom it is sent to must
    not tell the team who answered (an answer may be anonymous). Returns how many were sent; the
    caller commits."""
    now = utcnow()
    service_id = _first_service(by.id) or _first_service(pathway.coordinator_id)
    if service_id is None:
        return 0
    sent_lately = set(db.session.scalars(
        select(FeedbackRequest.user_id)
        .where(FeedbackRequest.pathway_id == pathway.id, FeedbackRequest.service_id == service_id,
               FeedbackRequest.reason != RequestReason.MEETING,
               FeedbackRequest.created_at > now - timedelta(days=QUESTIONNAIRE_ANSWER_DAYS))
    ))
    set_ids = _set_ids()
    age = pathway.young_person.age_on(today_in_oslo())
    sent = 0
    for user_id, role in _family_of(pathway):
        key = questionnaire_set_key(role, age)
        if key is None or user_id in sent_lately:
            continue
        db.session.add(_new_request(reason, set_ids[key], pathway.id, user_id, service_id, now))
        sent += 1
    return sent


def _first_service(user_id: int) -> int | None:
    """The first service (by id) a professional belongs to, or None."""
    return db.session.scalar(
        select(professional_services.c.service_id).where(professional_services.c.user_id == user_id)
        .order_by(professional_services.c.service_id).limit(1)
    )


def send_due_for_everyone(now: datetime | None = None) -> int:
    """`flask feedback send-due`: make the due requests for every active young person and parent
    (for a daily timer, so that requests count in the reports even for people who seldom log in)."""
    users = db.session.scalars(
        select(User).where(User.role.in_([Role.YOUNG_PERSON, Role.PARENT]), User.active.is_(True))
    ).all()
    before = db.session.scalar(select(func.count(FeedbackRequest.id)))
    for user in users:
        make_due_requests(user, now)
    return db.session.scalar(select(func.count(FeedbackRequest.id))) - before


# --- answering ----------------------------------------------------------------------------------

def preparation_topics(user: User, request: FeedbackRequest) -> list[str]:
    """What this person wrote they wanted to talk about, in their own preparation for the meeting
    (one topic per line): the rating form shows it beside "we talked about what mattered to me".
    Nothing for a questionnaire or without a preparation."""
    if request.meeting_id is None:
        return []
    talk_about = db.session.scalar(
        select(Preparation.talk_about).where(Preparation.meeting_id == request.meeting_id,
                                             Preparation.author_id == user.id)
    )
    return [line.strip() for line in (talk_about or "").splitlines() if line.strip()]


class WindowClosed(Exception):
    """The request can no longer be answered, or the answer no longer changed."""


def open_until(request: FeedbackRequest) -> datetime:
    """Until when the request can be answered, or its answer changed."""
    if request.response is not None:
        return request.response.submitted_at + timedelta(days=CHANGE_DAYS)
    return request.closes_at


def is_open(request: FeedbackRequest, now: datetime | None = None) -> bool:
    return (now or utcnow()) < open_until(request)


@dataclass
class Answers:
    """What the form gave: a value (scale items) or a text (free-text items) per item id."""

    values: dict[int, int | None]
    texts: dict[int, str]
    sharing: ResponseSharing = ResponseSharing.TEAM
    quote_allowed: bool = False


def save_response(request: FeedbackRequest, answers: Answers, now: datetime | None = None,
                  version: QuestionSetVersion | None = None) -> FeedbackResponse:
    """Store the answer to `request`, or change it. Only one response per request is ever stored:
    a second submission (a double tap, a second tab) changes the first. Raises `WindowClosed` (and
    stores nothing) once the window has closed. A new response keeps `version` (the one the form
    was built from; the newest if None). The form has checked the values against the scale; the
    database refuses anything out of range."""
    now = now or utcnow()
    if not is_open(request, now):
        raise WindowClosed()
    response = request.response
    if response is None:
        version = version or current_version(request.question_set.key)
        try:
            with db.session.begin_nested():
                response = FeedbackResponse(request_id=request.id, version_id=version.id, submitted_at=now,
                                            updated_at=now, sharing=answers.sharing,
                                            quote_allowed=answers.quote_allowed,
                                            # copied for the service report (its index)
                                            service_id=request.service_id, set_id=request.set_id,
                                            month=request.month)
                db.session.add(response)
        except IntegrityError:  # the same form sent twice at once: the other one was first
            db.session.expire(request)
            response = request.response
    response.sharing, response.quote_allowed, response.updated_at = answers.sharing, answers.quote_allowed, now
    _store_answers(response, answers)
    db.session.flush()
    update_alert(response)
    db.session.commit()
    return response


def _store_answers(response: FeedbackResponse, answers: Answers) -> None:
    by_item = {answer.item_id: answer for answer in response.answers}
    wanted: dict[int, tuple[int | None, str | None]] = {}
    for item_id, value in answers.values.items():
        if value is not None:
            wanted[item_id] = (value, None)
    for item_id, text in answers.texts.items():
        if text and text.strip():
            wanted[item_id] = (None, text.strip())
    for item_id, answer in list(by_item.items()):
        if item_id not in wanted:
            response.answers.remove(answer)
    for item_id, (value, text) in wanted.items():
        answer = by_item.get(item_id)
        if answer is None:
            response.answers.append(FeedbackAnswer(item_id=item_id, value=value, text=text))
        else:
            answer.value, answer.text = value, text


# --- alerts -------------------------------------------------------------------------------------

def _scale_values(response_id: int) -> dict[str, int]:
    """A rating's values on the five-step scale, by item key."""
    return dict(db.session.execute(
        select(FeedbackItem.key, FeedbackAnswer.value).join(FeedbackAnswer.item).join(FeedbackItem.scale)
        .where(FeedbackAnswer.response_id == response_id, FeedbackAnswer.value.is_not(None))
        .where(FeedbackItem.scale.has(kind=ScaleKind.FACES))
    ).all())


def _overall_key(version_id: int) -> str | None:
    return db.session.scalar(
        select(FeedbackItem.key).where(FeedbackItem.version_id == version_id, FeedbackItem.overall.is_(True))
    )


def previous_overall(response: FeedbackResponse) -> int | None:
    """The same person's "all in all" on the last meeting before this one that they rated and
    shared with the team, if any."""
    request = response.request
    key = _overall_key(response.version_id)
    if key is None or request.meeting is None:
        return None
    return db.session.scalar(
        select(FeedbackAnswer.value)
        .join(FeedbackResponse, FeedbackResponse.id == FeedbackAnswer.response_id)
        .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
        .join(Meeting, Meeting.id == FeedbackRequest.meeting_id)
        .join(FeedbackItem, FeedbackItem.id == FeedbackAnswer.item_id)
        .where(FeedbackRequest.user_id == request.user_id, FeedbackRequest.pathway_id == request.pathway_id,
               Meeting.starts_at < request.meeting.starts_at, FeedbackItem.key == key,
               FeedbackAnswer.value.is_not(None),
               # An earlier answer counted only anonymously must not show through a "drop".
               FeedbackResponse.sharing == ResponseSharing.TEAM)
        .order_by(Meeting.starts_at.desc()).limit(1)
    )


def alert_reason(response: FeedbackResponse) -> AlertReason | None:
    """Why this rating must reach the team, or None. Only ratings shared with the team alert: an
    anonymous answer is only counted in the service's figures."""
    if response.sharing != ResponseSharing.TEAM or response.request.reason != RequestReason.MEETING:
        return None
    values = _scale_values(response.id)
    if any(value <= ALERT_AT_OR_BELOW for value in values.values()):
        return AlertReason.LOW
    key = _overall_key(response.version_id)
    before = previous_overall(response)
    if key in values and before is not None and before - values[key] >= ALERT_DROP:
        return AlertReason.DROP
    return None


def update_alert(response: FeedbackResponse) -> None:
    """Raise, change or take back the alert for a rating after it was saved. An alert already
    marked seen stays as it is (the team has read it), unless the answer is now counted only
    anonymously: then the alert goes, seen or not."""
    reason = alert_reason(response)
    alert = db.session.scalar(select(FeedbackAlert).where(FeedbackAlert.response_id == response.id))
    if alert is not None and response.sharing != ResponseSharing.TEAM:
        db.session.delete(alert)
        return
    if alert is not None and alert.seen_at is not None:
        return
    if reason is None:
        if alert is not None:
            db.session.delete(alert)
        return
    if alert is None:
        db.session.add(FeedbackAlert(response_id=response.id, pathway_id=response.request.pathway_id,
                                     reason=reason, created_at=utcnow()))
    else:
        alert.reason = reason


def mark_alert_seen(alert: FeedbackAlert, by: User, note: str | None) -> None:
    alert.seen_at, alert.seen_by_id, alert.note = utcnow(), by.id, (note or "").strip() or None
    db.session.commit()


@dataclass
class AlertLine:
    """One unseen alert as the worklist shows it."""

    id: int
    pathway_id: int
    young_person_name: str
    respondent_name: str
    respondent_role: Role
    reason: AlertReason
    meeting_starts_at: datetime | None
    created_at: datetime


_RESPONDENT = User.__table__.alias("respondent")
# Built once, run with the user's id.
WORKLIST_ALERTS = (
    select(FeedbackAlert.id, FeedbackAlert.pathway_id, YoungPerson.name, _RESPONDENT.c.name, _RESPONDENT.c.role,
           FeedbackAlert.reason, Meeting.starts_at, FeedbackAlert.created_at)
    .join(TeamMember, and_(TeamMember.pathway_id == FeedbackAlert.pathway_id,
                           TeamMember.user_id == bindparam("user_id")))
    .join(Pathway, Pathway.id == FeedbackAlert.pathway_id)
    .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
    .join(FeedbackResponse, FeedbackResponse.id == FeedbackAlert.response_id)
    .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
    .join(_RESPONDENT, _RESPONDENT.c.id == FeedbackRequest.user_id)
    .outerjoin(Meeting, Meeting.id == FeedbackRequest.meeting_id)
    # A closed pathway is read-only: its alerts can no longer be marked seen, so they leave the worklist.
    .where(FeedbackAlert.seen_at.is_(None), Pathway.closed_at.is_(None))
    .order_by(FeedbackAlert.created_at.desc(), FeedbackAlert.id.desc())
)


def alerts_for_worklist(user: User) -> list[AlertLine]:
    """Unseen alerts on the open pathways `user` is on the team of, newest first. One query."""
    rows = db.session.execute(WORKLIST_ALERTS, {"user_id": user.id}).all()
    return [AlertLine(*row[:4], Role(row[4]), AlertReason(row[5]), row[6], row[7]) for row in rows]


# --- the home page ------------------------------------------------------------------------------

@dataclass
class HomeRequest:
    """A request on the family's home page: still to answer, or answered and still changeable."""

    id: int
    reason: RequestReason
    meeting_starts_at: datetime | None
    service_name: str
    answered: bool
    open_until: datetime


@dataclass
class HomeFeedback:
    requests: list[HomeRequest] = field(default_factory=list)
    published: list["Publication"] = field(default_factory=list)


@dataclass
class Publication:
    """A "you said, we did" as families read it."""

    service_name: str
    text: str
    published_at: datetime


HOME_PUBLICATIONS = 3
PUBLICATION_SHOWN_DAYS = 180


# Built once, run with the user, their pathways and the time.
HOME_REQUESTS = (
    select(FeedbackRequest.id, FeedbackRequest.reason, Meeting.starts_at, Service.name,
           FeedbackResponse.submitted_at, FeedbackRequest.closes_at)
    .join(Service, Service.id == FeedbackRequest.service_id)
    .outerjoin(Meeting, Meeting.id == FeedbackRequest.meeting_id)
    .outerjoin(FeedbackResponse, FeedbackResponse.request_id == FeedbackRequest.id)
    .where(FeedbackRequest.user_id == bindparam("user_id"),
           FeedbackRequest.pathway_id.in_(bindparam("pathway_ids", expanding=True)),
           or_(and_(FeedbackResponse.id.is_(None), FeedbackRequest.closes_at > bindparam("now")),
               FeedbackResponse.submitted_at > bindparam("changeable_since")))
    .order_by(FeedbackRequest.created_at, FeedbackRequest.id)
)
HOME_PUBLICATIONS_QUERY = (
    select(Service.name, ServicePublication.text, ServicePublication.published_at)
    .join(Service, Service.id == ServicePublication.service_id)
    .where(ServicePublication.service_id.in_(
               select(professional_services.c.service_id)
               .join(TeamMember, TeamMember.user_id == professional_services.c.user_id)
               .where(TeamMember.pathway_id.in_(bindparam("pathway_ids", expanding=True)))),
           ServicePublication.withdrawn_at.is_(None), ServicePublication.published_at > bindparam("since"))
    .order_by(ServicePublication.published_at.desc(), ServicePublication.id.desc())
    .limit(HOME_PUBLICATIONS)
)


def for_home(user: User, pathway_ids: list[int], now: datetime | None = None) -> HomeFeedback:
    """The family member's open feedback requests (oldest meeting first) and the latest "you said,
    we did" from the services on their pathways' teams (the caller has made the due requests)."""
    now = now or utcnow()
    if not pathway_ids:
        return HomeFeedback()
    rows = db.session.execute(HOME_REQUESTS, {"user_id": user.id, "pathway_ids": pathway_ids, "now": now,
                                              "changeable_since": now - timedelta(days=CHANGE_DAYS)}).all()
    requests = [
        HomeRequest(id, RequestReason(reason), starts_at, service_name, submitted_at is not None,
                    submitted_at + timedelta(days=CHANGE_DAYS) if submitted_at is not None else closes_at)
        for id, reason, starts_at, service_name, submitted_at, closes_at in rows
    ]
    return HomeFeedback(requests=requests, published=publications_for(pathway_ids, now))


def publications_for(pathway_ids: list[int], now: datetime) -> list[Publication]:
    """The latest "you said, we did" of the services of the professionals on these pathways' teams."""
    rows = db.session.execute(HOME_PUBLICATIONS_QUERY, {
        "pathway_ids": pathway_ids, "since": now - timedelta(days=PUBLICATION_SHOWN_DAYS)}).all()
    return [Publication(*row) for row in rows]


def close_pathway_questionnaires(pathway: Pathway, by: User) -> int:
    """When a pathway closes, the family gets the experience questionnaire (the caller commits)."""
    return send_questionnaire(pathway, by, RequestReason.CLOSING)

