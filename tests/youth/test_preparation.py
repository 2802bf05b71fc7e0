"""Meeting preparation by the young person and each parent: saving while typing, two devices,
freezing when the meeting starts, and who in the family reads whose preparation."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accounts.models import YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways.models import InputKind, Meeting
from tests.conftest import post
from tests.helpers import count, page, sign_in, translated
from tests.pathways.test_meetings import make_meeting
from youth.models import Participation, Preparation, PreparationVersion, Sharing, VisibilityChange

HTMX = {"HX-Request": "true"}


@pytest.fixture()
def meeting(app, cast) -> int:
    """A care team meeting on Ola's pathway in a week, the parents invited."""
    return make_meeting(app, cast.pathway_a, cast.kari)


def url(meeting_id) -> str:
    return f"/my/meetings/{meeting_id}/prepare"


OLA = {"talk_about": "Skulen og søvn", "not_while_present": "Det som skjedde i sommar", "want_there": "",
       "not_there": "", "participation": "part", "needs": "Pausar", "questions": "", "hopes": "Betre søvn",
       "sharing": "team", "revision": "0"}


def stored(app, author_id) -> Preparation | None:
    with app.app_context():
        preparation = db.session.scalar(select(Preparation).where(Preparation.author_id == author_id))
        if preparation is not None:
            db.session.expunge(preparation)
        return preparation


def versions(app) -> list[PreparationVersion]:
    with app.app_context():
        rows = list(db.session.scalars(select(PreparationVersion).order_by(PreparationVersion.revision)))
        db.session.expunge_all()
        return rows


def set_birth_date(app, young_person_id, age: int):
    """Make the young person `age` years old today (born a month before the day they turn `age`)."""
    today = today_in_oslo()
    with app.app_context():
        person = db.session.get(YoungPerson, young_person_id)
        person.birth_date = date(today.year - age, 1, 1) if today >= date(today.year, 2, 1) else \
            date(today.year - age - 1, 12, 1)
        db.session.commit()
        assert person.age_on(today) == age


def move_start_into_the_past(app, meeting_id):
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.starts_at = utcnow() - timedelta(minutes=5)
        meeting.ends_at = utcnow() + timedelta(minutes=55)
        db.session.commit()


# --- the page and saving --------------------------------------------------------------------------

def test_young_person_gets_their_own_questions(app, client, cast, meeting):
    """Ola (15) is asked the young person's questions, one step at a time, how to take part among
    them; the overview asks who may read it once he has written something."""
    sign_in(client, cast.ola)
    response = client.get(url(meeting))
    assert response.status_code == 200
    body = page(response)
    assert len(body.find_all("h1")) == 1
    assert body.find("a", href=f"{url(meeting)}/1") is not None  # start
    assert body.find("input", name="sharing") is None  # nothing to send yet
    step = page(client.get(f"{url(meeting)}/2"))
    form = step.find("form", action=f"{url(meeting)}/2")
    assert "data-autosave" in form.attrs and form["hx-post"] == f"{url(meeting)}/2"
    assert form.by_id("revision")["value"] == "0"
    # One question: the page's heading is its label.
    assert step.find("h1").find("label")["for"] == "not_while_present"
    assert step.find("h1").text() == translated(app, "What I do not want talked about while I am there")
    step = page(client.get(f"{url(meeting)}/4"))
    assert [i["value"] for i in step.find_all("input", name="participation")] == [p.value for p in Participation]
    assert post(client, f"{url(meeting)}/1", {"talk_about": "Skulen", "revision": "0"}).status_code == 303
    overview = page(client.get(url(meeting)))
    assert [i["value"] for i in overview.find_all("input", name="sharing")]
    assert overview.find("input", name="talk_about") is None and "Skulen" in overview.text()


def test_parent_gets_a_parents_form(app, client, cast, meeting):
    """The parent's steps speak to a parent: no participation question (the fourth step is only what
    they need), and who may read it offers "my child"."""
    sign_in(client, cast.mother_a)
    assert client.get(url(meeting)).status_code == 200
    step = page(client.get(f"{url(meeting)}/2"))
    assert step.find("h1").text() == translated(app, "What should not be talked about while my child is there")
    step = page(client.get(f"{url(meeting)}/4"))
    assert step.find("input", name="participation") is None
    assert step.find("h1").find("label")["for"] == "needs"
    assert post(client, f"{url(meeting)}/1", {"talk_about": "Leksene", "revision": "0"}).status_code == 303
    form = page(client.get(url(meeting))).find("form", action=url(meeting))
    labels = [label.text() for label in form.find_all("label")]
    assert translated(app, "My team and my child") in labels


def test_saving_without_javascript_stores_a_version_and_the_sharing_choice(app, client, cast, meeting):
    """A normal save stores the preparation, its first version and who chose the sharing, and goes home."""
    sign_in(client, cast.ola)
    response = post(client, url(meeting), OLA)
    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    preparation = stored(app, cast.ola)
    assert (preparation.talk_about, preparation.not_while_present, preparation.participation, preparation.hopes) == (
        "Skulen og søvn", "Det som skjedde i sommar", Participation.PART, "Betre søvn")
    assert (preparation.sharing, preparation.revision, preparation.pathway_id) == (Sharing.TEAM, 1, cast.pathway_a)
    [version] = versions(app)
    assert (version.revision, version.content["talk_about"], version.saved_by_id) == (1, "Skulen og søvn", cast.ola)
    assert count(app, VisibilityChange, VisibilityChange.item_kind == InputKind.PREPARATION,
                 VisibilityChange.item_id == preparation.id, VisibilityChange.sharing == Sharing.TEAM) == 1
    assert translated(app, "Your preparation is saved. You can change it until the meeting starts.") in \
        page(client.get("/me")).text()


def test_every_change_is_a_version_and_only_sharing_changes_are_recorded_as_such(app, client, cast, meeting):
    sign_in(client, cast.ola)
    post(client, url(meeting), OLA)
    post(client, url(meeting), {**OLA, "talk_about": "Berre skulen", "revision": "1"})
    post(client, url(meeting), {**OLA, "talk_about": "Berre skulen", "revision": "2", "sharing": "family"})
    assert [v.content["talk_about"] for v in versions(app)] == ["Skulen og søvn", "Berre skulen", "Berre skulen"]
    with app.app_context():
        changes = db.session.execute(select(VisibilityChange.sharing, VisibilityChange.by_id)
                                     .order_by(VisibilityChange.id)).all()
    assert [tuple(c) for c in changes] == [(Sharing.TEAM, cast.ola), (Sharing.FAMILY, cast.ola)]
    assert stored(app, cast.ola).sharing == Sharing.FAMILY


def test_autosave_replies_with_the_status_and_the_new_revision(app, client, cast, meeting):
    """htmx: 200 with "Saved hh:mm" and the new revision out of band."""
    sign_in(client, cast.ola)
    response = post(client, url(meeting), OLA, headers=HTMX)
    assert response.status_code == 200
    body = page(response)
    assert translated(app, "Saved %(time)s", time="").strip() in body.text()
    revision = body.by_id("revision")
    assert (revision["value"], revision["hx-swap-oob"]) == ("1", "true")
    assert "<html" not in response.get_data(as_text=True)
    response = post(client, url(meeting), {**OLA, "questions": "Kven kjem?", "revision": "1"}, headers=HTMX)
    assert page(response).by_id("revision")["value"] == "2"
    assert stored(app, cast.ola).questions == "Kven kjem?"


def test_autosave_with_bad_input_says_so_and_stores_nothing(app, client, cast, meeting):
    sign_in(client, cast.ola)
    response = post(client, url(meeting), {**OLA, "questions": "x" * 1001}, headers=HTMX)
    assert response.status_code == 200
    assert translated(app, "Not saved: %(reason)s", reason="").strip() in page(response).text()
    assert page(response).find(id="revision") is None
    assert response.headers["X-Autosave"] == "not-saved"
    assert count(app, Preparation) == 0


def test_bad_input_is_refused_beside_the_field_and_kept(app, client, cast, meeting):
    """An answer that is not one of those offered is refused beside the question; nothing is lost."""
    sign_in(client, cast.ola)
    assert post(client, url(meeting), OLA).status_code == 303
    response = post(client, url(meeting), {"sharing": "everyone", "revision": "1"})
    assert response.status_code == 400
    body = page(response)
    assert body.by_id("sharing")["aria-describedby"] == "sharing-error"
    assert body.by_id("sharing-error").text() == translated(app, "Choose who may read it.")
    assert all(i.get("aria-invalid") == "true" for i in body.find_all("input", name="sharing"))
    assert "Skulen og søvn" in page(response).by_id("main").text()
    assert (stored(app, cast.ola).talk_about, stored(app, cast.ola).sharing) == ("Skulen og søvn", Sharing.TEAM)


def test_an_empty_first_save_is_refused(app, client, cast, meeting):
    sign_in(client, cast.ola)
    empty = {name: "" for name in OLA} | {"sharing": "team", "revision": "0"}
    response = post(client, url(meeting), empty)
    assert response.status_code == 400
    assert translated(app, "Write something in at least one of the fields before you save.") in \
        page(response).find(role="alert").text()
    assert count(app, Preparation) == 0


# --- two devices ------------------------------------------------------------------------------

def test_a_save_from_an_older_page_with_other_text_shows_both_and_saves_nothing(app, client, cast, meeting):
    """The phone saved first; the laptop, opened before, is shown both versions and chooses."""
    sign_in(client, cast.ola)
    post(client, url(meeting), {**OLA, "talk_about": "Frå telefonen"})  # revision 0 -> 1
    response = post(client, url(meeting), {**OLA, "talk_about": "Frå PC-en"})  # still at revision 0
    assert response.status_code == 409
    conflict = page(response).find("div", class_="conflict")
    assert "Frå telefonen" in conflict.text() and "Frå PC-en" in conflict.text()
    assert stored(app, cast.ola).talk_about == "Frå telefonen"
    assert len(versions(app)) == 1
    choices = conflict.find_all("form", action=url(meeting))
    assert len(choices) == 2
    mine = {i["name"]: i["value"] for i in choices[0].find_all("input")}
    assert (mine["talk_about"], mine["revision"]) == ("Frå PC-en", "1")
    # Choosing "keep what I wrote here" posts with the current revision and saves.
    response = post(client, url(meeting), {k: v for k, v in mine.items() if k != "csrf_token"})
    assert response.status_code == 303
    assert stored(app, cast.ola).talk_about == "Frå PC-en"
    assert stored(app, cast.ola).revision == 2


def test_keeping_the_other_devices_version_changes_nothing(app, client, cast, meeting):
    sign_in(client, cast.ola)
    post(client, url(meeting), {**OLA, "talk_about": "Frå telefonen", "needs": ""})
    response = post(client, url(meeting), {**OLA, "talk_about": "Frå PC-en"})
    theirs = page(response).find("div", class_="conflict").find_all("form")[1]
    data = {i["name"]: i["value"] for i in theirs.find_all("input") if i["name"] != "csrf_token"}
    assert post(client, url(meeting), data).status_code == 303
    assert (stored(app, cast.ola).talk_about, stored(app, cast.ola).needs) == ("Frå telefonen", "")
    assert len(versions(app)) == 1


def test_autosave_conflict_replaces_the_form_with_the_choice(app, client, cast, meeting):
    sign_in(client, cast.ola)
    post(client, url(meeting), {**OLA, "talk_about": "Frå telefonen"})
    response = post(client, url(meeting), {**OLA, "talk_about": "Frå PC-en"}, headers=HTMX)
    assert response.status_code == 200
    assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#autosave-editor", "outerHTML")
    assert response.headers["X-Autosave"] == "not-saved"
    editor = page(response).by_id("autosave-editor")
    assert "Frå PC-en" in editor.text() and "Frå telefonen" in editor.text()
    assert [(f["action"], "data-autosave" in f.attrs) for f in editor.find_all("form")] == [(url(meeting), False)] * 2
    assert stored(app, cast.ola).talk_about == "Frå telefonen"


def test_the_same_text_from_two_devices_is_simply_saved(app, client, cast, meeting):
    sign_in(client, cast.ola)
    post(client, url(meeting), OLA)
    assert post(client, url(meeting), OLA).status_code == 303  # revision 0 again, same text
    assert len(versions(app)) == 1


# --- frozen when the meeting starts -------------------------------------------------------------

def test_after_the_start_the_preparation_is_shown_as_it_was(app, client, cast, meeting):
    sign_in(client, cast.ola)
    post(client, url(meeting), OLA)
    move_start_into_the_past(app, meeting)
    response = client.get(url(meeting))
    assert response.status_code == 200
    body = page(response)
    assert translated(app, "The meeting has started; your preparation is kept as it was.") in body.text()
    assert body.find("form", action=url(meeting)) is None
    assert "Det som skjedde i sommar" in body.text()


def test_a_save_after_the_start_is_refused_and_nothing_is_stored(app, client, cast, meeting):
    sign_in(client, cast.ola)
    post(client, url(meeting), OLA)
    move_start_into_the_past(app, meeting)
    message = translated(app, "The meeting has started; your preparation is kept as it was.")
    response = post(client, url(meeting), {**OLA, "talk_about": "For seint", "revision": "1"})
    assert response.status_code == 409
    assert message in page(response).find(role="alert").text()
    response = post(client, url(meeting), {**OLA, "talk_about": "For seint", "revision": "1"}, headers=HTMX)
    assert response.status_code == 200 and message in page(response).text()
    assert stored(app, cast.ola).talk_about == "Skulen og søvn"
    assert len(versions(app)) == 1
    # A parent who never prepared cannot start now either.
    sign_in(client, cast.mother_a)
    assert post(client, url(meeting), {"talk_about": "Seint", "sharing": "team"}).status_code == 409
    assert count(app, Preparation) == 1


# --- who may prepare ------------------------------------------------------------------------------

def test_only_the_young_person_and_invited_parents_may_prepare(app, client, cast, meeting):
    """Emma and her father: 404; professionals: 403; Ola's mother: 404 when parents are not invited."""
    without_parents = make_meeting(app, cast.pathway_a, cast.kari, parents_invited=False)
    for user_id, status in ((cast.emma, 404), (cast.father_b, 404), (cast.kari, 403)):
        sign_in(client, user_id)
        assert client.get(url(meeting)).status_code == status
        assert post(client, url(meeting), OLA).status_code == status
    sign_in(client, cast.mother_a)
    assert client.get(url(without_parents)).status_code == 404
    assert client.get(url(meeting)).status_code == 200
    sign_in(client, cast.ola)
    assert client.get(url(without_parents)).status_code == 200
    assert client.get(url(999999)).status_code == 404
    assert count(app, Preparation) == 0


# --- who reads whose preparation ------------------------------------------------------------------

def others_on_the_page(client, meeting_id) -> str:
    return " ".join(s.text() for s in page(client.get(url(meeting_id))).find_all("section")
                    if (s.get("aria-labelledby") or "").startswith("other-"))


@pytest.mark.parametrize(("age", "sharing", "mother_sees"), [
    (11, "family", True),
    (11, "private", False),
    (12, "team", False),
    (15, "team", False),
    (15, "family", True),
    (16, "team", False),
    (16, "family", True),
    (17, "team", False),
], ids=["11-team-and-parents", "11-only-me", "12-not-parents", "15-not-parents", "15-family", "16-team",
        "16-family", "17-team"])
def test_the_mother_sees_olas_preparation_by_his_age(app, client, cast, meeting, age, sharing, mother_sees):
    set_birth_date(app, cast.young_a, age)
    sign_in(client, cast.ola)
    assert post(client, url(meeting), {**OLA, "sharing": sharing}).status_code == 303
    sign_in(client, cast.mother_a)
    assert ("Det som skjedde i sommar" in others_on_the_page(client, meeting)) is mother_sees


def test_what_a_child_shared_with_the_team_stays_with_the_parents_as_the_child_grows_up(app, client, cast, meeting):
    """At 11 "my team (and my parents)": the mother read it, and still does at 16."""
    set_birth_date(app, cast.young_a, 11)
    sign_in(client, cast.ola)
    post(client, url(meeting), {**OLA, "sharing": "family"})
    sign_in(client, cast.mother_a)
    assert "Skulen og søvn" in others_on_the_page(client, meeting)
    set_birth_date(app, cast.young_a, 16)
    assert "Skulen og søvn" in others_on_the_page(client, meeting)


def test_the_young_person_sees_a_parents_preparation_only_if_shared_with_him(app, client, cast, meeting):
    sign_in(client, cast.mother_a)
    parent = {"talk_about": "Leksene", "sharing": "team", "revision": "0"}
    assert post(client, url(meeting), parent).status_code == 303
    assert stored(app, cast.mother_a).participation is None
    sign_in(client, cast.ola)
    assert "Leksene" not in others_on_the_page(client, meeting)
    sign_in(client, cast.mother_a)
    post(client, url(meeting), {**parent, "sharing": "family", "revision": "1"})
    sign_in(client, cast.ola)
    assert "Leksene" in others_on_the_page(client, meeting)
