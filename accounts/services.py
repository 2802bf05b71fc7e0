"""Writes and queries for accounts: login, invitations, professionals and services."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from accounts import throttle
from accounts.models import (
    AccountEvent, AccountEventKind, Invitation, ParentLink, Role, Service, ServiceKind, User, YoungPerson,
    professional_services,
)
from accounts.passwords import hash_password, needs_rehash, verify_password
from core.extensions import db
from core.models import utcnow

# Letters and digits that cannot be mistaken for each other when read aloud or typed (no 0/O, 1/I/L, U/V).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4  # 12 characters from 29: about 58 bits
INVITATION_VALID = timedelta(days=14)


# --- login ----------------------------------------------------------------------------------

def normalise_login(identifier: str) -> str:
    return identifier.strip().lower()


@dataclass
class LoginResult:
    user: User | None = None
    wait: int = 0  # seconds, when the attempt was not checked because of throttling


def authenticate(identifier: str, password: str, address: str) -> LoginResult:
    """Check a login, counted first by the throttling rule (accounts/throttle.py)."""
    login = normalise_login(identifier)
    user = db.session.scalar(select(User).where(or_(User.email == login, User.username == login)))
    account = throttle.account_key(user, login)
    device = throttle.known_device(user)
    # Counted before the password is checked, so that guesses sent at once cannot pass the limit.
    wait = throttle.login_attempt(account, address, device)
    if wait:
        return LoginResult(wait=wait)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or not user.active:
        return LoginResult()
    throttle.login_succeeded(account, address, device, user)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return LoginResult(user=user)


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if `current` is the one now; every copy of the person's login then ends."""
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    user.session_version += 1
    record_account_event(user, user, AccountEventKind.PASSWORD_CHANGED)
    db.session.commit()
    return True


def record_account_event(user: User, by: User | None, kind: AccountEventKind) -> None:
    """Note what happened to `user`'s login, and who did it (committed with the change it goes with)."""
    db.session.add(AccountEvent(user_id=user.id, by_id=by.id if by else None, kind=kind))


# --- invitations ----------------------------------------------------------------------------

def new_code(groups: int = CODE_GROUPS) -> str:
    """A code like K7QM-2XPD-H4RT that a person can read aloud and type on a phone (an invitation's;
    a recovery code has four groups)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(groups * CODE_GROUP_LENGTH))
    return "-".join(chars[i:i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH))


def code_hash(code: str) -> str:
    """Hash of the code with spaces, dashes and case ignored."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


def create_invitation(pathway, by: User, role: Role, name: str,
                      parental_responsibility: bool | None) -> tuple[Invitation, str]:
    """Store a hashed invitation and return it with the plain code (shown once)."""
    from pathways.models import EventKind
    from pathways.services import record_event

    code = new_code()
    now = utcnow()
    invitation = Invitation(
        pathway=pathway, role=role, invitee_name=name,
        parental_responsibility=parental_responsibility if role == Role.PARENT else None,
        code_hash=code_hash(code), created_by=by, created_at=now, expires_at=now + INVITATION_VALID,
    )
    db.session.add(invitation)
    record_event(pathway, EventKind.INVITATION_CREATED, by, name)
    db.session.commit()
    return invitation, code


def usable_invitation(code: str) -> Invitation | None:
    """The invitation for `code` if it is unused, unexpired, its pathway open and its young person
    has no account yet."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.code_hash == code_hash(code)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    if invitation.pathway.closed_at is not None:
        return None
    if invitation.role == Role.YOUNG_PERSON and invitation.pathway.young_person.user_id is not None:
        return None
    return invitation


def invitation_by_id(invitation_id) -> Invitation | None:
    """Re-check an invitation held in the session between the two steps of redeeming it."""
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    if invitation.pathway.closed_at is not None:
        return None
    return invitation


def username_taken(username: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(User).where(User.username == username)) > 0


def redeem_invitation(invitation: Invitation, username: str, password: str, locale: str) -> User | None:
    """Create the account and use the invitation up, once: a second redeemer gets None."""
    from pathways.models import EventKind
    from pathways.services import record_event

    now = utcnow()
    used = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.expires_at > now)
        .values(used_at=now)
    )
    if used.rowcount != 1:
        db.session.rollback()
        return None
    young_person = invitation.pathway.young_person
    user = User(role=invitation.role, username=username, password_hash=hash_password(password),
                name=invitation.invitee_name, locale=locale)
    db.session.add(user)
    db.session.flush()
    if invitation.role == Role.YOUNG_PERSON:
        # Two invitations for the same young person: only the first one to arrive links an account.
        linked = db.session.execute(
            update(YoungPerson).where(YoungPerson.id == young_person.id, YoungPerson.user_id.is_(None))
            .values(user_id=user.id)
        )
        if linked.rowcount != 1:
            db.session.rollback()
            return None
    else:
        db.session.add(ParentLink(young_person=young_person, user=user,
                                  parental_responsibility=bool(invitation.parental_responsibility)))
    invitation.used_by_id = user.id
    record_event(invitation.pathway, EventKind.INVITATION_REDEEMED, user, user.name)
    db.session.commit()
    return user


# --- professionals and services (admin) -----------------------------------------------------

def create_service(name: str, kind: ServiceKind, municipality: str) -> Service:
    service = Service(name=name.strip(), kind=kind, municipality=municipality.strip())
    db.session.add(service)
    db.session.commit()
    return service


def service_name_taken(name: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(Service).where(Service.name == name.strip())) > 0


def email_taken(email: str) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.email == normalise_login(email))
    ) > 0


def create_user(role: Role, name: str, password: str, *, email: str | None = None,
                username: str | None = None, services: list[Service] | None = None,
                password_hash: str | None = None) -> User:
    user = User(
        role=role, name=name.strip(),
        email=normalise_login(email) if email else None,
        username=normalise_login(username) if username else None,
        password_hash=password_hash or hash_password(password),
        services=list(services or []),
    )
    db.session.add(user)
    db.session.commit()
    return user


def all_services() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.name)))


def professional(user_id: int) -> User | None:
    """The professional's account, or None (no such user, or not a professional)."""
    return db.session.scalar(select(User).where(User.id == user_id, User.role == Role.PROFESSIONAL))


PROFESSIONALS_PER_PAGE = 50


@dataclass
class ProfessionalRow:
    """A professional on the admin's list: plain values, no ORM object."""

    id: int
    name: str
    email: str
    active: bool
    has_second_factor: bool
    service_names: str


@dataclass
class ProfessionalsPage:
    """One page of the admin's list of professionals, and whether there is a page after it."""

    rows: list[ProfessionalRow]
    page: int
    more: bool


def professionals_page(search: str = "", page: int = 1, per_page: int = PROFESSIONALS_PER_PAGE) -> ProfessionalsPage:
    """A page of professionals by name (those whose name or email contains `search`), with their
    services: two queries whatever the number of professionals (one row more tells whether there is
    a next page). A page past the last is empty; one past any offset a database takes, the last
    it could be."""
    page = min(max(page, 1), 10**9)
    query = (select(User.id, User.name, User.email, User.active, User.totp_secret.is_not(None))
             .where(User.role == Role.PROFESSIONAL).order_by(User.name, User.id)
             .limit(per_page + 1).offset((page - 1) * per_page))
    if search.strip():
        query = query.where(_person_matches(User, _contains(search.strip())))
    found = db.session.execute(query).all()
    rows = found[:per_page]
    names: dict[int, list[str]] = {row[0]: [] for row in rows}
    if names:
        for user_id, name in db.session.execute(
                select(professional_services.c.user_id, Service.name)
                .join(Service, Service.id == professional_services.c.service_id)
                .where(professional_services.c.user_id.in_(list(names))).order_by(Service.name)):
            names[user_id].append(name)
    return ProfessionalsPage([ProfessionalRow(user_id, name, email, active, bool(second), ", ".join(names[user_id]))
                              for user_id, name, email, active, second in rows], page, more=len(found) > per_page)


def set_active(user: User, active: bool) -> None:
    user.active = active
    db.session.commit()


def service(service_id: int) -> Service | None:
    return db.session.get(Service, service_id)


def set_service_notices(service: Service, sms_notices: bool, notices_under_13: bool) -> None:
    """The admin's switches for a service's notices (notices/): SMS on, and notices to its young people
    under 13 themselves rather than only through a parent's contact."""
    service.sms_notices, service.notices_under_13 = sms_notices, notices_under_13
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


# --- the access log, for the admin -----------------------------------------------------------

ACCESS_LOG_LIMIT = 200


@dataclass
class AccessLogRow:
    """One read of the family's input, as the admin's search shows it."""

    at: object
    reader_name: str
    reader_login: str
    reader_services: str
    author_name: str
    item_kind: object
    item_id: int
    pathway_id: int


def _contains(text: str) -> str:
    """A LIKE pattern for `text` anywhere, its own wildcards taken literally."""
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _person_matches(person, pattern: str):
    return or_(*(func.lower(column).like(pattern, escape="\\")
                 for column in (person.name, person.email, person.username)))


def search_access_log(person: str = "", since=None, before=None,
                      limit: int = ACCESS_LOG_LIMIT) -> tuple[list[AccessLogRow], bool]:
    """Reads of the family's input, newest first: by `person` (part of the name, email or username
    of the reader or of the author whose input was read) and in [since, before) (aware datetimes).
    Returns at most `limit` rows, and whether more matched. What was read is named by its kind and
    id only: the admin audits who read, and does not read the family's words here."""
    from pathways.models import AccessLog

    reader, author = aliased(User), aliased(User)
    query = (
        select(AccessLog.at, reader.name, func.coalesce(reader.email, reader.username), AccessLog.reader_services,
               author.name, AccessLog.item_kind, AccessLog.item_id, AccessLog.pathway_id)
        .join(reader, reader.id == AccessLog.reader_id)
        .join(author, author.id == AccessLog.author_id)
        .order_by(AccessLog.at.desc(), AccessLog.id.desc())
        .limit(limit + 1)
    )
    if person.strip():
        # The people first (a few), then their reads through the log's reader and author indexes.
        pattern = _contains(person.strip())
        people = select(User.id).where(_person_matches(User, pattern))
        query = query.where(or_(AccessLog.reader_id.in_(people), AccessLog.author_id.in_(people)))
    if since is not None:
        query = query.where(AccessLog.at >= since)
    if before is not None:
        query = query.where(AccessLog.at < before)
    rows = [AccessLogRow(*row) for row in db.session.execute(query)]
    return rows[:limit], len(rows) > limit
