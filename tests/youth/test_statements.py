"""What matters to me: writing, autosaving, changing and removing statements; read receipts."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from pathways.models import AccessLog, InputKind
from tests.conftest import post
from tests.helpers import count, counting_queries, field_error, page, sign_in, translated
from youth import services
from youth.models import Prompt, Sharing, Statement, StatementVersion, VisibilityChange, VisibilityKind

HTMX = {"HX-Request": "true"}


def new_url(pathway_id):
    return f"/my/pathways/{pathway_id}/statements/new"


@pytest.fixture()
def ola(client, cast):
    """The test client, logged in as Ola (15)."""
    sign_in(client, cast.ola)
    return client


def as_user(app, user_id):
    """Another browser (or device), logged in as `user_id`."""
    other = app.test_client()
    sign_in(other, user_id)
    return other


def new_form(client, pathway_id) -> dict:
    """The hidden fields of a freshly loaded new-statement form."""
    body = page(client.get(new_url(pathway_id)))
    return {"client_key": body.find("input", name="client_key")["value"],
            "revision": body.find("input", name="revision")["value"]}


def write(client, pathway_id, text, sharing="team", prompt="hard", headers=None, **extra):
    data = {**new_form(client, pathway_id), "prompt": prompt, "text": text, "sharing": sharing, **extra}
    return post(client, new_url(pathway_id), data, headers=headers or {})


def statements(app, author_id=None):
    with app.app_context():
        query = select(Statement).order_by(Statement.id)
        if author_id:
            query = query.where(Statement.author_id == author_id)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def versions(app, statement_id):
    with app.app_context():
        return [(v.revision, v.text, v.sharing, v.removed) for v in db.session.scalars(
            select(StatementVersion).where(StatementVersion.statement_id == statement_id)
            .order_by(StatementVersion.revision))]


def sharing_changes(app, statement_id):
    with app.app_context():
        return [(c.kind, c.sharing, c.by_id) for c in db.session.scalars(
            select(VisibilityChange).where(VisibilityChange.item_kind == InputKind.STATEMENT,
                                           VisibilityChange.item_id == statement_id)
            .order_by(VisibilityChange.id))]


def textarea_text(response) -> str:
    """What the text box holds (the leading newline WTForms adds is dropped by browsers too)."""
    return "".join(c for c in page(response).by_id("text").children if isinstance(c, str)).removeprefix("\r\n").removeprefix("\n")


def sharing_labels(main) -> list[str]:
    labels = {label.get("for"): label.text() for label in main.find_all("label")}
    return [labels[i["id"]] for i in main.find_all("input", name="sharing")]


def listed_texts(response) -> list[str]:
    """The statement texts the page lists."""
    return [p.text() for p in page(response).find_all("p", class_="statement-text")]


# --- the form --------------------------------------------------------------------------------


def test_new_statement_page_for_a_young_person_of_15(app, ola, cast):
    """The full page: prompts, a 1000-character text box with its counter, who may read it (the
    answers for 12–15, no second box), a button saying where it goes, a hidden key for autosave."""
    response = ola.get(new_url(cast.pathway_a))
    assert response.status_code == 200
    main = page(response).by_id("main")
    assert [h.text() for h in main.find_all("h1")] == [translated(app, "What matters to me")]
    form = main.find("form", class_="statement-form")
    assert form["method"] == "post" and form["action"] == new_url(cast.pathway_a) == form["hx-post"]
    assert "data-autosave" in form.attrs and form["hx-trigger"] == "input delay:1s"
    assert form["data-offline-text"] == translated(app, "Not saved: no connection. What you wrote is kept here; we will try again.")
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,40}", form.find("input", name="client_key")["value"])
    assert main.by_id("revision")["value"] == "0"
    assert {i["value"] for i in main.find_all("input", name="prompt")} == {p.value for p in Prompt}
    text = main.by_id("text")
    assert text.tag == "textarea" and text["maxlength"] == "1000"
    assert main.by_id("text-description").text() == translated(app, "At most %(max)s characters.", max=1000)
    counter = main.find(data_counter="text")
    assert counter["data-counter-text"] == translated(app, "%(count)s of %(max)s characters",
                                                      count="{count}", max="{max}")
    labels = sharing_labels(main)
    assert labels == [translated(app, "My team and my parents"), translated(app, "My team, not my parents"),
                      translated(app, "Only me for now")]
    assert main.find(id="not_for_parents") is None
    assert [i["value"] for i in main.find_all("input", name="sharing") if "checked" in i.attrs] == ["team"]
    [current] = [span for span in form.find_all("span", class_="send-label") if "data-current" in span.attrs]
    assert current.text() == translated(app, "Send to my team")
    assert "data-save-status" in main.find("p", class_="save-status").attrs


def test_new_statement_page_for_a_parent(app, client, cast):
    """A parent shares with "my team", "my team and my child" or "only me for now"; no second box."""
    sign_in(client, cast.mother_a)
    main = page(client.get(new_url(cast.pathway_a))).by_id("main")
    labels = sharing_labels(main)
    assert labels == [translated(app, "My team"), translated(app, "My team and my child"),
                      translated(app, "Only me for now")]
    assert main.find(id="not_for_parents") is None


# --- saving ----------------------------------------------------------------------------------


def test_save_stores_a_version_and_the_sharing_choice_and_redirects_home(app, ola, cast):
    """A normal save (JavaScript off): 303 to the list of what Ola has said, with a message; the statement, its
    first version and the sharing choice are stored with who and when."""
    response = write(ola, cast.pathway_a, "Eg søv dårleg", sharing="team")
    assert response.status_code == 303 and response.headers["Location"] == "/my/statements"
    [statement] = statements(app)
    assert (statement.pathway_id, statement.author_id, statement.prompt, statement.text, statement.sharing,
            statement.revision) == (cast.pathway_a, cast.ola, Prompt.HARD, "Eg søv dårleg", Sharing.TEAM, 1)
    assert versions(app, statement.id) == [(1, "Eg søv dårleg", Sharing.TEAM, False)]
    assert sharing_changes(app, statement.id) == [(VisibilityKind.SHARING, Sharing.TEAM, cast.ola)]
    home = ola.get("/my/statements")
    told = translated(app, "Your team can read it, your parents cannot.")
    assert translated(app, "Saved. %(who)s", who=told) in page(home).text()


def test_autosave_answers_with_a_status_and_the_new_revision(app, ola, cast):
    """An htmx save stores a version and answers with "Saved hh:mm" and the revision out of band;
    the next autosave of the same form updates the same statement; only a change of who may read
    it adds a visibility change."""
    form = new_form(ola, cast.pathway_a)
    data = {**form, "prompt": "wish", "text": "Eg vil", "sharing": "private"}
    first = post(ola, new_url(cast.pathway_a), data, headers=HTMX)
    assert first.status_code == 200 and "HX-Request" in first.headers["Vary"]
    body = page(first)
    assert re.fullmatch(translated(app, "Saved %(time)s", time=r"\d\d:\d\d"), body.text())
    revision = body.by_id("revision")
    assert (revision["value"], revision["hx-swap-oob"]) == ("1", "true")
    assert "<main" not in first.get_data(as_text=True)

    second = post(ola, new_url(cast.pathway_a), {**data, "revision": "1", "text": "Eg vil spele fotball"},
                  headers=HTMX)
    assert page(second).by_id("revision")["value"] == "2"
    third = post(ola, new_url(cast.pathway_a), {**data, "revision": "2", "text": "Eg vil spele fotball",
                                                "sharing": "family"}, headers=HTMX)
    assert page(third).by_id("revision")["value"] == "3"
    [statement] = statements(app)
    assert (statement.text, statement.sharing, statement.revision) == ("Eg vil spele fotball", Sharing.FAMILY, 3)
    assert [v[:3] for v in versions(app, statement.id)] == [
        (1, "Eg vil", Sharing.PRIVATE), (2, "Eg vil spele fotball", Sharing.PRIVATE),
        (3, "Eg vil spele fotball", Sharing.FAMILY)]
    assert [c[1] for c in sharing_changes(app, statement.id)] == [Sharing.PRIVATE, Sharing.FAMILY]


def test_autosave_of_an_empty_text_says_why_and_stores_nothing(app, ola, cast):
    response = write(ola, cast.pathway_a, "   ", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["X-Autosave"] == "not-saved"
    text = page(response).text()
    assert translated(app, "Write something first.") in text
    assert text.startswith(translated(app, "Not saved: %(reason)s", reason="")[:5])
    assert count(app, Statement) == 0


def test_double_post_with_the_same_key_makes_one_statement(app, ola, cast):
    """A double tap (or autosave and then Save) with the same form makes one statement."""
    data = {**new_form(ola, cast.pathway_a), "prompt": "hard", "text": "Skulen", "sharing": "team"}
    assert post(ola, new_url(cast.pathway_a), data).status_code == 303
    assert post(ola, new_url(cast.pathway_a), data).status_code == 303
    [statement] = statements(app)
    assert versions(app, statement.id) == [(1, "Skulen", Sharing.TEAM, False)]
    # Another form (another key) is another statement.
    write(ola, cast.pathway_a, "Skulen")
    assert count(app, Statement) == 2


@pytest.mark.parametrize(("text", "message"), [
    ("", "Write something first."),
    (" \n\t ", "Write something first."),
], ids=["empty", "only-spaces"])
def test_empty_statement_is_refused_beside_the_field(app, ola, cast, text, message):
    response = write(ola, cast.pathway_a, text, sharing="family")
    assert response.status_code == 400
    assert field_error(response, "text") == translated(app, message)
    assert page(response).by_id("sharing-0").attrs.__contains__("checked")  # the choice is kept
    assert count(app, Statement) == 0


def test_too_long_statement_is_refused_and_the_text_kept(app, ola, cast):
    text = "å" * 1001
    response = write(ola, cast.pathway_a, text)
    assert response.status_code == 400
    assert field_error(response, "text") == translated(
        app, "At most %(max)s characters. You have written %(count)s.", max=1000, count=1001)
    assert textarea_text(response) == text
    assert count(app, Statement) == 0
    # 1000 is allowed, and a browser's CRLF line ends count as one character each.
    assert write(ola, cast.pathway_a, "a\r\n" * 333 + "b").status_code == 303
    assert statements(app)[0].text == "a\n" * 333 + "b"


def test_markup_is_stored_as_typed_and_shown_as_text_and_emoji_kept(app, ola, cast):
    typed = '  <script>alert("x")</script> <b>fet</b> & 😀🏳️‍🌈 '
    write(ola, cast.pathway_a, typed)
    assert statements(app)[0].text == typed
    response = ola.get(new_url(cast.pathway_a))
    html = response.get_data(as_text=True)
    assert '<script>alert("x")' not in html and "<b>fet</b>" not in html
    assert "&lt;script&gt;" in html and "😀🏳️‍🌈" in html
    assert listed_texts(response) == [" ".join(typed.split())]
    edit = ola.get(f"/my/statements/{statements(app)[0].id}")
    assert textarea_text(edit) == typed


def test_a_box_from_the_old_form_is_ignored_the_answer_decides(app, ola, cast):
    """A form kept open from before 0015 may still post "not_for_parents": the one answer decides."""
    response = write(ola, cast.pathway_a, "Kjærast", sharing="family", not_for_parents="y")
    assert response.status_code == 303
    assert [s.sharing for s in statements(app)] == [Sharing.FAMILY]


# --- changing, two devices, removing ---------------------------------------------------------


def make_statement(app, cast, author_id=None, text="Eg likar fotball", sharing=Sharing.TEAM, **extra):
    with app.app_context():
        author = db.session.get(User, author_id or cast.ola)
        from pathways.models import Pathway
        pathway = db.session.get(Pathway, extra.pop("pathway_id", cast.pathway_a))
        statement, _ = services.create_or_update_statement(
            author, pathway, services.StatementData(Prompt.GOES_WELL, text, sharing))
        return statement.id


def test_edit_page_shows_the_stored_statement(app, ola, cast):
    statement_id = make_statement(app, cast, sharing=Sharing.FAMILY)
    response = ola.get(f"/my/statements/{statement_id}")
    assert response.status_code == 200
    main = page(response).by_id("main")
    assert [h.text() for h in main.find_all("h1")] == [translated(app, "Change what you wrote")]
    assert textarea_text(response) == "Eg likar fotball"
    assert main.by_id("sharing-0").attrs.__contains__("checked")
    assert main.by_id("revision")["value"] == "1"
    assert main.find("input", name="client_key") is None
    assert main.find("form", action=f"/my/statements/{statement_id}/remove") is not None


def test_edit_saves_a_new_version_and_redirects(app, ola, cast):
    statement_id = make_statement(app, cast)
    response = post(ola, f"/my/statements/{statement_id}", {"prompt": "goes_well", "text": "Eg likar handball",
                                                            "sharing": "team", "revision": "1"})
    assert response.status_code == 303 and response.headers["Location"] == "/my/statements"
    assert versions(app, statement_id)[-1] == (2, "Eg likar handball", Sharing.TEAM, False)
    assert len(sharing_changes(app, statement_id)) == 1  # sharing did not change


def test_edit_as_htmx_is_an_autosave(app, ola, cast):
    statement_id = make_statement(app, cast)
    response = post(ola, f"/my/statements/{statement_id}", {"prompt": "goes_well", "text": "Ny",
                                                            "sharing": "team", "revision": "1"}, headers=HTMX)
    assert response.status_code == 200 and page(response).by_id("revision")["value"] == "2"
    assert statements(app)[0].text == "Ny"


def test_two_devices_with_different_texts_choose_and_nothing_is_stored_before(app, ola, cast):
    """The phone saves first; the laptop, loaded before, saves another text: it sees both texts,
    nothing is stored, and choosing stores the chosen one."""
    statement_id = make_statement(app, cast)
    laptop = as_user(app, cast.ola)
    url = f"/my/statements/{statement_id}"
    assert page(laptop.get(url)).by_id("revision")["value"] == "1"
    assert post(ola, url, {"prompt": "goes_well", "text": "Frå telefonen", "sharing": "team",
                           "revision": "1"}).status_code == 303

    response = post(laptop, url, {"prompt": "goes_well", "text": "Frå laptopen", "sharing": "team", "revision": "1"})
    assert response.status_code == 409
    main = page(response).by_id("main")
    assert main.find(data_version="yours").text() == "Frå laptopen"
    assert main.find(data_version="theirs").text() == "Frå telefonen"
    assert [v[1] for v in versions(app, statement_id)] == ["Eg likar fotball", "Frå telefonen"]
    choices = [f for f in main.find_all("form") if f.get("action") == url]
    assert [f.find("input", name="revision")["value"] for f in choices] == ["2", "2"]

    keep_mine = {i["name"]: i["value"] for i in choices[0].find_all("input") if i["name"] != "csrf_token"}
    assert post(laptop, url, keep_mine).status_code == 303
    assert statements(app)[0].text == "Frå laptopen"
    assert [v[1] for v in versions(app, statement_id)][-1] == "Frå laptopen"


def test_two_devices_conflict_in_an_autosave_replaces_the_form_with_the_choice(app, ola, cast):
    statement_id = make_statement(app, cast)
    url = f"/my/statements/{statement_id}"
    post(ola, url, {"prompt": "goes_well", "text": "A", "sharing": "team", "revision": "1"})
    response = post(as_user(app, cast.ola), url, {"prompt": "goes_well", "text": "B", "sharing": "team",
                                                  "revision": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#autosave-editor"
    assert response.headers["X-Autosave"] == "not-saved"  # nothing stored: the page keeps warning
    assert response.headers["HX-Reswap"] == "outerHTML"
    body = page(response)
    assert body.by_id("autosave-editor").find(data_version="yours").text() == "B"
    assert body.find(data_version="theirs").text() == "A"
    assert "<main" not in response.get_data(as_text=True)
    assert statements(app)[0].text == "A"


def test_an_older_revision_with_the_same_text_just_saves(app, ola, cast):
    statement_id = make_statement(app, cast)
    url = f"/my/statements/{statement_id}"
    post(ola, url, {"prompt": "goes_well", "text": "Same", "sharing": "team", "revision": "1"})
    response = post(as_user(app, cast.ola), url, {"prompt": "goes_well", "text": "Same", "sharing": "family",
                                                  "revision": "1"})
    assert response.status_code == 303
    assert statements(app)[0].sharing == Sharing.FAMILY


@pytest.mark.parametrize("who", ["mother_a", "emma", "father_b"])
def test_only_the_author_opens_changes_or_removes_a_statement(app, client, cast, who):
    statement_id = make_statement(app, cast, sharing=Sharing.FAMILY)
    sign_in(client, getattr(cast, who))
    assert client.get(f"/my/statements/{statement_id}").status_code == 404
    assert post(client, f"/my/statements/{statement_id}", {"prompt": "hard", "text": "x", "sharing": "team",
                                                           "revision": "9"}).status_code == 404
    assert post(client, f"/my/statements/{statement_id}/remove").status_code == 404
    assert statements(app)[0].text == "Eg likar fotball" and statements(app)[0].removed_at is None


@pytest.mark.parametrize("who", ["kari", "admin"])
def test_professionals_and_admins_get_403(app, client, cast, who):
    statement_id = make_statement(app, cast)
    sign_in(client, getattr(cast, who))
    assert client.get(new_url(cast.pathway_a)).status_code == 403
    assert client.get(f"/my/statements/{statement_id}").status_code == 403
    assert client.get("/my/readers").status_code == 403


def test_statements_on_another_pathway_are_404(app, ola, cast):
    assert ola.get(new_url(cast.pathway_b)).status_code == 404
    assert post(ola, new_url(cast.pathway_b), {"prompt": "hard", "text": "x", "sharing": "team",
                                               "client_key": "k" * 20, "revision": "0"}).status_code == 404
    assert count(app, Statement) == 0


def test_remove_hides_it_from_everyone_and_keeps_the_history(app, ola, cast):
    statement_id = make_statement(app, cast, sharing=Sharing.FAMILY)
    response = post(ola, f"/my/statements/{statement_id}/remove")
    assert response.status_code == 303 and response.headers["Location"] == "/my/statements"
    [statement] = statements(app)
    assert statement.removed_at is not None and statement.removed_by_id == cast.ola
    assert versions(app, statement_id) == [(1, "Eg likar fotball", Sharing.FAMILY, False),
                                           (2, "Eg likar fotball", Sharing.FAMILY, True)]
    assert ola.get(f"/my/statements/{statement_id}").status_code == 404
    assert post(ola, f"/my/statements/{statement_id}/remove").status_code == 404
    assert listed_texts(ola.get(new_url(cast.pathway_a))) == []
    mother = as_user(app, cast.mother_a)
    assert listed_texts(mother.get(new_url(cast.pathway_a))) == []


# --- read receipts ---------------------------------------------------------------------------

WHEN = datetime(2026, 3, 12, 13, 3, tzinfo=timezone.utc)  # 14:03 in Oslo


def log_read(app, cast, reader_id, item_id, author_id=None, at=WHEN, services="BUP Test",
             kind=InputKind.STATEMENT):
    with app.app_context():
        db.session.add(AccessLog(at=at, reader_id=reader_id, reader_services=services, pathway_id=cast.pathway_a,
                                 item_kind=kind, item_id=item_id, author_id=author_id or cast.ola))
        db.session.commit()


def test_statement_shows_who_read_it_and_when(app, ola, cast):
    statement_id = make_statement(app, cast, text="Eg søv dårleg")
    # Read before the statement was written in this test: marked as read before the last change.
    log_read(app, cast, cast.kari, statement_id, at=datetime.now(timezone.utc) + timedelta(minutes=1))
    log_read(app, cast, cast.kari, statement_id, at=WHEN)
    log_read(app, cast, cast.per, statement_id, at=WHEN, services="Skulehelse Test")
    with app.test_request_context():
        import flask_babel

        from core.formatting import long_date
        with flask_babel.force_locale("nb"):
            day = long_date(WHEN)
    expected_per = translated(app, "Read by %(name)s (%(services)s) on %(date)s", name="Per Hansen",
                              services="Skulehelse Test", date=day)
    edit = page(ola.get(f"/my/statements/{statement_id}"))
    lines = [li.text() for li in edit.find("ul", class_="readers").find_all("li")]
    assert len(lines) == 2 and lines[1] == expected_per + " " + translated(app, "(before your last change)")
    assert lines[0].startswith(translated(app, "Read by %(name)s (%(services)s) on %(date)s", name="Kari Nordmann",
                                          services="BUP Test", date=""))
    listed = page(ola.get(new_url(cast.pathway_a))).find("ul", class_="readers").text()
    assert "Kari Nordmann (BUP Test)" in listed and expected_per in listed


# The page of who has read it (grouped by reader and day, paged): tests/youth/test_readers.py.


# --- fixed number of queries -----------------------------------------------------------------


def queries_for_home(app, cast, user_id):
    with app.test_request_context():
        user = db.session.get(User, user_id)
        statements_seen = []
        with counting_queries(app) as counter:
            result = services.statements_for_home(user, {cast.pathway_a: 15})
            for items in result.values():
                for item in items:
                    statements_seen.append((item.text, [r.name for r in item.readers]))
        return len(counter), statements_seen


def test_statements_for_home_runs_a_fixed_number_of_queries(app, cast):
    one = make_statement(app, cast)
    log_read(app, cast, cast.kari, one)
    few, seen = queries_for_home(app, cast, cast.ola)
    assert seen == [("Eg likar fotball", ["Kari Nordmann"])]
    for n in range(30):
        statement_id = make_statement(app, cast, text=f"Nr {n}")
        log_read(app, cast, cast.kari, statement_id)
        log_read(app, cast, cast.per, statement_id, services="Skulehelse Test")
    many, seen = queries_for_home(app, cast, cast.ola)
    assert len(seen) == 31 and all(len(readers) == 2 for _, readers in seen[:30])
    assert many == few == 2
