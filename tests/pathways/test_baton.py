"""The pathway itself: its template's steps, the BTI level, handing over the baton, the young
person's coordinator wish, and closing (after which nothing can be changed)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways import services
from pathways.models import (
    CoordinatorWish, EventKind, Handover, HandoverState, Meeting, Pathway, PathwayEvent, TeamMember,
)
from tests.access_rows_baton import handover_to_per, template_on_a
from tests.conftest import post
from tests.helpers import alert_text, count, field_error, page, sign_in, translated
from youth.models import Statement

HTMX = {"HX-Request": "true"}
CLOSED = "This pathway is closed. Nothing can be changed."


@pytest.fixture()
def kari(client, cast):
    """The test client, logged in as Kari, coordinator of pathway A."""
    sign_in(client, cast.kari)
    return client


def as_user(app, user_id):
    other = app.test_client()
    sign_in(other, user_id)
    return other


def url(cast, rest=""):
    return f"/pathways/{cast.pathway_a}{rest}"


def stored(app, pathway_id):
    with app.app_context():
        pathway = db.session.get(Pathway, pathway_id)
        db.session.expunge(pathway)
        return pathway


def events(app, pathway_id, kind):
    with app.app_context():
        return [(e.actor_id, e.subject_name, e.detail) for e in db.session.scalars(
            select(PathwayEvent).where(PathwayEvent.pathway_id == pathway_id, PathwayEvent.kind == kind)
            .order_by(PathwayEvent.id))]


def handover_rows(app, pathway_id):
    with app.app_context():
        return [(h.from_id, h.to_id, h.state, h.reason) for h in db.session.scalars(
            select(Handover).where(Handover.pathway_id == pathway_id).order_by(Handover.id))]


def main_text(response) -> str:
    return page(response).by_id("main").text()


# --- steps ---------------------------------------------------------------------------------------

def test_the_page_shows_the_step_and_what_it_means_for_the_services_on_the_team(app, kari, cast):
    """Kari is from BUP, Per from the school health service: BUP's guidance shows, the GP's does not."""
    template_on_a(cast)
    response = kari.get(url(cast))
    assert response.status_code == 200
    step = page(response).by_id("step-heading").parent
    assert "Kartlegging" in step.text()
    assert step.find("li", aria_current="step").text().startswith("Kartlegging")
    assert "BUP gjør Kartlegging (nb)" in step.text()
    assert "Fastlegen" not in step.text()
    assert "Angst (test)" in main_text(response)
    nynorsk = kari.get(url(cast), headers={"Accept-Language": "nn"})
    assert "BUP gjer Kartlegging (nn)" in page(nynorsk).by_id("step-heading").parent.text()


def test_a_pathway_without_a_template_shows_no_steps(kari, cast):
    response = kari.get(url(cast))
    assert response.status_code == 200
    assert page(response).find(id="step-heading") is None
    assert page(response).find("form", action=url(cast, "/step")) is None


def test_the_coordinator_moves_to_the_next_step_until_the_last(app, kari, cast):
    template_on_a(cast)
    first = stored(app, cast.pathway_a).step_id
    response = post(kari, url(cast, "/step"), {"from_step": str(first)})
    assert response.status_code == 303
    assert response.headers["Location"] == url(cast) + "#step-heading"
    second = stored(app, cast.pathway_a).step_id
    assert second != first
    assert events(app, cast.pathway_a, EventKind.STEP_CHANGED) == [(cast.kari, "Tiltak i kommunen", "Tiltak i kommunen")]
    body = kari.get(url(cast))
    assert "Tiltak i kommunen" in page(body).find("li", aria_current="step").text()
    assert "Tiltak i kommunen" in page(body).by_id("timeline-heading").parent.text()

    # A second click from the same page does not skip a step.
    again = post(kari, url(cast, "/step"), {"from_step": str(first)})
    assert again.status_code == 409
    assert stored(app, cast.pathway_a).step_id == second

    assert post(kari, url(cast, "/step"), {"from_step": str(second)}).status_code == 303
    last = kari.get(url(cast))
    assert page(last).find("form", action=url(cast, "/step")) is None
    assert translated(app, "This is the last step.") in main_text(last)
    at_end = post(kari, url(cast, "/step"))
    assert at_end.status_code == 409
    assert translated(app, "The pathway did not move: it is at the last step, or someone moved it while you "
                           "were reading.") in alert_text(at_end)
    assert len(events(app, cast.pathway_a, EventKind.STEP_CHANGED)) == 2


def test_no_next_step_on_a_pathway_without_a_template(app, kari, cast):
    assert post(kari, url(cast, "/step")).status_code == 404
    assert events(app, cast.pathway_a, EventKind.STEP_CHANGED) == []


# --- BTI level -------------------------------------------------------------------------------------

def test_the_coordinator_sets_and_changes_the_level(app, kari, cast):
    response = post(kari, url(cast, "/level"), {"level": "2"})
    assert response.status_code == 303
    pathway = stored(app, cast.pathway_a)
    assert pathway.bti_level == 2 and pathway.bti_level_set_at is not None
    assert post(kari, url(cast, "/level"), {"level": "3"}).status_code == 303
    assert post(kari, url(cast, "/level"), {"level": "3"}).status_code == 303  # the same: nothing recorded
    assert events(app, cast.pathway_a, EventKind.LEVEL_CHANGED) == [(cast.kari, None, "2"), (cast.kari, None, "3")]
    body = kari.get(url(cast))
    level = page(body).by_id("level-heading").parent
    assert translated(app, "Level 3: Many services work together.") in level.text()
    assert "checked" in page(body).find("input", name="level", value="3").attrs
    timeline = page(body).by_id("timeline-heading").parent.text()
    assert translated(app, "%(actor)s set the BTI level to %(level)s.", actor="Kari Nordmann", level="2") in timeline


def test_level_0_shows_its_deadline_and_says_when_it_has_passed(app, kari, cast):
    assert post(kari, url(cast, "/level"), {"level": "0"}).status_code == 303
    deadline = today_in_oslo() + timedelta(days=14)
    with app.test_request_context():
        import flask_babel

        from core.formatting import long_date

        with flask_babel.force_locale("nb"):
            shown = long_date(deadline)
    text = page(kari.get(url(cast))).by_id("level-heading").parent.text()
    assert shown in text
    assert translated(app, "Decide by %(date)s whether there is reason for concern.", date=shown) in text

    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.bti_level_set_at = utcnow() - timedelta(days=20)
        db.session.commit()
        passed = services.level_deadline(pathway)
    assert passed < today_in_oslo()
    text = page(kari.get(url(cast))).by_id("level-heading").parent.text()
    with app.test_request_context(), flask_babel.force_locale("nb"):
        passed_text = long_date(passed)
    assert translated(app, "The 14 days ran out on %(date)s. Decide now whether there is reason for concern.",
                      date=passed_text) in text


@pytest.mark.parametrize("value", ["7", "-1", "to", ""])
def test_a_level_out_of_range_is_refused_beside_the_field(app, kari, cast, value):
    response = post(kari, url(cast, "/level"), {"level": value})
    assert response.status_code == 400
    assert page(response).by_id("level-error").text() == translated(app, "Choose one of the levels 0, 1, 2 or 3.")
    assert stored(app, cast.pathway_a).bti_level is None
    assert events(app, cast.pathway_a, EventKind.LEVEL_CHANGED) == []


def test_level_with_htmx_redirects_with_hx_redirect(app, kari, cast):
    response = post(kari, url(cast, "/level"), {"level": "1"}, headers=HTMX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == url(cast) + "#level-heading"
    assert stored(app, cast.pathway_a).bti_level == 1


# --- handing over the baton ------------------------------------------------------------------------

def test_handing_over_the_baton_to_per_who_accepts(app, kari, cast):
    response = post(kari, url(cast, "/handover"), {"to_id": str(cast.per)})
    assert response.status_code == 303
    assert handover_rows(app, cast.pathway_a) == [(cast.kari, cast.per, HandoverState.PROPOSED, None)]
    assert events(app, cast.pathway_a, EventKind.HANDOVER_PROPOSED) == [(cast.kari, "Per Hansen", None)]
    assert stored(app, cast.pathway_a).coordinator_id == cast.kari  # nothing changes until Per accepts

    per = as_user(app, cast.per)
    worklist = per.get("/pathways/")
    assert "Kari Nordmann" in page(worklist).by_id("handovers-heading").parent.text()
    body = per.get(url(cast))
    [handover_id] = [h for h in _handover_ids(app, cast.pathway_a)]
    accept = page(body).find("form", action=url(cast, f"/handover/{handover_id}/accept"))
    assert accept is not None
    assert page(body).find("form", action=url(cast, f"/handover/{handover_id}/decline")) is not None

    response = post(per, url(cast, f"/handover/{handover_id}/accept"))
    assert response.status_code == 303
    assert stored(app, cast.pathway_a).coordinator_id == cast.per
    assert handover_rows(app, cast.pathway_a)[0][2] == HandoverState.ACCEPTED
    assert events(app, cast.pathway_a, EventKind.HANDOVER_ACCEPTED) == [(cast.per, "Per Hansen", None)]
    timeline = page(per.get(url(cast))).by_id("timeline-heading").parent.text()
    assert translated(app, "%(name)s took over as coordinator.", name="Per Hansen") in timeline
    assert "handovers-heading" not in per.get("/pathways/").get_data(as_text=True)
    # Kari is on the team still, no longer the coordinator.
    assert post(kari, url(cast, "/level"), {"level": "1"}).status_code == 403


def _handover_ids(app, pathway_id):
    with app.app_context():
        return list(db.session.scalars(select(Handover.id).where(Handover.pathway_id == pathway_id)))


def test_accepting_twice_changes_nothing_the_second_time(app, cast):
    handover_id = handover_to_per(cast)
    per = as_user(app, cast.per)
    assert post(per, url(cast, f"/handover/{handover_id}/accept")).status_code == 303
    before = (handover_rows(app, cast.pathway_a), events(app, cast.pathway_a, EventKind.HANDOVER_ACCEPTED))
    again = post(per, url(cast, f"/handover/{handover_id}/accept"))
    assert again.status_code == 409
    assert translated(app, "This handover is accepted already. Nothing was changed.") in alert_text(again)
    assert (handover_rows(app, cast.pathway_a), events(app, cast.pathway_a, EventKind.HANDOVER_ACCEPTED)) == before
    assert stored(app, cast.pathway_a).coordinator_id == cast.per


def test_a_handover_to_someone_who_has_left_the_team_since_is_refused(app, kari, cast):
    handover_id = handover_to_per(cast)
    assert post(kari, url(cast, f"/team/{cast.per}/remove")).status_code == 303
    per = as_user(app, cast.per)
    response = post(per, url(cast, f"/handover/{handover_id}/accept"))
    assert response.status_code == 409
    assert translated(app, "You are no longer on the team of this pathway, so you cannot take over the baton. "
                           "Ask the coordinator.") in main_text(response)
    assert "Ola Nordvik" not in response.get_data(as_text=True)  # he no longer sees the pathway
    assert stored(app, cast.pathway_a).coordinator_id == cast.kari
    assert handover_rows(app, cast.pathway_a)[0][2] == HandoverState.PROPOSED
    assert events(app, cast.pathway_a, EventKind.HANDOVER_ACCEPTED) == []
    # The coordinator is told, and can withdraw it.
    text = page(kari.get(url(cast))).by_id("baton-heading").parent.text()
    assert translated(app, "%(name)s has left the team and cannot take over.", name="Per Hansen") in text
    assert post(kari, url(cast, f"/handover/{handover_id}/withdraw")).status_code == 303


def test_proposals_the_coordinator_cannot_make(app, kari, cast):
    """Oneself, someone not on the team, someone who left it, and a second one while one is open."""
    myself = post(kari, url(cast, "/handover"), {"to_id": str(cast.kari)})
    assert myself.status_code == 400
    assert field_error(myself, "to_id") == translated(
        app, "You are the coordinator already. Choose someone else on the team.")
    lise = post(kari, url(cast, "/handover"), {"to_id": str(cast.lise)})
    assert lise.status_code == 400
    assert field_error(lise, "to_id") == translated(
        app, "%(name)s is not on the team. Add them to the team first.", name="Lise Berg")
    nobody = post(kari, url(cast, "/handover"), {"to_id": ""})
    assert nobody.status_code == 400
    assert field_error(nobody, "to_id") == translated(app, "Choose who should take over the baton.")

    assert post(kari, url(cast, "/team"), {"user_id": str(cast.lise)}).status_code == 303
    assert post(kari, url(cast, f"/team/{cast.lise}/remove")).status_code == 303
    left = post(kari, url(cast, "/handover"), {"to_id": str(cast.lise)})
    assert left.status_code == 400
    assert field_error(left, "to_id") == translated(
        app, "%(name)s has left the team and cannot take over the baton.", name="Lise Berg")

    assert post(kari, url(cast, "/handover"), {"to_id": str(cast.per)}).status_code == 303
    assert post(kari, url(cast, "/team"), {"user_id": str(cast.lise)}).status_code == 303
    second = post(kari, url(cast, "/handover"), {"to_id": str(cast.lise)})
    assert second.status_code == 409
    assert translated(app, "You have asked %(name)s to take over already. Withdraw that first if you want to ask "
                           "someone else.", name="Per Hansen") in alert_text(second)
    assert [row[1] for row in handover_rows(app, cast.pathway_a)] == [cast.per]


def test_declining_needs_a_reason_and_the_coordinator_reads_it(app, kari, cast):
    handover_id = handover_to_per(cast)
    per = as_user(app, cast.per)
    empty = post(per, url(cast, f"/handover/{handover_id}/decline"), {"reason": "   "})
    assert empty.status_code == 400
    assert field_error(empty, "reason") == translated(app, "Fill in this field.")
    assert handover_rows(app, cast.pathway_a)[0][2] == HandoverState.PROPOSED

    response = post(per, url(cast, f"/handover/{handover_id}/decline"), {"reason": "Eg har for mange saker no."})
    assert response.status_code == 303
    assert handover_rows(app, cast.pathway_a) == [(cast.kari, cast.per, HandoverState.DECLINED,
                                                   "Eg har for mange saker no.")]
    assert events(app, cast.pathway_a, EventKind.HANDOVER_DECLINED) == [(cast.per, "Per Hansen",
                                                                        "Eg har for mange saker no.")]
    assert stored(app, cast.pathway_a).coordinator_id == cast.kari
    timeline = page(kari.get(url(cast))).by_id("timeline-heading").parent.text()
    assert "Eg har for mange saker no." in timeline
    # Now Kari may ask someone else.
    assert post(kari, url(cast, "/handover"), {"to_id": str(cast.per)}).status_code == 303


def test_the_coordinator_withdraws_and_the_answer_comes_too_late(app, kari, cast):
    handover_id = handover_to_per(cast)
    assert post(kari, url(cast, f"/handover/{handover_id}/withdraw")).status_code == 303
    assert handover_rows(app, cast.pathway_a)[0][2] == HandoverState.WITHDRAWN
    timeline = page(kari.get(url(cast))).by_id("timeline-heading").parent.text()
    assert translated(app, "%(from)s withdrew the request to %(to)s to take over as coordinator.",
                      **{"from": "Kari Nordmann", "to": "Per Hansen"}) in timeline
    late = post(as_user(app, cast.per), url(cast, f"/handover/{handover_id}/accept"))
    assert late.status_code == 409
    assert translated(app, "The coordinator has withdrawn this handover. Nothing was changed.") in alert_text(late)
    assert stored(app, cast.pathway_a).coordinator_id == cast.kari
    assert post(kari, url(cast, f"/handover/{handover_id}/withdraw")).status_code == 409


def test_only_the_person_asked_answers(app, kari, cast):
    handover_id = handover_to_per(cast)
    assert post(kari, url(cast, f"/handover/{handover_id}/accept")).status_code == 403
    assert post(as_user(app, cast.lise), url(cast, f"/handover/{handover_id}/accept")).status_code == 404
    assert post(as_user(app, cast.per), url(cast, "/handover/999999/accept")).status_code == 404
    assert stored(app, cast.pathway_a).coordinator_id == cast.kari


@pytest.mark.parametrize(("rest", "data"), [
    ("/step", {}), ("/level", {"level": "1"}), ("/handover", {"to_id": "0"}), ("/close", {"summary": "Ferdig"}),
])
def test_the_rest_of_the_team_may_not_and_others_do_not_see_it(app, cast, rest, data):
    """Per is on the team but not the coordinator (403); Lise is not on it (404, as if it did not exist)."""
    template_on_a(cast)
    assert post(as_user(app, cast.per), url(cast, rest), data).status_code == 403
    assert post(as_user(app, cast.lise), url(cast, rest), data).status_code == 404
    pathway = stored(app, cast.pathway_a)
    assert (pathway.bti_level, pathway.closed_at, pathway.coordinator_id) == (None, None, cast.kari)
    assert handover_rows(app, cast.pathway_a) == []


# --- the young person's wish -------------------------------------------------------------------------

def test_the_young_person_says_who_they_would_like_and_the_team_sees_it(app, client, cast):
    sign_in(client, cast.ola)
    home = client.get("/me")
    assert page(home).find("a", href=f"/my/pathways/{cast.pathway_a}/coordinator-wish") is not None
    form = client.get(f"/my/pathways/{cast.pathway_a}/coordinator-wish")
    assert form.status_code == 200
    offered = {i["value"] for i in page(form).find_all("input", name="wished")}
    assert offered == {str(cast.kari), str(cast.per), "other"}

    missing = post(client, f"/my/pathways/{cast.pathway_a}/coordinator-wish", {"wished": "other", "note": " "})
    assert missing.status_code == 400
    assert field_error(missing, "note") == translated(app, "Write who you would like, or what you wish for.")
    not_team = post(client, f"/my/pathways/{cast.pathway_a}/coordinator-wish", {"wished": str(cast.lise)})
    assert not_team.status_code == 400
    assert count(app, CoordinatorWish) == 0

    response = post(client, f"/my/pathways/{cast.pathway_a}/coordinator-wish",
                    {"wished": str(cast.per), "note": "Per er grei å snakke med."})
    assert response.status_code == 303 and response.headers["Location"] == "/me"
    with app.app_context():
        wish = db.session.scalar(select(CoordinatorWish))
        assert (wish.pathway_id, wish.author_id, wish.wished_id, wish.note) == (
            cast.pathway_a, cast.ola, cast.per, "Per er grei å snakke med.")
    kari = as_user(app, cast.kari)
    baton = page(kari.get(url(cast))).by_id("baton-heading").parent.text()
    assert "Per Hansen" in baton and "Per er grei å snakke med." in baton

    post(client, f"/my/pathways/{cast.pathway_a}/coordinator-wish", {"wished": "other", "note": "Helsesjukepleiaren"})
    baton = page(kari.get(url(cast))).by_id("baton-heading").parent.text()
    assert "Helsesjukepleiaren" in baton and "Per er grei" not in baton  # the latest wish counts


def test_only_the_young_person_wishes(app, client, cast):
    sign_in(client, cast.mother_a)
    assert client.get(f"/my/pathways/{cast.pathway_a}/coordinator-wish").status_code == 403
    sign_in(client, cast.emma)
    assert client.get(f"/my/pathways/{cast.pathway_a}/coordinator-wish").status_code == 404
    assert post(client, f"/my/pathways/{cast.pathway_a}/coordinator-wish", {"wished": str(cast.kari)}).status_code == 404
    assert count(app, CoordinatorWish) == 0


# --- closing -------------------------------------------------------------------------------------------

def _close(app, kari, cast, summary="Ola har det betre. Skulen følgjer opp."):
    response = post(kari, url(cast, "/close"), {"summary": summary})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response


def test_closing_needs_a_short_summary(app, kari, cast):
    form = kari.get(url(cast, "/close"))
    assert form.status_code == 200
    assert page(form).find("textarea", name="summary") is not None
    empty = post(kari, url(cast, "/close"), {"summary": ""})
    assert empty.status_code == 400
    assert field_error(empty, "summary") == translated(app, "Fill in this field.")
    long = post(kari, url(cast, "/close"), {"summary": "x" * 2001})
    assert long.status_code == 400
    assert field_error(long, "summary") == translated(app, "Write at most %(max)d characters.", max=2000)
    assert page(long).by_id("summary").text() == "x" * 2001  # what was typed is kept
    assert stored(app, cast.pathway_a).closed_at is None


def test_a_closed_pathway_shows_who_closed_it_and_hides_its_forms(app, kari, cast):
    template_on_a(cast)
    handover_id = handover_to_per(cast)
    response = _close(app, kari, cast)
    assert response.headers["Location"] == url(cast)
    pathway = stored(app, cast.pathway_a)
    assert pathway.closed_by_id == cast.kari and pathway.closing_summary == "Ola har det betre. Skulen følgjer opp."
    assert events(app, cast.pathway_a, EventKind.CLOSED) == [(cast.kari, None, "Ola har det betre. Skulen følgjer opp.")]
    assert handover_rows(app, cast.pathway_a)[0][2] == HandoverState.WITHDRAWN  # the open proposal ends

    body = kari.get(url(cast))
    assert body.status_code == 200
    closed = page(body).by_id("closed").text()
    assert "Kari Nordmann" in closed and "Ola har det betre. Skulen følgjer opp." in closed
    forms = {f.get("action") for f in page(body).by_id("main").find_all("form")}
    assert not forms & {url(cast, "/step"), url(cast, "/level"), url(cast, "/handover"), url(cast, "/close")}
    assert page(body).find("a", href=url(cast, "/meetings/new")) is None
    assert page(body).find("a", href=url(cast, "/close")) is None
    worklist = page(kari.get("/pathways/")).by_id("main").text()
    assert translated(app, "Closed on %(date)s", date="").strip() in worklist
    assert post(as_user(app, cast.per), url(cast, f"/handover/{handover_id}/accept")).status_code == 409


@pytest.mark.parametrize(("rest", "data"), [
    ("/level", {"level": "2"}),
    ("/step", {}),
    ("/handover", {"to_id": "PER"}),
    ("/close", {"summary": "Ein gong til"}),
    ("/team", {"user_id": "LISE"}),
    ("/meetings/new", {"kind": "care_team", "day": "2030-01-01", "start": "14:00", "minutes": "60",
                       "place": "Skulen", "purpose": "Korleis går det?", "members": ["KARI"]}),
])
def test_nothing_on_a_closed_pathway_can_be_changed_by_the_team(app, kari, cast, rest, data):
    template_on_a(cast)
    _close(app, kari, cast)
    ids = {"PER": str(cast.per), "LISE": str(cast.lise), "KARI": str(cast.kari)}
    data = {k: ([ids.get(x, x) for x in v] if isinstance(v, list) else ids.get(v, v)) for k, v in data.items()}
    before = stored(app, cast.pathway_a)
    response = post(kari, url(cast, rest), data)
    assert response.status_code == 409
    assert translated(app, CLOSED) in main_text(response)
    after = stored(app, cast.pathway_a)
    assert (after.bti_level, after.step_id, after.closing_summary) == (before.bti_level, before.step_id,
                                                                       before.closing_summary)
    assert handover_rows(app, cast.pathway_a) == []
    assert count(app, TeamMember, TeamMember.pathway_id == cast.pathway_a) == 2
    assert count(app, Meeting) == 0


def test_nothing_on_a_closed_pathway_can_be_changed_by_the_family(app, kari, client, cast):
    from tests.pathways import reading_data as data

    statement_id = data.statement(app, cast.pathway_a, cast.ola, "Eg søv betre no")
    meeting_id = data.meeting(app, cast.pathway_a, cast.kari, utcnow() + timedelta(days=3))
    _close(app, kari, cast)
    sign_in(client, cast.ola)
    new = post(client, f"/my/pathways/{cast.pathway_a}/statements/new",
               {"prompt": "hard", "text": "Noko nytt", "sharing": "team", "revision": "0", "client_key": "k" * 24})
    assert new.status_code == 409
    assert translated(app, CLOSED) in main_text(new)
    edit = post(client, f"/my/statements/{statement_id}", {"prompt": "hard", "text": "Endra", "sharing": "team",
                                                           "revision": "1"})
    assert edit.status_code == 409
    assert post(client, f"/my/statements/{statement_id}/remove").status_code == 409
    prepare = post(client, f"/my/meetings/{meeting_id}/prepare", {"talk_about": "Skulen", "sharing": "team",
                                                                   "revision": "0"})
    assert prepare.status_code == 409
    wish = post(client, f"/my/pathways/{cast.pathway_a}/coordinator-wish", {"wished": str(cast.per)})
    assert wish.status_code == 409
    with app.app_context():
        assert [s.text for s in db.session.scalars(select(Statement))] == ["Eg søv betre no"]
    assert count(app, CoordinatorWish) == 0
    # Reading stays open.
    assert client.get(f"/my/statements/{statement_id}").status_code == 200
    assert client.get("/me").status_code == 200


# --- the timeline's words for every new kind of event -------------------------------------------------

def test_every_relay_event_has_its_own_line_on_the_timeline(app, kari, cast):
    details = {
        EventKind.STEP_CHANGED: ("Tiltak i kommunen (nn)", "Tiltak i kommunen (nb)"),
        EventKind.LEVEL_CHANGED: (None, "2"),
        EventKind.GOAL_ADDED: (None, "Sove betre"),
        EventKind.MEASURE_ADDED: ("Per Hansen", "Samtalar på skulen"),
        EventKind.MEASURE_EVALUATED: ("Per Hansen", "Samtalar på skulen"),
        EventKind.HANDOVER_PROPOSED: ("Per Hansen", None),
        EventKind.HANDOVER_ACCEPTED: ("Per Hansen", None),
        EventKind.HANDOVER_DECLINED: ("Per Hansen", "For mange saker"),
        EventKind.MINUTES_WRITTEN: (None, "care_team"),
        EventKind.CLOSED: (None, "Ferdig no"),
    }
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        for n, (kind, (subject, detail)) in enumerate(details.items()):
            db.session.add(PathwayEvent(pathway=pathway, kind=kind, actor_id=cast.kari, subject_name=subject,
                                        detail=detail, at=utcnow() - timedelta(minutes=n)))
        db.session.commit()
    items = page(kari.get(url(cast))).by_id("timeline-heading").parent.find_all("li", class_="timeline-item")
    lines = [item.text() for item in items]
    assert len(lines) == len(details)
    assert len({line.split(" ", 4)[-1] for line in lines}) == len(details)  # each kind its own words
    text = " ".join(lines)
    for piece in ("Tiltak i kommunen (nb)", "Sove betre", "Samtalar på skulen", "For mange saker", "Ferdig no",
                  "Per Hansen", "Kari Nordmann"):
        assert piece in text
    assert translated(app, "Care team meeting") in text or "care_team" not in text
    nynorsk = page(kari.get(url(cast), headers={"Accept-Language": "nn"})).by_id("timeline-heading").parent.text()
    assert "Tiltak i kommunen (nn)" in nynorsk
