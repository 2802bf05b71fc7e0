"""Preparing a meeting in steps (youth.prepare_step): each step posts only its own fields and goes on,
back or forward; everything can be skipped; bad input stays on the step with the text kept; the
save status is a live region in the sticky save bar; frozen when the meeting starts."""
import re

import pytest

from tests.conftest import post
from tests.helpers import count, field_error, page, sign_in, translated
from tests.pathways.test_meetings import make_meeting
from tests.youth.test_preparation import OLA, move_start_into_the_past, stored, versions
from youth.models import Participation, Preparation
from youth.preparation_forms import STEPS

HTMX = {"HX-Request": "true"}


@pytest.fixture()
def meeting(app, cast) -> int:
    return make_meeting(app, cast.pathway_a, cast.kari)


def overview(meeting_id) -> str:
    return f"/my/meetings/{meeting_id}/prepare"


def step(meeting_id, number) -> str:
    return f"{overview(meeting_id)}/{number}"


@pytest.fixture()
def prepared(app, client, cast, meeting) -> int:
    """Ola's whole preparation, saved once from the overview (revision 1)."""
    sign_in(client, cast.ola)
    assert post(client, overview(meeting), {**OLA, "sharing": "family"}).status_code == 303
    return meeting


def test_next_posts_the_step_and_leaves_the_other_steps_as_they_were(app, client, cast, prepared):
    response = post(client, step(prepared, 1), {"talk_about": "Berre skulen", "revision": "1", "go": "next"})
    assert response.status_code == 303
    assert response.headers["Location"] == step(prepared, 2)
    preparation = stored(app, cast.ola)
    assert preparation.talk_about == "Berre skulen" and preparation.revision == 2
    assert (preparation.not_while_present, preparation.needs, preparation.hopes, preparation.participation) == (
        "Det som skjedde i sommar", "Pausar", "Betre søvn", Participation.PART)
    assert preparation.sharing.value == "family"  # a step does not change who may read it
    assert versions(app)[-1].content["hopes"] == "Betre søvn"


def test_a_step_with_two_questions_and_the_choice_of_how_to_take_part(app, client, cast, prepared):
    response = post(client, step(prepared, 4), {"participation": "whole", "needs": "", "revision": "1"})
    assert response.headers["Location"] == step(prepared, 5)
    preparation = stored(app, cast.ola)
    assert (preparation.participation, preparation.needs, preparation.talk_about) == (
        Participation.WHOLE, "", "Skulen og søvn")
    # No answer chosen on the step clears it; the other steps still keep theirs.
    post(client, step(prepared, 4), {"needs": "Pausar", "revision": "2"})
    assert (stored(app, cast.ola).participation, stored(app, cast.ola).hopes) == (None, "Betre søvn")


def test_back_posts_the_step_and_goes_back_and_the_ends_lead_to_the_overview(app, client, cast, prepared):
    response = post(client, step(prepared, 3), {"want_there": "Morfar", "not_there": "", "revision": "1",
                                                "go": "back"})
    assert response.headers["Location"] == step(prepared, 2)
    assert stored(app, cast.ola).want_there == "Morfar"
    assert post(client, step(prepared, 1), {"talk_about": "Skulen og søvn", "revision": "2", "go": "back"}
                ).headers["Location"] == overview(prepared)
    assert post(client, step(prepared, 5), {"questions": "Kven kjem?", "hopes": "Betre søvn", "revision": "2"}
                ).headers["Location"] == overview(prepared)
    assert stored(app, cast.ola).questions == "Kven kjem?"


def test_every_step_can_be_skipped_and_an_empty_start_stores_nothing(app, client, cast, meeting):
    """Each step links on without posting; an empty step posted before anything is written goes on
    and stores nothing (an empty preparation would count as prepared on the home page)."""
    sign_in(client, cast.ola)
    for number in range(1, len(STEPS) + 1):
        body = page(client.get(step(meeting, number)))
        [skip] = [a for a in body.find("form", action=step(meeting, number)).find_all("a") if a.text() == translated(app, "Skip", "nn")]
        assert skip["href"] == (step(meeting, number + 1) if number < len(STEPS) else overview(meeting))
        fields = {name: "" for name in STEPS[number - 1].fields if name != "participation"}
        response = post(client, step(meeting, number), {**fields, "revision": "0"})
        assert response.status_code == 303
    assert count(app, Preparation) == 0
    response = post(client, step(meeting, 2), {"not_while_present": "", "revision": "0"}, headers=HTMX)
    assert response.status_code == 200 and "X-Autosave" not in response.headers
    assert count(app, Preparation) == 0


def test_the_first_words_on_a_later_step_start_the_preparation(app, client, cast, meeting):
    sign_in(client, cast.ola)
    assert post(client, step(meeting, 5), {"questions": "Kven kjem?", "hopes": "", "revision": "0"}).status_code == 303
    preparation = stored(app, cast.ola)
    assert (preparation.questions, preparation.talk_about, preparation.participation) == ("Kven kjem?", "", None)
    assert versions(app)[0].content["talk_about"] == ""


def test_bad_input_stays_on_the_step_with_the_text_kept(app, client, cast, prepared):
    too_long = "Skulen " * 200
    response = post(client, step(prepared, 5), {"questions": too_long, "hopes": "Ro", "revision": "1"})
    assert response.status_code == 400
    assert field_error(response, "questions") == translated(app, "Write at most %(max)d characters.") % {"max": 1000}
    body = page(response)
    assert body.by_id("questions").text() == too_long.strip()
    assert body.by_id("hopes").text() == "Ro"
    assert translated(app, "Step %(n)s of %(total)s", n=5, total=5) in body.text()
    assert stored(app, cast.ola).questions == "" and len(versions(app)) == 1
    # With JavaScript the status line says so; nothing is stored.
    response = post(client, step(prepared, 5), {"questions": too_long, "hopes": "Ro", "revision": "1"},
                    headers=HTMX)
    assert response.headers["X-Autosave"] == "not-saved"
    assert translated(app, "Not saved: %(reason)s", reason="").strip() in page(response).text()


def test_a_step_saved_while_typing_answers_with_the_status_line(app, client, cast, prepared):
    response = post(client, step(prepared, 2), {"not_while_present": "Ingenting", "revision": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert re.fullmatch(translated(app, "Saved %(time)s", time=r"\d\d:\d\d"), page(response).text())
    assert page(response).by_id("revision")["value"] == "2"
    assert (stored(app, cast.ola).not_while_present, stored(app, cast.ola).talk_about) == ("Ingenting",
                                                                                            "Skulen og søvn")


def test_the_step_page_shows_progress_and_the_save_status_in_a_live_region(app, client, cast, prepared):
    body = page(client.get(step(prepared, 3)))
    assert translated(app, "Step %(n)s of %(total)s", n=3, total=5) in body.text()
    assert body.find("h1").text() == translated(app, "Who is there")
    form = body.find("form", action=step(prepared, 3))
    bar = form.find("div", class_="save-bar")
    status = bar.find("p", role="status")
    assert status["aria-live"] == "polite" and "data-save-status" in status.attrs
    assert re.fullmatch(translated(app, "Saved %(time)s", time=r"\d\d:\d\d"), status.text())
    assert [(b["name"], b["value"]) for b in bar.find_all("button")] == [("go", "next"), ("go", "back")]
    assert [i["name"] for i in form.find_all("textarea")] == ["want_there", "not_there"]
    assert form.find("input", name="sharing") is None


def test_the_overview_shows_each_step_with_a_link_back_and_the_send_button(app, client, cast, prepared):
    body = page(client.get(overview(prepared)))
    assert body.find("h1").text() == translated(app, "Look it over and send")
    steps = body.find("ol", class_="prepare-steps").find_all("li")
    assert len(steps) == 5
    assert "Skulen og søvn" in steps[0].text() and "Det som skjedde i sommar" in steps[1].text()
    assert translated(app, "Nothing written yet.") in steps[2].text()
    assert [li.find("a")["href"] for li in steps] == [step(prepared, n) for n in range(1, 6)]
    form = body.find("form", action=overview(prepared))
    assert form.find("textarea") is None and form.find("input", name="sharing") is not None
    assert form.find("div", class_="save-bar").find("button", type="submit") is not None
    # Sending the sharing choice alone changes nothing written.
    assert post(client, overview(prepared), {"sharing": "private", "revision": "1"}).status_code == 303
    assert (stored(app, cast.ola).sharing.value, stored(app, cast.ola).talk_about) == ("private", "Skulen og søvn")


def test_steps_out_of_range_are_not_found(client, cast, meeting):
    sign_in(client, cast.ola)
    for number in (0, len(STEPS) + 1):
        assert client.get(step(meeting, number)).status_code == 404


def test_after_the_start_each_step_shows_what_was_written_and_takes_nothing(app, client, cast, prepared):
    move_start_into_the_past(app, prepared)
    response = client.get(step(prepared, 2))
    assert response.status_code == 200
    body = page(response)
    assert body.find("form", action=step(prepared, 2)) is None and body.find("textarea") is None
    assert "Det som skjedde i sommar" in body.text()
    assert translated(app, "The meeting has started; your preparation is kept as it was.") in body.text()
    response = post(client, step(prepared, 2), {"not_while_present": "For seint", "revision": "1"})
    assert response.status_code == 409
    response = post(client, step(prepared, 2), {"not_while_present": "For seint", "revision": "1"}, headers=HTMX)
    assert translated(app, "The meeting has started; your preparation is kept as it was.") in page(response).text()
    assert stored(app, cast.ola).not_while_present == "Det som skjedde i sommar"


def test_a_step_from_an_older_page_with_other_words_offers_the_choice(app, client, cast, prepared):
    """Two devices on one step: the choice shows only this step's words and posts back to it."""
    post(client, step(prepared, 1), {"talk_about": "Frå telefonen", "revision": "1"})
    response = post(client, step(prepared, 1), {"talk_about": "Frå PC-en", "revision": "1"})
    assert response.status_code == 409
    conflict = page(response).find("div", class_="conflict")
    assert "Frå telefonen" in conflict.text() and "Frå PC-en" in conflict.text()
    assert "Betre søvn" not in conflict.text()
    mine = conflict.find_all("form", action=step(prepared, 1))[0]
    data = {i["name"]: i["value"] for i in mine.find_all("input") if i["name"] != "csrf_token"}
    assert post(client, step(prepared, 1), data).status_code == 303
    assert (stored(app, cast.ola).talk_about, stored(app, cast.ola).hopes) == ("Frå PC-en", "Betre søvn")


def test_a_parent_cannot_set_how_the_young_person_takes_part(app, client, cast, meeting):
    sign_in(client, cast.mother_a)
    response = post(client, step(meeting, 4), {"participation": "whole", "needs": "Tolk", "revision": "0"})
    assert response.status_code == 303
    assert (stored(app, cast.mother_a).needs, stored(app, cast.mother_a).participation) == ("Tolk", None)
