"""The database away for a moment (a restart, a failover): a rating that could not be saved comes back
with its answers in a form that sends them again, with a 503 and Retry-After, never the 500 page; a
page that only reads is tried once more; a mistake in a statement is still a 500.

The connection is closed under the app just before the statement chosen, as a server restart does;
SQLAlchemy then sees a broken connection (on SQLite "closed database", on PostgreSQL "the connection
is closed") and invalidates it."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from core.extensions import db
from core.models import utcnow
from feedback.models import FeedbackResponse
from tests.conftest import csrf_token
from tests.feedback.test_answer import GOOD, form_data, items, rating_request, stored, url
from tests.helpers import count, page, sign_in, translated
from tests.pathways.test_meetings import make_meeting

NOT_SAVED = ("We could not save what you sent, because of a short break on our side. Nothing is lost: what you "
             "wrote is below. Wait a few seconds and send it again.")


@contextmanager
def connection_breaks(app, when=lambda statement: True, times=1):
    """The database connection is closed just before each of the first `times` statements `when` picks."""
    broken = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if len(broken) < times and when(statement):
            broken.append(statement)
            conn.connection.dbapi_connection.close()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield broken
    finally:
        event.remove(engine, "before_cursor_execute", before)


def writes(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("INSERT", "UPDATE"))


@pytest.fixture()
def ola_rating(app, cast) -> int:
    meeting = make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() - timedelta(hours=2))
    return rating_request(app, cast.ola, meeting)


def checked(body, name: str) -> list[str]:
    return [node["value"] for node in body.find_all("input", name=name) if "checked" in node.attrs]


def test_a_rating_that_could_not_be_saved_comes_back_with_its_answers(app, client, cast, ola_rating):
    """Ola's rating meets a broken connection when it is saved: a 503 with Retry-After, his answers
    chosen again, his text in its field; sending that form once the database is back saves it."""
    sign_in(client, cast.ola)
    better = f"item_{items(app)['better'].id}"
    data = form_data(app, GOOD | {"better": "Meir tid til å snakke"}) | {"csrf_token": csrf_token(client)}
    data["version"] = page(client.get(url(ola_rating))).find("input", name="version")["value"]
    with connection_breaks(app, writes) as broken:
        response = client.post(url(ola_rating), data=data)
    assert broken, "the rating wrote nothing"
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert translated(app, NOT_SAVED) in " ".join(page(response).by_id("main").text().split())
    assert stored(app, ola_rating) == (None, {})

    form = page(response).find("form", action=url(ola_rating))
    assert form is not None and form["method"] == "post"
    for name, value in data.items():
        if name == "csrf_token":
            continue
        if name == better:
            assert form.find("textarea", name=name).text() == value
        elif name == "version":
            assert form.find("input", name=name)["value"] == value
        else:
            assert checked(form, name) == [value], name
    # The groups keep their questions as legends, so the page reads as the rating did.
    legends = [legend.text() for legend in form.find_all("legend")]
    assert len(legends) == len(GOOD) + 1

    again = {node["name"]: node["value"] for node in form.find_all("input")
             if node.get("type") != "radio" or "checked" in node.attrs}
    again[better] = form.find("textarea", name=better).text()
    resent = client.post(url(ola_rating), data=again)
    assert resent.status_code == 303
    response, answers = stored(app, ola_rating)
    assert response is not None
    assert answers == GOOD | {"better": "Meir tid til å snakke"}


def test_a_page_that_only_reads_is_tried_once_more(app, client, cast):
    """Ola's home page meets a broken connection once: he sees his page; twice: the 503 page."""
    sign_in(client, cast.ola)
    with connection_breaks(app, lambda statement: "pathways" in statement) as broken:
        response = client.get("/me")
    assert len(broken) == 1
    assert response.status_code == 200
    assert "Ola Nordvik" in response.get_data(as_text=True)

    with connection_breaks(app, times=2) as broken:
        response = client.get("/me")
    assert len(broken) == 2
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert page(response).find("h1").text() == translated(app, "Stemme is not available just now")


def test_a_page_tried_once_more_answers_as_it_would_have(app, client, cast):
    """A missing pathway read again is the 404 page, not an error."""
    sign_in(client, cast.kari)
    with connection_breaks(app, lambda statement: "pathways" in statement) as broken:
        response = client.get("/pathways/999999")
    assert broken
    assert response.status_code == 404


def test_database_down_for_the_whole_request(app, client, cast, ola_rating):
    """Every statement fails (the server is still starting): the posted fields come back all the
    same, each by its name, in a form to send again."""
    sign_in(client, cast.ola)
    data = form_data(app, GOOD | {"better": "Fint"}) | {"csrf_token": csrf_token(client)}
    with connection_breaks(app, times=1000):
        response = client.post(url(ola_rating), data=data)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    form = page(response).find("form", action=url(ola_rating))
    kept = [(node["name"], node["value"]) for node in form.find_all("input") if node["name"] != "csrf_token"]
    assert sorted(kept) == sorted((name, value) for name, value in data.items() if name != "csrf_token")
    assert all(label.text() for label in form.find_all("label"))
    assert count(app, FeedbackResponse) == 0


def test_an_autosave_is_told_503_and_tries_again(app, client, cast):
    """An htmx post (the statement autosave) gets a short 503 its script retries, not a page."""
    sign_in(client, cast.ola)
    token = csrf_token(client)
    with connection_breaks(app, writes):
        response = client.post(f"/my/pathways/{cast.pathway_a}/statements/new", headers={"HX-Request": "true"},
                               data={"csrf_token": token, "prompt": "hard", "text": "Eg søv dårleg",
                                     "sharing": "team", "revision": "0"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "<html" not in response.get_data(as_text=True)


def test_a_mistake_in_a_statement_is_still_a_server_error(app, client, cast):
    """Only a connection that failed is the database being away; a broken statement is a bug (500)."""
    sign_in(client, cast.ola)

    def wrong(conn, cursor, statement, parameters, context, executemany):
        if "pathways" in statement:
            return "SELECT no_such_column FROM no_such_table", parameters
        return statement, parameters

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", wrong, retval=True)
    try:
        app.testing = False  # the 500 page, as in production, not the exception
        response = client.get("/me")
    finally:
        app.testing = True
        event.remove(engine, "before_cursor_execute", wrong)
    assert response.status_code == 500
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_database_unreachable(app, client, cast, ola_rating, database_url):
    """An app whose database cannot be reached at all (a closed port; on SQLite a file that cannot be
    opened): a page is the 503 page, a posted rating comes back field by field, both with Retry-After."""
    from app import create_app
    from tests.helpers import extra_app

    sign_in(client, cast.ola)
    data = form_data(app, GOOD) | {"csrf_token": csrf_token(client)}
    away = ("postgresql+psycopg://postgres@127.0.0.1:1/stemme" if database_url.startswith("postgresql")
            else "sqlite:////nonexistent-directory/stemme.sqlite3")
    with extra_app(lambda: create_app({"TESTING": True, "SECRET_KEY": app.config["SECRET_KEY"],
                                       "SQLALCHEMY_DATABASE_URI": away})) as other:
        browser = other.test_client()
        browser.set_cookie("stemme_session", client.get_cookie("stemme_session").value)
        shown = browser.get("/me")
        posted = browser.post(url(ola_rating), data=data)
    assert shown.status_code == posted.status_code == 503
    assert shown.headers["Retry-After"] == posted.headers["Retry-After"] == "5"
    form = page(posted).find("form", action=url(ola_rating))
    kept = {node["name"]: node["value"] for node in form.find_all("input") if node["name"] != "csrf_token"}
    assert kept == {name: value for name, value in data.items() if name != "csrf_token"}
