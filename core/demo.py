"""`flask demo-data`: the demo people and pathways (idempotent, refused in production)."""
from datetime import date, datetime, time, timedelta, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from accounts.models import ParentLink, Role, Service, ServiceKind, User, YoungPerson
from accounts.passwords import hash_password
from core.extensions import db
from core.models import OSLO, utcnow

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
    emma = pathway(emma_user, 11, "Trivsel på skulen", pros["per@helse.demo"], [])
    db.session.flush()
    if db.session.scalar(select(ParentLink).where(ParentLink.user_id == mother.id)) is None:
        db.session.add(ParentLink(young_person=ola, user=mother, parental_responsibility=True))
    _voice(added, today, ola, emma, ola_user, emma_user, mother, pros["kari@bup.demo"], pros["per@helse.demo"])
    _relay_log(added, today, ola, emma, ola_user, pros["kari@bup.demo"], pros["per@helse.demo"])
    db.session.commit()
    return added


def _relay_log(added, today, ola, emma, ola_user, kari, per) -> None:
    """Ola's pathway follows the anxiety template, is at the measures step and BTI level 2, with two
    goals and three measures (Per's conversation is overdue); Emma's is a BTI relay log at level 1."""
    from pathways.models import Goal, Measure, Pathway, PathwayTemplate, TemplateStep
    from youth.models import Statement

    added.setdefault("goals", 0)
    now = utcnow()
    templates = {t.key: t for t in db.session.scalars(select(PathwayTemplate))}
    if "anxiety" not in templates or "bti_relay" not in templates:
        raise click.ClickException("the pathway templates are missing: run `flask db upgrade` first")
    ola_pathway = db.session.scalar(select(Pathway).where(Pathway.young_person == ola))
    emma_pathway = db.session.scalar(select(Pathway).where(Pathway.young_person == emma))

    def steps(template) -> list:
        return list(db.session.scalars(select(TemplateStep).where(TemplateStep.template_id == template.id)
                                       .order_by(TemplateStep.position)))

    if ola_pathway.template_id is None:
        anxiety = steps(templates["anxiety"])
        # The step about measures in the municipality ("Tiltak i kommunen"), else the second.
        measures_step = next((s for s in anxiety if "tiltak" in s.name_nb.lower()), anxiety[1])
        ola_pathway.template_id, ola_pathway.step_id = templates["anxiety"].id, measures_step.id
        ola_pathway.bti_level, ola_pathway.bti_level_set_at = 2, now - timedelta(days=30)
    if emma_pathway.template_id is None:
        emma_pathway.template_id = templates["bti_relay"].id
        emma_pathway.step_id = steps(templates["bti_relay"])[0].id
        emma_pathway.bti_level, emma_pathway.bti_level_set_at = 1, now - timedelta(days=10)

    if db.session.scalar(select(Goal.id).where(Goal.pathway_id == ola_pathway.id).limit(1)):
        return
    said = {s.text: s for s in db.session.scalars(select(Statement).where(Statement.author_id == ola_user.id))}
    sleep = Goal(pathway_id=ola_pathway.id, text="Ola søv godt nok til å orke skuledagen", created_by=kari,
                 created_at=now - timedelta(days=20))
    school = Goal(pathway_id=ola_pathway.id, text="Ola gruar seg mindre til skulen", created_by=kari,
                  created_at=now - timedelta(days=20))
    db.session.add_all([sleep, school])
    db.session.flush()
    from pathways.models import goal_statements

    linked = said.get("Eg søv dårleg og gruar meg til skulen")
    if linked is not None:
        db.session.execute(goal_statements.insert(), [{"goal_id": sleep.id, "statement_id": linked.id},
                                                      {"goal_id": school.id, "statement_id": linked.id}])
    db.session.add_all([
        Measure(pathway_id=ola_pathway.id, goal_id=sleep.id, what="Søvndagbok i to veker, gå gjennom den saman",
                responsible_id=kari.id, deadline=today + timedelta(days=10), created_by_id=kari.id,
                created_at=now - timedelta(days=20)),
        Measure(pathway_id=ola_pathway.id, goal_id=sleep.id, what="Samtale med helsesjukepleiaren om søvn og skjerm",
                responsible_id=per.id, deadline=today - timedelta(days=3), created_by_id=kari.id,
                created_at=now - timedelta(days=20)),
        Measure(pathway_id=ola_pathway.id, goal_id=school.id, what="Avtale med kontaktlæraren om gymtimane",
                responsible_id=per.id, deadline=today + timedelta(days=20), created_by_id=kari.id,
                created_at=now - timedelta(days=20)),
    ])
    added["goals"] += 2


def _at_oslo(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=OSLO).astimezone(timezone.utc)


def _voice(added, today, ola, emma, ola_user, emma_user, mother, kari, per) -> None:
    """What Ola, his mother and Emma have said, Ola's last and next meetings, and their preparations."""
    from pathways.models import Agreement, InputKind, Meeting, MeetingInvitee, MeetingKind, Pathway
    from youth.models import (
        Participation, Preparation, PreparationVersion, Prompt, Sharing, Statement, StatementVersion,
        VisibilityChange, VisibilityKind,
    )

    added.setdefault("statements", 0)
    added.setdefault("meetings", 0)
    ola_pathway = db.session.scalar(select(Pathway).where(Pathway.young_person == ola))
    emma_pathway = db.session.scalar(select(Pathway).where(Pathway.young_person == emma))
    now = utcnow()

    def statements(pathway, author, entries):
        if db.session.scalar(select(Statement.id).where(Statement.author_id == author.id).limit(1)):
            return
        for prompt, text, sharing, not_for_parents in entries:
            statement = Statement(pathway=pathway, author=author, author_role=author.role, prompt=prompt,
                                  text=text, sharing=sharing, not_for_parents=not_for_parents,
                                  created_at=now, updated_at=now)
            db.session.add(statement)
            db.session.flush()
            db.session.add_all([
                StatementVersion(statement_id=statement.id, revision=1, prompt=prompt, text=text, sharing=sharing,
                                 not_for_parents=not_for_parents, saved_at=now, saved_by_id=author.id),
                VisibilityChange(item_kind=InputKind.STATEMENT, item_id=statement.id, kind=VisibilityKind.SHARING,
                                 sharing=sharing, not_for_parents=not_for_parents, by_id=author.id, at=now),
            ])
            added["statements"] += 1

    statements(ola_pathway, ola_user, [
        (Prompt.GOES_WELL, "Eg likar å spele fotball med vennene mine", Sharing.FAMILY, False),
        (Prompt.HARD, "Eg søv dårleg og gruar meg til skulen", Sharing.FAMILY, False),
        (Prompt.KNOW_ABOUT_ME, "Eg har kjærast, men det vil eg ikkje at foreldra mine skal vite", Sharing.TEAM, True),
    ])
    statements(emma_pathway, emma_user, [
        (Prompt.GOES_WELL, "Eg har ei god venninne i klassen", Sharing.TEAM, False),
        (Prompt.WISH, "Eg ønskjer at friminutta ikkje var så lange", Sharing.TEAM, False),
    ])

    if db.session.scalar(select(Meeting.id).where(Meeting.pathway_id == ola_pathway.id).limit(1)):
        return

    def meeting(kind, day, place, purpose):
        found = Meeting(pathway=ola_pathway, kind=kind, starts_at=_at_oslo(day, 14),
                        ends_at=_at_oslo(day, 15), place=place, video=False, purpose=purpose,
                        young_person_invited=True, parents_invited=True, created_by=kari, created_at=now)
        found.invitees = [MeetingInvitee(user=kari), MeetingInvitee(user=per)]
        db.session.add(found)
        added["meetings"] += 1
        return found

    last = meeting(MeetingKind.CONVERSATION, today - timedelta(days=14), "BUP Molde, samtalerom 1",
                   "Bli kjende og høyre korleis Ola har det")
    last.held_at = _at_oslo(today - timedelta(days=14), 15)
    db.session.flush()
    db.session.add_all([
        Agreement(meeting_id=last.id, pathway_id=ola_pathway.id, what="Ola skriv ned kva tid han legg seg kvar kveld",
                  who="Ola", due_on=today + timedelta(days=7), created_by=kari, created_at=last.ends_at),
        Agreement(meeting_id=last.id, pathway_id=ola_pathway.id,
                  what="Per snakkar med kontaktlæraren om kva som er vanskeleg på skulen", who="Per Hansen",
                  due_on=today + timedelta(days=5), created_by=kari, created_at=last.ends_at),
    ])
    care_team = meeting(MeetingKind.CARE_TEAM, today + timedelta(days=7), "Averøy ungdomsskule, møterom 2",
                        "Sjå på korleis skuledagen kan bli lettare for Ola")
    db.session.flush()

    def preparation(author, sharing, not_for_parents=False, **answers):
        prep = Preparation(meeting_id=care_team.id, pathway_id=ola_pathway.id, author=author,
                           author_role=author.role, sharing=sharing, not_for_parents=not_for_parents,
                           created_at=now, updated_at=now, **answers)
        db.session.add(prep)
        db.session.flush()
        db.session.add_all([
            PreparationVersion(preparation_id=prep.id, revision=1, content=prep.content(), sharing=sharing,
                               not_for_parents=not_for_parents, saved_at=now, saved_by_id=author.id),
            VisibilityChange(item_kind=InputKind.PREPARATION, item_id=prep.id, kind=VisibilityKind.SHARING,
                             sharing=sharing, not_for_parents=not_for_parents, by_id=author.id, at=now),
        ])

    # What happened in the summer is for the team, not for his mother.
    preparation(ola_user, Sharing.TEAM, not_for_parents=True, talk_about="skulen og søvn", not_while_present="det som skjedde i sommar",
                want_there="Mamma og Per", participation=Participation.PART, needs="Ein pause midt i møtet",
                questions="Kan eg sleppe gymtimane ei stund?", hopes="At eg får sove betre")
    preparation(mother, Sharing.TEAM, talk_about="Korleis vi kan hjelpe Ola med å sove betre",
                questions="Kven kan vi ringje om det blir verre?", hopes="Ein plan som skulen og heimen følgjer saman")


@click.command("demo-data")
@with_appcontext
def demo_data_command() -> None:
    """Load the demo people and pathways; safe to run again."""
    if current_app.config["STEMME_ENV"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    added = load_demo_data()
    click.echo("demo data: " + ", ".join(f"{n} {what} added" for what, n in added.items()))
