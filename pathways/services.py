"""Writes and queries for pathways and their teams."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import aliased, joinedload, selectinload

from accounts.models import Invitation, Role, User, YoungPerson
from core.extensions import db
from core.i18n import in_locale
from core.models import OSLO, utcnow
from pathways.models import (
    Agreement, CoordinatorWish, EventKind, Handover, HandoverState, Meeting, MeetingMinutes, Pathway, PathwayEvent,
    PathwayTemplate, StepGuidance, TeamMember, TemplateStep,
)

# Built once: an alias made per request costs a new set of column objects each time.
FROM_USER = aliased(User, name="from_user")
SEARCH_LIMIT = 20


def record_event(pathway: Pathway, kind: EventKind, actor: User | None, subject_name: str | None = None,
                 detail: str | None = None) -> None:
    """Add an event to the pathway's history (committed with the change it describes)."""
    db.session.add(PathwayEvent(pathway=pathway, kind=kind, actor=actor, subject_name=subject_name,
                                detail=detail, at=utcnow()))


def create_pathway(by: User, name: str, birth_date: date, title: str,
                   template: PathwayTemplate | None = None) -> Pathway:
    """A new young person and pathway; the creator is its coordinator and first team member.
    With a template, the pathway follows it from its first step."""
    young_person = YoungPerson(name=name.strip(), birth_date=birth_date)
    pathway = Pathway(young_person=young_person, title=title.strip(), coordinator=by)
    if template is not None:
        from pathways.template_services import first_step

        pathway.template, pathway.step = template, first_step(template)
    pathway.members.append(TeamMember(user=by, added_by_id=by.id))
    db.session.add(pathway)
    db.session.flush()
    record_event(pathway, EventKind.CREATED, by, pathway.title)
    db.session.commit()
    return pathway


# The pathway page's queries, built once and run with the pathway's id (building a statement costs
# several times more than running it).
TEAM = (select(TeamMember).where(TeamMember.pathway_id == bindparam("pathway_id"))
        .options(joinedload(TeamMember.user).joinedload(User.services)).order_by(TeamMember.added_at))
HISTORY = (select(PathwayEvent).where(PathwayEvent.pathway_id == bindparam("pathway_id"))
           .options(joinedload(PathwayEvent.actor)).order_by(PathwayEvent.at.desc(), PathwayEvent.id.desc()))
MEETINGS = (
    select(Meeting, Agreement, MeetingMinutes, User.name)
    .outerjoin(Agreement, Agreement.meeting_id == Meeting.id)
    .outerjoin(MeetingMinutes, MeetingMinutes.meeting_id == Meeting.id)
    .outerjoin(User, User.id == MeetingMinutes.written_by_id)
    .where(Meeting.pathway_id == bindparam("pathway_id"))
    .order_by(Meeting.starts_at.desc(), Meeting.id.desc(), Agreement.created_at, Agreement.id)
)
HANDOVERS = (select(Handover).where(Handover.pathway_id == bindparam("pathway_id"))
             .options(joinedload(Handover.from_user), joinedload(Handover.to_user))
             .order_by(Handover.proposed_at.desc(), Handover.id.desc()))
LATEST_WISH = (select(CoordinatorWish).where(CoordinatorWish.pathway_id == bindparam("pathway_id"))
               .options(joinedload(CoordinatorWish.wished))
               .order_by(CoordinatorWish.at.desc(), CoordinatorWish.id.desc()).limit(1))


def team(pathway: Pathway) -> list[TeamMember]:
    return list(db.session.scalars(TEAM, {"pathway_id": pathway.id}).unique())


def history(pathway: Pathway) -> list[PathwayEvent]:
    return list(db.session.scalars(HISTORY, {"pathway_id": pathway.id}))


@dataclass
class MeetingRecord:
    """A meeting with its agreement points (in the order written) and its minutes, if written."""

    meeting: Meeting
    agreements: list[Agreement]
    minutes: MeetingMinutes | None
    minutes_by: str | None


# The pathway page's meetings, however long the pathway: those in its timeline's window [start, top),
# those with an agreement point written in it, and the last RELAY_MEETINGS that have started (the relay
# log's minutes; older minutes are reached from the timeline).
RELAY_MEETINGS = 5
LAST_STARTED = (select(Meeting.id).where(Meeting.pathway_id == bindparam("pathway_id"),
                                         Meeting.starts_at <= bindparam("now"))
                .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(RELAY_MEETINGS))
MEETINGS_IN_WINDOW = MEETINGS.where(or_(
    and_(Meeting.starts_at >= bindparam("start"), Meeting.starts_at < bindparam("top")),
    Meeting.id.in_(select(Agreement.meeting_id).where(
        Agreement.pathway_id == bindparam("pathway_id"), Agreement.created_at >= bindparam("start"),
        Agreement.created_at < bindparam("top"))),
    Meeting.id.in_(LAST_STARTED),
))


def meetings_with_agreements(pathway: Pathway, window: tuple[datetime, datetime] | None = None) -> list[MeetingRecord]:
    """The meetings of the pathway, latest first, with their agreements and minutes: what the pathway
    page's timeline and relay log both show. Every meeting, or with `window` (start, top) only those
    `MEETINGS_IN_WINDOW` holds. One query."""
    records: dict[int, MeetingRecord] = {}
    query, params = MEETINGS, {"pathway_id": pathway.id}
    if window is not None:
        query = MEETINGS_IN_WINDOW
        params.update(start=window[0], top=window[1], now=utcnow())
    for meeting, agreement, minutes, by in db.session.execute(query, params):
        record = records.setdefault(meeting.id, MeetingRecord(meeting, [], minutes, by))
        if agreement is not None:
            record.agreements.append(agreement)
    return list(records.values())


def search_professionals(pathway: Pathway, query: str) -> list[User]:
    """Active professionals not on the team whose name or email contains `query`."""
    query = query.strip().lower()
    if not query or len(query) > 254:  # longer than any name or email: SQLite refuses so long a LIKE
        return []
    on_team = select(TeamMember.user_id).where(TeamMember.pathway_id == pathway.id)
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(db.session.scalars(
        select(User)
        .where(User.role == Role.PROFESSIONAL, User.active.is_(True), User.id.not_in(on_team),
               func.lower(User.name).like(pattern, escape="\\") | User.email.like(pattern, escape="\\"))
        .options(selectinload(User.services))
        .order_by(User.name).limit(SEARCH_LIMIT)
    ))


def add_member(pathway: Pathway, user_id: int, by: User) -> User | None:
    """Put an active professional on the team; None if there is no such professional."""
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.PROFESSIONAL or not user.active:
        return None
    if db.session.get(TeamMember, (pathway.id, user.id)) is None:
        db.session.add(TeamMember(pathway=pathway, user=user, added_by_id=by.id))
        record_event(pathway, EventKind.MEMBER_ADDED, by, user.name)
        db.session.commit()
    return user


def remove_member(pathway: Pathway, user_id: int, by: User) -> User | None:
    """Take a professional off the team; the coordinator cannot be removed."""
    member = db.session.get(TeamMember, (pathway.id, user_id))
    if member is None or user_id == pathway.coordinator_id:
        return None
    user = member.user
    db.session.delete(member)
    record_event(pathway, EventKind.MEMBER_REMOVED, by, user.name)
    db.session.commit()
    return user


# --- the care pathway's steps, the BTI level, handing over the baton, closing --------------------

def localized(obj, name: str) -> str:
    """The nynorsk or bokmål column `name_nn`/`name_nb` of a template's data, by the current locale."""
    return in_locale(getattr(obj, f"{name}_nn"), getattr(obj, f"{name}_nb"))


@dataclass
class StepPlan:
    """Where a pathway is in its template: every step in order, the current and the next, and what
    the current step means for each kind of service on the team."""

    template: PathwayTemplate
    steps: list[TemplateStep]
    current: TemplateStep | None
    next: TemplateStep | None
    guidance: list[StepGuidance]


STEP_PLAN = (
    select(TemplateStep, StepGuidance)
    .outerjoin(StepGuidance, and_(StepGuidance.step_id == TemplateStep.id, TemplateStep.id == bindparam("step_id"),
                                  StepGuidance.service_kind.in_(bindparam("kinds", expanding=True))))
    .where(TemplateStep.template_id == bindparam("template_id"))
    .options(joinedload(TemplateStep.template)).order_by(TemplateStep.position, StepGuidance.id)
)


def step_plan(pathway: Pathway, team_members: list[TeamMember]) -> StepPlan | None:
    """The template's steps, with the current step's guidance for the kinds of service of the team
    (one query); None for a pathway without a template (made before templates existed)."""
    if pathway.template_id is None:
        return None
    kinds = sorted({service.kind for member in team_members for service in member.user.services})
    steps: dict[int, TemplateStep] = {}
    guidance = []
    for step, advice in db.session.execute(STEP_PLAN, {"template_id": pathway.template_id,
                                                       "step_id": pathway.step_id, "kinds": kinds}):
        steps.setdefault(step.id, step)
        if advice is not None:
            guidance.append(advice)
    if not steps:
        return None
    ordered = list(steps.values())
    current = steps.get(pathway.step_id)
    later = ordered[ordered.index(current) + 1:] if current is not None else ordered
    return StepPlan(template=ordered[0].template, steps=ordered, current=current, next=later[0] if later else None,
                    guidance=guidance)


def move_to_next_step(pathway: Pathway, by: User, from_step_id: int | None = None) -> TemplateStep | None:
    """Move the pathway to the next step of its template and record it; None at the last step (or
    when the page was out of date: `from_step_id` is the step the coordinator saw, so that a double
    click does not skip a step)."""
    if pathway.template_id is None:
        return None
    if from_step_id is not None and from_step_id != pathway.step_id:
        return None
    steps = list(db.session.scalars(
        select(TemplateStep).where(TemplateStep.template_id == pathway.template_id).order_by(TemplateStep.position)
    ))
    ids = [s.id for s in steps]
    position = ids.index(pathway.step_id) + 1 if pathway.step_id in ids else 0
    if position >= len(steps):
        return None
    step = steps[position]
    pathway.step_id = step.id
    record_event(pathway, EventKind.STEP_CHANGED, by, step.name_nn, detail=step.name_nb)
    db.session.commit()
    return step


LEVEL_ZERO_DAYS = 14  # BTI level 0: decide within 14 days whether there is reason for concern


def set_level(pathway: Pathway, by: User, level: int) -> bool:
    """Set the BTI level (0–3) and record the change; False when it was that level already."""
    if level not in range(4):
        raise ValueError(level)
    if pathway.bti_level == level:
        return False
    pathway.bti_level, pathway.bti_level_set_at = level, utcnow()
    record_event(pathway, EventKind.LEVEL_CHANGED, by, detail=str(level))
    db.session.commit()
    return True


def level_deadline(pathway: Pathway) -> date | None:
    """At level 0: the day (in Oslo) by which to decide whether there is reason for concern."""
    if pathway.bti_level != 0 or pathway.bti_level_set_at is None:
        return None
    return pathway.bti_level_set_at.astimezone(OSLO).date() + timedelta(days=LEVEL_ZERO_DAYS)


class HandoverRefused(Exception):
    """A handover that cannot be proposed or answered; `reason` says why (the view words it)."""

    NOT_ON_TEAM = "not_on_team"
    LEFT_TEAM = "left_team"
    SELF = "self"
    OPEN_ALREADY = "open_already"
    ANSWERED = "answered"

    def __init__(self, reason: str, name: str = "", state: HandoverState | None = None):
        super().__init__(reason)
        self.reason, self.name, self.state = reason, name, state


def handovers(pathway: Pathway) -> list[Handover]:
    """Every handover of the pathway, newest first, with both people (one query)."""
    return list(db.session.scalars(HANDOVERS, {"pathway_id": pathway.id}))


def open_handover(pathway: Pathway) -> Handover | None:
    return db.session.scalar(
        select(Handover).where(Handover.pathway_id == pathway.id, Handover.state == HandoverState.PROPOSED)
    )


def _left_team(pathway: Pathway, user: User) -> bool:
    """Whether `user` was taken off the team. The team table keeps no history: the pathway's
    events do (by name, as the history shows it)."""
    return db.session.scalar(
        select(PathwayEvent.id).where(PathwayEvent.pathway_id == pathway.id,
                                      PathwayEvent.kind == EventKind.MEMBER_REMOVED,
                                      PathwayEvent.subject_name == user.name).limit(1)
    ) is not None


def propose_handover(pathway: Pathway, by: User, to_id: int) -> Handover:
    """Propose another team member as coordinator; nothing else changes until they accept."""
    to = db.session.get(User, to_id)
    if to is not None and to.id == pathway.coordinator_id:
        raise HandoverRefused(HandoverRefused.SELF, to.name)
    if to is None or to.role != Role.PROFESSIONAL or not to.active:
        raise HandoverRefused(HandoverRefused.NOT_ON_TEAM)
    if db.session.get(TeamMember, (pathway.id, to.id)) is None:
        reason = HandoverRefused.LEFT_TEAM if _left_team(pathway, to) else HandoverRefused.NOT_ON_TEAM
        raise HandoverRefused(reason, to.name)
    current = open_handover(pathway)
    if current is not None:
        raise HandoverRefused(HandoverRefused.OPEN_ALREADY, current.to_user.name)
    handover = Handover(pathway_id=pathway.id, from_id=by.id, to_id=to.id, state=HandoverState.PROPOSED,
                        proposed_at=utcnow())
    db.session.add(handover)
    record_event(pathway, EventKind.HANDOVER_PROPOSED, by, to.name)
    db.session.commit()
    return handover


def _decide(handover: Handover, state: HandoverState, reason: str | None = None) -> None:
    """Move an open handover to `state`; refused if it was answered in the meantime (the UPDATE
    only matches an open one, so two answers at the same moment cannot both win)."""
    result = db.session.execute(
        update(Handover).where(Handover.id == handover.id, Handover.state == HandoverState.PROPOSED)
        .values(state=state, decided_at=utcnow(), reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(handover)
        raise HandoverRefused(HandoverRefused.ANSWERED, handover.to_user.name, handover.state)


def accept_handover(pathway: Pathway, handover: Handover, user: User) -> None:
    """The proposed person takes over the baton: they are the coordinator from now on."""
    if handover.state != HandoverState.PROPOSED:
        raise HandoverRefused(HandoverRefused.ANSWERED, user.name, handover.state)
    if db.session.get(TeamMember, (pathway.id, user.id)) is None:
        raise HandoverRefused(HandoverRefused.LEFT_TEAM, user.name)
    _decide(handover, HandoverState.ACCEPTED)
    pathway.coordinator_id = user.id
    record_event(pathway, EventKind.HANDOVER_ACCEPTED, user, user.name)
    db.session.commit()


def decline_handover(pathway: Pathway, handover: Handover, user: User, reason: str) -> None:
    """The proposed person says no, with a reason the coordinator reads."""
    if handover.state != HandoverState.PROPOSED:
        raise HandoverRefused(HandoverRefused.ANSWERED, user.name, handover.state)
    _decide(handover, HandoverState.DECLINED, reason)
    record_event(pathway, EventKind.HANDOVER_DECLINED, user, user.name, detail=reason)
    db.session.commit()


def withdraw_handover(pathway: Pathway, handover: Handover) -> None:
    """The coordinator takes a proposal back before it is answered. There is no event kind for it:
    the timeline shows withdrawn handovers from the handovers themselves."""
    if handover.state != HandoverState.PROPOSED:
        raise HandoverRefused(HandoverRefused.ANSWERED, handover.to_user.name, handover.state)
    _decide(handover, HandoverState.WITHDRAWN)
    db.session.commit()


@dataclass
class HandoverLine:
    """A proposal waiting for this professional's answer, for their worklist."""

    pathway_id: int
    young_person_name: str
    from_name: str


HANDOVERS_WAITING = (
    select(Pathway.id, YoungPerson.name, FROM_USER.name)
    .join(TeamMember, TeamMember.pathway_id == Pathway.id)
    .join(Handover, Handover.pathway_id == Pathway.id)
    .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
    .join(FROM_USER, FROM_USER.id == Handover.from_id)
    .where(TeamMember.user_id == bindparam("user_id"), Handover.to_id == bindparam("user_id"),
           Handover.state == HandoverState.PROPOSED, Pathway.closed_at.is_(None))
    .order_by(Handover.proposed_at)
)


def handovers_waiting_for(user: User) -> list[HandoverLine]:
    """Open proposals to `user` on open pathways they are still on the team of (one query)."""
    return [HandoverLine(*row) for row in db.session.execute(HANDOVERS_WAITING, {"user_id": user.id})]


def save_wish(pathway: Pathway, author: User, wished_id: int | None, note: str | None) -> CoordinatorWish:
    """The young person's wish for a coordinator; the latest one is the one the team sees."""
    wish = CoordinatorWish(pathway_id=pathway.id, author_id=author.id, wished_id=wished_id,
                           note=(note or "").strip() or None, at=utcnow())
    db.session.add(wish)
    db.session.commit()
    return wish


def latest_wish(pathway: Pathway) -> CoordinatorWish | None:
    return db.session.scalar(LATEST_WISH, {"pathway_id": pathway.id})


def close_pathway(pathway: Pathway, by: User, summary: str) -> None:
    """Close the pathway with a summary: from now on it is read-only. An open handover is withdrawn."""
    now = utcnow()
    db.session.execute(
        update(Handover).where(Handover.pathway_id == pathway.id, Handover.state == HandoverState.PROPOSED)
        .values(state=HandoverState.WITHDRAWN, decided_at=now).execution_options(synchronize_session=False)
    )
    # Codes not yet used stop working: nobody joins a closed pathway.
    db.session.execute(
        update(Invitation).where(Invitation.pathway_id == pathway.id, Invitation.used_at.is_(None),
                                 Invitation.expires_at > now)
        .values(expires_at=now).execution_options(synchronize_session=False)
    )
    pathway.closed_at, pathway.closed_by_id, pathway.closing_summary = now, by.id, summary
    record_event(pathway, EventKind.CLOSED, by, detail=summary)
    # The family is asked how the help was (the experience questionnaire).
    from feedback.services import close_pathway_questionnaires

    close_pathway_questionnaires(pathway, by)
    db.session.commit()


def get_pathway(pathway_id: int) -> Pathway | None:
    return db.session.get(Pathway, pathway_id)


def pathway_handover(pathway: Pathway, handover_id: int) -> Handover | None:
    """The handover if it belongs to `pathway`."""
    return db.session.scalar(select(Handover).where(Handover.id == handover_id, Handover.pathway_id == pathway.id))


def user_name(user_id: int) -> str:
    return db.session.scalar(select(User.name).where(User.id == user_id)) or ""


def pathway_of(model, item_id: int) -> Pathway | None:
    """The pathway of an item that has a `pathway_id` (an agreement point, a meeting, a statement)."""
    return db.session.scalar(select(Pathway).join(model, model.pathway_id == Pathway.id).where(model.id == item_id))
