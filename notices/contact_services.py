"""A person's own notice settings: their e-mail address and mobile number (confirmed with a code sent
to it), the kinds of notice they get, the stop link in every message, and the notices sent to them.

The code is 6 digits, valid 30 minutes and for 5 tries; only its HMAC (keyed with SECRET_KEY) is
stored. Each code sent is itself a notice (kind contact_code), so the person sees it in their list."""
import enum
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, select, update

from access.policy import FAMILY_ROLES, family_pathway_ids
from accounts.models import Role, Service, User, YoungPerson, professional_services
from core.extensions import db
from core.models import today_in_oslo, utcnow
from core.paging import TOTAL, Part, split_total
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeOptOut, NoticeStatus
from notices.messages import stop_token_user
from notices.planning import UNDER_AGE
from notices.sending import SendError, send_message
from pathways.models import TeamMember

CODE_VALID = timedelta(minutes=30)
CODE_TRIES = 5
STOP_ALL = "all"  # the opt-out kind that stops every notice (the stop link)
SENT_PAGE_SIZE = 20

FAMILY_KINDS = (NoticeKind.MEETING_SOON, NoticeKind.RATING_WAITING, NoticeKind.AGREEMENT_ANSWER)
PROFESSIONAL_KINDS = (NoticeKind.FAMILY_QUESTION, NoticeKind.NEW_INPUT)
# An 8-digit Norwegian mobile number (they start with 4 or 9), with +47 or 0047 in front or not.
MOBILE = re.compile(r"^(?:\+47|0047)?([49]\d{7})$")


def normalise_mobile(text: str) -> str | None:
    """"+47 912 34 567", "0047 91234567" or "912 34 567" as "+4791234567"; None if it is not a mobile number."""
    found = MOBILE.match(re.sub(r"[\s.-]", "", text or ""))
    return "+47" + found.group(1) if found else None


def kinds_for(role: Role) -> tuple[NoticeKind, ...]:
    """The kinds of notice (of CHOOSABLE_KINDS) a person in `role` may get and turn off."""
    if role in FAMILY_ROLES:
        return FAMILY_KINDS
    return PROFESSIONAL_KINDS if role == Role.PROFESSIONAL else ()


def services_of(user: User):
    """SQL: the ids of the services a person belongs to: a professional's own services; for a young
    person or a parent, the services of the professionals on their pathways' teams."""
    if user.role == Role.PROFESSIONAL:
        return select(professional_services.c.service_id).where(professional_services.c.user_id == user.id)
    if user.role in FAMILY_ROLES:
        return (select(professional_services.c.service_id)
                .join(TeamMember, TeamMember.user_id == professional_services.c.user_id)
                .where(TeamMember.pathway_id.in_(family_pathway_ids(user.role).params(user_id=user.id))))
    return select(professional_services.c.service_id).where(False)


def sms_offered(user: User) -> bool:
    """SMS only where one of the person's services has turned it on."""
    return bool(db.session.scalar(select(exists().where(Service.id.in_(services_of(user)),
                                                        Service.sms_notices.is_(True)))))


def only_through_parents(user: User) -> bool:
    """A young person under 13 gets notices only through a parent's contact, unless a service on
    their pathway's team turned notices to under-13s on (as notices.planning decides)."""
    if user.role != Role.YOUNG_PERSON:
        return False
    person = db.session.scalar(select(YoungPerson).where(YoungPerson.user_id == user.id))
    if person is None or person.age_on(today_in_oslo()) >= UNDER_AGE:
        return False
    return not db.session.scalar(select(exists().where(Service.id.in_(services_of(user)),
                                                       Service.notices_under_13.is_(True))))


def contacts_of(user: User) -> dict[Channel, Contact]:
    return {c.channel: c for c in db.session.scalars(select(Contact).where(Contact.user_id == user.id))}


def contact_of(user: User, channel: Channel) -> Contact | None:
    return db.session.scalar(select(Contact).where(Contact.user_id == user.id, Contact.channel == channel))


def _code_hash(contact: Contact, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{contact.id}:{code}".encode(), hashlib.sha256).hexdigest()


def add_contact(user: User, channel: Channel, address: str) -> tuple[Contact, bool]:
    """Keep `address` as the person's contact on `channel` (one per channel) and send it a code.
    Returns the contact and whether the code went out. The caller has checked there is none yet."""
    contact = Contact(user_id=user.id, channel=channel, address=address)
    db.session.add(contact)
    db.session.flush()
    return contact, send_code(contact)


def send_code(contact: Contact) -> bool:
    """A new 6-digit code for `contact` (the old one stops working, the tries start again), sent to it
    and recorded as a notice; committed. False when it could not be sent."""
    now = utcnow()
    code = f"{secrets.randbelow(10**6):06d}"
    contact.code_hash = _code_hash(contact, code)
    contact.code_expires_at = now + CODE_VALID
    contact.code_attempts = 0
    sent_before = db.session.scalar(select(func.count()).select_from(Notice).where(
        Notice.user_id == contact.user_id, Notice.kind == NoticeKind.CONTACT_CODE,
        Notice.occasion.startswith(f"code:{contact.id}:", autoescape=True)))
    notice = Notice(user_id=contact.user_id, kind=NoticeKind.CONTACT_CODE, occasion=f"code:{contact.id}:{sent_before + 1}",
                    channel=contact.channel, due_at=now, taken_at=now, attempts=1)
    # Nothing but the code: an SMS can be read on a lock screen.
    body = _("Your code for Stemme is %(code)s. It works for 30 minutes.", code=code)
    try:
        send_message(contact.channel, contact.address, _("Your code for Stemme"), body)
    except SendError as error:
        notice.status, notice.error = NoticeStatus.FAILED, str(error)[:120]
    else:
        notice.status, notice.sent_at = NoticeStatus.SENT, now
    db.session.add(notice)
    db.session.commit()
    return notice.status == NoticeStatus.SENT


class CodeCheck(enum.Enum):
    CONFIRMED = "confirmed"
    WRONG = "wrong"
    EXPIRED = "expired"
    TOO_MANY = "too many"


def check_code(contact: Contact, code: str) -> CodeCheck:
    """Confirm `contact` if `code` is its code, within 30 minutes and 5 tries; committed. Each try is
    counted in the database before the code is compared, so tries sent at once cannot pass the limit."""
    if contact.code_hash is None or contact.code_expires_at is None or contact.code_expires_at <= utcnow():
        return CodeCheck.EXPIRED
    counted = db.session.execute(
        update(Contact).where(Contact.id == contact.id, Contact.code_attempts < CODE_TRIES)
        .values(code_attempts=Contact.code_attempts + 1)
    ).rowcount
    db.session.commit()
    if not counted:
        return CodeCheck.TOO_MANY
    if not hmac.compare_digest(contact.code_hash, _code_hash(contact, code)):
        return CodeCheck.WRONG
    contact.confirmed_at = utcnow()
    contact.code_hash = contact.code_expires_at = None
    db.session.commit()
    return CodeCheck.CONFIRMED


def remove_contact(contact: Contact) -> None:
    db.session.delete(contact)
    db.session.commit()


# --- which kinds -----------------------------------------------------------------------------------


def opted_out(user_id: int) -> set[str]:
    """The kinds the person turned off, with STOP_ALL if they stopped every notice."""
    return set(db.session.scalars(select(NoticeOptOut.kind).where(NoticeOptOut.user_id == user_id)))


def save_choices(user: User, wanted: set[str], stop_all: bool) -> None:
    """Keep one opt-out row per kind of the person's role not in `wanted`, and STOP_ALL if `stop_all`."""
    off = {kind.value for kind in kinds_for(user.role)} - wanted
    if stop_all:
        off.add(STOP_ALL)
    before = opted_out(user.id)
    db.session.execute(delete(NoticeOptOut).where(NoticeOptOut.user_id == user.id, NoticeOptOut.kind.in_(before - off)))
    db.session.add_all(NoticeOptOut(user_id=user.id, kind=kind) for kind in sorted(off - before))
    db.session.commit()


# --- the stop link ---------------------------------------------------------------------------------


def user_for_stop_token(token: str) -> User | None:
    """The person a stop link (notices.messages.stop_url) is for, or None for a token we did not sign."""
    user_id = stop_token_user(token)
    return db.session.get(User, user_id) if user_id is not None else None


def stop_all(user: User) -> None:
    """The stop link: no notice of any kind from now on (asking for a code or a reset link still works)."""
    if STOP_ALL not in opted_out(user.id):
        db.session.add(NoticeOptOut(user_id=user.id, kind=STOP_ALL))
        db.session.commit()


# --- what we have sent -----------------------------------------------------------------------------


def sent_notices(user: User, page: int) -> Part[Notice]:
    """The notices for the person, newest first, SENT_PAGE_SIZE at a time."""
    offset = (page - 1) * SENT_PAGE_SIZE
    rows = db.session.execute(
        select(Notice, TOTAL).where(Notice.user_id == user.id)
        .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(SENT_PAGE_SIZE).offset(offset)
    ).all()
    items, total = split_total(rows)
    return Part([notice for (notice,) in items], total, SENT_PAGE_SIZE, offset)


def when_sent(notice: Notice) -> datetime:
    """When a notice went (or will go, or was given up)."""
    return notice.sent_at or notice.taken_at or notice.due_at
