"""Queries for the young person's and the parent's pages."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, String, and_, func, or_, select
from sqlalchemy import text as sql_text

from access.policy import FAMILY_ROLES, family_input_visible, family_pathway_ids, parents_may_read
from accounts.models import Role, Service, User, YoungPerson, professional_services
from core.extensions import db
from core.models import today_in_oslo, utcnow, values_cte
from pathways.models import (
    AccessLog, InputKind, Pathway, TeamMember,
)
from youth import autosave
from youth.models import Prompt, Sharing, Statement, StatementVersion


@dataclass
class Person:
    """A professional as the family sees them: a name and their services."""

    name: str
    services: list[str] = field(default_factory=list)

    @property
    def service_names(self) -> str:
        return ", ".join(self.services)


@dataclass
class PathwayCard:
    """What a home page shows of one pathway."""

    id: int
    title: str
    young_person_name: str
    age: int  # the young person's, today: what the family sees of each other's input follows it
    closed: bool = False
    coordinator: Person | None = None
    members: list[Person] = field(default_factory=list)


def _my_pathways(role: Role):
    return (
        select(Pathway.id, Pathway.title, Pathway.coordinator_id, YoungPerson.name, YoungPerson.birth_date,
               Pathway.closed_at, User.id, User.name, Service.name)
        .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
        .join(TeamMember, TeamMember.pathway_id == Pathway.id)
        .join(User, User.id == TeamMember.user_id)
        .outerjoin(professional_services, professional_services.c.user_id == User.id)
        .outerjoin(Service, Service.id == professional_services.c.service_id)
        .where(Pathway.id.in_(family_pathway_ids(role)))
        .order_by(Pathway.created_at.desc(), Pathway.id, TeamMember.added_at, User.id, Service.name)
    )


# Built once per role, run with the user's id: the page young people open most, often on a slow phone.
MY_PATHWAYS = {role: _my_pathways(role) for role in FAMILY_ROLES}


def my_pathways(user: User) -> list[PathwayCard]:
    """The pathways the young person or parent may see, each with its coordinator and team. One query."""
    if user.role not in MY_PATHWAYS:
        return []
    rows = db.session.execute(MY_PATHWAYS[user.role], {"user_id": user.id})
    cards: dict[int, PathwayCard] = {}
    people: dict[tuple[int, int], Person] = {}
    today = today_in_oslo()
    for pathway_id, title, coordinator_id, young_name, born, closed_at, user_id, user_name, service_name in rows:
        card = cards.get(pathway_id)
        if card is None:
            age = YoungPerson(birth_date=born).age_on(today)
            card = cards[pathway_id] = PathwayCard(pathway_id, title, young_name, age, closed=closed_at is not None)
        person = people.get((pathway_id, user_id))
        if person is None:
            person = people[(pathway_id, user_id)] = Person(user_name)
            card.members.append(person)
            if user_id == coordinator_id:
                card.coordinator = person
        if service_name:
            person.services.append(service_name)
    return list(cards.values())


# --- what matters to me: statements ---------------------------------------------------------------


class StatementGone(Exception):
    """The form's client key belongs to a statement that is removed or on another pathway."""


@dataclass
class StatementData:
    """What the author typed and chose (`sharing`: one of youth.sharing.choices)."""

    prompt: Prompt
    text: str
    sharing: Sharing


@dataclass
class Reader:
    """A professional who opened an entry: their name and services then, and their latest read."""

    name: str
    services: str
    at: datetime
    before_change: bool = False  # read before the author last changed it


@dataclass
class StatementView:
    """A statement as the family sees it on their pages."""

    id: int
    pathway_id: int
    prompt: Prompt
    text: str
    sharing: Sharing
    own: bool
    author_name: str
    author_role: Role
    updated_at: datetime
    parents_may_read: bool = False  # for the young person's own: do their parents see it today
    readers: list[Reader] = field(default_factory=list)


def _statement_by_client_key(author: User, client_key: str):
    return db.session.scalar(select(Statement).where(Statement.author_id == author.id,
                                                     Statement.client_key == client_key))


def _record_version(statement, by: User, removed: bool = False) -> None:
    db.session.add(StatementVersion(
        statement_id=statement.id, revision=statement.revision, prompt=statement.prompt, text=statement.text,
        sharing=statement.sharing, removed=removed,
        saved_at=statement.updated_at, saved_by_id=by.id,
    ))


def create_or_update_statement(author: User, pathway: Pathway, data: StatementData, *, statement=None,
                               client_key: str | None = None, base_revision: int = 0) -> autosave.Result:
    """Save a statement: a new one, or `statement`, or the one this form (`client_key`) made before, by
    the protocol of youth/autosave.py (only another text is a conflict). Returns (statement, outcome)."""
    def find():
        if statement is not None or not client_key:
            return statement
        found = _statement_by_client_key(author, client_key)
        if found is not None and (found.removed_at is not None or found.pathway_id != pathway.id):
            raise StatementGone()
        return found

    def values(stored) -> dict:
        return {"prompt": data.prompt, "text": data.text, "sharing": data.sharing}

    def make():
        return Statement(pathway_id=pathway.id, author_id=author.id, author_role=author.role, client_key=client_key)

    return autosave.save(find, make, values, base_revision, author, item_kind=InputKind.STATEMENT,
                         record_version=_record_version, words=("text",))


def remove_statement(statement, by: User) -> None:
    """Hide a statement from everyone; its versions stay for the audit, with one saying removed."""
    now = utcnow()
    statement.removed_at = now
    statement.removed_by_id = by.id
    statement.revision += 1
    statement.updated_at = now
    _record_version(statement, by, removed=True)
    db.session.commit()


def _readers_of(item_kind: InputKind, items: dict[int, datetime]) -> dict[int, list[Reader]]:
    """Who opened each item (id -> when it last changed), with their latest read, newest first.

    One query whatever the number of items and reads. It steps from reader to reader of each item
    (`readers`: the next reader id is one index lookup) and takes each one's newest read (another),
    so the time grows with the number of items and readers, not with how often they read."""
    if not items:
        return {}
    cte, params = values_cte("wanted", {"item_id": "INTEGER"}, [(item_id,) for item_id in sorted(items)])
    rows = db.session.execute(sql_text(
        f"WITH RECURSIVE {cte},"
        " readers (item_id, reader_id) AS ("
        "  SELECT wanted.item_id, (SELECT min(a.reader_id) FROM access_log a"
        "   WHERE a.item_kind = :kind AND a.item_id = wanted.item_id) FROM wanted"
        "  UNION ALL"
        "  SELECT readers.item_id, (SELECT min(a.reader_id) FROM access_log a"
        "   WHERE a.item_kind = :kind AND a.item_id = readers.item_id AND a.reader_id > readers.reader_id)"
        "  FROM readers WHERE readers.reader_id IS NOT NULL),"
        " latest (item_id, reader_id, at, reader_services) AS ("
        "  SELECT readers.item_id, readers.reader_id, (SELECT max(a.at) FROM access_log a"
        "   WHERE a.item_kind = :kind AND a.item_id = readers.item_id AND a.reader_id = readers.reader_id),"
        "  (SELECT a.reader_services FROM access_log a"  # the services of that read
        "   WHERE a.item_kind = :kind AND a.item_id = readers.item_id AND a.reader_id = readers.reader_id"
        "   ORDER BY a.at DESC LIMIT 1)"
        "  FROM readers WHERE readers.reader_id IS NOT NULL)"
        # The reader's name by a lookup per row: the planner cannot count a recursive CTE's rows and
        # joined all the users instead.
        " SELECT latest.item_id, latest.at,"
        "  (SELECT users.name FROM users WHERE users.id = latest.reader_id) AS name, latest.reader_services"
        " FROM latest ORDER BY latest.at DESC, name"
    ).columns(item_id=Integer, at=AccessLog.__table__.c.at.type, name=String, reader_services=String),
        params | {"kind": item_kind.value})
    readers: dict[int, list[Reader]] = {}
    for item_id, at, name, services in rows:
        readers.setdefault(item_id, []).append(Reader(name, services, at, before_change=at < items[item_id]))
    return readers


def _visible_statements(user: User, ages: dict[int, int]):
    """The statements `user` may see on their pathways (`ages`: pathway id -> the young person's age)."""
    return and_(Statement.removed_at.is_(None),
                or_(*(and_(Statement.pathway_id == pathway_id, family_input_visible(Statement, user, age))
                      for pathway_id, age in ages.items())))


def statement_count(user: User, ages: dict[int, int]) -> int:
    """How many statements `user` sees on /my/statements (see statements_for_home), in one count."""
    if not ages:
        return 0
    return db.session.scalar(select(func.count()).select_from(Statement).where(_visible_statements(user, ages)))


def statements_for_home(user: User, ages: dict[int, int]) -> dict[int, list[StatementView]]:
    """The statements `user` may see on each of their pathways (`ages`: pathway id -> the young
    person's age today, from `my_pathways`): their own, and the others' that
    access.policy.family_input_visible lets through at that age, newest first, with the readers of
    their own. Two queries whatever the number of pathways and statements."""
    result: dict[int, list[StatementView]] = {pathway_id: [] for pathway_id in ages}
    if not ages:
        return result
    rows = db.session.execute(
        select(Statement, User.name)
        .join(User, User.id == Statement.author_id)
        .where(_visible_statements(user, ages))
        .order_by(Statement.created_at.desc(), Statement.id.desc())
    )
    views = []
    for statement, author_name in rows:
        own = statement.author_id == user.id
        views.append(StatementView(
            id=statement.id, pathway_id=statement.pathway_id, prompt=statement.prompt, text=statement.text,
            sharing=statement.sharing, own=own,
            author_name=author_name, author_role=statement.author_role, updated_at=statement.updated_at,
            parents_may_read=own and statement.author_role == Role.YOUNG_PERSON
            and parents_may_read(statement, ages[statement.pathway_id]),
        ))
        result[statement.pathway_id].append(views[-1])
    readers = _readers_of(InputKind.STATEMENT, {v.id: v.updated_at for v in views if v.own})
    for view in views:
        view.readers = readers.get(view.id, [])
    return result


def visible_statements(user: User, pathway: Pathway) -> list[StatementView]:
    """The statements `user` may see on one pathway (see statements_for_home)."""
    return statements_for_home(user, {pathway.id: pathway.young_person.age_on(today_in_oslo())})[pathway.id]


def statement_readers(statement) -> list[Reader]:
    """Who on the team opened this statement, and when last."""
    return _readers_of(InputKind.STATEMENT, {statement.id: statement.updated_at}).get(statement.id, [])
