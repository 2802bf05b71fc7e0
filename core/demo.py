"""`flask demo-data`: the demo people and pathways (idempotent, refused in production)."""
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from accounts.models import ParentLink, Role, Service, ServiceKind, User, YoungPerson
from accounts.passwords import hash_password
from core.extensions import db

DEMO_PASSWORD = "demo-passord"  # noqa: S105 - shown on the login page in demo mode

SERVICES = [
    ("BUP Molde", ServiceKind.BUP, "Molde"),
    ("Helsestasjon for ungdom Averøy", ServiceKind.SCHOOL_HEALTH, "Averøy"),
    ("PPT Averøy", ServiceKind.PPT, "Averøy"),
]
PROFESSIONALS = [
    ("kari@bup.demo", "Kari Nordmann", "BUP Molde"),
    ("per@helse.demo", "Per Hansen", "Helsestasjon for ungdom Averøy"),
    ("lise@ppt.demo", "Lise Berg", "PPT Averøy"),
]
ADMIN = ("admin@stemme.demo", "Stemme-administrator")

# Shown on the login page in demo mode: (login, who).
DEMO_LOGINS = [
    ("kari@bup.demo", "Kari Nordmann, BUP Molde"),
    ("per@helse.demo", "Per Hansen, Helsestasjon for ungdom Averøy"),
    ("lise@ppt.demo", "Lise Berg, PPT Averøy"),
    ("ola", "Ola Nordvik, 15"),
    ("emma", "Emma Lie, 11"),
    ("mor.ola", "Randi Nordvik, mor til Ola"),
    ("admin@stemme.demo", "Administrator"),
]


def birth_date_for_age(years: int, today: date) -> date:
    """A birth date that makes someone `years` old today and for the next few months."""
    born = today - timedelta(days=120)
    try:
        return born.replace(year=born.year - years)
    except ValueError:  # 29 February
        return born.replace(year=born.year - years, day=28)


def load_demo_data(today: date | None = None) -> dict[str, int]:
    """Create whatever part of the demo is missing; return how many rows of each were added."""
    from pathways.models import EventKind, Pathway, TeamMember
    from pathways.services import record_event

    today = today or date.today()
    added = {"services": 0, "users": 0, "pathways": 0}
    password_hash = hash_password(DEMO_PASSWORD)

    services = {}
    for name, kind, municipality in SERVICES:
        service = db.session.scalar(select(Service).where(Service.name == name))
        if service is None:
            service = Service(name=name, kind=kind, municipality=municipality)
            db.session.add(service)
            added["services"] += 1
        services[name] = service

    def user(role, name, *, email=None, username=None, service_names=()):
        login = email or username
        found = db.session.scalar(select(User).where((User.email == login) | (User.username == login)))
        if found is None:
            found = User(role=role, name=name, email=email, username=username, password_hash=password_hash,
                         services=[services[s] for s in service_names])
            db.session.add(found)
            added["users"] += 1
        return found

    pros = {email: user(Role.PROFESSIONAL, name, email=email, service_names=[svc])
            for email, name, svc in PROFESSIONALS}
    user(Role.ADMIN, ADMIN[1], email=ADMIN[0])
    ola_user = user(Role.YOUNG_PERSON, "Ola Nordvik", username="ola")
    emma_user = user(Role.YOUNG_PERSON, "Emma Lie", username="emma")
    mother = user(Role.PARENT, "Randi Nordvik", username="mor.ola")
    db.session.flush()

    def pathway(person_user, age, title, coordinator, others):
        person = db.session.scalar(select(YoungPerson).where(YoungPerson.user_id == person_user.id))
        if person is None:
            person = YoungPerson(name=person_user.name, birth_date=birth_date_for_age(age, today), user=person_user)
            db.session.add(person)
        existing = db.session.scalar(select(Pathway).where(Pathway.young_person == person))
        if existing is None:
            existing = Pathway(young_person=person, title=title, coordinator=coordinator)
            existing.members = [TeamMember(user=u, added_by_id=coordinator.id) for u in [coordinator, *others]]
            db.session.add(existing)
            record_event(existing, EventKind.CREATED, coordinator, title)
            for other in others:
                record_event(existing, EventKind.MEMBER_ADDED, coordinator, other.name)
            added["pathways"] += 1
        return person

    ola = pathway(ola_user, 15, "Angst og søvn", pros["kari@bup.demo"], [pros["per@helse.demo"]])
    pathway(emma_user, 11, "Trivsel på skulen", pros["per@helse.demo"], [])
    db.session.flush()
    if db.session.scalar(select(ParentLink).where(ParentLink.user_id == mother.id)) is None:
        db.session.add(ParentLink(young_person=ola, user=mother, parental_responsibility=True))
    db.session.commit()
    return added


@click.command("demo-data")
@with_appcontext
def demo_data_command() -> None:
    """Load the demo people and pathways; safe to run again."""
    if current_app.config["STEMME_ENV"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    added = load_demo_data()
    click.echo("demo data: " + ", ".join(f"{n} {what} added" for what, n in added.items()))
