"""'What the team is doing' (the family's page of goals, linked from their home page): who sees which goals
and measures, and commenting on a measure.

The young person sees every goal and measure. A parent does not see a goal marked "not for the
parents", nor a goal that answers a statement the parent may not read at the young person's age
today; measures follow their goal. Comments reach the team and stay with their author."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from accounts.models import Role, YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways import relay_services as team_side
from pathways.models import Evaluation, Goal, Measure, MeasureComment, Pathway, goal_statements
from tests.conftest import post
from tests.helpers import count, field_error, page, parse, sign_in, translated
from youth import relay_services
from youth import services as youth_services
from youth.models import Prompt, Sharing, Statement

HTMX = {"HX-Request": "true"}
TODAY = today_in_oslo()


def set_age(app, cast, age: int) -> None:
    """Make Ola `age` years old today (born on 1 January)."""
    with app.app_context():
        person = db.session.get(YoungPerson, cast.young_a)
        person.birth_date = date(TODAY.year - age, 1, 1)
        db.session.commit()
        assert person.age_on(TODAY) == age


def statement(app, cast, text, sharing=Sharing.FAMILY, withheld=False) -> int:
    with app.app_context():
        now = utcnow()
        row = Statement(pathway_id=cast.pathway_a, author_id=cast.ola, author_role=Role.YOUNG_PERSON,
                        prompt=Prompt.FREE, text=text, sharing=sharing,
                        created_at=now, updated_at=now)
        if withheld:
            row.withheld_at, row.withheld_reason, row.withheld_by_id = now, "Tungtvegande omsyn", cast.kari
        db.session.add(row)
        db.session.commit()
        return row.id


def goal(app, cast, text, statements=(), not_for_parents=False, measure=None) -> int:
    """A goal on Ola's pathway, with a measure `measure` (its text) for Per, if given."""
    with app.app_context():
        row = Goal(pathway_id=cast.pathway_a, text=text, not_for_parents=not_for_parents, created_by_id=cast.kari)
        db.session.add(row)
        db.session.flush()
        for sid in statements:
            db.session.execute(goal_statements.insert().values(goal_id=row.id, statement_id=sid))
        if measure:
            db.session.add(Measure(pathway_id=cast.pathway_a, goal_id=row.id, what=measure, responsible_id=cast.per,
                                   deadline=TODAY + timedelta(days=7), created_by_id=cast.kari))
        db.session.commit()
        return row.id


def measure_of(app, goal_id) -> int:
    with app.app_context():
        return db.session.scalar(select(Measure.id).where(Measure.goal_id == goal_id))


def home(app, user_id):
    """The page "What the team is doing" of the young person or parent `user_id` (their home page
    links to it)."""
    client = app.test_client()
    sign_in(client, user_id)
    response = client.get("/my/doing")
    assert response.status_code == 200
    return response


def goals_seen(app, user_id) -> set[str]:
    """The goal texts `user_id` sees on their page of goals (checked against the service)."""
    response = home(app, user_id)
    on_page = {h.text() for h in page(response).find_all("h3") if h.parent.get("class") == "doing-goal"}
    with app.test_request_context():
        from accounts.models import User

        user = db.session.get(User, user_id)
        ages = {p.id: p.age for p in youth_services.my_pathways(user)}
        by_service = {translated(app, "Goal: %(text)s", text=g.text)
                      for goals in relay_services.doing_for_home(user, ages).values() for g in goals}
    assert on_page == by_service
    return on_page


def label(app, text):
    return translated(app, "Goal: %(text)s", text=text)


@pytest.fixture()
def goals_15(app, cast):
    """Ola at 15: a goal linked to a "my team, not my parents" statement, one marked not for the
    parents, one linked to a statement shared with the team and the parents, one linked to nothing."""
    set_age(app, cast, 15)
    secret = statement(app, cast, "Eg er redd for pappa", sharing=Sharing.TEAM)
    shared = statement(app, cast, "Eg søv dårleg")
    goal(app, cast, "Trygg heime", statements=[secret], measure="Samtale med Per")
    goal(app, cast, "Ver med venner", not_for_parents=True, measure="Fritidsklubb")
    goal(app, cast, "Sove betre", statements=[shared], measure="Søvndagbok")
    goal(app, cast, "Trivast på skulen", measure="Møte med læraren")


def test_parent_of_a_15_year_old_does_not_see_goals_kept_from_the_parents(app, cast, goals_15):
    seen = goals_seen(app, cast.mother_a)
    assert seen == {label(app, "Sove betre"), label(app, "Trivast på skulen")}
    text = home(app, cast.mother_a).get_data(as_text=True)
    for hidden in ("Eg er redd for pappa", "Trygg heime", "Samtale med Per", "Ver med venner", "Fritidsklubb"):
        assert hidden not in text
    assert "Eg søv dårleg" in text and "Søvndagbok" in text


def test_the_young_person_sees_every_goal_and_measure(app, cast, goals_15):
    seen = goals_seen(app, cast.ola)
    assert seen == {label(app, t) for t in ("Trygg heime", "Ver med venner", "Sove betre", "Trivast på skulen")}
    body = page(home(app, cast.ola))
    text = body.text()
    for shown in ("Eg er redd for pappa", "Samtale med Per", "Fritidsklubb", "Søvndagbok", "Møte med læraren"):
        assert shown in text
    assert "Per Hansen" in text


def test_parent_of_a_child_under_12(app, cast):
    """Under 12 what the team reads the parents read; a professional's withholding keeps it from them."""
    set_age(app, cast, 10)
    marked = statement(app, cast, "Merka før")
    withheld = statement(app, cast, "Halde tilbake", withheld=True)
    draft = statement(app, cast, "Kladd", sharing=Sharing.PRIVATE)
    goal(app, cast, "A", statements=[marked])
    goal(app, cast, "B", statements=[withheld])
    goal(app, cast, "C", statements=[draft])
    goal(app, cast, "D", not_for_parents=True)
    assert goals_seen(app, cast.mother_a) == {label(app, "A")}
    text = home(app, cast.mother_a).get_data(as_text=True)
    assert "Merka før" in text and "Halde tilbake" not in text and "Kladd" not in text


def test_parent_of_a_16_year_old_sees_only_goals_on_what_is_shared_with_them(app, cast):
    set_age(app, cast, 16)
    team_only = statement(app, cast, "Berre teamet", sharing=Sharing.TEAM)
    family = statement(app, cast, "Til familien", sharing=Sharing.FAMILY)
    goal(app, cast, "A", statements=[team_only])
    goal(app, cast, "B", statements=[family])
    goal(app, cast, "C", statements=[family, team_only])
    goal(app, cast, "D")
    assert goals_seen(app, cast.mother_a) == {label(app, "B"), label(app, "D")}
    assert goals_seen(app, cast.ola) == {label(app, t) for t in "ABCD"}


def test_a_removed_statement_hides_its_goal_from_the_parent_and_its_text_from_everyone(app, cast):
    set_age(app, cast, 15)
    removed = statement(app, cast, "Fjerna tekst")
    with app.app_context():
        db.session.get(Statement, removed).removed_at = utcnow()
        db.session.commit()
    goal(app, cast, "Mål", statements=[removed])
    assert goals_seen(app, cast.mother_a) == set()
    assert goals_seen(app, cast.ola) == {label(app, "Mål")}
    assert "Fjerna tekst" not in home(app, cast.ola).get_data(as_text=True)


def test_other_families_see_nothing_of_it(app, cast, goals_15):
    assert goals_seen(app, cast.emma) == set()
    assert goals_seen(app, cast.father_b) == set()


def test_the_latest_evaluation_is_shown_in_plain_words(app, cast):
    goal_id = goal(app, cast, "Sove betre", measure="Søvndagbok")
    with app.app_context():
        db.session.add(Evaluation(measure_id=measure_of(app, goal_id), evaluated_on=TODAY, worked="Han søv betre",
                                  next_step="Held fram", by_id=cast.per))
        db.session.commit()
    text = page(home(app, cast.ola)).text()
    assert "Han søv betre" in text and "Held fram" in text


def test_the_home_page_queries_do_not_grow_with_goals(app, cast):
    from tests.pathways.test_relay import counting_queries

    def queries():
        with app.test_request_context():
            from accounts.models import User

            user = db.session.get(User, cast.mother_a)
            with counting_queries(app) as statements:
                relay_services.doing_for_home(user, {cast.pathway_a: 15})
            return len(statements)

    shared = statement(app, cast, "Eg søv dårleg")
    goal(app, cast, "Første", statements=[shared], measure="Tiltak")
    few = queries()
    for i in range(15):
        goal(app, cast, f"Mål {i}", statements=[shared], measure=f"Tiltak {i}")
    assert queries() == few


# --- comments -------------------------------------------------------------------------------------

@pytest.fixture()
def measure_id(app, cast):
    return measure_of(app, goal(app, cast, "Sove betre", measure="Søvndagbok"))


def client_for(app, user_id):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def test_the_young_person_comments_on_a_measure(app, cast, measure_id):
    ola = client_for(app, cast.ola)
    response = post(ola, f"/my/measures/{measure_id}/comment", {"text": "  Dagboka hjelper  "})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/my/doing#measure-{measure_id}"
    with app.app_context():
        stored = db.session.scalar(select(MeasureComment))
        assert (stored.measure_id, stored.author_id, stored.author_role, stored.text) == (
            measure_id, cast.ola, Role.YOUNG_PERSON, "Dagboka hjelper")
    comments = page(ola.get("/my/doing")).by_id(f"comments-{measure_id}")
    assert "Dagboka hjelper" in comments.text()


def test_a_comment_reaches_the_team_but_not_the_other_side_of_the_family(app, cast, measure_id):
    post(client_for(app, cast.mother_a), f"/my/measures/{measure_id}/comment", {"text": "Han søv betre no"})
    with app.app_context():
        assert db.session.scalar(select(MeasureComment.author_role)) == Role.PARENT
    assert "Han søv betre no" not in home(app, cast.ola).get_data(as_text=True)
    assert "Han søv betre no" in home(app, cast.mother_a).get_data(as_text=True)
    with app.test_request_context():
        from accounts.models import User

        log = team_side.relay_log(db.session.get(Pathway, cast.pathway_a), db.session.get(User, cast.kari))
    comments = log.goals[0].measures[0].comments
    assert [(c.author_name, c.text) for c in comments] == [("Randi Nordvik", "Han søv betre no")]


@pytest.mark.parametrize(("text", "message"), [
    ("", "Fill in this field."),
    ("   ", "Fill in this field."),
    ("x" * 1001, "Write at most %(max)d characters."),
])
def test_a_refused_comment_shows_the_message_beside_the_field_and_keeps_the_text(app, cast, measure_id, text,
                                                                                 message):
    response = post(client_for(app, cast.ola), f"/my/measures/{measure_id}/comment", {"text": text})
    assert response.status_code == 400
    assert field_error(response, f"comment-{measure_id}") == translated(app, message, max=1000)
    assert page(response).by_id(f"comment-{measure_id}").text() == " ".join(text.split())
    assert len(page(response).find_all("h1")) == 1  # the whole page of goals
    assert count(app, MeasureComment) == 0


def test_commenting_with_htmx_swaps_the_measures_comments(app, cast, measure_id):
    ola = client_for(app, cast.ola)
    response = post(ola, f"/my/measures/{measure_id}/comment", {"text": "Bra"}, headers=HTMX)
    assert response.status_code == 200
    body = parse(response.get_data(as_text=True))
    assert "<html" not in response.get_data(as_text=True)
    fragment = body.by_id(f"comments-{measure_id}")
    assert "Bra" in fragment.text() and fragment.find("form") is not None
    refused = post(ola, f"/my/measures/{measure_id}/comment", {"text": " "}, headers=HTMX)
    assert refused.status_code == 200
    assert field_error(refused, f"comment-{measure_id}") == translated(app, "Fill in this field.")
    assert count(app, MeasureComment) == 1


def test_a_parent_cannot_comment_on_a_measure_they_may_not_see(app, cast):
    set_age(app, cast, 15)
    hidden = measure_of(app, goal(app, cast, "Løyndom", not_for_parents=True, measure="Hemmeleg tiltak"))
    assert post(client_for(app, cast.mother_a), f"/my/measures/{hidden}/comment", {"text": "Hei"}).status_code == 404
    assert post(client_for(app, cast.father_b), f"/my/measures/{hidden}/comment", {"text": "Hei"}).status_code == 404
    assert post(client_for(app, cast.ola), f"/my/measures/{hidden}/comment", {"text": "Hei"}).status_code == 303
    assert count(app, MeasureComment) == 1


def test_no_comments_on_a_closed_pathway(app, cast, measure_id):
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.closed_at, pathway.closing_summary, pathway.closed_by_id = (
            datetime.now(timezone.utc), "Ferdig", cast.kari)
        db.session.commit()
    assert post(client_for(app, cast.ola), f"/my/measures/{measure_id}/comment", {"text": "Hei"}).status_code == 409
    assert count(app, MeasureComment) == 0
