"""The admin's editing of the question sets (feedback/admin_views.py): the list, one set's items, and
a save that makes a new version while answers already given keep theirs."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accounts.models import User
from core.extensions import db
from core.models import utcnow
from feedback import question_services, services
from feedback.models import FeedbackItem, FeedbackRequest, QuestionSet, QuestionSetVersion, ScaleKind
from pathways.models import Meeting, MeetingKind
from tests.conftest import post
from tests.helpers import count, field_error, page, sign_in, translated

SET_KEYS = ["meeting", "questionnaire_child", "questionnaire_youth", "questionnaire_parent"]


@pytest.fixture(autouse=True)
def _forget_who_made_versions(app):
    """After each test, versions the admin made no longer name the admin: the cleanup in conftest
    deletes the users before it puts the question sets back (on SQLite the foreign key refuses)."""
    yield
    with app.app_context():
        db.session.remove()
        db.session.execute(update(QuestionSetVersion).values(created_by_id=None))
        db.session.commit()


@pytest.fixture()
def admin(client, cast):
    sign_in(client, cast.admin)
    return client


def set_id(app, key: str) -> int:
    with app.app_context():
        return db.session.scalar(select(QuestionSet.id).where(QuestionSet.key == key))


def snapshot(app, key: str, number: int | None = None) -> list[tuple]:
    """A version's items as plain tuples (the newest, or `number`)."""
    with app.app_context():
        query = select(QuestionSetVersion).join(QuestionSet).where(QuestionSet.key == key)
        query = query.where(QuestionSetVersion.number == number) if number else query.order_by(
            QuestionSetVersion.number.desc()).limit(1)
        version = db.session.scalar(query)
        return [(i.position, i.key, i.scale_id, i.text_nn, i.text_nb, i.required, i.overall, i.shows_topics)
                for i in version.items]


def numbers(app, key: str) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(QuestionSetVersion.number).join(QuestionSet)
                                       .where(QuestionSet.key == key).order_by(QuestionSetVersion.number)))


def form_data(app, key: str, **changes) -> dict:
    """What the set's form posts when nothing is changed, with `changes` on top (a value of None
    leaves a checkbox unticked)."""
    with app.app_context():
        version = services.current_version(key)
        kind = "faces" if key == "meeting" else "agreement"
        data = {"based_on": str(version.number), "new_nn": "", "new_nb": "", "new_kind": kind}
        for item in version.items:
            data[f"nn_{item.key}"], data[f"nb_{item.key}"] = item.text_nn, item.text_nb
            if item.required:
                data[f"required_{item.key}"] = "y"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def answered_rating(app, cast) -> int:
    """Ola's rating of a held meeting on pathway A, answered with the version asked now; its request id."""
    with app.app_context():
        starts = utcnow() - timedelta(days=1, hours=2)
        meeting = Meeting(pathway_id=cast.pathway_a, kind=MeetingKind.CONVERSATION, starts_at=starts,
                          ends_at=starts + timedelta(hours=1), place="BUP", purpose="Korleis går det?",
                          created_by_id=cast.kari)
        db.session.add(meeting)
        db.session.commit()
        services.make_due_requests(db.session.get(User, cast.ola))
        request = db.session.scalar(select(FeedbackRequest).where(FeedbackRequest.user_id == cast.ola))
        version = services.current_version("meeting")
        values = {item.id: 4 for item in version.items if item.scale is not None}
        services.save_response(request, services.Answers(values=values, texts={}))
        return request.id


# --- the list -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_the_list_names_the_four_sets_with_versions_and_answers(app, admin, cast, lang):
    answered_rating(app, cast)
    response = admin.get("/feedback/admin/sets", headers={"Accept-Language": lang})
    assert response.status_code == 200
    rows = page(response).find("table").find("tbody").find_all("tr")
    with app.app_context():
        sets = {s.key: s for s in db.session.scalars(select(QuestionSet))}
    assert [row.find("a").text() for row in rows] == [getattr(sets[key], f"name_{lang}") for key in SET_KEYS]
    assert [row.find("a")["href"] for row in rows] == [f"/feedback/admin/sets/{sets[key].id}" for key in SET_KEYS]
    assert [row.find_all("td")[1].text() for row in rows] == ["1"] * 4
    assert rows[0].find_all("td")[2].text() == translated(app, "Version %(number)d: %(num)d answer", lang,
                                                          plural="Version %(number)d: %(num)d answers", number=1, num=1)
    assert rows[1].find_all("td")[2].text() == translated(app, "Version %(number)d: %(num)d answer", lang,
                                                          plural="Version %(number)d: %(num)d answers", number=1, num=0)


# --- one set --------------------------------------------------------------------------------------

def test_the_set_page_shows_every_item_of_the_newest_version(app, admin):
    meeting = set_id(app, "meeting")
    response = admin.get(f"/feedback/admin/sets/{meeting}")
    assert response.status_code == 200
    body = page(response)
    assert len(body.find_all("h1")) == 1
    form = body.find("form", action=f"/feedback/admin/sets/{meeting}")
    items = snapshot(app, "meeting")
    for _position, key, _scale, nn, nb, required, overall, _topics in items:
        assert form.by_id(f"nn_{key}")["value"] == nn
        assert form.by_id(f"nb_{key}")["value"] == nb
        assert ("checked" in form.by_id(f"required_{key}").attrs) == required
        assert (form.find(id=f"hide_{key}") is None) == overall
    assert form.by_id("based_on")["value"] == "1"
    # A rating's new item is answered with faces or free text, never the questionnaire's scale.
    assert {box["value"] for box in form.by_id("new_kind").find_all("input")} == {"faces", "text"}
    assert form.find("label", **{"for": "nn_listened"}).text() == translated(app, "Item %(number)d in nynorsk",
                                                                          number=1)
    history = body.by_id("history-heading").parent.find("tbody").find_all("tr")
    assert [row.find("td").text() for row in history] == ["1"]
    assert history[0].find_all("td")[2].text() == translated(app, "Stemme (the first questions)")


def test_a_questionnaire_offers_its_agreement_scale_or_free_text(app, admin):
    response = admin.get(f"/feedback/admin/sets/{set_id(app, 'questionnaire_youth')}")
    assert {box["value"] for box in page(response).by_id("new_kind").find_all("input")} == {"agreement", "text"}


def test_an_edited_text_makes_version_2_and_the_old_answer_keeps_version_1(app, admin, cast):
    request_id = answered_rating(app, cast)
    before = snapshot(app, "meeting")
    meeting = set_id(app, "meeting")
    response = post(admin, f"/feedback/admin/sets/{meeting}",
                    form_data(app, "meeting", nn_listened="Dei vaksne lytta til meg.",
                              nb_listened="De voksne lyttet til meg."))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/feedback/admin/sets/{meeting}"
    assert numbers(app, "meeting") == [1, 2]
    assert snapshot(app, "meeting", 1) == before
    after = snapshot(app, "meeting")
    assert after[0][3:5] == ("Dei vaksne lytta til meg.", "De voksne lyttet til meg.")
    # Everything else is copied: keys, order, scales, flags, and the other words.
    assert [row[:3] + row[5:] for row in after] == [row[:3] + row[5:] for row in before]
    assert after[1:] == before[1:]
    with app.app_context():
        current = services.current_version("meeting")
        assert (current.number, current.items[0].text_nn) == (2, "Dei vaksne lytta til meg.")
        assert current.items[0].id != db.session.scalar(
            select(FeedbackItem.id).join(QuestionSetVersion).where(QuestionSetVersion.number == 1,
                                                                   FeedbackItem.key == "listened",
                                                                   QuestionSetVersion.set_id == meeting))
        request = db.session.get(FeedbackRequest, request_id)
        assert request.response.version.number == 1
        read_with = services.version_for(request)
        assert read_with.number == 1
        answered = {answer.item.key: (answer.item.text_nn, answer.value) for answer in request.response.answers}
        assert answered["listened"] == (before[0][3], 4)
        assert all(answer.item.version_id == read_with.id for answer in request.response.answers)
        assert current.created_by_id == cast.admin
    shown = page(admin.get(f"/feedback/admin/sets/{meeting}"))
    assert translated(app, "Saved as version %(number)d. New answers use it; earlier answers keep their version.",
                      number=2) in shown.text()
    assert shown.by_id("nn_listened")["value"] == "Dei vaksne lytta til meg."
    assert shown.by_id("based_on")["value"] == "2"
    history = shown.by_id("history-heading").parent.find("tbody").find_all("tr")
    defaults = translated(app, "Stemme (the first questions)")
    # Version, who made it, answers to it.
    assert [[td.text() for td in row.find_all("td")][::2] for row in history] == [["2", "Admin", "0"],
                                                                                   ["1", defaults, "1"]]
    listing = page(admin.get("/feedback/admin/sets")).find("tbody").find_all("tr")[0].find_all("td")
    assert listing[1].text() == "2"


def test_saving_without_a_change_makes_no_version(app, admin):
    meeting = set_id(app, "meeting")
    # Spaces around the words are not a change.
    unchanged = form_data(app, "meeting", nn_listened="  Eg vart lytta til.  ")
    response = post(admin, f"/feedback/admin/sets/{meeting}", unchanged)
    assert response.status_code == 303
    assert numbers(app, "meeting") == [1]
    assert translated(app, "No changes: the questions are as they were.") in page(
        admin.get(response.headers["Location"])).text()


def test_a_changed_required_is_a_change(app, admin):
    response = post(admin, f"/feedback/admin/sets/{set_id(app, 'questionnaire_child')}",
                    form_data(app, "questionnaire_child", required_safe=None, required_good="y"))
    assert response.status_code == 303
    required = {row[1]: row[5] for row in snapshot(app, "questionnaire_child")}
    assert (required["safe"], required["good"], required["kind"]) == (False, True, True)
    assert {row[1]: row[5] for row in snapshot(app, "questionnaire_child", 1)}["safe"] is True


def test_a_new_item_is_asked_from_the_new_version(app, admin):
    meeting = set_id(app, "meeting")
    before = snapshot(app, "meeting")
    response = post(admin, f"/feedback/admin/sets/{meeting}",
                    form_data(app, "meeting", new_nn="Møtet var ikkje for langt.", new_nb="Møtet var ikke for langt.",
                              new_kind="faces"))
    assert response.status_code == 303
    with app.app_context():
        items = services.current_version("meeting").items
        new = items[-1]
        assert (new.position, new.text_nn, new.text_nb) == (len(before) + 1, "Møtet var ikkje for langt.",
                                                            "Møtet var ikke for langt.")
        assert (new.scale.kind, new.required, new.overall, new.shows_topics) == (ScaleKind.FACES, True, False, False)
        assert new.key.startswith("item_") and new.key not in {row[1] for row in before}
        assert [(i.key, i.text_nn) for i in items[:-1]] == [(row[1], row[3]) for row in before]
    assert snapshot(app, "meeting", 1) == before


def test_a_new_free_text_in_a_questionnaire_is_optional(app, admin):
    response = post(admin, f"/feedback/admin/sets/{set_id(app, 'questionnaire_parent')}",
                    form_data(app, "questionnaire_parent", new_nn="Kva vil du seie til oss?",
                              new_nb="Hva vil du si til oss?", new_kind="text"))
    assert response.status_code == 303
    with app.app_context():
        new = services.current_version("questionnaire_parent").items[-1]
        assert (new.text_nb, new.scale, new.required) == ("Hva vil du si til oss?", None, False)


def test_a_rating_cannot_get_the_questionnaire_scale(app, admin):
    response = post(admin, f"/feedback/admin/sets/{set_id(app, 'meeting')}",
                    form_data(app, "meeting", new_nn="Ny", new_nb="Ny", new_kind="agreement"))
    assert response.status_code == 400
    assert page(response).by_id("new_kind-error").text() == translated(app, "Not a valid choice.")
    assert numbers(app, "meeting") == [1]


def test_a_new_item_in_one_language_only_is_refused_and_keeps_what_was_typed(app, admin):
    meeting = set_id(app, "meeting")
    typed = form_data(app, "meeting", nn_next="Eg veit kva som skjer vidare.", new_nn="Eg fekk seie det eg ville.",
                      new_kind="text")
    before = (count(app, QuestionSetVersion), count(app, FeedbackItem))
    response = post(admin, f"/feedback/admin/sets/{meeting}", typed)
    assert response.status_code == 400
    assert field_error(response, "new_nb") == translated(app, "Write the new item in bokmål too, or empty both fields.")
    body = page(response)
    assert body.by_id("new_nn")["value"] == "Eg fekk seie det eg ville."
    assert body.by_id("nn_next")["value"] == "Eg veit kva som skjer vidare."
    assert "checked" in body.find("input", id="new_kind-1").attrs  # free text, as chosen
    assert body.find(class_="ds-error-summary").find("a")["href"] == "#new_nb"
    assert (count(app, QuestionSetVersion), count(app, FeedbackItem)) == before

    response = post(admin, f"/feedback/admin/sets/{meeting}", {**typed, "new_nn": "", "new_nb": "Jeg fikk si det."})
    assert response.status_code == 400
    assert field_error(response, "new_nn") == translated(
        app, "Write the new item in nynorsk too, or empty both fields.")


def test_blank_or_too_long_words_are_refused_beside_the_field(app, admin):
    meeting = set_id(app, "meeting")
    response = post(admin, f"/feedback/admin/sets/{meeting}",
                    form_data(app, "meeting", nb_understood="   ", nn_next="x" * 301))
    assert response.status_code == 400
    assert field_error(response, "nb_understood") == translated(app, "Fill in this field.")
    assert field_error(response, "nn_next") == translated(app, "Write at most %(max)d characters.", max=300)
    assert page(response).by_id("nn_next")["value"] == "x" * 301
    assert numbers(app, "meeting") == [1]


def test_an_item_left_out_is_not_in_the_next_version_and_its_key_is_not_reused(app, admin):
    meeting = set_id(app, "meeting")
    before = snapshot(app, "meeting")
    response = post(admin, f"/feedback/admin/sets/{meeting}", form_data(app, "meeting", hide_understood="y"))
    assert response.status_code == 303
    after = snapshot(app, "meeting")
    assert [row[1] for row in after] == [row[1] for row in before if row[1] != "understood"]
    assert [row[0] for row in after] == list(range(1, len(after) + 1))
    assert snapshot(app, "meeting", 1) == before
    # A second new item never takes a key any version has used.
    for text in ("Første nye", "Andre nye"):
        post(admin, f"/feedback/admin/sets/{meeting}", form_data(app, "meeting", new_nn=text, new_nb=text))
    with app.app_context():
        keys = [i.key for i in services.current_version("meeting").items]
    assert numbers(app, "meeting") == [1, 2, 3, 4]
    assert len(set(keys)) == len(keys) and "understood" not in keys
    assert len([k for k in keys if k.startswith("item_")]) == 2


def test_the_overall_item_cannot_be_left_out(app, admin):
    meeting = set_id(app, "meeting")
    response = post(admin, f"/feedback/admin/sets/{meeting}", form_data(app, "meeting", hide_overall="y"))
    assert response.status_code == 400
    assert field_error(response, "hide_overall") == translated(
        app, "This item cannot be hidden: the team's alert after a meeting reads it.")
    assert numbers(app, "meeting") == [1]


def test_the_service_itself_refuses_to_leave_out_the_overall_item(app, cast):
    """The form refuses first; the service refuses too, for any other caller."""
    with app.app_context():
        meeting = db.session.scalar(select(QuestionSet).where(QuestionSet.key == "meeting"))
        version = question_services.newest_version(meeting)
        edits = {item.key: question_services.ItemEdit(item.text_nn, item.text_nb, item.required,
                                                      hidden=item.overall) for item in version.items}
        with pytest.raises(question_services.RefusedChange):
            question_services.new_version(meeting, db.session.get(User, cast.admin),
                                          question_services.Changes(items=edits))
    assert numbers(app, "meeting") == [1]


def test_at_least_one_scale_item_stays(app, admin):
    key = "questionnaire_child"
    scale_keys = [row[1] for row in snapshot(app, key) if row[2] is not None]
    hidden = {f"hide_{k}": "y" for k in scale_keys}
    response = post(admin, f"/feedback/admin/sets/{set_id(app, key)}", form_data(app, key, **hidden))
    assert response.status_code == 400
    assert field_error(response, f"hide_{scale_keys[0]}") == translated(
        app, "Keep at least one item that is answered on a scale.")
    assert numbers(app, key) == [1]
    # With a new scale item in their place, they may all go.
    response = post(admin, f"/feedback/admin/sets/{set_id(app, key)}",
                    form_data(app, key, new_nn="Det hjelpte.", new_nb="Det hjalp.", **hidden))
    assert response.status_code == 303
    assert [row[1] for row in snapshot(app, key)][-1].startswith("item_")
    assert [row[2] is not None for row in snapshot(app, key)] == [False, False, True]


def test_a_save_on_an_old_version_is_refused_and_keeps_what_was_typed(app, admin):
    meeting = set_id(app, "meeting")
    other = form_data(app, "meeting", nn_next="Endra av ein annan.")
    assert post(admin, f"/feedback/admin/sets/{meeting}", other).status_code == 303
    stale = form_data(app, "meeting", based_on="1", nb_next="Endret av meg.", nn_next="Endra av meg.")
    response = post(admin, f"/feedback/admin/sets/{meeting}", stale)
    assert response.status_code == 409
    body = page(response)
    assert body.by_id("nb_next")["value"] == "Endret av meg."
    assert body.by_id("based_on")["value"] == "2"
    assert numbers(app, "meeting") == [1, 2]
    assert post(admin, f"/feedback/admin/sets/{meeting}", {**stale, "based_on": "2"}).status_code == 303
    assert snapshot(app, "meeting")[3][3:5] == ("Endra av meg.", "Endret av meg.")


# --- who may --------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["kari", "ola", "mor.ola"])
def test_only_the_admin_edits_the_questions(app, client, cast, who):
    sign_in(client, {"kari": cast.kari, "ola": cast.ola, "mor.ola": cast.mother_a}[who])
    meeting = set_id(app, "meeting")
    assert client.get("/feedback/admin/sets").status_code == 403
    assert client.get(f"/feedback/admin/sets/{meeting}").status_code == 403
    assert post(client, f"/feedback/admin/sets/{meeting}", form_data(app, "meeting", nn_next="Nei.")).status_code == 403
    assert numbers(app, "meeting") == [1]


def test_anonymous_is_sent_to_log_in(app, client):
    response = client.get(f"/feedback/admin/sets/{set_id(app, 'meeting')}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_set_is_not_found(app, admin):
    assert admin.get("/feedback/admin/sets/9999").status_code == 404
    assert post(admin, "/feedback/admin/sets/9999", {"new_nn": "x"}).status_code == 404
