"""What falls due for whom: the reminders decided at one moment, written as pending notices.

`plan_due(now)` asks a fixed number of set-based queries whatever the number of pathways, decides in
Python who gets what, and writes every decision with one INSERT … ON CONFLICT DO NOTHING on the notice's
unique key (person, kind, occasion, channel), in one transaction: a notice decided twice (two workers,
a restart, the next run) is stored once and sent once.

The rules
- Quiet hours: between 21:00 and 08:00 Oslo time nothing is decided; the first run from 08:00 decides
  what fell due in the night, so it goes at 08:00.
- A meeting coming (not started, not held, on an open pathway): 3 or 2 days ahead by the Oslo calendar
  ("meeting:<id>:3d"), then tomorrow or later today ("meeting:<id>:1d"); to the young person if invited,
  to the parents with parental responsibility if the parents are invited.
- A rating or questionnaire waiting: an open request nobody answered, made in the last RECENT days
  ("rating:<id>"), to its person. (Bounded like the agreements, so that each minute's run reads only
  recent rows, not every open request in the country.)
- An agreement waiting for the family's answer (made in the last RECENT days, on an open pathway), to
  the young person and to the parents who see it (access.policy.family_meetings_for): "agreement:<id>".
- Professionals: a question or "I do not agree" to an agreement in the last RECENT days, to every team
  member ("question:<answer id>"); new input (statements, preparations the team may read) in the last
  day, at most one digest a day ("digest:<Oslo date>").
- A young person under 13 (today, in Oslo) gets no notice of their own unless a service on the
  pathway's team turned `notices_under_13` on; their parents get their own.
- Channels: e-mail to a confirmed address; SMS to a confirmed number where a service turned SMS on
  (for the family a service on the pathway's team, for a professional their own service).
- Nothing of a kind the person turned off, and nothing at all after the stop link ("all").
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import bindparam, exists, select, union
from sqlalchemy.dialects import postgresql, sqlite

from access.policy import team_sees
from accounts.models import ParentLink, Service, User, YoungPerson, professional_services
from core.extensions import db
from core.models import OSLO
from feedback.models import FeedbackRequest, FeedbackResponse
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeOptOut, NoticeStatus
from pathways.models import Agreement, AgreementAnswer, AnswerKind, Meeting, Pathway, TeamMember
from youth.models import Preparation, Statement

DAY_STARTS, DAY_ENDS = time(8), time(21)
RECENT = timedelta(days=7)  # how far back a request, an agreement or a question still calls for a notice
UNDER_AGE = 13
OPT_OUT_ALL = "all"
INSERT_ROWS = 1000  # rows per INSERT: far below SQLite's limit of bound parameters


def in_quiet_hours(now: datetime) -> bool:
    """Between 21:00 and 08:00 in Oslo nothing is decided or sent."""
    local = now.astimezone(OSLO).time()
    return not DAY_STARTS <= local < DAY_ENDS


@dataclass(frozen=True)
class Due:
    """One reminder for one person, before channels and choices. `pathway_id` is the pathway whose
    services decide SMS and the under-13 rule for the family (None for professionals); `under_age`
    says the person is the pathway's young person and under 13 today."""

    user_id: int
    kind: NoticeKind
    occasion: str
    pathway_id: int | None = None
    under_age: bool = False


# --- the queries (each one statement, whatever the number of pathways) ---------------------------

def _coming_meetings(now: datetime):
    return db.session.execute(
        select(Meeting.id, Meeting.pathway_id, Meeting.starts_at, Meeting.young_person_invited,
               Meeting.parents_invited)
        .join(Pathway, Pathway.id == Meeting.pathway_id)
        .where(Meeting.starts_at > now, Meeting.starts_at < now + timedelta(days=4), Meeting.held_at.is_(None),
               Pathway.closed_at.is_(None))
    ).all()


def _waiting_requests(now: datetime):
    unanswered = ~exists().where(FeedbackResponse.request_id == FeedbackRequest.id)
    return db.session.execute(
        select(FeedbackRequest.id, FeedbackRequest.user_id, FeedbackRequest.pathway_id)
        .where(FeedbackRequest.closes_at > now, FeedbackRequest.created_at > now - RECENT,
               FeedbackRequest.created_at <= now, unanswered)
    ).all()


def _recent_agreements(now: datetime):
    """Recent agreement points on open pathways, with who has answered each (one row per answer)."""
    return db.session.execute(
        select(Agreement.id, Agreement.pathway_id, Meeting.parents_invited, AgreementAnswer.user_id)
        .join(Meeting, Meeting.id == Agreement.meeting_id)
        .join(Pathway, Pathway.id == Agreement.pathway_id)
        .outerjoin(AgreementAnswer, AgreementAnswer.agreement_id == Agreement.id)
        .where(Agreement.created_at > now - RECENT, Agreement.created_at <= now, Pathway.closed_at.is_(None))
    ).all()


def _questions_for_team(now: datetime):
    """(answer id, team member) for each recent question or "I do not agree" on an open pathway."""
    return db.session.execute(
        select(AgreementAnswer.id, TeamMember.user_id)
        .join(Agreement, Agreement.id == AgreementAnswer.agreement_id)
        .join(Pathway, Pathway.id == Agreement.pathway_id)
        .join(TeamMember, TeamMember.pathway_id == Agreement.pathway_id)
        .where(AgreementAnswer.answer.in_([AnswerKind.QUESTION, AnswerKind.DISAGREE]),
               AgreementAnswer.at > now - RECENT, AgreementAnswer.at <= now, Pathway.closed_at.is_(None))
    ).all()


def _professionals_with_new_input(now: datetime) -> list[int]:
    since = now - timedelta(days=1)
    new_input = union(*(
        select(model.pathway_id).where(team_sees(model), model.updated_at > since, model.updated_at <= now)
        for model in (Statement, Preparation)
    )).subquery()
    return list(db.session.scalars(
        select(TeamMember.user_id).distinct()
        .join(Pathway, Pathway.id == TeamMember.pathway_id)
        .where(TeamMember.pathway_id.in_(select(new_input.c.pathway_id)), Pathway.closed_at.is_(None))
    ))


@dataclass
class _Family:
    """The family of some pathways: the young person's account and age, the parents who may act."""

    young: dict[int, tuple[int | None, int]]  # pathway id -> (young person's user id, age today)
    parents: dict[int, list[int]]  # pathway id -> parents with parental responsibility


def _families(pathway_ids: set[int], now: datetime) -> _Family:
    """Two queries."""
    today = now.astimezone(OSLO).date()
    ids = bindparam("ids", sorted(pathway_ids), expanding=True)
    young = {pathway_id: (person.user_id, person.age_on(today)) for pathway_id, person in db.session.execute(
        select(Pathway.id, YoungPerson).join(YoungPerson).where(Pathway.id.in_(ids)))}
    parents = defaultdict(list)
    for pathway_id, user_id in db.session.execute(
            select(Pathway.id, ParentLink.user_id)
            .join(ParentLink, ParentLink.young_person_id == Pathway.young_person_id)
            .where(Pathway.id.in_(ids), ParentLink.parental_responsibility.is_(True))):
        parents[pathway_id].append(user_id)
    return _Family(young, parents)


def _pathway_switches(pathway_ids: set[int]) -> tuple[set[int], set[int]]:
    """The pathways where a service on the team turned SMS on, and those where one turned notices to
    under-13s on. One query."""
    sms, under_13 = set(), set()
    for pathway_id, sms_on, under_13_on in db.session.execute(
            select(TeamMember.pathway_id, Service.sms_notices, Service.notices_under_13).distinct()
            .join(professional_services, professional_services.c.user_id == TeamMember.user_id)
            .join(Service, Service.id == professional_services.c.service_id)
            .where(TeamMember.pathway_id.in_(bindparam("ids", sorted(pathway_ids), expanding=True)))):
        if sms_on:
            sms.add(pathway_id)
        if under_13_on:
            under_13.add(pathway_id)
    return sms, under_13


@dataclass
class _People:
    """What the channels and choices need of the people concerned."""

    channels: dict[int, set[Channel]]  # confirmed contacts of active users
    opted_out: dict[int, set[str]]
    sms_professionals: set[int]  # professionals whose own service turned SMS on


def _people(user_ids: set[int]) -> _People:
    """Three queries."""
    ids = bindparam("ids", sorted(user_ids), expanding=True)
    channels = defaultdict(set)
    for user_id, channel in db.session.execute(
            select(Contact.user_id, Contact.channel).join(User, User.id == Contact.user_id)
            .where(Contact.user_id.in_(ids), Contact.confirmed_at.is_not(None), User.active.is_(True))):
        channels[user_id].add(channel)
    opted_out = defaultdict(set)
    for user_id, kind in db.session.execute(
            select(NoticeOptOut.user_id, NoticeOptOut.kind).where(NoticeOptOut.user_id.in_(ids))):
        opted_out[user_id].add(kind)
    sms_professionals = set(db.session.scalars(
        select(professional_services.c.user_id).distinct()
        .join(Service, Service.id == professional_services.c.service_id)
        .where(professional_services.c.user_id.in_(ids), Service.sms_notices.is_(True))))
    return _People(channels, opted_out, sms_professionals)


# --- deciding ----------------------------------------------------------------------------------------

def _meeting_occasion(starts_at: datetime, now: datetime) -> str | None:
    days = (starts_at.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days
    if days <= 1:
        return "1d"
    return "3d" if days <= 3 else None


def _family_due(now: datetime) -> list[Due]:
    """Meetings, ratings and agreements for young people and parents (before the under-13 rule)."""
    meetings = [(m, occasion) for m in _coming_meetings(now) if (occasion := _meeting_occasion(m.starts_at, now))]
    requests = _waiting_requests(now)
    agreements = _recent_agreements(now)
    family = _families({m.pathway_id for m, _ in meetings} | {r.pathway_id for r in requests}
                       | {a.pathway_id for a in agreements}, now)

    def members(pathway_id: int, young: bool, parents: bool):
        """(user id, under age) of the family members concerned."""
        young_user, age = family.young[pathway_id]
        if young and young_user is not None:
            yield young_user, age < UNDER_AGE
        if parents:
            yield from ((parent, False) for parent in family.parents.get(pathway_id, []))

    due = []
    for meeting, occasion in meetings:
        for user_id, under_age in members(meeting.pathway_id, meeting.young_person_invited, meeting.parents_invited):
            due.append(Due(user_id, NoticeKind.MEETING_SOON, f"meeting:{meeting.id}:{occasion}",
                           meeting.pathway_id, under_age))
    for request in requests:
        young_user, age = family.young[request.pathway_id]
        due.append(Due(request.user_id, NoticeKind.RATING_WAITING, f"rating:{request.id}", request.pathway_id,
                       young_user == request.user_id and age < UNDER_AGE))
    answered = defaultdict(set)
    for agreement in agreements:
        answered[agreement.id].add(agreement.user_id)
    for agreement_id, pathway_id, parents_invited in {(a.id, a.pathway_id, a.parents_invited) for a in agreements}:
        for user_id, under_age in members(pathway_id, True, parents_invited):
            if user_id not in answered[agreement_id]:
                due.append(Due(user_id, NoticeKind.AGREEMENT_ANSWER, f"agreement:{agreement_id}", pathway_id,
                               under_age))
    return due


def _team_due(now: datetime) -> list[Due]:
    due = [Due(user_id, NoticeKind.FAMILY_QUESTION, f"question:{answer_id}")
           for answer_id, user_id in _questions_for_team(now)]
    digest = f"digest:{now.astimezone(OSLO).date().isoformat()}"
    due += [Due(user_id, NoticeKind.NEW_INPUT, digest) for user_id in _professionals_with_new_input(now)]
    return due


def _channels(due: Due, people: _People, sms_pathways: set[int]) -> list[Channel]:
    """The channels `due` goes by: the person's confirmed contacts, SMS only where a service allows it."""
    if due.kind.value in people.opted_out[due.user_id] or OPT_OUT_ALL in people.opted_out[due.user_id]:
        return []
    sms_allowed = (due.pathway_id in sms_pathways if due.pathway_id is not None
                   else due.user_id in people.sms_professionals)
    return [channel for channel in people.channels[due.user_id] if channel == Channel.EMAIL or sms_allowed]


def _insert(rows: list[dict]) -> list[int]:
    """Write the decisions; a row already there (same person, kind, occasion, channel) is left as it
    is. Returns the ids of the rows new now."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    ids = []
    for start in range(0, len(rows), INSERT_ROWS):
        statement = (dialect.insert(Notice).values(rows[start:start + INSERT_ROWS])
                     .on_conflict_do_nothing(index_elements=["user_id", "kind", "occasion", "channel"])
                     .returning(Notice.id))
        ids += db.session.scalars(statement).all()
    return sorted(ids)


def plan_due(now: datetime) -> list[int]:
    """Decide the reminders due at `now` and store them as pending notices, in one transaction.
    Returns the ids of the notices new in this run (the ones to send); [] in quiet hours."""
    if in_quiet_hours(now):
        return []
    due = _family_due(now) + _team_due(now)
    family_pathways = {d.pathway_id for d in due if d.pathway_id is not None}
    sms_pathways, under_13_pathways = _pathway_switches(family_pathways)
    due = [d for d in due if not d.under_age or d.pathway_id in under_13_pathways]
    people = _people({d.user_id for d in due})
    rows = [{"user_id": d.user_id, "kind": d.kind, "occasion": d.occasion, "channel": channel,
             "status": NoticeStatus.PENDING, "due_at": now, "created_at": now, "attempts": 0}
            for d in dict.fromkeys(due) for channel in _channels(d, people, sms_pathways)]
    ids = _insert(rows) if rows else []
    db.session.commit()
    return ids
