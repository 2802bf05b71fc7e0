"""The relay log (stafettlogg) on the professional's side: goals linked to the young person's
statements, measures with one responsible team member and a deadline, evaluations, minutes with the
agreements, the relay log on the pathway page, and overdue measures on the worklist (the responsible
person's and the coordinator's, nowhere else)."""
from datetime import datetime, timedelta, timezone

import pytest
from flask import render_template_string
from sqlalchemy import select

from accounts.models import Role, User
from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways import relay_services
from pathways.models import (
    AccessLog, Agreement, Evaluation, EventKind, Goal, InputKind, Measure, MeasureComment, Meeting, MeetingKind,
    MeetingMinutes, Pathway, PathwayEvent, TeamMember, goal_statements,
)
from tests.conftest import HTMX, as_user, post
from tests.helpers import count, counting_queries, field_error, page, sign_in, translated
from youth.models import Prompt, Sharing, Statement

TODAY = today_in_oslo()
IN_TWO_WEEKS = TODAY + timedelta(days=14)


def statement(app, cast, text, author=None, role=Role.YOUNG_PERSON, sharing=Sharing.TEAM, removed=False) -> int:
    with app.app_context():
        now = utcnow()
        row = Statement(pathway_id=cast.pathway_a, author_id=author or cast.ola, author_role=role, prompt=Prompt.FREE,
                        text=text, sharing=sharing, created_at=now, updated_at=now,
                        removed_at=now if removed else None)
        db.session.add(row)
        db.session.commit()
        return row.id


def goal(app, cast, text="Sove betre", statements=(), not_for_parents=False, pathway_id=None) -> int:
    with app.app_context():
        row = Goal(pathway_id=pathway_id or cast.pathway_a, text=text, not_for_parents=not_for_parents,
                   created_by_id=cast.kari)
        db.session.add(row)
        db.session.flush()
        for sid in statements:
            db.session.execute(goal_statements.insert().values(goal_id=row.id, statement_id=sid))
        db.session.commit()
        return row.id


def measure(app, cast, goal_id, what="Samtale kvar veke", responsible=None, deadline=IN_TWO_WEEKS,
            pathway_id=None) -> int:
    with app.app_context():
        row = Measure(pathway_id=pathway_id or cast.pathway_a, goal_id=goal_id, what=what,
                      responsible_id=responsible or cast.per, deadline=deadline, created_by_id=cast.kari)
        db.session.add(row)
        db.session.commit()
        return row.id


def meeting(app, cast, days_ago=1, kind=MeetingKind.CARE_TEAM) -> int:
    with app.app_context():
        starts = utcnow() - timedelta(days=days_ago)
        row = Meeting(pathway_id=cast.pathway_a, kind=kind, starts_at=starts, ends_at=starts + timedelta(hours=1),
                      place="Skulen", purpose="Korleis går det?", created_by_id=cast.kari)
        db.session.add(row)
        db.session.commit()
        return row.id


def events(app, kind):
    with app.app_context():
        return [(e.actor_id, e.subject_name, e.detail)
                for e in db.session.scalars(select(PathwayEvent).where(PathwayEvent.kind == kind))]


def add_to_team(app, cast, user_id):
    with app.app_context():
        db.session.add(TeamMember(pathway_id=cast.pathway_a, user_id=user_id, added_by_id=cast.kari))
        db.session.commit()


# --- goals --------------------------------------------------------------------------------------

def test_new_goal_offers_the_young_persons_statements_the_team_may_read(app, kari, cast):
    """Checkboxes with the statement texts: no drafts, nothing removed, not a parent's."""
    shared = statement(app, cast, "Eg søv dårleg")
    statement(app, cast, "Kladd", sharing=Sharing.PRIVATE)
    statement(app, cast, "Fjerna", removed=True)
    statement(app, cast, "Mor skriv", author=cast.mother_a, role=Role.PARENT)
    response = kari.get(f"/pathways/{cast.pathway_a}/goals/new")
    assert response.status_code == 200
    body = page(response)
    assert len(body.find_all("h1")) == 1
    form = body.find("form", action=f"/pathways/{cast.pathway_a}/goals/new")
    boxes = form.find_all("input", type="checkbox", name="statements")
    assert [b["value"] for b in boxes] == [str(shared)]
    assert body.find("label", **{"for": f"statement-{shared}"}).text() == "Eg søv dårleg"
    assert body.find("label", **{"for": "text"}) is not None
    assert body.find("label", **{"for": "not_for_parents"}) is not None
    # Showing the statement is a read of it, logged.
    assert count(app, AccessLog, AccessLog.item_id == shared, AccessLog.reader_id == cast.kari) == 1


def test_new_goal_page_asked_for_by_htmx_is_the_whole_page(kari, cast):
    response = kari.get(f"/pathways/{cast.pathway_a}/goals/new", headers=HTMX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in text and 'name="text"' in text


def test_adding_a_goal_stores_it_with_its_statements_and_records_it(app, kari, cast):
    first = statement(app, cast, "Eg søv dårleg")
    second = statement(app, cast, "Eg vil ha ro")
    response = post(kari, f"/pathways/{cast.pathway_a}/goals/new",
                    {"text": "  Sove betre  ", "statements": [str(first), str(second)], "not_for_parents": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pathways/{cast.pathway_a}#relay-log"
    with app.app_context():
        stored = db.session.scalar(select(Goal))
        assert (stored.text, stored.not_for_parents, stored.created_by_id) == ("Sove betre", True, cast.kari)
        linked = set(db.session.scalars(select(goal_statements.c.statement_id)))
    assert linked == {first, second}
    assert events(app, EventKind.GOAL_ADDED) == [(cast.kari, None, "Sove betre")]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"text": ""}, "text", "Fill in this field."),
    ({"text": "   "}, "text", "Fill in this field."),
    ({"text": "x" * 501}, "text", "Write at most %(max)d characters."),
])
def test_a_goal_needs_a_short_text(app, kari, cast, data, field, message):
    response = post(kari, f"/pathways/{cast.pathway_a}/goals/new", data)
    assert response.status_code == 400
    expected = translated(app, message, max=500) if "%(max)d" in message else translated(app, message)
    assert field_error(response, field) == expected
    assert page(response).by_id("text").text() == data["text"].strip() or data["text"] == "   "
    assert count(app, Goal) == 0


def test_a_goal_cannot_link_a_draft_or_another_pathways_statement(app, kari, cast):
    draft = statement(app, cast, "Kladd", sharing=Sharing.PRIVATE)
    response = post(kari, f"/pathways/{cast.pathway_a}/goals/new", {"text": "Sove", "statements": [str(draft)]})
    assert response.status_code == 400
    assert page(response).by_id("statements-error").text() == translated(app, "Choose only statements shown here.")
    assert page(response).by_id("text").text() == "Sove"
    assert count(app, Goal) == 0


# --- measures -----------------------------------------------------------------------------------

def test_new_measure_without_goals_says_so_and_links_to_a_new_goal(app, kari, cast):
    response = kari.get(f"/pathways/{cast.pathway_a}/measures/new")
    assert response.status_code == 200
    body = page(response)
    assert body.find("a", href=f"/pathways/{cast.pathway_a}/goals/new") is not None
    assert body.find("form", action=f"/pathways/{cast.pathway_a}/measures/new") is None
    refused = post(kari, f"/pathways/{cast.pathway_a}/measures/new",
                   {"what": "Samtale", "goal": "1", "responsible": str(cast.per), "deadline": IN_TWO_WEEKS.isoformat()})
    assert refused.status_code == 409
    assert count(app, Measure) == 0


def test_new_measure_offers_the_goals_and_the_team(app, kari, cast):
    goal_id = goal(app, cast)
    goal(app, cast, "Anna mål", pathway_id=cast.pathway_b)
    response = kari.get(f"/pathways/{cast.pathway_a}/measures/new")
    body = page(response)
    assert [o["value"] for o in body.by_id("goal").find_all("option")] == [str(goal_id)]
    assert "selected" in body.by_id("goal").find("option").attrs  # the only goal is chosen
    options = body.by_id("responsible").find_all("option")
    assert [o["value"] for o in options] == [str(cast.kari), str(cast.per)]
    assert "selected" in options[0].attrs  # Kari, who writes it
    assert body.find("input", id="deadline")["type"] == "date"


def test_adding_a_measure_stores_it_and_records_it(app, kari, cast):
    goal_id = goal(app, cast)
    response = post(kari, f"/pathways/{cast.pathway_a}/measures/new",
                    {"what": "Samtale kvar veke", "goal": str(goal_id), "responsible": str(cast.per),
                     "deadline": IN_TWO_WEEKS.isoformat()})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pathways/{cast.pathway_a}#relay-log"
    with app.app_context():
        stored = db.session.scalar(select(Measure))
        assert (stored.goal_id, stored.what, stored.responsible_id, stored.deadline, stored.created_by_id) == (
            goal_id, "Samtale kvar veke", cast.per, IN_TWO_WEEKS, cast.kari)
    assert events(app, EventKind.MEASURE_ADDED) == [(cast.kari, "Per Hansen", "Samtale kvar veke")]


def test_a_deadline_in_the_past_is_refused_beside_the_field(app, kari, cast):
    goal_id = goal(app, cast)
    yesterday = TODAY - timedelta(days=1)
    response = post(kari, f"/pathways/{cast.pathway_a}/measures/new",
                    {"what": "Samtale", "goal": str(goal_id), "responsible": str(cast.per),
                     "deadline": yesterday.isoformat()})
    assert response.status_code == 400
    assert field_error(response, "deadline") == translated(app, "The deadline cannot be in the past.")
    body = page(response)
    assert body.by_id("what").text() == "Samtale"
    assert body.by_id("deadline")["value"] == yesterday.isoformat()
    assert count(app, Measure) == 0


def test_today_is_a_valid_deadline(app, kari, cast):
    goal_id = goal(app, cast)
    response = post(kari, f"/pathways/{cast.pathway_a}/measures/new",
                    {"what": "Samtale", "goal": str(goal_id), "responsible": str(cast.kari), "deadline": TODAY.isoformat()})
    assert response.status_code == 303


def test_a_responsible_person_not_on_the_team_is_refused_beside_the_field(app, kari, cast):
    goal_id = goal(app, cast)
    response = post(kari, f"/pathways/{cast.pathway_a}/measures/new",
                    {"what": "Samtale", "goal": str(goal_id), "responsible": str(cast.lise),
                     "deadline": IN_TWO_WEEKS.isoformat()})
    assert response.status_code == 400
    assert field_error(response, "responsible") == translated(
        app, "The responsible person must be on the team. Add them to the team first, or choose someone who is on it.")
    assert count(app, Measure) == 0


def test_a_measure_needs_what_goal_responsible_and_deadline(app, kari, cast):
    goal(app, cast)
    other_goal = goal(app, cast, "Emma sitt", pathway_id=cast.pathway_b)
    response = post(kari, f"/pathways/{cast.pathway_a}/measures/new",
                    {"what": " ", "goal": str(other_goal), "responsible": "", "deadline": ""})
    assert response.status_code == 400
    assert field_error(response, "what") == translated(app, "Fill in this field.")
    assert field_error(response, "goal") == translated(app, "Choose one of this pathway's goals.")
    assert field_error(response, "responsible")
    assert field_error(response, "deadline") == translated(app, "Write the deadline.")
    assert count(app, Measure) == 0


# --- evaluations --------------------------------------------------------------------------------

def test_evaluate_page_defaults_to_today(app, cast):
    measure_id = measure(app, cast, goal(app, cast))
    per = as_user(app, cast.per)
    response = per.get(f"/pathways/{cast.pathway_a}/measures/{measure_id}/evaluate")
    assert response.status_code == 200
    body = page(response)
    assert body.by_id("evaluated_on")["value"] == TODAY.isoformat()
    assert "Samtale kvar veke" in body.find("h1").parent.text()


def test_evaluating_stores_it_and_records_it(app, cast):
    measure_id = measure(app, cast, goal(app, cast))
    per = as_user(app, cast.per)
    response = post(per, f"/pathways/{cast.pathway_a}/measures/{measure_id}/evaluate",
                    {"evaluated_on": TODAY.isoformat(), "worked": "Han søv betre", "next_step": "Held fram to veker"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pathways/{cast.pathway_a}#relay-log"
    with app.app_context():
        stored = db.session.scalar(select(Evaluation))
        assert (stored.measure_id, stored.evaluated_on, stored.worked, stored.next_step, stored.by_id) == (
            measure_id, TODAY, "Han søv betre", "Held fram to veker", cast.per)
    assert events(app, EventKind.MEASURE_EVALUATED) == [(cast.per, "Per Hansen", "Samtale kvar veke")]


def test_any_team_member_may_evaluate(app, kari, cast):
    measure_id = measure(app, cast, goal(app, cast))
    response = post(kari, f"/pathways/{cast.pathway_a}/measures/{measure_id}/evaluate",
                    {"evaluated_on": TODAY.isoformat(), "worked": "Bra", "next_step": "Meir"})
    assert response.status_code == 303


def test_an_evaluation_needs_what_worked_and_what_next(app, kari, cast):
    measure_id = measure(app, cast, goal(app, cast))
    response = post(kari, f"/pathways/{cast.pathway_a}/measures/{measure_id}/evaluate",
                    {"evaluated_on": "", "worked": "Bra", "next_step": ""})
    assert response.status_code == 400
    assert field_error(response, "evaluated_on") == translated(app, "Write the date.")
    assert field_error(response, "next_step") == translated(app, "Fill in this field.")
    assert page(response).by_id("worked").text() == "Bra"
    assert count(app, Evaluation) == 0


def test_a_measure_of_another_pathway_is_not_found(app, kari, cast):
    other = measure(app, cast, goal(app, cast, pathway_id=cast.pathway_b), pathway_id=cast.pathway_b,
                    responsible=cast.lise)
    assert kari.get(f"/pathways/{cast.pathway_a}/measures/{other}/evaluate").status_code == 404
    assert post(kari, f"/pathways/{cast.pathway_a}/measures/{other}/evaluate",
                {"evaluated_on": TODAY.isoformat(), "worked": "a", "next_step": "b"}).status_code == 404
    assert count(app, Evaluation) == 0


# --- minutes ------------------------------------------------------------------------------------

def test_minutes_page_shows_the_agreements(app, kari, cast):
    meeting_id = meeting(app, cast)
    with app.app_context():
        db.session.add(Agreement(meeting_id=meeting_id, pathway_id=cast.pathway_a, what="Kari ringjer skulen",
                                 who="Kari", created_by_id=cast.kari))
        db.session.commit()
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/minutes")
    assert response.status_code == 200
    body = page(response)
    assert body.find("label", **{"for": "text"}) is not None
    assert "Kari ringjer skulen" in body.text()


def test_writing_minutes_records_the_first_time_only(app, kari, cast):
    meeting_id = meeting(app, cast)
    url = f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/minutes"
    assert post(kari, url, {"text": "Vi snakka om søvn."}).status_code == 303
    assert page(kari.get(url)).by_id("text").text() == "Vi snakka om søvn."
    per = as_user(app, cast.per)
    response = post(per, url, {"text": "Vi snakka om søvn og skule."})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(MeetingMinutes))
        assert (stored.text, stored.written_by_id, stored.pathway_id) == ("Vi snakka om søvn og skule.", cast.per,
                                                                           cast.pathway_a)
    assert count(app, MeetingMinutes) == 1
    assert events(app, EventKind.MINUTES_WRITTEN) == [(cast.kari, None, "care_team")]


def test_minutes_are_required_and_short_enough(app, kari, cast):
    meeting_id = meeting(app, cast)
    url = f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/minutes"
    response = post(kari, url, {"text": ""})
    assert response.status_code == 400
    assert field_error(response, "text") == translated(app, "Fill in this field.")
    long = "x" * 5001
    response = post(kari, url, {"text": long})
    assert response.status_code == 400
    assert page(response).by_id("text").text() == long
    assert count(app, MeetingMinutes) == 0


def test_minutes_of_another_pathways_meeting_are_not_found(app, kari, cast):
    with app.app_context():
        starts = utcnow()
        other = Meeting(pathway_id=cast.pathway_b, kind=MeetingKind.OTHER, starts_at=starts,
                        ends_at=starts + timedelta(hours=1), place="x", purpose="y", created_by_id=cast.lise)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    assert kari.get(f"/pathways/{cast.pathway_a}/meetings/{other_id}/minutes").status_code == 404


# --- the relay log -------------------------------------------------------------------------------

def relay_html(app, pathway_id, reader_id) -> str:
    """The relay log partial as the pathway page includes it, for `reader_id`."""
    with app.test_request_context():
        from flask_login import login_user

        reader = db.session.get(User, reader_id)
        login_user(reader)
        pathway = db.session.get(Pathway, pathway_id)
        log = relay_services.relay_log(pathway, reader)
        return render_template_string('{% include "pathways/_relay_log.html" %}', pathway=pathway, relay_log=log)


def test_the_relay_log_shows_goals_statements_measures_evaluations_comments_and_minutes(app, cast):
    said = statement(app, cast, "Eg søv dårleg")
    draft = statement(app, cast, "Kladd", sharing=Sharing.PRIVATE)
    goal_id = goal(app, cast, "Sove betre", statements=[said, draft])
    evaluated = measure(app, cast, goal_id, "Søvndagbok", deadline=TODAY - timedelta(days=3))
    late = measure(app, cast, goal_id, "Samtale med helsesjukepleiar", deadline=TODAY - timedelta(days=1))
    meeting_id = meeting(app, cast)
    meeting(app, cast, days_ago=-7)  # not held yet: no minutes to write
    with app.app_context():
        db.session.add_all([
            Evaluation(measure_id=evaluated, evaluated_on=TODAY - timedelta(days=2), worked="Gammal", next_step="x",
                       by_id=cast.per),
            Evaluation(measure_id=evaluated, evaluated_on=TODAY, worked="Han søv betre", next_step="Held fram",
                       by_id=cast.per),
            MeasureComment(measure_id=late, author_id=cast.ola, author_role=Role.YOUNG_PERSON, text="Det hjelper"),
            MeetingMinutes(meeting_id=meeting_id, pathway_id=cast.pathway_a, text="Vi snakka om søvn.",
                           written_by_id=cast.kari),
            Agreement(meeting_id=meeting_id, pathway_id=cast.pathway_a, what="Ola skriv dagbok", who="Ola",
                      created_by_id=cast.kari),
        ])
        db.session.commit()
    body = page_of(relay_html(app, cast.pathway_a, cast.kari))
    section = body.by_id("relay-log")
    assert section.find("h2").text() == translated(app, "Relay log")
    goal_card = body.by_id(f"goal-{goal_id}")
    assert goal_card.find("p", class_="goal-text").text() == "Sove betre"
    assert [q.text() for q in goal_card.find_all("q")] == ["Eg søv dårleg"]  # never the draft
    assert [m.find("p", class_="measure-what").text() for m in goal_card.find_all("li", class_="relay-measure")] == [
        "Søvndagbok", "Samtale med helsesjukepleiar"]  # by deadline
    first = body.by_id(f"measure-{evaluated}")
    assert "Han søv betre" in first.text() and "Gammal" not in first.text()  # the latest evaluation
    assert first.find("span", class_="overdue") is None
    second = body.by_id(f"measure-{late}")
    assert second.find("span", class_="overdue") is not None
    assert "Det hjelper" in second.text() and "Ola Nordvik" in second.text()
    assert second.find("a", href=f"/pathways/{cast.pathway_a}/measures/{late}/evaluate") is not None
    minutes = body.find_all("li", id=f"minutes-{meeting_id}")[0]
    assert "Vi snakka om søvn." in minutes.text() and "Ola skriv dagbok" in minutes.text()
    assert len(body.find("ul", class_="relay-minutes").find_all("li", class_="ds-card")) == 1
    assert body.find("a", href=f"/pathways/{cast.pathway_a}/goals/new") is not None
    # The pathway page that shows it logs the statement as read (once, though the timeline shows it too).

    client = app.test_client()
    sign_in(client, cast.kari)
    assert client.get(f"/pathways/{cast.pathway_a}").status_code == 200
    statement_reads = (AccessLog.item_kind == InputKind.STATEMENT, AccessLog.reader_id == cast.kari)
    assert count(app, AccessLog, AccessLog.item_id == said, *statement_reads) == 1
    assert count(app, AccessLog, AccessLog.item_id == draft, AccessLog.item_kind == InputKind.STATEMENT) == 0
    # So is every family comment shown with the measures.
    assert count(app, AccessLog, AccessLog.item_kind == InputKind.COMMENT, AccessLog.reader_id == cast.kari) == \
        count(app, MeasureComment)


def page_of(html):
    from tests.helpers import parse

    return parse(html)


def test_the_relay_log_runs_a_fixed_number_of_queries(app, cast):
    def fill(n):
        said = statement(app, cast, "Eg søv dårleg")
        for i in range(n):
            goal_id = goal(app, cast, f"Mål {i}", statements=[said])
            measure_id = measure(app, cast, goal_id, deadline=TODAY - timedelta(days=1))
            with app.app_context():
                db.session.add(MeasureComment(measure_id=measure_id, author_id=cast.ola,
                                              author_role=Role.YOUNG_PERSON, text="Ok"))
                db.session.add(Evaluation(measure_id=measure_id, evaluated_on=TODAY, worked="a", next_step="b",
                                          by_id=cast.per))
                db.session.commit()
            meeting(app, cast, days_ago=i + 1)

    def queries():
        with app.test_request_context():
            reader = db.session.get(User, cast.kari)
            pathway = db.session.get(Pathway, cast.pathway_a)
            _ = pathway.coordinator_id
            with counting_queries(app) as statements:
                relay_services.relay_log(pathway, reader)
            return len(statements)

    fill(2)
    few = queries()
    fill(20)
    assert queries() == few


# --- overdue measures -----------------------------------------------------------------------------

def overdue_ids(app, user_id, url="/pathways/") -> list[str]:
    response = as_user(app, user_id).get(url)
    assert response.status_code == 200
    return [li["id"] for li in page(response).find_all("li") if li.get("id", "").startswith("overdue-")]


def test_overdue_on_the_responsible_and_the_coordinators_worklist_only(app, cast):
    add_to_team(app, cast, cast.lise)
    goal_id = goal(app, cast)
    late = measure(app, cast, goal_id, "Ringje skulen", responsible=cast.per, deadline=TODAY - timedelta(days=2))
    measure(app, cast, goal_id, "I tide", responsible=cast.per, deadline=TODAY)
    evaluated = measure(app, cast, goal_id, "Evaluert", responsible=cast.per, deadline=TODAY - timedelta(days=5))
    with app.app_context():
        db.session.add(Evaluation(measure_id=evaluated, evaluated_on=TODAY - timedelta(days=6), worked="a",
                                  next_step="b", by_id=cast.per))
        db.session.commit()
    assert overdue_ids(app, cast.per) == [f"overdue-{late}"]
    assert overdue_ids(app, cast.kari) == [f"overdue-{late}"]
    assert overdue_ids(app, cast.lise) == []  # on the team, but neither responsible nor coordinator
    response = as_user(app, cast.per).get("/pathways/")
    row = page(response).by_id(f"overdue-{late}")
    assert "Ola Nordvik" in row.text() and "Ringje skulen" in row.text()
    assert row.find("a", href=f"/pathways/{cast.pathway_a}/measures/{late}/evaluate") is not None


def test_the_responsible_sees_their_open_measures_on_the_worklist(app, cast):
    """Per's worklist lists the measures he is responsible for that wait for him (not overdue, not
    evaluated), with a link to evaluate; Kari, who is not responsible, does not get that list."""
    goal_id = goal(app, cast)
    soon = measure(app, cast, goal_id, "Snakke med læraren", responsible=cast.per, deadline=TODAY + timedelta(days=3))
    late = measure(app, cast, goal_id, "For seint", responsible=cast.per, deadline=TODAY - timedelta(days=1))
    done = measure(app, cast, goal_id, "Ferdig", responsible=cast.per, deadline=TODAY + timedelta(days=9))
    with app.app_context():
        db.session.add(Evaluation(measure_id=done, evaluated_on=TODAY, worked="a", next_step="b", by_id=cast.per))
        db.session.commit()
    body = page(as_user(app, cast.per).get("/pathways/"))
    mine = [li["id"] for li in body.find_all("li") if li.get("id", "").startswith("measure-")]
    assert mine == [f"measure-{soon}"]
    assert body.by_id(f"measure-{soon}").find(
        "a", href=f"/pathways/{cast.pathway_a}/measures/{soon}/evaluate") is not None
    assert overdue_ids(app, cast.per) == [f"overdue-{late}"]
    kari = page(as_user(app, cast.kari).get("/pathways/"))
    assert not [li for li in kari.find_all("li") if li.get("id", "").startswith("measure-")]


def test_overdue_measures_are_one_query(app, cast):
    goal_id = goal(app, cast)
    for i in range(5):
        measure(app, cast, goal_id, f"T{i}", deadline=TODAY - timedelta(days=i + 1))
    with app.app_context():
        user = db.session.get(User, cast.per)
        with counting_queries(app) as statements:
            rows = relay_services.overdue_measures(user).items
    assert len(rows) == 5 and len(statements) == 1
    assert [r.deadline for r in rows] == sorted(r.deadline for r in rows)


def test_overdue_is_not_shown_on_the_pathway_page_of_another_team_member(app, cast):
    add_to_team(app, cast, cast.lise)
    late = measure(app, cast, goal(app, cast), responsible=cast.per, deadline=TODAY - timedelta(days=2))
    for user_id, shown in ((cast.per, True), (cast.kari, True), (cast.lise, False)):
        item = page_of(relay_html(app, cast.pathway_a, user_id)).by_id(f"measure-{late}")
        assert (item.find("span", class_="overdue") is not None) == shown, user_id


def test_no_overdue_after_leaving_the_team_or_closing_the_pathway(app, cast):
    late = measure(app, cast, goal(app, cast), responsible=cast.per, deadline=TODAY - timedelta(days=2))
    with app.app_context():
        db.session.delete(db.session.get(TeamMember, (cast.pathway_a, cast.per)))
        db.session.commit()
    assert overdue_ids(app, cast.per) == []
    assert overdue_ids(app, cast.kari) == [f"overdue-{late}"]
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.closed_at, pathway.closing_summary, pathway.closed_by_id = (
            datetime.now(timezone.utc), "Ferdig", cast.kari)
        db.session.commit()
    assert overdue_ids(app, cast.kari) == []


def test_a_closed_pathway_refuses_new_goals_and_measures(app, kari, cast):
    goal_id = goal(app, cast)
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.closed_at, pathway.closing_summary, pathway.closed_by_id = (
            datetime.now(timezone.utc), "Ferdig", cast.kari)
        db.session.commit()
    assert post(kari, f"/pathways/{cast.pathway_a}/goals/new", {"text": "Nytt"}).status_code == 409
    assert post(kari, f"/pathways/{cast.pathway_a}/measures/new",
                {"what": "x", "goal": str(goal_id), "responsible": str(cast.kari),
                 "deadline": IN_TWO_WEEKS.isoformat()}).status_code == 409
    assert count(app, Goal) == 1 and count(app, Measure) == 0
    html = relay_html(app, cast.pathway_a, cast.kari)
    assert f"/pathways/{cast.pathway_a}/goals/new" not in html
