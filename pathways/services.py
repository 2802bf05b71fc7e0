"""Writes and queries for pathways and their teams."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import aliased, selectinload

from accounts.models import Role, User, YoungPerson
from core.access import worklist_query
from core.extensions import db
from core.models import utcnow
from pathways.models import AccessLog, EventKind, InputKind, Pathway, PathwayEvent, TeamMember

SEARCH_LIMIT = 20


def record_event(pathway: Pathway, kind: EventKind, actor: User | None, subject_name: str | None = None,
                 detail: str | None = None) -> None:
    """Add an event to the pathway's history (committed with the change it describes)."""
    db.session.add(PathwayEvent(pathway=pathway, kind=kind, actor=actor, subject_name=subject_name,
                                detail=detail, at=utcnow()))


def create_pathway(by: User, name: str, birth_date: date, title: str) -> Pathway:
    """A new young person and pathway; the creator is its coordinator and first team member."""
    young_person = YoungPerson(name=name.strip(), birth_date=birth_date)
    pathway = Pathway(young_person=young_person, title=title.strip(), coordinator=by)
    pathway.members.append(TeamMember(user=by, added_by_id=by.id))
    db.session.add(pathway)
    db.session.flush()
    record_event(pathway, EventKind.CREATED, by, pathway.title)
    db.session.commit()
    return pathway


@dataclass
class WorklistRow:
    """One line of the worklist: only what the list shows."""

    id: int
    young_person_name: str
    title: str
    coordinator_name: str


def worklist(user: User) -> list[WorklistRow]:
    """The professional's pathways, newest first, in one query of plain rows (no ORM objects)."""
    coordinator = aliased(User)
    rows = db.session.execute(
        worklist_query(user)
        .with_only_columns(Pathway.id, YoungPerson.name, Pathway.title, coordinator.name)
        .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
        .join(coordinator, coordinator.id == Pathway.coordinator_id)
        .order_by(Pathway.created_at.desc(), Pathway.id.desc())
    )
    return [WorklistRow(*row) for row in rows]


def team(pathway: Pathway) -> list[TeamMember]:
    return list(db.session.scalars(
        select(TeamMember).where(TeamMember.pathway_id == pathway.id)
        .options(selectinload(TeamMember.user).selectinload(User.services))
        .order_by(TeamMember.added_at)
    ))


def history(pathway: Pathway) -> list[PathwayEvent]:
    return list(db.session.scalars(
        select(PathwayEvent).where(PathwayEvent.pathway_id == pathway.id)
        .options(selectinload(PathwayEvent.actor))
        .order_by(PathwayEvent.at.desc(), PathwayEvent.id.desc())
    ))


def search_professionals(pathway: Pathway, query: str) -> list[User]:
    """Active professionals not on the team whose name or email contains `query`."""
    query = query.strip().lower()
    if not query:
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


# --- the access log: every read of the family's input by a professional ------------------------

ReadEntry = tuple[InputKind, int, int]  # (kind, item id, author id)


def log_reads(reader: User, pathway: Pathway, entries: Iterable[ReadEntry]) -> None:
    """Record that `reader` opened these entries of the family's input on `pathway` (Normen: every
    read is logged), with the reader's services as they are now. One INSERT, whatever the number."""
    unique = list(dict.fromkeys((InputKind(kind), item_id, author_id) for kind, item_id, author_id in entries))
    if not unique:
        return
    now = utcnow()
    services = reader.service_names[:300]
    db.session.execute(insert(AccessLog), [
        {"at": now, "reader_id": reader.id, "reader_services": services, "pathway_id": pathway.id,
         "item_kind": kind, "item_id": item_id, "author_id": author_id}
        for kind, item_id, author_id in unique
    ])
    db.session.commit()


def last_reads(reader: User, entries: Iterable[ReadEntry]) -> dict[tuple[InputKind, int], datetime]:
    """When `reader` last opened each of these entries (those never opened are left out). Ask
    before logging the current read, to mark what changed since."""
    ids_by_kind: dict[InputKind, set[int]] = defaultdict(set)
    for kind, item_id, _author_id in entries:
        ids_by_kind[InputKind(kind)].add(item_id)
    if not ids_by_kind:
        return {}
    rows = db.session.execute(
        select(AccessLog.item_kind, AccessLog.item_id, func.max(AccessLog.at))
        .where(AccessLog.reader_id == reader.id,
               or_(*(and_(AccessLog.item_kind == kind, AccessLog.item_id.in_(sorted(ids)))
                     for kind, ids in ids_by_kind.items())))
        .group_by(AccessLog.item_kind, AccessLog.item_id)
    )
    return {(kind, item_id): at for kind, item_id, at in rows}
