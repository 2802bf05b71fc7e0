"""The pathway page and the before-the-meeting page run a fixed number of SQL queries, whatever the
number of statements, meetings, preparations, agreements and readers (no per-row loading)."""
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from access.log import log_reads
from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
from pathways.models import InputKind, Pathway, TeamMember
from pathways.reading import TIMELINE_ITEMS
from tests.helpers import counting_queries, page, sign_in
from tests.pathways import reading_data as data

# A page that needs more than this is loading row by row somewhere. The pathway page's trend of the
# family's meeting ratings (feedback.team_services.trend_section) adds up to four: the ratings shared
# with the team, the logged reads, the newest rating version's items and their steps' words.
MOST_QUERIES = 34
OSLO = ZoneInfo("Europe/Oslo")


def fill(app, cast, pathway_id, young_user, coordinator, *, statements, meetings, readers):
    """Statements from the young person and a parent (some drafts, some removed), meetings with both
    preparations and agreements with answers, and professionals on the team who have read it all."""
    with app.app_context():
        pathway = db.session.get(Pathway, pathway_id)
        young_person = db.session.get(YoungPerson, pathway.young_person_id)
        parents = [link.user_id for link in db.session.query(ParentLink).filter_by(young_person_id=young_person.id)]
        for n in range(readers):
            user = User(role=Role.PROFESSIONAL, name=f"Lesar {pathway_id}-{n}", email=f"lesar{pathway_id}-{n}@test.no",
                        password_hash="x")
            db.session.add(user)
            db.session.flush()
            db.session.add(TeamMember(pathway_id=pathway_id, user_id=user.id, added_by_id=coordinator))
        db.session.commit()
        reader_ids = [m.user_id for m in pathway.members]
    parent = parents[0]
    meeting_ids = []
    for n in range(meetings):
        starts = data.T0 + timedelta(days=7 * n)
        meeting_id = data.meeting(app, pathway_id, coordinator, starts, invitees=reader_ids)
        meeting_ids.append(meeting_id)
        data.preparation(app, meeting_id, pathway_id, young_user, talk_about=f"Tema {n}",
                         participation=data.Participation.PART, at=starts - timedelta(days=1))
        for parent_id in parents:
            data.preparation(app, meeting_id, pathway_id, parent_id, role=Role.PARENT, talk_about=f"Mor/far {n}",
                             at=starts - timedelta(days=1))
        data.agreement(app, meeting_id, pathway_id, coordinator, f"Avtale {n}",
                       answers=[(young_user, data.AnswerKind.AGREE, None), (parent, data.AnswerKind.QUESTION, "Kvifor?")])
    statement_ids = []
    for n in range(statements):
        author, role = (young_user, Role.YOUNG_PERSON) if n % 2 == 0 else (parent, Role.PARENT)
        at = data.T0 + timedelta(hours=n)
        statement_ids.append((data.statement(app, pathway_id, author, f"Utsegn {n}", role=role, at=at), author))
    # Drafts and removed statements are left out by the query, not by the template.
    data.statement(app, pathway_id, young_user, "Utkast", sharing=data.Sharing.PRIVATE)
    data.statement(app, pathway_id, young_user, "Borte", removed=True)
    with app.test_request_context():
        pathway = db.session.get(Pathway, pathway_id)
        for reader_id in reader_ids:
            log_reads(db.session.get(User, reader_id), pathway,
                      [(InputKind.STATEMENT, item_id, author) for item_id, author in statement_ids])
    return meeting_ids


def measure(app, user_id, url) -> int:
    client = app.test_client()
    sign_in(client, user_id)
    assert client.get(url).status_code == 200  # the first visit stores the visit and the reads
    with counting_queries(app) as statements:
        response = client.get(url)
        assert response.status_code == 200
    return len(statements)


@pytest.fixture()
def second_parent(app, cast):
    """Emma's mother too: two parents, two preparation columns."""
    with app.app_context():
        mother = User(role=Role.PARENT, name="Mona Lie", username="mor.emma", password_hash="x")
        db.session.add(mother)
        db.session.flush()
        db.session.add(ParentLink(young_person_id=cast.young_b, user_id=mother.id, parental_responsibility=True))
        db.session.commit()


def test_pages_run_the_same_small_number_of_queries_with_2_or_200_statements(app, cast, second_parent, capsys):
    """Small: 2 statements, 2 meetings, 1 parent, 2 readers. Large: 200 statements, 8 meetings with
    preparations from the young person and two parents, agreements with answers, 8 readers."""
    small = fill(app, cast, cast.pathway_a, cast.ola, cast.kari, statements=2, meetings=2, readers=0)
    large = fill(app, cast, cast.pathway_b, cast.emma, cast.lise, statements=200, meetings=8, readers=7)

    pathway_small = measure(app, cast.kari, f"/pathways/{cast.pathway_a}")
    pathway_large = measure(app, cast.lise, f"/pathways/{cast.pathway_b}")
    meeting_small = measure(app, cast.kari, f"/pathways/{cast.pathway_a}/meetings/{small[-1]}")
    meeting_large = measure(app, cast.lise, f"/pathways/{cast.pathway_b}/meetings/{large[-1]}")
    with capsys.disabled():
        print(f"\nqueries: pathway page {pathway_small} (2 statements) / {pathway_large} (200 statements); "
              f"before-the-meeting page {meeting_small} / {meeting_large}")

    assert pathway_small == pathway_large <= MOST_QUERIES
    assert meeting_small == meeting_large <= MOST_QUERIES


def test_the_large_pages_show_and_log_everything(app, cast, second_parent):
    """The counts above are of pages that really show all of it."""
    from sqlalchemy import func, select

    from pathways.models import AccessLog

    large = fill(app, cast, cast.pathway_b, cast.emma, cast.lise, statements=200, meetings=3, readers=2)
    client = app.test_client()
    sign_in(client, cast.lise)
    before = _count_reads(app, cast.lise)
    body = client.get(f"/pathways/{cast.pathway_b}").get_data(as_text=True)
    assert all(f"Utsegn {n}<" in body for n in range(200))
    assert "Utkast" not in body and "Borte" not in body
    assert _count_reads(app, cast.lise) - before == 200
    meeting = client.get(f"/pathways/{cast.pathway_b}/meetings/{large[-1]}").get_data(as_text=True)
    assert "Tema 2" in meeting and meeting.count("Mor/far 2") == 2  # both parents' columns
    with app.app_context():
        from pathways.models import Agreement, AgreementAnswer, InputKind, Meeting

        # No earlier meeting was held: every point from the earlier meetings is still open.
        earlier = select(Meeting.id).where(Meeting.pathway_id == cast.pathway_b, Meeting.id != large[-1])
        answers = db.session.scalar(select(func.count()).select_from(AgreementAnswer)
                                    .join(Agreement).where(Agreement.meeting_id.in_(earlier)))
        logged_answers = db.session.scalar(select(func.count()).select_from(AccessLog).where(
            AccessLog.reader_id == cast.lise, AccessLog.item_kind == InputKind.ANSWER))
    # Emma's 100 statements, 3 preparations, and the family's answers to the open agreement points.
    assert answers > 0 and logged_answers == answers
    assert _count_reads(app, cast.lise) - before == 200 + 100 + 3 + answers


def _count_reads(app, reader_id) -> int:
    from sqlalchemy import func, select

    from pathways.models import AccessLog

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessLog).where(AccessLog.reader_id == reader_id))


def _timeline_entries(app, cast, pathway_id, young_user, actor, entries):
    """`entries` timeline entries on a pathway: half relay-log events of every kind, half the young
    person's statements; with a care pathway template, a BTI level, a handover and a wish."""
    from accounts.models import ServiceKind
    from core.models import utcnow
    from pathways.models import (
        CoordinatorWish, EventKind, Handover, HandoverState, PathwayEvent, PathwayTemplate, StepGuidance,
        TemplateStep,
    )

    kinds = [k for k in EventKind]
    with app.app_context():
        template = PathwayTemplate(key=f"t{pathway_id}", position=pathway_id, name_nn="Mal", name_nb="Mal")
        template.steps = [TemplateStep(position=n, name_nn=f"Steg {n}", name_nb=f"Steg {n}", guidance=[
            StepGuidance(service_kind=kind, text_nn="Gjer", text_nb="Gjør") for kind in ServiceKind]) for n in range(3)]
        db.session.add(template)
        db.session.flush()
        pathway = db.session.get(Pathway, pathway_id)
        pathway.template_id, pathway.step_id, pathway.bti_level, pathway.bti_level_set_at = (
            template.id, template.steps[0].id, 0, utcnow())
        now = utcnow()
        for n in range(entries // 2):
            db.session.add(PathwayEvent(pathway_id=pathway_id, kind=kinds[n % len(kinds)], actor_id=actor,
                                        subject_name="Nokon", detail="care_team" if n % 2 else "2",
                                        at=now - timedelta(seconds=n)))
        db.session.add(Handover(pathway_id=pathway_id, from_id=actor, to_id=actor, state=HandoverState.WITHDRAWN,
                                proposed_at=now, decided_at=now))
        db.session.add(CoordinatorWish(pathway_id=pathway_id, author_id=young_user, wished_id=actor, at=now))
        db.session.commit()
    for n in range(entries - entries // 2):
        data.statement(app, pathway_id, young_user, f"Utsegn {n}", at=data.T0 + timedelta(hours=n))
    return now


def newest_page(times) -> int:
    """How many of the items at `times` the timeline's newest page shows: whole Oslo months, newest first,
    until at least TIMELINE_ITEMS."""
    months = Counter(at.astimezone(OSLO).strftime("%Y-%m") for at in times)
    shown = 0
    for month in sorted(months, reverse=True):
        if shown >= TIMELINE_ITEMS:
            break
        shown += months[month]
    return shown


def test_the_pathway_page_runs_the_same_queries_with_5_or_500_timeline_entries(app, cast, capsys):
    """Relay-log events of every kind and statements: 5 on Ola's pathway, 500 on Emma's."""
    _timeline_entries(app, cast, cast.pathway_a, cast.ola, cast.kari, 5)
    now = _timeline_entries(app, cast, cast.pathway_b, cast.emma, cast.lise, 500)
    small = measure(app, cast.kari, f"/pathways/{cast.pathway_a}")
    large = measure(app, cast.lise, f"/pathways/{cast.pathway_b}")
    client = app.test_client()
    sign_in(client, cast.lise)
    body = page(client.get(f"/pathways/{cast.pathway_b}"))
    # The timeline's newest page: whole months (in Oslo) back to the TIMELINE_ITEMS newest items: the
    # events and the withdrawn handover of this month (and of last month, in a month's first seconds);
    # the statements, from March, are on an older page.
    assert len(body.by_id("timeline-heading").parent.find_all("li", class_="timeline-item")) == newest_page(
        [now] + [now - timedelta(seconds=n) for n in range(250)])
    with capsys.disabled():
        print(f"\nqueries: pathway page {small} (5 timeline entries) / {large} (500 timeline entries)")
    assert small == large <= MOST_QUERIES
