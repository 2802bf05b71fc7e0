"""Queries for the young person's and the parent's pages."""
from sqlalchemy.orm import selectinload

from accounts.models import User
from core.access import family_pathways_query
from core.extensions import db
from pathways.models import Pathway, TeamMember


def my_pathways(user: User) -> list[Pathway]:
    """The pathways the young person or parent may see, with coordinator and team loaded."""
    return list(db.session.scalars(
        family_pathways_query(user)
        .options(
            selectinload(Pathway.young_person),
            selectinload(Pathway.coordinator).selectinload(User.services),
            selectinload(Pathway.members).selectinload(TeamMember.user).selectinload(User.services),
        )
        .order_by(Pathway.created_at.desc())
    ))
