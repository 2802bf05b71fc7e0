"""`flask demo-data`: the demo people and pathways, loaded once however often it runs."""
from datetime import date

from sqlalchemy import func, select

from accounts.models import ParentLink, Role, Service, User, YoungPerson
from demo import DEMO_LOGINS
from core.extensions import db
from pathways.models import Pathway
from tests.conftest import login
from tests.helpers import count

HOMES = {Role.PROFESSIONAL: "/pathways/", Role.YOUNG_PERSON: "/me", Role.PARENT: "/family", Role.ADMIN: "/admin"}


def load(runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    return result


def by_login(name):
    return db.session.scalar(select(User).where((User.email == name) | (User.username == name)))


def pathway_of(username):
    return db.session.scalar(select(Pathway).join(YoungPerson).join(User, YoungPerson.user_id == User.id)
                             .where(User.username == username))


def test_demo_data_has_the_people_and_pathways(app, runner):
    """The demo has three services, the professionals, the admin, Ola (15), Emma (11) and Ola's mother."""
    load(runner)
    with app.app_context():
        services = set(db.session.scalars(select(Service.name)))
        assert services == {"BUP Molde", "Helsestasjon for ungdom Averøy", "PPT Averøy"}
        kari, per, lise = (by_login(f"{n}@{s}.demo") for n, s in (("kari", "bup"), ("per", "helse"), ("lise", "ppt")))
        assert [u.role for u in (kari, per, lise)] == [Role.PROFESSIONAL] * 3
        assert [s.name for s in kari.services] == ["BUP Molde"]
        assert by_login("admin@stemme.demo").role == Role.ADMIN

        today = date.today()
        ola, emma = pathway_of("ola"), pathway_of("emma")
        assert ola.young_person.age_on(today) == 15
        assert emma.young_person.age_on(today) == 11
        assert ola.coordinator_id == kari.id
        assert {m.user_id for m in ola.members} == {kari.id, per.id}
        assert emma.coordinator_id == per.id
        assert {m.user_id for m in emma.members} == {per.id}

        mother = by_login("mor.ola")
        assert mother.role == Role.PARENT
        link = db.session.scalar(select(ParentLink).where(ParentLink.user_id == mother.id))
        assert link.young_person_id == ola.young_person_id
        assert link.parental_responsibility is True


def test_demo_data_twice_adds_nothing(app, runner):
    """Running `flask demo-data` again leaves every table as it was."""
    load(runner)
    tables = db.metadata.sorted_tables
    with app.app_context():
        before = {t.name: db.session.execute(select(func.count()).select_from(t)).scalar() for t in tables}
    second = load(runner)
    with app.app_context():
        after = {t.name: db.session.execute(select(func.count()).select_from(t)).scalar() for t in tables}
    assert after == before
    assert before["users"] == 7 + 1 + 20  # the cast, Nora Vik, and the generated young people
    assert "0 users added" in second.output
    assert count(app, Pathway) == 2 + 20


def test_every_demo_user_logs_in_with_the_demo_password(app, runner):
    """Every login listed on the demo login page works with «demo-passord» and lands on its home."""
    load(runner)
    for name, _who in DEMO_LOGINS:
        with app.app_context():
            role = by_login(name).role
        response = login(app.test_client(), name, "demo-passord")
        assert response.headers["Location"] == HOMES[role], name


def test_demo_data_has_what_ola_emma_and_mor_ola_said(app, runner):
    """Ola's three statements (one not for his parents), Emma's two, and the care team meeting in a
    week that Ola and his mother have prepared; Ola's last meeting has two agreements."""
    from datetime import timedelta

    from core.models import OSLO
    from pathways.models import Agreement, Meeting, MeetingKind
    from youth.models import Participation, Preparation, Sharing, Statement

    load(runner)
    with app.app_context():
        ola, emma, mother = by_login("ola"), by_login("emma"), by_login("mor.ola")
        said = {s.text: s.sharing for s in db.session.scalars(
            select(Statement).where(Statement.author_id == ola.id))}
        assert said == {  # Ola is 15: "my team and my parents", and "my team, not my parents"
            "Eg likar å spele fotball med vennene mine": Sharing.FAMILY,
            "Eg søv dårleg og gruar meg til skulen": Sharing.FAMILY,
            "Eg har kjærast, men det vil eg ikkje at foreldra mine skal vite": Sharing.TEAM,
        }
        assert ola.last_sharing == "team"  # his next statement starts the way he last chose
        emmas = list(db.session.scalars(select(Statement).where(Statement.author_id == emma.id)))
        # Emma is 11: "my team (and my parents)"
        assert len(emmas) == 2 and all(s.sharing == Sharing.FAMILY for s in emmas)

        care_team = db.session.scalar(select(Meeting).where(Meeting.kind == MeetingKind.CARE_TEAM))
        assert care_team.pathway_id == pathway_of("ola").id
        assert care_team.starts_at.astimezone(OSLO).date() == date.today() + timedelta(days=7)
        preps = {p.author_id: p for p in db.session.scalars(
            select(Preparation).where(Preparation.meeting_id == care_team.id))}
        assert set(preps) == {ola.id, mother.id}
        assert preps[ola.id].talk_about == "skulen og søvn"
        assert preps[ola.id].not_while_present == "det som skjedde i sommar"
        assert preps[ola.id].participation == Participation.PART
        assert count(app, Agreement) == 2


def test_demo_data_has_the_relay_logs(app, runner):
    """Ola's pathway: anxiety template, the measures step, BTI level 2, two goals, three measures of
    which Per's is overdue. Emma's: the BTI relay log at level 1."""
    from core.models import today_in_oslo
    from pathways.models import Goal, Measure

    load(runner)
    with app.app_context():
        ola, emma = pathway_of("ola"), pathway_of("emma")
        assert ola.template.key == "anxiety" and ola.bti_level == 2
        assert "tiltak" in ola.step.name_nb.lower()
        assert emma.template.key == "bti_relay" and emma.bti_level == 1
        assert len(db.session.scalars(select(Goal).where(Goal.pathway_id == ola.id)).all()) == 2
        measures = db.session.scalars(select(Measure).where(Measure.pathway_id == ola.id)).all()
        assert len(measures) == 3
        overdue = [m for m in measures if m.deadline < today_in_oslo()]
        assert [m.responsible_id for m in overdue] == [by_login("per@helse.demo").id]


def test_demo_data_has_feedback(app, runner):
    """Ola's and his mother's ratings of two held meetings, one low from Ola that alerts Kari; a meeting
    Ola has not rated yet; enough anonymous answers for BUP Molde's report and too few for PPT Averøy's."""
    from feedback.models import AlertReason, FeedbackAlert, FeedbackRequest, FeedbackResponse, ResponseSharing
    from feedback.report_services import MIN_ANSWERS

    load(runner)
    with app.app_context():
        ola, mother = by_login("ola"), by_login("mor.ola")
        ola_pathway = pathway_of("ola")
        answered = db.session.execute(
            select(FeedbackRequest.user_id, FeedbackResponse.sharing).join(FeedbackResponse)
            .where(FeedbackRequest.pathway_id == ola_pathway.id)).all()
        assert sorted(answered) == sorted([(ola.id, ResponseSharing.TEAM)] * 2 + [(mother.id, ResponseSharing.TEAM)] * 2)
        alerts = db.session.scalars(select(FeedbackAlert)).all()
        assert [(a.pathway_id, a.reason, a.seen_at) for a in alerts] == [(ola_pathway.id, AlertReason.LOW, None)]
        open_for_ola = db.session.scalars(
            select(FeedbackRequest).outerjoin(FeedbackResponse)
            .where(FeedbackRequest.user_id == ola.id, FeedbackResponse.id.is_(None))).all()
        assert len(open_for_ola) == 1

        def responses(service_name):
            return db.session.scalar(
                select(func.count(FeedbackResponse.id)).join(FeedbackRequest).join(Service)
                .where(Service.name == service_name))

        assert responses("BUP Molde") >= 6 * MIN_ANSWERS
        assert 0 < responses("PPT Averøy") < MIN_ANSWERS
