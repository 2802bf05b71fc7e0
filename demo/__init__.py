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
# The second factor of each demo login that needs one, already set up: made-up keys, shown on the
# demo's login page so that anyone trying the demo (and any script) can make the codes. Never real.
DEMO_TOTP_SECRETS = {
    "kari@bup.demo": "KARIDEMOKARIDEMOKARIDEMOKARIDEMO",
    "per@helse.demo": "PERXDEMOPERXDEMOPERXDEMOPERXDEMO",
    "lise@ppt.demo": "LISEDEMOLISEDEMOLISEDEMOLISEDEMO",
    "admin@stemme.demo": "ADMNDEMOADMNDEMOADMNDEMOADMNDEMO",
}

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


MOTHER_EMAIL = "randi.nordvik@example.no"  # Ola's mother's confirmed address (Ola has none)


def _email_contacts(people) -> None:
    """Confirmed e-mail addresses for (user, address): the demo's professionals and Ola's mother can get
    notices and reset their password by e-mail."""
    from notices.models import Channel, Contact

    for person, address in people:
        if db.session.scalar(select(Contact.id).where(Contact.user_id == person.id,
                                                      Contact.channel == Channel.EMAIL)) is None:
            db.session.add(Contact(user_id=person.id, channel=Channel.EMAIL, address=address, confirmed_at=utcnow()))


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
    admin = user(Role.ADMIN, ADMIN[1], email=ADMIN[0])
    for found in (*pros.values(), admin):
        if found.totp_secret is None:  # after an admin's reset, loading the demo again brings it back
            found.totp_secret = DEMO_TOTP_SECRETS[found.email]
    ola_user = user(Role.YOUNG_PERSON, "Ola Nordvik", username="ola")
    emma_user = user(Role.YOUNG_PERSON, "Emma Lie", username="emma")
    mother = user(Role.PARENT, "Randi Nordvik", username="mor.ola")
    db.session.flush()
    _email_contacts([(pro, pro.email) for pro in pros.values()] + [(mother, MOTHER_EMAIL)])

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
    db.session.flush()
    _feedback(added, today, ola, ola_user, mother, pros["kari@bup.demo"], pros["per@helse.demo"], password_hash)
    _visit(today, ola, pros["kari@bup.demo"])
    db.session.commit()
    return added


def _visit(today, ola, kari) -> None:
    """Kari last opened Ola's pathway a week ago, so her worklist and his pathway page show what came since."""
    from pathways.models import Pathway, PathwayVisit

    pathway = db.session.scalar(select(Pathway).where(Pathway.young_person == ola))
    if db.session.get(PathwayVisit, (pathway.id, kari.id)) is None:
        db.session.add(PathwayVisit(pathway_id=pathway.id, user_id=kari.id,
                                    seen_at=datetime.combine(today - timedelta(days=7), time(15), tzinfo=OSLO)))


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
        for prompt, text, sharing in entries:
            statement = Statement(pathway=pathway, author=author, author_role=author.role, prompt=prompt,
                                  text=text, sharing=sharing, created_at=now, updated_at=now)
            db.session.add(statement)
            db.session.flush()
            db.session.add_all([
                StatementVersion(statement_id=statement.id, revision=1, prompt=prompt, text=text, sharing=sharing,
                                 saved_at=now, saved_by_id=author.id),
                VisibilityChange(item_kind=InputKind.STATEMENT, item_id=statement.id, kind=VisibilityKind.SHARING,
                                 sharing=sharing, by_id=author.id, at=now),
            ])
            added["statements"] += 1
        author.last_sharing = sharing.value

    statements(ola_pathway, ola_user, [
        (Prompt.GOES_WELL, "Eg likar å spele fotball med vennene mine", Sharing.FAMILY),
        (Prompt.HARD, "Eg søv dårleg og gruar meg til skulen", Sharing.FAMILY),
        # "My team, not my parents" (Ola is 15).
        (Prompt.KNOW_ABOUT_ME, "Eg har kjærast, men det vil eg ikkje at foreldra mine skal vite", Sharing.TEAM),
    ])
    statements(emma_pathway, emma_user, [  # Emma is 11: "my team (and my parents)"
        (Prompt.GOES_WELL, "Eg har ei god venninne i klassen", Sharing.FAMILY),
        (Prompt.WISH, "Eg ønskjer at friminutta ikkje var så lange", Sharing.FAMILY),
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

    def preparation(author, sharing, **answers):
        prep = Preparation(meeting_id=care_team.id, pathway_id=ola_pathway.id, author=author,
                           author_role=author.role, sharing=sharing, created_at=now, updated_at=now, **answers)
        db.session.add(prep)
        db.session.flush()
        db.session.add_all([
            PreparationVersion(preparation_id=prep.id, revision=1, content=prep.content(), sharing=sharing,
                               saved_at=now, saved_by_id=author.id),
            VisibilityChange(item_kind=InputKind.PREPARATION, item_id=prep.id, kind=VisibilityKind.SHARING,
                             sharing=sharing, by_id=author.id, at=now),
        ])

    # What happened in the summer is for the team, not for his mother.
    preparation(ola_user, Sharing.TEAM, talk_about="skulen og søvn", not_while_present="det som skjedde i sommar",
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


# Generated young people of BUP Molde (and three seen by PPT Averøy) whose anonymous ratings fill the
# services' reports: BUP Molde's shows figures, PPT Averøy's too few to show.
GENERATED_FIRST_NAMES = [
    "Amir", "Ida", "Jonas", "Sofie", "Elias", "Nora", "Lukas", "Ingrid", "Filip", "Maja",
    "Oskar", "Thea", "Henrik", "Selma", "Mats", "Hedda", "Sander", "Vilde", "Aksel", "Tiril",
]
GENERATED_COORDINATOR = ("nora@bup.demo", "Nora Vik", "BUP Molde")
PPT_GENERATED = 3  # the first three also met PPT Averøy: fewer than five answers for its report
PUBLICATION = ("BUP Molde", "Mange av dykk sa at møta var for lange og at de ikkje visste kva som skulle skje "
               "etterpå. No varer møta høgst 45 minutt, og du får ein lapp med kva vi vart einige om.")


def _feedback(added, today, ola, ola_user, mother, kari, per, password_hash) -> None:
    """Ola's and his mother's ratings of his two held meetings (one low from Ola: the alert Kari
    sees), a meeting held two days ago that Ola has not rated yet, the generated families' anonymous
    ratings, BUP Molde's questionnaire every three months and its "you said, we did"."""
    import random

    from feedback import services as feedback
    from feedback.models import (
        FeedbackAnswer, FeedbackRequest, FeedbackResponse, RequestReason, ResponseSharing, ServiceFeedbackSettings,
        ServicePublication,
    )
    from pathways.models import Meeting, MeetingInvitee, MeetingKind, Pathway, TeamMember
    from youth.models import Preparation, Sharing

    if db.session.scalar(select(FeedbackRequest.id).limit(1)) is not None:
        return
    added.setdefault("feedback responses", 0)
    version = feedback.current_version(feedback.MEETING_SET)
    scale_items = [item for item in version.items if item.scale is not None]
    text_item = next(item for item in version.items if item.scale is None)
    services = {s.name: s for s in db.session.scalars(select(Service))}
    ola_pathway = db.session.scalar(select(Pathway).where(Pathway.young_person == ola))

    def held_meeting(pathway, organiser, days_ago, kind=MeetingKind.CONVERSATION, purpose="Korleis går det no?"):
        day = today - timedelta(days=days_ago)
        meeting = Meeting(pathway=pathway, kind=kind, starts_at=_at_oslo(day, 10), ends_at=_at_oslo(day, 11),
                          place=f"{organiser.services[0].name}, samtalerom", video=False, purpose=purpose,
                          young_person_invited=True, parents_invited=True, created_by=organiser,
                          created_at=_at_oslo(day - timedelta(days=10), 9), held_at=_at_oslo(day, 11))
        meeting.invitees = [MeetingInvitee(user=organiser)]
        db.session.add(meeting)
        added["meetings"] = added.get("meetings", 0) + 1
        return meeting

    def rate(meeting, user, values, text=None, sharing=ResponseSharing.TEAM, quote=False, service=None):
        asked = meeting.held_at
        request = FeedbackRequest(
            reason=RequestReason.MEETING, set_id=version.set_id, pathway=meeting.pathway, user=user, meeting=meeting,
            service=service or services["BUP Molde"], created_at=asked, month=feedback.month_of(asked),
            closes_at=asked + timedelta(days=feedback.ANSWER_DAYS))
        db.session.add(request)
        if values is None:  # asked, not answered
            return request
        answered = asked + timedelta(hours=3)
        response = FeedbackResponse(request=request, version_id=version.id, sharing=sharing, quote_allowed=quote,
                                    submitted_at=answered, updated_at=answered)
        response.answers = [FeedbackAnswer(item_id=item.id, value=value) for item, value in zip(scale_items, values)]
        if text:
            response.answers.append(FeedbackAnswer(item_id=text_item.id, text=text))
        db.session.add(response)
        db.session.flush()
        feedback.update_alert(response)
        added["feedback responses"] += 1
        return request

    # Ola's pathway: a first conversation four weeks ago, then the one two weeks ago (already in the
    # demo, with agreements), then one two days ago that he prepared and has not rated yet.
    first = held_meeting(ola_pathway, kari, 28, purpose="Første samtale: kva er viktig for Ola")
    db.session.flush()
    rate(first, ola_user, [4, 4, 4, 4, 4])
    rate(first, mother, [5, 4, 4, 4, 5])
    last = db.session.scalar(select(Meeting).where(Meeting.pathway_id == ola_pathway.id,
                                                   Meeting.held_at.is_not(None), Meeting.id != first.id)
                             .order_by(Meeting.starts_at.desc()))
    rate(last, ola_user, [3, 1, 3, 3, 2], text="Vi snakka nesten ikkje om skulen, og det var det eg ville.")
    rate(last, mother, [4, 4, 5, 4, 4])
    recent = held_meeting(ola_pathway, per, 2, kind=MeetingKind.EVALUATION,
                          purpose="Korleis har det gått med søvnen sidan sist?")
    db.session.flush()
    now = utcnow()
    db.session.add(Preparation(meeting_id=recent.id, pathway_id=ola_pathway.id, author=ola_user,
                               author_role=ola_user.role, sharing=Sharing.FAMILY,
                               talk_about="Søvnen\nGymtimane\nKven eg kan snakke med på skulen",
                               created_at=now, updated_at=now))
    rate(recent, ola_user, None)
    rate(recent, mother, None)

    # The generated families, with their anonymous ratings over the last six months.
    nora = db.session.scalar(select(User).where(User.email == GENERATED_COORDINATOR[0]))
    if nora is None:
        nora = User(role=Role.PROFESSIONAL, name=GENERATED_COORDINATOR[1], email=GENERATED_COORDINATOR[0],
                    password_hash=password_hash, services=[services[GENERATED_COORDINATOR[2]]])
        db.session.add(nora)
        added["users"] += 1
    lise = db.session.scalar(select(User).where(User.email == "lise@ppt.demo"))
    chance = random.Random(2026)  # the same demo every time
    comments = ["Det var fint at eg fekk seie det eg ville.", "Møtet var for langt.",
                "Eg skulle ønskje vi snakka meir om skulen.", "Dei lytta verkeleg til meg."]
    for number, first_name in enumerate(GENERATED_FIRST_NAMES):
        person_user = User(role=Role.YOUNG_PERSON, name=f"{first_name} Demo", username=f"ung{number + 1:02d}",
                           password_hash=password_hash)
        person = YoungPerson(name=person_user.name, birth_date=birth_date_for_age(12 + number % 6, today),
                             user=person_user)
        pathway = Pathway(young_person=person, title="Samtalar i BUP", coordinator=nora)
        pathway.members = [TeamMember(user=nora, added_by_id=nora.id)]
        if number < PPT_GENERATED:
            pathway.members.append(TeamMember(user=lise, added_by_id=nora.id))
        db.session.add_all([person_user, person, pathway])
        added["users"] += 1
        added["pathways"] += 1
        for days_ago in (chance.randint(20, 180), chance.randint(20, 180)):
            meeting = held_meeting(pathway, nora, days_ago)
            db.session.flush()
            if chance.random() < 0.2:
                rate(meeting, person_user, None)
                continue
            base = chance.choice([3, 4, 4, 5])
            values = [max(1, min(5, base + chance.choice([-1, 0, 0, 1]))) for _ in scale_items]
            text = chance.choice(comments) if chance.random() < 0.3 else None
            rate(meeting, person_user, values, text=text, sharing=ResponseSharing.ANONYMOUS, quote=text is not None)
        if number < PPT_GENERATED:
            meeting = held_meeting(pathway, lise, chance.randint(20, 60))
            db.session.flush()
            rate(meeting, person_user, [4, 3, 4, 4, 4], sharing=ResponseSharing.ANONYMOUS,
                 service=services["PPT Averøy"])

    db.session.add(ServiceFeedbackSettings(service_id=services["BUP Molde"].id, questionnaire_every_months=3))
    db.session.add(ServicePublication(service=services[PUBLICATION[0]], text=PUBLICATION[1], author=kari,
                                      published_at=_at_oslo(today - timedelta(days=20), 12)))
