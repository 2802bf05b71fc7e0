"""The worklist: the meetings coming up across the professional's pathways, with whether the young
person and parents have prepared, and the agreement points the family asked about or disagreed with."""
from datetime import date, timedelta

from sqlalchemy import select

from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
from core.models import utcnow
from pathways.models import MEETING_KINDS, AccessLog, Meeting, MeetingKind, Pathway, TeamMember
from tests.conftest import post
from tests.helpers import counting_queries, page, sign_in, translated
from tests.pathways import reading_data as data


def coming_up(client):
    response = client.get("/pathways/")
    assert response.status_code == 200
    return page(response).by_id("coming-up-heading").parent


def status(app, name, label):
    return translated(app, "%(name)s: %(status)s", name=name, status=translated(app, label))


def test_karis_worklist_shows_olas_care_team_meeting_in_the_demo_with_both_prepared(app, client, runner):
    """The demo: the care team meeting in 7 days, Ola and his mother both prepared (shared with the team)."""
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    with app.app_context():
        kari = db.session.scalar(select(User).where(User.email == "kari@bup.demo"))
        mother = db.session.scalar(select(User).where(User.username == "mor.ola"))
        ola = db.session.scalar(select(YoungPerson).join(User, YoungPerson.user_id == User.id)
                                .where(User.username == "ola"))
        care_team = db.session.scalar(select(Meeting).where(Meeting.kind == MeetingKind.CARE_TEAM,
                                                            Meeting.starts_at > utcnow()))
        kari_id, mother_name, ola_name = kari.id, mother.name, ola.name
        link = f"/pathways/{care_team.pathway_id}/meetings/{care_team.id}"
    sign_in(client, kari_id)
    section = coming_up(client)
    text = section.text()
    assert translated(app, MEETING_KINDS[MeetingKind.CARE_TEAM]) in text
    assert "Averøy ungdomsskule, møterom 2" in text
    assert status(app, ola_name, "prepared") in text
    assert status(app, mother_name, "prepared") in text
    assert link in [a.get("href") for a in section.find_all("a")]


def test_coming_up_is_the_next_14_days_of_my_own_pathways_soonest_first(app, cast):
    """A meeting in 20 days, a past one, and one on a pathway Kari is not on are not shown."""
    now = utcnow()
    later = data.meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=10), place="Rom ti dagar")
    sooner = data.meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=2), place="Rom to dagar")
    data.meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=20), place="Rom tjue dagar")
    data.meeting(app, cast.pathway_a, cast.kari, now - timedelta(days=1), place="Rom i går")
    data.meeting(app, cast.pathway_b, cast.lise, now + timedelta(days=3), place="Lise sitt rom")
    client = app.test_client()
    sign_in(client, cast.kari)
    section = coming_up(client)
    text = section.text()
    assert "Rom tjue dagar" not in text and "Rom i går" not in text and "Lise sitt rom" not in text
    assert text.index("Rom to dagar") < text.index("Rom ti dagar")
    links = [a.get("href") for a in section.find_all("a")]
    assert links == [f"/pathways/{cast.pathway_a}/meetings/{sooner}", f"/pathways/{cast.pathway_a}/meetings/{later}"]
    # Lise sees her own meeting and not Kari's.
    lise = app.test_client()
    sign_in(lise, cast.lise)
    assert "Lise sitt rom" in coming_up(lise).text() and "Rom to dagar" not in coming_up(lise).text()


def test_prepared_started_and_not_yet(app, cast):
    """Shared with the team and written in: prepared; kept "only for me" (or empty): started; none: not yet."""
    now = utcnow()
    one = data.meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=1), place="Første")
    data.preparation(app, one, cast.pathway_a, cast.ola, talk_about="Skulen")
    data.preparation(app, one, cast.pathway_a, cast.mother_a, role=Role.PARENT, sharing=data.Sharing.PRIVATE,
                     talk_about="Berre for meg")
    client = app.test_client()
    sign_in(client, cast.kari)
    text = coming_up(client).text()
    assert status(app, "Ola Nordvik", "prepared") in text
    assert status(app, "Randi Nordvik", "started") in text
    assert "Berre for meg" not in text and "Skulen" not in text  # whether, never what
    two = data.meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=2), place="Andre",
                       parents_invited=False)
    section = coming_up(client)
    item = next(li for li in section.find_all("li", class_="coming-meeting") if "Andre" in li.text())
    assert status(app, "Ola Nordvik", "not yet") in item.text()
    assert "Randi Nordvik" not in item.text()  # the parents are not invited to this one
    assert two


def test_a_question_about_an_agreement_is_shown_to_answer_linked_and_not_logged(app, cast):
    """After Ola answers a point with a question, Kari's worklist shows it (without his words, so nothing
    is logged), linked to the point on the agreements page; once she has read it there, it is gone."""
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, utcnow() - timedelta(days=3))
    point = data.agreement(app, meeting_id, cast.pathway_a, cast.kari, "Ola skriv ned når han legg seg")
    ola = app.test_client()
    sign_in(ola, cast.ola)
    answered = post(ola, f"/my/agreements/{point}/answer", {"answer": "question", "question": "Kvifor det?"})
    assert answered.status_code in (200, 303)
    kari = app.test_client()
    sign_in(kari, cast.kari)
    with app.app_context():
        logged_before = db.session.query(AccessLog).count()
    body = page(kari.get("/pathways/")).by_id("main")
    link = f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements#agreement-{point}"
    to_answer = [a for a in body.find_all("a") if a.get("href") == link]
    assert len(to_answer) == 1
    assert translated(app, "%(name)s asked a question about an agreement", name="Ola Nordvik") in to_answer[0].text()
    assert "Kvifor det?" not in body.text()
    with app.app_context():
        assert db.session.query(AccessLog).count() == logged_before
    # Per, on the team too, sees it; Lise (not on the team) does not.
    per = app.test_client()
    sign_in(per, cast.per)
    assert link in per.get("/pathways/").get_data(as_text=True)
    lise = app.test_client()
    sign_in(lise, cast.lise)
    assert link not in lise.get("/pathways/").get_data(as_text=True)
    # Kari reads it on the agreements page (logged there): no longer waiting on her worklist; Per's stays.
    assert kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements").status_code == 200
    assert link not in kari.get("/pathways/").get_data(as_text=True)
    assert link in per.get("/pathways/").get_data(as_text=True)


def test_an_answer_i_agree_is_not_to_answer_and_disagreeing_is(app, cast):
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, utcnow() - timedelta(days=3))
    data.agreement(app, meeting_id, cast.pathway_a, cast.kari, "Eitt",
                   answers=[(cast.ola, data.AnswerKind.AGREE, None)])
    data.agreement(app, meeting_id, cast.pathway_a, cast.kari, "To",
                   answers=[(cast.mother_a, data.AnswerKind.DISAGREE, None)])
    client = app.test_client()
    sign_in(client, cast.kari)
    text = page(client.get("/pathways/")).by_id("main").text()
    assert translated(app, "%(name)s does not agree with an agreement", name="Randi Nordvik") in text
    assert translated(app, "%(name)s asked a question about an agreement", name="Ola Nordvik") not in text


def _pathways(app, cast, count: int, *, meetings_each: int) -> None:
    """`count` more pathways on Kari's team, each with a parent, meetings coming up with preparations,
    and an agreement answered with a question."""
    now = utcnow()
    with app.app_context():
        ids = []
        for n in range(count):
            person = YoungPerson(name=f"Ung {n}", birth_date=date(2012, 1, 1))
            parent = User(role=Role.PARENT, name=f"Forelder {n}", username=f"forelder{n}-{count}", password_hash="x")
            pathway = Pathway(young_person=person, title=f"Forløp {n}", coordinator_id=cast.kari)
            pathway.members = [TeamMember(user_id=cast.kari, added_by_id=cast.kari)]
            db.session.add_all([person, parent, pathway])
            db.session.flush()
            db.session.add(ParentLink(young_person_id=person.id, user_id=parent.id, parental_responsibility=True))
            ids.append((pathway.id, parent.id))
        db.session.commit()
    for pathway_id, parent_id in ids:
        for m in range(meetings_each):
            meeting_id = data.meeting(app, pathway_id, cast.kari, now + timedelta(days=1 + m, hours=pathway_id))
            data.preparation(app, meeting_id, pathway_id, parent_id, role=Role.PARENT, talk_about="Noko")
        past = data.meeting(app, pathway_id, cast.kari, now - timedelta(days=5))
        data.agreement(app, past, pathway_id, cast.kari, "Avtale",
                       answers=[(parent_id, data.AnswerKind.QUESTION, "Kvifor?")])


def _count(app, user_id) -> tuple[int, str]:
    client = app.test_client()
    sign_in(client, user_id)
    assert client.get("/pathways/").status_code == 200
    with counting_queries(app) as statements:
        response = client.get("/pathways/")
        assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_the_worklist_runs_a_fixed_number_of_queries_with_many_pathways_and_meetings(app, cast):
    _pathways(app, cast, 2, meetings_each=1)
    small, _ = _count(app, cast.kari)
    _pathways(app, cast, 40, meetings_each=3)
    large, body = _count(app, cast.kari)
    assert small == large
    assert body.count('class="coming-meeting"') == 2 + 40 * 3
    text = page_text(body)
    assert all(translated(app, "%(name)s asked a question about an agreement", name=f"Forelder {n}") in text
               for n in range(40))


def page_text(body: str) -> str:
    from tests.helpers import parse

    return parse(body).text()
