"""Queries for the young person's and the parent's pages."""
from dataclasses import dataclass, field

from sqlalchemy import select

from accounts.models import Service, User, YoungPerson, professional_services
from core.access import family_pathways_query
from core.extensions import db
from pathways.models import Pathway, TeamMember


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
    coordinator: Person | None = None
    members: list[Person] = field(default_factory=list)


def my_pathways(user: User) -> list[PathwayCard]:
    """The pathways the young person or parent may see, each with its coordinator and team.

    One query for everything: this is the page young people open most, often on a slow phone."""
    visible = family_pathways_query(user).with_only_columns(Pathway.id)
    rows = db.session.execute(
        select(Pathway.id, Pathway.title, Pathway.coordinator_id, YoungPerson.name, User.id, User.name, Service.name)
        .join(YoungPerson, YoungPerson.id == Pathway.young_person_id)
        .join(TeamMember, TeamMember.pathway_id == Pathway.id)
        .join(User, User.id == TeamMember.user_id)
        .outerjoin(professional_services, professional_services.c.user_id == User.id)
        .outerjoin(Service, Service.id == professional_services.c.service_id)
        .where(Pathway.id.in_(visible))
        .order_by(Pathway.created_at.desc(), Pathway.id, TeamMember.added_at, User.id, Service.name)
    )
    cards: dict[int, PathwayCard] = {}
    people: dict[tuple[int, int], Person] = {}
    for pathway_id, title, coordinator_id, young_name, user_id, user_name, service_name in rows:
        card = cards.get(pathway_id)
        if card is None:
            card = cards[pathway_id] = PathwayCard(pathway_id, title, young_name)
        person = people.get((pathway_id, user_id))
        if person is None:
            person = people[(pathway_id, user_id)] = Person(user_name)
            card.members.append(person)
            if user_id == coordinator_id:
                card.coordinator = person
        if service_name:
            person.services.append(service_name)
    return list(cards.values())
