"""The worklist: the meetings coming up across the professional's pathways, with whether the young
person and parents have prepared (the first ten, the rest on their own pages), the overdue measures
(likewise), and the agreement points the family asked about or disagreed with."""
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from access.log import log_reads
from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from feedback import services as feedback_services
from feedback.models import FeedbackRequest, ResponseSharing
from pathways.models import (
    MEETING_KINDS, AccessLog, Agreement, AgreementAnswer, AnswerKind, Goal, InputKind, Measure, Meeting, MeetingKind,
    Pathway, PathwayVisit, TeamMember,
)
from pathways.relay_services import OVERDUE_SHOWN
from pathways.worklist_services import COMING_UP_SHOWN, PAGE_SIZE
from tests.conftest import HTMX, post
from tests.helpers import counting_queries, page, parse, sign_in, translated
from tests.pathways import reading_data as data
from youth.models import Preparation, Sharing, Statement


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


# --- many pathways: the list is paged, sorted and counted in SQL ----------------------------------

def _caseload(app, cast, count: int, *, inputs: int, start: int = 0) -> list[int]:
    """`count` more pathways on Kari's team (Per coordinates every third), each with a parent, a meeting
    coming up `n` hours from now, and `inputs` statements, preparations and answers to agreements (a
    question among them) from after Kari's visit to each. Written in bulk (one statement per table)."""
    now = utcnow()
    visit, later = now - timedelta(days=3), now - timedelta(days=1)
    with app.app_context():
        ids = []
        for n in range(start, start + count):
            person = YoungPerson(name=f"Ung {n:03d}", birth_date=date(2012, 1, 1))
            parent = User(role=Role.PARENT, name=f"Forelder {n}", username=f"forelder{n}", password_hash="x")
            coordinator = cast.per if n % 3 == 0 else cast.kari
            pathway = Pathway(young_person=person, title=f"Forløp {n}", coordinator_id=coordinator)
            pathway.members = [TeamMember(user_id=cast.kari, added_by_id=coordinator)]
            db.session.add_all([person, parent, pathway])
            db.session.flush()
            db.session.add(ParentLink(young_person_id=person.id, user_id=parent.id, parental_responsibility=True))
            meeting = Meeting(pathway_id=pathway.id, kind=MeetingKind.CARE_TEAM, starts_at=now + timedelta(hours=n + 1),
                              ends_at=now + timedelta(hours=n + 2), place="Rom", purpose="Skulen",
                              created_by_id=coordinator, created_at=visit - timedelta(days=1))
            past = Meeting(pathway_id=pathway.id, kind=MeetingKind.CARE_TEAM, starts_at=visit - timedelta(days=30),
                           ends_at=visit - timedelta(days=30, hours=-1), place="Rom", purpose="Skulen",
                           created_by_id=coordinator, created_at=visit - timedelta(days=40))
            db.session.add_all([meeting, past])
            db.session.flush()
            ids.append((pathway.id, parent.id, meeting.id, past.id))
        db.session.execute(insert(PathwayVisit), [{"pathway_id": p, "user_id": cast.kari, "seen_at": visit}
                                                  for p, *_ in ids])
        if inputs:
            db.session.execute(insert(Statement), [
                {"pathway_id": p, "author_id": parent, "author_role": Role.PARENT, "prompt": data.Prompt.HARD,
                 "text": f"Utsegn {i}", "sharing": Sharing.TEAM, "created_at": later, "updated_at": later}
                for p, parent, *_ in ids for i in range(inputs)])
            db.session.execute(insert(Preparation), [
                {"pathway_id": p, "meeting_id": m, "author_id": parent, "author_role": Role.PARENT,
                 "sharing": Sharing.TEAM, "talk_about": "Noko", "created_at": later, "updated_at": later}
                for p, parent, m, _ in ids])
            db.session.execute(insert(Agreement), [
                {"pathway_id": p, "meeting_id": past, "what": f"Avtale {i}", "who": "Kari", "created_by_id": cast.kari,
                 "created_at": visit - timedelta(days=29)} for p, _, _, past in ids for i in range(inputs)])
            points = db.session.execute(select(Agreement.id, Agreement.pathway_id)
                                        .where(Agreement.pathway_id.in_([p for p, *_ in ids]))).all()
            parents = {p: parent for p, parent, *_ in ids}
            db.session.execute(insert(AgreementAnswer), [
                {"agreement_id": point, "user_id": parents[p], "at": later,
                 "answer": AnswerKind.QUESTION if i % 5 == 0 else AnswerKind.AGREE,
                 "question": "Kvifor?" if i % 5 == 0 else None} for i, (point, p) in enumerate(points)])
        db.session.commit()
    return [p for p, *_ in ids]


def _worklist(app, user_id, query: str = "", **headers):
    client = app.test_client()
    sign_in(client, user_id)
    response = client.get(f"/pathways/{query}", headers=headers)
    assert response.status_code == 200
    return response


def _names(response) -> list[str]:
    return [h.text() for h in page(response).find_all("h3") if h.find("a") is not None
            and "worklist-pathway" in (h.parent.get("class") or "")]


def _count(app, user_id, query: str = "") -> tuple[int, str]:
    client = app.test_client()
    sign_in(client, user_id)
    assert client.get(f"/pathways/{query}").status_code == 200
    with counting_queries(app) as statements:
        response = client.get(f"/pathways/{query}")
        assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def _overdue(app, cast, pathway_ids: list[int], start: int = 0) -> None:
    """An overdue measure on each pathway, Kari responsible; the later `start + i`, the less overdue.
    Written in bulk."""
    today = today_in_oslo()
    with app.app_context():
        db.session.execute(insert(Goal), [{"pathway_id": p, "text": "Sove betre", "created_by_id": cast.kari}
                                          for p in pathway_ids])
        goals = dict(db.session.execute(select(Goal.pathway_id, Goal.id).where(Goal.pathway_id.in_(pathway_ids))).all())
        db.session.execute(insert(Measure), [
            {"pathway_id": p, "goal_id": goals[p], "what": f"Tiltak {start + i:03d}", "responsible_id": cast.kari,
             "deadline": today - timedelta(days=1000 - start - i), "created_by_id": cast.kari}
            for i, p in enumerate(pathway_ids)])
        db.session.commit()


@pytest.mark.parametrize("query", ["", "?sort=newest", "?sort=name&mine=1", "?q=ung&page=3"])
def test_the_worklist_runs_the_same_few_queries_with_2_and_with_200_pathways_full_of_input(app, cast, query):
    """Acceptance 4: 200 pathways on one professional, each with input after her last visit, a meeting
    coming up, an overdue measure and questions to answer: the same number of SQL statements as with 2,
    and at most 15; the meetings and overdue measures cut to the first ten in SQL."""
    _overdue(app, cast, _caseload(app, cast, 2, inputs=3))
    small, _ = _count(app, cast.kari, query)
    _overdue(app, cast, _caseload(app, cast, 198, inputs=3, start=2), start=2)
    large, body = _count(app, cast.kari, query)
    print(f"GET /pathways/{query}: {small} statements with 2 pathways, {large} with 200")
    assert small == large <= 12
    assert body.count('class="ds-card worklist-pathway"') == PAGE_SIZE
    assert body.count('class="coming-meeting"') == COMING_UP_SHOWN
    assert body.count('<li id="overdue-') == OVERDUE_SHOWN


@pytest.mark.parametrize("path", ["coming", "overdue", "coming?page=8", "overdue?page=8"])
def test_the_full_lists_run_the_same_few_queries_with_2_and_with_200_pathways(app, cast, path):
    _overdue(app, cast, _caseload(app, cast, 2, inputs=1))
    small, _ = _count(app, cast.kari, path.split("?")[0])
    _overdue(app, cast, _caseload(app, cast, 198, inputs=1, start=2), start=2)
    large, body = _count(app, cast.kari, path)
    print(f"GET /pathways/{path}: {small} statements with 2 pathways, {large} with 200")
    assert small == large <= 8
    assert body.count('class="coming-meeting"') + body.count('<li id="overdue-') == 25


def _section(response, heading_id: str):
    return page(response).by_id(heading_id).parent


def test_the_worklist_shows_the_ten_soonest_meetings_and_links_to_the_rest(app, cast):
    _caseload(app, cast, 30, inputs=0)
    client = app.test_client()
    sign_in(client, cast.kari)
    section = _section(client.get("/pathways/"), "coming-up-heading")
    names = [li.find("strong").text() for li in section.find_all("li", class_="coming-meeting")]
    assert names == [f"Ung {n:03d}" for n in range(10)]
    more = section.find("a", href="/pathways/coming")
    assert more.text() == translated(app, "%(num)d more meeting in the next 14 days",
                                     plural="%(num)d more meetings in the next 14 days", num=20)


def test_the_worklist_shows_the_ten_most_overdue_measures_and_links_to_the_rest(app, cast):
    _overdue(app, cast, _caseload(app, cast, 11, inputs=0))
    client = app.test_client()
    sign_in(client, cast.kari)
    section = _section(client.get("/pathways/"), "overdue-heading")
    assert [span.text() for span in section.find_all("span", class_="measure-what")] == [
        f"Tiltak {n:03d}" for n in range(10)]
    more = section.find("a", href="/pathways/overdue")
    assert more.text() == translated(app, "%(num)d more overdue measure", plural="%(num)d more overdue measures",
                                     num=1)


def test_ten_or_fewer_have_no_more_line(app, cast):
    _overdue(app, cast, _caseload(app, cast, 10, inputs=0))
    body = _worklist(app, cast.kari).get_data(as_text=True)
    assert body.count('class="coming-meeting"') == 10 and body.count('<li id="overdue-') == 10
    assert 'href="/pathways/coming"' not in body and 'href="/pathways/overdue"' not in body


@pytest.mark.parametrize("path, item, first", [("/pathways/coming", "coming-meeting", "Ung"),
                                               ("/pathways/overdue", "measure-what", "Tiltak")])
def test_the_full_lists_are_paged_25_at_a_time_in_order(app, cast, path, item, first):
    _overdue(app, cast, _caseload(app, cast, 30, inputs=0))
    client = app.test_client()
    sign_in(client, cast.kari)

    def shown(response):
        found = page(response).find_all(class_=item)
        return [(x.find("strong") if item == "coming-meeting" else x).text() for x in found]

    one = client.get(path)
    assert one.status_code == 200
    assert shown(one) == [f"{first} {n:03d}" for n in range(25)]
    assert translated(app, "Showing %(first)d–%(last)d of %(total)d", first=1, last=25, total=30) in page(one).text()
    following = page(one).find("a", rel="next").get("href")
    assert following == f"{path}?page=2" and page(one).find("a", rel="prev") is None
    two = client.get(following)
    assert shown(two) == [f"{first} {n:03d}" for n in range(25, 30)]
    assert page(two).find("a", rel="prev").get("href") == path and page(two).find("a", rel="next") is None
    # Past the last page: back to the first; nonsense: the first.
    past = client.get(f"{path}?page=3")
    assert past.status_code == 303 and past.headers["Location"] == path
    assert shown(client.get(f"{path}?page=abc")) == shown(one)


def test_the_full_lists_are_my_own_pathways_only(app, cast):
    _overdue(app, cast, _caseload(app, cast, 3, inputs=0))
    lise = app.test_client()
    sign_in(lise, cast.lise)
    meetings = page(lise.get("/pathways/coming"))
    assert meetings.find(class_="coming-meeting") is None
    assert translated(app, "No meetings in the next 14 days.") in meetings.text()
    measures = page(lise.get("/pathways/overdue"))
    assert measures.find(class_="measure-what") is None
    assert translated(app, "No measures are overdue.") in measures.text()
    kari = page(_worklist(app, cast.kari, "")).text()
    assert "Ung 000" in kari


def test_counts_what_is_new_since_my_last_visit_linked_to_the_pathway_page(app, cast):
    pathway_id = _caseload(app, cast, 1, inputs=3)[0]
    body = page(_worklist(app, cast.kari, "?q=Ung 000")).by_id(f"pathway-{pathway_id}")
    links = {a.text(): a.get("href") for a in body.find("ul", class_="new-since").find_all("a")}
    want = {
        translated(app, "%(num)d new statement", plural="%(num)d new statements", num=3): "timeline-heading",
        translated(app, "%(num)d new preparation for a meeting", plural="%(num)d new preparations for a meeting",
                   num=1): "timeline-heading",
        translated(app, "%(num)d new answer to an agreement", plural="%(num)d new answers to agreements",
                   num=2): "minutes-heading",
        translated(app, "%(num)d new question or disagreement about an agreement",
                   plural="%(num)d new questions or disagreements about agreements", num=1): "minutes-heading",
    }
    assert {text.split(":")[0]: href for text, href in links.items()} == {
        text: f"/pathways/{pathway_id}#{anchor}" for text, anchor in want.items()}
    assert "Utsegn" not in body.text() and "Kvifor?" not in body.text()  # counts, never the words


def test_what_the_team_may_not_read_and_what_came_before_the_visit_is_not_new(app, cast):
    """Drafts ("only for me"), removed statements and what came before the visit do not count; a
    statement read on another page (logged) since it changed is not new either."""
    with app.app_context():
        db.session.add(PathwayVisit(pathway_id=cast.pathway_a, user_id=cast.kari, seen_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    after = utcnow() - timedelta(minutes=30)
    data.statement(app, cast.pathway_a, cast.ola, "Utkast", sharing=Sharing.PRIVATE, at=after)
    data.statement(app, cast.pathway_a, cast.ola, "Borte", removed=True, at=after)
    data.statement(app, cast.pathway_a, cast.ola, "Gammal", at=after - timedelta(hours=2))
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, utcnow() + timedelta(days=2))
    data.preparation(app, meeting_id, cast.pathway_a, cast.mother_a, role=Role.PARENT, sharing=Sharing.PRIVATE,
                     at=after, talk_about="Berre for meg")
    card = page(_worklist(app, cast.kari)).by_id(f"pathway-{cast.pathway_a}")
    assert card.find("ul", class_="new-since") is None
    assert translated(app, "Nothing new since your last visit, %(when)s.", when="").split(",")[0] in card.text()
    shared = data.statement(app, cast.pathway_a, cast.ola, "Ny", at=after)
    one = translated(app, "%(num)d new statement", plural="%(num)d new statements", num=1)
    assert one in page(_worklist(app, cast.kari)).by_id(f"pathway-{cast.pathway_a}").text()
    # Read elsewhere (the before-the-meeting page logs it): not new any more; for Per it still is.
    with app.test_request_context():
        log_reads(db.session.get(User, cast.kari), db.session.get(Pathway, cast.pathway_a),
                  [(InputKind.STATEMENT, shared, cast.ola)])
        db.session.commit()
    assert one not in page(_worklist(app, cast.kari)).by_id(f"pathway-{cast.pathway_a}").text()


def test_a_pathway_never_opened_says_so_once_and_opening_it_starts_the_count(app, cast):
    data.statement(app, cast.pathway_a, cast.ola, "Første")
    card = page(_worklist(app, cast.kari)).by_id(f"pathway-{cast.pathway_a}")
    assert translated(app, "Not opened yet") in card.text()
    assert card.find("ul", class_="new-since") is None
    client = app.test_client()
    sign_in(client, cast.kari)
    assert client.get(f"/pathways/{cast.pathway_a}").status_code == 200  # stores the visit
    card = page(client.get("/pathways/")).by_id(f"pathway-{cast.pathway_a}")
    assert translated(app, "Not opened yet") not in card.text()
    data.statement(app, cast.pathway_a, cast.ola, "Etterpå", at=utcnow() + timedelta(seconds=1))
    card = page(client.get("/pathways/")).by_id(f"pathway-{cast.pathway_a}")
    assert translated(app, "%(num)d new statement", plural="%(num)d new statements", num=1) in card.text()


def test_a_rating_shared_with_the_team_is_new_and_an_anonymous_one_is_not(app, cast):
    with app.app_context():
        db.session.add(PathwayVisit(pathway_id=cast.pathway_a, user_id=cast.kari, seen_at=utcnow() - timedelta(days=5)))
        starts = utcnow() - timedelta(days=1, hours=2)
        db.session.add(Meeting(pathway_id=cast.pathway_a, kind=MeetingKind.CONVERSATION, starts_at=starts,
                               ends_at=starts + timedelta(hours=1), place="BUP", purpose="Korleis går det?",
                               created_by_id=cast.kari))
        db.session.commit()
        for user_id, sharing in ((cast.ola, ResponseSharing.TEAM), (cast.mother_a, ResponseSharing.ANONYMOUS)):
            feedback_services.make_due_requests(db.session.get(User, user_id))
            request = db.session.scalar(select(FeedbackRequest).where(FeedbackRequest.user_id == user_id))
            version = feedback_services.current_version("meeting")
            values = {item.id: 4 for item in version.items if item.scale is not None}
            feedback_services.save_response(request, feedback_services.Answers(values=values, texts={},
                                                                                sharing=sharing))
    card = page(_worklist(app, cast.kari)).by_id(f"pathway-{cast.pathway_a}")
    text = translated(app, "%(num)d new rating or questionnaire shared with the team",
                      plural="%(num)d new ratings or questionnaires shared with the team", num=1)
    link = next(a for a in card.find_all("a") if a.text().startswith(text))
    assert link.get("href") == f"/pathways/{cast.pathway_a}#feedback-heading"


def test_sorted_by_next_meeting_by_default_then_newest_input_then_name_closed_last(app, cast):
    ids = _caseload(app, cast, 4, inputs=0)  # meetings in 1, 2, 3, 4 hours: Ung 000 … Ung 003
    # Newest input: Ung 002, then Ung 000.
    data.statement(app, ids[2], cast.ola, "Nyast", at=utcnow() - timedelta(minutes=1))
    data.statement(app, ids[0], cast.ola, "Eldre", at=utcnow() - timedelta(hours=5))
    with app.app_context():
        db.session.get(Pathway, ids[1]).closed_at = utcnow()
        db.session.get(Pathway, ids[1]).closing_summary = "Ferdig"
        db.session.commit()
    by_meeting = [n for n in _names(_worklist(app, cast.kari)) if n.startswith("Ung")]
    assert by_meeting == ["Ung 000", "Ung 002", "Ung 003", "Ung 001"]  # closed last
    newest = [n for n in _names(_worklist(app, cast.kari, "?sort=newest")) if n.startswith("Ung")]
    assert newest == ["Ung 002", "Ung 000", "Ung 003", "Ung 001"]
    by_name = _names(_worklist(app, cast.kari, "?sort=name"))
    open_names = by_name[:-1]
    assert open_names == sorted(open_names) and by_name[-1] == "Ung 001"


def test_only_where_i_am_coordinator(app, cast):
    _caseload(app, cast, 6, inputs=0)  # Per coordinates Ung 000 and Ung 003
    names = _names(_worklist(app, cast.kari, "?mine=1"))
    assert "Ung 001" in names and "Ung 000" not in names and "Ung 003" not in names
    with app.app_context():
        coordinated = {p.young_person.name for p in db.session.scalars(
            select(Pathway).join(TeamMember).where(TeamMember.user_id == cast.kari, Pathway.coordinator_id == cast.kari))}
    assert set(names) == coordinated
    per = page(_worklist(app, cast.per, "?mine=1&q=Ola")).by_id("main").text()  # Per is on Ola's team, not coordinator
    assert translated(app, "No pathway of yours has a young person whose name contains «%(query)s».", query="Ola") in per


def test_search_by_name_with_aeoeaa_and_without_a_match(app, cast):
    with app.app_context():
        for name in ("Øystein Ås", "Åse Ærlig", "Oda Berg"):
            person = YoungPerson(name=name, birth_date=date(2012, 1, 1))
            pathway = Pathway(young_person=person, title="Forløp", coordinator_id=cast.kari)
            pathway.members = [TeamMember(user_id=cast.kari, added_by_id=cast.kari)]
            db.session.add_all([person, pathway])
        db.session.commit()
    assert _names(_worklist(app, cast.kari, "?q=øy")) == ["Øystein Ås"]
    assert _names(_worklist(app, cast.kari, "?q=ÆRL")) == ["Åse Ærlig"]
    assert sorted(_names(_worklist(app, cast.kari, "?q=%C3%A5s"))) == ["Åse Ærlig", "Øystein Ås"]
    assert _names(_worklist(app, cast.kari, "?q=%25")) == []  # a LIKE wildcard is taken literally
    body = page(_worklist(app, cast.kari, "?q=Zorro")).by_id("main")
    assert translated(app, "No pathway of yours has a young person whose name contains «%(query)s».",
                      query="Zorro") in body.text()
    assert body.by_id("worklist-q").get("value") == "Zorro"
    # Lise is not on these pathways: her search does not find them.
    assert _names(_worklist(app, cast.lise, "?q=øy")) == []


def test_the_search_answers_htmx_with_the_list_alone(app, cast):
    response = _worklist(app, cast.kari, "?q=ola", **HTMX)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="worklist-results">') and "<html" not in html
    assert "coming-up-heading" not in html and _names(response) == ["Ola Nordvik"]
    assert "HX-Request" in response.headers["Vary"]
    # A history restore (or the pushed URL loaded directly) is the whole page.
    whole = _worklist(app, cast.kari, "?q=ola", **HTMX, **{"HX-History-Restore-Request": "true"})
    assert "<html" in whole.get_data(as_text=True)


@pytest.mark.parametrize("asked", ["?page=999", "?page=abc", "?page=0", "?page=-1", "?sort=nonsense&page=2.5"])
def test_paging_bounds_give_a_page_not_an_error(app, cast, asked):
    _caseload(app, cast, 60, inputs=0)
    body = page(_worklist(app, cast.kari, asked)).by_id("main")
    total = 61  # and Ola's
    if asked == "?page=999":
        assert translated(app, "Showing %(first)d–%(last)d of %(total)d", first=51, last=total, total=total) in body.text()
    else:
        assert translated(app, "Showing %(first)d–%(last)d of %(total)d", first=1, last=25, total=total) in body.text()


def test_previous_and_next_keep_the_sort_filter_and_search(app, cast):
    _caseload(app, cast, 60, inputs=0)
    client = app.test_client()
    sign_in(client, cast.kari)
    first = page(client.get("/pathways/?sort=name&q=ung"))
    assert translated(app, "Showing %(first)d–%(last)d of %(total)d", first=1, last=25, total=60) in first.text()
    following = first.find("a", rel="next").get("href")
    assert following == "/pathways/?sort=name&q=ung&page=2" and first.find("a", rel="prev") is None
    second = page(client.get(following))
    assert translated(app, "Showing %(first)d–%(last)d of %(total)d", first=26, last=50, total=60) in second.text()
    assert second.find("a", rel="prev").get("href") == "/pathways/?sort=name&q=ung"
    names = [n for n in _names(client.get(following))]
    assert names == [f"Ung {n:03d}" for n in range(25, 50)]
    assert parse(client.get("/pathways/?sort=name&q=ung&page=3").get_data(as_text=True)).find("a", rel="next") is None
