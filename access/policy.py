"""The access policy: every view asks here before it reads or writes.

Rules
- Anonymous people reach only the public pages (login, invitation, language, accessibility).
- Each role has its own pages; another role's page answers 403.
- A professional sees a pathway only while on its team; any other pathway answers 404, so that
  nobody learns which pathways exist (Normen: need-to-know).
- Only the pathway's coordinator changes its team. Any team member invites the young person and
  parents.
- Young people and parents see only their own pathways, through their home page.
- A closed pathway is read-only: every write on it (any method but GET and HEAD) answers 409 with a
  page that says so (`refuse_if_closed`), whichever rule let the user reach it.
- A handover of the baton is answered (accepted or declined) only by the person it is proposed to.

Who sees the family's own input (statements, meeting preparations), decided when someone looks:
- Its author always; nobody else while it is "only me" (a draft).
- The team: everything that is not a draft. Every such read is logged (`access.log.log_reads`).
- A young person's input, for their parents (with parental responsibility), by the young person's age
  today: under 12 all that is shared with the team unless a professional withheld it for weighty
  reasons; 12–15 the same except what the young person marked "not for my parents"; 16 and over
  only what the young person explicitly shared with their parents, older entries included.
- A parent's input, for the young person: only what that parent shared with them. Never for the
  other parent.
"""
import enum
from functools import wraps

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, bindparam, false, or_, select
from sqlalchemy.orm import joinedload

from accounts.models import ParentLink, Role, User
from core.extensions import db, login_manager
from pathways.models import Pathway, TeamMember


def or_404(found):
    """`found`, or the 404 page when there is nothing: what a user may not reach answers the same
    as what does not exist, so nobody learns which pathways, meetings or entries exist."""
    if found is None:
        abort(404)
    return found


def of_pathway_or_404(model, pathway: Pathway, item_id: int):
    """The `model` row `item_id` (a meeting, measure, handover, …) if it belongs to `pathway`,
    which the view reached through `on_team`; else 404."""
    return or_404(db.session.scalar(select(model).where(model.id == item_id, model.pathway_id == pathway.id)))


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
            pathway = or_404(team_pathway(current_user, pathway_id))
            if coordinator and not is_coordinator(current_user, pathway):
                abort(403)
            refuse_if_closed(pathway)
            return view(*args, pathway=pathway, **kwargs)

        return wrapped

    return decorator


# Asked on every page of a pathway: built once, with what every such page shows.
TEAM_PATHWAY = (
    select(Pathway).join(TeamMember, TeamMember.pathway_id == Pathway.id)
    .where(Pathway.id == bindparam("pathway_id"), TeamMember.user_id == bindparam("user_id"))
    .options(joinedload(Pathway.young_person), joinedload(Pathway.coordinator))
)


def team_pathway(user: User, pathway_id: int) -> Pathway | None:
    """The pathway if `user` is on its team, else None."""
    return db.session.scalar(TEAM_PATHWAY, {"pathway_id": pathway_id, "user_id": user.id})


def is_coordinator(user: User, pathway: Pathway) -> bool:
    return pathway.coordinator_id == user.id


READ_ONLY_METHODS = ("GET", "HEAD")


def refuse_if_closed(pathway: Pathway) -> None:
    """A closed pathway is read-only: a write to it (any method but GET and HEAD) ends here with 409
    and a page in the user's language. `on_team` and `for_family` call it; so does every view that
    reaches a pathway another way (through a statement, a meeting, a handover)."""
    if pathway.closed and request.method not in READ_ONLY_METHODS:
        from core.render import render

        abort(render("errors/error.html", status=409, code=409, title=_("This pathway is closed"),
                     message=_("This pathway is closed. Nothing can be changed.")))


def handover_to_me(user: User, pathway_id: int, handover_id: int):
    """The handover `handover_id` on `pathway_id` if it is proposed to `user` (in any state), else
    None. Only that person answers it, even if they have left the team since: they are then told
    why they cannot take over, rather than that the pathway does not exist."""
    from pathways.models import Handover

    return db.session.scalar(
        select(Handover).where(Handover.id == handover_id, Handover.pathway_id == pathway_id,
                               Handover.to_id == user.id)
    )


def family_pathway_ids(role: Role):
    """SQL: the ids of the pathways of the young person `:user_id` is (`role` young person), or is a
    parent of with parental responsibility (`role` parent). Queries built once run it with the user's
    id; `family_pathways_query` fills it in."""
    from accounts.models import YoungPerson

    if role == Role.YOUNG_PERSON:
        return select(Pathway.id).join(YoungPerson).where(YoungPerson.user_id == bindparam("user_id"))
    return (select(Pathway.id).join(ParentLink, ParentLink.young_person_id == Pathway.young_person_id)
            .where(ParentLink.user_id == bindparam("user_id"), ParentLink.parental_responsibility.is_(True)))


FAMILY_ROLES = (Role.YOUNG_PERSON, Role.PARENT)


def family_meetings_for(role: Role, pathway_ids=None):
    """SQL condition on `Meeting`: the meetings a young person, or a parent, may see as family (see
    `family_meetings_condition`), on `pathway_ids` (default: `family_pathway_ids`, with `:user_id`)."""
    from pathways.models import Meeting

    on_my_pathway = Meeting.pathway_id.in_(family_pathway_ids(role) if pathway_ids is None else pathway_ids)
    return and_(on_my_pathway, Meeting.parents_invited.is_(True)) if role == Role.PARENT else on_my_pathway


def family_pathways_query(user: User):
    """Pathways of the young person `user` is, or is a parent of (with parental responsibility)."""
    if user.role not in FAMILY_ROLES:
        return select(Pathway).where(false())
    return select(Pathway).where(Pathway.id.in_(family_pathway_ids(user.role).params(user_id=user.id)))


class AgeBand(enum.Enum):
    """What the parents see of a young person's input, by the young person's age when they look."""

    CHILD = "under 12"  # what is shared with the team, unless a professional withheld it
    TEEN = "12-15"  # only what the young person shared with them ("my team and my parents")
    ADULT = "16 and over"  # the same


def age_band(age: int) -> AgeBand:
    """The one place the ages 12 and 16 are written."""
    if age < 12:
        return AgeBand.CHILD
    return AgeBand.TEEN if age < 16 else AgeBand.ADULT


def may_withhold_from_parents(age: int) -> bool:
    """A team member may withhold a young person's input from the parents for weighty reasons only
    while the young person is under 12; from 12 the young person decides whom they share with."""
    return age_band(age) == AgeBand.CHILD


def parents_see(model, age: int):
    """SQL condition: a young person's entry of `model` (Statement or Preparation) that their
    parents may read, when the young person is `age` years old. Under 12 everything shared with the
    team, from 12 only what is shared with the parents; never what a professional withheld."""
    from youth.models import Sharing

    if age_band(age) == AgeBand.CHILD:
        shared = model.sharing != Sharing.PRIVATE
    else:
        shared = model.sharing == Sharing.FAMILY
    return and_(shared, model.withheld_at.is_(None))


def family_input_visible(model, user: User, age: int):
    """SQL condition: the entries of `model` on a pathway that `user` (the young person or a parent
    on it) may read, the young person being `age`. The caller limits the query to the pathway."""
    from youth.models import Sharing

    own = model.author_id == user.id
    if user.role == Role.YOUNG_PERSON:
        from_parents = and_(model.author_role == Role.PARENT, model.sharing == Sharing.FAMILY)
        return or_(own, from_parents)
    if user.role == Role.PARENT:
        return or_(own, and_(model.author_role == Role.YOUNG_PERSON, parents_see(model, age)))
    return false()


def team_sees(model):
    """SQL condition: entries the team may read (everything but what is kept "only for me")."""
    from youth.models import Sharing

    return model.sharing != Sharing.PRIVATE


def parents_may_read(entry, age: int) -> bool:
    """Whether the parents of the young person (aged `age`) may read this loaded entry of theirs:
    what the young person is told about who reads their own statement (the same rule as `parents_see`)."""
    from youth.models import Sharing

    if entry.withheld_at is not None:
        return False
    if age_band(age) == AgeBand.CHILD:
        return entry.sharing != Sharing.PRIVATE
    return entry.sharing == Sharing.FAMILY


def family_sees_goal(user: User, not_for_parents: bool, linked_statements, age: int) -> bool:
    """Whether `user` (the young person or a parent) sees a goal of the relay log, and with it its
    measures. The young person sees every goal. A parent does not see a goal the team marked "not
    for the parents" (the young person's wish, or weighty reasons), nor one that answers a statement
    the parent may not read today (`parents_may_read`; a removed statement nobody reads)."""
    if user.role == Role.YOUNG_PERSON:
        return True
    if user.role != Role.PARENT or not_for_parents:
        return False
    return all(s.removed_at is None and parents_may_read(s, age) for s in linked_statements)


def _own_statement(role: Role):
    from youth.models import Statement

    return (
        select(Statement)
        .where(Statement.id == bindparam("statement_id"), Statement.author_id == bindparam("user_id"),
               Statement.removed_at.is_(None), Statement.pathway_id.in_(family_pathway_ids(role)))
        .options(joinedload(Statement.pathway).joinedload(Pathway.young_person))  # the age decides the form
    )


_OWN_STATEMENT = {role: _own_statement(role) for role in FAMILY_ROLES}  # built once: every autosave asks


def own_statement(user: User, statement_id: int):
    """The statement if `user` wrote it, it is not removed and its pathway is still theirs; else
    None. Only the author opens a statement to change or remove it (every autosave asks)."""
    if user.role not in FAMILY_ROLES:
        return None
    return db.session.scalar(_OWN_STATEMENT[user.role], {"statement_id": statement_id, "user_id": user.id})


def family_pathway(user: User, pathway_id: int) -> Pathway | None:
    """The pathway if `user` is its young person or a parent of them, else None."""
    return db.session.scalar(family_pathways_query(user).where(Pathway.id == pathway_id))


def for_family(view):
    """For family views with a `pathway_id`: pass the `pathway` if it is the user's own (or their
    child's); any other answers 404."""

    @roles(Role.YOUNG_PERSON, Role.PARENT)
    @wraps(view)
    def wrapped(*args, pathway_id: int, **kwargs):
        pathway = or_404(family_pathway(current_user, pathway_id))
        refuse_if_closed(pathway)
        return view(*args, pathway=pathway, **kwargs)

    return wrapped


def family_meetings_condition(user: User):
    """SQL condition on `Meeting`: the meetings `user` may see as family. The young person sees
    every meeting on their pathway; a parent (with parental responsibility) only the meetings the
    parents are invited to. Their agreements follow the same rule (`family_meetings_for`)."""
    if user.role not in FAMILY_ROLES:
        return false()
    return family_meetings_for(user.role, family_pathway_ids(user.role).params(user_id=user.id))


def family_meeting(user: User, meeting_id: int):
    """The meeting if `user` may see and prepare it as family (see above), else None."""
    from pathways.models import Meeting

    return db.session.scalar(
        select(Meeting).where(Meeting.id == meeting_id, family_meetings_condition(user))
    )


# --- feedback -------------------------------------------------------------------------------------
# A feedback request is answered only by the person it was made for, while the pathway is theirs;
# any other request answers 404. Feedback is answered on a closed pathway too: the closing sends
# the questionnaire, and an answer changes nothing on the pathway.
# The team sees a response only when the person shared it with the team; alerts are for the team.
# A service's report, settings and "you said, we did" are for the admin and the service's own
# professionals; any other service answers 404.


def own_feedback_request(user: User, request_id: int):
    """The feedback request if it was made for `user` and its pathway is still theirs, else None."""
    from feedback.models import FeedbackRequest

    return db.session.scalar(
        select(FeedbackRequest).where(
            FeedbackRequest.id == request_id,
            FeedbackRequest.user_id == user.id,
            FeedbackRequest.pathway_id.in_(family_pathways_query(user).with_only_columns(Pathway.id)),
        )
    )


def services_for_reports(user: User):
    """The services whose feedback `user` may see and answer for: all for the admin, a
    professional's own services, none for anybody else."""
    from accounts.models import Service, professional_services

    if user.role == Role.ADMIN:
        return select(Service).order_by(Service.name)
    if user.role == Role.PROFESSIONAL:
        return (select(Service).join(professional_services, professional_services.c.service_id == Service.id)
                .where(professional_services.c.user_id == user.id).order_by(Service.name))
    return select(Service).where(false())


def for_service(view):
    """For feedback views with a `service_id`: pass the `service` if the user may see its feedback
    (the admin, or a professional of that service); any other answers 404."""
    from accounts.models import Service

    @roles(Role.ADMIN, Role.PROFESSIONAL)
    @wraps(view)
    def wrapped(*args, service_id: int, **kwargs):
        service = db.session.scalar(services_for_reports(current_user).where(Service.id == service_id))
        if service is None:
            abort(404)
        return view(*args, service=service, **kwargs)

    return wrapped
