"""Meeting preparation by the young person and each parent: saving while typing, two devices,
freezing when the meeting starts, and who in the family reads whose preparation."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accounts.models import YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways.models import InputKind, Meeting
from tests.conftest import post
from tests.helpers import count, field_error, page, sign_in, translated
from tests.pathways.test_meetings import make_meeting
from youth import preparation_services
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
    """Ola (15) sees the young person's questions, how to take part, sharing and "not for my parents"."""
    sign_in(client, cast.ola)
    response = client.get(url(meeting))
    assert response.status_code == 200
    body = page(response)
    assert len(body.find_all("h1")) == 1
    form = body.find("form", action=url(meeting))
    assert "data-autosave" in form.attrs and form["hx-post"] == url(meeting)
    assert form.by_id("revision")["value"] == "0"
    labels = [label.text() for label in form.find_all("label")]
    assert translated(app, "What I do not want talked about while I am there") in labels
    assert [i["value"] for i in form.find_all("input", name="participation")] == [p.value for p in Participation]
    assert [i["value"] for i in form.find_all("input", name="sharing")] == ["team", "family", "private"]
    assert translated(app, "My team and my parents") in labels
    assert form.by_id("not_for_parents") is not None
    assert "checked" in form.by_id("sharing-0").attrs  # "my team" by default


def test_parent_gets_a_parents_form(app, client, cast, meeting):
    """The parent's form speaks to a parent, has no participation question, and shares with "my child"."""
    sign_in(client, cast.mother_a)
    response = client.get(url(meeting))
    assert response.status_code == 200
    form = page(response).find("form", action=url(meeting))
    labels = [label.text() for label in form.find_all("label")]
    assert translated(app, "What should not be talked about while my child is there") in labels
    assert translated(app, "My team and my child") in labels
    assert form.find("input", name="participation") is None
    assert form.find("input", name="not_for_parents") is None


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
    post(client, url(meeting), {**OLA, "talk_about": "Berre skulen", "revision": "2", "sharing": "team",
                                "not_for_parents": "y"})
    assert [v.content["talk_about"] for v in versions(app)] == ["Skulen og søvn", "Berre skulen", "Berre skulen"]
    with app.app_context():
        changes = db.session.execute(select(VisibilityChange.sharing, VisibilityChange.not_for_parents,
                                            VisibilityChange.by_id).order_by(VisibilityChange.id)).all()
    assert [tuple(c) for c in changes] == [(Sharing.TEAM, False, cast.ola), (Sharing.TEAM, True, cast.ola)]
    assert stored(app, cast.ola).not_for_parents is True


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
    """Sharing with the parents and "not for my parents" at once is refused beside the box; the text stays."""
    sign_in(client, cast.ola)
    response = post(client, url(meeting), {**OLA, "sharing": "family", "not_for_parents": "y"})
    assert response.status_code == 400
    assert field_error(response, "not_for_parents") == translated(
        app, "You chose to share it with your parents. Untick «Not for my parents», or choose «My team».")
    assert page(response).by_id("talk_about").text() == "Skulen og søvn"
    assert count(app, Preparation) == 0


def test_an_empty_first_save_is_refused(app, client, cast, meeting):
    sign_in(client, cast.ola)
    empty = {name: "" for name in OLA} | {"sharing": "team", "revision": "0"}
    response = post(client, url(meeting), empty)
    assert response.status_code == 400
    assert field_error(response, "talk_about") == translated(
        app, "Write something in at least one of the fields before you save.")
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


@pytest.mark.parametrize(("age", "sharing", "not_for_parents", "mother_sees"), [
    (11, "team", False, True),
    (11, "private", False, False),
    (12, "team", True, False),
    (15, "team", False, True),
    (15, "family", False, True),
    (16, "team", False, False),
    (16, "family", False, True),
    (17, "team", False, False),
], ids=["11-team", "11-draft", "12-not-for-parents", "15-team", "15-family", "16-team", "16-family", "17-team"])
def test_the_mother_sees_olas_preparation_by_his_age(app, client, cast, meeting, age, sharing, not_for_parents,
                                                     mother_sees):
    set_birth_date(app, cast.young_a, age)
    sign_in(client, cast.ola)
    data = {**OLA, "sharing": sharing} | ({"not_for_parents": "y"} if not_for_parents else {})
    assert post(client, url(meeting), data).status_code == 303
    sign_in(client, cast.mother_a)
    assert ("Det som skjedde i sommar" in others_on_the_page(client, meeting)) is mother_sees


def test_a_sixteen_year_olds_older_preparation_disappears_from_the_parents_view(app, client, cast, meeting):
    """Shared with the team at 15, the mother read it; at 16 it is no longer hers to read."""
    set_birth_date(app, cast.young_a, 15)
    sign_in(client, cast.ola)
    post(client, url(meeting), OLA)
    sign_in(client, cast.mother_a)
    assert "Skulen og søvn" in others_on_the_page(client, meeting)
    set_birth_date(app, cast.young_a, 16)
    assert "Skulen og søvn" not in others_on_the_page(client, meeting)


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


# --- the home page service ------------------------------------------------------------------------

def test_upcoming_meetings_for_the_home_page(app, client, cast, meeting):
    """Soonest first, only what the user may see, with "prepared" for this user; the partial links to it."""
    later = make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() + timedelta(days=20),
                         parents_invited=False)
    make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() - timedelta(days=3))  # over
    sign_in(client, cast.ola)
    post(client, url(meeting), OLA)
    with app.app_context():
        from accounts.models import User

        ola, mother = db.session.get(User, cast.ola), db.session.get(User, cast.mother_a)
        for_ola = preparation_services.upcoming_meetings(ola)
        for_mother = preparation_services.upcoming_meetings(mother)
        assert {m.pathway_id for m in for_ola + for_mother} == {cast.pathway_a}  # never Emma's
    assert [(m.id, m.prepared) for m in for_ola] == [(meeting, True), (later, False)]
    assert [(m.id, m.prepared) for m in for_mother] == [(meeting, False)]

    with app.test_request_context():
        from flask import render_template
        from flask_login import login_user

        with app.app_context():
            login_user(db.session.get(User, cast.ola))
            html = render_template("youth/_next_meeting.html", next_meetings=for_ola)
    from tests.helpers import parse

    section = parse(html).find("section")
    links = [a["href"] for a in section.find_all("a")]
    assert links == [url(meeting), url(later)]
    assert translated(app, "You have prepared") in section.text()
    assert translated(app, "Not prepared yet") in section.text()
    assert re.search(r"Korleis går det\?", section.text())
