"""People and their accounts: services, users, young people, parents, invitations, second factors."""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Column, Date, Enum, ForeignKey, Integer, String, Table, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from core.extensions import db
from core.models import UTCDateTime, utcnow


def str_enum(enum_cls, length=20):
    """An enum stored as its string value with a CHECK constraint (portable across databases)."""
    return Enum(enum_cls, native_enum=False, create_constraint=True, length=length,
                values_callable=lambda members: [m.value for m in members],
                name=enum_cls.__name__.lower())


class Role(str, enum.Enum):
    PROFESSIONAL = "professional"
    YOUNG_PERSON = "young_person"
    PARENT = "parent"
    ADMIN = "admin"


class ServiceKind(str, enum.Enum):
    BUP = "bup"
    SCHOOL_HEALTH = "school_health"
    PPT = "ppt"
    CHILD_WELFARE = "child_welfare"
    GP = "gp"
    OTHER = "other"


SERVICE_KINDS = {
    ServiceKind.BUP: _l("BUP"),
    ServiceKind.SCHOOL_HEALTH: _l("School health service"),
    ServiceKind.PPT: _l("PPT"),
    ServiceKind.CHILD_WELFARE: _l("Child welfare service"),
    ServiceKind.GP: _l("GP"),
    ServiceKind.OTHER: _l("Other service"),
}


professional_services = Table(
    "professional_services",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
)


class Service(db.Model):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind))
    municipality: Mapped[str] = mapped_column(String(80))
    # Notices (notices/): SMS is off until the service turns it on; young people under 13 get notices
    # only through a parent's contact unless the service turns this on.
    sms_notices: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notices_under_13: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    # Professionals and admins log in with their email, young people and parents with a username.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id in the session cookie: raising it (logout, a new password, "log out on all my
    # devices") makes every copy of an earlier cookie worthless on its next request.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Second factor (professionals and admins): the TOTP secret once set up, and the last time step
    # a code was accepted for, so that a code is used once.
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Young people and parents: who they last chose to share an entry with ('private', 'team' or
    # 'family', youth.models.Sharing); a new entry starts that way (youth/sharing.py).
    last_sharing: Mapped[str | None] = mapped_column(String(10))

    services: Mapped[list[Service]] = relationship(secondary=professional_services, order_by=Service.name)

    __table_args__ = (
        CheckConstraint(
            "(role IN ('professional', 'admin') AND email IS NOT NULL)"
            " OR (role IN ('young_person', 'parent') AND username IS NOT NULL)",
            name="login_name_for_role",
        ),
        CheckConstraint("locale IS NULL OR locale IN ('nn', 'nb')", name="locale_known"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("last_sharing IS NULL OR last_sharing IN ('private', 'team', 'family')",
                        name="last_sharing_known"),
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version ("12:3")."""
        return f"{self.id}:{self.session_version}"

    @property
    def needs_second_factor(self) -> bool:
        return self.role in (Role.PROFESSIONAL, Role.ADMIN)

    @property
    def login_name(self) -> str:
        return self.email or self.username or ""

    @property
    def service_names(self) -> str:
        return ", ".join(s.name for s in self.services)


class YoungPerson(db.Model):
    """The young person a pathway is about; has an account once an invitation is redeemed."""

    __tablename__ = "young_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    def age_on(self, day: date) -> int:
        """Whole years of age on `day`."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class ParentLink(db.Model):
    """A parent's account linked to a young person, with or without parental responsibility."""

    __tablename__ = "parent_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_people.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parental_responsibility: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    young_person: Mapped[YoungPerson] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("young_person_id", "user_id", name="uq_parent_links_person_user"),)


class Invitation(db.Model):
    """A one-time code that lets a young person or a parent make their account."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_id: Mapped[int] = mapped_column(ForeignKey("pathways.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    invitee_name: Mapped[str] = mapped_column(String(120))
    parental_responsibility: Mapped[bool | None] = mapped_column(Boolean)
    # SHA-256 of the normalised code; the code itself is shown once and never stored.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    pathway = relationship("Pathway", back_populates="invitations")

    __table_args__ = (
        CheckConstraint("role IN ('young_person', 'parent')", name="invitee_role"),
        CheckConstraint(
            "(role = 'parent') = (parental_responsibility IS NOT NULL)", name="responsibility_for_parents"
        ),
    )


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for the TOTP app; only a hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccountEventKind(str, enum.Enum):
    SECOND_FACTOR_SET_UP = "second_factor_set_up"
    SECOND_FACTOR_RESET = "second_factor_reset"
    RECOVERY_CODE_USED = "recovery_code_used"
    PASSWORD_CHANGED = "password_changed"
    LOGGED_OUT_EVERYWHERE = "logged_out_everywhere"
    COPY_DOWNLOADED = "copy_downloaded"  # the person downloaded their own copy (youth/own_copy.py)
    PASSWORD_RESET = "password_reset"  # a new password through a reset link or a coordinator's code
    LOGIN_CODE_MADE = "login_code_made"  # the coordinator made a new one-time login code (by: who)


class AccountEvent(db.Model):
    """What happened to an account's login, and who did it (an admin's reset names the admin)."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[AccountEventKind] = mapped_column(str_enum(AccountEventKind, length=30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    by: Mapped[User | None] = relationship(foreign_keys=[by_id])
