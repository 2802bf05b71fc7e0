"""The access policy: every view asks here before it reads or writes.

Rules
- Anonymous people reach only the public pages (login, invitation, language, accessibility).
- Each role has its own pages; another role's page answers 403.
- A professional sees a pathway only while on its team; any other pathway answers 404, so that
  nobody learns which pathways exist (Normen: need-to-know).
- Only the pathway's coordinator changes its team. Any team member invites the young person and
  parents.
- Young people and parents see only their own pathways, through their home page.
"""
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from accounts.models import ParentLink, Role, User
from core.extensions import db, login_manager
from pathways.models import Pathway, TeamMember


def roles(*allowed: Role):
    """Let only logged-in users with one of `allowed` roles through; others log in or get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_roles = allowed
        return wrapped

    return decorator


def on_team(coordinator: bool = False):
    """For professional views with a `pathway_id`: pass the `pathway` if the user is on its team.

    A pathway that does not exist and one the user is not on both answer 404. With
    `coordinator=True`, a team member who is not the coordinator gets 403 (they can see it).
    """

    def decorator(view):
        @roles(Role.PROFESSIONAL)
        @wraps(view)
        def wrapped(*args, pathway_id: int, **kwargs):
            pathway = team_pathway(current_user, pathway_id)
            if pathway is None:
                abort(404)
            if coordinator and not is_coordinator(current_user, pathway):
                abort(403)
            return view(*args, pathway=pathway, **kwargs)

        return wrapped

    return decorator


def team_pathway(user: User, pathway_id: int) -> Pathway | None:
    """The pathway if `user` is on its team, else None."""
    return db.session.scalar(
        select(Pathway)
        .join(TeamMember, TeamMember.pathway_id == Pathway.id)
        .where(Pathway.id == pathway_id, TeamMember.user_id == user.id)
    )


def is_coordinator(user: User, pathway: Pathway) -> bool:
    return pathway.coordinator_id == user.id


def worklist_query(user: User):
    """Pathways on which `user` is a team member: the professional's worklist."""
    return (
        select(Pathway)
        .join(TeamMember, TeamMember.pathway_id == Pathway.id)
        .where(TeamMember.user_id == user.id)
    )


def family_pathways_query(user: User):
    """Pathways of the young person `user` is, or is a parent of (with parental responsibility)."""
    from accounts.models import YoungPerson

    if user.role == Role.YOUNG_PERSON:
        return select(Pathway).join(YoungPerson).where(YoungPerson.user_id == user.id)
    if user.role == Role.PARENT:
        return (
            select(Pathway)
            .join(ParentLink, ParentLink.young_person_id == Pathway.young_person_id)
            .where(ParentLink.user_id == user.id, ParentLink.parental_responsibility.is_(True))
        )
    return select(Pathway).where(False)
