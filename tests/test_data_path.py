"""One honest data path: every request asks the access policy, logs the reads of the family's input
in its own transaction, commits at most once, and runs a fixed, small number of SQL statements
whatever the amount of data behind the page."""
from collections import defaultdict
from datetime import date, timedelta

import pytest
from flask import url_for
from sqlalchemy import event, func, select

from accounts.models import Role, Service, User, YoungPerson
from core.extensions import db
from core.models import utcnow
from feedback import services as feedback_services
from feedback.models import FeedbackRequest
from pathways.models import (
    AccessLog, CoordinatorWish, Evaluation, EventKind, Goal, InputKind, Measure, MeasureComment, Pathway, PathwayEvent,
    PathwayTemplate, TeamMember,
)
from tests.access_rules import ANON
from tests.conftest import as_user
from tests.pathways import reading_data as data
from tests.test_access_table import TABLE
from youth.models import Participation, Sharing

MOST_STATEMENTS = 15  # SQL statements a page may run (issue 15)
# The pathway page shows seven sections with data of their own (the ratings' trend and its questions,
# the wish, the relay log, the timeline, the team, the care pathway's steps): 16 statements. Making it
# shorter and quicker to read is the issue "The professional's day…"; until then it is held to 16.
LIMITS = {"pathways.show": 16}


@pytest.fixture()
def before_meeting(app, cast):
    """A care team meeting on Ola's pathway next week, with Ola's and his mother's preparations and
    two of Ola's statements; the URL of its before-the-meeting page."""
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, utcnow() + timedelta(days=7), invitees=[cast.per])
    data.preparation(app, meeting_id, cast.pathway_a, cast.ola, talk_about="Skulen", participation=Participation.PART)
    data.preparation(app, meeting_id, cast.pathway_a, cast.mother_a, role=Role.PARENT, talk_about="Søvn")
    for text in ("Eg søv dårleg", "Fotball hjelper"):
        data.statement(app, cast.pathway_a, cast.ola, text)
    return f"/pathways/{cast.pathway_a}/meetings/{meeting_id}"


def test_a_professional_taken_off_the_team_gets_404_on_the_very_next_request(app, cast, before_meeting):
    per = as_user(app, cast.per)
    for url in (f"/pathways/{cast.pathway_a}", before_meeting, f"/pathways/{cast.pathway_a}/team"):
        assert per.get(url).status_code == 200
    kari = as_user(app, cast.kari)
    token = _csrf(kari)
    assert kari.post(f"/pathways/{cast.pathway_a}/team/{cast.per}/remove",
                     data={"csrf_token": token}).status_code == 303
    for url in (f"/pathways/{cast.pathway_a}", before_meeting, f"/pathways/{cast.pathway_a}/team"):
        response = per.get(url)
        assert response.status_code == 404
        assert "Ola Nordvik" not in response.get_data(as_text=True)


def _csrf(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client)


class Transactions:
    """COMMITs and the INSERTs into access_log, per request, seen on the engine."""

    def __init__(self):
        self.commits = 0
        self.log_inserts_before_commit = []

    def attach(self, engine):
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "before_cursor_execute", self._execute)
        return self

    def detach(self, engine):
        event.remove(engine, "commit", self._commit)
        event.remove(engine, "before_cursor_execute", self._execute)

    def _commit(self, conn):
        self.commits += 1

    def _execute(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO ACCESS_LOG"):
            self.log_inserts_before_commit.append(self.commits)


def test_ten_views_of_the_before_the_meeting_page_log_ten_sets_each_in_its_own_transaction(
        app, cast, before_meeting):
    kari = as_user(app, cast.kari)
    with app.app_context():
        engine = db.engine
    per_request = []
    for _ in range(10):
        watch = Transactions().attach(engine)
        try:
            assert kari.get(before_meeting).status_code == 200
        finally:
            watch.detach(engine)
        per_request.append(watch)
    # One INSERT and then one COMMIT per view: the reads are stored with the page, never later.
    assert [(w.commits, w.log_inserts_before_commit) for w in per_request] == [(1, [0])] * 10
    with app.app_context():
        sets = defaultdict(set)
        for at, kind, item_id in db.session.execute(
                select(AccessLog.at, AccessLog.item_kind, AccessLog.item_id).where(AccessLog.reader_id == cast.kari)):
            sets[at].add((kind, item_id))
    # Ten views, ten sets of the same rows: two preparations and two statements each.
    assert len(sets) == 10
    assert all(len(items) == 4 for items in sets.values())
    assert len({frozenset(items) for items in sets.values()}) == 1


# --- every page: at most one COMMIT, and the same small number of SQL statements with more data ---

def _allowed_role(expected_by_role: dict) -> str | None:
    """A role that gets the page (status 200), the family before professionals (their pages show more)."""
    for role in ("young_a", "parent_a", "pro_team", "admin", "young_b", "pro_member", "pro_other", ANON):
        if expected_by_role.get(role) == 200:
            return role
    return None


PAGES = sorted((endpoint, _allowed_role(rules)) for (endpoint, method), (_k, _d, rules) in TABLE.items()
               if method == "GET" and endpoint != "static" and _allowed_role(rules) is not None)


def _grow(app, cast, n: int) -> None:
    """More of everything behind the pages: statements and preparations from Ola and his mother,
    meetings with agreements and answers, relay-log goals and measures with comments and
    evaluations, logged reads, feedback, the pathway's history, more pathways on Kari's list, and
    more professionals for the admin."""
    for i in range(n):
        at = data.T0 + timedelta(hours=i)
        data.statement(app, cast.pathway_a, cast.ola, f"Utsegn {i}", at=at,
                       sharing=(Sharing.TEAM, Sharing.FAMILY, Sharing.PRIVATE)[i % 3])
        data.statement(app, cast.pathway_a, cast.mother_a, f"Mor {i}", role=Role.PARENT, at=at,
                       sharing=Sharing.FAMILY)
        meeting_id = data.meeting(app, cast.pathway_a, cast.kari, utcnow() + timedelta(days=i - n // 2),
                                  invitees=[cast.per])
        data.preparation(app, meeting_id, cast.pathway_a, cast.ola, talk_about=f"Tema {i}")
        data.preparation(app, meeting_id, cast.pathway_a, cast.mother_a, role=Role.PARENT, talk_about=f"Mor {i}")
        data.agreement(app, meeting_id, cast.pathway_a, cast.kari, f"Avtale {i}",
                       answers=[(cast.ola, data.AnswerKind.QUESTION, "Kvifor?"),
                                (cast.mother_a, data.AnswerKind.AGREE, None)])
    with app.app_context():
        statements = [row for row in db.session.execute(
            select(data.Statement.id, data.Statement.author_id).where(data.Statement.pathway_id == cast.pathway_a))]
        for i in range(n):
            goal = Goal(pathway_id=cast.pathway_a, text=f"Mål {i}", created_by_id=cast.kari)
            db.session.add(goal)
            db.session.flush()
            measure = Measure(pathway_id=cast.pathway_a, goal_id=goal.id, what=f"Tiltak {i}",
                              responsible_id=cast.per, deadline=date(2026, 1, 1) + timedelta(days=i),
                              created_by_id=cast.kari)
            db.session.add(measure)
            db.session.flush()
            db.session.add_all([
                MeasureComment(measure_id=measure.id, author_id=cast.ola, author_role=Role.YOUNG_PERSON, text="Bra"),
                Evaluation(measure_id=measure.id, evaluated_on=date(2026, 2, 1), worked="Ja", next_step="Meir",
                           by_id=cast.per),
                PathwayEvent(pathway_id=cast.pathway_a, kind=EventKind.GOAL_ADDED, actor_id=cast.kari,
                             detail=f"Mål {i}", at=utcnow()),
            ])
            db.session.add(User(role=Role.PROFESSIONAL, name=f"Fagperson {i}", password_hash="x",
                                email=f"fag{len(statements)}-{i}@test.no",
                                services=[db.session.get(Service, cast.service_bup)]))
            young = YoungPerson(name=f"Ung {i}", birth_date=date(2012, 1, 1))
            pathway = Pathway(young_person=young, title=f"Forløp {i}", coordinator_id=cast.kari)
            pathway.members = [TeamMember(user_id=cast.kari, added_by_id=cast.kari)]
            db.session.add(pathway)
        # The pathway follows a care pathway template, at its second step, and Ola has a wish.
        pathway = db.session.get(Pathway, cast.pathway_a)
        if pathway.template_id is None:
            template = db.session.scalar(select(PathwayTemplate).order_by(PathwayTemplate.position).limit(1))
            pathway.template_id, pathway.step_id = template.id, template.steps[1].id
        db.session.add(CoordinatorWish(pathway_id=cast.pathway_a, author_id=cast.ola, wished_id=cast.kari))
        db.session.add_all(AccessLog(reader_id=reader, reader_services="BUP Test", pathway_id=cast.pathway_a,
                                     item_kind=InputKind.STATEMENT, item_id=item_id, author_id=author_id,
                                     at=utcnow() - timedelta(minutes=k))
                           for k, (item_id, author_id) in enumerate(statements) for reader in (cast.kari, cast.per))
        db.session.commit()
        for user_id in (cast.ola, cast.mother_a):
            feedback_services.make_due_requests(db.session.get(User, user_id))
        # Ratings shared with the team: the pathway page's trend and the alerts.
        version = feedback_services.current_version(feedback_services.MEETING_SET)
        for request in db.session.scalars(select(FeedbackRequest).where(FeedbackRequest.user_id == cast.ola)):
            if request.response is None and request.meeting_id is not None:
                feedback_services.save_response(request, feedback_services.Answers(
                    values={item.id: 4 for item in version.items if item.scale is not None}, texts={}))


def _count(app, client, url) -> tuple[int, int, int]:
    """(status, SQL statements, COMMITs) of one GET, after a first GET that stores visits and reads."""
    client.get(url)
    statements, commits = [], []
    with app.app_context():
        engine = db.engine
    on_execute = lambda *args: statements.append(args[2])  # noqa: E731
    on_commit = lambda conn: commits.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)
    return response.status_code, len(statements), len(commits)


@pytest.mark.parametrize(("endpoint", "role"), PAGES, ids=[f"{e}-{r}" for e, r in PAGES])
def test_every_page_commits_at_most_once_and_runs_the_same_few_statements_with_more_data(
        app, cast, endpoint, role):
    kwargs_for, _data, _rules = TABLE[(endpoint, "GET")]
    client = app.test_client()
    if role != ANON:
        from tests.conftest import login

        login(client, cast.logins[role])
    with app.test_request_context():
        url = url_for(endpoint, **(kwargs_for(cast) if kwargs_for else {}))
    # Enough of everything that no page skips a query for what is not there at all (the service
    # report hides, and does not look up, the comments of a period with fewer than five answers).
    _grow(app, cast, 10)
    small = _count(app, client, url)
    _grow(app, cast, 20)
    large = _count(app, client, url)
    assert small[0] == large[0] == 200, (url, small, large)
    assert small[2] <= 1 and large[2] <= 1, f"{url} commits more than once: {small}, {large}"
    print(f"{endpoint} as {role}: {small[1]} statements; {large[1]} with more data")
    assert small[1] == large[1], f"{url}: {small[1]} statements, then {large[1]} with more data"
    assert large[1] <= LIMITS.get(endpoint, MOST_STATEMENTS), f"{url}: {large[1]} SQL statements"


def test_the_growth_reaches_the_pages(app, cast):
    """The counts above are of pages with the data on them."""
    _grow(app, cast, 3)
    kari = as_user(app, cast.kari)
    body = kari.get(f"/pathways/{cast.pathway_a}").get_data(as_text=True)
    assert "Utsegn 0" in body and "Mål 2" in body and "Tiltak 1" in body and 'id="trend-' in body
    assert "Forløp 2" in kari.get("/pathways/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog)) > 0
    ola = as_user(app, cast.ola)
    assert "Utsegn 0" in ola.get("/my/statements").get_data(as_text=True)
    assert "Mål 2" in ola.get("/my/doing").get_data(as_text=True)
    assert "Avtale 2" in ola.get("/my/agreements").get_data(as_text=True)
    assert ola.get("/my/meetings").get_data(as_text=True).count('class="meeting-item"') == 3
